import * as pulumi from "@pulumi/pulumi";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { installRecordingMocks, Registration, valueOf } from "../helpers/recordingMocks";
import { PreflightError, ReadReplicaSet, ReadReplicaSetArgs } from "../../index";

const VALKEY = "aiven:index/valkey:Valkey";
const REDIS = "aiven:index/redis:Redis";
const READINESS = "pulumi-nodejs:dynamic/aiven-read-replicas:PrimaryReadiness";
const PROMOTION = "pulumi-nodejs:dynamic/aiven-read-replicas:ReplicaPromotion";
const CHECK = "pulumi-nodejs:dynamic/aiven-read-replicas:ReplicationCheck";
const COMPONENT = "aiven-read-replicas:index:ReadReplicaSet";

let mocks: Awaited<ReturnType<typeof installRecordingMocks>>;

beforeAll(async () => {
  process.env.AIVEN_TOKEN = "test-token-from-env";
  mocks = await installRecordingMocks({
    invokes: ({ token, inputs }) => {
      if (token !== "aiven:index/getValkey:getValkey" && token !== "aiven:index/getRedis:getRedis") return {};
      const name = String(inputs.serviceName);
      return {
        project: inputs.project,
        serviceName: name,
        cloudName: "aws-eu-west-1",
        plan: "business-8",
        serviceUri: `rediss://default:pw@${name}.example:1234`,
        serviceHost: `${name}.example`,
        servicePort: 1234,
      };
    },
  });
});

beforeEach(() => mocks.clear());

function byName(name: string): Registration {
  const found = mocks.registrations.find((registration) => registration.name === name);
  if (!found) throw new Error(`no registration named ${name}; have ${mocks.registrations.map((r) => r.name).join(", ")}`);
  return found;
}

/** Inputs without the serialized provider closure, which is asserted separately. */
function plainInputs(registration: Registration): Record<string, unknown> {
  const { __provider, ...rest } = registration.inputs;
  if (registration.type.startsWith("pulumi-nodejs:dynamic")) expect(typeof __provider).toBe("string");
  return rest;
}

function summary() {
  return mocks.registrations
    .map((registration) => `${registration.type} ${registration.name}`)
    .sort();
}

const valkeyArgs = (): ReadReplicaSetArgs => ({
  project: "acme-prod",
  primary: { name: "sessions", plan: "business-4", cloud: "google-europe-west1" },
  replicas: [
    { name: "sessions-eu" },
    { name: "sessions-us", cloud: "aws-us-east-1", promote: true },
  ],
  failoverTo: "sessions-us",
});

describe("ReadReplicaSet children", () => {
  test("valkey set: primary, readiness, replicas and one promotion, all parented by the component", async () => {
    const set = new ReadReplicaSet("cache", valkeyArgs());
    await mocks.settle();

    expect(summary()).toEqual([
      `${COMPONENT} cache`,
      `${VALKEY} cache-primary`,
      `${VALKEY} cache-replica-sessions-eu`,
      `${VALKEY} cache-replica-sessions-us`,
      `${READINESS} cache-readiness`,
      `${PROMOTION} cache-promotion-sessions-us`,
    ].sort());

    const component = byName("cache");
    for (const child of mocks.registrations.filter((registration) => registration !== component)) {
      expect(child.parentUrn).toBe(component.urn);
    }

    const primary = byName("cache-primary");
    expect(primary.inputs).toEqual({
      project: "acme-prod",
      serviceName: "sessions",
      plan: "business-4",
      cloudName: "google-europe-west1",
    });

    const readiness = byName("cache-readiness");
    expect(plainInputs(readiness)).toEqual({
      project: "acme-prod",
      serviceName: "sessions",
      serviceType: "valkey",
      replicasToAdd: 1,
      managedReplicas: ["sessions-eu"],
      requireBackup: true,
    });
    expect(readiness.dependencies).toEqual([primary.urn]);
    expect(readiness.additionalSecretOutputs).toEqual(["apiToken"]);

    const eu = byName("cache-replica-sessions-eu");
    const us = byName("cache-replica-sessions-us");
    expect(eu.inputs).toEqual({
      project: "acme-prod",
      serviceName: "sessions-eu",
      plan: "startup-4",
      cloudName: "google-europe-west1",
      serviceIntegrations: [{ integrationType: "read_replica", sourceServiceName: "sessions" }],
    });
    // A promoted replica leaves its read_replica link out, and nothing is ignored: the state then
    // loses the link the promotion removed, which a refresh would otherwise hold against it.
    expect(us.inputs).toEqual({
      project: "acme-prod",
      serviceName: "sessions-us",
      plan: "startup-4",
      cloudName: "aws-us-east-1",
    });
    expect(eu.ignoreChanges).toEqual(["serviceIntegrations"]);
    expect(us.ignoreChanges ?? []).toEqual([]);
    for (const replica of [eu, us]) {
      // Parallel creation: only the primary and the readiness check, never a sibling replica.
      expect([...replica.dependencies].sort()).toEqual([primary.urn, readiness.urn].sort());
    }

    const promotion = byName("cache-promotion-sessions-us");
    expect(plainInputs(promotion)).toEqual({
      project: "acme-prod",
      primaryServiceName: "sessions",
      replicaServiceName: "sessions-us",
    });
    expect([...promotion.dependencies].sort()).toEqual([primary.urn, us.urn].sort());

    expect(set.replicas.map((replica) => [replica.name, replica.promoted, replica.promotion !== undefined])).toEqual([
      ["sessions-eu", false, false],
      ["sessions-us", true, true],
    ]);
    expect(await valueOf(set.primaryServiceName)).toBe("sessions");
    expect(await valueOf(set.replicaServiceNames)).toEqual(["sessions-eu", "sessions-us"]);
    expect(await valueOf(set.replicas[1].host)).toBe("sessions-us-acme-prod.aivencloud.com");
    expect(await valueOf(set.replicas[1].port)).toBe(12691);
  });

  test("the write endpoint is the failover replica's URI, and every URI is secret", async () => {
    const set = new ReadReplicaSet("failover", valkeyArgs());
    await mocks.settle();
    expect(await valueOf(set.writeEndpoint)).toBe("rediss://default:pw-sessions-us@sessions-us-acme-prod.aivencloud.com:12691");
    for (const output of [set.writeEndpoint, set.primaryUri, ...set.replicas.map((replica) => replica.uri)]) {
      expect(await pulumi.isSecret(output)).toBe(true);
    }
  });

  test("without failoverTo the write endpoint is the primary's URI", async () => {
    const set = new ReadReplicaSet("plain", { ...valkeyArgs(), failoverTo: undefined });
    await mocks.settle();
    expect(await valueOf(set.writeEndpoint)).toBe("rediss://default:pw-sessions@sessions-acme-prod.aivencloud.com:12691");
  });

  test("caching set uses aiven.Redis and Aiven's type redis, with the end-of-life warning; apiToken and waits are passed on", async () => {
    // Without an engine, pulumi.log.warn writes to console.warn: captured here and asserted.
    const warned: string[] = [];
    const warn = jest.spyOn(console, "warn").mockImplementation((...parts: unknown[]) => void warned.push(parts.join(" ")));
    // apiUrl is honoured only where Aiven's provider reads the same URL from AIVEN_WEB_URL.
    process.env.AIVEN_WEB_URL = "http://127.0.0.1:9999/";
    try {
      new ReadReplicaSet("legacy", {
        project: "acme",
        serviceType: "caching",
        primary: { name: "legacy-primary", plan: "business-4", cloud: "google-europe-west1", terminationProtection: true },
        replicas: [{ name: "legacy-replica", plan: "startup-4", cloud: "google-europe-north1", terminationProtection: true }],
        apiToken: "explicit-token",
        apiUrl: "http://127.0.0.1:9999",
        waitForBackup: false,
        timeoutSeconds: 60,
        pollSeconds: 0.5,
      });
      await mocks.settle();
    } finally {
      warn.mockRestore();
      delete process.env.AIVEN_WEB_URL;
    }
    expect(warned).toEqual([expect.stringMatching(/Aiven for Caching \(service type redis\) reached end of life on 2025-03-31.*serviceType 'valkey'/)]);

    expect(summary()).toEqual([
      `${COMPONENT} legacy`,
      "pulumi:providers:aiven legacy-aiven",
      `${READINESS} legacy-readiness`,
      `${REDIS} legacy-primary`,
      `${REDIS} legacy-replica-legacy-replica`,
    ].sort());
    expect(byName("legacy-primary").inputs.terminationProtection).toBe(true);
    expect(byName("legacy-replica-legacy-replica").inputs).toEqual({
      project: "acme",
      serviceName: "legacy-replica",
      plan: "startup-4",
      cloudName: "google-europe-north1",
      terminationProtection: true,
      serviceIntegrations: [{ integrationType: "read_replica", sourceServiceName: "legacy-primary" }],
    });
    expect(plainInputs(byName("legacy-readiness"))).toEqual({
      project: "acme",
      serviceName: "legacy-primary",
      serviceType: "redis",
      replicasToAdd: 1,
      managedReplicas: ["legacy-replica"],
      requireBackup: false,
      apiUrl: "http://127.0.0.1:9999",
      apiToken: { [specialSigKey]: specialSecretSig, value: "explicit-token" },
      timeoutSeconds: 60,
      pollSeconds: 0.5,
    });
  });

  test("existing primary: looked up, not created; replicas take its cloud and its name", async () => {
    const set = new ReadReplicaSet("adopt", {
      project: "acme",
      primary: { name: "orders", existing: true },
      replicas: [{ name: "orders-ro" }],
    });
    await mocks.settle();

    expect(set.primary).toBeUndefined();
    expect(summary()).toEqual([`${COMPONENT} adopt`, `${READINESS} adopt-readiness`, `${VALKEY} adopt-replica-orders-ro`].sort());
    expect(mocks.invocations.map((call) => [call.token, call.inputs])).toEqual([
      ["aiven:index/getValkey:getValkey", { project: "acme", serviceName: "orders" }],
    ]);
    expect(byName("adopt-replica-orders-ro").inputs).toEqual({
      project: "acme",
      serviceName: "orders-ro",
      plan: "startup-4",
      cloudName: "aws-eu-west-1",
      serviceIntegrations: [{ integrationType: "read_replica", sourceServiceName: "orders" }],
    });
    expect(byName("adopt-readiness").dependencies).toEqual([]);
    expect(await valueOf(set.primaryUri)).toBe("rediss://default:pw@orders.example:1234");
    expect(await pulumi.isSecret(set.primaryUri)).toBe(true);
  });

  test("verifyReplication adds one check after every replica and promotion, for the replicas still replicating", async () => {
    const set = new ReadReplicaSet("verified", {
      ...valkeyArgs(),
      failoverTo: undefined,
      verifyReplication: true,
      timeoutSeconds: 30,
      pollSeconds: 0.2,
    });
    await mocks.settle();
    const check = byName("verified-replication-check");
    expect(check.type).toBe(CHECK);
    expect(check.parentUrn).toBe(byName("verified").urn);
    const secret = (value: unknown) => ({ [specialSigKey]: specialSecretSig, value });
    expect(plainInputs(check)).toEqual({
      primaryUri: secret("rediss://default:pw-sessions@sessions-acme-prod.aivencloud.com:12691"),
      // The secret URIs make the whole list secret.
      replicas: secret([{ name: "sessions-eu", uri: "rediss://default:pw-sessions-eu@sessions-eu-acme-prod.aivencloud.com:12691" }]),
      timeoutSeconds: 30,
      pollSeconds: 0.2,
    });
    const expectedDeps = [
      "verified-primary",
      "verified-replica-sessions-eu",
      "verified-replica-sessions-us",
      "verified-promotion-sessions-us",
    ].map((name) => byName(name).urn);
    expect([...check.dependencies].sort()).toEqual(expectedDeps.sort());
    expect(set.replicationCheck).toBeDefined();
  });

  test("while failoverTo is set the check is skipped with a warning: the old primary may be gone", async () => {
    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      const set = new ReadReplicaSet("failing-over", { ...valkeyArgs(), verifyReplication: true });
      await mocks.settle();
      expect(set.replicationCheck).toBeUndefined();
      expect(mocks.registrations.filter((registration) => registration.type === CHECK)).toEqual([]);
      expect(warn.mock.calls.map((call) => String(call[0]))).toContainEqual(
        expect.stringContaining("verifyReplication is skipped while failoverTo is set"),
      );
    } finally {
      warn.mockRestore();
    }
  });

  test("without verifyReplication there is no check", async () => {
    const set = new ReadReplicaSet("unverified", valkeyArgs());
    await mocks.settle();
    expect(set.replicationCheck).toBeUndefined();
    expect(mocks.registrations.filter((registration) => registration.type === CHECK)).toEqual([]);
  });

  test("the apiToken argument reaches the dynamic resources as a secret", async () => {
    const set = new ReadReplicaSet("secret-token", { ...valkeyArgs(), apiToken: "tok-123" });
    await mocks.settle();
    const promotion = set.replicas[1].promotion!;
    const token = (promotion as unknown as { apiToken: pulumi.Output<string> }).apiToken;
    expect(await pulumi.isSecret(token)).toBe(true);
  });
});

describe("ReadReplicaSet preflight in the constructor", () => {
  test("throws every issue at once and registers nothing, the component included", async () => {
    const args: ReadReplicaSetArgs = {
      project: "bad project!",
      primary: { name: "Primary", plan: "free-1" },
      replicas: [{ name: "r1", plan: "business-4" }],
      failoverTo: "r1",
    };
    let thrown: unknown;
    try {
      new ReadReplicaSet("broken", args);
    } catch (error) {
      thrown = error;
    }
    await mocks.settle();
    expect(thrown).toBeInstanceOf(PreflightError);
    expect((thrown as PreflightError).issues.map((issue) => issue.path)).toEqual([
      "project",
      "primary.name",
      "primary.plan",
      "replicas[0].plan",
      "failoverTo",
    ]);
    expect(mocks.registrations).toEqual([]);
  });

  test("without any token the constructor names all three sources", () => {
    const saved = process.env.AIVEN_TOKEN;
    delete process.env.AIVEN_TOKEN;
    try {
      expect(() => new ReadReplicaSet("no-token", valkeyArgs())).toThrow(
        "apiToken: no Aiven API token found; pass the apiToken argument, set the secret config aiven:apiToken " +
          "(pulumi config set --secret aiven:apiToken ...), or set the AIVEN_TOKEN environment variable",
      );
    } finally {
      process.env.AIVEN_TOKEN = saved;
    }
    expect(mocks.registrations).toEqual([]);
  });
});
