// Shared fixtures and checks for the bootstrap tests.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { parse as parseYaml } from "yaml";
import type { CloudBootstrapInput, LocalInstallInput, RenderResult } from "../src/index.ts";

export const VALID_CLOUD: CloudBootstrapInput = {
  instanceId: "ins_01jx5v8k2m3n4p5q6r7s8t9v0w",
  serverUrl: "https://claw.example.com",
  registrationToken: "k3Jq9v0Zr8XyT2bW5nL1mH4cD6fG7aS0eR9uI8oP7lK",
  agentBundleUrl: "https://claw.example.com/api/agent/v1/bundle/clawcloud-agent.js",
  agentBundleSha256: "6de729383065040becded71a5555d3ef24c7b363b1c4e06a2909f3d893590d5b",
  openclawVersion: "2026.9.6",
  nodeVersion: "24.21.0",
  nodeTarballSha256: "0f7e5f6a9a1c4c0b8a3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b",
  swapMb: 2048,
};

export const ED25519_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK0wmN/Cr3JXqmLW7u+g9pTh+wyqDHpSQEIQczXkVx9q dev@laptop";

export const VALID_LOCAL: LocalInstallInput = {
  instanceId: "ins_01jx5v8k2m3n4p5q6r7s8t9v0w",
  serverUrl: "http://127.0.0.1:3000",
  registrationToken: "k3Jq9v0Zr8XyT2bW5nL1mH4cD6fG7aS0eR9uI8oP7lK",
  agentBundleUrl: "http://127.0.0.1:3000/api/agent/v1/bundle/clawcloud-agent.js",
  agentBundleSha256: "6de729383065040becded71a5555d3ef24c7b363b1c4e06a2909f3d893590d5b",
  openclawVersion: "2026.9.6",
  installDir: "/var/tmp/clawcloud/ins_01jx5v8k2m3n4p5q6r7s8t9v0w",
  nodePath: "/opt/node24/bin/node",
  npmCliPath: "/usr/lib/node_modules/npm/bin/npm-cli.js",
  gatewayPort: 18999,
};

/** An OpenSSH public key line of a given type with a well-formed blob. */
export function sshKey(type: string, blobBytes: number, comment?: string): string {
  const name = Buffer.from(type, "latin1");
  const length = Buffer.alloc(4);
  length.writeUInt32BE(name.length);
  const blob = Buffer.concat([length, name, Buffer.alloc(blobBytes, 0x5a)]).toString("base64");
  return comment === undefined ? `${type} ${blob}` : `${type} ${blob} ${comment}`;
}

export interface CloudConfigParts {
  doc: Record<string, unknown>;
  files: { path: string; permissions?: string; encoding?: string; content: string }[];
  values: string;
  script: string;
  sshd: string;
}

/** Parse the user-data as YAML and decode its files (the script is gzip+base64). */
export function cloudConfigParts(userData: string): CloudConfigParts {
  const doc = parseYaml(userData) as Record<string, unknown>;
  const files = doc.write_files as CloudConfigParts["files"];
  const byPath = (p: string) => {
    const f = files.find((x) => x.path === p);
    if (!f) throw new Error(`no write_files entry for ${p}`);
    return f;
  };
  const scriptFile = byPath("/var/lib/clawcloud/bootstrap.sh");
  return {
    doc,
    files,
    values: byPath("/var/lib/clawcloud/values.sh").content,
    script: gunzipSync(Buffer.from(scriptFile.content, "base64")).toString("utf8"),
    sshd: byPath("/etc/ssh/sshd_config.d/01-clawcloud.conf").content,
  };
}

/** The cloud script as bash runs it: the values file in place of the line that sources it. */
export function cloudScriptAsRun(result: RenderResult): string {
  const line = ". /var/lib/clawcloud/values.sh\n";
  if (!result.script.includes(line)) throw new Error("the script does not source the values file");
  return result.script.replace(line, result.values);
}

/**
 * Decode one right-hand side exactly as shellQuote() writes it: single-quoted runs joined by
 * '"'"'. Anything else (an unquoted character, a $, a backtick, a space) is an error. Returns the
 * words (one for a scalar; several for an array "( 'a' 'b' )").
 */
export function parseQuotedRhs(rhs: string): string[] {
  const word = (s: string, at: number): [string, number] => {
    if (s[at] !== "'") throw new Error(`expected ' at ${at} in ${JSON.stringify(s)}`);
    let out = "";
    let i = at;
    for (;;) {
      const end = s.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated quote in ${JSON.stringify(s)}`);
      out += s.slice(i + 1, end);
      i = end + 1;
      if (s.startsWith(`"'"'`, i)) {
        out += "'";
        i += 3;
        continue;
      }
      return [out, i];
    }
  };
  if (rhs.startsWith("(")) {
    if (!rhs.endsWith(")")) throw new Error(`bad array ${rhs}`);
    const inner = rhs.slice(1, -1);
    const words: string[] = [];
    let i = 0;
    while (i < inner.length) {
      const [w, next] = word(inner, i);
      words.push(w);
      i = next;
      if (i < inner.length) {
        if (inner[i] !== " ") throw new Error(`expected a space at ${i} in ${JSON.stringify(inner)}`);
        i += 1;
      }
    }
    return words;
  }
  const [w, end] = word(rhs, 0);
  if (end !== rhs.length) throw new Error(`trailing text after the literal in ${JSON.stringify(rhs)}`);
  return [w];
}

/** `NAME=<rhs>` lines (and ## comments) of a values block → name → words. */
export function parseValuesBlock(block: string): { names: string[]; values: Map<string, string[]> } {
  const names: string[] = [];
  const values = new Map<string, string[]>();
  for (const line of block.split("\n")) {
    if (line === "" || line.startsWith("## ")) continue;
    const m = /^(CC_[A-Z0-9_]+)=(.*)$/.exec(line);
    if (!m?.[1] || m[2] === undefined) throw new Error(`not an assignment: ${JSON.stringify(line)}`);
    names.push(m[1]);
    values.set(m[1], parseQuotedRhs(m[2]));
  }
  return { names, values };
}

/** Let bash itself evaluate a values block and report every variable (arrays joined by NUL). */
export function bashValues(block: string, names: string[]): Map<string, string[]> {
  const dir = mkdtempSync(join(tmpdir(), "cc-values-"));
  try {
    const file = join(dir, "values.sh");
    writeFileSync(file, block);
    const out = execFileSync(
      "bash",
      [
        "--noprofile",
        "--norc",
        "-c",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: bash, not a template
        'set -e; . "$1"; shift; for n in "$@"; do declare -n ref="$n"; printf "%s\\x01" "$n"; if ((${#ref[@]})); then printf "%s\\x00" "${ref[@]}"; fi; printf "\\x02"; unset -n ref; done',
        "_",
        file,
        ...names,
      ],
      { env: {}, encoding: "buffer" },
    );
    const result = new Map<string, string[]>();
    for (const record of out.toString("utf8").split("\x02")) {
      if (!record) continue;
      const [name = "", rest = ""] = record.split("\x01");
      const items = rest.split("\x00");
      items.pop();
      result.set(name, items);
    }
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let shellcheckChecked = false;
/** shellcheck must be installed: CI installs it (Debian package "shellcheck"). */
export function requireShellcheck(): void {
  if (shellcheckChecked) return;
  const r = spawnSync("shellcheck", ["--version"], { encoding: "utf8" });
  if (r.error || r.status !== 0) {
    throw new Error("shellcheck is not installed: apt-get install -y shellcheck (the bootstrap tests need it; CI installs it)");
  }
  shellcheckChecked = true;
}

/**
 * Run shellcheck on a script; returns its findings (empty when clean). In the values block
 * (CC_*=... assignment lines) SC2016 "expressions don't expand in single quotes" is the point: a
 * value like it's $(me) is data. That one note is dropped there, and only there.
 */
export function shellcheck(script: string): string {
  requireShellcheck();
  const r = spawnSync("shellcheck", ["--shell=bash", "--severity=style", "--format=gcc", "-"], { input: script, encoding: "utf8" });
  const lines = script.split("\n");
  return `${r.stdout}${r.stderr}`
    .split("\n")
    .filter((finding) => {
      const m = /^-:(\d+):\d+: .*\[SC2016\]$/.exec(finding);
      return !(m && /^CC_[A-Z0-9_]+=/.test(lines[Number(m[1]) - 1] ?? ""));
    })
    .join("\n")
    .trim();
}

export function bashSyntaxErrors(script: string): string {
  const r = spawnSync("bash", ["-n"], { input: script, encoding: "utf8" });
  return r.status === 0 ? "" : r.stderr;
}
