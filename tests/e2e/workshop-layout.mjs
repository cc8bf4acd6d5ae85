// The workshop layout (issue 13), end to end on the release build in headless
// Chromium at 1280×720: the canvas, the player and the timeline strip are above the
// fold; the toolbar (Run, Undo/Redo, Export, Share) never scrolls away and the keyboard
// reaches it; Space plays and pauses without scrolling the page; `.` and `,` jump
// between the run's event markers; the results say what run is shown; dragging a fault
// on the strip still moves it; presentation mode shows the story's caption.
// Screenshots of multi-az mid-outage at 1280×720 and 1920×1080:
// artifacts/e2e/layout-*.png.
import { join } from "node:path";
import { artifacts, launchChromium, Report, repoRoot } from "./harness.mjs";
import { serveDirectory } from "../../scripts/static-server.mjs";

const report = new Report("e2e workshop layout");
const check = report.check.bind(report);
const browser = await launchChromium();
const { server, url } = await serveDirectory(join(repoRoot, "dist"), 0, "/");
const HOUR_MS = 3_600_000;

async function openPreset(width, height, preset = "multi-az") {
    const page = await browser.newPage({ viewport: { width, height } });
    page.errors = [];
    page.on("pageerror", (error) => page.errors.push(String(error)));
    await page.goto(url);
    await page.click(`button.preset-button:has-text('${preset}')`);
    await page.waitForSelector(".canvas g.node");
    // The markers come with the whole run's charts.
    await page.waitForSelector(".strip-timeline .timeline-marker", { timeout: 30000 });
    return page;
}

const frameAt = (page, atMs) => page.waitForSelector(`.topology[data-frame-at-ms="${atMs}"]`, { timeout: 20000 });
const box = (page, selector) => page.locator(selector).first().boundingBox();

try {
    {
        // The player does not jump when the drawing appears: the canvas holds the
        // drawing's place in the render before it (every animation frame's position of
        // the player, from the first that shows it).
        const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
        await page.goto(url);
        await page.evaluate(() => {
            window.__positions = [];
            const started = performance.now();
            const tick = () => {
                const controls = document.querySelector(".strip-controls");
                if (controls) window.__positions.push(Math.round(controls.getBoundingClientRect().y));
                if (performance.now() - started < 2500) requestAnimationFrame(tick);
            };
            requestAnimationFrame(tick);
        });
        await page.click("button.preset-button:has-text('multi-az')");
        await page.waitForTimeout(2600);
        const positions = await page.evaluate(() => window.__positions);
        check("opening a preset, the player stays where it first appears while the drawing comes",
            positions.length > 0 && positions.every((y) => y === positions[0]), [...new Set(positions)].join(" → "));
        await page.close();
    }
    const page = await openPreset(1280, 720);

    // ---- Above the fold ------------------------------------------------------------
    const canvas = await box(page, "svg.canvas");
    check("the canvas starts near the top (under 150 px)", canvas.y < 150, JSON.stringify(canvas));
    // The drawing gets the room: the canvas is 380 px tall, or, for a drawing wider than
    // that leaves room for (the legend beside it), spans the stage's width; either way
    // a node is drawn at 0.9 of its size or more (70 canvas units tall).
    const stage = await box(page, ".canvas-frame");
    const nodeHeight = (await box(page, ".canvas g.node rect.node-box")).height;
    check("the canvas is at least 380 px tall at 1280×720, or as wide as its frame",
        canvas.height >= 380 || canvas.width >= stage.width - 4, JSON.stringify({ canvas, stage }));
    check("a node is drawn at 0.9 of its size or more at 1280×720", nodeHeight >= 0.9 * 70, String(nodeHeight));
    const player = await box(page, ".strip-controls");
    const slider = await box(page, "input.time-scrubber");
    const strip = await box(page, ".strip-timeline");
    check("the player, the slider and the fault timeline are above the fold",
        player.y + player.height <= 720 && slider.y + slider.height <= 720 && strip.y + strip.height <= 720,
        JSON.stringify({ player, slider, strip }));
    check("the slider sits between the player and the fault bands", player.y < slider.y && slider.y < strip.y);
    // The slider spans the Gantt's plot: its start lines up with the axis' start.
    const axis = await box(page, ".strip-timeline .timeline-axis");
    check("the slider's ends line up with the fault timeline's axis (within 12 px)",
        Math.abs(slider.x + 8 - axis.x) <= 12 && Math.abs(slider.x + slider.width - 8 - (axis.x + axis.width)) <= 12,
        JSON.stringify({ slider, axis }));

    // ---- The toolbar ---------------------------------------------------------------
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await page.waitForFunction(() => window.scrollY > 200);
    const header = await box(page, ".shell-header");
    check("after scrolling to the bottom the toolbar is still at the top", header.y >= -1 && header.y < 5, JSON.stringify(header));
    const runBox = await box(page, ".shell-header button.run-button");
    const presetBox = await box(page, ".shell-header button.preset-button");
    check("at 1280 px the header is one row: the presets and the actions share it", header.height < 48 && Math.abs(runBox.y - presetBox.y) < 6, JSON.stringify({ header, runBox, presetBox }));
    for (const button of ["run-button", "undo-button", "redo-button", "export-button", "share-button", "present-button"]) {
        const found = await box(page, `.shell-header button.${button}`);
        check(`${button} is in the toolbar and on screen`, found !== null && found.y >= 0 && found.y + found.height <= 720, JSON.stringify(found));
    }
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.evaluate(() => document.activeElement?.blur());
    const reached = [];
    for (let tab = 0; tab < 20; tab += 1) {
        await page.keyboard.press("Tab");
        reached.push(await page.evaluate(() => document.activeElement?.className ?? ""));
    }
    check("Tab reaches Run, Redo-or-Undo, Export and Share in the toolbar",
        ["run-button", "export-button", "share-button", "present-button"].every((name) => reached.some((seen) => seen.includes(name))),
        reached.join(" | "));

    // ---- Space plays and pauses and never scrolls ------------------------------------
    const pressed = () => page.getAttribute("button.play-button", "aria-pressed");
    await page.evaluate(() => window.scrollTo(0, 300));
    await page.click(".results-area h2");
    const before = await page.evaluate(() => window.scrollY);
    await page.keyboard.press("Space");
    check("Space starts playing", (await pressed()) === "true");
    const after = await page.evaluate(() => window.scrollY);
    check("Space does not scroll the page", after === before, `${before} → ${after}`);
    await page.keyboard.press("Space");
    check("Space pauses", (await pressed()) === "false");
    await page.focus("input.time-scrubber");
    const onSlider = await page.evaluate(() => window.scrollY);
    await page.keyboard.press("Space");
    const afterSlider = await page.evaluate(() => window.scrollY);
    check("Space on the time slider plays, without scrolling", (await pressed()) === "true" && afterSlider === onSlider, `${await pressed()} ${onSlider} → ${afterSlider}`);
    await page.keyboard.press("Space");
    check("and pauses again", (await pressed()) === "false");

    // ---- Event markers -------------------------------------------------------------
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.click("button.restart-button");
    await frameAt(page, 0);
    const markers = await page.$$eval(".strip-timeline .timeline-marker", (groups) => groups.map((group) => Number(group.dataset.atMs)));
    const labels = await page.$$eval(".strip-timeline .timeline-marker title", (titles) => titles.map((title) => title.textContent));
    console.log(`# markers: ${labels.join(" | ")}`);
    check("the strip marks the outage's start and end and api1 marked unhealthy",
        markers.includes(2 * HOUR_MS) && markers.includes(3 * HOUR_MS) && labels.some((label) => /stops routing to api1/.test(label)),
        labels.join(" | "));
    await page.click(".results-area h2");
    await page.keyboard.press(".");
    await frameAt(page, markers[0]);
    check("`.` goes to the first event", true);
    await page.keyboard.press(".");
    await frameAt(page, markers[1]);
    check("`.` again goes to the next event", markers[1] > markers[0]);
    await page.keyboard.press(",");
    await frameAt(page, markers[0]);
    check("`,` goes back to the previous event", true);
    await page.click("button.next-event");
    await frameAt(page, markers[1]);
    check("the next-event button does the same", true);
    const help = async () => {
        await page.keyboard.press("?");
        const text = await page.textContent(".help");
        await page.keyboard.press("?");
        return text;
    };
    {
        const text = await help();
        check("the help lists the event keys and presentation mode", /next event/.test(text) && /previous event/.test(text) && /presentation mode/.test(text), text);
    }

    // ---- Results -------------------------------------------------------------------
    const results = await page.textContent(".results-area");
    check("the results say which run is shown, never 'Run the simulation'",
        !/Run the simulation/.test(results) && /Showing multi-az \(seed 1\) at 2h 00m 30s of 6h/.test(results), results);

    // ---- The Gantt still drags -----------------------------------------------------
    const listBefore = await page.textContent(".fault-list");
    const bar = await box(page, ".strip-timeline .fault-bar .fault-body");
    await page.mouse.move(bar.x + bar.width / 2, bar.y + bar.height / 2);
    await page.mouse.down();
    await page.mouse.move(bar.x + bar.width / 2 + 60, bar.y + bar.height / 2, { steps: 5 });
    await page.mouse.up();
    await page.waitForFunction((before) => document.querySelector(".fault-list")?.textContent !== before, listBefore, { timeout: 5000 });
    check("dragging the fault on the strip moves it", true);
    await page.click("button.undo-button");
    await page.waitForFunction((before) => document.querySelector(".fault-list")?.textContent === before, listBefore, { timeout: 5000 });
    check("and the toolbar's Undo puts it back", true);

    // ---- Screenshots mid-outage and presentation mode --------------------------------
    await page.$eval("input.time-scrubber", (input) => { input.value = "9000"; input.dispatchEvent(new Event("input", { bubbles: true })); });
    await frameAt(page, 9000 * 1000);
    await page.waitForSelector(".charts:not(.stale)");
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(artifacts, "layout-multi-az-1280.png") });
    await page.click(".results-area h2");
    await page.keyboard.press("p");
    await page.waitForSelector(".shell.presenting");
    const caption = await page.textContent(".story-caption");
    check("presentation mode shows the story's caption", /api1/.test(caption ?? ""), caption);
    check("presentation mode hides the side panels",
        !(await page.isVisible(".inspector-area")) && !(await page.isVisible(".planner-area")) && !(await page.isVisible(".results-area")));
    const presented = await box(page, "svg.canvas");
    const presentedStrip = await box(page, ".strip-timeline");
    check("presentation mode keeps the canvas large and the strip on screen",
        presented.height >= canvas.height && presentedStrip.y + presentedStrip.height <= 720, JSON.stringify({ presented, presentedStrip }));
    await page.screenshot({ path: join(artifacts, "layout-multi-az-1280-presenting.png") });
    await page.keyboard.press("Escape");
    check("Esc leaves presentation mode", (await page.locator(".shell.presenting").count()) === 0);
    await page.click("button.present-button");
    await page.waitForSelector(".shell.presenting");
    await page.click("button.present-button");
    check("the toolbar's button enters and leaves presentation mode", (await page.locator(".shell.presenting").count()) === 0);
    check("no page errors at 1280×720", page.errors.length === 0, page.errors.join("; "));
    await page.close();

    // ---- A tall drawing (two regions) is narrowed, not cut: the strip stays on screen.
    const tall = await openPreset(1280, 720, "active-active");
    const tallCanvas = await box(tall, "svg.canvas");
    const tallStrip = await box(tall, ".strip-timeline");
    const drawn = await tall.$eval("svg.canvas", (svg) => Number(svg.getAttribute("width")) / Number(svg.getAttribute("height")));
    check("two regions: the strip stays above the fold at 1280×720", tallStrip.y + tallStrip.height <= 720, JSON.stringify({ tallCanvas, tallStrip }));
    check("two regions: the canvas keeps its drawing's proportions and at least 380 px",
        Math.abs(tallCanvas.width / tallCanvas.height - drawn) < 0.02 && tallCanvas.height >= 380, `${tallCanvas.width / tallCanvas.height} vs ${drawn}, ${tallCanvas.height}`);
    await tall.screenshot({ path: join(artifacts, "layout-active-active-1280.png") });
    await tall.close();

    // ---- 1920×1080 -----------------------------------------------------------------
    const wide = await openPreset(1920, 1080);
    const wideCanvas = await box(wide, "svg.canvas");
    const wideStrip = await box(wide, ".strip-timeline");
    const inspector = await box(wide, ".inspector-area");
    check("at 1920×1080 the canvas is taller still, and the strip above the fold",
        wideCanvas.height > canvas.height && wideStrip.y + wideStrip.height <= 1080, JSON.stringify({ wideCanvas, wideStrip }));
    check("at 1920×1080 the inspector sits beside the canvas", inspector.x > wideCanvas.x + wideCanvas.width - 1 && inspector.y < 200, JSON.stringify(inspector));
    await wide.$eval("input.time-scrubber", (input) => { input.value = "9000"; input.dispatchEvent(new Event("input", { bubbles: true })); });
    await frameAt(wide, 9000 * 1000);
    await wide.screenshot({ path: join(artifacts, "layout-multi-az-1920.png") });
    await wide.keyboard.press("p");
    await wide.waitForSelector(".shell.presenting .story-caption");
    await wide.screenshot({ path: join(artifacts, "layout-multi-az-1920-presenting.png") });
    check("no page errors at 1920×1080", wide.errors.length === 0, wide.errors.join("; "));
    await wide.close();
} catch (error) {
    check("the layout checks ran to the end", false, String(error?.stack ?? error));
} finally {
    server.close();
    await browser.close();
}
report.finish();
