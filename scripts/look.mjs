// A look at the app as a person sees it (not a test): loads a preset, plays a while,
// takes screenshots at 1280×720, 1920×1080 and 3840×2160 into artifacts/e2e/look-*.png.
// Usage: node scripts/look.mjs [preset] [seconds]
import { join } from "node:path";
import { artifacts, launchChromium, repoRoot } from "../tests/e2e/harness.mjs";
import { serveDirectory } from "./static-server.mjs";

const preset = process.argv[2] ?? "multi-az";
const seconds = Number(process.argv[3] ?? 2400);
const browser = await launchChromium();
const { server, url } = await serveDirectory(join(repoRoot, "dist"), 0, "/");
try {
    for (const [width, height] of [[1280, 720], [1920, 1080], [3840, 2160]]) {
        const page = await browser.newPage({ viewport: { width, height } });
        page.on("pageerror", (error) => console.log("page error:", String(error)));
        page.on("console", (message) => { if (message.type() === "error") console.log("console:", message.text()); });
        await page.goto(url);
        await page.click(`button.preset-button:has-text('${preset}')`);
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
