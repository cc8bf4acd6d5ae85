// Shared pieces of the end-to-end tests: where things are, how Chromium is started on
// these machines (as root, offline), and the ok / not ok reporting with its closing
// `N passed, N failed` line.
import { mkdir } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const artifacts = join(repoRoot, "artifacts", "e2e");
await mkdir(artifacts, { recursive: true });

/// Without the background-networking flags Chromium keeps trying hosts this network blocks.
export const CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

export function launchChromium() {
    return chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });
}

/// Counts checks and prints TAP-like lines.
export class Report {
    constructor(name) {
        this.name = name;
        this.passed = 0;
        this.failed = 0;
    }

    check(name, condition, detail = "") {
        if (condition) {
            this.passed += 1;
            console.log(`ok - ${name}`);
        } else {
            this.failed += 1;
            console.log(`not ok - ${name} ${detail}`);
        }
    }

    /// Prints the closing line and exits with the verdict.
    finish() {
        console.log(`${this.name}: ${this.passed} passed, ${this.failed} failed`);
        process.exit(this.failed === 0 ? 0 : 1);
    }
}
