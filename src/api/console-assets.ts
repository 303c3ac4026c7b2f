// The web console's static files (console/dist, built by `npm run build:console`, which `npm ci` runs), served
// on GET by the API's own server: the console then calls the API at POST / like any other client. In a checkout
// the build is compared with the console's sources, and a missing or stale build is never served: the page says
// which command rebuilds it.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { consoleSourceHash } from "./console-source-hash.ts";
import { isJsonObject, parsePlainJson } from "../util/json.ts";

/** console/ beside src/ (a checkout) or beside dist/ (the package): both are two levels above this file. */
export const CONSOLE_DIR = fileURLToPath(new URL("../../console/", import.meta.url));
const REBUILD = "./scripts/with-node npm run build:console";

const TEXT = "text/plain; charset=utf-8";
const HTML = "text/html; charset=utf-8";
const TYPES: Record<string, string> = {
  ".html": HTML,
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".txt": TEXT,
};

// Every asset is served from here (no CDN, works offline). Styles inline in elements are the graph library's.
const SECURITY_HEADERS = {
  "Content-Security-Policy":
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
    "connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
};

interface Asset {
  body: Buffer;
  type: string;
  gzipped?: Buffer;
  immutable: boolean;
}

/** Why the console cannot be served (no build, or a build older than the sources), or undefined when it can. */
export function consoleBuildProblem(dir = CONSOLE_DIR): string | undefined {
  const infoPath = join(dir, "dist", "build-info.json");
  if (!existsSync(infoPath)) return `the web console is not built (no ${relative(process.cwd(), infoPath) || infoPath}); run: ${REBUILD}`;
  if (!existsSync(join(dir, "src"))) return undefined; // the published package ships the build without its sources
  let recorded: unknown;
  try {
    const info = parsePlainJson(readFileSync(infoPath, "utf8"));
    recorded = isJsonObject(info) ? info["sourceHash"] : undefined;
  } catch {
    recorded = undefined;
  }
  if (recorded !== consoleSourceHash(dir)) return `the web console's build is older than its sources; run: ${REBUILD}`;
  return undefined;
}

function readAssets(distDir: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) {
        const url = "/" + relative(distDir, path).split(sep).join("/");
        if (url === "/build-info.json") continue;
        // Vite names what it emits under assets/ by content hash: those never change under their name.
        assets.set(url, { body: readFileSync(path), type: TYPES[extname(path)] ?? "application/octet-stream", immutable: url.startsWith("/assets/") });
      }
    }
  };
  walk(distDir);
  return assets;
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function problemPage(problem: string): string {
  const text = escapeAttribute(problem);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Stepwright console unavailable</title></head>` +
    `<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;line-height:1.5"><h1>Stepwright console unavailable</h1>` +
    `<p>${text}</p><p>The API itself is running: it answers <code>POST /</code>.</p></body></html>`;
}

function send(req: IncomingMessage, res: ServerResponse, status: number, asset: Asset, extra: Record<string, string> = {}): void {
  const acceptsGzip = /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
  const compressible = asset.type.startsWith("text/") || asset.type.startsWith("application/json") || asset.type.startsWith("image/svg");
  let body = asset.body;
  const headers: Record<string, string | number> = {
    ...SECURITY_HEADERS,
    "Content-Type": asset.type,
    "Cache-Control": asset.immutable ? "public, max-age=31536000, immutable" : "no-cache",
    Vary: "Accept-Encoding",
    ...extra,
  };
  if (acceptsGzip && compressible && asset.body.length > 1024) {
    asset.gzipped ??= gzipSync(asset.body);
    body = asset.gzipped;
    headers["Content-Encoding"] = "gzip";
  }
  headers["Content-Length"] = body.length;
  res.writeHead(status, headers);
  res.end(req.method === "HEAD" ? undefined : body);
}

/** Answers GET and HEAD requests with the console's files; the index page for every path that is not a file. */
export type ConsoleRequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

interface LoadedConsole {
  page?: Asset;
  assets: Map<string, Asset>;
  problem?: string;
}

/** The build read once per process and folder (tests start many servers), or why it cannot be served. */
const loaded = new Map<string, LoadedConsole>();

function loadConsole(dir: string): LoadedConsole {
  const known = loaded.get(dir);
  if (known) return known;
  const problem = consoleBuildProblem(dir);
  const assets = problem === undefined ? readAssets(join(dir, "dist")) : new Map<string, Asset>();
  // The page learns the server's settings from GET /console-config.json (src/api/console-config.ts).
  const page = assets.get("/index.html");
  const result: LoadedConsole = {
    assets,
    ...(page ? { page } : {}),
    ...(problem !== undefined ? { problem } : page ? {} : { problem: "the console's build has no index.html" }),
  };
  loaded.set(dir, result);
  return result;
}

/** The console's request handler; it reads the build on its first request. */
export function createConsoleHandler(dir = CONSOLE_DIR): ConsoleRequestHandler {
  return (req, res) => {
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
    } catch {
      return send(req, res, 400, { body: Buffer.from("Bad request path\n"), type: TEXT, immutable: false });
    }
    const { page, assets, problem } = loadConsole(dir);
    if (problem !== undefined || page === undefined) {
      return send(req, res, 503, { body: Buffer.from(problemPage(problem ?? "no build")), type: HTML, immutable: false });
    }
    const asset = path === "/" || path === "/index.html" ? page : assets.get(path);
    if (asset) return send(req, res, 200, asset);
    // Paths without an extension are the console's own pages; anything else is a file that is not there.
    if (extname(path) === "") return send(req, res, 200, page);
    send(req, res, 404, { body: Buffer.from(`Not found: ${path}\n`), type: TEXT, immutable: false });
  };
}
