// The deploy wizard's rules and the progress view's model, without a browser.
import { describe, expect, test } from "vitest";
import type { Size } from "../src/features/cloud-accounts/api";
import { recommendedSize, suggestName, validateName, validateVersion } from "../src/features/deploy/draft";
import type { InstanceDetail, InstanceEvent } from "../src/features/instances/api";
import { deriveProgress, eventLabel, serverLeft } from "../src/features/instances/progress";

const T0 = Date.parse("2026-11-25T10:00:00.000Z");
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const ev = (s: number, step: string, status: InstanceEvent["status"], message: string | null = null): InstanceEvent => ({
  step,
  status,
  message,
  at: at(s),
});

function instance(over: Partial<InstanceDetail>): InstanceDetail {
  return {
    id: "ins_1",
    name: "a",
    provider: "digitalocean",
    state: "pending",
    createdAt: at(0),
    credentialId: "crd_1",
    region: "nyc3",
    size: "s-2vcpu-4gb",
    step: "pending",
    stateMessage: null,
    openclawVersion: "2026.9.6",
    runningOpenclawVersion: null,
    agentVersion: null,
    agentPublicKey: null,
    model: null,
    ipv4: null,
    keepOnFailure: false,
    lastHeartbeatAt: null,
    readyAt: null,
    updatedAt: at(0),
    events: [ev(0, "pending", "info", "Deploy requested")],
    ...over,
  };
}

const statuses = (i: InstanceDetail) => Object.fromEntries(deriveProgress(i).steps.map((s) => [s.id, s.status]));

describe("deriveProgress", () => {
  test("queued: creating is the running step, the rest wait", () => {
    expect(statuses(instance({}))).toEqual({ create: "active", boot: "waiting", install: "waiting", agent: "waiting", ready: "waiting" });
  });

  test("booting, before any report from the server: waiting for the agent", () => {
    const i = instance({
      state: "booting",
      events: [ev(0, "pending", "info"), ev(1, "creating", "start"), ev(4, "creating", "ok"), ev(4, "booting", "start")],
    });
    const p = deriveProgress(i);
    expect(statuses(i)).toEqual({ create: "done", boot: "active", install: "waiting", agent: "waiting", ready: "waiting" });
    const create = p.steps[0];
    expect(create && create.endedAt !== null && create.startedAt !== null ? create.endedAt - create.startedAt : null).toBe(3000);
    expect(p.steps[1]?.detail).toMatch(/^Waiting for the agent/);
  });

  test("the setup reports while the server boots: boot and install run side by side, then the agent connects", () => {
    const events = [
      ev(0, "pending", "info"),
      ev(1, "creating", "start"),
      ev(4, "creating", "ok"),
      ev(4, "booting", "start"),
      ev(30, "agent:preflight", "start"),
      ev(31, "agent:preflight", "ok"),
      ev(40, "agent:node", "start"),
    ];
    const booting = instance({ state: "booting", events });
    expect(statuses(booting)).toMatchObject({ boot: "active", install: "active", agent: "waiting" });
    const subs = deriveProgress(booting).steps.find((s) => s.id === "install")?.substeps;
    expect(subs?.map((s) => [s.name, s.status])).toEqual([
      ["preflight", "done"],
      ["node", "active"],
    ]);

    const registered = instance({
      state: "bootstrapping",
      events: [...events, ev(60, "agent:node", "ok"), ev(70, "booting", "ok"), ev(70, "agent_registered", "ok", "Agent 0.1.0 registered")],
    });
    expect(statuses(registered)).toEqual({ create: "done", boot: "done", install: "active", agent: "done", ready: "waiting" });

    const installed = instance({
      state: "bootstrapping",
      events: [...registered.events, ev(200, "agent:bootstrap", "ok")],
    });
    expect(statuses(installed)).toMatchObject({ install: "done", ready: "active" });
  });

  test("ready: every step done, with the ready time", () => {
    const i = instance({
      state: "ready",
      readyAt: at(300),
      updatedAt: at(300),
      events: [ev(0, "pending", "info"), ev(300, "ready", "ok")],
    });
    expect(Object.values(statuses(i))).toEqual(["done", "done", "done", "done", "done"]);
    expect(deriveProgress(i).readyAt).toBe(T0 + 300_000);
  });

  test("a provider refusal at create: that step failed, the rest not reached", () => {
    const i = instance({
      state: "failed",
      stateMessage: "DigitalOcean refused",
      events: [ev(0, "pending", "info"), ev(1, "creating", "start"), ev(2, "failed", "failed", "DigitalOcean refused")],
    });
    const p = deriveProgress(i);
    expect(statuses(i)).toEqual({ create: "failed", boot: "skipped", install: "skipped", agent: "skipped", ready: "skipped" });
    expect(p.current?.id).toBe("create");
    expect(p.failedAt).toBe(T0 + 2000);
  });

  test("a failed setup step is the one that failed; the boot that ran beside it stopped", () => {
    const i = instance({
      state: "failed",
      events: [
        ev(0, "pending", "info"),
        ev(1, "creating", "start"),
        ev(4, "creating", "ok"),
        ev(4, "booting", "start"),
        ev(30, "agent:node", "failed", "checksum mismatch"),
        ev(31, "failed", "failed", "node: checksum mismatch"),
      ],
    });
    expect(statuses(i)).toMatchObject({ boot: "stopped", install: "failed", agent: "skipped" });
    expect(deriveProgress(i).steps.find((s) => s.id === "install")?.detail).toBe(
      "Installing Node.js (checksum verified) failed: checksum mismatch",
    );
  });

  test("a retrying worker's message is surfaced, until a later step makes it stale", () => {
    const creating = [ev(0, "pending", "info"), ev(1, "creating", "start")];
    const retrying = instance({ state: "creating", stateMessage: "Retrying: 503", updatedAt: at(10), events: creating });
    expect(deriveProgress(retrying).retrying).toBe("Retrying: 503");
    const moved = instance({
      state: "booting",
      stateMessage: "Retrying: 503",
      updatedAt: at(20),
      events: [...creating, ev(20, "creating", "ok"), ev(20, "booting", "start")],
    });
    expect(deriveProgress(moved).retrying).toBeNull();
    expect(deriveProgress(instance({ state: "failed", stateMessage: "Nope", updatedAt: at(10) })).retrying).toBeNull();
  });

  test("a retried deploy starts over: only the latest attempt counts", () => {
    const i = instance({
      state: "creating",
      events: [
        ev(0, "pending", "info"),
        ev(1, "creating", "start"),
        ev(2, "creating", "ok"),
        ev(2, "booting", "start"),
        ev(9, "failed", "failed", "boom"),
        ev(20, "retry", "info", "Deploy retried"),
        ev(21, "creating", "start"),
      ],
    });
    const p = deriveProgress(i);
    expect(statuses(i)).toEqual({ create: "active", boot: "waiting", install: "waiting", agent: "waiting", ready: "waiting" });
    expect(p.startedAt).toBe(T0 + 20_000);
  });

  test("a server is left when it was created and not cleaned up since", () => {
    expect(serverLeft([ev(0, "creating", "start")])).toBe(false);
    expect(serverLeft([ev(0, "creating", "ok")])).toBe(true);
    expect(serverLeft([ev(0, "creating", "ok"), ev(5, "cleanup", "ok")])).toBe(false);
    expect(serverLeft([ev(0, "creating", "ok"), ev(5, "cleanup", "ok"), ev(9, "creating", "ok")])).toBe(true);
  });

  test("timeline entries read as words", () => {
    expect(eventLabel(ev(0, "agent:openclaw-install", "start"))).toBe("Installing OpenClaw");
    expect(eventLabel(ev(0, "agent:something-new", "ok"))).toBe("Something new");
    expect(eventLabel(ev(0, "creating", "ok"))).toBe("Server created");
  });
});

describe("the wizard's rules", () => {
  test("names: a free suggestion, and the server's rules", () => {
    expect(suggestName([])).toBe("my-assistant");
    expect(suggestName(["my-assistant", "My-Assistant-2"])).toBe("my-assistant-3");
    expect(validateName("  ")).toBeDefined();
    expect(validateName("-x")).toBeDefined();
    expect(validateName("x".repeat(49))).toBeDefined();
    expect(validateName("Ada's")).toBeDefined();
    expect(validateName("my assistant_1.0")).toBeUndefined();
  });

  test("versions look like year.month.day", () => {
    expect(validateVersion("2026.9.6")).toBeUndefined();
    expect(validateVersion("2026.10.12-beta.1")).toBeUndefined();
    expect(validateVersion("latest")).toBeDefined();
    expect(validateVersion("26.9.6")).toBeDefined();
    expect(validateVersion("")).toBeDefined();
  });

  test("the recommended size is the cheapest 4 GB one offered in the region", () => {
    const size = (id: string, memoryMb: number, cents: number, regions: string[] = []): Size => ({
      id,
      vcpus: 2,
      memoryMb,
      diskGb: 80,
      priceMonthlyCents: cents,
      currency: "USD",
      regions,
    });
    const sizes = [size("a", 4096, 2800), size("b", 4096, 2400, ["fra1"]), size("c", 8192, 4800), size("d", 1024, 600)];
    expect(recommendedSize(sizes, "fra1")?.id).toBe("b");
    expect(recommendedSize(sizes, "nyc3")?.id).toBe("a");
    expect(recommendedSize([size("c", 8192, 4800)], "nyc3")).toBeUndefined();
  });
});
