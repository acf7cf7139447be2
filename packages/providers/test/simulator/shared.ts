// What the DigitalOcean, Hetzner and Vultr simulators share above core.ts: the delegation to their
// SimServer, the route builder, the three standard tokens, boot progress and catalog padding.

import { createHash } from "node:crypto";
import type { Clock, Route, SimServer, SimServerOptions, TokenInfo } from "./core.ts";
import type { FaultKind, FaultOptions, SimExchange, SimOperation } from "./types.ts";

/** The part of a simulator that only forwards to its SimServer (which each subclass sets up). */
export abstract class SimulatorBase {
  abstract readonly server: SimServer;
  get url(): string {
    return this.server.url;
  }
  get requests(): readonly SimExchange[] {
    return this.server.requests;
  }
  get clock(): Clock {
    return this.server.clock;
  }
  start = () => this.server.start();
  stop = () => this.server.stop();
  injectFault(kind: FaultKind, opts?: FaultOptions): void {
    this.server.injectFault(kind, opts);
  }
  clearFaults(): void {
    this.server.clearFaults();
  }
}

/** Starts a simulator and hands it back; `stop()` when done. */
export async function started<T extends { start(): Promise<void> }>(sim: T): Promise<T> {
  await sim.start();
  return sim;
}

export const route = (method: string, path: string, perms: string[], handle: Route["handle"], op?: SimOperation): Route => ({
  method,
  path,
  perms,
  handle,
  op,
});

/** The valid, revoked and limited tokens every simulator knows. */
export function standardTokens(
  tokens: { readonly valid: string; readonly revoked: string; readonly limited: string },
  valid: TokenInfo["grants"],
  limited: { label: string; grants: ReadonlySet<string> },
): Map<string, TokenInfo> {
  return new Map<string, TokenInfo>([
    [tokens.valid, { label: "valid", grants: valid }],
    [tokens.revoked, { label: "revoked", grants: "all", revoked: true }],
    [tokens.limited, limited],
  ]);
}

/** The real catalog entries, then `extra` made-up ones (to make a list span pages). */
export function withExtras<T>(real: readonly T[], extra: number | undefined, make: (i: number) => T): T[] {
  const out = [...real];
  for (let i = 0; i < (extra ?? 0); i++) out.push(make(i));
  return out;
}

export interface BootOptions {
  /** A server is running after this many reads of it (default 2)… */
  pollsToActive?: number;
  /** …or this long after creation on the simulator's clock (default: never by time). */
  bootMs?: number;
}

/** Options every provider simulator takes. */
export interface ProviderSimOptions extends SimServerOptions, BootOptions {
  /** Catalog entries (sizes, server types, plans) beyond the real ones, to make the list span pages (default 0). */
  extraSizes?: number;
}

/** Counts a read of a booting server; true once it is due to be running. */
export function bootPolicy(o: BootOptions): (s: { polls: number; created: number }, now: number) => boolean {
  const pollsToActive = o.pollsToActive ?? 2;
  const bootMs = o.bootMs ?? Number.POSITIVE_INFINITY;
  return (s, now) => {
    s.polls += 1;
    return s.polls >= pollsToActive || now - s.created >= bootMs;
  };
}

/** The MD5 fingerprint of an OpenSSH public key line, as "aa:bb:…". */
export const md5Fingerprint = (line: string) =>
  (
    createHash("md5")
      .update(Buffer.from(line.trim().split(/\s+/)[1] ?? "", "base64"))
      .digest("hex")
      .match(/../g) ?? []
  ).join(":");
