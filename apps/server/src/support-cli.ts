#!/usr/bin/env node
// The support engineer's side of an SSH tunnel, for ssh's ProxyCommand:
//   ssh -o ProxyCommand="npm run --silent support -- ssh-proxy %h --server https://claw.example.com" clawsupport@ins_…
// It asks for a single-use tunnel ticket with the staff session (CLAWCLOUD_SESSION_COOKIE, the
// "name=value" of the signed-in session cookie) — or takes one ready-made (--ticket / CLAWCLOUD_TUNNEL_TICKET) —
// opens the tunnel WebSocket and copies stdin → tunnel → stdout. No port is opened anywhere.
import { SUPPORT_TUNNEL_PROTOCOL, type SupportTunnelTicket } from "@clawcloud/contracts";
import WebSocket from "ws";

const HIGH_WATER = 1024 * 1024;
const LOW_WATER = 256 * 1024;
const USAGE = "usage: support ssh-proxy <instanceId> --server <url> [--ticket <ticket>]";

function option(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

async function ticketFor(server: string, instanceId: string, argv: string[]): Promise<SupportTunnelTicket> {
  const given = option(argv, "--ticket") ?? process.env.CLAWCLOUD_TUNNEL_TICKET;
  if (given) return { ticket: given, expiresInSec: 0, path: "/api/v1/support/tunnel" };
  const cookie = process.env.CLAWCLOUD_SESSION_COOKIE;
  if (!cookie) throw new Error("set CLAWCLOUD_SESSION_COOKIE (your signed-in staff session) or pass --ticket");
  const res = await fetch(new URL(`/api/v1/support/instances/${encodeURIComponent(instanceId)}/tunnel`, server), {
    method: "POST",
    headers: { cookie, "content-type": "application/json" },
    body: "{}",
  });
  const body = (await res.json().catch(() => ({}))) as SupportTunnelTicket & { error?: { message?: string } };
  if (!res.ok) throw new Error(`no tunnel: ${body.error?.message ?? `HTTP ${res.status}`}`);
  return body;
}

function pipe(url: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, SUPPORT_TUNNEL_PROTOCOL, { perMessageDeflate: false, handshakeTimeout: 15_000 });
    ws.on("unexpected-response", (_req, res) => {
      process.stderr.write(`support ssh-proxy: the server refused the tunnel (HTTP ${res.statusCode})\n`);
      res.resume();
      resolve(1);
    });
    ws.on("error", (err) => {
      process.stderr.write(`support ssh-proxy: ${err.message}\n`);
      resolve(1);
    });
    ws.on("open", () => {
      process.stdin.on("data", (chunk: Buffer) => {
        ws.send(chunk, { binary: true }, () => {
          if (process.stdin.isPaused() && ws.bufferedAmount <= LOW_WATER) process.stdin.resume();
        });
        if (ws.bufferedAmount > HIGH_WATER) process.stdin.pause();
      });
      process.stdin.on("end", () => ws.close(1000, "ssh closed"));
    });
    ws.on("message", (data, isBinary) => {
      if (!isBinary) return;
      if (!process.stdout.write(data as Buffer)) ws.pause();
    });
    process.stdout.on("drain", () => ws.resume());
    ws.on("close", (code, reason) => {
      if (code !== 1000 && code !== 1005) process.stderr.write(`support ssh-proxy: tunnel closed (${code} ${reason.toString()})\n`);
      resolve(0);
    });
  });
}

async function main(argv: string[]): Promise<number> {
  const [command, instanceId] = argv;
  const server = option(argv, "--server") ?? process.env.CLAWCLOUD_URL;
  if (command !== "ssh-proxy" || !instanceId || !server) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const { ticket, path } = await ticketFor(server, instanceId, argv);
  const url = new URL(path, server);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  url.searchParams.set("ticket", ticket);
  return pipe(url.href);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`support ssh-proxy: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
