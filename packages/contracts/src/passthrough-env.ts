// The proxy and CA settings: the only variables of a parent's environment that the processes we
// start for OpenClaw get (a corporate proxy must keep working). One list for the local install
// (@clawcloud/bootstrap) and the agent's OpenClaw runs.

export const PASSTHROUGH_ENV = [
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
  "http_proxy",
  "https_proxy",
  "no_proxy",
  "NODE_EXTRA_CA_CERTS",
  "SSL_CERT_FILE",
  "SSL_CERT_DIR",
] as const;

/** The PASSTHROUGH_ENV variables set (non-empty) in `env`. No default: this package also runs in browsers. */
export function pickPassthroughEnv(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of PASSTHROUGH_ENV) {
    const value = env[name];
    if (value) out[name] = value;
  }
  return out;
}
