// The control plane the machine's agent registers with: the real Claw Cloud server process (on a
// fresh PostgreSQL database the test can also read), wired to the DigitalOcean simulator, so a
// deploy renders the user-data exactly as for a cloud and hands it to the "cloud" — from where
// the test boots it. A person is signed up and verified through the API, with a DigitalOcean account.
import pg from "pg";
import { type E2eServer, startServer } from "../../e2e/support/server.ts";
import { type DigitalOceanSimulator, DO_TOKENS, startDigitalOceanSimulator } from "../../packages/providers/test/simulator/digitalocean.ts";
import { createTestDatabase, type TestDatabase } from "../../test-support/database.ts";
import { waitFor } from "./run.ts";

export interface InstanceView {
  id: string;
  state: string;
  step: string;
  stateMessage: string | null;
  lastHeartbeatAt: string | null;
  readyAt: string | null;
  runningOpenclawVersion: string | null;
  agentVersion: string | null;
  agentUpdate: { fromVersion: string; toVersion: string; status: string; message: string | null } | null;
  events: { step: string; status: string; message: string | null; at: string }[];
}

export class ControlPlane {
  server: E2eServer;
  readonly sim: DigitalOceanSimulator;
  readonly #db: TestDatabase;
  readonly #env: Record<string, string>;
  readonly #earlierLogs: string[] = [];
  readonly #cookies = new Map<string, string>();
  #credentialId = "";

  private constructor(server: E2eServer, sim: DigitalOceanSimulator, db: TestDatabase, env: Record<string, string>) {
    this.server = server;
    this.sim = sim;
    this.#db = db;
    this.#env = env;
  }

  static async start(env: Record<string, string>): Promise<ControlPlane> {
    const db = await createTestDatabase();
    const sim = await startDigitalOceanSimulator();
    const all = { DATABASE_URL: db.databaseUrl ?? "", CLAWCLOUD_DIGITALOCEAN_API_URL: sim.url, CLAWCLOUD_RATE_LIMIT_SCALE: "100", ...env };
    const server = await startServer(all);
    const cp = new ControlPlane(server, sim, db, all);
    await cp.#signUp();
    return cp;
  }

  async #api<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    // The machine under test loads this host hard; a dropped connection on a read is asked again.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#request<T>(method, path, body);
      } catch (err) {
        if (method !== "GET" || attempt >= 3) throw err;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  async #request<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.server.url}${path}`, {
      method,
      redirect: "manual",
      headers: {
        accept: "application/json",
        origin: this.server.url,
        "x-requested-with": "clawcloud",
        cookie: this.#cookie(),
        ...(body ? { "content-type": "application/json" } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    this.#keep(res);
    const text = await res.text();
    return { status: res.status, body: (text && res.headers.get("content-type")?.includes("json") ? JSON.parse(text) : text) as T };
  }

  #cookie(): string {
    return [...this.#cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  #keep(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair = ""] = c.split(";");
      const at = pair.indexOf("=");
      if (at > 0) this.#cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
  }

  async #signUp(): Promise<void> {
    const email = `grace-${Date.now()}@example.com`;
    const up = await this.#api("POST", "/api/auth/sign-up/email", { name: "Grace Hopper", email, password: "compiler-cobol-1959" });
    if (up.status !== 200) throw new Error(`sign-up answered ${up.status}: ${JSON.stringify(up.body)}`);
    const link = await waitFor("the verification e-mail", 10_000, async () => {
      for (const line of this.server.logs().reverse()) {
        const mail = (JSON.parse(line.startsWith("{") ? line : "{}") as { mail?: { to: string; link?: string } }).mail;
        if (mail?.to === email && mail.link) return mail.link;
      }
      return undefined;
    });
    this.#keep(await fetch(link, { redirect: "manual", headers: { cookie: this.#cookie() } }));
    const account = await this.#api<{ id: string }>("POST", "/api/v1/credentials", {
      provider: "digitalocean",
      label: "Host test",
      secret: DO_TOKENS.valid,
    });
    if (account.status !== 201)
      throw new Error(`adding the DigitalOcean account answered ${account.status}: ${JSON.stringify(account.body)}`);
    this.#credentialId = account.body.id;
  }

  /** Deploys (the recommended 4 GB size) and returns the instance and the user-data the "cloud" got. */
  async deploy(name: string, openclawVersion: string): Promise<{ id: string; userData: string }> {
    const created = await this.#api<{ id: string }>("POST", "/api/v1/instances", {
      name,
      provider: "digitalocean",
      credentialId: this.#credentialId,
      region: "nyc3",
      size: "s-2vcpu-4gb",
      openclawVersion,
      keepOnFailure: true,
    });
    if (created.status !== 201) throw new Error(`deploy answered ${created.status}: ${JSON.stringify(created.body)}`);
    const id = created.body.id;
    const userData = await waitFor("the server's create call at the cloud", 60_000, async () => {
      const droplet = [...this.sim.droplets.values()].find((d) => d.userData?.includes(id));
      return droplet?.userData;
    });
    return { id, userData };
  }

  async instance(id: string): Promise<InstanceView> {
    const got = await this.#api<InstanceView>("GET", `/api/v1/instances/${id}`);
    if (got.status !== 200) throw new Error(`GET instance answered ${got.status}`);
    return got.body;
  }

  /** Waits for the instance to reach one of `states`; returns it. */
  async waitForState(id: string, states: string[], timeoutMs: number): Promise<InstanceView> {
    return waitFor(
      `instance ${id} to be ${states.join(" or ")}`,
      timeoutMs,
      async () => {
        const view = await this.instance(id);
        return states.includes(view.state) ? view : undefined;
      },
      2000,
    );
  }

  /** Moves the instance's registration deadline into the past (as if the server had booted 30 minutes late). */
  async expireRegistration(id: string): Promise<void> {
    const client = new pg.Client({ connectionString: this.#db.databaseUrl });
    await client.connect();
    try {
      await client.query("update instances set registration_expires_at = now() - interval '1 minute' where id = $1", [id]);
    } finally {
      await client.end();
    }
  }

  /** Restarts the server (same database, same data directory and secrets) with `env` added; its address changes. */
  async restart(env: Record<string, string>): Promise<void> {
    const dataDir = this.server.dataDir;
    this.#earlierLogs.push(...this.server.logs());
    await this.server.stop({ keepData: true });
    this.server = await startServer({ ...this.#env, ...env, CLAWCLOUD_DATA_DIR: dataDir });
  }

  /** Every line every server process of this control plane logged. */
  logs(): string[] {
    return [...this.#earlierLogs, ...this.server.logs()];
  }

  async stop(): Promise<void> {
    await this.server.stop();
    await this.sim.stop();
    await this.#db.drop();
  }
}
