// Reports support logins from sshd's own log: "Accepted publickey for <user> from <ip> port <n>
// ssh2: ED25519 SHA256:…". Follows a file (from its end at start) or the systemd journal.
import { spawn } from "node:child_process";
import { open, stat } from "node:fs/promises";
import { sleep } from "../backoff.ts";
import type { Logger } from "../log.ts";

const ACCEPTED = /Accepted (\S+) for (\S+) from (\S+) port \d+ ssh2(?:: (\S+) (\S+))?/;

export function parseAcceptedLogin(line: string, user: string): string | undefined {
  const m = ACCEPTED.exec(line);
  if (!m || m[2] !== user) return undefined;
  const key = m[4] && m[5] ? ` with ${m[4]} ${m[5]}` : "";
  return `${m[2]} from ${m[3]} (${m[1]}${key})`.slice(0, 300);
}

export async function watchLogins(o: {
  source: string;
  user: string;
  pollMs: number;
  log: Logger;
  signal: AbortSignal;
  onLogin(summary: string): void;
}): Promise<void> {
  const onLine = (line: string) => {
    const summary = parseAcceptedLogin(line, o.user);
    if (summary) o.onLogin(summary);
  };
  if (o.source === "journal") return followJournal(o.signal, onLine, o.log);
  let offset = await stat(o.source).then(
    (s) => s.size,
    () => 0,
  );
  let rest = "";
  while (!o.signal.aborted) {
    const fh = await open(o.source, "r").catch(() => undefined);
    if (fh) {
      try {
        const size = (await fh.stat()).size;
        if (size < offset) offset = 0; // rotated or truncated
        if (size > offset) {
          const buf = Buffer.alloc(Math.min(size - offset, 1024 * 1024));
          const { bytesRead } = await fh.read(buf, 0, buf.length, offset);
          offset += bytesRead;
          const lines = (rest + buf.subarray(0, bytesRead).toString("utf8")).split("\n");
          rest = lines.pop() ?? "";
          for (const line of lines) onLine(line);
        }
      } finally {
        await fh.close();
      }
    }
    await sleep(o.pollMs, o.signal);
  }
}

function followJournal(signal: AbortSignal, onLine: (line: string) => void, log: Logger): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn("journalctl", ["--follow", "--lines=0", "--output=cat", "--identifier=sshd", "--identifier=sshd-session"], {
      stdio: ["ignore", "pipe", "ignore"],
      signal,
    });
    let rest = "";
    child.stdout.on("data", (chunk: Buffer) => {
      const lines = (rest + chunk.toString("utf8")).split("\n");
      rest = lines.pop() ?? "";
      for (const line of lines) onLine(line);
    });
    child.on("error", (err) => {
      if (!signal.aborted) log.warn("support_login_watch_failed", { error: err.message });
    });
    child.on("close", () => resolve());
  });
}
