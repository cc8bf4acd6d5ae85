// A look at the app as a person sees it (not a test): loads a preset, plays a while,
// takes screenshots at 1280×720, 1920×1080 and 3840×2160 into artifacts/e2e/look-*.png.
// With --planner it plans instead (3 trials, an AZ target) and shows the planner panel
// with the region-loss cell of inter-region-backup selected: look-planner-*.png.
// Usage: node scripts/look.mjs [preset] [seconds] [--planner]
import { join } from "node:path";
import { artifacts, launchChromium, repoRoot } from "../tests/e2e/harness.mjs";
import { serveDirectory } from "./static-server.mjs";

const planner = process.argv.includes("--planner");
const positional = process.argv.slice(2).filter((argument) => argument !== "--planner");
const preset = positional[0] ?? "multi-az";
const seconds = Number(positional[1] ?? 2400);
const browser = await launchChromium();
const { server, url } = await serveDirectory(join(repoRoot, "dist"), 0, "/");
try {
    for (const [width, height] of [[1280, 720], [1920, 1080], [3840, 2160]]) {
        const page = await browser.newPage({ viewport: { width, height } });
        page.on("pageerror", (error) => console.log("page error:", String(error)));
        page.on("console", (message) => { if (message.type() === "error") console.log("console:", message.text()); });
        await page.goto(url);
        await page.click(`button.preset-button:has-text('${preset}')`);
        if (planner) {
            await page.fill('input.target-rto[data-failure="az"]', "5m");
            await page.fill('input.target-rpo[data-failure="az"]', "1m");
            await page.fill("input.trials-input", "3");
            await page.click("button.run-plan");
            await page.waitForSelector(".plan-matrix", { timeout: 120000 });
            const cell = '.matrix-cell[data-strategy="inter-region-backup"][data-failure="region"]';
            if (await page.locator(cell).count()) await page.click(cell);
            for (const [part, selector] of [["", ".planner-area"], ["-explanation", ".cell-explanation"], ["-charts", ".plan-charts"]]) {
                await page.evaluate((selector) => document.querySelector(selector).scrollIntoView(), selector);
                await page.screenshot({ path: join(artifacts, `look-planner-${width}${part}.png`) });
            }
            await page.close();
            continue;
        }
        await page.$eval("input.time-scrubber", (input, value) => { input.value = String(value); input.dispatchEvent(new Event("input", { bubbles: true })); }, seconds);
        await page.waitForSelector(`.topology[data-frame-at-ms="${seconds * 1000}"]`, { timeout: 20000 });
        await page.waitForSelector(".charts", { timeout: 20000 });
        await page.screenshot({ path: join(artifacts, `look-${preset}-${width}.png`) });
        await page.screenshot({ path: join(artifacts, `look-${preset}-${width}-full.png`), fullPage: true });
        await page.close();
    }
} finally {
    server.close();
    await browser.close();
}
