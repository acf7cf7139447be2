// Browser sockets are pinged so idle proxies keep them, a socket that stops answering is dropped,
// and a paused socket is resumed once its unsent data has drained.
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket, WebSocketServer } from "ws";
import { Keepalive } from "../src/relay/keepalive.ts";

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanup.splice(0)) fn();
});

async function pair(autoPong: boolean): Promise<{ server: WebSocket; client: WebSocket }> {
  const wss = new WebSocketServer({ port: 0, host: "127.0.0.1" });
  await new Promise((r) => wss.once("listening", r));
  const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, { autoPong });
  const server = await new Promise<WebSocket>((r) => wss.once("connection", r));
  await new Promise((r) => client.once("open", r));
  cleanup.push(() => {
    client.terminate();
    wss.close();
  });
  return { server, client };
}

describe("keepalive", () => {
  it("pings every interval and keeps a socket that answers", async () => {
    const keepalive = new Keepalive(30);
    cleanup.push(() => keepalive.stop());
    const { server, client } = await pair(true);
    let pings = 0;
    client.on("ping", () => pings++);
    keepalive.add(server);
    await new Promise((r) => setTimeout(r, 200));
    expect(pings).toBeGreaterThanOrEqual(3);
    expect(server.readyState).toBe(WebSocket.OPEN);
  });

  it("drops a socket that stopped answering", async () => {
    const keepalive = new Keepalive(30);
    cleanup.push(() => keepalive.stop());
    const { server, client } = await pair(false);
    keepalive.add(server);
    const closed = new Promise((r) => client.once("close", r));
    await closed;
    expect(keepalive.size).toBe(0);
  });

  it("calls back once a paused socket has drained", async () => {
    const keepalive = new Keepalive(60_000);
    cleanup.push(() => keepalive.stop());
    const { server } = await pair(true);
    keepalive.add(server);
    const drained = new Promise<boolean>((r) => keepalive.whenDrained(server, () => r(true)));
    expect(await drained).toBe(true);
  });
});
