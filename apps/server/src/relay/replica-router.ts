// Chats across replicas: the browser's socket may land on one server process while the agent's
// socket is held by another. The replica with the browser speaks to the replica with the agent
// over the bus (PostgreSQL LISTEN/NOTIFY): open, data (split to fit NOTIFY's 8000 bytes), pause,
// resume, close, and command calls with their results. Messages towards the agent's replica and
// the answers coming back have distinct types (data/rdata, close/rclose): channel numbers are
// chosen by each side and may coincide. Publishes from one process are chained so
// they commit — and so arrive — in order. Payloads stay opaque here as everywhere in the relay.
import { randomUUID } from "node:crypto";
import type { RelayHead, RelayOpen } from "@clawcloud/contracts";
import { AppError, type Bus, replicaTopic } from "@clawcloud/core";
import { AgentCommandError, type ChannelSink, type Link } from "../agent-gateway/agent-link.ts";

type Msg =
  | { t: "open"; from: string; ch: number; inst: string; open: RelayOpen }
  | { t: "opened"; ch: number }
  | { t: "data" | "rdata"; from: string; ch: number; d: string; more?: true }
  | { t: "head"; ch: number; head: RelayHead }
  | { t: "close"; from: string; ch: number }
  | { t: "rclose"; ch: number; reason: string }
  | { t: "pause" | "resume"; from: string; ch: number }
  | { t: "call"; from: string; id: string; inst: string; name: string; args: Record<string, unknown>; timeoutMs: number }
  | { t: "result"; id: string; ok: boolean; data?: unknown; code?: string; message?: string };

export const PRESENCE_TOPIC = "cc_agent_presence";
const CHUNK_BYTES = 3_600; // base64 → 4,800 characters, well inside a NOTIFY payload
const OPEN_ACK_MS = 5_000;

/** How this process finds its own agent links. */
export interface LocalLinks {
  get(instanceId: string): Link | undefined;
}

export class ReplicaRouter {
  readonly #bus: Bus;
  readonly #local: LocalLinks;
  #next = 1;
  #tail: Promise<void> = Promise.resolve();
  /** Channels this replica opened on others: ch → the sink and where it went. */
  readonly #outgoing = new Map<number, { sink: ChannelSink; replica: string; parts: Buffer[]; ack?: NodeJS.Timeout }>();
  /** Channels others opened here: "<replica>:<ch>" → the local link and its channel. */
  readonly #incoming = new Map<string, { link: Link; channel: number; parts: Buffer[] }>();
  readonly #calls = new Map<string, { resolve(d: unknown): void; reject(e: Error): void; timer: NodeJS.Timeout }>();
  #unsubscribe: (() => Promise<void>) | undefined;

  constructor(bus: Bus, local: LocalLinks) {
    this.#bus = bus;
    this.#local = local;
  }

  get replicaId(): string {
    return this.#bus.replicaId;
  }

  async start(): Promise<void> {
    this.#unsubscribe = await this.#bus.subscribe(replicaTopic(this.#bus.replicaId), (m) => this.#receive(m));
  }

  async stop(): Promise<void> {
    await this.#unsubscribe?.();
  }

  /** A link to an instance's agent held by another replica. */
  remote(replica: string, instanceId: string): Link {
    return new RemoteLink(this, replica, instanceId);
  }

  openRemote(replica: string, instanceId: string, sink: ChannelSink, open: RelayOpen): number {
    const ch = this.#next++;
    const ack = setTimeout(() => this.#drop(ch, "AGENT_OFFLINE"), OPEN_ACK_MS);
    this.#outgoing.set(ch, { sink, replica, parts: [], ack });
    this.#send(replica, { t: "open", from: this.replicaId, ch, inst: instanceId, open });
    return ch;
  }

  sendRemote(ch: number, payload: Uint8Array | string): void {
    const out = this.#outgoing.get(ch);
    if (out) this.#sendData("data", out.replica, ch, typeof payload === "string" ? Buffer.from(payload) : Buffer.from(payload));
  }

  signalRemote(ch: number, t: "pause" | "resume" | "close"): void {
    const out = this.#outgoing.get(ch);
    if (!out) return;
    if (t === "close") {
      clearTimeout(out.ack);
      this.#outgoing.delete(ch);
    }
    this.#send(out.replica, { t, from: this.replicaId, ch });
  }

  callRemote(replica: string, instanceId: string, name: string, args: Record<string, unknown>, timeoutMs: number): Promise<unknown> {
    const id = randomUUID();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#calls.delete(id);
        reject(new AppError("AGENT_TIMEOUT", "The instance's agent did not answer in time. Try again in a moment."));
      }, timeoutMs + 1_000);
      this.#calls.set(id, { resolve, reject, timer });
      this.#send(replica, { t: "call", from: this.replicaId, id, inst: instanceId, name, args, timeoutMs });
    });
  }

  #drop(ch: number, reason: string): void {
    const out = this.#outgoing.get(ch);
    if (!out) return;
    clearTimeout(out.ack);
    this.#outgoing.delete(ch);
    out.sink.closed(reason);
  }

  #receive(raw: string): void {
    let m: Msg;
    try {
      m = JSON.parse(raw) as Msg;
    } catch {
      return;
    }
    switch (m.t) {
      case "open":
        this.#openHere(m);
        return;
      case "opened": {
        const out = this.#outgoing.get(m.ch);
        if (out) clearTimeout(out.ack);
        return;
      }
      case "head":
        this.#outgoing.get(m.ch)?.sink.head?.(m.head);
        return;
      case "data":
      case "rdata":
        this.#data(m);
        return;
      case "close": {
        const inc = this.#incoming.get(`${m.from}:${m.ch}`);
        this.#incoming.delete(`${m.from}:${m.ch}`);
        inc?.link.close(inc.channel);
        return;
      }
      case "rclose":
        this.#drop(m.ch, m.reason);
        return;
      case "pause":
      case "resume": {
        const inc = this.#incoming.get(`${m.from}:${m.ch}`);
        if (inc) inc.link[m.t](inc.channel);
        return;
      }
      case "call":
        void this.#callHere(m);
        return;
      case "result": {
        const call = this.#calls.get(m.id);
        if (!call) return;
        this.#calls.delete(m.id);
        clearTimeout(call.timer);
        if (m.ok) call.resolve(m.data);
        else if (m.code === "AGENT_OFFLINE" || m.code === "AGENT_TIMEOUT")
          call.reject(new AppError(m.code, m.message ?? "The instance's agent did not answer."));
        else call.reject(new AgentCommandError(m.code ?? "COMMAND_FAILED", m.message ?? "The agent could not do that."));
      }
    }
  }

  #openHere(m: Extract<Msg, { t: "open" }>): void {
    const link = this.#local.get(m.inst);
    if (!link) {
      this.#send(m.from, { t: "rclose", ch: m.ch, reason: "AGENT_OFFLINE" });
      return;
    }
    const key = `${m.from}:${m.ch}`;
    const channel = link.open(
      {
        head: (head) => this.#send(m.from, { t: "head", ch: m.ch, head }),
        data: (payload) => this.#sendData("rdata", m.from, m.ch, Buffer.from(payload)),
        closed: (reason) => {
          this.#incoming.delete(key);
          this.#send(m.from, { t: "rclose", ch: m.ch, reason });
        },
      },
      m.open,
    );
    this.#incoming.set(key, { link, channel, parts: [] });
    this.#send(m.from, { t: "opened", ch: m.ch });
  }

  #data(m: Extract<Msg, { t: "data" | "rdata" }>): void {
    const inc = m.t === "data" ? this.#incoming.get(`${m.from}:${m.ch}`) : undefined;
    const out = m.t === "rdata" ? this.#outgoing.get(m.ch) : undefined;
    const target = inc ?? out;
    if (!target) return;
    target.parts.push(Buffer.from(m.d, "base64"));
    if (m.more) return;
    const whole = target.parts.length === 1 ? (target.parts[0] as Buffer) : Buffer.concat(target.parts);
    target.parts = [];
    if (inc) inc.link.send(inc.channel, whole);
    else out?.sink.data(whole);
  }

  async #callHere(m: Extract<Msg, { t: "call" }>): Promise<void> {
    const link = this.#local.get(m.inst);
    try {
      if (!link) throw new AppError("AGENT_OFFLINE", "The instance's agent is not connected right now.");
      const data = await link.call(m.name, m.args, m.timeoutMs);
      this.#send(m.from, { t: "result", id: m.id, ok: true, data });
    } catch (err) {
      const code = err instanceof AppError || err instanceof AgentCommandError ? err.code : "COMMAND_FAILED";
      this.#send(m.from, { t: "result", id: m.id, ok: false, code, message: err instanceof Error ? err.message : "failed" });
    }
  }

  #sendData(t: "data" | "rdata", replica: string, ch: number, bytes: Buffer): void {
    for (let at = 0; at < bytes.length || at === 0; at += CHUNK_BYTES) {
      const more = at + CHUNK_BYTES < bytes.length;
      this.#send(replica, {
        t,
        from: this.replicaId,
        ch,
        d: bytes.subarray(at, at + CHUNK_BYTES).toString("base64"),
        ...(more ? { more: true as const } : {}),
      });
      if (!more) break;
    }
  }

  #send(replica: string, m: Msg): void {
    const text = JSON.stringify(m);
    this.#tail = this.#tail.then(() => this.#bus.publish(replicaTopic(replica), text)).catch(() => undefined);
  }
}

/** An agent held by another replica, used like a local one. */
class RemoteLink implements Link {
  readonly instanceId: string;
  readonly #router: ReplicaRouter;
  readonly #replica: string;

  constructor(router: ReplicaRouter, replica: string, instanceId: string) {
    this.#router = router;
    this.#replica = replica;
    this.instanceId = instanceId;
  }

  get writable(): boolean {
    return true;
  }

  open(sink: ChannelSink, open: RelayOpen): number {
    return this.#router.openRemote(this.#replica, this.instanceId, sink, open);
  }
  send(channel: number, payload: Uint8Array | string): void {
    this.#router.sendRemote(channel, payload);
  }
  pause(channel: number): void {
    this.#router.signalRemote(channel, "pause");
  }
  resume(channel: number): void {
    this.#router.signalRemote(channel, "resume");
  }
  close(channel: number): void {
    this.#router.signalRemote(channel, "close");
  }
  call(name: string, args: Record<string, unknown>, timeoutMs: number): Promise<unknown> {
    return this.#router.callRemote(this.#replica, this.instanceId, name, args, timeoutMs);
  }
}
