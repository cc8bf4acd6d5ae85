// The mechanism on the canvas (issue 13), on the release build in headless Chromium:
// multi-az during its AZ outage shows the load balancer at "1/2 healthy" with api1's
// line unhealthy and api2's carrying the traffic, the AZ marked out, peer1 down for the
// AZ outage, peer connections, the legend (and its toggle), blocks travelling along the
// peer arcs, and the exported diagram with the same marks; inter-region-backup tells a
// cold standby from a restoring node and shows the vault's snapshots. Screenshots at
// 1280×720 and 1920×1080 go to artifacts/e2e/workshop-canvas-*.png.
import { readFile } from "node:fs/promises";
import { deflateRawSync } from "node:zlib";
import { join } from "node:path";
import { artifacts, launchChromium, Report, repoRoot } from "./harness.mjs";
import { serveDirectory } from "../../scripts/static-server.mjs";
import { benchNetwork } from "../../scripts/bench-network.mjs";

const report = new Report("e2e workshop-canvas");
const check = report.check.bind(report);

const browser = await launchChromium();
const { server, url } = await serveDirectory(join(repoRoot, "dist"), 0, "/");

async function scrubTo(page, seconds) {
    await page.$eval("input.time-scrubber", (input, value) => {
        input.value = String(value);
        input.dispatchEvent(new Event("input", { bubbles: true }));
    }, seconds);
    await page.waitForSelector(`.topology[data-frame-at-ms="${seconds * 1000}"]`, { timeout: 30000 });
}

const nodeSelector = (id) => `.canvas g.node[aria-label^="${id} ("]`;
const azGroup = (id) => `.canvas g.az[aria-label="AZ ${id}"]`;

async function newPage(width, height) {
    const context = await browser.newContext({ viewport: { width, height }, acceptDownloads: true });
    const page = await context.newPage();
    page.errors = [];
    page.on("pageerror", (error) => page.errors.push(String(error)));
    await page.goto(url);
    return page;
}

async function loadPreset(page, name) {
    await page.click(`button.preset-button:has-text('${name}')`);
    await page.waitForSelector(`.topology .scenario-name:has-text('${name}')`);
    await page.waitForSelector(".canvas g.node");
}

try {
    for (const [width, height] of [[1280, 720], [1920, 1080]]) {
        const page = await newPage(width, height);
        await loadPreset(page, "multi-az");
        const size = `${width}x${height}`;

        // Before the outage: both targets healthy, nothing out.
        await scrubTo(page, 60 * 60);
        const detailBefore = await page.textContent(".canvas .entry-point .entry-detail");
        check(`${size}: before the outage the load balancer says 2/2 healthy`, /^2\/2 healthy/.test(detailBefore ?? ""), detailBefore);
        check(`${size}: no AZ is out before the outage`, (await page.locator(".canvas g.az.out").count()) === 0);

        // 2h 30m: zone a is out for an hour from 2h.
        await scrubTo(page, 150 * 60);
        const detail = await page.textContent(".canvas .entry-point .entry-detail");
        check(`${size}: during the AZ outage the load balancer says 1/2 healthy`, /^1\/2 healthy/.test(detail ?? ""), detail);
        const api1Class = await page.getAttribute('.canvas .entry-target[data-node="api1"]', "class");
        const api2Class = await page.getAttribute('.canvas .entry-target[data-node="api2"]', "class");
        check(`${size}: api1's line has the unhealthy class`, /\bunhealthy\b/.test(api1Class ?? ""), api1Class);
        check(`${size}: api2's line carries the traffic`, /\bcarrying\b/.test(api2Class ?? ""), api2Class);
        const api1Stroke = await page.$eval('.canvas .entry-target[data-node="api1"] line', (line) => getComputedStyle(line).stroke);
        const api2Stroke = await page.$eval('.canvas .entry-target[data-node="api2"] line', (line) => getComputedStyle(line).stroke);
        check(`${size}: api1's line is drawn in the unhealthy colour`, api1Stroke === "rgb(213, 94, 0)", api1Stroke);
        check(`${size}: api2's line is drawn in the healthy colour`, api2Stroke === "rgb(0, 158, 115)", api2Stroke);
        const marks = await page.locator(".canvas .entry-mark").allTextContents();
        check(`${size}: the targets are marked ✕ and ✓ (not colour alone)`, marks.includes("✕") && marks.includes("✓"), marks.join(" "));
        const azClass = await page.getAttribute(azGroup("ap-northeast-1a"), "class");
        const azText = await page.textContent(`${azGroup("ap-northeast-1a")} text`);
        check(`${size}: the AZ that is out has the out mark`, /\bout\b/.test(azClass ?? "") && /✕ out/.test(azText ?? ""), `${azClass} / ${azText}`);
        check(`${size}: the AZ that is out is hatched`, (await page.locator('.canvas .out-hatch[data-az="ap-northeast-1a"]').count()) === 1);
        check(`${size}: the legend's swatches are not nodes or AZs`, (await page.locator(".canvas g.node").count()) === 5 && (await page.locator(".canvas g.az").count()) === 2);
        check(`${size}: the other AZ is not out`, !/\bout\b/.test((await page.getAttribute(azGroup("ap-northeast-1c"), "class")) ?? ""));
        const peer1 = await page.getAttribute(nodeSelector("peer1"), "class");
        const peer1Detail = await page.textContent(`${nodeSelector("peer1")} .node-detail`);
        check(`${size}: peer1 is down for the AZ outage`, /status-down/.test(peer1 ?? "") && peer1Detail === "AZ outage", `${peer1} / ${peer1Detail}`);
        check(`${size}: peer connections are drawn`, (await page.locator(".canvas .peer-link").count()) >= 1);
        const legendEntries = await page.locator(".canvas .canvas-legend .legend-entry").count();
        check(`${size}: the legend is on the canvas`, legendEntries >= 12, String(legendEntries));
        const legendText = await page.textContent(".canvas .canvas-legend");
        check(`${size}: the legend names cold standby, unhealthy targets and out`, /cold standby/.test(legendText) && /target unhealthy/.test(legendText) && /AZ \/ region out/.test(legendText), legendText);
        // The legend stands beside this wide drawing, clear of the regions.
        const legendBox = await page.locator(".canvas .canvas-legend rect.legend-box").boundingBox();
        const regionBox = await page.locator(".canvas g.region rect.region-box").first().boundingBox();
        check(`${size}: the legend stands beside the regions, not under them`, legendBox.x >= regionBox.x + regionBox.width && legendBox.y < regionBox.y + regionBox.height, JSON.stringify({ legendBox, regionBox }));
        // The AZ names are drawn again, with a halo, over the entry point's lines.
        const overlay = await page.$$eval(".canvas .label-overlay .overlay-label.az-name", (texts) => texts.map((text) => [text.textContent, getComputedStyle(text).stroke]));
        const names = await page.$$eval(".canvas g.az text.az-label", (texts) => texts.map((text) => text.textContent));
        check(`${size}: each AZ name is drawn again over the lines, with a white halo`, overlay.length === names.length && overlay.every(([text, stroke], index) => text === names[index] && stroke === "rgb(255, 255, 255)"), JSON.stringify({ overlay, names }));
        const overlayAfterLines = await page.evaluate(() => {
            const overlayGroup = document.querySelector(".canvas .label-overlay");
            const entry = document.querySelector(".canvas .entry-point");
            return Boolean(overlayGroup && entry && (entry.compareDocumentPosition(overlayGroup) & Node.DOCUMENT_POSITION_FOLLOWING));
        });
        check(`${size}: the names are painted after the entry point's lines`, overlayAfterLines);
        await page.locator(".canvas").scrollIntoViewIfNeeded();
        await page.screenshot({ path: join(artifacts, `workshop-canvas-az-outage-${width}.png`) });

        if (width === 1280) {
            await page.click("button.legend-toggle");
            check("the Legend button hides the legend", (await page.locator(".canvas .canvas-legend").count()) === 0);
            await page.click("button.legend-toggle");
            check("and shows it again", (await page.locator(".canvas .canvas-legend").count()) === 1);

            // Blocks travel along the peer arcs: playing, the dot layer is read in the
            // same animation frame that finds dots drawn on it (a slow machine's round
            // trips cannot miss a 600 ms trip): their pixels are in the legend's blue
            // and lie on the arcs below the nodes' bottom edges.
            await scrubTo(page, 20 * 60);
            await page.selectOption("select.speed-select", "10");
            await page.click("button.play-button");
            const travelling = await page.evaluate(() => new Promise((resolve) => {
                const sample = () => {
                    const layer = document.querySelector("canvas.canvas-dots");
                    const box = layer.getBoundingClientRect();
                    const { data, width, height } = layer.getContext("2d").getImageData(0, 0, layer.width, layer.height);
                    const scale = layer.width / box.width;
                    const lowestTop = Math.min(...[...document.querySelectorAll(".canvas g.node rect.node-box")].map((rect) => rect.getBoundingClientRect().bottom));
                    let blue = 0;
                    let aboveNodes = 0;
                    for (let y = 0; y < height; y += 1) {
                        for (let x = 0; x < width; x += 1) {
                            const at = (y * width + x) * 4;
                            if (data[at + 3] > 50 && data[at] < 30 && Math.abs(data[at + 1] - 114) < 30 && Math.abs(data[at + 2] - 178) < 30) {
                                blue += 1;
                                if (box.top + y / scale < lowestTop - 8) aboveNodes += 1;
                            }
                        }
                    }
                    return { drawn: Number(layer.getAttribute("data-dots-drawn")), blue, aboveNodes, size: [layer.width, layer.height] };
                };
                const started = performance.now();
                const look = () => {
                    const seen = Number(document.querySelector("canvas.canvas-dots")?.getAttribute("data-dots-drawn")) > 0 ? sample() : null;
                    if (seen && seen.blue > 0) resolve(seen);
                    else if (performance.now() - started > 15000) resolve(seen ?? { drawn: 0, blue: 0, timedOut: true });
                    else requestAnimationFrame(look);
                };
                requestAnimationFrame(look);
            }));
            await page.click("button.play-button");
            check("blocks travel along the peer arcs (on the dot layer, below the nodes, in the legend's blue)",
                travelling.drawn > 0 && travelling.blue > 0 && travelling.aboveNodes === 0, JSON.stringify(travelling));

            // Paused, each dot ends its 600 ms trip and the layer is cleared.
            await page.waitForTimeout(1000);
            const arrived = await page.evaluate(() => {
                const layer = document.querySelector("canvas.canvas-dots");
                const { data } = layer.getContext("2d").getImageData(0, 0, layer.width, layer.height);
                let painted = 0;
                for (let at = 3; at < data.length; at += 4) if (data[at] > 0) painted += 1;
                return { drawn: Number(layer.getAttribute("data-dots-drawn")), painted };
            });
            check("paused, the travelling blocks arrive and the layer is cleared", arrived.drawn === 0 && arrived.painted === 0, JSON.stringify(arrived));

            // Playing, dots keep coming (the drawing loop follows the run).
            await page.selectOption("select.speed-select", "100");
            await page.click("button.play-button");
            const seen = await page.evaluate(() => new Promise((resolve) => {
                let most = 0;
                const started = performance.now();
                const look = () => {
                    most = Math.max(most, Number(document.querySelector("canvas.canvas-dots").getAttribute("data-dots-drawn")));
                    if (performance.now() - started < 3000) setTimeout(look, 50); else resolve(most);
                };
                look();
            }));
            await page.click("button.play-button");
            check("playing, blocks keep travelling", seen > 0, String(seen));

            // The exported diagram carries the same marks.
            await scrubTo(page, 150 * 60);
            const [picture] = await Promise.all([page.waitForEvent("download"), page.click("button.export-diagram-svg")]);
            const svg = (await readFile(await picture.path())).toString();
            check("the exported diagram has the load balancer at 1/2 healthy", svg.includes(">Load balancer</text>") && svg.includes(">1/2 healthy · 0.2 tx/s</text>"));
            check("the exported diagram marks the AZ out and api1's line unhealthy", svg.includes("· ✕ out</text>") && svg.includes('<g class="entry-target unhealthy">'));
            check("the exported diagram has the legend", svg.includes(">cold standby</text>") && svg.includes(">peer connection</text>"));

            // Cold standby, then restoring from the vault's snapshot while the region is out.
            await loadPreset(page, "inter-region-backup");
            await scrubTo(page, 6 * 3600);
            const standby = await page.getAttribute(nodeSelector("dr-peer1"), "class");
            check("a cold standby is not drawn as down", /status-standby/.test(standby ?? "") && !/status-down/.test(standby ?? ""), standby);
            const vault = await page.textContent(".canvas .backup-vault .vault-detail");
            check("the vault shows its snapshots and the newest one's age", /^12 snapshots · newest .* old$/.test(vault ?? ""), vault);
            await scrubTo(page, 8 * 3600);
            const restoring = await page.getAttribute(nodeSelector("dr-peer1"), "class");
            const restoringDetail = await page.textContent(`${nodeSelector("dr-peer1")} .node-detail`);
            check("during the restore the standby says restoring, with the snapshot's age", /status-restoring/.test(restoring ?? "") && /^snapshot .* old$/.test(restoringDetail ?? ""), `${restoring} / ${restoringDetail}`);
            const region = await page.getAttribute('.canvas g.region[aria-label="Region ap-northeast-1"]', "data-out");
            check("the region that is out is marked", region === "true", region);
            const peer1Down = await page.textContent(`${nodeSelector("peer1")} .node-detail`);
            check("its nodes are down for the region outage", peer1Down === "region outage", peer1Down);
            await page.locator(".canvas").scrollIntoViewIfNeeded();
            await page.screenshot({ path: join(artifacts, "workshop-canvas-restoring-1280.png") });
        }
        check(`${size}: no page errors`, page.errors.length === 0, page.errors.join("; "));
        await page.context().close();
    }

    // Level of detail: a fitted 200-node network is drawn at about 0.3 screen pixels
    // per unit, where a node's status, detail and height lines would be 3 px high; it
    // shows names and status lines, no details or heights, and says how to read the
    // rest; zooming in brings the lines back. A preset keeps them (checked above).
    {
        const page = await newPage(1920, 1080);
        const network = benchNetwork({ name: "lod-200", nodes: 200, duration: "6h", outageAt: "1h", outageUntil: "2h" });
        await page.click("summary:has-text('Paste scenario JSON')");
        await page.fill("textarea.paste-input", JSON.stringify(network));
        await page.click("button.paste-load");
        await page.waitForSelector(".topology[data-frame-at-ms='0']", { timeout: 60000 });
        await page.waitForSelector(".canvas-tools .details-hidden", { timeout: 10000 }).catch(() => {});
        await page.waitForSelector(".canvas g.node-layer[data-nodes-drawn='200']", { timeout: 10000 }).catch(() => {});
        const far = await page.evaluate(() => ({
            nodes: document.querySelectorAll(".canvas g.node").length,
            names: document.querySelectorAll(".canvas g.node text.node-name").length,
            statuses: document.querySelectorAll(".canvas g.node text.node-status").length,
            details: document.querySelectorAll(".canvas g.node text.node-detail").length,
            heights: document.querySelectorAll(".canvas g.node text.node-heights").length,
            hint: document.querySelector(".canvas-tools .details-hidden")?.textContent ?? "",
        }));
        check("200 nodes fitted: names and status lines without details or heights, with a hint to zoom in",
            far.nodes === 200 && far.names === 200 && far.statuses === 200 && far.details === 0 && far.heights === 0 && /zoom in/.test(far.hint), JSON.stringify(far));
        for (let step = 0; step < 4; step++) {
            await page.click(".canvas-tools button.zoom-in");
        }
        await page.waitForSelector(".canvas g.node text.node-heights", { timeout: 10000 }).catch(() => {});
        const near = await page.evaluate(() => ({
            heights: document.querySelectorAll(".canvas g.node text.node-heights").length,
            first: document.querySelector(".canvas g.node text.node-heights")?.textContent ?? "",
            hint: document.querySelectorAll(".canvas-tools .details-hidden").length,
        }));
        // While playing, the fork view shows a newer frame at most every 200 ms (the
        // canvas every frame); paused, it shows the frame the canvas shows.
        await page.selectOption("select.speed-select", "1000");
        const refresh = await page.evaluate(() => new Promise((resolve) => {
            const topology = document.querySelector(".topology");
            let frames = 0;
            let forks = 0;
            const frameObserver = new MutationObserver(() => { frames += 1; });
            frameObserver.observe(topology, { attributes: true, attributeFilter: ["data-frame-at-ms"] });
            const forkObserver = new MutationObserver((records) => { if (records.some((record) => record.type === "childList")) forks += 1; });
            forkObserver.observe(document.querySelector(".fork-picture"), { childList: true });
            const started = performance.now();
            document.querySelector("button.play-button").click();
            setTimeout(() => {
                frameObserver.disconnect();
                forkObserver.disconnect();
                document.querySelector("button.play-button").click();
                resolve({ frames, forks, elapsedMs: Math.round(performance.now() - started) });
            }, 3000);
        }));
        check("playing at 1,000×, the fork view is redrawn at most every 200 ms while the canvas moves on",
            refresh.frames > 0 && refresh.forks >= 1 && refresh.forks <= Math.ceil(refresh.elapsedMs / 200) + 2, JSON.stringify(refresh));
        await page.waitForTimeout(400);
        const paused = await page.evaluate(() => {
            const best = Number(/best height (\d+)/.exec(document.querySelector(".time-label")?.textContent ?? "")?.[1] ?? -1);
            return { best, tip: `…${String(best % 10000).padStart(4, "0")}`, fork: document.querySelector(".fork-picture")?.textContent ?? "" };
        });
        check("paused, the fork view shows the canvas's moment (its best tip)", paused.best > 0 && paused.fork.includes(paused.tip),
            JSON.stringify({ best: paused.best, tip: paused.tip, fork: paused.fork.slice(0, 200) }));
        check("zoomed in, every node shows its heights again and the hint is gone",
            near.heights === 200 && /^h \d+/.test(near.first) && near.hint === 0, JSON.stringify(near));
        check("level of detail: no page errors", page.errors.length === 0, page.errors.join("; "));
        await page.context().close();
    }

    // A large drawing opened from a share link brings its layers a main-thread task
    // apart (issue 13: no task over 100 ms): its boxes and first nodes, then the entry
    // point's lines, then the peer connections, then the legend; each is there in the
    // end, with every target's line.
    {
        const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
        const page = await context.newPage();
        page.errors = [];
        page.on("pageerror", (error) => page.errors.push(String(error)));
        await page.addInitScript(() => {
            // Which mutation batch (one per task that changed the page) first showed each layer.
            window.__layers = {};
            let batch = 0;
            new MutationObserver(() => {
                batch += 1;
                for (const [name, selector] of [["nodes", "svg.canvas g.node"], ["entry", "svg.canvas g.entry-point"],
                    ["peers", "svg.canvas g.peer-links"], ["legend", "svg.canvas g.canvas-legend"]]) {
                    if (window.__layers[name] === undefined && document.querySelector(selector)) window.__layers[name] = batch;
                }
            }).observe(document, { childList: true, subtree: true });
        });
        const network = benchNetwork({ name: "layers-300", nodes: 300, duration: "1d", outageAt: "1h", outageUntil: "2h" });
        const fragment = `s=1.${deflateRawSync(Buffer.from(JSON.stringify(network))).toString("base64url")}`;
        await page.goto(`${url}#${fragment}`);
        await page.waitForSelector(".canvas g.node-layer[data-nodes-drawn='300']", { timeout: 60000 });
        await page.waitForSelector("svg.canvas g.canvas-legend", { timeout: 10000 }).catch(() => {});
        const layers = await page.evaluate(() => ({
            order: window.__layers,
            apiNodes: document.querySelectorAll(".canvas g.node.role-api").length,
            entryLines: document.querySelectorAll(".canvas .entry-point line.entry-line").length,
            zoneLinks: document.querySelectorAll(".canvas g.peer-links g.peer-zone-link").length,
            legend: document.querySelectorAll(".canvas g.canvas-legend").length,
        }));
        const { nodes, entry, peers, legend } = layers.order;
        check("300 nodes from a link: the entry point, the peer connections and the legend each come a task after the one before, after the first nodes",
            nodes > 0 && entry > nodes && peers > entry && legend > peers, JSON.stringify(layers.order));
        check("300 nodes from a link: in the end every layer is drawn, with a line to every API node",
            layers.apiNodes > 0 && layers.entryLines === layers.apiNodes && layers.zoneLinks > 0 && layers.legend === 1, JSON.stringify(layers));
        check("layers: no page errors", page.errors.length === 0, page.errors.join("; "));
        await context.close();
    }
} finally {
    server.close();
    await browser.close();
}
report.finish();
