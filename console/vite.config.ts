// Vite builds the console into console/dist (index.html and hashed assets), which `stepwright serve` serves.
// `npm run build:console` runs it through console/build.ts, which also records the sources' hash.
// For work on the console: `npx vite console` with STEPWRIGHT_URL pointing at a running `serve` proxies the API.
import { defineConfig } from "vite";

const api = process.env["STEPWRIGHT_URL"] ?? "http://127.0.0.1:8083";

export default defineConfig({
  root: import.meta.dirname,
  base: "./",
  logLevel: "warn",
  oxc: { jsx: { runtime: "automatic", importSource: "react" } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    minify: process.env["CONSOLE_NO_MINIFY"] !== "1",
    reportCompressedSize: false,
    chunkSizeWarningLimit: 1024,
    rolldownOptions: {
      // @xyflow/react starts with "use client" (for React Server Components), which means nothing in a browser bundle.
      onwarn(warning, warn) {
        if (warning.code !== "MODULE_LEVEL_DIRECTIVE") warn(warning);
      },
    },
  },
  server: {
    // The API is POST /; the dev server answers GETs with the console's pages.
    proxy: { "/": { target: api, bypass: (req) => (req.method === "POST" ? undefined : req.url) } },
  },
});
