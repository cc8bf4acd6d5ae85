// Benchmark (not a test): what the first page load downloads, gzipped, against the
// 500 KB budget of issue 14. Loads the Trunk release build in headless Chromium, waits
// until it has loaded the multi-az preset, drawn its first frame and gone quiet, and adds up every file it
// requested (each file of dist/ gzipped at level 9, as a static host would send it).
// Then opens the planner and runs a tiny plan, to show what planning adds on top.
// Run by scripts/bench.sh after `trunk build --release`; or `node scripts/download-budget.mjs`.
import { readFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { launchChromium, repoRoot } from "../tests/e2e/harness.mjs";
import { serveDirectory } from "./static-server.mjs";

const BUDGET_BYTES = 500 * 1000;
const dist = join(repoRoot, "dist");
const browser = await launchChromium();
const { server, url } = await serveDirectory(dist, 0, "/");

/// The gzipped size of a dist file named by its URL path.
async function gzippedBytes(path) {
    const file = decodeURIComponent(new URL(path).pathname).replace(/^\//, "") || "index.html";
    const bytes = await readFile(join(dist, file));
    return gzipSync(bytes, { level: 9 }).length;
}

function table(title, sizes) {
    const total = [...sizes.values()].reduce((sum, bytes) => sum + bytes, 0);
    console.log(title);
    for (const [path, bytes] of [...sizes.entries()].sort((a, b) => b[1] - a[1])) {
        console.log(`  ${(bytes / 1000).toFixed(1).padStart(7)} KB  ${new URL(path).pathname}`);
    }
    return total;
}

try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const requested = new Set();
    context.on("request", (request) => {
        if (request.url().startsWith(url)) requested.add(request.url().split("#")[0].split("?")[0]);
    });
    const page = await context.newPage();
    await page.goto(url);
    await page.click("button.preset-button:has-text('multi-az')", { timeout: 60000 });
    await page.waitForSelector(".topology[data-frame-at-ms]", { timeout: 60000 });
    await page.waitForLoadState("networkidle");
    await page.waitForTimeout(1000);
    const first = new Map();
    for (const path of requested) first.set(path, await gzippedBytes(path));
    const total = table("first page load (gzipped, level 9):", first);
    console.log(
        `first page load: ${(total / 1000).toFixed(1)} KB gzipped; budget ${BUDGET_BYTES / 1000} KB: ${total <= BUDGET_BYTES ? "met" : "MISSED"}`,
    );

    await page.waitForSelector("button.run-plan");
    await page.fill("input.trials-input", "1");
    await page.click("button.run-plan");
    await page.waitForSelector(".plan-matrix", { timeout: 600000 });
    await page.waitForLoadState("networkidle");
    const added = new Map();
    for (const path of requested) if (!first.has(path)) added.set(path, await gzippedBytes(path));
    const extra = table("planning adds (gzipped):", added);
    console.log(`planning adds ${(extra / 1000).toFixed(1)} KB gzipped (not part of the first-load budget)`);
} finally {
    await browser.close();
    server.close();
}
