// First: the engine's config must be in the environment before Pulumi's runtime reads it.
import { stackConfig as config } from "./stackConfigEnv";
import * as pulumi from "@pulumi/pulumi";
import { installRecordingMocks, valueOf } from "../helpers/recordingMocks";
import { PreflightError } from "../../index";

let mocks: Awaited<ReturnType<typeof installRecordingMocks>>;

beforeAll(async () => {
  delete process.env.AIVEN_TOKEN;
  mocks = await installRecordingMocks({ project: "aiven-read-replicas", stack: "dev" });
});

test("the root program builds one ReadReplicaSet from structured stack config", async () => {
  const stack = await import("../../stack");
  await mocks.settle();

  expect(mocks.registrations.map((registration) => `${registration.type} ${registration.name}`).sort()).toEqual([
    "aiven-read-replicas:index:ReadReplicaSet sessions",
    "aiven:index/valkey:Valkey sessions-primary",
    "aiven:index/valkey:Valkey sessions-replica-sessions-eu",
    "aiven:index/valkey:Valkey sessions-replica-sessions-us",
    "pulumi-nodejs:dynamic/aiven-read-replicas:PrimaryReadiness sessions-readiness",
    "pulumi-nodejs:dynamic/aiven-read-replicas:ReplicaPromotion sessions-promotion-sessions-us",
  ]);
  const readiness = mocks.registrations.find((registration) => registration.name === "sessions-readiness")!;
  expect(readiness.inputs).toMatchObject({ requireBackup: false, pollSeconds: 0.5, project: "acme-prod" });
  const eu = mocks.registrations.find((registration) => registration.name === "sessions-replica-sessions-eu")!;
  expect(eu.inputs.cloudName).toBe("google-europe-west1");

  expect(await valueOf(stack.primaryServiceName)).toBe("sessions-primary");
  expect(await valueOf(stack.replicaServiceNames)).toEqual(["sessions-eu", "sessions-us"]);
  expect(stack.promotedReplicas).toEqual(["sessions-us"]);
  expect(await valueOf(stack.replicaHosts)).toEqual({
    "sessions-eu": "sessions-eu-acme-prod.aivencloud.com:12691",
    "sessions-us": "sessions-us-acme-prod.aivencloud.com:12691",
  });
  expect(await valueOf(stack.writeEndpoint)).toBe("rediss://default:pw-sessions-us@sessions-us-acme-prod.aivencloud.com:12691");
  expect(await pulumi.isSecret(stack.writeEndpoint)).toBe(true);
  expect(stack.replicationLagMs).toBeUndefined();
});

test("config that breaks the rules fails preflight with config paths, before anything registers", async () => {
  mocks.clear();
  const { stackArgsFromConfig } = await import("../../stack/stackArgs");
  const { ReadReplicaSet } = await import("../../index");
  pulumi.runtime.setAllConfig(
    { ...config, "aiven-read-replicas:replicas": JSON.stringify([{ name: "sessions-eu", plan: "business-4" }]) },
    ["aiven:apiToken"],
  );
  const args = stackArgsFromConfig(new pulumi.Config("aiven-read-replicas"));
  expect(() => new ReadReplicaSet("bad", args)).toThrow(PreflightError);
  expect(() => new ReadReplicaSet("bad", args)).toThrow(
    "replicas[0].plan: 'business-4' is not a read replica plan; allowed: startup-4\nfailoverTo: 'sessions-us' is not a replica of this set",
  );
  await mocks.settle();
  expect(mocks.registrations).toEqual([]);
});
