// The agent bundle that cloud-init downloads. Its sha256 goes into the user-data, and cloud-init
// refuses a download that does not match; the file itself is public (it holds no secret).
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { AGENT_BUNDLE_PATH, bundleVersion } from "@clawcloud/contracts";
import type { Hono } from "hono";
import type { AppEnv } from "./env.ts";
import { errorResponse } from "./errors.ts";

export { AGENT_BUNDLE_PATH };
export const defaultAgentBundle = join(import.meta.dirname, "..", "..", "..", "agent", "dist", "clawcloud-agent.js");

export interface AgentBundle {
  bytes: Buffer;
  sha256: string;
  /** From the bundle's version line; agents on older versions update themselves to it. */
  version: string | undefined;
}

export function loadAgentBundle(path = defaultAgentBundle): AgentBundle | undefined {
  if (!existsSync(path)) return undefined;
  const bytes = readFileSync(path);
  return {
    bytes,
    sha256: createHash("sha256").update(bytes).digest("hex"),
    version: bundleVersion(bytes.subarray(0, 512).toString("utf8")),
  };
}

export function mountAgentBundle(app: Hono<AppEnv>, bundle: AgentBundle | undefined): void {
  app.get(AGENT_BUNDLE_PATH, (c) => {
    if (!bundle) return errorResponse(c, "UNAVAILABLE", "The agent bundle is not built on this server. Run `npm run build`.");
    return c.body(new Uint8Array(bundle.bytes), 200, {
      "content-type": "text/javascript; charset=utf-8",
      "x-content-sha256": bundle.sha256,
      "cache-control": "no-cache",
    });
  });
  app.get(`${AGENT_BUNDLE_PATH}.sha256`, (c) =>
    bundle
      ? c.text(`${bundle.sha256}\n`)
      : errorResponse(c, "UNAVAILABLE", "The agent bundle is not built on this server. Run `npm run build`."),
  );
}
