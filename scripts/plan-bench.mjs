// Benchmark (not a test): the whole default plan of the multi-az preset in the browser,
// the Trunk release build in headless Chromium, timed from the Plan click until the
// matrix shows. The native counterpart is `cargo bench --bench planner`. Prints the
// figure; asserts nothing about time. Run by scripts/bench.sh after `trunk build --release`.
import { join } from "node:path";
import { launchChromium, repoRoot } from "../tests/e2e/harness.mjs";
import { serveDirectory } from "./static-server.mjs";

const trials = Number(process.env.PLAN_TRIALS || 100);
const browser = await launchChromium();
const { server, url } = await serveDirectory(join(repoRoot, "dist"), 0, "/");
try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(url);
    await page.click("button.preset-button:has-text('multi-az')");
    await page.waitForSelector("button.run-plan");
    await page.fill("input.trials-input", String(trials));
    const started = Date.now();
    await page.click("button.run-plan");
    await page.waitForSelector(".plan-matrix", { timeout: 60 * 60 * 1000 });
    const seconds = (Date.now() - started) / 1000;
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    console.log(`default plan of the multi-az preset in the browser: 24 cells × ${trials} trials in ${seconds.toFixed(1)} s (navigator.hardwareConcurrency ${cores})`);
} finally {
    await browser.close();
    server.close();
}
