import axios from "axios";
import { checkReplication, CheckReplicationOptions, isReplicationCheckFailure, redactSecrets } from "../../provider/replication";
import { replicaPromotionProvider } from "../../provider/replicaPromotion";
import { rememberConfiguredToken } from "../../provider/credentials";
import { captureProgress } from "../provider/providerFixture";
import { canaryKeys, createSet, describeWithEngines, passwordOf, shutdownEngine, startTopologyEmulator, Topology, TOKEN, unreachableMessage, until, withRedis } from "./topology";

test.each([
  ["a URI", "connect to redis://default:s3cr%2Ft@h:1 failed", ["redis://default:s3cr%2Ft@h:1"], "connect to *** failed"],
  ["a decoded password", "AUTH s3cr/t refused", ["redis://default:s3cr%2Ft@h:1"], "AUTH *** refused"],
  ["any userinfo", "at rediss://u:other@host:2", [], "at rediss://***@host:2"],
  ["nothing secret", "connect ECONNREFUSED 127.0.0.1:1", ["redis://default:pw@127.0.0.1:1"], "connect ECONNREFUSED 127.0.0.1:1"],
])("redactSecrets removes %s", (_what, text, uris, expected) => {
  expect(redactSecrets(text, uris)).toBe(expected);
});

test("no replicas to check: nothing is written and no connection is made", async () => {
  const logs: string[] = [];
  await expect(
    checkReplication({ primaryUri: "redis://default:pw@127.0.0.1:1", replicas: [], timeoutMs: 100, pollMs: 10, log: (m) => logs.push(m) }),
  ).resolves.toEqual({ lagMs: {} });
  expect(logs).toEqual(["no replicas to verify: every replica of the set is promoted"]);
});

test("an unreachable primary fails at once, naming it and no credentials", async () => {
  const started = Date.now();
  const error = await checkReplication({
    primaryUri: "redis://default:hunter2pw@127.0.0.1:1",
    replicas: [{ name: "r1", uri: "redis://default:hunter2pw@127.0.0.1:1" }],
    timeoutMs: 5000,
    pollMs: 10,
  }).catch((e: Error) => e);
  // the connect error after the colon is Node's own wording
  expect((error as Error).message).toMatch(/^cannot reach the primary to write the replication canary: \S.* 127\.0\.0\.1:1$/);
  expect((error as Error).message).not.toContain("hunter2pw");
  expect(Date.now() - started).toBeLessThan(2000);
});

describeWithEngines("checkReplication against the emulator's engines", () => {
  let t: Topology;
  const logs: string[] = [];
  const opts = (uris: Record<string, { service_uri?: string }>, primary: string, replicas: string[], timeoutMs = 2000): CheckReplicationOptions => ({
    primaryUri: uris[primary].service_uri!,
    replicas: replicas.map((name) => ({ name, uri: uris[name].service_uri! })),
    timeoutMs,
    pollMs: 50,
    log: (m) => logs.push(m),
  });
  const failureOf = (o: CheckReplicationOptions) => checkReplication(o).then(() => { throw new Error("expected a failure"); }, (e: unknown) => e);

  beforeAll(async () => {
    t = await startTopologyEmulator();
  });
  afterAll(async () => {
    await t?.emulator.close();
  });
  beforeEach(() => {
    logs.length = 0;
  });

  test("measures a small lag for each replica and leaves no canary behind", async () => {
    const s = await createSet(t, "lag-p", ["lag-r1", "lag-r2"]);
    const report = await checkReplication(opts(s, "lag-p", ["lag-r1", "lag-r2"]));
    expect(Object.keys(report.lagMs).sort()).toEqual(["lag-r1", "lag-r2"]);
    for (const lag of Object.values(report.lagMs)) {
      expect(lag).toBeGreaterThanOrEqual(0);
      expect(lag).toBeLessThan(1000);
    }
    expect(report.canaryKey).toMatch(/^__aiven_read_replicas:canary:[0-9a-f-]{36}$/);
    expect(await canaryKeys(s["lag-p"].service_uri!)).toEqual([]);
    // The DEL replicates too.
    await until("the replicas to drop the canary", async () => ((await canaryKeys(s["lag-r1"].service_uri!)).length === 0 ? true : undefined));
    expect(logs[0]).toBe(`wrote canary ${report.canaryKey} to the primary; waiting for 'lag-r1', 'lag-r2' to return it`);
    expect(logs.slice(1).sort()).toEqual([
      expect.stringMatching(/^replica 'lag-r1' returned the canary after \d+ ms$/),
      expect.stringMatching(/^replica 'lag-r2' returned the canary after \d+ ms$/),
    ]);
  });

  test("a replica whose engine is stopped fails by name; the canary is deleted and other keys are untouched", async () => {
    const s = await createSet(t, "stop-p", ["stop-r1", "stop-r2"]);
    const primaryUri = s["stop-p"].service_uri!;
    await withRedis(primaryUri, (c) => c.set("user:1", "keep me"));
    await shutdownEngine(s["stop-r2"].service_uri!);

    const error = await failureOf(opts(s, "stop-p", ["stop-r1", "stop-r2"], 500));
    expect(isReplicationCheckFailure(error)).toBe(true);
    if (!isReplicationCheckFailure(error)) return;
    expect(error.message).toMatch(unreachableMessage("stop-r2", 0.5));
    expect(error.failures.map((f) => f.replica)).toEqual(["stop-r2"]);
    expect(Object.keys(error.lagMs)).toEqual(["stop-r1"]);
    expect(await canaryKeys(primaryUri)).toEqual([]);
    expect(await withRedis(primaryUri, (c) => c.get("user:1"))).toBe("keep me");
    expect(await withRedis(primaryUri, (c) => c.dbsize())).toBe(1);
    for (const uri of Object.values(s).map((x) => x.service_uri!)) expect(error.message).not.toContain(passwordOf(uri));
  });

  test("a reachable replica that stopped replicating times out with the last value seen", async () => {
    const s = await createSet(t, "link-p", ["link-r1"]);
    await withRedis(s["link-r1"].service_uri!, (c) => c.call("REPLICAOF", "NO", "ONE"));
    const error = (await failureOf(opts(s, "link-p", ["link-r1"], 300))) as Error;
    expect(error.message).toBe("replica 'link-r1' did not return the canary within 0.3s (last value seen: none)");
    expect(await canaryKeys(s["link-p"].service_uri!)).toEqual([]);
  });

  test("a wrong replica password is refused at once, without the password", async () => {
    const s = await createSet(t, "auth-p", ["auth-r1"]);
    const bad = new URL(s["auth-r1"].service_uri!);
    bad.password = "wrong-pass-123";
    const o = opts(s, "auth-p", ["auth-r1"], 5000);
    o.replicas[0].uri = bad.toString();
    const started = Date.now();
    const error = (await failureOf(o)) as Error;
    expect(error.message).toMatch(/^replica 'auth-r1' refused the check: WRONGPASS/);
    expect(error.message).not.toContain("wrong-pass-123");
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test("a promoted replica is skipped when not listed; listed, it never sees the canary", async () => {
    const s = await createSet(t, "promo-p", ["promo-r1", "promo-r2"]);
    rememberConfiguredToken(TOKEN);
    const restoreProgress = captureProgress();
    try {
      await replicaPromotionProvider.create!({ project: t.project, primaryServiceName: "promo-p", replicaServiceName: "promo-r2", apiUrl: t.emulator.url, pollSeconds: 0.02, timeoutSeconds: 10 });
    } finally {
      restoreProgress();
      rememberConfiguredToken(undefined);
    }
    const report = await checkReplication(opts(s, "promo-p", ["promo-r1"]));
    expect(Object.keys(report.lagMs)).toEqual(["promo-r1"]);
    const error = (await failureOf(opts(s, "promo-p", ["promo-r1", "promo-r2"], 300))) as Error;
    expect(error.message).toBe("replica 'promo-r2' did not return the canary within 0.3s (last value seen: none)");
  });

  test("after the primary fails, a refresh shows the promotion and the check of no replicas is a no-op", async () => {
    const s = await createSet(t, "fail-p", ["fail-r1"]);
    const res = await axios.post(`${t.emulator.url}/_emulator/projects/${t.project}/services/fail-p/fail`);
    expect(res.status).toBe(200);
    rememberConfiguredToken(TOKEN);
    try {
      const read = await replicaPromotionProvider.read!(`${t.project}/fail-r1`, {
        project: t.project,
        primaryServiceName: "fail-p",
        replicaServiceName: "fail-r1",
        apiUrl: t.emulator.url,
        integrationId: null,
        promotedAt: "2025-01-01T00:00:00.000Z",
        promoted: false,
      });
      expect(read.props).toMatchObject({ promoted: true });
    } finally {
      rememberConfiguredToken(undefined);
    }
    // The promoted replica takes writes now.
    await until("fail-r1 to be a master", async () =>
      (await withRedis(s["fail-r1"].service_uri!, (c) => c.info("replication"))).includes("role:master") ? true : undefined,
    );
    await withRedis(s["fail-r1"].service_uri!, (c) => c.set("after-failover", "1"));
    await expect(checkReplication(opts(s, "fail-p", []))).resolves.toEqual({ lagMs: {} });
  });
});
