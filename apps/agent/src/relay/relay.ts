// The agent's end of the relay: binary frames on the agent socket (see packages/contracts
// chat/relay.ts) opened by the server, one channel per browser chat socket or proxied request.
import { decodeRelayFrame, encodeRelayFrame, RelayOp, type RelayOpen } from "@clawcloud/contracts";
import type { Logger } from "../log.ts";
import { ChatChannels } from "./chat-channels.ts";
import { GatewayClient } from "./gateway-client.ts";
import { HttpChannels } from "./http-channels.ts";

export interface RelayOptions {
  gatewayUrl: string;
  gatewayToken: string | undefined;
  log: Logger;
  /** Writes one binary frame on the agent socket (dropped when it is not connected). */
  write(frame: Uint8Array): void;
}

const decoder = new TextDecoder();

export class Relay {
  readonly #o: RelayOptions;
  readonly gateway: GatewayClient;
  readonly #chat: ChatChannels;
  readonly #http: HttpChannels;
  readonly #kinds = new Map<number, "chat" | "http">();

  constructor(o: RelayOptions) {
    this.#o = o;
    this.gateway = new GatewayClient({ url: o.gatewayUrl, token: o.gatewayToken, log: o.log });
    const close = (channel: number, reason?: string) => {
      this.#kinds.delete(channel);
      o.write(encodeRelayFrame(RelayOp.CLOSE, channel, reason));
    };
    this.#chat = new ChatChannels({
      gateway: this.gateway,
      log: o.log,
      send: (channel, json) => o.write(encodeRelayFrame(RelayOp.DATA, channel, json)),
      close,
    });
    this.#http = new HttpChannels({
      gatewayUrl: o.gatewayUrl,
      gatewayToken: o.gatewayToken,
      log: o.log,
      head: (channel, head) => o.write(encodeRelayFrame(RelayOp.HEAD, channel, JSON.stringify(head))),
      data: (channel, chunk) => o.write(encodeRelayFrame(RelayOp.DATA, channel, chunk)),
      close,
    });
  }

  /** One binary frame from the server. */
  handle(data: Uint8Array): void {
    const frame = decodeRelayFrame(data);
    if (!frame) {
      this.#o.log.warn("relay_frame_ignored", { bytes: data.byteLength });
      return;
    }
    const { op, channel, payload } = frame;
    const kind = this.#kinds.get(channel);
    switch (op) {
      case RelayOp.OPEN: {
        let open: RelayOpen;
        try {
          open = JSON.parse(decoder.decode(payload)) as RelayOpen;
        } catch {
          this.#o.write(encodeRelayFrame(RelayOp.CLOSE, channel, "INVALID_REQUEST"));
          return;
        }
        if (open.kind === "chat") {
          this.#kinds.set(channel, "chat");
          this.#chat.open(channel);
        } else if (open.kind === "http" && (open.path === "/v1/chat/completions" || open.path === "/v1/models")) {
          this.#kinds.set(channel, "http");
          this.#http.open(channel, open);
        } else this.#o.write(encodeRelayFrame(RelayOp.CLOSE, channel, "INVALID_REQUEST"));
        return;
      }
      case RelayOp.DATA:
        if (kind === "chat") void this.#chat.request(channel, decoder.decode(payload));
        return;
      case RelayOp.CLOSE:
        this.#kinds.delete(channel);
        if (kind === "chat") this.#chat.close(channel);
        else if (kind === "http") this.#http.close(channel);
        return;
      case RelayOp.PAUSE:
        if (kind === "chat") this.#chat.pause(channel);
        else if (kind === "http") this.#http.pause(channel);
        return;
      case RelayOp.RESUME:
        if (kind === "chat") this.#chat.resume(channel);
        else if (kind === "http") this.#http.resume(channel);
        return;
    }
  }

  /** The agent socket went away: the server has dropped every channel on its side too. */
  reset(): void {
    this.#kinds.clear();
    this.#chat.closeAll();
    this.#http.closeAll();
  }

  stop(): void {
    this.reset();
    this.gateway.close();
  }
}
