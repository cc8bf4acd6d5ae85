// End-to-end reliability checks of the release build in headless Chromium:
// the Content-Security-Policy is in force and never violated; a bad import shows every
// error and keeps the current scenario; a hostile scenario renders as plain text; the
// scenario autosaves and comes back on reload; garbage in localStorage gives a notice,
// not a broken page; a crash shows the banner with a diagnostic, and the saved scenario
// survives it. Screenshots go to artifacts/e2e/.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { artifacts, launchChromium, Report, repoRoot } from "./harness.mjs";
import { serveDirectory } from "../../scripts/static-server.mjs";

const report = new Report("e2e reliability");
const check = report.check.bind(report);

const seedFork = JSON.parse(await readFile(join(repoRoot, "static/scenarios/seed-fork.json"), "utf8"));
const hostile = structuredClone(seedFork);
hostile.name = "<script>window.__pwned=1</script>";
hostile.description = "<img src=x onerror=\"window.__pwned=2\">";
hostile.regions[0].azs[0].nodes[0].id = "<img src=x onerror=window.__pwned=3>";
hostile.faults[0].node = "<b>peer2</b>";
hostile.regions[0].azs[0].nodes[1].id = "<b>peer2</b>";
hostile.duration = "29d";
hostile.clients.transactions_per_second = 50;

const browser = await launchChromium();
const { server, url } = await serveDirectory(join(repoRoot, "dist"), 0, "/reliability/");
try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addInitScript(() => {
        window.__violations = [];
        document.addEventListener("securitypolicyviolation", (event) => window.__violations.push(event.violatedDirective));
    });
    const page = await context.newPage();
    const dialogs = [];
    page.on("dialog", async (dialog) => { dialogs.push(dialog.message()); await dialog.dismiss(); });
    await page.goto(url);
    await page.waitForSelector(".product-name");
    const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', "content");
    check("a Content-Security-Policy is set", /default-src 'self'/.test(csp ?? "") && /object-src 'none'/.test(csp ?? ""), csp);

    // Load a scenario, then try to import a broken one.
    await page.click("button.preset-button:has-text('seed-fork')");
    await page.waitForSelector(".topology .node");
    const broken = JSON.stringify({ version: 1, duration: "3 fortnights", regions: [{ id: "r", azs: [{ id: "a", nodes: [{ id: "p", role: "ROUTER" }] }] }], colour: "blue" });
    await page.setInputFiles("input.import-input", { name: "broken.json", mimeType: "application/json", buffer: Buffer.from(broken) });
    await page.waitForSelector(".import-errors");
    const errors = await page.locator(".import-errors li").allTextContents();
    check("a bad import lists every error with its path", errors.some((e) => e.startsWith("duration: ")) && errors.some((e) => e.startsWith("regions[0].azs[0].nodes[0].role: ")) && errors.some((e) => e.startsWith("colour: ")), errors.join(" | "));
    check("the current scenario is kept", (await page.textContent(".scenario-name")) === "seed-fork" && (await page.locator(".topology .node").count()) === 5);
    await page.screenshot({ path: join(artifacts, "import-errors.png") });

    // Garbage JSON pasted.
    await page.click("details.paste summary");
    await page.fill("textarea.paste-input", "{ this is not json");
    await page.click("button.paste-load");
    await page.waitForFunction(() => document.querySelector(".import-errors li")?.textContent.startsWith("$: not valid JSON"));
    check("pasted garbage is refused with a message", true);

    // A hostile scenario renders as text and runs nothing.
    await page.setInputFiles("input.import-input", { name: "hostile.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(hostile)) });
    await page.waitForFunction(() => document.querySelector(".scenario-name")?.textContent.includes("<script>"));
    const injected = await page.evaluate(() => ({
        pwned: window.__pwned ?? null,
        images: document.querySelectorAll("img").length,
        scripts: [...document.querySelectorAll("script")].filter((s) => s.textContent.includes("__pwned")).length,
        bolds: document.querySelectorAll(".topology b").length,
    }));
    check("hostile names render as text, nothing runs", injected.pwned === null && injected.images === 0 && injected.scripts === 0 && injected.bolds === 0 && dialogs.length === 0, JSON.stringify(injected));
    await page.screenshot({ path: join(artifacts, "hostile.png") });

    // Autosave: reload and the scenario is back.
    await page.click("button.preset-button:has-text('multi-az')");
    await page.waitForFunction(() => document.querySelector(".scenario-name")?.textContent === "multi-az");
    await page.reload();
    await page.waitForSelector(".product-name");
    await page.waitForSelector(".scenario-name");
    check("the scenario comes back after a reload", (await page.textContent(".scenario-name")) === "multi-az");

    // A crash shows the banner with a diagnostic; the scenario survives it.
    await page.goto(url + "?selftest=crash");
    await page.waitForSelector("#crash-banner", { timeout: 10000 });
    const diagnostic = await page.inputValue("#crash-banner textarea");
    check("a crash shows the banner with a diagnostic (message, seed, scenario)", /self-test crash/.test(diagnostic) && /seed: 1/.test(diagnostic) && /"multi-az"/.test(diagnostic), diagnostic.slice(0, 200));
    check("the banner offers a copy button", (await page.locator("#crash-banner button:has-text('Copy diagnostic')").count()) === 1);
    await page.screenshot({ path: join(artifacts, "crash-banner.png") });
    await page.goto(url);
    await page.waitForSelector(".scenario-name");
    check("the saved scenario survives the crash", (await page.textContent(".scenario-name")) === "multi-az");

    // Garbage in localStorage: a notice, and the page works.
    await page.evaluate(() => localStorage.setItem("catapult-dr.session", "}{ not json"));
    await page.reload();
    await page.waitForSelector(".notice");
    check("garbage in storage gives a notice", /could not be read/.test(await page.textContent(".notice")));
    await page.click("button.preset-button:has-text('seed-fork')");
    await page.waitForSelector(".topology .node");
    check("the page still works after garbage in storage", (await page.locator(".topology .node").count()) === 5);
    await page.evaluate(() => localStorage.setItem("catapult-dr.session", JSON.stringify({ storage_version: 99, scenario: {} })));
    await page.reload();
    await page.waitForSelector(".notice");
    check("data from another version gives a notice", /another version/.test(await page.textContent(".notice")));

    // Every file row of docs/errors.md, exported by tests/errors.rs, through the app.
    const exported = join(repoRoot, "target", "bad-inputs");
    let rows = [];
    try {
        rows = (await readdir(exported)).filter((name) => name.endsWith(".json"));
    } catch {
        rows = [];
    }
    check("the bad inputs of docs/errors.md were exported for the browser", rows.length > 80, `${rows.length} rows in ${exported}`);
    await page.click("button.preset-button:has-text('seed-fork')");
    await page.waitForSelector(".topology .node");
    const rowFailures = [];
    for (const name of rows) {
        const row = JSON.parse(await readFile(join(exported, name), "utf8"));
        // Loading the preset clears the previous row's errors.
        await page.click("button.preset-button:has-text('seed-fork')");
        await page.waitForFunction(() => !document.querySelector(".import-errors"));
        await page.$eval("details.paste", (details) => { details.open = true; });
        await page.$eval("textarea.paste-input", (area, contents) => { area.value = contents; }, row.contents);
        await page.click("button.paste-load");
        await page.waitForSelector(".import-errors li", { timeout: 10000 });
        const shown = await page.locator(".import-errors li").allTextContents();
        const match = shown.some((line) => line.startsWith(`${row.path}: `) && row.phrases.every((phrase) => line.includes(phrase)));
        const kept = (await page.textContent(".scenario-name")) === "seed-fork";
        if (!match || !kept) rowFailures.push(`${row.row}: ${shown.join(" | ")}`);
    }
    check(`every exported bad input shows its path and message in the app and keeps the scenario (${rows.length} rows)`, rowFailures.length === 0, rowFailures.slice(0, 5).join("\n"));

    const violations = await page.evaluate(() => window.__violations);
    check("no Content-Security-Policy violation", violations.length === 0, violations.join(", "));
    await context.close();
} finally {
    server.close();
    await browser.close();
}
report.finish();
