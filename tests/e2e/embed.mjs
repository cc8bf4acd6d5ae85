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
    // docs/embedding.md's 900×520: everything it promises fits, and nothing moves or
    // grows while it plays (a fork appearing included).
    const inner = page.frames()[1];
    const boxes = () => inner.evaluate(() => {
        const parts = {};
        for (const [name, selector] of [["player", ".player"], ["slider", ".scrubber"], ["canvas", ".canvas-frame"],
            ["fork", ".fork-view"], ["chart", ".embed-chart"], ["log", ".event-log"]]) {
            const element = document.querySelector(selector);
            const box = element?.getBoundingClientRect();
            parts[name] = box ? [Math.round(box.left), Math.round(box.top), Math.round(box.width), Math.round(box.height)] : null;
        }
        return { parts, scroll: [document.documentElement.scrollWidth, document.documentElement.scrollHeight], view: [innerWidth, innerHeight] };
    });
    await frame.locator(".embed-chart .chart-stack").waitFor({ timeout: 20000 });
    await frame.locator("select.speed-select").selectOption("1000");
    const before = await boxes();
    const fits = Object.values(before.parts).every((box) => box && box[0] >= 0 && box[1] >= 0
        && box[0] + box[2] <= before.view[0] && box[1] + box[3] <= before.view[1] && box[2] > 0 && box[3] > 0);
    check("at 900×520 the embed shows player, slider, canvas, fork view, height chart and log, all inside the frame",
        before.view[0] === 900 && before.view[1] === 520 && fits, JSON.stringify(before));
    check("the embed does not scroll at 900×520", before.scroll[0] <= 900 && before.scroll[1] <= 520, JSON.stringify(before.scroll));
    await page.waitForTimeout(2500);
    const after = await boxes();
    check("nothing in the embed moves or changes size while it plays",
        JSON.stringify(after.parts) === JSON.stringify(before.parts) && JSON.stringify(after.scroll) === JSON.stringify(before.scroll),
        `${JSON.stringify(before.parts)} -> ${JSON.stringify(after.parts)}`);
    // In the embed's narrow frame the legend goes under the drawing, which leaves the
    // nodes larger than beside it would.
    check("the embed's legend is under the drawing, not beside it",
        (await frame.locator(".canvas .canvas-legend").getAttribute("data-beside")) === "false");
    const logLines = await frame.locator(".event-log li").count();
    check("the embed's event log shows the newest lines", logLines > 0, `${logLines} lines`);
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
