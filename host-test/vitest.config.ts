// `npm run test:host`: the bootstrap on a real Debian 12 machine booted with systemd (root,
// debootstrap, systemd-nspawn). Not part of `npm test`: it takes minutes and needs root.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "host",
    root: `${import.meta.dirname}/..`,
    include: ["host-test/**/*.host.test.ts"],
    env: { TEST_DATABASE: "postgres" },
    testTimeout: 20 * 60_000,
    hookTimeout: 15 * 60_000,
    fileParallelism: false,
  },
});
