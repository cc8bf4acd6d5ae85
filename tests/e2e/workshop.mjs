// The workshop, end to end, on the release build in real headless Chromium: load
// multi-az, add a PEER to the second AZ, run, take the first AZ down from its context
// menu, see the fork view and the charts change, open the planner and read RTO/RPO
// for every strategy. Then the rest of drawing and breaking (drag between AZs, undo,
// multi-select, partition tool, rename, refused values, zoom, Gantt drag, link menu),
// pictures that carry their scenario, reduced motion, a 200-node scenario's frame rate,
// and the planner's numbers against `catapult-dr plan` for the exported file.
// Screenshots go to artifacts/e2e/workshop-*.png.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { artifacts, launchChromium, Report, repoRoot } from "./harness.mjs";
import { serveDirectory } from "../../scripts/static-server.mjs";

const report = new Report("e2e workshop");
const check = report.check.bind(report);
const cli = ["target/debug/catapult-dr", "target/release/catapult-dr"].map((path) => join(repoRoot, path)).find(existsSync);

const browser = await launchChromium();
const { server, url } = await serveDirectory(join(repoRoot, "dist"), 0, "/workshop/");
const shot = (page, name) => page.screenshot({ path: join(artifacts, `workshop-${name}.png`), fullPage: true });

async function scrubTo(page, seconds) {
    await page.$eval("input.time-scrubber", (input, value) => {
        input.value = String(value);
        input.dispatchEvent(new Event("input", { bubbles: true }));
    }, seconds);
    await page.waitForSelector(`.topology[data-frame-at-ms="${seconds * 1000}"]`, { timeout: 30000 });
}

const nodeSelector = (id) => `.canvas g.node[aria-label^="${id} ("]`;
const azLabel = (id) => `.canvas g.az[aria-label="AZ ${id}"] text`;
const chartText = (page, name) => page.$eval(`.chart-${name} svg`, (svg) => svg.outerHTML);

async function newPage(options = {}) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, acceptDownloads: true, ...options });
    const page = await context.newPage();
    page.errors = [];
    page.on("pageerror", (error) => page.errors.push(String(error)));
    return page;
}

try {
    // ---- The workshop ------------------------------------------------------------
    const page = await newPage();
    const started = Date.now();
    await page.goto(url);
    await page.waitForSelector(".product-name");
    const firstRenderMs = Date.now() - started;
    console.log(`# first render: ${firstRenderMs} ms after navigation (target: 1,000 ms)`);
    check("the first render comes quickly", firstRenderMs < 5000, `${firstRenderMs} ms`);

    await page.click("button.preset-button:has-text('multi-az')");
    await page.waitForSelector(".canvas g.node");
    check("multi-az loads with five nodes", (await page.locator(".canvas g.node").count()) === 5);
    await page.click(azLabel("ap-northeast-1c"));
    await page.waitForSelector(".inspector h3:has-text('Availability zone ap-northeast-1c')");
    await page.click("button.add-peer");
    await page.waitForSelector(nodeSelector("peer4"));
    check("+ PEER adds peer4 to the selected (second) AZ and selects it",
        (await page.locator(".canvas g.node").count()) === 6 && /Node peer4/.test(await page.textContent(".inspector h3")));
    const inAz = async (node, az) => {
        const box = await page.locator(nodeSelector(node)).boundingBox();
        const area = await page.locator(`.canvas g.az[aria-label="AZ ${az}"] rect`).boundingBox();
        return box.x >= area.x && box.x + box.width <= area.x + area.width + 1;
    };
    check("peer4 sits in AZ ap-northeast-1c", await inAz("peer4", "ap-northeast-1c"));
    await shot(page, "1-added-peer");

    await page.click("button.run-button");
    await page.waitForSelector(".run-summary", { timeout: 30000 });
    check("run shows the summary with peer4 in it", /peer4/.test(await page.textContent(".run-summary")));
    await page.waitForSelector(".charts .chart-api-availability svg", { timeout: 30000 });
    const apiBefore = await chartText(page, "api-availability");
    const heightBefore = await chartText(page, "height");
    await scrubTo(page, 45 * 60);
    const forkBefore = await page.$eval(".fork-picture svg", (svg) => svg.outerHTML);

    // Take the first AZ down from its context menu at 30 minutes.
    await scrubTo(page, 30 * 60);
    await page.click(azLabel("ap-northeast-1a"), { button: "right" });
    await page.waitForSelector(".context-menu");
    await shot(page, "2-context-menu");
    // The menu has the focus; the arrow keys walk its actions.
    const focused = () => page.evaluate(() => document.activeElement?.className ?? "");
    check("the opened menu takes the focus", /menu-item/.test(await focused()), await focused());
    await page.keyboard.press("ArrowDown");
    check("↓ moves to the next action", /menu-partition/.test(await focused()), await focused());
    await page.keyboard.press("ArrowUp");
    check("↑ moves back", /menu-az_outage/.test(await focused()), await focused());
    await page.click(".context-menu .menu-az_outage");
    await page.waitForFunction(() => /30m 00s → 1h 00m 00s: az_outage ap-northeast-1a/.test(document.querySelector(".fault-list")?.textContent ?? ""));
    check("the AZ outage lands on the fault list and the Gantt timeline",
        (await page.locator(".fault-timeline .fault-az_outage").count()) === 2);
    await page.waitForFunction((before) => {
        const svg = document.querySelector(".chart-api-availability svg");
        return svg && svg.outerHTML !== before;
    }, apiBefore, { timeout: 30000 });
    check("the API availability chart changes with the outage", true);
    check("the height chart changes with the outage", (await chartText(page, "height")) !== heightBefore);
    await scrubTo(page, 45 * 60);
    const forkAfter = await page.$eval(".fork-picture svg", (svg) => svg.outerHTML);
    check("the fork view changes: the AZ's nodes are stuck at their old tips", forkAfter !== forkBefore);
    const peer1 = await page.getAttribute(nodeSelector("peer1"), "class");
    check("peer1 shows down during the outage", /status-(down|starting)/.test(peer1 ?? ""), peer1);
    const log = await page.locator(".event-log li").allTextContents();
    check("the event log tells the outage", log.some((line) => /az_outage ap-northeast-1a/.test(line)), log.join(" | "));
    await shot(page, "3-az-down");

    // The planner.
    await page.fill("input.trials-input", "3");
    await page.click("button.run-plan");
    await page.waitForSelector(".plan-matrix .matrix-cell", { timeout: 120000 });
    const rows = await page.$$eval(".plan-table tbody tr", (trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent)));
    const strategies = [...new Set(rows.map((row) => row[0]))];
    check(`the planner gives RTO and RPO for every strategy (${strategies.join(", ")})`,
        strategies.length === 4 && rows.every((row) => row[2].length > 0 && row[3].length > 0), JSON.stringify(rows.slice(0, 3)));
    for (const row of rows.filter((row) => row[1] === "az")) console.log(`# ${row.join(" ; ")}`);
    check("a bar chart of RTO and RPO per strategy for each failure kind", (await page.locator(".plan-chart svg").count()) === 6);
    check("the strategy × failure matrix has a cell per row of the table", (await page.locator(".plan-matrix .matrix-cell").count()) === rows.length, String(rows.length));
    await page.locator(".plan-charts").scrollIntoViewIfNeeded();
    await shot(page, "4-planner");

    // The app's numbers are the command line's for the exported file.
    const [csvDownload] = await Promise.all([page.waitForEvent("download"), page.click("button.plan-csv")]);
    const appCsv = (await readFile(await csvDownload.path(), "utf8")).trim();
    const [jsonDownload] = await Promise.all([page.waitForEvent("download"), page.click("button.export-button")]);
    const exported = join(artifacts, "workshop-exported.json");
    await writeFile(exported, await readFile(await jsonDownload.path()));
    check("the command line is built", Boolean(cli), "run cargo build first");
    if (cli) {
        const cliCsv = execFileSync(cli, ["plan", exported, "--trials", "3", "--csv"]).toString().trim();
        check("catapult-dr plan on the exported JSON gives exactly the app's table", cliCsv === appCsv, `${cliCsv.split("\n")[1]} vs ${appCsv.split("\n")[1]}`);
    }

    // ---- Drawing ---------------------------------------------------------------------
    // Drag peer4 onto the first AZ, then undo.
    await page.locator("svg.canvas").scrollIntoViewIfNeeded();
    const from = await page.locator(nodeSelector("peer4")).boundingBox();
    const to = await page.locator(azLabel("ap-northeast-1a")).boundingBox();
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    for (let step = 1; step <= 10; step += 1) {
        await page.mouse.move(from.x + from.width / 2 + (to.x + 20 - from.x - from.width / 2) * step / 10, from.y + from.height / 2 + (to.y + 5 - from.y - from.height / 2) * step / 10);
    }
    await page.mouse.up();
    await page.waitForFunction(() => document.querySelector(".undo-button") && !document.querySelector(".undo-button").disabled);
    await page.waitForTimeout(200);
    check("dragging peer4 onto the first AZ moves it there", await inAz("peer4", "ap-northeast-1a"));
    await page.locator("body").press("Control+z");
    await page.waitForTimeout(200);
    check("Ctrl+Z puts it back", await inAz("peer4", "ap-northeast-1c"));

    // Multi-select and the partition tool.
    await page.click(nodeSelector("peer1"));
    await page.click(nodeSelector("peer2"), { modifiers: ["Shift"] });
    await page.waitForSelector(".inspector h3:has-text('2 selected (2 nodes)')");
    check("Shift+click selects several nodes", (await page.locator(".canvas g.node.selected").count()) === 2);
    await page.click("button.partition-selection");
    await page.waitForFunction(() => /partition/.test(document.querySelector(".fault-list")?.textContent ?? ""));
    check("the partition tool splits the selection from the rest", /partition/.test(await page.textContent(".fault-list")));
    await page.waitForSelector(".canvas g.az.partitioned", { timeout: 30000 });
    check("the canvas marks the AZs the partition cuts", /partitioned/.test(await page.textContent(".canvas g.az.partitioned")));

    // Rename in the inspector; a bad stake is refused where it was typed.
    await page.click(nodeSelector("peer3"));
    await page.fill(".node-name-field input", "peer-tokyo-3");
    await page.press(".node-name-field input", "Enter");
    await page.waitForSelector(nodeSelector("peer-tokyo-3"));
    check("renaming in the inspector renames the node", (await page.locator(nodeSelector("peer3")).count()) === 0);
    await page.fill(".node-stake input", "lots");
    await page.press(".node-stake input", "Enter");
    await page.waitForSelector(".field-error");
    check("an invalid stake is refused in place with a message", /not a whole number/.test(await page.textContent(".field-error")));
    check("the refused value stays in the field", (await page.inputValue(".node-stake input")) === "lots");
    // A click on the empty canvas clears the selection: the inspector shows the chain.
    await page.locator("svg.canvas").scrollIntoViewIfNeeded();
    const canvasBox = await page.locator("svg.canvas").boundingBox();
    await page.mouse.click(canvasBox.x + canvasBox.width - 8, canvasBox.y + 8);
    await page.waitForSelector(".inspector h3:has-text('Scenario parameters')");
    await page.fill(".parameter-block_time input", "0s");
    await page.press(".parameter-block_time input", "Enter");
    await page.waitForSelector(".inspector .edit-errors");
    check("an invalid chain parameter is refused with its path", /chain\.block_time/.test(await page.textContent(".inspector .edit-errors")), await page.textContent(".inspector .edit-errors"));

    // The clients' entry point and the backup vault, from the inspector.
    await page.selectOption("select.entry-kind", "dns_failover");
    await page.waitForSelector(".canvas .entry-point:has-text('DNS failover')");
    check("the entry point switches to DNS failover on the canvas", true);
    await page.click("button.add-backup");
    await page.waitForSelector(".canvas .backup-vault");
    await page.fill(".backup-interval input", "1h");
    await page.press(".backup-interval input", "Enter");
    await page.waitForSelector(".canvas .backup-vault:has-text('every 1h')");
    check("a backup vault is added and its interval edited", true);

    // Zoom.
    const viewBefore = await page.getAttribute("svg.canvas", "viewBox");
    await page.click("button.zoom-in");
    check("zoom in narrows the view", (await page.getAttribute("svg.canvas", "viewBox")) !== viewBefore);
    await page.click("button.zoom-fit");

    // The Gantt timeline: drag the first bar to the right (once the page is still).
    await page.waitForSelector(".charts:not(.stale)", { timeout: 30000 });
    await page.locator(".fault-timeline").scrollIntoViewIfNeeded();
    const listBefore = await page.textContent(".fault-list");
    const bar = await page.locator(".fault-timeline .fault-bar .fault-body").first().boundingBox();
    await page.mouse.move(bar.x + bar.width / 2, bar.y + bar.height / 2);
    await page.mouse.down();
    await page.mouse.move(bar.x + bar.width / 2 + 40, bar.y + bar.height / 2, { steps: 5 });
    await page.mouse.up();
    await page.waitForFunction((before) => document.querySelector(".fault-list")?.textContent !== before, listBefore);
    check("dragging a bar on the fault timeline moves the fault", true);
    await shot(page, "5-drawn");

    // Many changes: the replay worker is renewed (it keeps every scenario it was sent)
    // and frames keep coming.
    const isReplay = (worker) => worker.url().endsWith("app-worker.js?role=replay");
    // Two: one draws the frames, the other runs the whole run (charts, markers,
    // summary), so a frame never waits behind a whole run.
    const firstWorkers = page.workers().filter(isReplay);
    await page.locator("svg.canvas").scrollIntoViewIfNeeded();
    const emptyCanvas = await page.locator("svg.canvas").boundingBox();
    await page.mouse.click(emptyCanvas.x + emptyCanvas.width - 8, emptyCanvas.y + 8);
    await page.waitForSelector(".parameter-seed input");
    for (let seed = 100; seed < 145; seed += 1) {
        await page.fill(".parameter-seed input", String(seed));
        await page.press(".parameter-seed input", "Enter");
        await page.waitForFunction((value) => document.querySelector(".parameter-seed input")?.value === value, String(seed));
    }
    await scrubTo(page, 50 * 60);
    const replayWorkers = page.workers().filter(isReplay);
    check("two replay workers, for frames and for whole runs, and after 45 changes both are fresh ones",
        firstWorkers.length === 2 && replayWorkers.length === 2 && replayWorkers.every((worker) => !firstWorkers.includes(worker)),
        `${firstWorkers.length} then ${replayWorkers.length}`);
    check("no page errors in the workshop", page.errors.length === 0, page.errors.join("; "));

    // ---- Links ----------------------------------------------------------------------
    await page.click("button.preset-button:has-text('active-active')");
    await page.waitForSelector(".canvas .link-badge");
    await scrubTo(page, 10 * 60);
    await page.click(".canvas .link-badge", { button: "right" });
    await page.click(".context-menu .menu-degrade");
    await page.waitForFunction(() => /degrade/.test(document.querySelector(".fault-list")?.textContent ?? ""));
    await scrubTo(page, 15 * 60);
    check("degrading the inter-region link from its menu shows it degraded", /degraded/.test(await page.textContent(".canvas .link-badge")), await page.textContent(".canvas .link-badge"));

    // ---- Pictures carry their scenario -------------------------------------------
    let svgWidth = 0;
    for (const kind of ["svg", "png"]) {
        await page.click("button.preset-button:has-text('seed-fork')");
        await page.waitForSelector(".topology .scenario-name:has-text('seed-fork')");
        await page.waitForSelector(".export-diagram-" + kind);
        const [picture] = await Promise.all([page.waitForEvent("download"), page.click(`button.export-diagram-${kind}`)]);
        const saved = join(artifacts, `workshop-diagram.${kind}`);
        await writeFile(saved, await readFile(await picture.path()));
        const bytes = await readFile(saved);
        check(`the diagram exports as ${kind.toUpperCase()}`, kind === "svg" ? bytes.toString().includes("<metadata>") : bytes.subarray(1, 4).toString() === "PNG");
        if (kind === "svg") svgWidth = Number(/<svg[^>]*\swidth="([0-9.]+)"/.exec(bytes.toString())?.[1]);
        else check("the PNG is the whole diagram, drawn at twice its size", bytes.readUInt32BE(16) === Math.round(svgWidth) * 2, `${bytes.readUInt32BE(16)} vs ${svgWidth}`);
        await page.click("button.preset-button:has-text('single-az')");
        await page.waitForSelector(".topology .scenario-name:has-text('single-az')");
        await page.setInputFiles("input.import-input", saved);
        await page.waitForSelector(".topology .scenario-name:has-text('seed-fork')");
        check(`importing the ${kind.toUpperCase()} picture restores its scenario`, true);
        if (cli) {
            const extracted = execFileSync(cli, ["extract", saved]).toString();
            check(`catapult-dr extract reads the ${kind.toUpperCase()} picture`, JSON.parse(extracted).name === "seed-fork");
        }
    }
    await page.context().close();

    // ---- Motion --------------------------------------------------------------------
    for (const motion of ["no-preference", "reduce"]) {
        const moving = await newPage({ reducedMotion: motion });
        await moving.goto(url);
        await moving.click("button.preset-button:has-text('multi-az')");
        await moving.waitForSelector(".canvas g.node");
        await moving.selectOption("select.speed-select", "100");
        await moving.click("button.play-button");
        let dots = 0;
        for (let probe = 0; probe < 30; probe += 1) {
            await moving.waitForTimeout(100);
            dots = Math.max(dots, Number(await moving.getAttribute("canvas.canvas-dots", "data-dots-drawn")));
        }
        await moving.click("button.play-button");
        if (motion === "reduce") check("with reduced motion, blocks simply appear (no travelling dots)", dots === 0, String(dots));
        else check("blocks visibly travel along links while playing", dots > 0, String(dots));
        await moving.context().close();
    }

    // ---- No worker -------------------------------------------------------------------
    // A replay worker that cannot load: the page answers itself and still draws.
    {
        const lonely = await newPage();
        await lonely.route((address) => address.href.endsWith("app-worker.js?role=replay"), (route) => route.fulfill({ status: 404, body: "" }));
        await lonely.goto(url);
        await lonely.click("button.preset-button:has-text('seed-fork')");
        await scrubTo(lonely, 35 * 60);
        await lonely.waitForSelector(".charts .chart-height svg", { timeout: 30000 });
        const peer2 = await lonely.getAttribute(nodeSelector("peer2"), "class");
        check("without the replay worker the page draws frames and charts itself", /status-isolated/.test(peer2 ?? ""), peer2);
        check("no page errors without the replay worker", lonely.errors.length === 0, lonely.errors.join("; "));
        await lonely.context().close();
    }

    // ---- 200 nodes -------------------------------------------------------------------
    if (cli) {
        const big = JSON.parse(execFileSync(cli, ["preset", "multi-az"]).toString());
        big.name = "two-hundred-nodes";
        big.duration = "6h";
        let made = 0;
        for (const region of big.regions) for (const az of region.azs) made += az.nodes.length;
        for (let index = 0; made < 200; index += 1, made += 1) {
            const az = big.regions[0].azs[index % big.regions[0].azs.length];
            az.nodes.push({ id: `bulk${index}`, role: "PEER", stake: 1 });
        }
        const heavy = await newPage();
        await heavy.goto(url);
        await heavy.click("summary:has-text('Paste scenario JSON')");
        await heavy.fill("textarea.paste-input", JSON.stringify(big));
        const loadStarted = Date.now();
        await heavy.click("button.paste-load");
        await heavy.waitForSelector(".topology[data-frame-at-ms='0']", { timeout: 30000 });
        console.log(`# 200 nodes: first frame ${Date.now() - loadStarted} ms after load`);
        // Many nodes are drawn a batch per main-thread task (src/ui/progressive.rs).
        await heavy.waitForSelector(".canvas g.node-layer[data-nodes-drawn='200']", { timeout: 10000 }).catch(() => {});
        check("a 200-node scenario loads and draws", (await heavy.locator(".canvas g.node").count()) === 200);
        await heavy.selectOption("select.speed-select", "10000");
        await heavy.evaluate(() => {
            window.__longest = 0;
            new PerformanceObserver((list) => { for (const entry of list.getEntries()) window.__longest = Math.max(window.__longest, entry.duration); }).observe({ type: "longtask", buffered: false });
        });
        await heavy.click("button.play-button");
        const fps = await heavy.evaluate(() => new Promise((resolve) => {
            let frames = 0;
            const start = performance.now();
            const tick = (now) => { frames += 1; if (now - start < 3000) requestAnimationFrame(tick); else resolve(frames * 1000 / (now - start)); };
            requestAnimationFrame(tick);
        }));
        const advanced = await heavy.getAttribute(".topology", "data-frame-at-ms");
        await heavy.click("button.play-button");
        const longest = await heavy.evaluate(() => window.__longest);
        console.log(`# 200 nodes playing at 10,000×: ${fps.toFixed(1)} frames per second (target: about 60), longest main-thread task ${longest.toFixed(0)} ms (target: 100 ms), canvas reached ${advanced} ms`);
        check("a 200-node scenario animates without freezing the page", fps > 10 && Number(advanced) > 0, `${fps.toFixed(1)} fps`);
        await heavy.screenshot({ path: join(artifacts, "workshop-6-two-hundred-nodes.png") });
        check("no page errors with 200 nodes", heavy.errors.length === 0, heavy.errors.join("; "));
        await heavy.context().close();
    }
} finally {
    server.close();
    await browser.close();
}
report.finish();
