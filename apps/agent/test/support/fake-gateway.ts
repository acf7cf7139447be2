// A stand-in for the OpenClaw gateway's unauthenticated probes on loopback.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export class FakeGateway {
  live = true;
  ready = false;
  version: string | null = "2026.9.6";
  readonly #server: Server;
  #url = "";

  private constructor() {
    this.#server = createServer((req, res) => {
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      switch (req.url) {
        case "/healthz":
          return this.live ? send(200, { ok: true, status: "live" }) : send(503, { ok: false });
        case "/readyz":
          return this.ready ? send(200, { ready: true, failing: [], uptimeMs: 1000 }) : send(503, { ready: false, failing: ["startup"] });
        case "/startupz":
          return this.version
            ? send(200, { ok: true, status: "started", version: this.version, uptimeMs: 1000 })
            : send(503, { ok: false });
        default:
          return send(404, { error: "not found" });
      }
    });
  }

  static async start(): Promise<FakeGateway> {
    const gateway = new FakeGateway();
    await new Promise<void>((resolve) => gateway.#server.listen(0, "127.0.0.1", resolve));
    gateway.#url = `http://127.0.0.1:${(gateway.#server.address() as AddressInfo).port}`;
    return gateway;
  }

  get url(): string {
    return this.#url;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
