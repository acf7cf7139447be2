// The update offer in a real browser against the real server: an instance deployed through the
// DigitalOcean simulator with a scripted agent (real registration and WebSocket, scripted
// OpenClaw), a fake npm registry with a changelog in its tarball. The banner, View changes, Update
// now with the outcome, Remind me later, and the phone layout. Screenshots go to artifacts/.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import tar from "tar-stream";
import { afterAll, describe, expect, test } from "vitest";
import { type ScriptedAgent, startScriptedAgent } from "../apps/server/test/support/scripted-agent.ts";
import { type DigitalOceanSimulator, DO_TOKENS } from "../packages/providers/test/simulator/digitalocean.ts";
import { chooseCloud, deploy, fitsPhone, person } from "./support/deploy.ts";
import type { E2eServer } from "./support/server.ts";
import { apiGet, PHONE, settledShot as shot, signIn, signUpReadyToDeploy, useDigitalOceanE2e } from "./support/session.ts";

const agents: ScriptedAgent[] = [];
// The npm registry is a third party: a fake one, started before the server that reads it.
const pack = tar.pack();
pack.entry(
  { name: "package/CHANGELOG.md" },
  "# Changelog\n\n## 2026.9.6\n\n- Updates: managed upgrades finish.\n\n## 2026.9.5\n\n- Old.\n",
);
pack.finalize();
const chunks: Buffer[] = [];
for await (const c of pack) chunks.push(c as Buffer);
const tgz = gzipSync(Buffer.concat(chunks));
const registry: Server = createServer();
registry.on("request", (req, res) => {
  if (req.url === "/openclaw") {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        name: "openclaw",
        "dist-tags": { latest: "2026.9.6" },
        versions: { "2026.9.6": { dist: { tarball: `${registryUrl}openclaw/-/openclaw-2026.9.6.tgz` } } },
      }),
    );
  } else if (req.url === "/openclaw/-/openclaw-2026.9.6.tgz") {
    res.writeHead(200, { "content-type": "application/octet-stream" });
    res.end(tgz);
  } else res.writeHead(404).end();
});
await new Promise<void>((r) => registry.listen(0, "127.0.0.1", r));
const registryUrl = `http://127.0.0.1:${(registry.address() as AddressInfo).port}/`;

let sim: DigitalOceanSimulator;
let server: E2eServer;
const pages = useDigitalOceanE2e(
  {
    env: {
      CLAWCLOUD_AGENT_URL: "https://clawcloud.example.test",
      CLAWCLOUD_NPM_REGISTRY_URL: registryUrl,
    },
    logName: "updates-e2e-server.log",
    expectedConsole: /status of (401)/,
  },
  (e2e) => {
    ({ sim, server } = e2e);
  },
);

afterAll(async () => {
  for (const a of agents) a.close();
  await new Promise((r) => registry.close(r));
});

describe("updating from the instance page, in a browser", () => {
  test("offers the update with its changes, applies it with one click and shows the outcome", { timeout: 180_000 }, async () => {
    const page = await pages.open();
    await signUpReadyToDeploy(page, server, person, "Personal", DO_TOKENS.valid);
    await page.goto(`${server.url}/deploy`);
    await chooseCloud(page);
    await page.getByLabel("Name", { exact: true }).fill("to-update");
    const created = await deploy(page);
    const id = created.body.id;
    // What cloud-init would start: here a scripted agent on 2026.9.5.
    let token: string | undefined;
    for (const end = Date.now() + 60_000; !token && Date.now() < end; await new Promise((r) => setTimeout(r, 200))) {
      const droplet = [...sim.droplets.values()].find((d) => d.tags.includes(`clawcloud-instance:${id}`));
      token = /CC_REGISTRATION_TOKEN='([A-Za-z0-9_-]+)'/.exec(droplet?.userData ?? "")?.[1];
    }
    agents.push(await startScriptedAgent({ serverUrl: server.url, instanceId: id, token: token as string, version: "2026.9.5" }));

    const banner = page.getByTestId("update-banner");
    await banner.waitFor({ timeout: 90_000 });
    await banner.getByText("Update available:").waitFor();
    expect(await banner.textContent()).toContain("2026.9.5 → 2026.9.6");
    await banner.getByRole("button", { name: "View changes" }).click();
    const dialog = page.getByRole("dialog", { name: "What's new in OpenClaw 2026.9.6" });
    await dialog.getByText("Updates: managed upgrades finish.").waitFor();
    await shot(page, "updates-release-notes");
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });

    await banner.getByRole("button", { name: "Update now" }).click();
    const outcome = page.getByTestId("update-outcome");
    await outcome.getByText("Updated to 2026.9.6").waitFor({ timeout: 60_000 });
    await page.getByRole("button", { name: "Roll back to 2026.9.5" }).waitFor();
    await shot(page, "updates-desktop-updated");
    const after = await apiGet<{ openclawVersion: string }>(page, `/api/v1/instances/${id}`);
    expect(after.openclawVersion).toBe("2026.9.6");

    const phone = await pages.open(PHONE);
    await signIn(phone, server, person);
    await phone.goto(`${server.url}/instances/${id}`);
    await phone.getByRole("button", { name: "Pin to 2026.9.6" }).waitFor();
    await fitsPhone(phone);
    await shot(phone, "updates-phone");
  });
});
