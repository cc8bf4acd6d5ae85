// A small static file server for dist/: `node scripts/static-server.mjs DIR PORT [BASE]`.
// Serves DIR under the URL path BASE (default "/"), so the same build can be checked
// at the root and under a sub-path. Binds to 127.0.0.1 only.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";

export const CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".wasm": "application/wasm",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".txt": "text/plain; charset=utf-8",
};

/** Starts a server; resolves to { server, url } once listening. */
export function serveDirectory(directory, port, base = "/") {
    const root = resolve(directory);
    const prefix = base.endsWith("/") ? base : base + "/";
    const server = createServer(async (request, response) => {
        const path = decodeURIComponent(new URL(request.url, "http://localhost").pathname);
        if (!path.startsWith(prefix)) {
            response.writeHead(404, { "content-type": "text/plain" }).end("not under " + prefix);
            return;
        }
        let file = normalize(join(root, path.slice(prefix.length)));
        if (!file.startsWith(root)) {
            response.writeHead(403).end();
            return;
        }
        try {
            if ((await stat(file)).isDirectory()) file = join(file, "index.html");
            const body = await readFile(file);
            response.writeHead(200, {
                "content-type": CONTENT_TYPES[extname(file)] ?? "application/octet-stream",
                "cache-control": "no-store",
            });
            response.end(body);
        } catch {
            response.writeHead(404, { "content-type": "text/plain" }).end("not found");
        }
    });
    return new Promise((resolvePromise, reject) => {
        server.once("error", reject);
        server.listen(port, "127.0.0.1", () => {
            const address = server.address();
            resolvePromise({ server, url: `http://127.0.0.1:${address.port}${prefix}` });
        });
    });
}

const invokedDirectly = process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname);
if (invokedDirectly) {
    const [directory = "dist", port = "8080", base = "/"] = process.argv.slice(2);
    const { url } = await serveDirectory(directory, Number(port), base);
    console.log(`Catapult DR Planner is being served at ${url}  (Ctrl+C to stop)`);
}
