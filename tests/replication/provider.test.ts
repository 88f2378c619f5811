import * as pulumi from "@pulumi/pulumi";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import { ReplicationCheckInputs, ReplicationCheckOutputs, replicationCheckProvider as provider } from "../../provider/replicationCheck";
import { captureProgress } from "../provider/providerFixture";
import { ProviderHost, Props, struct } from "./providerHost";
import { canaryKeys, createSet, describeWithEngines, passwordOf, shutdownEngine, startTopologyEmulator, Topology, unreachableMessage } from "./topology";

const URN = "urn:pulumi:test::proj::pulumi-nodejs:dynamic/aiven-read-replicas:ReplicationCheck::check";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const good: ReplicationCheckInputs = {
  primaryUri: "rediss://default:pw@p.example:1",
  replicas: [{ name: "r1", uri: "redis://default:pw@r1.example:2" }],
};

test.each<[string, Record<string, unknown>, Array<[string, string]>]>([
  ["valid inputs", { ...good, timeoutSeconds: 5, pollSeconds: 0.05 }, []],
  ["unknown values in preview", { primaryUri: UNKNOWN, replicas: [UNKNOWN, { name: UNKNOWN, uri: UNKNOWN }] }, []],
  [
    "bad URIs, never quoted",
    { primaryUri: "http://default:leak@p:1", replicas: [{ name: "r1", uri: "leak" }] },
    [["primaryUri", "must be a redis:// or rediss:// service URI"], ["replicas[0].uri", "must be a redis:// or rediss:// service URI"]],
  ],
  ["replicas not a list", { ...good, replicas: "r1" }, [["replicas", "must be a list of { name, uri }"]]],
  [
    "names empty or twice",
    { ...good, replicas: [{ name: "", uri: good.replicas[0].uri }, { name: "r1", uri: good.replicas[0].uri }, { name: "r1", uri: good.replicas[0].uri }] },
    [["replicas[0].name", "must be a non-empty service name"], ["replicas[2].name", "'r1' is listed twice"]],
  ],
  ["non-positive waits", { ...good, timeoutSeconds: 0, pollSeconds: "1" }, [["timeoutSeconds", "0 must be a positive number of seconds"], ["pollSeconds", "'1' must be a positive number of seconds"]]],
])("check: %s", async (_what, news, expected) => {
  const result = await provider.check!({} as ReplicationCheckInputs, news as unknown as ReplicationCheckInputs);
  expect(result.failures!.map((f) => [f.property, f.reason])).toEqual(expected);
});

test.each<[string, Partial<ReplicationCheckInputs>, boolean]>([
  ["nothing changed", {}, false],
  ["a replica promoted (left out)", { replicas: [] }, true],
  ["a new primary URI (failover)", { primaryUri: "rediss://default:pw2@p2.example:1" }, true],
  ["a shorter timeout", { timeoutSeconds: 30 }, true],
])("diff: %s → changes %s, never a replacement", async (_what, change, changes) => {
  const olds: ReplicationCheckOutputs = { ...good, lagMs: { r1: 3 }, checkedAt: "2025-01-01T00:00:00.000Z" };
  expect(await provider.diff!("replication-check", olds, { ...good, ...change })).toEqual({ changes, replaces: [], deleteBeforeReplace: false });
});

test("read returns the recorded state; delete touches nothing", async () => {
  const props: ReplicationCheckOutputs = { ...good, lagMs: { r1: 3 }, checkedAt: "2025-01-01T00:00:00.000Z" };
  expect(await provider.read!("replication-check", props)).toEqual({ id: "replication-check", props });
  await expect(provider.delete!("replication-check", props)).resolves.toBeUndefined();
});

describeWithEngines("ReplicationCheck provider against the emulator's engines", () => {
  let t: Topology;
  let uris: Record<string, string>;
  const host = new ProviderHost();
  let serialized = "";
  const inputs = (replicas: string[]): ReplicationCheckInputs => ({
    primaryUri: uris["hp"],
    replicas: replicas.map((name) => ({ name, uri: uris[name] })),
    timeoutSeconds: 1,
    pollSeconds: 0.05,
  });
  const hostInputs = (replicas: string[]): Props => ({
    primaryUri: uris["hp"],
    replicas: replicas.map((name) => ({ name, uri: uris[name] })),
    timeoutSeconds: 1,
    pollSeconds: 0.05,
    __provider: serialized,
  });

  beforeAll(async () => {
    t = await startTopologyEmulator();
    const services = await createSet(t, "hp", ["hr1", "hr2"]);
    uris = Object.fromEntries(Object.entries(services).map(([name, s]) => [name, s.service_uri!]));
    serialized = (await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true })).text;
    await host.start();
  }, 30_000);
  afterAll(async () => {
    await host.stop();
    await t?.emulator.close();
  });

  test("create and update record the lag of each replica, called directly", async () => {
    const logs: string[] = [];
    const restoreProgress = captureProgress((m) => logs.push(m));
    try {
      const created = await provider.create!(inputs(["hr1", "hr2"]));
      expect(created.id).toBe("replication-check");
      expect(Object.keys(created.outs!.lagMs).sort()).toEqual(["hr1", "hr2"]);
      expect(new Date(created.outs!.checkedAt).toISOString()).toBe(created.outs!.checkedAt);
      const updated = await provider.update!("replication-check", created.outs!, inputs(["hr1"]));
      expect(Object.keys(updated.outs!.lagMs)).toEqual(["hr1"]);
      expect(updated.outs!.replicas.map((r) => r.name)).toEqual(["hr1"]);
    } finally {
      restoreProgress();
    }
    expect(logs).toContainEqual(expect.stringMatching(/^replica 'hr2' returned the canary after \d+ ms$/));
  });

  test("the serialized provider is small, loads ioredis at run time and holds no URI or password", () => {
    expect(serialized.length).toBeLessThan(45_000);
    expect(serialized).toContain('require("ioredis")');
    for (const uri of Object.values(uris)) {
      expect(serialized).not.toContain(uri);
      expect(serialized).not.toContain(passwordOf(uri));
    }
  });

  test("through the dynamic provider host: Check, Create, then a failure naming the replica", async () => {
    const check = await host.call<provproto.CheckResponse>("check", new provproto.CheckRequest().setUrn(URN).setOlds(struct({})).setNews(struct(hostInputs(["hr1", "hr2"]))));
    expect(check.getFailuresList()).toEqual([]);

    const create = await host.call<provproto.CreateResponse>("create", new provproto.CreateRequest().setUrn(URN).setProperties(struct(hostInputs(["hr1", "hr2"]))));
    expect(create.getId()).toBe("replication-check");
    const outs = create.getProperties()!.toJavaScript() as { lagMs: Record<string, number>; checkedAt: string };
    expect(Object.keys(outs.lagMs).sort()).toEqual(["hr1", "hr2"]);
    Object.values(outs.lagMs).forEach((lag) => expect(lag).toBeLessThan(1000));

    await shutdownEngine(uris["hr2"]);
    await expect(
      host.call("create", new provproto.CreateRequest().setUrn(URN).setProperties(struct(hostInputs(["hr1", "hr2"])))),
    ).rejects.toThrow(unreachableMessage("hr2", 1, { whole: false }));
    expect(await canaryKeys(uris["hp"])).toEqual([]);

    const passwords = Object.values(uris).map(passwordOf);
    // Answers echo the inputs (the engine keeps them secret); errors and logs must not.
    const leaks = [...host.errors, host.output].filter((text) => passwords.some((p) => text.includes(p)));
    expect({ leaks, errors: host.errors.length }).toEqual({ leaks: [], errors: 1 });
  });
});
