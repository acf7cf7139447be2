// OpenClaw gateway health over its unauthenticated loopback probes: /healthz (live), /readyz
// (ready to serve; 503 while starting or draining) and /startupz (reports the running version).
export interface GatewayHealth {
  healthy: boolean;
  ready: boolean;
  startupVersion: string | null;
}

async function probe(url: URL, timeoutMs: number): Promise<{ ok: boolean; body: unknown }> {
  try {
    const res = await fetch(url, { redirect: "error", signal: AbortSignal.timeout(timeoutMs), headers: { accept: "application/json" } });
    const body = await res.json().catch(() => undefined);
    return { ok: res.ok, body };
  } catch {
    return { ok: false, body: undefined };
  }
}

export async function checkGatewayHealth(gatewayUrl: string, timeoutMs: number): Promise<GatewayHealth> {
  const [health, ready, startup] = await Promise.all([
    probe(new URL("/healthz", gatewayUrl), timeoutMs),
    probe(new URL("/readyz", gatewayUrl), timeoutMs),
    probe(new URL("/startupz", gatewayUrl), timeoutMs),
  ]);
  const version = (startup.body as { version?: unknown } | undefined)?.version;
  return {
    healthy: health.ok,
    ready: ready.ok && (ready.body as { ready?: unknown } | undefined)?.ready !== false,
    startupVersion: startup.ok && typeof version === "string" && version.length <= 64 ? version : null,
  };
}
