// The cloud-init user-data for one server: packages/bootstrap's render() with what this control
// plane knows — the URL agents dial, the agent bundle's URL and checksum, the pinned Node.js.
import { recommendedSwapMb, render } from "@clawcloud/bootstrap";
import { AppError } from "../errors.ts";
import type { UserDataInput } from "./provision.ts";

/** Node.js for the servers: an LTS release and the sha256 of its official linux-x64 tarball. */
export const SERVER_NODE = { version: "24.21.0", tarballSha256: "fd8e59d5a511510f6a298afb548f18c7d2b1be404d8b4a27d94fbe49f56cb2d6" };

export interface UserDataConfig {
  /** The https URL agents dial. */
  agentUrl: string;
  agentBundleUrl: string;
  agentBundleSha256: string | undefined;
  /**
   * nodeTarballSha256: the checksum of the tarball a mirror serves when it is not the official one
   * (a rebuilt or repackaged Node.js). It comes from this server's configuration, never from the
   * mirror, so a mirror cannot vouch for its own bytes; a plain mirror of nodejs.org needs none.
   */
  mirrors?: { nodeDistUrl?: string; nodeTarballSha256?: string; npmRegistry?: string };
}

/** Why this server cannot deploy to a cloud, if it cannot: said at Deploy, not by a failed job. */
export function cloudDeployBlocker(cfg: UserDataConfig | undefined): string | undefined {
  if (!cfg) return "Cloud deploys are not configured on this server.";
  if (!cfg.agentUrl.startsWith("https://")) {
    return "Cloud deploys need this Claw Cloud reachable over https by your servers: its operator must set CLAWCLOUD_AGENT_URL (or CLAWCLOUD_PUBLIC_URL) to an https:// address.";
  }
  if (!cfg.agentBundleSha256) return "The agent bundle is not built on this server: its operator must run `npm run build`.";
  return undefined;
}

export function userDataRenderer(cfg: UserDataConfig): (input: UserDataInput) => string {
  const { nodeTarballSha256, ...mirrors } = cfg.mirrors ?? {};
  return (input) => {
    const blocker = cloudDeployBlocker(cfg);
    if (blocker || !cfg.agentBundleSha256) throw new AppError("UNAVAILABLE", blocker ?? "no agent bundle");
    return render({
      instanceId: input.instanceId,
      registrationToken: input.registrationToken,
      openclawVersion: input.openclawVersion,
      serverUrl: cfg.agentUrl,
      agentBundleUrl: cfg.agentBundleUrl,
      agentBundleSha256: cfg.agentBundleSha256,
      nodeVersion: SERVER_NODE.version,
      nodeTarballSha256: nodeTarballSha256 ?? SERVER_NODE.tarballSha256,
      swapMb: recommendedSwapMb(input.memoryMb ?? 2048),
      ...(Object.keys(mirrors).length > 0 ? { mirrors } : {}),
    }).userData;
  };
}
