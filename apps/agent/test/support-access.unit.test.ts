// Support access on the agent, without a server: the authorized_keys line, the login parser, and
// expiry enforced by the agent's own clock (timer, periodic check, start) with the grant persisted.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { supportCommands } from "../src/commands/support.ts";
import { createLogger } from "../src/log.ts";
import { sshExpiryTime, supportKeyLine } from "../src/support/authorized-keys.ts";
import { GRANT_FILE } from "../src/support/grant-store.ts";
import { parseAcceptedLogin } from "../src/support/login-watch.ts";
import { SupportAccess } from "../src/support/support-access.ts";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB3zVx9dWk3Wm1n2q6bq3Y9rY2x1b3VkLXN1cHBvcnQtdGVzdA";
const GRANT_ID = "sgr_01jd0000000000000000000000";
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup(clock: { now: number }) {
  const dir = mkdtempSync(join(tmpdir(), "cc-agent-support-"));
  dirs.push(dir);
  const keys = join(dir, "ssh", "authorized_keys");
  const reports: string[] = [];
  const make = () =>
    new SupportAccess({
      config: { authorizedKeysFile: keys, sudo: false, user: "clawsupport", sshHost: "127.0.0.1", sshPort: 22 },
      stateDir: dir,
      serverUrl: "http://127.0.0.1:1",
      credential: "c".repeat(43),
      log: createLogger({ write: () => undefined }),
      checkIntervalMs: 20,
      now: () => clock.now,
      report: (name, _status, message) => reports.push(`${name} ${message}`),
    });
  return { dir, keys, reports, make };
}

const until = async (what: string, fn: () => boolean) => {
  const end = Date.now() + 3000;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe("the support key line", () => {
  it("carries sshd's own expiry, loopback only and no forwarding", () => {
    const at = new Date("2026-11-25T21:05:09.500Z");
    expect(sshExpiryTime(at)).toBe("20261125210509Z");
    expect(supportKeyLine(KEY, at, GRANT_ID)).toBe(
      `expiry-time="20261125210509Z",from="127.0.0.1,::1",restrict,pty ${KEY} clawcloud-support-${GRANT_ID}`,
    );
  });

  it("reports only the support user's accepted logins", () => {
    const line = "Accepted publickey for clawsupport from 127.0.0.1 port 50522 ssh2: ED25519 SHA256:abc";
    expect(parseAcceptedLogin(line, "clawsupport")).toBe("clawsupport from 127.0.0.1 (publickey with ED25519 SHA256:abc)");
    expect(parseAcceptedLogin(line.replace("clawsupport", "claw"), "clawsupport")).toBeUndefined();
    expect(parseAcceptedLogin("Failed publickey for clawsupport from 10.0.0.1 port 1 ssh2", "clawsupport")).toBeUndefined();
  });
});

describe("expiry enforced by the agent", () => {
  it("installs a grant, persists it, and removes the key when its clock passes the expiry", async () => {
    const clock = { now: Date.now() };
    const s = setup(clock);
    const support = s.make();
    await support.start();
    await support.grant({ grantId: GRANT_ID, publicKey: KEY, expiresAt: new Date(clock.now + 3_600_000).toISOString() });
    expect(readFileSync(s.keys, "utf8")).toContain(`clawcloud-support-${GRANT_ID}`);
    expect(existsSync(join(s.dir, GRANT_FILE))).toBe(true);
    clock.now += 3_600_001;
    await until("expiry reported", () => s.reports.length === 1);
    expect(existsSync(s.keys)).toBe(false);
    expect(existsSync(join(s.dir, GRANT_FILE))).toBe(false);
    expect(s.reports).toEqual([`support-expired ${GRANT_ID}`]);
    support.stop();
  });

  it("removes an expired grant at start, and re-installs an active one", async () => {
    const clock = { now: Date.now() };
    const s = setup(clock);
    const first = s.make();
    await first.start();
    await first.grant({ grantId: GRANT_ID, publicKey: KEY, expiresAt: new Date(clock.now + 3_600_000).toISOString() });
    first.stop();

    const again = s.make();
    await again.start();
    expect(again.activeGrantId).toBe(GRANT_ID);
    expect(existsSync(s.keys)).toBe(true);
    again.stop();

    clock.now += 2 * 3_600_000;
    const late = s.make();
    await late.start();
    expect(existsSync(s.keys)).toBe(false);
    expect(s.reports).toEqual([`support-expired ${GRANT_ID}`]);
    late.stop();
  });

  it("refuses grants that are expired, too long or malformed, and tunnels without a grant", async () => {
    const clock = { now: Date.now() };
    const s = setup(clock);
    const support = s.make();
    await support.start();
    const at = (ms: number) => new Date(clock.now + ms).toISOString();
    await expect(support.grant({ grantId: GRANT_ID, publicKey: KEY, expiresAt: at(-1000) })).rejects.toMatchObject({
      code: "GRANT_EXPIRED",
    });
    await expect(support.grant({ grantId: GRANT_ID, publicKey: KEY, expiresAt: at(25 * 3_600_000) })).rejects.toMatchObject({
      code: "GRANT_TOO_LONG",
    });
    await expect(support.grant({ grantId: GRANT_ID, publicKey: `${KEY}\nssh-rsa AAAA`, expiresAt: at(1000) })).rejects.toMatchObject({
      code: "INVALID_ARGS",
    });
    await expect(support.openTunnel("tun_x")).rejects.toMatchObject({ code: "NO_GRANT" });
    expect(existsSync(s.keys)).toBe(false);
    support.stop();
  });

  it("answers SUPPORT_NOT_CONFIGURED when the config has no support section", async () => {
    const [grant] = supportCommands(undefined);
    const ctx = { log: createLogger({ write: () => undefined }), signal: new AbortController().signal };
    await expect(grant?.execute({ grantId: GRANT_ID, publicKey: KEY, expiresAt: new Date().toISOString() }, ctx)).rejects.toMatchObject({
      code: "SUPPORT_NOT_CONFIGURED",
    });
  });
});
