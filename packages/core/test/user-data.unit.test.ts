// The user-data this control plane renders: the official Node.js checksum by default, a mirror's
// own checksum when one is configured (from the configuration, never from the mirror).
import { describe, expect, it } from "vitest";
import { SERVER_NODE, userDataRenderer } from "../src/instances/user-data.ts";

const input = { instanceId: `ins_${"0".repeat(26)}`, registrationToken: "t".repeat(43), openclawVersion: "2026.9.6", memoryMb: 4096 };
const base = { agentUrl: "https://cc.example", agentBundleUrl: "https://cc.example/agent.mjs", agentBundleSha256: "b".repeat(64) };

describe("userDataRenderer", () => {
  it("pins the official Node.js tarball without a mirror", () => {
    const userData = userDataRenderer(base)(input);
    expect(userData).toContain(`CC_NODE_SHA256='${SERVER_NODE.tarballSha256}'`);
    expect(userData).toContain("CC_NODE_DIST_URL='https://nodejs.org/dist'");
  });

  it("uses the mirrors, and the checksum configured for the mirror's own tarball", () => {
    const sha = "c".repeat(64);
    const render = userDataRenderer({
      ...base,
      mirrors: { nodeDistUrl: "http://mirror.internal/dist", nodeTarballSha256: sha, npmRegistry: "http://npm.internal/" },
    });
    const userData = render(input);
    expect(userData).toContain(`CC_NODE_SHA256='${sha}'`);
    expect(userData).toContain("CC_NODE_DIST_URL='http://mirror.internal/dist'");
    expect(userData).toMatch(/CC_NPM_REGISTRY='http:\/\/npm\.internal\/?'/);
    // A mirror of nodejs.org itself keeps the official checksum.
    expect(userDataRenderer({ ...base, mirrors: { nodeDistUrl: "http://mirror.internal/dist" } })(input)).toContain(
      `CC_NODE_SHA256='${SERVER_NODE.tarballSha256}'`,
    );
  });
});
