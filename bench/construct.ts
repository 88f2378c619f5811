import * as pulumi from "@pulumi/pulumi";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { ReadReplicaSet } from "../components/readReplicaSet";
import { median, round } from "./emulated";

export interface ConstructFigures {
  msPer5Replicas: number;
  runs: number;
}

const mocks: pulumi.runtime.Mocks = {
  newResource(args) {
    const name = String(args.inputs.serviceName ?? args.name);
    const service = { serviceHost: `${name}.example`, servicePort: 12691, serviceUri: `rediss://default:pw@${name}.example:12691`, cloudName: "google-europe-west1" };
    return { id: `${args.name}-id`, state: { ...args.inputs, ...service, state: "RUNNING", backupCount: 1, liveReplicas: 0 } };
  },
  call: () => ({}),
};

// Not in the public typings; the harness waits on it too.
const waitForRPCs = (): Promise<void> => (settings as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();

const resolved = <T>(output: pulumi.Output<T>): Promise<T> => new Promise((resolve) => output.apply(resolve));

/**
 * A 5-replica set under Pulumi's mocks, from `new` until its outputs resolve and every
 * registration RPC is done; the first run warms module loading and is discarded.
 */
export async function measureConstruct(runs: number): Promise<ConstructFigures> {
  await pulumi.runtime.setMocks(mocks, "bench", "bench", false);
  const samples: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const start = performance.now();
    const set = new ReadReplicaSet(`set${i}`, {
      project: "bench",
      apiToken: "bench-token",
      primary: { name: `p${i}`, plan: "business-4", cloud: "google-europe-west1" },
      replicas: Array.from({ length: 5 }, (_, r) => ({ name: `p${i}-r${r}` })),
    });
    await Promise.all([resolved(set.replicaServiceNames), resolved(set.writeEndpoint)]);
    await waitForRPCs();
    if (i > 0) samples.push(performance.now() - start);
  }
  return { msPer5Replicas: round(median(samples)), runs };
}
