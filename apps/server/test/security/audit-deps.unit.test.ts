// The supply-chain check (scripts/audit-deps.ts): the lock file's integrity rule, on the real
// lock file and on broken ones; npm audit's report judged against the reviewed allow-list.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type AllowEntry, type AuditReport, checkLockfile, evaluateAudit } from "../../../../scripts/audit-deps.ts";

const root = join(import.meta.dirname, "..", "..", "..", "..");

describe("lock file integrity", () => {
  it("the repository's lock file passes", () => {
    expect(checkLockfile(JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")))).toEqual([]);
  });

  it("finds a package without integrity, one from elsewhere, and an old format", () => {
    const problems = checkLockfile({
      lockfileVersion: 2,
      packages: {
        "": {},
        "apps/web": {},
        "node_modules/@clawcloud/web": { link: true },
        "node_modules/good": { integrity: "sha512-AAAA==", resolved: "https://registry.npmjs.org/good/-/good-1.0.0.tgz" },
        "node_modules/no-hash": { resolved: "https://registry.npmjs.org/no-hash/-/no-hash-1.0.0.tgz" },
        "node_modules/weak-hash": { integrity: "sha1-AAAA" },
        "node_modules/from-git": { integrity: "sha512-AAAA==", resolved: "git+ssh://git@github.com/x/y.git#abc" },
        "node_modules/a/node_modules/tarball": { integrity: "sha512-AAAA==", resolved: "https://evil.example/t.tgz" },
      },
    });
    expect(problems).toEqual([
      "lockfileVersion 2: regenerate with npm 9 or newer",
      "node_modules/no-hash: no sha512 integrity hash",
      "node_modules/weak-hash: no sha512 integrity hash",
      "node_modules/from-git: resolved outside the registry (git+ssh://git@github.com/x/y.git#abc)",
      "node_modules/a/node_modules/tarball: resolved outside the registry (https://evil.example/t.tgz)",
    ]);
  });
});

describe("npm audit against the allow-list", () => {
  const report: AuditReport = {
    vulnerabilities: {
      left: {
        name: "left",
        severity: "high",
        via: [{ source: 1001, title: "ReDoS", severity: "high", url: "https://github.com/advisories/GHSA-aaaa-bbbb-cccc" }],
      },
      right: {
        name: "right",
        severity: "critical",
        via: [{ source: 1002, title: "RCE", severity: "critical", url: "https://github.com/advisories/GHSA-dddd-eeee-ffff" }],
      },
      minor: { name: "minor", severity: "moderate", via: [{ source: 1003, title: "meh", severity: "moderate" }] },
      parent: { name: "parent", severity: "high", via: ["left"] },
    },
  };
  const entry = (id: string, expires: string): AllowEntry => ({ id, package: "left", reason: "not reachable", reviewedBy: "sec", expires });

  it("blocks high and critical advisories that are not allowed", () => {
    const v = evaluateAudit(report, [], new Date("2026-11-25"));
    expect(v.blocking).toHaveLength(2);
    expect(v.blocking.join("\n")).toMatch(/left: high — ReDoS \(1001, GHSA-aaaa-bbbb-cccc\)/);
    expect(v.blocking.join("\n")).toMatch(/right: critical — RCE/);
    expect(v.allowed).toEqual([]);
  });

  it("lets a reviewed, unexpired exception through, by GHSA or npm id", () => {
    for (const id of ["GHSA-aaaa-bbbb-cccc", "1001"]) {
      const v = evaluateAudit(report, [entry(id, "2026-12-31")], new Date("2026-11-25"));
      expect(v.allowed).toHaveLength(1);
      expect(v.blocking).toHaveLength(1);
      expect(v.invalidAllowEntries).toEqual([]);
    }
  });

  it("an expired or incomplete exception fails until reviewed again", () => {
    const v = evaluateAudit(
      report,
      [entry("GHSA-aaaa-bbbb-cccc", "2026-01-01"), { ...entry("1002", "2027-01-01"), reason: "" }],
      new Date("2026-11-25"),
    );
    expect(v.invalidAllowEntries).toEqual([
      "GHSA-aaaa-bbbb-cccc (left): expired on 2026-01-01; review it again",
      "1002: needs id, package, reason, reviewedBy and expires",
    ]);
    expect(v.blocking).toHaveLength(2);
  });

  it("the allow-list file is well-formed", () => {
    const file = JSON.parse(readFileSync(join(root, "security", "audit-allowlist.json"), "utf8")) as { advisories: AllowEntry[] };
    expect(evaluateAudit({}, file.advisories).invalidAllowEntries).toEqual([]);
  });
});
