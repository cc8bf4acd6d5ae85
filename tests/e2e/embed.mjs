// End-to-end: the read-only embed (`?embed=1`, optional `&autoplay=1`) inside an
// iframe on a documentation page, with the app hosted under a sub-path beside it.
// The scenario comes from the link's fragment; the embed plays, offers no editing,
// and never writes the visitor's saved session.
import { cp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { artifacts, launchChromium, Report, repoRoot } from "./harness.mjs";
import { serveDirectory } from "../../scripts/static-server.mjs";

const report = new Report("e2e embed");
const check = report.check.bind(report);

const site = join(tmpdir(), `catapult-dr-embed-${process.pid}`);
await rm(site, { recursive: true, force: true });
await mkdir(join(site, "docs"), { recursive: true });
await cp(join(repoRoot, "dist"), join(site, "docs", "planner"), { recursive: true });

const browser = await launchChromium();
const { server, url } = await serveDirectory(site, 0, "/");
try {
    // Make a share link with the full app.
    const maker = await browser.newPage();
    await maker.goto(`${url}docs/planner/`);
    await maker.click("button.preset-button:has-text('seed-fork')");
    await maker.click("button.share-button");
    const link = await maker.inputValue("input.share-link");
    const fragment = link.slice(link.indexOf("#"));
    await maker.evaluate(() => localStorage.clear());
    await maker.close();

    await writeFile(join(site, "docs", "page.html"), `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Docs page</title></head>
<body><h1>Why PEER2 rolls back</h1>
<iframe title="Catapult DR Planner: seed-fork" src="planner/?embed=1&amp;autoplay=1${fragment}" width="900" height="520" loading="lazy"></iframe>
</body></html>`);
    const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
    await page.goto(`${url}docs/page.html`);
    const frame = page.frameLocator("iframe");
    await frame.locator(".embed .scenario-name").waitFor({ timeout: 20000 });
    check("the embed loads its scenario from the fragment", (await frame.locator(".scenario-name").textContent()) === "seed-fork");
    check("the embed is read-only (no presets, import, timeline or planner)",
        (await frame.locator("button.preset-button, input.import-input, .timeline-area, .planner").count()) === 0);
    const first = await frame.locator(".time-label").textContent();
    await page.waitForTimeout(1200);
    const later = await frame.locator(".time-label").textContent();
    check("autoplay moves the clock", first !== later, `${first} -> ${later}`);
    await frame.locator(".topology .node").first().click({ button: "right" });
    check("right-click does not open a fault menu in the embed", (await frame.locator(".context-menu").count()) === 0);
    const href = await frame.locator("a.open-full").getAttribute("href");
    check("the embed links to the full planner with the same scenario", href.startsWith("/docs/planner/") && href.endsWith(fragment), href);
    const saved = await page.frames()[1].evaluate(() => localStorage.getItem("catapult-dr.session"));
    check("the embed writes no saved session", saved === null, String(saved).slice(0, 80));
    await page.screenshot({ path: join(artifacts, "embed.png") });
} finally {
    server.close();
    await browser.close();
    await rm(site, { recursive: true, force: true });
}
report.finish();
