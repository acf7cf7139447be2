// One Debian 12 machine booted with systemd as PID 1 in systemd-nspawn: its own copy of the
// image, the cloud-init NoCloud seed (the user-data exactly as rendered for the cloud), and a
// private network: one veth pair, the host's end at 10.231.<n>.1, the machine's at .2. Commands
// run inside through nsenter; files are read from outside through the root directory.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { mountImage, unmountImage } from "./image.ts";
import { must, type RunResult, run, waitFor } from "./run.ts";

const IN_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

export class Container {
  readonly name: string;
  readonly root: string;
  readonly #dir: string;
  readonly hostIp: string;
  readonly guestIp: string;
  readonly #vethHost: string;
  readonly #vethGuest: string;
  /** What nspawn itself printed (the machine's logs are in its journal, read from outside). */
  readonly console: string[] = [];
  #nspawn: ChildProcess | undefined;
  #exited: Promise<number | null> | undefined;

  constructor(o: { id: string; subnet: number; workDir: string }) {
    this.name = `cchost-${o.id}`;
    this.#dir = join(o.workDir, this.name);
    this.root = join(this.#dir, "root");
    this.hostIp = `10.231.${o.subnet}.1`;
    this.guestIp = `10.231.${o.subnet}.2`;
    this.#vethHost = `vh-${o.id}`;
    this.#vethGuest = `vc-${o.id}`;
  }

  /** The image copy, the NoCloud seed, the network file and the test's CA in the trust store. */
  async prepare(image: string, seed: { userData: string; caPem: string }): Promise<void> {
    await mountImage(image, this.#dir);
    const nocloud = join(this.root, "var/lib/cloud/seed/nocloud");
    mkdirSync(nocloud, { recursive: true });
    writeFileSync(join(nocloud, "user-data"), seed.userData);
    writeFileSync(join(nocloud, "meta-data"), `instance-id: ${this.name}\nlocal-hostname: ${this.name}\n`);
    writeFileSync(
      join(this.root, "etc/systemd/network/10-clawcloud-host-test.network"),
      `[Match]\nName=${this.#vethGuest}\n\n[Network]\nAddress=${this.guestIp}/24\n`,
    );
    // The site's own CA, as an enterprise image carries it: Claw Cloud's https address uses it.
    writeFileSync(join(this.root, "usr/local/share/ca-certificates/clawcloud-host-test.crt"), seed.caPem);
    await must("chroot", [this.root, "update-ca-certificates"]);
  }

  /** The veth pair (again after a reboot: the machine's network namespace took it down with it). */
  async network(): Promise<void> {
    await run("ip", ["link", "del", this.#vethHost]);
    await must("ip", ["link", "add", this.#vethHost, "type", "veth", "peer", "name", this.#vethGuest]);
    await must("ip", ["addr", "add", `${this.hostIp}/24`, "dev", this.#vethHost]);
    await must("ip", ["link", "set", this.#vethHost, "up"]);
  }

  async boot(): Promise<void> {
    if (!readdirSync("/sys/class/net").includes(this.#vethHost)) await this.network();
    // No systemd or udev on this host: nspawn must not ask either. It takes a writable /sys to mean
    // "udev runs" and would wait for udev to initialise the interface, so it starts in a private
    // mount namespace whose /sys is read-only (the machine gets its own sysfs regardless).
    const nspawn = ["systemd-nspawn", "-q", "-D", this.root, "-M", this.name, "-b", "--register=no", "--keep-unit"];
    nspawn.push(`--network-interface=${this.#vethGuest}`, "--console=pipe");
    const child = spawn(
      "unshare",
      ["-m", "--propagation", "private", "--", "sh", "-c", 'mount -o remount,bind,ro /sys && exec "$@"', "sh", ...nspawn],
      { stdio: ["pipe", "pipe", "pipe"] },
    );
    let partial = "";
    const collect = (d: Buffer) => {
      const parts = (partial + d.toString()).split(/\r?\n/);
      partial = parts.pop() ?? "";
      this.console.push(...parts);
    };
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
    this.#nspawn = child;
    this.#exited = new Promise((resolve) => child.on("exit", (code) => resolve(code)));
    await waitFor("the machine's systemd to start", 30_000, async () => (this.#leader() ? true : undefined), 200);
  }

  /** PID 1 of the machine, as the host sees it: nspawn's child running systemd. */
  #leader(): number | undefined {
    const parent = this.#nspawn?.pid;
    if (!parent || this.#nspawn?.exitCode !== null) return undefined;
    for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        if (Number(fields[1]) === parent && readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "systemd") return Number(pid);
      } catch {
        // the process ended while we looked
      }
    }
    return undefined;
  }

  /** Runs a command inside the machine (all its namespaces), with a clean environment. */
  exec(args: string[], timeoutMs = 60_000): Promise<RunResult> {
    const leader = this.#leader();
    if (!leader) return Promise.resolve({ code: 255, stdout: "", stderr: "the machine is not running" });
    return run("nsenter", ["-t", String(leader), "-m", "-u", "-i", "-n", "-p", "--", "/usr/bin/env", "-i", IN_PATH, ...args], {
      timeoutMs,
    });
  }

  async execOk(args: string[], timeoutMs?: number): Promise<string> {
    const r = await this.exec(args, timeoutMs);
    if (r.code !== 0) throw new Error(`in ${this.name}: ${args.join(" ")} failed (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
  }

  /**
   * Waits until cloud-init has finished this boot (its boot-finished marker, written at the end of
   * the final stage, newer than `since`), then returns its status: "done" or "error". (The status
   * alone says "error" as soon as one module failed, while the rest still runs.)
   */
  async cloudInitFinished(timeoutMs: number, since = 0): Promise<string> {
    // (instances/<id>, not the instance symlink: it is absolute, so it points into the host.)
    const marker = join(this.root, "var/lib/cloud/instances", this.name, "boot-finished");
    await waitFor(
      "cloud-init to finish",
      timeoutMs,
      async () => (existsSync(marker) && statSync(marker).mtimeMs >= since ? true : undefined),
      2000,
    );
    return /status: (\w+)/.exec((await this.exec(["cloud-init", "status"])).stdout)?.[1] ?? "unknown";
  }

  /** `systemctl reboot` inside; nspawn exits (status 133) and is started again, as a cloud's hypervisor would. */
  async reboot(): Promise<void> {
    await this.exec(["systemctl", "reboot"]);
    const code = await Promise.race([this.#exited, new Promise((r) => setTimeout(() => r("timeout"), 120_000))]);
    if (code === "timeout") throw new Error(`${this.name} did not shut down for the reboot within 120 s`);
    await this.network();
    await this.boot();
  }

  async stop(): Promise<void> {
    const child = this.#nspawn;
    if (child && child.exitCode === null) {
      // nspawn turns SIGTERM into a clean shutdown of the machine.
      child.kill("SIGTERM");
      const done = await Promise.race([this.#exited, new Promise((r) => setTimeout(() => r("timeout"), 60_000))]);
      if (done === "timeout") {
        child.kill("SIGKILL");
        await this.#exited;
      }
    }
    await run("ip", ["link", "del", this.#vethHost]);
  }

  async remove(): Promise<void> {
    await unmountImage(this.#dir);
  }
}
