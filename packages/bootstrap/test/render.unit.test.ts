import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  BOOTSTRAP_STEPS,
  BootstrapInputError,
  bootstrapSteps,
  CLOUD_BOOTSTRAP_SCRIPT,
  CLOUD_BOOTSTRAP_SCRIPT_SHA256,
  CLOUD_GATEWAY_PORT,
  localLayout,
  PASSTHROUGH_ENV,
  parseStepLine,
  recommendedSwapMb,
  render,
  renderLocalInstall,
} from "../src/index.ts";
import { cloudConfigParts, cloudScriptAsRun, ED25519_KEY, parseValuesBlock, sshKey, VALID_CLOUD, VALID_LOCAL } from "./helpers.ts";

const refusal = (fn: () => unknown): BootstrapInputError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof BootstrapInputError) return err;
    throw err;
  }
  throw new Error("expected a BootstrapInputError");
};

describe("render (cloud)", () => {
  it("gives #cloud-config user-data with the values in plain text and the static script gzipped", () => {
    const r = render({ ...VALID_CLOUD, userSshPublicKey: ED25519_KEY });
    expect(r.userData.startsWith("#cloud-config\n")).toBe(true);
    expect(r.bytes).toBe(Buffer.byteLength(r.userData));
    const parts = cloudConfigParts(r.userData);
    expect(parts.script).toBe(CLOUD_BOOTSTRAP_SCRIPT);
    expect(r.script).toBe(CLOUD_BOOTSTRAP_SCRIPT);
    expect(createHash("sha256").update(parts.script).digest("hex")).toBe(CLOUD_BOOTSTRAP_SCRIPT_SHA256);
    expect(r.userData).toContain(CLOUD_BOOTSTRAP_SCRIPT_SHA256);
    expect(parts.values).toBe(r.values);
    const { values } = parseValuesBlock(parts.values);
    expect(values.get("CC_INSTANCE_ID")).toEqual([VALID_CLOUD.instanceId]);
    expect(values.get("CC_SSH_PUBLIC_KEY")).toEqual([ED25519_KEY]);
    expect(values.get("CC_SSH_ALLOW_FROM")).toEqual([]);
    expect(values.get("CC_NODE_DIST_URL")).toEqual(["https://nodejs.org/dist"]);
    expect(values.get("CC_NPM_REGISTRY")).toEqual([""]);
    expect(parts.doc.runcmd).toEqual([["bash", "/var/lib/clawcloud/bootstrap.sh"]]);
  });

  it("normalizes URLs and checksums, and applies mirrors", () => {
    const r = render({
      ...VALID_CLOUD,
      serverUrl: "https://claw.example.com/base/",
      agentBundleSha256: VALID_CLOUD.agentBundleSha256.toUpperCase(),
      mirrors: { nodeDistUrl: "https://mirror.corp.example/nodejs/dist/", npmRegistry: "http://npm.corp.example:4873/" },
    });
    const { values } = parseValuesBlock(r.values);
    expect(values.get("CC_SERVER_URL")).toEqual(["https://claw.example.com/base"]);
    expect(values.get("CC_AGENT_BUNDLE_SHA256")).toEqual([VALID_CLOUD.agentBundleSha256]);
    expect(values.get("CC_NODE_DIST_URL")).toEqual(["https://mirror.corp.example/nodejs/dist"]);
    expect(values.get("CC_NPM_REGISTRY")).toEqual(["http://npm.corp.example:4873"]);
  });

  it("announces exactly BOOTSTRAP_STEPS (cloud), in order", () => {
    const announced = [...CLOUD_BOOTSTRAP_SCRIPT.matchAll(/^\s*step "?([a-z-]+)"?$/gm)].map((m) => m[1]);
    const called = [...CLOUD_BOOTSTRAP_SCRIPT.slice(CLOUD_BOOTSTRAP_SCRIPT.indexOf("\nmain() {")).matchAll(/^ {2}([a-z_]+)$/gm)].map(
      (m) => m[1] ?? "",
    );
    // main() calls one function per step; each function announces its step first.
    const stepOf = (fn: string) => {
      const body = CLOUD_BOOTSTRAP_SCRIPT.slice(CLOUD_BOOTSTRAP_SCRIPT.indexOf(`\n${fn}() {`));
      return /\n {2}step "?([a-z-]+)"?\n/.exec(body)?.[1];
    };
    const order = [...called.map(stepOf), "done"];
    expect(order).toEqual(bootstrapSteps("cloud").map((s) => s.name));
    expect(new Set(announced)).toEqual(new Set(bootstrapSteps("cloud").map((s) => s.name)));
  });

  it("refuses bad input with a message naming each field", () => {
    const e = refusal(() =>
      render({
        ...VALID_CLOUD,
        instanceId: "ins_X",
        serverUrl: "http://claw.example.com",
        openclawVersion: "latest",
        nodeVersion: "22.11.0",
        swapMb: -1,
      }),
    );
    const fields = e.issues.map((i) => i.field);
    expect(fields).toEqual(expect.arrayContaining(["instanceId", "serverUrl", "openclawVersion", "nodeVersion", "swapMb"]));
    expect(e.message).toMatch(/serverUrl: must be an https:\/\/ URL/);
    expect(e.message).toMatch(/openclawVersion: "latest" is a channel: resolve it to an exact version/);
    expect(e.message).toMatch(/nodeVersion: 22\.11\.0 is not supported by OpenClaw/);
  });

  it("refuses missing and unknown fields", () => {
    const { registrationToken: _, ...missing } = VALID_CLOUD;
    expect(refusal(() => render(missing as typeof VALID_CLOUD)).message).toContain("registrationToken: is required");
    expect(refusal(() => render({ ...VALID_CLOUD, userSshKey: ED25519_KEY } as typeof VALID_CLOUD)).message).toContain(
      "userSshKey: unknown field",
    );
  });

  it("refuses a short registration token (under 256 bits)", () => {
    expect(refusal(() => render({ ...VALID_CLOUD, registrationToken: "a".repeat(42) })).issues[0]?.field).toBe("registrationToken");
  });

  it("refuses URLs with quotes, spaces, credentials, fragments or other schemes", () => {
    for (const bad of [
      "https://claw.example.com/'x",
      'https://claw.example.com/"x',
      "https://claw.example.com/ x",
      "https://claw.example.com/`id`",
      "https://claw.example.com/\\x",
      "https://user:pw@claw.example.com",
      "https://claw.example.com/#x",
      "ftp://claw.example.com",
      "file:///etc/passwd",
      "https://claw.example.com/\nx",
      "https:///nohost",
    ]) {
      const e = refusal(() => render({ ...VALID_CLOUD, agentBundleUrl: bad }));
      expect(e.issues.map((i) => i.field)).toEqual(["agentBundleUrl"]);
    }
  });

  it("accepts only an OpenSSH public key, never a private one", () => {
    expect(render({ ...VALID_CLOUD, userSshPublicKey: sshKey("ssh-rsa", 530, "me@host") }).bytes).toBeGreaterThan(0);
    expect(render({ ...VALID_CLOUD, userSshPublicKey: sshKey("ecdsa-sha2-nistp256", 100) }).bytes).toBeGreaterThan(0);
    const priv = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----";
    expect(refusal(() => render({ ...VALID_CLOUD, userSshPublicKey: priv })).message).toMatch(/userSshPublicKey: looks like a private key/);
    for (const bad of [
      `command="rm -rf /" ${ED25519_KEY}`,
      "ssh-ed25519 not-base64!",
      `${ED25519_KEY}\n${ED25519_KEY}`,
      sshKey("ssh-dss", 100),
      // A blob that says it is RSA, labelled ed25519.
      sshKey("ssh-rsa", 100).replace("ssh-rsa", "ssh-ed25519"),
    ]) {
      expect(refusal(() => render({ ...VALID_CLOUD, userSshPublicKey: bad })).issues[0]?.field).toBe("userSshPublicKey");
    }
  });

  it("opens SSH only for listed networks, and only with the user's key", () => {
    const e = refusal(() => render({ ...VALID_CLOUD, sshAllowFrom: ["203.0.113.7/32"] }));
    expect(e.message).toContain("sshAllowFrom: opens SSH, which needs userSshPublicKey");
    const r = render({ ...VALID_CLOUD, userSshPublicKey: ED25519_KEY, sshAllowFrom: ["203.0.113.7/32", "2001:db8::/48", "198.51.100.9"] });
    expect(parseValuesBlock(r.values).values.get("CC_SSH_ALLOW_FROM")).toEqual(["203.0.113.7/32", "2001:db8::/48", "198.51.100.9"]);
    for (const bad of ["0.0.0.0/33", "300.1.1.1/32", "any", "10.0.0.0/8; reboot", "::/129", "1.2.3.4/32/1"]) {
      const err = refusal(() => render({ ...VALID_CLOUD, userSshPublicKey: ED25519_KEY, sshAllowFrom: [bad] }));
      expect(err.issues[0]?.field).toBe("sshAllowFrom.0");
    }
  });

  it("uses the gateway port the unit file listens on", () => {
    expect(CLOUD_BOOTSTRAP_SCRIPT).toContain(`CC_GATEWAY_PORT=${CLOUD_GATEWAY_PORT}\n`);
    expect(CLOUD_BOOTSTRAP_SCRIPT).toContain(`gateway run --bind loopback --port ${CLOUD_GATEWAY_PORT}\n`);
  });

  it("recommends swap below 4 GB of RAM only", () => {
    expect(recommendedSwapMb(2048)).toBe(2048);
    expect(recommendedSwapMb(4095)).toBe(2048);
    expect(recommendedSwapMb(4096)).toBe(0);
  });

  it("has a shell script that bash accepts as it runs (values in place)", () => {
    const script = cloudScriptAsRun(render(VALID_CLOUD));
    expect(script.startsWith("#!/bin/bash\n")).toBe(true);
    expect(script).toContain("set -Eeuo pipefail\n");
  });
});

describe("renderLocalInstall", () => {
  it("gives a bash script with the values inline and a layout to run the gateway and agent from", () => {
    const r = renderLocalInstall({ ...VALID_LOCAL, mirrors: { npmRegistry: "https://npm.corp.example" } });
    expect(r.script.startsWith("#!/bin/bash\n")).toBe(true);
    expect(r.bytes).toBe(Buffer.byteLength(r.script));
    const block = r.script.slice(r.script.indexOf("CC_INSTANCE_ID="), r.script.indexOf("\nCC_PID="));
    const { values } = parseValuesBlock(block);
    expect(values.get("CC_INSTALL_DIR")).toEqual([VALID_LOCAL.installDir]);
    expect(values.get("CC_GATEWAY_PORT")).toEqual(["18999"]);
    expect(values.get("CC_NPM_REGISTRY")).toEqual(["https://npm.corp.example"]);
    for (const word of ["apt-get", "systemctl", "ufw", "useradd", "sshd", "passwd", "runuser", "swapon"]) {
      expect(r.script).not.toMatch(new RegExp(`\\b${word}\\b`));
    }
    expect(r.layout.gatewayUrl).toBe("http://127.0.0.1:18999");
    expect(r.layout.gateway.command).toBe(VALID_LOCAL.nodePath);
    expect(r.layout.gateway.args).toEqual([
      `${VALID_LOCAL.installDir}/openclaw/lib/node_modules/openclaw/openclaw.mjs`,
      "gateway",
      "run",
      "--bind",
      "loopback",
      "--port",
      "18999",
    ]);
    expect(r.layout.gateway.env.HOME).toBe(`${VALID_LOCAL.installDir}/home`);
    expect(r.layout.gateway.env.OPENCLAW_STATE_DIR).toBe(`${VALID_LOCAL.installDir}/home/.openclaw`);
    expect(r.layout.agent.args).toEqual([
      `${VALID_LOCAL.installDir}/agent/clawcloud-agent.mjs`,
      "--config",
      `${VALID_LOCAL.installDir}/agent/config.json`,
    ]);
  });

  it("passes only proxy and CA variables of the caller's environment", () => {
    const layout = localLayout(VALID_LOCAL, { HTTPS_PROXY: "http://proxy:3128", NODE_EXTRA_CA_CERTS: "/ca.pem", SECRET: "x" });
    expect(layout.gateway.env.HTTPS_PROXY).toBe("http://proxy:3128");
    expect(layout.agent.env.NODE_EXTRA_CA_CERTS).toBe("/ca.pem");
    expect(JSON.stringify(layout)).not.toContain("SECRET");
  });

  it("lets the install script pass the same proxy and CA variables (its bash copy of the list)", () => {
    const loop = /\nfor v in ([A-Za-z_ ]+); do\n {2}\[ -z "\$\{!v:-\}" \] \|\| CC_PASS_ENV\+=/.exec(renderLocalInstall(VALID_LOCAL).script);
    expect(loop?.[1]?.split(" ")).toEqual([...PASSTHROUGH_ENV]);
  });

  it("announces exactly the local steps, in order", () => {
    const r = renderLocalInstall(VALID_LOCAL);
    const main = r.script.slice(r.script.indexOf("\nmain() {"));
    const called = [...main.matchAll(/^ {2}([a-z_]+)$/gm)].map((m) => m[1] ?? "").filter((fn) => r.script.includes(`\n${fn}() {`));
    const stepOf = (fn: string) => /\n {2}step "?([a-z-]+)"?\n/.exec(r.script.slice(r.script.indexOf(`\n${fn}() {`)))?.[1];
    expect([...called.map(stepOf), "done"]).toEqual(bootstrapSteps("local").map((s) => s.name));
  });

  it("refuses relative or unsafe paths and privileged ports, naming the field", () => {
    for (const [field, value] of [
      ["installDir", "relative/dir"],
      ["installDir", "/tmp/../etc"],
      ["installDir", "/tmp/a:b"],
      ["installDir", "/tmp/a\\b"],
      ["nodePath", "/tmp/$(id)/node"],
      ["npmCliPath", "/tmp/x\ny"],
    ] as const) {
      expect(refusal(() => renderLocalInstall({ ...VALID_LOCAL, [field]: value })).issues[0]?.field).toBe(field);
    }
    expect(refusal(() => renderLocalInstall({ ...VALID_LOCAL, gatewayPort: 80 })).issues[0]?.field).toBe("gatewayPort");
  });
});

describe("steps", () => {
  it("has unique names, and local is a subsequence of cloud", () => {
    const names = BOOTSTRAP_STEPS.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    expect(bootstrapSteps("local").map((s) => s.name)).toEqual([
      "preflight",
      "agent-install",
      "openclaw-install",
      "openclaw-onboard",
      "openclaw-config",
      "agent-config",
      "done",
    ]);
  });

  it("parses step lines from stdout and from the log", () => {
    expect(parseStepLine("clawcloud-step: node start")).toEqual({ step: "node", status: "start", message: "" });
    expect(parseStepLine("2026-11-25T18:45:31Z clawcloud-step: openclaw-install ok openclaw 2026.9.6")).toEqual({
      step: "openclaw-install",
      status: "ok",
      message: "openclaw 2026.9.6",
    });
    expect(parseStepLine("clawcloud-step: node failed Node.js tarball checksum mismatch")?.status).toBe("failed");
    expect(parseStepLine("npm warn something")).toBeNull();
  });
});
