// End-to-end: export, share links and command-line parity, in real headless Chromium.
// The JSON the app exports, run with `catapult-dr simulate`, gives the trace hash the
// app shows; a share link opened in a fresh browser reproduces the same run; a damaged
// link shows its error and keeps the saved scenario.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { artifacts, launchChromium, Report, repoRoot } from "./harness.mjs";
import { serveDirectory } from "../../scripts/static-server.mjs";

const cli = ["target/debug/catapult-dr", "target/release/catapult-dr"].map((path) => join(repoRoot, path)).find(existsSync);

const report = new Report("e2e share");
const check = report.check.bind(report);

async function runAndReadHash(page) {
    await page.click("button.run-button");
    await page.waitForSelector(".run-summary", { timeout: 30000 });
    const summary = await page.textContent(".run-summary");
    return /trace ([0-9a-f]{16})/.exec(summary)?.[1];
}

const browser = await launchChromium();
const { server, url } = await serveDirectory(join(repoRoot, "dist"), 0, "/docs/planner/");
try {
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(url);
    await page.click("button.preset-button:has-text('active-active')");
    await page.waitForSelector(".topology .node");
    const appHash = await runAndReadHash(page);
    check("the app shows a trace hash", /^[0-9a-f]{16}$/.test(appHash ?? ""), appHash);

    const [download] = await Promise.all([page.waitForEvent("download"), page.click("button.export-button")]);
    const exported = join(artifacts, "exported-active-active.json");
    await download.saveAs(exported);
    check("Export JSON downloads a named file", download.suggestedFilename() === "active-active.json", download.suggestedFilename());
    check("the command line is built", Boolean(cli), "run cargo build first");
    if (cli) {
        const validated = execFileSync(cli, ["validate", exported]).toString().trim();
        check("the exported file validates on the command line", validated === "ok", validated);
        const result = JSON.parse(execFileSync(cli, ["simulate", exported, "--json"]).toString());
        check("the command line gives the trace hash the app shows", result.trace_hash === appHash, `${result.trace_hash} vs ${appHash}`);
    }

    await page.click("button.share-button");
    await page.waitForSelector("input.share-link");
    const link = await page.inputValue("input.share-link");
    check("a share link carries the scenario, the moment, the speed and the panel in the fragment", /#s=1\.[A-Za-z0-9_-]+&t=\d+&v=\d+&p=[a-z]+$/.test(link) && link.startsWith(url), link.slice(0, 120));
    check("the link is short enough for chat tools (no warning)", (await page.locator(".share .warning").count()) === 0);
    await page.screenshot({ path: join(artifacts, "share-link.png") });

    const fresh = await browser.newContext();
    const other = await fresh.newPage();
    await other.goto(link);
    await other.waitForSelector(".scenario-name");
    check("opening the link in a fresh browser loads the scenario", (await other.textContent(".scenario-name")) === "active-active");
    check("the link reproduces the same run", (await runAndReadHash(other)) === appHash);

    await other.goto(url);
    await other.waitForSelector(".scenario-name");
    await other.goto(url + "#s=1.damaged!!");
    await other.reload();
    await other.waitForSelector(".import-errors");
    const errors = await other.locator(".import-errors li").allTextContents();
    check("a damaged link shows its error at #", errors.some((line) => line.startsWith("#: ")), errors.join(" | "));
    check("a damaged link keeps the saved scenario", (await other.textContent(".scenario-name")) === "active-active");
    await fresh.close();
    await context.close();
} finally {
    server.close();
    await browser.close();
}
report.finish();
