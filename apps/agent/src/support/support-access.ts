// Support access on this server, enforced here: the support key is installed with sshd's own
// expiry-time, a timer removes it at expiry, a periodic check catches a clock that jumped, and at
// start an expired (or unknown) grant is removed — so access ends on time even when the server is
// unreachable or the agent was down. Revoke or expiry also closes every open tunnel.
import { CommandError } from "../commands/command.ts";
import type { SupportConfig } from "../config.ts";
import type { Logger } from "../log.ts";
import { tunnelUrl } from "../server-urls.ts";
import { fileKeyTarget, type KeyTarget, sudoKeyTarget, supportKeyLine } from "./authorized-keys.ts";
import { clearGrant, readGrant, type StoredGrant, storedGrantSchema, writeGrant } from "./grant-store.ts";
import { openTunnel, type Tunnel } from "./tunnel.ts";

/** A grant further out than this is refused: the server never grants more than 24 h. */
const MAX_GRANT_MS = 24 * 3_600_000 + 5 * 60_000;

export interface SupportAccessOptions {
  config: SupportConfig;
  stateDir: string;
  serverUrl: string;
  credential: string;
  log: Logger;
  checkIntervalMs: number;
  /** The clock (tests move it forward). */
  now(): number;
  /** Sends an event to the server (queued while offline). */
  report(name: string, status: "ok" | "failed", message?: string): void;
}

export class SupportAccess {
  readonly #o: SupportAccessOptions;
  readonly #keys: KeyTarget;
  readonly #tunnels = new Set<Tunnel>();
  #grant: StoredGrant | undefined;
  #timer: NodeJS.Timeout | undefined;
  #check: NodeJS.Timeout | undefined;
  /** One change at a time: grant, revoke and expiry never interleave their file writes. */
  #chain: Promise<unknown> = Promise.resolve();

  constructor(o: SupportAccessOptions) {
    this.#o = o;
    const { authorizedKeysFile, sudo } = o.config;
    this.#keys = sudo ? sudoKeyTarget(authorizedKeysFile) : fileKeyTarget(authorizedKeysFile);
  }

  get activeGrantId(): string | undefined {
    return this.#grant?.grantId;
  }

  /** At agent start: an expired grant goes now; an active one is re-installed and re-armed. */
  start(): Promise<void> {
    this.#check = setInterval(() => void this.#expireIfDue(), this.#o.checkIntervalMs);
    this.#check.unref();
    return this.#serial(async () => {
      const stored = await readGrant(this.#o.stateDir);
      if (stored && Date.parse(stored.expiresAt) > this.#o.now()) return this.#install(stored);
      await this.#keys.set(null); // no grant on record: no support key may exist
      if (stored) await this.#expired(stored);
    });
  }

  grant(input: unknown): Promise<{ grantId: string; expiresAt: string }> {
    const parsed = storedGrantSchema.safeParse(input);
    if (!parsed.success) return Promise.reject(new CommandError("INVALID_ARGS", "not a valid support grant"));
    const g = parsed.data;
    const left = Date.parse(g.expiresAt) - this.#o.now();
    if (left <= 0) return Promise.reject(new CommandError("GRANT_EXPIRED", "the grant has already expired"));
    if (left > MAX_GRANT_MS) return Promise.reject(new CommandError("GRANT_TOO_LONG", "a grant may last 24 hours at most"));
    return this.#serial(async () => {
      if (this.#grant?.grantId !== g.grantId) this.#closeTunnels(); // a new grant starts clean
      await this.#install(g);
      return { grantId: g.grantId, expiresAt: g.expiresAt };
    });
  }

  revoke(): Promise<{ removed: boolean }> {
    return this.#serial(async () => {
      const had = this.#grant !== undefined;
      await this.#remove();
      if (had) this.#o.log.info("support_revoked");
      return { removed: had };
    });
  }

  async openTunnel(sessionId: string): Promise<{ opened: true }> {
    if (!this.#grant || Date.parse(this.#grant.expiresAt) <= this.#o.now()) {
      throw new CommandError("NO_GRANT", "support access is not granted on this server");
    }
    const { config, serverUrl, credential, log } = this.#o;
    const tunnel = await openTunnel({ url: tunnelUrl(serverUrl, sessionId), credential, host: config.sshHost, port: config.sshPort, log });
    this.#tunnels.add(tunnel);
    void tunnel.closed.then(() => this.#tunnels.delete(tunnel));
    log.info("support_tunnel_open", { tunnels: this.#tunnels.size });
    return { opened: true };
  }

  get openTunnels(): number {
    return this.#tunnels.size;
  }

  stop(): void {
    clearTimeout(this.#timer);
    clearInterval(this.#check);
    this.#closeTunnels();
  }

  async #install(g: StoredGrant): Promise<void> {
    await writeGrant(this.#o.stateDir, g); // first: a crash after the key is written still knows to remove it
    await this.#keys.set(supportKeyLine(g.publicKey, new Date(g.expiresAt), g.grantId));
    this.#grant = g;
    clearTimeout(this.#timer);
    // Chunks under setTimeout's 24.8-day limit are not needed: grants are ≤ 24 h.
    this.#timer = setTimeout(() => void this.#expireIfDue(), Math.max(0, Date.parse(g.expiresAt) - this.#o.now()));
    this.#timer.unref();
    this.#o.log.info("support_key_installed", { grantId: g.grantId, expiresAt: g.expiresAt });
  }

  async #remove(): Promise<void> {
    clearTimeout(this.#timer);
    this.#closeTunnels();
    await this.#keys.set(null);
    await clearGrant(this.#o.stateDir);
    this.#grant = undefined;
  }

  #expireIfDue(): Promise<void> {
    return this.#serial(async () => {
      const g = this.#grant;
      if (!g) return;
      if (Date.parse(g.expiresAt) > this.#o.now()) {
        // The timer fired early (the clock was moved back): re-arm it.
        clearTimeout(this.#timer);
        this.#timer = setTimeout(
          () => void this.#expireIfDue(),
          Math.min(Date.parse(g.expiresAt) - this.#o.now(), this.#o.checkIntervalMs),
        );
        this.#timer.unref();
        return;
      }
      await this.#remove();
      await this.#expired(g);
    });
  }

  async #expired(g: StoredGrant): Promise<void> {
    this.#o.log.info("support_expired", { grantId: g.grantId });
    this.#o.report("support-expired", "ok", g.grantId);
  }

  #closeTunnels(): void {
    for (const t of this.#tunnels) t.close();
    this.#tunnels.clear();
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.#chain.then(fn, fn);
    this.#chain = next.catch((err: unknown) => this.#o.log.error("support_access_failed", { error: String(err) }));
    return next;
  }
}
