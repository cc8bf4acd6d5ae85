// End-to-end check of the release build (dist/) in real headless Chromium:
// the app shell renders at the root and under a sub-path, a preset loads and runs,
// and the page requests nothing outside its own files. Screenshots go to artifacts/e2e/.
import { join } from "node:path";
import { artifacts, launchChromium, Report, repoRoot } from "./harness.mjs";
import { serveDirectory } from "../../scripts/static-server.mjs";

const report = new Report("e2e");
const check = report.check.bind(report);

const browser = await launchChromium();
try {
    for (const base of ["/", "/some/sub/path/"]) {
        const { server, url } = await serveDirectory(join(repoRoot, "dist"), 0, base);
        const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
        const foreign = [];
        const errors = [];
        page.on("request", (request) => {
            if (!request.url().startsWith(url) && !request.url().startsWith("data:")) foreign.push(request.url());
        });
        page.on("pageerror", (error) => errors.push(String(error)));
        const started = Date.now();
        await page.goto(url);
        await page.waitForSelector(".product-name", { timeout: 20000 });
        const firstRenderMs = Date.now() - started;
        const title = await page.textContent(".product-name");
        check(`shell renders under ${base} (first render ${firstRenderMs} ms)`, title === "Catapult DR Planner", `got ${title}`);
        for (const area of ["Topology", "Faults and files", "Results"]) {
            check(`area "${area}" present under ${base}`, (await page.locator(`section[aria-label="${area}"]`).count()) === 1);
        }
        const emptyState = await page.textContent(".topology-area .empty-state");
        check(`empty state says what to do under ${base}`, /preset/i.test(emptyState ?? ""), emptyState);
        const slug = base === "/" ? "root" : "sub-path";
        await page.screenshot({ path: join(artifacts, `shell-${slug}.png`) });

        await page.click("button.preset-button:has-text('seed-fork')");
        await page.waitForSelector(".topology .node");
        check(`seed-fork preset shows its five nodes under ${base}`, (await page.locator(".topology .node").count()) === 5);
        // The scrubber replays the run to any moment: peer2 is cut off at 35 minutes.
        const scrubTo = async (seconds) => {
            await page.$eval("input.time-scrubber", (input, value) => {
                input.value = String(value);
                input.dispatchEvent(new Event("input", { bubbles: true }));
            }, seconds);
            await page.waitForFunction((value) => document.querySelector(".time-label")?.textContent.startsWith(value), seconds === 2100 ? "35m" : "1h");
            // The replay worker answers asynchronously: wait until the canvas shows that moment.
            await page.waitForSelector(`.topology[data-frame-at-ms="${seconds * 1000}"]`);
        };
        await scrubTo(35 * 60);
        const peer2During = await page.getAttribute(".topology .node:has(title:text-matches('^peer2 '))", "class");
        check(`the canvas shows peer2 isolated at 35 minutes under ${base}`, /status-isolated/.test(peer2During ?? ""), peer2During);
        await page.screenshot({ path: join(artifacts, `seed-fork-35m-${base === "/" ? "root" : "sub-path"}.png`) });
        await scrubTo(60 * 60);
        const peer2After = await page.getAttribute(".topology .node:has(title:text-matches('^peer2 '))", "class");
        check(`peer2 is back on the chain at 1 hour under ${base}`, /status-(up|syncing)/.test(peer2After ?? ""), peer2After);
        const log = await page.locator(".event-log li").allTextContents();
        check(`the event log tells the fork and the rollback under ${base}`, log.some((line) => line.includes("fault starts: isolate peer2")) && log.some((line) => /peer2 rolls back \d+ block/.test(line)), log.join(" | "));
        await page.waitForSelector(".chart-height svg", { timeout: 20000 });
        const heightChart = await page.textContent(".chart-height svg");
        check(`the height chart (plotters) names every node under ${base}`, ["peer1", "peer2", "peer3", "api1", "api2"].every((name) => heightChart.includes(name)), heightChart);
        check(`the four run charts are drawn under ${base}`, (await page.locator(".charts figure .chart-picture svg").count()) === 4 && (await page.locator(".charts .chart-cursor line").count()) === 4);
        // The player: play at 10,000× moves the clock; pause stops it; ? shows the shortcuts.
        await page.click("button.restart-button");
        await page.waitForFunction(() => document.querySelector(".time-label")?.textContent.startsWith("0ms"));
        await page.selectOption("select.speed-select", "10000");
        await page.click("button.play-button");
        await page.waitForFunction(() => !document.querySelector(".time-label")?.textContent.startsWith("0ms"), null, { timeout: 5000 });
        await page.click("button.play-button");
        // The player moves every animation frame, so the frame asked for just before the
        // pause may still be on its way from the replay worker: let it land, then the
        // shown moment must stay put.
        await page.waitForTimeout(500);
        const pausedAt = await page.textContent(".time-label");
        await page.waitForTimeout(400);
        check(`play moves the clock and pause stops it under ${base}`, (await page.textContent(".time-label")) === pausedAt, pausedAt);
        await page.locator("body").press("?");
        await page.waitForSelector(".help");
        check(`? shows the keyboard shortcuts under ${base}`, /play or pause/.test(await page.textContent(".help")));
        await page.locator("body").press("Escape");
        await page.waitForFunction(() => !document.querySelector(".help"));
        // Break a node from its context menu, then undo and redo.
        const faultsBefore = await page.locator(".fault-list li").count();
        await scrubTo(60 * 60);
        await page.click(".topology .node:has(title:text-matches('^peer3 '))", { button: "right" });
        await page.waitForSelector(".context-menu");
        await page.click(".context-menu .menu-crash");
        await page.waitForFunction((count) => document.querySelectorAll(".fault-list li").length === count + 1, faultsBefore);
        check(`the context menu adds a crash at the current time under ${base}`, /1h 00m 00s → 1h 30m 00s: crash peer3/.test(await page.textContent(".fault-list")));
        await page.$eval("input.time-scrubber", (input) => { input.value = String(70 * 60); input.dispatchEvent(new Event("input", { bubbles: true })); });
        await page.waitForSelector(`.topology[data-frame-at-ms="${70 * 60 * 1000}"]`);
        const peer3 = await page.getAttribute(".topology .node:has(title:text-matches('^peer3 '))", "class");
        check(`the crashed node shows down under ${base}`, /status-(down|starting)/.test(peer3 ?? ""), peer3);
        await page.click(".topology .node:has(title:text-matches('^peer3 '))", { button: "right" });
        await page.click(".context-menu .menu-crash");
        await page.waitForSelector(".edit-errors");
        check(`an overlapping crash is refused with a reason under ${base}`, /overlaps/.test(await page.textContent(".edit-errors")));
        await page.click("button.undo-button");
        await page.waitForFunction((count) => document.querySelectorAll(".fault-list li").length === count, faultsBefore);
        check(`undo removes the crash under ${base}`, true);
        await page.click("button.redo-button");
        await page.waitForFunction((count) => document.querySelectorAll(".fault-list li").length === count + 1, faultsBefore);
        check(`redo brings it back under ${base}`, true);
        await page.click(".fault-list li:has-text('crash peer3') button.remove-fault");
        await page.waitForFunction((count) => document.querySelectorAll(".fault-list li").length === count, faultsBefore);
        check(`a fault can be removed from the timeline under ${base}`, true);
        await page.click("button.run-button");
        await page.waitForSelector(".run-summary", { timeout: 20000 });
        const summary = await page.textContent(".run-summary");
        check(`run shows a summary with a trace hash under ${base}`, /trace [0-9a-f]{16}/.test(summary ?? ""), summary);
        check(`peer2 rolled back in the seed-fork run under ${base}`, /peer2\s+up\s+\d+\s+\d+\s+\d+m \d+s: \d+/.test(summary ?? ""), summary);
        await page.screenshot({ path: join(artifacts, `seed-fork-run-${slug}.png`), fullPage: true });

        check(`no request outside the app's own files under ${base}`, foreign.length === 0, foreign.join(", "));
        check(`no page errors under ${base}`, errors.length === 0, errors.join("; "));
        await page.close();
        server.close();
    }
} finally {
    await browser.close();
}
report.finish();
