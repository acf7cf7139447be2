// One support SSH tunnel on the agent's side: a new outbound WebSocket to the server (with the
// agent credential) piped to the local sshd. Nothing listens for inbound connections. Each side is
// paused while the other has too much unsent (backpressure both ways).
import { connect, type Socket } from "node:net";
import { SUPPORT_TUNNEL_PROTOCOL } from "@clawcloud/contracts";
import WebSocket from "ws";
import type { Logger } from "../log.ts";

const HIGH_WATER = 1024 * 1024;
const LOW_WATER = 256 * 1024;

export interface Tunnel {
  close(): void;
  readonly closed: Promise<void>;
}

export function openTunnel(o: { url: string; credential: string; host: string; port: number; log: Logger }): Promise<Tunnel> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(o.url, SUPPORT_TUNNEL_PROTOCOL, {
      headers: { authorization: `Bearer ${o.credential}` },
      handshakeTimeout: 15_000,
      perMessageDeflate: false,
      followRedirects: false,
    });
    let socket: Socket | undefined;
    let settled = false;
    const closed = new Promise<void>((done) => ws.once("close", () => done()));
    const close = () => {
      socket?.destroy();
      if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.close(1000, "tunnel closed");
      setTimeout(() => ws.terminate(), 2000).unref();
    };
    ws.once("unexpected-response", (_req, res) => {
      res.resume();
      settled = true;
      reject(new Error(`the server refused the tunnel (HTTP ${res.statusCode})`));
      ws.terminate();
    });
    ws.once("error", (err) => {
      if (!settled) reject(err);
      settled = true;
      socket?.destroy();
    });
    ws.once("open", () => {
      const s = connect({ host: o.host, port: o.port });
      socket = s;
      s.once("connect", () => {
        settled = true;
        resolve({ close, closed });
      });
      s.once("error", (err) => {
        o.log.warn("support_tunnel_sshd_error", { error: err.message });
        if (!settled) reject(new Error(`cannot reach sshd at ${o.host}:${o.port}: ${err.message}`));
        settled = true;
        close();
      });
      s.once("close", () => close());
      s.on("data", (chunk) => {
        ws.send(chunk, { binary: true }, () => {
          if (s.isPaused() && ws.bufferedAmount <= LOW_WATER) s.resume();
        });
        if (ws.bufferedAmount > HIGH_WATER) s.pause();
      });
      s.on("drain", () => ws.resume());
      ws.on("message", (data, isBinary) => {
        if (!isBinary) return;
        const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer);
        if (!s.write(buf)) ws.pause();
      });
      ws.once("close", () => s.destroy());
    });
  });
}
