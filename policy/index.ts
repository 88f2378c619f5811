// The policy pack `pulumi preview --policy-pack <this directory>` loads. The policies live in
// policies.ts, so that tests can run them without starting the pack's server.
import { PolicyPack } from "@pulumi/policy";
import { readReplicaPolicies } from "./policies";

new PolicyPack("aiven-read-replicas", {
  description: "Read replica rules for Aiven for Valkey / Caching services declared by hand",
  policies: readReplicaPolicies,
});
