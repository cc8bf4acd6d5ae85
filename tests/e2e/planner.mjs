// End-to-end: the planner panel in real headless Chromium, hosted under a sub-path.
// The Monte Carlo runs in a Web Worker so the page stays responsive (long tasks are
// measured), shows progress, can be cancelled, takes targets, and gives the strategy ×
// failure matrix (keyboard and mouse), each cell's explanation (assumed steps marked),
// the targets in words, a recommendation, CSV/Markdown downloads, editable assumptions
// that change the matrix after re-planning, and RTO/RPO charts whose labels never
// overlap at 1280×720. Screenshots: planner-1280.png and planner-1920.png.
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
    const open = new Set();
    page.on("worker", (worker) => {
        workers.push(worker.url());
        open.add(worker);
        worker.on("close", () => open.delete(worker));
    });
    const requested = [];
    page.on("request", (request) => requested.push(request.url()));
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
    await page.waitForSelector(".topology[data-frame-at-ms]");
    check("the first page load does not download the planner module (it comes with the first plan)",
        !requested.some((address) => address.includes("catapult-dr-planner")), requested.filter((address) => address.includes("planner")).join(", "));

    // Cancel works.
    await page.fill("input.trials-input", "50");
    await page.click("button.run-plan");
    await page.waitForSelector("progress.plan-progress");
    // Cancelled once trials are running (their workers have replied).
    await page.waitForFunction(() => Number(document.querySelector("progress.plan-progress")?.value) > 0, null, { timeout: 60000 });
    const planning = () => [...open].filter((worker) => /role=(plan|trials)$/.test(worker.url())).length;
    const planningAtCancel = planning();
    await page.click("button.cancel-plan");
    await page.waitForFunction(() => document.querySelector(".plan-errors")?.textContent.includes("cancelled"));
    check("planning can be cancelled", (await page.locator("progress.plan-progress").count()) === 0);
    for (let waited = 0; planning() > 0 && waited < 10000; waited += 100) await page.waitForTimeout(100);
    check(`cancelling stops the plan worker and every trial worker it started (${planningAtCancel} running at the click)`,
        planningAtCancel >= 3 && planning() === 0, `${planning()} still running`);
    check("the planner module came from the app's own sub-path, versioned by the page's script",
        requested.some((address) => /\/docs\/planner\/catapult-dr-planner_bg\.wasm\?v=catapult-dr-[0-9a-f]+$/.test(address)),
        requested.filter((address) => address.includes("planner")).join(", "));

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
    check("a bad target is refused, named in words", /AZ outage RTO target: /.test(await page.textContent(".plan-errors")));
    await page.fill('input.target-rto[data-failure="az"]', "5m");
    await page.fill('input.target-rpo[data-failure="az"]', "1m");

    await page.evaluate(() => { window.__longTasks = []; });
    await page.fill("input.trials-input", "5");
    const workersBefore = workers.length;
    const started = Date.now();
    await page.click("button.run-plan");
    await page.waitForSelector("progress.plan-progress");
    check("progress is shown while planning", true);
    await page.waitForSelector("table.plan-matrix", { timeout: 120000 });
    const seconds = (Date.now() - started) / 1000;
    const rows = await page.locator("table.plan-table tbody tr").count();
    check(`the table has every strategy × failure cell (${seconds.toFixed(1)} s for 5 trials per cell)`, rows === 24, String(rows));
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
    check("the Monte Carlo runs in a Web Worker loaded from the app's own sub-path", workers.some((address) => address === `${url}app-worker.js?role=plan`), workers.join(", "));
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    const started_workers = workers.slice(workersBefore);
    const trialWorkers = started_workers.filter((address) => address === `${url}app-worker.js?role=trials`).length;
    check(`the trials run on every core: ${trialWorkers} trial workers for ${cores} cores (at least 2), started by one plan worker`,
        trialWorkers >= Math.max(2, Math.min(cores, 8)) && started_workers.filter((address) => address.endsWith("?role=plan")).length === 1, started_workers.join(", "));
    check("no Content-Security-Policy violation while planning", (await page.evaluate(() => window.__violations)).length === 0);
    await page.screenshot({ path: join(artifacts, "planner.png"), fullPage: true });

    // ---- The matrix, its explanations, the targets in words ---------------------------
    const cellSelector = (strategy, failure) => `.matrix-cell[data-strategy="${strategy}"][data-failure="${failure}"]`;
    check("the matrix has a focusable button per cell, each with an accessible label",
        (await page.locator(".plan-matrix button.matrix-cell[aria-label]").count()) === 24);
    const costs = await page.locator(".plan-matrix .matrix-cost").allTextContents();
    check("the cost column gives each strategy's monthly cost with its currency", costs.length === 4 && costs.every((cost) => /^[0-9,]+\.[0-9]{2} USD$/.test(cost)), costs.join(" | "));
    const targetsText = await page.textContent(".plan-targets");
    check("the targets read in words, never as JSON paths", /AZ outage: RTO ≤ 5 min, RPO ≤ 1 min/.test(targetsText) && !/plan\.targets/.test(await page.textContent(".planner-results")), targetsText);
    const lostCell = page.locator(cellSelector("single-az", "region"));
    check("a cell that cannot survive says so in words, not only by colour", /not survivable/.test(await lostCell.textContent()) && /cell-not-survivable/.test(await lostCell.getAttribute("class")));
    const cutCell = page.locator(cellSelector("multi-az", "region-link"));
    check("a cell with nothing to act on says not applicable", /not applicable/.test(await cutCell.textContent()));
    // Keyboard: focus a cell, Enter explains it, an arrow key moves to the next one.
    await page.focus(cellSelector("single-az", "node"));
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => /Single AZ under a node crash/.test(document.querySelector(".cell-explanation h4")?.textContent ?? ""));
    await page.keyboard.press("ArrowRight");
    const focused = await page.evaluate(() => document.activeElement?.dataset.failure);
    check("the arrow keys move between matrix cells", focused === "az", String(focused));
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => /Single AZ under an AZ outage/.test(document.querySelector(".cell-explanation h4")?.textContent ?? ""));
    const azExplanation = await page.textContent(".cell-explanation");
    check("the verdict names the cell's target in words", /misses its target \(RTO ≤ 5 min, RPO ≤ 1 min\)|meets its target \(RTO ≤ 5 min, RPO ≤ 1 min\)/.test(azExplanation), azExplanation.slice(0, 200));
    // The backup cell: assumed steps are marked, measured figures read aloud.
    await page.click(cellSelector("inter-region-backup", "region"));
    await page.waitForFunction(() => /Inter-region backup under a region loss/.test(document.querySelector(".cell-explanation h4")?.textContent ?? ""));
    const assumed = await page.locator(".cell-explanation li.assumed").allTextContents();
    check("the explanation marks assumed estimate steps", assumed.length >= 3 && assumed.every((line) => line.endsWith("(assumed)")) && assumed.some((line) => /provisioning/.test(line)), assumed.join(" | "));
    const backupExplanation = await page.textContent(".cell-explanation");
    console.log(`# ${backupExplanation.slice(0, 400)}`);
    check("the explanation gives the measured spread and the trials recovered", /Measured over 5 trials/.test(backupExplanation) && /The service came back in \d+ of 5 trials/.test(backupExplanation) && /RTO: p50 .*, p95 .*, max /.test(backupExplanation));
    check("a missing measurement reads n/a, never 0", /Finalized RPO: p50 n\/a, p95 n\/a, max n\/a/.test(backupExplanation), backupExplanation);
    check("the selected cell is marked for assistive technology", (await page.getAttribute(cellSelector("inter-region-backup", "region"), "aria-pressed")) === "true");

    // ---- Charts: labels never overlap at 1280×720, and agree with the cells -------------
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.locator(".plan-charts").scrollIntoViewIfNeeded();
    const overlaps = await page.evaluate(() => {
        const found = [];
        for (const svg of document.querySelectorAll(".plan-chart svg")) {
            const boxes = [...svg.querySelectorAll("text")].map((text) => [text.textContent.trim(), text.getBoundingClientRect()]);
            for (let i = 0; i < boxes.length; i += 1) {
                for (let j = i + 1; j < boxes.length; j += 1) {
                    const [a, p] = boxes[i];
                    const [b, q] = boxes[j];
                    if (p.left < q.right - 0.5 && q.left < p.right - 0.5 && p.top < q.bottom - 0.5 && q.top < p.bottom - 0.5) found.push(`${a} / ${b}`);
                }
            }
        }
        return found;
    });
    check("no two texts of any RTO/RPO chart overlap at 1280×720", overlaps.length === 0, overlaps.slice(0, 5).join("; "));
    const regionChart = await page.textContent(".plan-chart-region svg");
    const linkChart = await page.textContent(".plan-chart-region-link svg");
    check("the charts say not survivable and n/a in words, with no ≈0 bar", /RTO: not survivable/.test(regionChart) && /RTO: n\/a/.test(linkChart) && !/≈0/.test(regionChart + linkChart));

    // ---- Screenshots of the panel with a cell selected ---------------------------------
    for (const [width, height] of [[1280, 720], [1920, 1080]]) {
        await page.setViewportSize({ width, height });
        await page.evaluate(() => document.querySelector(".planner-area").scrollIntoView());
        await page.screenshot({ path: join(artifacts, `planner-${width}.png`) });
        await page.evaluate(() => document.querySelector(".cell-explanation").scrollIntoView({ block: "end" }));
        await page.screenshot({ path: join(artifacts, `planner-${width}-explanation.png`) });
    }
    await page.setViewportSize({ width: 1400, height: 1000 });

    // ---- An assumption edited in place changes the matrix after re-planning -----------
    const apiCell = cellSelector("single-az", "api-tier");
    const apiBefore = await page.textContent(apiCell);
    const outage = "input.assumption-input[data-name=\"outage_duration\"]";
    check("the assumptions show in human units with their source", (await page.inputValue(outage)) === "1 h" && /assumption/.test(await page.textContent(".assumption-outage_duration")));
    await page.fill(outage, "30 s");
    await page.press(outage, "Tab");
    await page.waitForSelector(".assumption-outage_duration .field-error");
    const refusal = await page.textContent(".assumption-outage_duration .field-error");
    check("a refused assumption names the field in words and keeps what was typed",
        /^Outage duration/.test(refusal) && /from 1 min to 7 d/.test(refusal) && (await page.inputValue(outage)) === "30 s", refusal);
    await page.fill(outage, "10 min");
    await page.press(outage, "Tab");
    await page.waitForSelector(".plan-stale");
    check("the saved assumption is part of the scenario", await page.evaluate(() => localStorage.getItem("catapult-dr.session").includes('"outage_duration":"10m"')));
    await page.click("button.run-plan");
    await page.waitForFunction((selector) => /est\. 10m/.test(document.querySelector(selector)?.textContent ?? ""), apiCell, { timeout: 120000 });
    const apiAfter = await page.textContent(apiCell);
    check("after re-planning, the edited outage duration changes the matrix cell", apiBefore !== apiAfter && /est\. 1h/.test(apiBefore), `${apiBefore} → ${apiAfter}`);
    check("the stale-plan note goes once the plan is redone", (await page.locator(".plan-stale").count()) === 0);
    await page.click("button.undo-button");
    await page.waitForFunction((selector) => document.querySelector(selector)?.value === "1 h", outage);
    check("undo restores the assumption", true);

    const [csv] = await Promise.all([page.waitForEvent("download"), page.click("button.plan-csv")]);
    const csvText = (await readFile(await csv.path(), "utf8")).trim().split("\n");
    check("the results download as CSV, a row per cell", csv.suggestedFilename() === "rto-rpo.csv" && csvText.length === 25 && csvText[0].startsWith("strategy,failure,survivable"), csvText[0]);
    const [markdown] = await Promise.all([page.waitForEvent("download"), page.click("button.plan-markdown")]);
    const markdownText = await readFile(await markdown.path(), "utf8");
    check("the results download as a Markdown table", /\| single-az \| region \| not survivable \|/.test(markdownText) && /Recommendation:/.test(markdownText));

    // ---- A planner module that cannot download is said, and nothing is lost -----------
    const offline = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await offline.route("**/catapult-dr-planner*", (route) => route.abort());
    await offline.goto(url);
    await offline.click("button.preset-button:has-text('multi-az')");
    await offline.waitForSelector(".topology[data-frame-at-ms]");
    await offline.fill("input.trials-input", "1");
    await offline.click("button.run-plan");
    await offline.waitForSelector(".plan-errors", { timeout: 30000 });
    const offlineError = await offline.textContent(".plan-errors");
    check("a planner module that does not download is said in the panel, with what to do",
        /The planner could not start.*press Plan again/.test(offlineError) && (await offline.locator("progress.plan-progress").count()) === 0, offlineError);
    check("…and the scenario stays on the canvas", (await offline.locator(".topology .node").count()) > 0);
    await offline.close();
} finally {
    server.close();
    await browser.close();
}
report.finish();
