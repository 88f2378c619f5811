// Entry point of the aiven-read-replicas plugin: the Pulumi engine starts it (through the
// pulumi-resource-aiven-read-replicas launcher next to PulumiPlugin.yaml) and talks to it over gRPC.
import * as provider from "@pulumi/pulumi/provider";
import { ReadReplicaSetProvider } from "./provider";

provider.main(new ReadReplicaSetProvider(), process.argv.slice(2)).catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
