// A certificate authority made by the test, and a server certificate it signs for 127.0.0.1:
// Azure's SDK sends bearer tokens only over https. The CA is added to this process's default
// trust store (tls.setDefaultCACertificates, Node ≥ 22.19), which the SDK's and MSAL's https
// agents use; nothing is written to disk and nothing outside the test process trusts it.

import tls from "node:tls";
import { generate } from "selfsigned";

export interface TestTls {
  ca: string;
  key: string;
  cert: string;
}

let made: Promise<TestTls> | undefined;

async function make(): Promise<TestTls> {
  const ca = await generate([{ name: "commonName", value: "Claw Cloud test CA" }], {
    keySize: 2048,
    notAfterDate: new Date(Date.now() + 2 * 86_400_000),
    algorithm: "sha256",
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const server = await generate([{ name: "commonName", value: "127.0.0.1" }], {
    keySize: 2048,
    notAfterDate: new Date(Date.now() + 2 * 86_400_000),
    algorithm: "sha256",
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 7, ip: "127.0.0.1" },
          { type: 2, value: "localhost" },
        ],
      },
    ],
  });
  tls.setDefaultCACertificates([...tls.getCACertificates("default"), ca.cert]);
  return { ca: ca.cert, key: server.private, cert: server.cert };
}

/** The test TLS material (made once per test process), its CA trusted by this process. */
export function testTls(): Promise<TestTls> {
  made ??= make();
  return made;
}
