// A real OpenSSH server (Debian's openssh-server) on a loopback port, for the support tunnel
// tests: its own host key and config, the authorized_keys file the agent manages, its log in a file.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "../../../../test-support/free-port.ts";

export const SSHD = "/usr/sbin/sshd";

export interface Sshd {
  port: number;
  logFile: string;
  stop(): void;
}

export function sshKeygen(path: string): string {
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "support@clawcloud.test", "-f", path]);
  return readFileSync(`${path}.pub`, "utf8").trim();
}

export async function startSshd(dir: string, authorizedKeysFile: string): Promise<Sshd> {
  mkdirSync(dir, { recursive: true });
  // sshd (as root) insists on its privilege separation directory.
  if (process.getuid?.() === 0 && !existsSync("/run/sshd")) mkdirSync("/run/sshd", { mode: 0o755 });
  const hostKey = join(dir, "host_ed25519");
  sshKeygen(hostKey);
  const port = await freePort();
  const logFile = join(dir, "sshd.log");
  const config = join(dir, "sshd_config");
  writeFileSync(
    config,
    [
      `Port ${port}`,
      "ListenAddress 127.0.0.1",
      `HostKey ${hostKey}`,
      `AuthorizedKeysFile ${authorizedKeysFile}`,
      "StrictModes no",
      "UsePAM no",
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "PermitRootLogin prohibit-password",
      "PidFile none",
      "LogLevel INFO",
      "",
    ].join("\n"),
  );
  const child: ChildProcess = spawn(SSHD, ["-D", "-f", config, "-E", logFile], { stdio: "ignore" });
  const end = Date.now() + 10_000;
  while (!existsSync(logFile) || !readFileSync(logFile, "utf8").includes("Server listening")) {
    if (child.exitCode !== null) throw new Error(`sshd exited: ${existsSync(logFile) ? readFileSync(logFile, "utf8") : ""}`);
    if (Date.now() > end) throw new Error("sshd did not start");
    await new Promise((r) => setTimeout(r, 50));
  }
  return { port, logFile, stop: () => child.kill("SIGTERM") };
}
