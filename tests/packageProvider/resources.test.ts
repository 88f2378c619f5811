// The package's provider serves ReplicaPromotion, PrimaryReadiness and ReplicationCheck with the
// dynamic providers' code, against the emulator: secret inputs are unwrapped for the call and
// every output that came from a secret leaves as a secret.
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { Fixture, PROJECT, startFixture } from "../acceptance/emulatorFixture";
import { ReadReplicaSetProvider, typeOfUrn } from "../../packageProvider/provider";
import { isAivenApiError } from "../../provider/aivenClient";
import { captureProgress } from "../provider/providerFixture";

const secret = (value: unknown) => ({ [specialSigKey]: specialSecretSig, value });
const urn = (type: string, name: string) =>
  `urn:pulumi:dev::consumer::aiven-read-replicas:index:ReadReplicaSet$aiven-read-replicas:index:${type}::${name}`;
const READINESS = urn("PrimaryReadiness", "cache-readiness");
const PROMOTION = urn("ReplicaPromotion", "cache-promotion-sessions-us");
const CHECK = urn("ReplicationCheck", "cache-replication-check");

const provider = new ReadReplicaSetProvider();
let aiven: Fixture;
/** What the providers logged (`pulumi.log.info`, which prints when no engine listens). */
const progress: string[] = [];
let restoreLog: () => void;

beforeAll(async () => {
  restoreLog = captureProgress((message) => progress.push(message));
  delete process.env.AIVEN_TOKEN;
  aiven = await startFixture();
  await aiven.primaryWithReplicas("sessions", ["sessions-eu", "sessions-us"]);
}, 120_000);

beforeEach(() => {
  progress.length = 0;
});

afterAll(async () => {
  restoreLog();
  await aiven?.close();
});

const access = () => ({ apiUrl: aiven.emulator.url, apiToken: secret(aiven.token), timeoutSeconds: 60, pollSeconds: 0.05 });

test("the type of a URN is its last type, after the parents'", () => {
  expect(typeOfUrn(READINESS)).toBe("aiven-read-replicas:index:PrimaryReadiness");
  expect(typeOfUrn("urn:pulumi:dev::p::aiven-read-replicas:index:ReplicaPromotion::x")).toBe("aiven-read-replicas:index:ReplicaPromotion");
});

test("PrimaryReadiness: check keeps the secret token wrapped; create waits on the real primary and stores no token", async () => {
  const inputs = { project: PROJECT, serviceName: "sessions", serviceType: "valkey", replicasToAdd: 2, requireBackup: true, ...access() };
  const checked = await provider.check(READINESS, {}, inputs);
  expect(checked).toEqual({ inputs, failures: [] });

  const { id, outs } = await provider.create(READINESS, inputs);
  expect(id).toBe(`${PROJECT}/sessions`);
  expect(outs).toMatchObject({ state: "RUNNING", liveReplicas: 2, serviceName: "sessions" });
  expect(outs.backupCount).toBeGreaterThanOrEqual(1);
  expect(outs).not.toHaveProperty("apiToken");
  expect(JSON.stringify(outs)).not.toContain(aiven.token);
});

test("check failures come from the same rules, by property", async () => {
  const { failures } = await provider.check(PROMOTION, {}, { project: PROJECT, primaryServiceName: "sessions", replicaServiceName: "sessions", pollSeconds: 0 });
  expect(failures?.map((f) => f.property).sort()).toEqual(["pollSeconds", "replicaServiceName"]);
});

test("a wrong token given as a secret is the token used: Aiven refuses it, and it is not echoed", async () => {
  const inputs = { project: PROJECT, serviceName: "sessions", serviceType: "valkey", replicasToAdd: 0, requireBackup: true, ...access(), apiToken: secret("not-the-token-123") };
  const error = await provider.create(READINESS, inputs).then(() => undefined, (e: unknown) => e as Error);
  expect(isAivenApiError(error) && [401, 403].includes(error.status)).toBe(true);
  expect(error?.message).not.toContain("not-the-token-123");
});

test("ReplicaPromotion: create deletes exactly the replica's read_replica link; diff, read and delete delegate", async () => {
  const inputs = { project: PROJECT, primaryServiceName: "sessions", replicaServiceName: "sessions-us", ...access() };
  const { id, outs } = await provider.create(PROMOTION, inputs);
  expect(id).toBe(`${PROJECT}/sessions-us`);
  expect(outs).toMatchObject({ promoted: true, replicaServiceName: "sessions-us" });
  expect(typeof outs.integrationId).toBe("string");
  expect(outs).not.toHaveProperty("apiToken");
  expect(await aiven.links()).toEqual(["sessions-eu <- sessions"]);

  const renamed = await provider.diff(id, PROMOTION, outs, { ...inputs, replicaServiceName: "sessions-eu" });
  expect(renamed).toMatchObject({ changes: true, replaces: ["replicaServiceName"] });

  const read = await provider.read(id, PROMOTION, { ...outs, apiToken: secret(aiven.token) });
  expect(read).toMatchObject({ id, props: { promoted: true } });

  // A promotion cannot be undone: deleting the resource changes nothing in Aiven.
  const before = await aiven.requests();
  await provider.delete(id, PROMOTION, outs);
  const writes = (await aiven.requests()).slice(before.length).filter((r) => r.method !== "GET");
  expect(writes).toEqual([]);
  expect(await aiven.links()).toEqual(["sessions-eu <- sessions"]);
  expect(progress).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^promoting 'sessions-us': deleting its read_replica integration \S+ from 'sessions'$/),
      "promotion cannot be undone; 'sessions-us' stays a standalone primary",
    ]),
  );
  expect((await aiven.service("sessions-us")).state).toBe("RUNNING");
});

test("ReplicationCheck: the canary reaches the replica; the URIs leave as secrets", async () => {
  if (!aiven.emulator.enginesEnabled) {
    console.warn("redis-server is not installed: the ReplicationCheck create is not run");
    return;
  }
  const [primaryUri, replicaUri] = [(await aiven.service("sessions")).service_uri, (await aiven.service("sessions-eu")).service_uri];
  const inputs = { primaryUri: secret(primaryUri), replicas: secret([{ name: "sessions-eu", uri: replicaUri }]), timeoutSeconds: 30, pollSeconds: 0.05 };
  const { outs } = await provider.create(CHECK, inputs);
  expect(Object.keys(outs.lagMs)).toEqual(["sessions-eu"]);
  expect(outs.primaryUri).toEqual(secret(primaryUri));
  expect(outs.replicas).toEqual(secret([{ name: "sessions-eu", uri: replicaUri }]));
  expect(typeof outs.checkedAt).toBe("string");
  expect(progress).toContainEqual(expect.stringMatching(/^replica 'sessions-eu' returned the canary after \d+ ms$/));
  expect(progress.join("\n")).not.toContain(replicaUri);
}, 60_000);

test("a URI given in plain text still leaves as a secret", async () => {
  if (!aiven.emulator.enginesEnabled) return;
  const primaryUri = (await aiven.service("sessions")).service_uri;
  const { outs } = await provider.create(CHECK, { primaryUri, replicas: [], timeoutSeconds: 30, pollSeconds: 0.05 });
  expect(outs.primaryUri).toEqual(secret(primaryUri));
  expect(outs.replicas).toEqual(secret([]));
  expect(progress).toEqual(["no replicas to verify: every replica of the set is promoted"]);
}, 60_000);

test("a resource type the package does not have is refused by name", async () => {
  await expect(provider.create(urn("Other", "x"), {})).rejects.toThrow("the aiven-read-replicas provider has no resource type 'aiven-read-replicas:index:Other'");
});
