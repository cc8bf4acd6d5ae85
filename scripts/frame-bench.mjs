// Benchmark (not a test): issue 13's "smooth at scale". A generated 200-node network
// over 3 regions (3 AZs each, one node in five API behind a load balancer, an AZ outage
// at 1 h), 24 simulated hours, played at 1,000× for at least 12 s of wall time in the
// Trunk release build in headless Chromium. Prints:
//   - frames per second counting only frames whose shown moment changed (target ≥ 50),
//   - the longest main-thread task and how many were over 50 ms (target: none), counted
//     from the Play click (the page fully drawn and left a second to settle first),
//   - how long the Pause click takes to be answered (target ≤ 100 ms).
// Run by scripts/bench.sh after `trunk build --release`; or `node scripts/frame-bench.mjs`.
import { join } from "node:path";
import { launchChromium, repoRoot } from "../tests/e2e/harness.mjs";
import { serveDirectory } from "./static-server.mjs";
import { benchNetwork } from "./bench-network.mjs";

const PLAY_MS = 12000;
const scenario = benchNetwork({ name: "frame-bench-200", nodes: 200, duration: "24h", outageAt: "1h", outageUntil: "2h" });

const browser = await launchChromium();
const { server, url } = await serveDirectory(join(repoRoot, "dist"), 0, "/");
try {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    page.on("pageerror", (error) => console.log("page error:", String(error)));
    await page.goto(url);
    await page.click("summary:has-text('Paste scenario JSON')");
    await page.fill("textarea.paste-input", JSON.stringify(scenario));
    const loadStarted = Date.now();
    await page.click("button.paste-load");
    await page.waitForSelector(".topology[data-frame-at-ms='0']", { timeout: 60000 });
    console.log(`200 nodes over 3 regions: first frame ${Date.now() - loadStarted} ms after load`);
    // Every node drawn (the canvas draws them in batches of its own), then a moment for
    // the page to settle: loading is measured by limits-load-bench.mjs, this measures
    // playing. Long tasks are recorded from here with their start times; only those that
    // start after Play is clicked count, and any before it are printed apart.
    await page.waitForSelector(".canvas g.node-layer[data-nodes-drawn='200']", { timeout: 60000 });
    await page.selectOption("select.speed-select", "1000");
    await page.evaluate(() => {
        window.__tasks = [];
        new PerformanceObserver((list) => { for (const entry of list.getEntries()) window.__tasks.push({ at: entry.startTime, duration: entry.duration }); })
            .observe({ type: "longtask", buffered: false });
    });
    await page.waitForTimeout(1000);
    const playClickedAt = await page.evaluate(() => performance.now());
    await page.click("button.play-button");
    const result = await page.evaluate((playMs) => new Promise((resolve) => {
        const topology = document.querySelector(".topology");
        let last = topology.getAttribute("data-frame-at-ms");
        let changed = 0;
        let frames = 0;
        const start = performance.now();
        const tick = (now) => {
            frames += 1;
            const shown = document.querySelector(".topology")?.getAttribute("data-frame-at-ms");
            if (shown !== last) { changed += 1; last = shown; }
            if (now - start < playMs) requestAnimationFrame(tick);
            else resolve({ seconds: (now - start) / 1000, frames, changed, reached: Number(last) });
        };
        requestAnimationFrame(tick);
    }), PLAY_MS);
    const pause = await page.evaluate(() => new Promise((resolve) => {
        const button = document.querySelector("button.play-button");
        const started = performance.now();
        const observer = new MutationObserver(() => {
            if (button.textContent.trim() === "Play") { observer.disconnect(); resolve(performance.now() - started); }
        });
        observer.observe(button, { childList: true, subtree: true, characterData: true });
        button.click();
    }));
    const recorded = await page.evaluate(() => window.__tasks);
    const before = recorded.filter((task) => task.at < playClickedAt);
    const tasks = recorded.filter((task) => task.at >= playClickedAt).map((task) => task.duration);
    if (before.length > 0) {
        console.log(`before Play (not counted): main-thread tasks of ${before.map((task) => `${task.duration.toFixed(0)} ms`).join(", ")}`);
    }
    const longest = tasks.reduce((most, duration) => Math.max(most, duration), 0);
    const over = tasks.filter((duration) => duration > 50).length;
    const fps = result.changed / result.seconds;
    console.log(
        `200 nodes playing at 1,000× for ${result.seconds.toFixed(1)} s: ${fps.toFixed(1)} frames/s whose moment changed ` +
        `(${result.frames} animation frames, ${result.changed} with a new moment; target ≥ 50: ${fps >= 50 ? "met" : "MISSED"}), ` +
        `reached ${(result.reached / 3600000).toFixed(2)} simulated hours`,
    );
    console.log(`longest main-thread task ${longest.toFixed(0)} ms, ${over} over 50 ms (target: none: ${over === 0 ? "met" : "MISSED"})`);
    console.log(`pause answered in ${pause.toFixed(0)} ms (target ≤ 100 ms: ${pause <= 100 ? "met" : "MISSED"})`);
} finally {
    await browser.close();
    server.close();
}
