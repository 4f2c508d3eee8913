// A GraphQL IDE that works without internet, beside Apollo Sandbox (whose page loads from Apollo's CDN):
// GraphiQL at /graphiql in development, with subscriptions over graphql-ws. Its script and style are bundled
// by esbuild from the npm packages (graphiql, react, react-dom, @graphiql/toolkit, graphql-ws) on the first
// request, cached under node_modules/.cache, and served by the gateway itself: no external origin.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Router, type Request, type Response } from "express";
import { repositoryRoot } from "@watchflixx/common";

export const GRAPHIQL_PATH = "/graphiql";
const ENTRY = path.join(repositoryRoot, "router", "graphiql", "app.js");
const CACHE_DIR = path.join(repositoryRoot, "node_modules", ".cache", "watchflixx", "graphiql");

interface Assets {
  script: string;
  style: string;
  /** Content hash: part of the asset URLs, so a browser never keeps a stale bundle. */
  version: string;
}

/** What the bundle is made of: the entry and the lockfile (which pins the packages' versions). */
function inputsHash(): string {
  const hash = createHash("sha256").update(readFileSync(ENTRY));
  const lockfile = path.join(repositoryRoot, "pnpm-lock.yaml");
  if (existsSync(lockfile)) hash.update(readFileSync(lockfile));
  return hash.digest("hex").slice(0, 16);
}

async function bundle(): Promise<Assets> {
  const version = inputsHash();
  const outDir = path.join(CACHE_DIR, version);
  const script = path.join(outDir, "app.js");
  const style = path.join(outDir, "app.css");
  if (!existsSync(script) || !existsSync(style)) {
    mkdirSync(outDir, { recursive: true });
    // esbuild is a development tool: loaded only when a developer opens the IDE.
    const { build } = await import("esbuild");
    await build({
      entryPoints: [ENTRY],
      // Resolve the packages the way the router package does (they are its dev dependencies).
      nodePaths: [path.join(repositoryRoot, "router", "node_modules")],
      bundle: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      minify: true,
      outfile: script,
      define: { "process.env.NODE_ENV": '"production"' },
      // Fonts and icons the stylesheet refers to go inline: the page needs nothing else.
      loader: { ".woff": "dataurl", ".woff2": "dataurl", ".ttf": "dataurl", ".svg": "dataurl", ".png": "dataurl" },
      logLevel: "error",
    });
  }
  return { script: readFileSync(script, "utf8"), style: readFileSync(style, "utf8"), version };
}

function page(assets: Assets, endpoint: string): string {
  return `<!doctype html>
<html lang="en" data-endpoint="${endpoint}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>WatchFlixx GraphiQL</title>
<link rel="stylesheet" href="${GRAPHIQL_PATH}/app.${assets.version}.css">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script type="module" src="${GRAPHIQL_PATH}/app.${assets.version}.js"></script>
</body>
</html>
`;
}

/** The routes under /graphiql: the page, its script and its stylesheet. */
export function graphiqlRouter(endpoint: string): Router {
  const router = Router();
  let assets: Promise<Assets> | undefined;
  const load = () => {
    assets ??= bundle().catch((error: unknown) => {
      assets = undefined;
      throw error;
    });
    return assets;
  };
  const send = (type: string, body: (built: Assets) => string, immutable: boolean) => async (_req: Request, res: Response) => {
    try {
      const built = await load();
      res.type(type).setHeader("cache-control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
      res.send(body(built));
    } catch (error) {
      res.status(500).type("text/plain").send(`GraphiQL could not be built: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  router.get("/", send("html", (built) => page(built, endpoint), false));
  router.get(/^\/app\.[0-9a-f]+\.js$/, send("text/javascript", (built) => built.script, true));
  router.get(/^\/app\.[0-9a-f]+\.css$/, send("text/css", (built) => built.style, true));
  return router;
}
