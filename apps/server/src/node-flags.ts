// The Node flags the server process runs with: `npm start` passes them, and so do the tests and
// benchmarks that start the server as its own process (a V8 heap flag only works on the command
// line; v8.setFlagsFromString is too late for the heap's sizes).
//
// --max-semi-space-size=8: V8 sizes the young generation by the machine's memory (two 64 MB
// semi-spaces on 24 GB) and starts marking the old generation as soon as the room left under its
// limit is smaller than the young generation. With a 128 MB young generation that is nearly always:
// under relay traffic every young-generation fill became a full collection, every 3–5 s, each
// holding the event loop 10–40 ms in pieces, the relay's worst latency (p99 4.7–5.9 ms on loopback
// against 1.9–2.6 ms with this flag, bench/relay.ts). 8 MB semi-spaces give a scavenge about every
// second at 7 MB/s of short-lived allocation, ~1 ms each, and full collections only when the heap
// really grows.
export const SERVER_NODE_FLAGS: readonly string[] = ["--max-semi-space-size=8"];
