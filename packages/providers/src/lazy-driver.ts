// A driver whose implementation loads on its first call. The AWS, Azure and GCP drivers sit on the
// clouds' official SDKs, which weigh about 135 MB of JS heap and 2 s of start-up together
// (@google-cloud/compute alone 87 MB: it parses every Compute API proto at load). A server whose
// users never add such a cloud never pays for it; and a smaller heap makes every full garbage
// collection cheaper, which is what the relay's tail latency waits on.
import type { ComputeProviderV1, ProviderId } from "./spec.ts";

export function lazyDriver(id: ProviderId, load: () => Promise<ComputeProviderV1>): ComputeProviderV1 {
  let loaded: Promise<ComputeProviderV1> | undefined;
  const driver = () => {
    loaded ??= load();
    return loaded;
  };
  return {
    id,
    version: 1,
    validateCredentials: async () => (await driver()).validateCredentials(),
    listRegions: async () => (await driver()).listRegions(),
    listSizes: async () => (await driver()).listSizes(),
    createServer: async (input) => (await driver()).createServer(input),
    getServer: async (serverId) => (await driver()).getServer(serverId),
    findServersByTag: async (instanceId) => (await driver()).findServersByTag(instanceId),
    deleteServer: async (serverId, opts) => (await driver()).deleteServer(serverId, opts),
    reboot: async (serverId) => (await driver()).reboot(serverId),
  };
}
