// construct under Pulumi's mocks: the set the package's provider builds for a program in another
// language creates its helpers as resources of this package (never dynamic ones), keeps secrets
// secret, and refuses bad arguments by property path before registering anything.
import * as pulumi from "@pulumi/pulumi";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { installRecordingMocks, valueOf } from "../helpers/recordingMocks";
import { ReadReplicaSetProvider } from "../../packageProvider/provider";

const SET = "aiven-read-replicas:index:ReadReplicaSet";
const secret = (value: unknown) => ({ [specialSigKey]: specialSecretSig, value });

let mocks: Awaited<ReturnType<typeof installRecordingMocks>>;
const provider = new ReadReplicaSetProvider();

beforeAll(async () => {
  mocks = await installRecordingMocks({});
});
beforeEach(() => {
  mocks.clear();
  delete process.env.AIVEN_TOKEN;
  pulumi.runtime.setAllConfig({ "aiven:apiToken": "token-from-stack-config" }, ["aiven:apiToken"]);
});
afterAll(() => pulumi.runtime.setAllConfig({}));

const inputs = (extra: Record<string, unknown> = {}): pulumi.Inputs => ({
  project: "acme",
  primary: { name: "sessions", plan: "business-4", cloud: "google-europe-west1" },
  replicas: [{ name: "sessions-eu" }, { name: "sessions-us", promote: true }],
  ...extra,
});

function registered(type: string) {
  return mocks.registrations.filter((registration) => registration.type === type);
}

test("the helpers are resources of this package, not dynamic resources", async () => {
  await provider.construct("cache", SET, inputs({ verifyReplication: true }), {});
  await mocks.settle();
  const types = mocks.registrations.map((registration) => registration.type).sort();
  expect(types).toEqual(
    [
      SET,
      "aiven-read-replicas:index:PrimaryReadiness",
      "aiven-read-replicas:index:ReplicaPromotion",
      "aiven-read-replicas:index:ReplicationCheck",
      "aiven:index/valkey:Valkey",
      "aiven:index/valkey:Valkey",
      "aiven:index/valkey:Valkey",
    ].sort(),
  );
  const [readiness] = registered("aiven-read-replicas:index:PrimaryReadiness");
  expect(readiness.custom).toBe(true);
  expect(readiness.inputs.__provider).toBeUndefined();
  expect(readiness.inputs).toMatchObject({ project: "acme", serviceName: "sessions", serviceType: "valkey", replicasToAdd: 1, managedReplicas: ["sessions-eu"] });
  expect(registered("aiven-read-replicas:index:ReplicaPromotion").map((r) => r.name)).toEqual(["cache-promotion-sessions-us"]);
  expect(registered("aiven-read-replicas:index:ReplicationCheck")[0].additionalSecretOutputs).toEqual(["primaryUri", "replicas"]);
});

test("the stack's aiven:apiToken reaches the helpers as a secret input; the component's apiToken wins over it", async () => {
  await provider.construct("cfg", SET, inputs(), {});
  await mocks.settle();
  for (const type of ["aiven-read-replicas:index:PrimaryReadiness", "aiven-read-replicas:index:ReplicaPromotion"]) {
    const [resource] = registered(type);
    expect(resource.inputs.apiToken).toEqual(secret("token-from-stack-config"));
    expect(resource.additionalSecretOutputs).toEqual(["apiToken"]);
  }

  mocks.clear();
  await provider.construct("arg", SET, inputs({ apiToken: pulumi.secret("token-from-argument") }), {});
  await mocks.settle();
  expect(registered("aiven-read-replicas:index:PrimaryReadiness")[0].inputs.apiToken).toEqual(secret("token-from-argument"));
});

test("returns every plain output; the URIs and the write endpoint are secret", async () => {
  const { state } = await provider.construct("outs", SET, inputs(), {});
  expect(Object.keys(state).sort()).toEqual(
    ["primaryHost", "primaryPort", "primaryServiceName", "primaryUri", "replicaHosts", "replicaPorts", "replicaPromoted", "replicaServiceNames", "replicaUris", "writeEndpoint"].sort(),
  );
  const output = (key: string) => state[key] as pulumi.Output<unknown>;
  expect(await valueOf(output("replicaServiceNames"))).toEqual(["sessions-eu", "sessions-us"]);
  expect(await valueOf(output("replicaPromoted"))).toEqual([false, true]);
  expect(await valueOf(output("primaryPort"))).toBe(12691);
  for (const key of ["primaryUri", "replicaUris", "writeEndpoint"]) expect(await pulumi.isSecret(output(key))).toBe(true);
  for (const key of ["primaryServiceName", "replicaHosts", "replicaPorts"]) expect(await pulumi.isSecret(output(key))).toBe(false);
});

test("a preflight failure reaches the engine as an InputPropertiesError naming each path, and registers nothing", async () => {
  const bad = inputs({
    serviceType: "dragonfly",
    primary: { name: "sessions", plan: "free-1" },
    replicas: [{ name: "sessions-eu", plan: "business-4" }],
  });
  const error = await provider.construct("bad", SET, bad, {}).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(pulumi.InputPropertiesError.isInstance(error)).toBe(true);
  const paths = (error as pulumi.InputPropertiesError).errors.map((e) => e.propertyPath).sort();
  expect(paths).toEqual(["primary.plan", "replicas[0].plan", "serviceType"]);
  await mocks.settle();
  expect(mocks.registrations).toEqual([]);
});

test("refuses to construct a type the package does not have", async () => {
  await expect(provider.construct("x", "aiven-read-replicas:index:Other", inputs(), {})).rejects.toThrow(
    "the aiven-read-replicas provider cannot construct 'aiven-read-replicas:index:Other'",
  );
});
