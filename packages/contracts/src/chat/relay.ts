// Relay framing on the agent's WebSocket: binary frames `[op u8][channel u32 BE][payload]`, next to
// the JSON text frames of agent protocol v1. A channel is one browser chat socket or one proxied
// HTTP request. The server reads only the 5-byte header: payloads pass through unparsed, which is
// what keeps the relay cheap and the server blind to chat content.
export const RelayOp = {
  /** server → agent: open a channel. Payload: JSON `RelayOpen`. */
  OPEN: 1,
  /** both ways: one message for the channel (chat: a JSON frame; http: body bytes). */
  DATA: 2,
  /** both ways: the channel is finished. Payload: optional UTF-8 reason. */
  CLOSE: 3,
  /** agent → server, http channels: status and headers as JSON, before any DATA. */
  HEAD: 4,
  /** server → agent: stop sending on this channel until RESUME (the client is slow). */
  PAUSE: 5,
  RESUME: 6,
} as const;
export type RelayOpCode = (typeof RelayOp)[keyof typeof RelayOp];

export type RelayOpen =
  | { kind: "chat" }
  | {
      kind: "http";
      method: "GET" | "POST";
      /** Path on the OpenClaw gateway, one of the OpenAI-compatible endpoints. */
      path: "/v1/chat/completions" | "/v1/models";
      /** The request body (JSON text), passed through. */
      body?: string;
    };

export interface RelayHead {
  status: number;
  contentType: string;
}

export const RELAY_HEADER_BYTES = 5;

export function encodeRelayFrame(op: RelayOpCode, channel: number, payload?: Uint8Array | string): Uint8Array {
  const body = typeof payload === "string" ? new TextEncoder().encode(payload) : (payload ?? new Uint8Array(0));
  const frame = new Uint8Array(RELAY_HEADER_BYTES + body.byteLength);
  frame[0] = op;
  new DataView(frame.buffer).setUint32(1, channel >>> 0, false);
  frame.set(body, RELAY_HEADER_BYTES);
  return frame;
}

export interface RelayFrame {
  op: RelayOpCode;
  channel: number;
  payload: Uint8Array;
}

/** Reads a frame's header; undefined for anything that is not a relay frame. */
export function decodeRelayFrame(data: Uint8Array): RelayFrame | undefined {
  if (data.byteLength < RELAY_HEADER_BYTES) return undefined;
  const op = data[0] as RelayOpCode;
  if (op < RelayOp.OPEN || op > RelayOp.RESUME) return undefined;
  const channel = new DataView(data.buffer, data.byteOffset, data.byteLength).getUint32(1, false);
  return { op, channel, payload: data.subarray(RELAY_HEADER_BYTES) };
}
