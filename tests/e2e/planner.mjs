// End-to-end: the planner panel in real headless Chromium, hosted under a sub-path.
// The Monte Carlo runs in a Web Worker so the page stays responsive (long tasks are
// measured), shows progress, can be cancelled, takes targets, and gives the strategy ×
// failure table with a recommendation and CSV/Markdown downloads.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { artifacts, launchChromium, Report, repoRoot } from "./harness.mjs";
import { serveDirectory } from "../../scripts/static-server.mjs";

const report = new Report("e2e planner");
const check = report.check.bind(report);

const browser = await launchChromium();
const { server, url } = await serveDirectory(join(repoRoot, "dist"), 0, "/docs/planner/");
try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
    const workers = [];
    page.on("worker", (worker) => workers.push(worker.url()));
    await page.addInitScript(() => {
        window.__violations = [];
        document.addEventListener("securitypolicyviolation", (event) => window.__violations.push(event.violatedDirective));
        window.__longTasks = [];
        new PerformanceObserver((list) => list.getEntries().forEach((entry) => window.__longTasks.push(entry.duration)))
            .observe({ type: "longtask", buffered: true });
    });
    await page.goto(url);
    await page.click("button.preset-button:has-text('multi-az')");
    await page.waitForSelector("button.run-plan");

    // Cancel works.
    await page.fill("input.trials-input", "50");
    await page.click("button.run-plan");
    await page.waitForSelector("progress.plan-progress");
    await page.click("button.cancel-plan");
    await page.waitForFunction(() => document.querySelector(".plan-errors")?.textContent.includes("cancelled"));
    check("planning can be cancelled", (await page.locator("progress.plan-progress").count()) === 0);

    // The long-task probe itself works: a deliberate 150 ms block is seen.
    await page.evaluate(() => new Promise((done) => setTimeout(() => {
        const until = performance.now() + 150;
        while (performance.now() < until) { /* block the main thread on purpose */ }
        done();
    }, 0)));
    await page.waitForTimeout(200);
    const probe = await page.evaluate(() => Math.max(0, ...window.__longTasks));
    check("the long-task probe sees a deliberate 150 ms block", probe >= 140, `${probe} ms`);
    // A bad target is refused with its path; nothing runs.
    await page.fill('input.target-rto[data-failure="az"]', "5 fortnights");
    await page.click("button.run-plan");
    await page.waitForSelector(".plan-errors");
    check("a bad target is refused with its path", /plan\.targets\.az\.rto: /.test(await page.textContent(".plan-errors")));
    await page.fill('input.target-rto[data-failure="az"]', "5m");
    await page.fill('input.target-rpo[data-failure="az"]', "1m");

    await page.evaluate(() => { window.__longTasks = []; });
    await page.fill("input.trials-input", "20");
    const started = Date.now();
    await page.click("button.run-plan");
    await page.waitForSelector("progress.plan-progress");
    check("progress is shown while planning", true);
    await page.waitForSelector("table.plan-table", { timeout: 120000 });
    const seconds = (Date.now() - started) / 1000;
    const rows = await page.locator("table.plan-table tbody tr").count();
    check(`the table has every strategy × failure cell (${seconds.toFixed(1)} s for 20 trials per cell)`, rows === 24, String(rows));
    const rowText = (strategy, failure) => page.evaluate(([strategy, failure]) => {
        const row = [...document.querySelectorAll("table.plan-table tbody tr")]
            .find((tr) => tr.children[0].textContent === strategy && tr.children[1].textContent === failure);
        return row ? [...row.children].map((cell) => cell.textContent).join(" ; ") : null;
    }, [strategy, failure]);
    const regionRow = await rowText("single-az", "region");
    check("single-AZ says it cannot survive a region loss", /not survivable/.test(regionRow ?? ""), regionRow);
    const backupRow = await rowText("inter-region-backup", "region");
    console.log(`# ${backupRow}`);
    console.log(`# ${await rowText("multi-az", "az")}`);
    check("inter-region backup takes about a day to restore", /2[0-9]h/.test(backupRow ?? ""), backupRow);
    const recommendation = await page.textContent(".recommendation");
    check("with an AZ target of 5 minutes the cheapest passing strategy is multi-AZ", /multi-az is the cheapest strategy that meets every target/.test(recommendation), recommendation);
    check("the targets became part of the scenario (kept in the export)", await page.evaluate(() => localStorage.getItem("catapult-dr.session").includes('"az":{"rpo":"1m","rto":"5m"}')));
    const longest = await page.evaluate(() => Math.max(0, ...window.__longTasks));
    // The 100 ms budget is a performance target: measured and printed here (timings
    // on a shared machine vary), asserted only against an outright freeze.
    console.log(`# longest main-thread task while planning: ${longest.toFixed(0)} ms (target: 100 ms)`);
    check("the page never freezes while planning (no task over 1 s)", longest < 1000, `${longest} ms`);
    check("the Monte Carlo runs in a Web Worker loaded from the app's own sub-path", workers.some((address) => address === `${url}plan-worker_loader.js`), workers.join(", "));
    check("no Content-Security-Policy violation while planning", (await page.evaluate(() => window.__violations)).length === 0);
    await page.screenshot({ path: join(artifacts, "planner.png"), fullPage: true });

    const [csv] = await Promise.all([page.waitForEvent("download"), page.click("button.plan-csv")]);
    const csvText = (await readFile(await csv.path(), "utf8")).trim().split("\n");
    check("the results download as CSV, a row per cell", csv.suggestedFilename() === "rto-rpo.csv" && csvText.length === 25 && csvText[0].startsWith("strategy,failure,survivable"), csvText[0]);
    const [markdown] = await Promise.all([page.waitForEvent("download"), page.click("button.plan-markdown")]);
    const markdownText = await readFile(await markdown.path(), "utf8");
    check("the results download as a Markdown table", /\| single-az \| region \| not survivable \|/.test(markdownText) && /Recommendation:/.test(markdownText));
} finally {
    server.close();
    await browser.close();
}
report.finish();
