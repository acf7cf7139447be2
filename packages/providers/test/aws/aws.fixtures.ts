// Shared setup for the AWS driver tests: the simulator, the driver against it, and the wire check
// run after every test.

import { expect } from "vitest";
import { type AwsDriverOptions, createAwsDriver } from "../../src/aws/driver.ts";
import { type CreateServerInput, ProviderError } from "../../src/spec.ts";
import { throwawayPublicKey } from "../../src/ssh.ts";
import { checkWire, loadModel, MODEL_PATH } from "./botocore.ts";
import { Ec2Simulator, type SimulatorOptions } from "./simulator.ts";

export const KEYS = {
  kind: "keys" as const,
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
};
export const ROLE_ARN = "arn:aws:iam::210987654321:role/ClawCloud";
export const EXTERNAL_ID = "clawcloud-ws_01HZX-7f3a";
// A real key line (its private half is discarded); the user's own key in these tests.
export const SSH_KEY = throwawayPublicKey("user@laptop").line;
export const USER_DATA = "#cloud-config\nwrite_files:\n  - path: /etc/clawcloud/token\n    content: one-time-registration-token-9f8e7d\n";

export const model = loadModel();
if (!model) console.warn(`botocore model not found at ${MODEL_PATH}: wire-level contract checks are skipped in this file`);

export const sims: Ec2Simulator[] = [];
/** Violations a test provokes on purpose; each must then actually be reported. */
export const expectedViolations = new Map<Ec2Simulator, RegExp>();
export async function closeAndCheckSims(): Promise<void> {
  const current = sims.splice(0);
  for (const sim of current) await sim.close();
  if (model) {
    for (const sim of current) {
      const expected = expectedViolations.get(sim);
      const { violations } = checkWire(model, sim.log);
      if (expected) expect(violations.filter((v) => expected.test(v)).length).toBeGreaterThan(0);
      expect(violations.filter((v) => !expected?.test(v))).toEqual([]);
    }
  }
  expectedViolations.clear();
}

export async function setup(simOpts: SimulatorOptions = {}, driverOpts: Partial<AwsDriverOptions> = {}) {
  const sim = new Ec2Simulator(simOpts);
  sims.push(sim);
  const url = await sim.start();
  const sleeps: number[] = [];
  const driver = createAwsDriver({
    credentials: KEYS,
    baseUrl: url,
    timeoutMs: 2_000,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...driverOpts,
  });
  return { sim, driver, url, sleeps };
}

export const input = (over: Partial<CreateServerInput> = {}): CreateServerInput => ({
  instanceId: "inst_01J9ZK",
  name: "Ada's assistant",
  region: "eu-central-1",
  size: "t3.small",
  userData: USER_DATA,
  firewall: { inbound: [] },
  ...over,
});

export async function rejection(p: Promise<unknown>): Promise<ProviderError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}
