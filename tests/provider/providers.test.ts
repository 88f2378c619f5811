import { rememberConfiguredToken } from "../../provider/credentials";
import { PrimaryReadinessInputs, PrimaryReadinessOutputs, primaryReadinessProvider as readiness } from "../../provider/primaryReadiness";
import { ReplicaPromotionInputs, ReplicaPromotionOutputs, replicaPromotionProvider as promotion } from "../../provider/replicaPromotion";
import { Scripted } from "./fakeAivenServer";
import { useProviderFixture } from "./providerFixture";
import { TOKEN, recorded } from "./secretWatch";

const logs: string[] = [];
const { fake, watch } = useProviderFixture((m) => logs.push(m));
const DELETE_PATH = "/v1/project/proj/integration/rr-1";
const REPLICA_PATH = "/v1/project/proj/service/replica-1";
const fault = (status: number, message: string): Scripted => ({ status, body: { message, errors: [{ message, status }] } });

let promo: ReplicaPromotionInputs;
let ready: PrimaryReadinessInputs;

async function promote(inputs: ReplicaPromotionInputs = promo): Promise<{ id: string; outs: ReplicaPromotionOutputs }> {
  const { id, outs } = await recorded(watch, () => promotion.create!(inputs));
  return { id, outs: outs! };
}
async function check(inputs: PrimaryReadinessInputs = ready): Promise<{ id: string; outs: PrimaryReadinessOutputs }> {
  const { id, outs } = await recorded(watch, () => readiness.create!(inputs));
  return { id, outs: outs! };
}
async function failure(fn: () => Promise<unknown>): Promise<string> {
  try {
    await recorded(watch, fn);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected a failure");
}
const requests = () => fake.calls.map((c) => `${c.method} ${c.path}`);

beforeEach(() => {
  fake.reset();
  logs.length = 0;
  fake.addService("primary-1", { backups: [{ backup_name: "b1", backup_time: "2025-01-01T00:00:00Z" }] });
  fake.addService("replica-1");
  fake.link("rr-1", "primary-1", "replica-1");
  promo = { project: "proj", primaryServiceName: "primary-1", replicaServiceName: "replica-1", apiUrl: fake.url, timeoutSeconds: 2, pollSeconds: 0.01 };
  ready = { project: "proj", serviceName: "primary-1", serviceType: "valkey", replicasToAdd: 1, requireBackup: true, apiUrl: fake.url, timeoutSeconds: 2, pollSeconds: 0.01 };
});

describe("ReplicaPromotion create", () => {
  test("deletes exactly the read_replica integration and waits for RUNNING", async () => {
    fake.rebuildPolls = 2;
    const result = await promote();
    expect(result.id).toBe("proj/replica-1");
    expect(result.outs).toEqual({
      project: "proj",
      primaryServiceName: "primary-1",
      replicaServiceName: "replica-1",
      apiUrl: fake.url,
      timeoutSeconds: 2,
      pollSeconds: 0.01,
      integrationId: "rr-1",
      promotedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      promoted: true,
    });
    expect(requests()).toEqual([
      "GET /v1/project/proj/service/replica-1/integration",
      `DELETE ${DELETE_PATH}`,
      `GET ${REPLICA_PATH}`,
      `GET ${REPLICA_PATH}`,
      `GET ${REPLICA_PATH}`,
    ]);
    expect(fake.calls.every((c) => c.authorization === `aivenv1 ${TOKEN}`)).toBe(true);
    expect(logs).toEqual([
      "promoting 'replica-1': deleting its read_replica integration rr-1 from 'primary-1'",
      // A repeated state is not logged again (within a minute).
      "waiting for 'replica-1' to be RUNNING as a standalone service (now: REBUILDING)",
    ]);
  });

  test("an integration of another type on the same replica is left alone", async () => {
    fake.link("metrics-1", "replica-1", "grafana-1", "metrics");
    fake.link("logs-1", "primary-1", "replica-1", "logs");
    await promote();
    expect(fake.callsTo("DELETE").map((c) => c.path)).toEqual([DELETE_PATH]);
    expect(fake.services.get("replica-1")?.service_integrations?.map((i) => i.service_integration_id)).toEqual(["metrics-1", "logs-1"]);
  });

  test("a replica that is itself the source of another replica keeps that link", async () => {
    fake.addService("replica-2");
    fake.link("rr-2", "replica-1", "replica-2");
    await promote();
    expect(fake.callsTo("DELETE").map((c) => c.path)).toEqual([DELETE_PATH]);
    expect(fake.services.get("replica-2")?.service_integrations).toHaveLength(1);
  });

  test("already promoted: no DELETE, integrationId null", async () => {
    fake.services.get("replica-1")!.service_integrations = [];
    const { outs } = await promote();
    expect(outs.integrationId).toBeNull();
    expect(fake.callsTo("DELETE")).toEqual([]);
    expect(logs).toEqual(["'replica-1' has no read_replica integration: already a standalone service"]);
  });

  test("a replica of another primary: fails, no DELETE", async () => {
    fake.reset();
    fake.addService("other-primary");
    fake.addService("replica-1");
    fake.link("rr-9", "other-primary", "replica-1");
    expect(await failure(() => promote())).toBe(
      "'replica-1' in project 'proj' is a read replica of 'other-primary', not of 'primary-1'; nothing was changed",
    );
    expect(requests()).toEqual(["GET /v1/project/proj/service/replica-1/integration"]);
  });

  test("two matching integrations: fails, no DELETE", async () => {
    fake.link("rr-2", "primary-1", "replica-1");
    expect(await failure(() => promote())).toBe(
      "'replica-1' has 2 read_replica integrations from 'primary-1' (rr-1, rr-2); expected one, so nothing was changed",
    );
    expect(fake.callsTo("DELETE")).toEqual([]);
  });

  test("404 on DELETE counts as already deleted", async () => {
    // Someone else removed it between our list and our DELETE.
    fake.script("DELETE", DELETE_PATH, fault(404, "Service integration not found"));
    fake.timeline("replica-1", { service_integrations: [] });
    const { outs } = await promote();
    expect(outs.integrationId).toBeNull();
    expect(fake.callsTo("DELETE")).toHaveLength(1);
  });

  test("the replica does not exist", async () => {
    fake.services.delete("replica-1");
    expect(await failure(() => promote())).toBe(
      "project 'proj' has no service 'replica-1' to promote (GET /v1/project/proj/service/replica-1/integration: 404 Service not found)",
    );
  });

  test.each<[string, string, string, Scripted[], string | undefined, number]>([
    ["list: 503 once is retried", "GET", "/v1/project/proj/service/replica-1/integration", [fault(503, "unavailable")], undefined, 1],
    ["DELETE: 502 once is retried", "DELETE", DELETE_PATH, [fault(502, "bad gateway")], undefined, 2],
    ["poll: reset once is retried", "GET", REPLICA_PATH, [{ reset: true }], undefined, 1],
    ["list: 403 fails before any DELETE", "GET", "/v1/project/proj/service/replica-1/integration", [fault(403, "Invalid token")], "GET /v1/project/proj/service/replica-1/integration: 403 Invalid token", 0],
    ["DELETE: 403 fails", "DELETE", DELETE_PATH, [fault(403, "Not allowed")], `DELETE ${DELETE_PATH}: 403 Not allowed`, 1],
    ["DELETE: 500 six times fails", "DELETE", DELETE_PATH, Array(6).fill(fault(500, "boom")), `DELETE ${DELETE_PATH}: 500 boom (after 6 attempts)`, 6],
    ["poll: 500 six times fails", "GET", REPLICA_PATH, Array(6).fill(fault(500, "boom")), `GET ${REPLICA_PATH}: 500 boom (after 6 attempts)`, 1],
  ])("fault on a step: %s", async (_name, method, path, responses, error, deletes) => {
    fake.script(method, path, ...responses);
    if (error === undefined) expect((await promote()).outs.integrationId).toBe("rr-1");
    else expect(await failure(() => promote())).toBe(error);
    expect(fake.callsTo("DELETE")).toHaveLength(deletes);
  });

  test("the deadline names the last state seen", async () => {
    fake.rebuildPolls = 1000;
    expect(await failure(() => promote({ ...promo, timeoutSeconds: 0.1 }))).toBe(
      "timed out after 0.1s waiting for 'replica-1' to be RUNNING as a standalone service (last state: REBUILDING)",
    );
  });
});

describe("ReplicaPromotion update, read, delete, diff, check", () => {
  test("update of an already promoted replica keeps what was recorded and deletes nothing", async () => {
    const first = await promote();
    fake.calls.length = 0;
    const { outs } = await recorded(watch, () => promotion.update!("proj/replica-1", first.outs as ReplicaPromotionOutputs, { ...promo, pollSeconds: 0.02 }));
    expect(outs).toEqual({ ...first.outs, pollSeconds: 0.02 });
    expect(fake.callsTo("DELETE")).toEqual([]);
  });

  test("read: promoted, replicating again, or gone", async () => {
    const { outs } = await promote();
    const state = outs as ReplicaPromotionOutputs;
    expect(await promotion.read!("proj/replica-1", state)).toEqual({ id: "proj/replica-1", props: state });
    fake.link("rr-7", "primary-1", "replica-1");
    expect(await promotion.read!("proj/replica-1", state)).toEqual({ id: "proj/replica-1", props: { ...state, promoted: false } });
    fake.services.delete("replica-1");
    expect(await promotion.read!("proj/replica-1", state)).toEqual({ id: "" });
    expect(fake.callsTo("DELETE")).toHaveLength(1);
  });

  test("delete changes nothing in Aiven and says so", async () => {
    const { outs } = await promote();
    fake.calls.length = 0;
    logs.length = 0;
    await promotion.delete!("proj/replica-1", outs as ReplicaPromotionOutputs);
    expect(fake.calls).toEqual([]);
    expect(logs).toEqual(["promotion cannot be undone; 'replica-1' stays a standalone primary"]);
  });

  const olds = () => ({ ...promo, integrationId: "rr-1", promotedAt: "2025-01-01T00:00:00.000Z", promoted: true }) as ReplicaPromotionOutputs;
  test.each<[string, Partial<ReplicaPromotionInputs & { promoted: boolean }>, Partial<ReplicaPromotionInputs>, { changes: boolean; replaces: string[] }]>([
    ["nothing", {}, {}, { changes: false, replaces: [] }],
    ["a new token only", {}, { apiToken: "another" }, { changes: false, replaces: [] }],
    ["project", {}, { project: "other" }, { changes: true, replaces: ["project"] }],
    ["primary and replica", {}, { primaryServiceName: "p2", replicaServiceName: "r2" }, { changes: true, replaces: ["primaryServiceName", "replicaServiceName"] }],
    ["timeouts and apiUrl", {}, { timeoutSeconds: 60, apiUrl: "http://x" }, { changes: true, replaces: [] }],
    ["a refresh found it replicating again", { promoted: false }, {}, { changes: true, replaces: [] }],
  ])("diff: %s", async (_name, oldPatch, newPatch, expected) => {
    const result = await promotion.diff!("proj/replica-1", { ...olds(), ...oldPatch } as ReplicaPromotionOutputs, { ...promo, ...newPatch });
    expect(result).toEqual({ ...expected, deleteBeforeReplace: false });
  });

  test.each<[string, Record<string, unknown>, Array<{ property: string; reason: string }>]>([
    ["valid", {}, []],
    ["unknown values in preview", { project: "04da6b54-80e4-46f7-96ec-b56ff0331ba9", timeoutSeconds: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" }, []],
    [
      "bad names and numbers",
      { project: "", replicaServiceName: "Replica_1", pollSeconds: 0, timeoutSeconds: "10", apiUrl: "ftp://x" },
      [
        { property: "project", reason: "'' is not a valid project name; use 1-63 of letters, digits, '_' and '-'" },
        { property: "replicaServiceName", reason: "'Replica_1' is not a valid service name; start with a lowercase letter, then up to 62 of a-z, 0-9 and '-'" },
        { property: "timeoutSeconds", reason: "'10' must be a positive number of seconds" },
        { property: "pollSeconds", reason: "0 must be a positive number of seconds" },
        { property: "apiUrl", reason: "'ftp://x' is not an http(s) URL" },
      ],
    ],
    ["the replica is the primary", { replicaServiceName: "primary-1" }, [{ property: "replicaServiceName", reason: "'primary-1' is the primary itself; name a replica of it" }]],
  ])("check: %s", async (_name, patch, failures) => {
    const news = { ...promo, ...patch } as ReplicaPromotionInputs;
    expect(await promotion.check!({} as ReplicaPromotionInputs, news)).toEqual({ inputs: news, failures });
  });
});

describe("PrimaryReadiness", () => {
  test("a ready primary passes at once", async () => {
    fake.addService("replica-2");
    fake.link("rr-2", "primary-1", "replica-2");
    const { id, outs } = await check();
    expect(id).toBe("proj/primary-1");
    expect(outs).toEqual({ ...ready, state: "RUNNING", backupCount: 1, liveReplicas: 2 });
    expect(requests()).toEqual(["GET /v1/project/proj/service/primary-1"]);
  });

  test("waits for RUNNING and the first backup, logging progress", async () => {
    const backup = { backup_name: "b1", backup_time: "2025-01-01T00:00:00Z" };
    fake.timeline("primary-1", { state: "REBUILDING", backups: [] }, { state: "RUNNING" }, {}, { backups: [backup] });
    const { outs } = await check();
    expect(outs).toMatchObject({ state: "RUNNING", backupCount: 1 });
    expect(fake.calls).toHaveLength(4);
    expect(logs).toEqual([
      "waiting for primary 'primary-1' to be RUNNING with a first backup (now: REBUILDING, backups: 0)",
      "waiting for primary 'primary-1' to be RUNNING with a first backup (now: RUNNING, backups: 0)",
    ]);
  });
  test("without requireBackup a RUNNING primary without backups passes", async () => {
    fake.services.get("primary-1")!.backups = [];
    expect((await check({ ...ready, requireBackup: false })).outs).toMatchObject({ backupCount: 0, state: "RUNNING" });
  });

  test("the deadline names the last state seen", async () => {
    fake.services.get("primary-1")!.backups = [];
    expect(await failure(() => check({ ...ready, timeoutSeconds: 0.05 }))).toBe(
      "timed out after 0.05s waiting for primary 'primary-1' to be RUNNING with a first backup (last state: RUNNING, backups: 0)",
    );
  });

  test.each<[string, () => void, Partial<PrimaryReadinessInputs>, string]>([
    ["a missing primary", () => fake.services.delete("primary-1"), {}, "project 'proj' has no service 'primary-1' to use as the primary (GET /v1/project/proj/service/primary-1: 404 Service not found)"],
    ["another service type", () => (fake.services.get("primary-1")!.service_type = "pg"), {}, "'primary-1' in project 'proj' is a 'pg' service, not 'valkey'; a read replica must have its primary's service type"],
    ["redis expected, valkey found", () => undefined, { serviceType: "redis" }, "'primary-1' in project 'proj' is a 'valkey' service, not 'redis'; a read replica must have its primary's service type"],
    ["a 403", () => fake.script("GET", "/v1/project/proj/service/primary-1", fault(403, "Invalid token")), {}, "GET /v1/project/proj/service/primary-1: 403 Invalid token"],
  ])("fails on %s", async (_name, setup, patch, message) => {
    setup();
    expect(await failure(() => check({ ...ready, ...patch }))).toBe(message);
  });

  test("a 503 once is retried", async () => {
    fake.script("GET", "/v1/project/proj/service/primary-1", fault(503, "unavailable"));
    expect((await check()).outs.state).toBe("RUNNING");
    expect(fake.calls).toHaveLength(2);
  });

  describe("the limit of 5 live replicas", () => {
    beforeEach(() => {
      for (const n of [2, 3, 4]) {
        fake.addService(`unmanaged-${n}`);
        fake.link(`rr-u${n}`, "primary-1", `unmanaged-${n}`);
      }
      // Not replicas of primary-1: never counted.
      fake.link("m-1", "primary-1", "metrics-db", "metrics");
    });

    test.each<[string, Partial<PrimaryReadinessInputs>, string | undefined]>([
      ["4 live + 1 = 5 passes", { replicasToAdd: 1 }, undefined],
      [
        "4 live + 2 = 6 fails, naming them",
        { replicasToAdd: 2 },
        "primary 'primary-1' has 4 live read replica(s) ('replica-1', 'unmanaged-2', 'unmanaged-3', 'unmanaged-4'); creating 2 more would make 6, over Aiven's limit of 5 per primary",
      ],
      ["a managed replica that exists is not counted twice", { replicasToAdd: 2, managedReplicas: ["replica-1", "replica-9"] }, undefined],
      [
        "every managed replica still to be created counts, promoted or not",
        { replicasToAdd: 1, managedReplicas: ["replica-1", "replica-8", "replica-9"] },
        "primary 'primary-1' has 4 live read replica(s) ('replica-1', 'unmanaged-2', 'unmanaged-3', 'unmanaged-4'); creating 2 more ('replica-8', 'replica-9') would make 6, over Aiven's limit of 5 per primary",
      ],
    ])("%s", async (_name, patch, message) => {
      if (message === undefined) expect((await check({ ...ready, ...patch })).outs.liveReplicas).toBe(4);
      else expect(await failure(() => check({ ...ready, ...patch }))).toBe(message);
    });
  });

  describe("the gate holds only replicas about to be created", () => {
    const managed = { managedReplicas: ["replica-1", "replica-2"], replicasToAdd: 2 };
    const failedPrimary = () => {
      const primary = fake.services.get("primary-1")!;
      primary.state = "POWEROFF";
      primary.backups = [];
    };
    beforeEach(() => {
      fake.addService("replica-2");
      fake.link("rr-2", "primary-1", "replica-2");
    });

    test("no replica to create (one was promoted after the primary failed): records the state, waits for nothing", async () => {
      const { outs } = await check({ ...ready, ...managed });
      failedPrimary();
      fake.calls.length = 0;
      const updated = await recorded(watch, () => readiness.update!("proj/primary-1", outs, { ...ready, ...managed, replicasToAdd: 1 }));
      expect(updated.outs).toMatchObject({ state: "POWEROFF", backupCount: 0, replicasToAdd: 1, liveReplicas: 2 });
      expect(requests().sort()).toEqual([
        "GET /v1/project/proj/service/primary-1",
        "GET /v1/project/proj/service/replica-1",
        "GET /v1/project/proj/service/replica-2",
      ]);
      expect(logs).toEqual([]);
    });

    test("a primary-only set does not wait for a backup it does not need", async () => {
      fake.services.get("primary-1")!.backups = [];
      fake.services.get("primary-1")!.state = "REBUILDING";
      const { outs } = await check({ ...ready, managedReplicas: [], replicasToAdd: 0 });
      expect(outs).toMatchObject({ state: "REBUILDING", backupCount: 0 });
      expect(requests()).toEqual(["GET /v1/project/proj/service/primary-1"]);
    });

    test("a replica to create under a POWEROFF primary fails at once, naming the state", async () => {
      failedPrimary();
      const news = { ...ready, managedReplicas: [...managed.managedReplicas, "replica-3"], replicasToAdd: 3 };
      expect(await failure(() => check(news))).toBe(
        "primary 'primary-1' is POWEROFF and cannot take read replicas; power it on, or fail over to a promoted replica (failoverTo)",
      );
      expect(fake.calls.filter((c) => c.path === "/v1/project/proj/service/primary-1")).toHaveLength(1);
    });

    test("a managed replica of another primary (the primary was renamed) fails and changes nothing", async () => {
      fake.addService("primary-2", { backups: [{ backup_name: "b1", backup_time: "2025-01-01T00:00:00Z" }] });
      const news = { ...ready, serviceName: "primary-2", ...managed, managedReplicas: ["replica-1", "replica-2", "replica-3"] };
      expect(await failure(() => check(news))).toBe(
        "'replica-1' replicates from 'primary-1', 'replica-2' replicates from 'primary-1', not from 'primary-2': Aiven cannot " +
          "move a read replica to another primary, so no replica was changed. Give those replicas new names (they are then " +
          "created from 'primary-2' and the old ones deleted), or keep the primary's name",
      );
      expect(fake.calls.filter((c) => c.method !== "GET")).toEqual([]);
    });
  });

  test("update re-checks; read refreshes; delete calls nothing", async () => {
    const { outs } = await check();
    const updated = await recorded(watch, () => readiness.update!("proj/primary-1", outs as PrimaryReadinessOutputs, { ...ready, replicasToAdd: 2 }));
    expect(updated.outs).toMatchObject({ replicasToAdd: 2, liveReplicas: 1 });
    fake.services.get("primary-1")!.state = "REBALANCING";
    expect(await readiness.read!("proj/primary-1", outs as PrimaryReadinessOutputs)).toEqual({
      id: "proj/primary-1",
      props: { ...outs, state: "REBALANCING" },
    });
    fake.services.delete("primary-1");
    expect(await readiness.read!("proj/primary-1", outs as PrimaryReadinessOutputs)).toEqual({ id: "" });
    fake.calls.length = 0;
    await readiness.delete!("proj/primary-1", outs as PrimaryReadinessOutputs);
    expect(fake.calls).toEqual([]);
  });

  test.each<[string, Partial<PrimaryReadinessInputs>, { changes: boolean; replaces: string[] }]>([
    ["nothing", {}, { changes: false, replaces: [] }],
    ["the token", { apiToken: "x" }, { changes: false, replaces: [] }],
    ["project and service", { project: "p2", serviceName: "s2" }, { changes: true, replaces: ["project", "serviceName"] }],
    ["replicas", { replicasToAdd: 3, managedReplicas: ["a"] }, { changes: true, replaces: [] }],
  ])("diff: %s", async (_name, patch, expected) => {
    const olds = { ...ready, state: "RUNNING", backupCount: 1, liveReplicas: 1 } as PrimaryReadinessOutputs;
    expect(await readiness.diff!("proj/primary-1", olds, { ...ready, ...patch })).toEqual({ ...expected, deleteBeforeReplace: false });
  });

  test("check names each broken property", async () => {
    const news = { ...ready, serviceType: "dragonfly", replicasToAdd: -1, requireBackup: "yes", managedReplicas: "r1" } as unknown as PrimaryReadinessInputs;
    expect((await readiness.check!({} as PrimaryReadinessInputs, news)).failures).toEqual([
      { property: "serviceType", reason: "'dragonfly' must be one of valkey, redis" },
      { property: "replicasToAdd", reason: "-1 must be a whole number, 0 or more" },
      { property: "requireBackup", reason: "'yes' must be true or false" },
      { property: "managedReplicas", reason: "must be a list of service names" },
    ]);
  });

  test("without any token the error names every source", async () => {
    rememberConfiguredToken(undefined);
    const saved = process.env.AIVEN_TOKEN;
    delete process.env.AIVEN_TOKEN;
    try {
      expect(await failure(() => check())).toBe(
        "no Aiven API token: pass apiToken to ReadReplicaSet, set the Pulumi config aiven:apiToken (pulumi config set --secret aiven:apiToken ...), or set the AIVEN_TOKEN environment variable",
      );
      expect((await check({ ...ready, apiToken: TOKEN })).outs).not.toHaveProperty("apiToken");
    } finally {
      if (saved !== undefined) process.env.AIVEN_TOKEN = saved;
      rememberConfiguredToken(TOKEN);
    }
  });
});
