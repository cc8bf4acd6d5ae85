// Drawing as people draw (issue 13), end to end on the release build in headless
// Chromium: the context menu opens next to what it breaks, with "from" and "for"
// fields; Delete removes the selection (undo brings it back); a double-click renames in
// place and a taken name is refused once, readably; Ctrl+wheel zooms at the pointer;
// Fit shows every node; a marquee selects; a share link restores the moment and the
// speed, and Copy says "Copied". Screenshots with the menu open at 1280×720 and
// 1920×1080 go to artifacts/e2e/workshop-drawing-*.png.
import { join } from "node:path";
import { artifacts, launchChromium, Report, repoRoot } from "./harness.mjs";
import { serveDirectory } from "../../scripts/static-server.mjs";

const report = new Report("e2e workshop-drawing");
const check = report.check.bind(report);

const browser = await launchChromium();
const { server, url } = await serveDirectory(join(repoRoot, "dist"), 0, "/drawing/");
const shot = (page, name) => page.screenshot({ path: join(artifacts, `workshop-drawing-${name}.png`) });
const nodeSelector = (id) => `.canvas g.node[aria-label^="${id} ("]`;
const azLabel = (id) => `.canvas g.az[aria-label="AZ ${id}"] text`;

async function newPage(viewport = { width: 1280, height: 720 }) {
    const context = await browser.newContext({ viewport });
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(url).origin });
    const page = await context.newPage();
    page.errors = [];
    page.on("pageerror", (error) => page.errors.push(String(error)));
    return page;
}

async function scrubTo(page, seconds) {
    await page.$eval("input.time-scrubber", (input, value) => {
        input.value = String(value);
        input.dispatchEvent(new Event("input", { bubbles: true }));
    }, seconds);
    await page.waitForSelector(`.topology[data-frame-at-ms="${seconds * 1000}"]`, { timeout: 30000 });
}

const center = (box) => ({ x: box.x + box.width / 2, y: box.y + box.height / 2 });
const overlaps = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

async function loadMultiAz(page) {
    await page.goto(url);
    await page.waitForSelector(".product-name");
    await page.click("button.preset-button:has-text('multi-az')");
    await page.waitForSelector(".canvas g.node");
    await page.locator("svg.canvas").scrollIntoViewIfNeeded();
}

try {
    const page = await newPage();
    await loadMultiAz(page);

    // ---- The context menu, next to its node, with "from" and "for" -------------------
    await page.click(nodeSelector("peer3"), { button: "right" });
    await page.waitForSelector(".context-menu[data-placed]");
    const nodeBox = await page.locator(nodeSelector("peer3")).boundingBox();
    const menuBox = await page.locator(".context-menu").boundingBox();
    const gap = Math.max(menuBox.x - (nodeBox.x + nodeBox.width), nodeBox.x - (menuBox.x + menuBox.width), menuBox.y - (nodeBox.y + nodeBox.height), nodeBox.y - (menuBox.y + menuBox.height));
    check("the menu opens next to its node without covering it", !overlaps(menuBox, nodeBox) && gap < 40, JSON.stringify({ nodeBox, menuBox }));
    check("the menu lies inside the window", menuBox.x >= 0 && menuBox.y >= 0 && menuBox.x + menuBox.width <= 1280 && menuBox.y + menuBox.height <= 720, JSON.stringify(menuBox));
    check("the opened menu takes the focus", /menu-item/.test(await page.evaluate(() => document.activeElement?.className ?? "")));
    await shot(page, "menu-1280");
    // A field it cannot read is said in place, naming the field.
    await page.fill(".context-menu .menu-for", "soon");
    await page.click(".context-menu .menu-crash");
    await page.waitForSelector(".context-menu .menu-errors");
    check("an unreadable For is refused in the menu, naming the field", /^For: /.test(await page.textContent(".context-menu .menu-errors li")), await page.textContent(".context-menu .menu-errors"));
    await page.fill(".context-menu .menu-from", "20m");
    await page.fill(".context-menu .menu-for", "for 10 m");
    await page.click(".context-menu .menu-crash");
    await page.waitForFunction(() => /20m 00s → 30m 00s: crash peer3/.test(document.querySelector(".fault-list")?.textContent ?? ""), null, { timeout: 10000 }).catch(() => {});
    check("a crash from the menu at 20m for 10 m lands on the fault list with those times", /20m 00s → 30m 00s: crash peer3/.test(await page.textContent(".fault-list")), await page.textContent(".fault-list"));
    check("the menu closes once the fault is added", (await page.locator(".context-menu").count()) === 0);

    // ---- Delete, undo --------------------------------------------------------------
    await page.click(nodeSelector("peer2"));
    await page.waitForSelector(".inspector h3:has-text('Node peer2')");
    await page.keyboard.press("Delete");
    await page.waitForFunction(() => document.querySelectorAll(".canvas g.node").length === 4);
    check("Delete removes the selected node", (await page.locator(nodeSelector("peer2")).count()) === 0);
    await page.keyboard.press("Control+z");
    await page.waitForSelector(nodeSelector("peer2"));
    check("Ctrl+Z brings it back", (await page.locator(".canvas g.node").count()) === 5);

    // ---- Rename in place -------------------------------------------------------------
    await page.dblclick(nodeSelector("peer2"));
    await page.waitForSelector("input.rename-field");
    const fieldBox = await page.locator("input.rename-field").boundingBox();
    const peer2Box = await page.locator(nodeSelector("peer2")).boundingBox();
    check("a double-click opens a name field over the node", overlaps(fieldBox, peer2Box), JSON.stringify({ fieldBox, peer2Box }));
    check("the field holds the current name, focused", (await page.inputValue("input.rename-field")) === "peer2" && await page.evaluate(() => document.activeElement?.classList.contains("rename-field")));
    await page.keyboard.type("api1");
    await page.keyboard.press("Enter");
    await page.waitForSelector(".inspector .edit-errors");
    const errors = await page.locator(".edit-errors li").allTextContents();
    check("a taken name is refused once, naming the field", errors.length === 1 && errors[0] === "Name: 'api1' is already used by another node; choose another name", JSON.stringify(errors));
    check("the refused name stays in the field", (await page.inputValue("input.rename-field")) === "api1");
    await page.fill("input.rename-field", "harvester");
    await page.press("input.rename-field", "Enter");
    await page.waitForSelector(nodeSelector("harvester"));
    check("Enter renames the node in place", (await page.locator(nodeSelector("peer2")).count()) === 0 && (await page.locator("input.rename-field").count()) === 0);
    await page.click(nodeSelector("harvester"));
    await page.keyboard.press("F2");
    await page.waitForSelector("input.rename-field");
    await page.keyboard.type("x");
    await page.keyboard.press("Escape");
    await page.waitForFunction(() => !document.querySelector("input.rename-field"));
    check("F2 opens the field and Escape cancels", (await page.locator(nodeSelector("harvester")).count()) === 1);
    await page.locator("body").press("?");
    await page.waitForSelector(".help");
    check("the help lists Delete, F2 and Ctrl+A from the shortcut table", /Delete/.test(await page.textContent(".help")) && /F2/.test(await page.textContent(".help")) && /Ctrl\+A/.test(await page.textContent(".help")));
    await page.locator("body").press("Escape");

    // ---- Marquee ---------------------------------------------------------------------
    const peer1Box = await page.locator(nodeSelector("peer1")).boundingBox();
    const harvesterBox = await page.locator(nodeSelector("harvester")).boundingBox();
    const start = { x: peer1Box.x - 6, y: peer1Box.y - 6 };
    const end = { x: harvesterBox.x + 20, y: harvesterBox.y + harvesterBox.height + 4 };
    await page.mouse.move(start.x, start.y);
    await page.mouse.down();
    await page.mouse.move(end.x, end.y, { steps: 8 });
    await page.mouse.up();
    await page.waitForSelector(".inspector h3:has-text('selected')", { timeout: 5000 }).catch(() => {});
    const selected = await page.locator(".canvas g.node.selected").count();
    check("a marquee drag selects the nodes it touches", selected >= 2, `${selected} selected; ${await page.textContent(".inspector h3")}`);

    // ---- Ctrl+A: the marquee's keyboard equivalent -----------------------------------
    await page.locator("body").press("Escape");
    await page.focus("svg.canvas");
    await page.keyboard.press("Control+a");
    await page.waitForFunction(() => document.querySelectorAll(".canvas g.node.selected").length === 5, null, { timeout: 5000 }).catch(() => {});
    check("Ctrl+A on the canvas selects every node", (await page.locator(".canvas g.node.selected").count()) === 5, await page.textContent(".inspector h3"));
    await page.locator("body").press("Escape");

    // ---- The menu follows its node when the canvas zooms ------------------------------
    await page.click(nodeSelector("api2"), { button: "right" });
    await page.waitForSelector(".context-menu[data-placed]");
    const menuBefore = await page.locator(".context-menu").boundingBox();
    const canvasBox = await page.locator("svg.canvas").boundingBox();
    await page.mouse.move(canvasBox.x + 40, canvasBox.y + 40);
    await page.keyboard.down("Control");
    await page.mouse.wheel(0, -240);
    await page.keyboard.up("Control");
    await page.waitForTimeout(300);
    const api2Zoomed = await page.locator(nodeSelector("api2")).boundingBox();
    const menuZoomed = await page.locator(".context-menu").boundingBox();
    const zoomedGap = Math.max(menuZoomed.x - (api2Zoomed.x + api2Zoomed.width), api2Zoomed.x - (menuZoomed.x + menuZoomed.width), menuZoomed.y - (api2Zoomed.y + api2Zoomed.height), api2Zoomed.y - (menuZoomed.y + menuZoomed.height));
    check("after a zoom the open menu moved with its node and still stands next to it",
        (await page.locator(".context-menu").count()) === 1 && Math.hypot(menuZoomed.x - menuBefore.x, menuZoomed.y - menuBefore.y) > 5 && !overlaps(menuZoomed, api2Zoomed) && zoomedGap < 40,
        JSON.stringify({ menuBefore, menuZoomed, api2Zoomed }));
    await page.keyboard.press("Escape");
    await page.click("button.zoom-fit");
    await page.waitForTimeout(200);

    // ---- Zoom at the pointer, Fit ----------------------------------------------------
    const api2 = center(await page.locator(nodeSelector("api2")).boundingBox());
    await page.mouse.move(api2.x, api2.y);
    await page.keyboard.down("Control");
    await page.mouse.wheel(0, -120);
    await page.keyboard.up("Control");
    await page.waitForTimeout(300);
    const after = center(await page.locator(nodeSelector("api2")).boundingBox());
    check("Ctrl+wheel zooms at the pointer: the node under it stays put", Math.hypot(after.x - api2.x, after.y - api2.y) < 4, JSON.stringify({ api2, after }));
    check("the zoom changed", !/100 %/.test(await page.textContent(".canvas-tools .hint")), await page.textContent(".canvas-tools .hint"));
    for (let step = 0; step < 4; step += 1) await page.click("button.zoom-in");
    await page.click("button.zoom-fit");
    await page.waitForTimeout(200);
    const canvas = await page.locator("svg.canvas").boundingBox();
    const nodeBoxes = await page.locator(".canvas g.node rect.node-box").evaluateAll((rects) => rects.map((rect) => rect.getBoundingClientRect().toJSON()));
    const visible = nodeBoxes.every((box) => box.left >= canvas.x - 1 && box.top >= canvas.y - 1 && box.right <= canvas.x + canvas.width + 1 && box.bottom <= canvas.y + canvas.height + 1);
    check("Fit shows every node", nodeBoxes.length === 5 && visible, JSON.stringify({ canvas, nodeBoxes }));

    // ---- Share link: the moment and the speed travel; Copy ---------------------------
    await scrubTo(page, 45 * 60);
    await page.selectOption("select.speed-select", "1000");
    await page.click("button.share-button");
    await page.waitForSelector("input.share-link");
    const link = await page.inputValue("input.share-link");
    check("the link carries the moment and the speed", /&t=2700000/.test(link) && /&v=1000/.test(link), link.slice(-60));
    await page.click("button.copy-link");
    await page.waitForFunction(() => document.querySelector(".copy-status")?.textContent.length > 0, null, { timeout: 5000 }).catch(() => {});
    const status = await page.textContent(".copy-status");
    check("Copy says Copied (or selects the link when the browser refuses)", status === "Copied" || /selected/.test(status), status);
    if (status === "Copied") {
        const copied = await page.evaluate(() => navigator.clipboard.readText()).catch(() => "");
        check("the clipboard holds the link", copied === link, copied.slice(0, 60));
    }
    const visitor = await newPage();
    await visitor.goto(link);
    await visitor.waitForSelector(".canvas g.node");
    await visitor.waitForFunction(() => document.querySelector(".time-label")?.textContent.startsWith("45m 00s"), null, { timeout: 10000 }).catch(() => {});
    check("the link opens at the moment it was made", (await visitor.textContent(".time-label")).startsWith("45m 00s"), await visitor.textContent(".time-label"));
    check("the link opens at its speed", (await visitor.inputValue("select.speed-select")) === "1000", await visitor.inputValue("select.speed-select"));
    check("the link's scenario has the node renamed in place", (await visitor.locator(nodeSelector("harvester")).count()) === 1);
    check("no page errors", page.errors.length === 0 && visitor.errors.length === 0, [...page.errors, ...visitor.errors].join("; "));
    await visitor.context().close();
    await page.context().close();

    // ---- The menu open on a wide screen ----------------------------------------------
    const wide = await newPage({ width: 1920, height: 1080 });
    await loadMultiAz(wide);
    await wide.click(azLabel("ap-northeast-1c"), { button: "right" });
    await wide.waitForSelector(".context-menu[data-placed]");
    const azBox = await wide.locator(".canvas g.az[aria-label='AZ ap-northeast-1c'] rect.az-box").boundingBox();
    const wideMenu = await wide.locator(".context-menu").boundingBox();
    check("an AZ's menu opens beside the AZ at 1920×1080", !overlaps(wideMenu, azBox) && wideMenu.x + wideMenu.width <= 1920 && wideMenu.y + wideMenu.height <= 1080, JSON.stringify({ azBox, wideMenu }));
    await shot(wide, "menu-1920");
    await wide.click(".context-menu .menu-close");

    // ---- "+ AZ" and "+ Region" add empty containers, ready to fill --------------------
    await wide.click(azLabel("ap-northeast-1a"));
    await wide.click("button.add-az");
    await wide.waitForSelector(".canvas g.az[aria-label='AZ ap-northeast-1b']");
    check("+ AZ adds an empty AZ (no node added)", (await wide.locator(".canvas g.node").count()) === 5);
    check("the new AZ is selected, ready to fill", /Availability zone ap-northeast-1b/.test(await wide.textContent(".inspector h3")), await wide.textContent(".inspector h3"));
    await wide.click("button.add-peer");
    await wide.waitForSelector(nodeSelector("peer4"));
    const peer4 = await wide.locator(nodeSelector("peer4")).boundingBox();
    const newAz = await wide.locator(".canvas g.az[aria-label='AZ ap-northeast-1b'] rect.az-box").boundingBox();
    check("+ PEER fills the new AZ", peer4.x >= newAz.x && peer4.x + peer4.width <= newAz.x + newAz.width + 1, JSON.stringify({ peer4, newAz }));
    await wide.click("button.add-region");
    await wide.waitForFunction(() => document.querySelectorAll(".canvas g.region").length === 2, null, { timeout: 5000 }).catch(() => {});
    check("+ Region adds a region with one empty AZ", (await wide.locator(".canvas g.region").count()) === 2 && (await wide.locator(".canvas g.node").count()) === 6);
    check("no page errors at 1920×1080", wide.errors.length === 0, wide.errors.join("; "));
    await wide.context().close();

    // ---- Three regions at 1280 px: boxes and link badges do not overlap ---------------
    const narrow = await newPage();
    await narrow.goto(url);
    await narrow.waitForSelector(".product-name");
    await narrow.click("button.preset-button:has-text('active-active')");
    await narrow.waitForSelector(".canvas g.node");
    while ((await narrow.locator(".canvas g.region").count()) < 3) {
        const before = await narrow.locator(".canvas g.region").count();
        await narrow.click("button.add-region");
        await narrow.waitForFunction((count) => document.querySelectorAll(".canvas g.region").length > count, before);
    }
    await narrow.locator("svg.canvas").scrollIntoViewIfNeeded();
    const regionBoxes = await narrow.locator(".canvas g.region rect.region-box").evaluateAll((rects) => rects.map((rect) => rect.getBoundingClientRect().toJSON()));
    const badgeBoxes = await narrow.locator(".canvas g.link-badge rect").evaluateAll((rects) => rects.map((rect) => rect.getBoundingClientRect().toJSON()));
    const pairs = (boxes) => boxes.flatMap((a, i) => boxes.slice(i + 1).map((b) => [a, b]));
    check("three regions at 1280 px do not overlap", pairs(regionBoxes).every(([a, b]) => !overlaps(a, b)), JSON.stringify(regionBoxes));
    check("their link badges do not overlap each other", badgeBoxes.length === 3 && pairs(badgeBoxes).every(([a, b]) => !overlaps(a, b)), JSON.stringify(badgeBoxes));
    await narrow.screenshot({ path: join(artifacts, "workshop-drawing-three-regions-1280.png"), fullPage: true });
    await narrow.context().close();
} finally {
    server.close();
    await browser.close();
}
report.finish();
