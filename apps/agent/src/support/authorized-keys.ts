// Where the support key goes. `file`: an authorized_keys file the agent owns outright (the local
// provider: inside the instance directory). `sudo`: on a real server the support user's key file
// is root's (so support cannot add a lasting key); the agent may only `tee` or `truncate` that one
// path through sudo (packages/bootstrap files/sudoers-clawcloud-agent), the line on stdin.
import { execFile } from "node:child_process";
import { mkdir, rm } from "node:fs/promises";
import { dirname } from "node:path";
import { writeFileAtomic } from "../atomic-file.ts";

export interface KeyTarget {
  /** Makes `line` the only support key (null: none). */
  set(line: string | null): Promise<void>;
}

export function fileKeyTarget(path: string): KeyTarget {
  return {
    async set(line) {
      if (line === null) await rm(path, { force: true });
      else {
        await mkdir(dirname(path), { recursive: true, mode: 0o700 });
        await writeFileAtomic(path, `${line}\n`, 0o600);
      }
    },
  };
}

export function sudoKeyTarget(path: string): KeyTarget {
  return {
    set(line) {
      const argv = line === null ? ["-n", "/usr/bin/truncate", "-s", "0", path] : ["-n", "/usr/bin/tee", path];
      return new Promise((resolve, reject) => {
        const child = execFile("sudo", argv, { timeout: 15_000 }, (err, _out, stderr) =>
          err ? reject(new Error(`sudo ${argv[1]} ${path} failed: ${stderr.trim().slice(0, 200) || err.message}`)) : resolve(),
        );
        child.stdin?.end(line === null ? "" : `${line}\n`);
      });
    },
  };
}

/** OpenSSH's absolute time, UTC: YYYYMMDDHHMMSSZ. */
export function sshExpiryTime(at: Date): string {
  return `${at.toISOString().replace(/[-:T]/g, "").slice(0, 14)}Z`;
}

/**
 * The authorized_keys line: sshd itself refuses the key after `expiry-time` (even if the agent is
 * dead), only from loopback (the agent's tunnel ends there; an open port would not help anyone),
 * with no forwarding of any kind (`restrict`), but a terminal.
 */
export function supportKeyLine(publicKey: string, expiresAt: Date, grantId: string): string {
  return `expiry-time="${sshExpiryTime(expiresAt)}",from="127.0.0.1,::1",restrict,pty ${publicKey} clawcloud-support-${grantId}`;
}
