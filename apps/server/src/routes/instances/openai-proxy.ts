// Shared by the OpenAI-compatible operations: relays one HTTP request to OpenClaw's endpoint on
// the instance through an http channel of the agent's socket, and streams the answer back (SSE
// included) with backpressure: when the API client reads slowly, the agent stops reading
// OpenClaw's response until it catches up. Closing the client connection cancels the run.
import type { RelayHead, RelayOpen } from "@clawcloud/contracts";
import { AppError } from "@clawcloud/core";
import type { AgentConnections } from "../../agent-gateway/connections.ts";

/** Bytes queued towards the API client above which the channel is paused. */
const HIGH_WATER = 256 * 1024;

export async function relayHttp(
  agents: AgentConnections,
  instanceId: string,
  open: Extract<RelayOpen, { kind: "http" }>,
  signal: AbortSignal,
): Promise<Response> {
  const link = await agents.resolve(instanceId);
  if (!link)
    throw new AppError("AGENT_OFFLINE", "The instance's agent is not connected right now. It reconnects by itself; try again in a moment.");
  let channel = 0;
  let paused = false;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let gotHead!: (head: RelayHead) => void;
  let failed!: (err: Error) => void;
  const head = new Promise<RelayHead>((resolve, reject) => {
    gotHead = resolve;
    failed = reject;
  });
  const body = new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
      },
      pull() {
        if (paused && channel) {
          paused = false;
          link.resume(channel);
        }
      },
      cancel() {
        if (channel) link.close(channel);
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: HIGH_WATER }),
  );
  channel = link.open(
    {
      head: (h) => gotHead(h),
      data: (payload) => {
        // The payload is a view into the socket's frame: copy what must outlive this call.
        controller.enqueue(payload.slice());
        if (!paused && (controller.desiredSize ?? 1) <= 0) {
          paused = true;
          link.pause(channel);
        }
      },
      closed: (reason) => {
        if (reason === "AGENT_OFFLINE") {
          failed(new AppError("AGENT_OFFLINE", "The instance's agent disconnected during the request."));
          controller.error(new Error("agent disconnected"));
        } else {
          failed(new AppError("PROVIDER_UNAVAILABLE", "OpenClaw on the instance did not answer."));
          controller.close();
        }
      },
    },
    open,
  );
  signal.addEventListener("abort", () => link.close(channel), { once: true });
  const h = await head;
  return new Response(body, {
    status: h.status,
    headers: { "content-type": h.contentType, "cache-control": "no-store", "x-accel-buffering": "no" },
  });
}
