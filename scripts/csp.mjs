// Trunk post-build hook: adds a Content-Security-Policy to the built index.html that
// allows only the app's own files, WebAssembly compilation, and — by hash — the one
// inline module script Trunk writes to start the app. No other inline script, no
// network requests beyond the app's own origin, no plugins, no framing of forms.
import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

const directory = process.env.TRUNK_STAGING_DIR ?? process.argv[2];
if (!directory) {
    console.error("csp: TRUNK_STAGING_DIR is not set (run from Trunk) and no directory was given");
    process.exit(2);
}
const path = join(directory, "index.html");
let html = await readFile(path, "utf8");
const hashes = [];
for (const match of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)) {
    hashes.push(`'sha256-${createHash("sha256").update(match[1], "utf8").digest("base64")}'`);
}
const policy = [
    "default-src 'self'",
    `script-src 'self' 'wasm-unsafe-eval' ${hashes.join(" ")}`.trim(),
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
].join("; ");
const meta = `<meta http-equiv="Content-Security-Policy" content="${policy}">`;
html = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>\s*/g, "");
// After the charset (which must come first); a minified page (Trunk's `minify`) has no
// `<head>` tag, so the charset is the anchor. A page with neither fails the build.
const anchor = html.match(/<meta charset=("?)utf-8\1>/i) ?? html.match(/<head>/);
if (!anchor) {
    console.error("csp: index.html has neither a charset meta nor a <head> to put the policy after");
    process.exit(2);
}
html = html.replace(anchor[0], `${anchor[0]}${meta}`);
await writeFile(path, html);
console.log(`csp: policy written with ${hashes.length} inline script hash(es)`);
