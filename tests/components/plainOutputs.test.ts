// What every Pulumi language reads from a set: plain outputs, the URIs secret; and the
// ServiceType constant, which string literals keep matching.
import * as pulumi from "@pulumi/pulumi";
import { installRecordingMocks, valueOf } from "../helpers/recordingMocks";
import { ReadReplicaSet, ReadReplicaSetArgs, ServiceType } from "../../index";

let mocks: Awaited<ReturnType<typeof installRecordingMocks>>;

beforeAll(async () => {
  process.env.AIVEN_TOKEN = "test-token-from-env";
  mocks = await installRecordingMocks({
    invokes: ({ inputs }) => ({
      serviceName: inputs.serviceName,
      cloudName: "aws-eu-west-1",
      serviceUri: `rediss://default:pw@${String(inputs.serviceName)}.adopted:1234`,
      serviceHost: `${String(inputs.serviceName)}.adopted`,
      servicePort: 1234,
    }),
  });
});
beforeEach(() => mocks.clear());

const args = (extra: Partial<ReadReplicaSetArgs> = {}): ReadReplicaSetArgs => ({
  project: "acme-prod",
  primary: { name: "sessions", plan: "business-4" },
  replicas: [{ name: "sessions-eu" }, { name: "sessions-us", promote: true }],
  ...extra,
});

test("hosts, ports, URIs and promoted flags of the replicas, in the order declared; URIs secret", async () => {
  const set = new ReadReplicaSet("plain", args());
  expect(await valueOf(set.primaryHost)).toBe("sessions-acme-prod.aivencloud.com");
  expect(await valueOf(set.primaryPort)).toBe(12691);
  expect(await valueOf(set.replicaHosts)).toEqual(["sessions-eu-acme-prod.aivencloud.com", "sessions-us-acme-prod.aivencloud.com"]);
  expect(await valueOf(set.replicaPorts)).toEqual([12691, 12691]);
  expect(await valueOf(set.replicaPromoted)).toEqual([false, true]);
  expect(await valueOf(set.replicaUris)).toEqual([
    "rediss://default:pw-sessions-eu@sessions-eu-acme-prod.aivencloud.com:12691",
    "rediss://default:pw-sessions-us@sessions-us-acme-prod.aivencloud.com:12691",
  ]);
  expect(await pulumi.isSecret(set.replicaUris)).toBe(true);
  expect(await pulumi.isSecret(set.replicaHosts)).toBe(false);
  // The handles stay for TypeScript programs.
  expect(await valueOf(set.replicas[1].host)).toBe("sessions-us-acme-prod.aivencloud.com");
});

test("an adopted primary's host and port come from the lookup", async () => {
  const set = new ReadReplicaSet("adopt", args({ primary: { name: "main", existing: true } }));
  expect(await valueOf(set.primaryHost)).toBe("main.adopted");
  expect(await valueOf(set.primaryPort)).toBe(1234);
});

test("plainOutputs lists exactly the outputs other languages see", () => {
  const set = new ReadReplicaSet("listed", args());
  expect(Object.keys(set.plainOutputs()).sort()).toEqual(
    ["primaryHost", "primaryPort", "primaryServiceName", "primaryUri", "replicaHosts", "replicaPorts", "replicaPromoted", "replicaServiceNames", "replicaUris", "writeEndpoint"].sort(),
  );
});

test("ServiceType names the three values; a string literal and the constant declare the same set", async () => {
  expect(Object.values(ServiceType)).toEqual(["valkey", "caching", "redis"]);
  // Without an engine, the end-of-life warning goes to console.warn: captured, not printed.
  const warned: string[] = [];
  const warn = jest.spyOn(console, "warn").mockImplementation((...parts: unknown[]) => void warned.push(parts.join(" ")));
  try {
    const typesOf = async (serviceType: ReadReplicaSetArgs["serviceType"], name: string) => {
      new ReadReplicaSet(name, args({ serviceType }));
      await mocks.settle();
      return mocks.registrations.filter((r) => r.custom && r.name.startsWith(`${name}-`)).map((r) => `${r.type} ${r.name.slice(name.length)}`).sort();
    };
    const literal = await typesOf("caching", "literal");
    expect(literal).toContain("aiven:index/redis:Redis -primary");
    expect(await typesOf(ServiceType.Caching, "constant")).toEqual(literal);
    expect(warned).toHaveLength(2);
  } finally {
    warn.mockRestore();
  }
});
