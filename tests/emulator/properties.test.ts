// Property tests: whatever arrives, the emulator answers 2xx or an Aiven-shaped 4xx, a refused
// request changes nothing, and concurrent changes keep the replica invariants.
import fc from "fast-check";
import { findRedisServer } from "../../emulator/engines";
import { engineRole, primaryWithBackup, ServiceJson, start, TestEmulator, waitFor } from "./helpers";

const P = "props";
let t: TestEmulator;

beforeAll(async () => {
  t = await start({ buildMs: 0, backupMs: 0, promoteMs: 0 });
});
afterAll(() => t.emulator.close());

async function services(): Promise<ServiceJson[]> {
  return (await t.api.get(`/v1/project/${P}/service`)).data.services as ServiceJson[];
}

function isAivenError(body: unknown, status: number): boolean {
  const b = body as { message?: unknown; errors?: { message?: unknown; status?: unknown }[] };
  return typeof b?.message === "string" && Array.isArray(b.errors) && b.errors[0]?.status === status && b.errors[0]?.message === b.message;
}

const validCreate = { service_name: "svc", service_type: "valkey", plan: "startup-4", cloud: "google-europe-west1" };
const fields = [
  "service_name", "service_type", "plan", "cloud", "termination_protection", "user_config", "service_integrations",
  "tags", "tech_emails", "maintenance", "disk_space_mb", "project_vpc_id", "static_ips",
];

test("any create body: 200 or an Aiven-shaped 4xx, and a refused one creates nothing", async () => {
  await t.admin.post("/_emulator/reset");
  await primaryWithBackup(t.api, P, "src");
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(
        fc.jsonValue(),
        fc.dictionary(fc.constantFrom(...fields), fc.jsonValue()).map((d) => ({ ...validCreate, ...d })),
        fc.record({
          integration_type: fc.constantFrom("read_replica", "logs", "", 7),
          source_service: fc.oneof(fc.constantFrom("src", "svc", "nope"), fc.jsonValue()),
        }).map((spec) => ({ ...validCreate, service_integrations: [spec] })),
      ),
      async (body) => {
        const before = (await services()).map((s) => s.service_name).sort();
        const res = await t.api.post(`/v1/project/${P}/service`, JSON.stringify(body), {
          headers: { "content-type": "application/json" },
          transformRequest: [(d: string) => d],
        });
        const after = (await services()).map((s) => s.service_name).sort();
        if (res.status === 200) {
          await t.api.delete(`/v1/project/${P}/service/${res.data.service.service_name}`);
          return;
        }
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(isAivenError(res.data, res.status)).toBe(true);
        expect(after).toEqual(before);
      },
    ),
    { numRuns: 150 },
  );
}, 120_000);

test("any path and method: never a 5xx, always a JSON body", async () => {
  const segment = fc.oneof(fc.string(), fc.constantFrom("..", ".", "%", "%2F", "__proto__", "constructor", "a".repeat(300)));
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom("GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS"),
      fc.array(segment, { maxLength: 6 }),
      async (method, segments) => {
        const path = "/v1/project/" + segments.map((s) => encodeURIComponent(s)).join("/");
        const res = await t.api.request({ method, url: path, data: method === "POST" || method === "PUT" ? {} : undefined });
        expect(res.status).toBeLessThan(500);
        if (method !== "HEAD") expect(typeof res.data).toBe("object");
      },
    ),
    { numRuns: 200 },
  );
}, 120_000);

type Command =
  | { kind: "replica"; name: string; source: string }
  | { kind: "delete"; name: string }
  | { kind: "promote"; name: string }
  | { kind: "protect"; name: string; on: boolean };

const names = ["p1", "p2", "r1", "r2", "r3", "r4", "r5", "r6"];
const newReplicaNames = ["r3", "r4", "r5", "r6"];
const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ kind: fc.constant("replica" as const), name: fc.constantFrom(...newReplicaNames), source: fc.constantFrom(...names) }),
  fc.record({ kind: fc.constant("delete" as const), name: fc.constantFrom(...names) }),
  fc.record({ kind: fc.constant("promote" as const), name: fc.constantFrom(...names) }),
  fc.record({ kind: fc.constant("protect" as const), name: fc.constantFrom(...names), on: fc.boolean() }),
);

async function runCommand(c: Command): Promise<number> {
  const base = `/v1/project/${P}`;
  switch (c.kind) {
    case "replica":
      return (
        await t.api.post(`${base}/service`, {
          service_name: c.name,
          service_type: "valkey",
          plan: "startup-4",
          service_integrations: [{ integration_type: "read_replica", source_service: c.source }],
        })
      ).status;
    case "delete":
      return (await t.api.delete(`${base}/service/${c.name}`)).status;
    case "protect":
      return (await t.api.put(`${base}/service/${c.name}`, { termination_protection: c.on })).status;
    case "promote": {
      const list = await t.api.get(`${base}/service/${c.name}/integration`);
      const link = (list.data.service_integrations ?? []).find((i: { dest_service: string }) => i.dest_service === c.name);
      return link ? (await t.api.delete(`${base}/integration/${link.service_integration_id}`)).status : list.status;
    }
  }
}

// With real engines, deletes and promotions wait on redis-server: that is where requests interleave.
(findRedisServer() ? test : test.skip)("concurrent replica creates, deletes, promotions and protection changes keep the replica invariants", async () => {
  const plain = t;
  t = await start({ engines: "auto", buildMs: 0, backupMs: 0, promoteMs: 0 });
  try {
    await concurrentCommandsKeepInvariants();
  } finally {
    await t.emulator.close();
    t = plain;
  }
}, 300_000);

async function concurrentCommandsKeepInvariants(): Promise<void> {
  await fc.assert(
    fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 12 }), async (commands) => {
      await t.admin.post("/_emulator/reset");
      await primaryWithBackup(t.api, P, "p1");
      await primaryWithBackup(t.api, P, "p2");
      // p1 starts with replicas: its delete then waits on their promotion while others arrive.
      for (const name of ["r1", "r2"]) expect(await runCommand({ kind: "replica", name, source: "p1" })).toBe(200);
      const statuses = await Promise.all(commands.map(runCommand));
      expect(statuses.every((s) => s < 500)).toBe(true);

      const all = await services();
      const byName = new Map(all.map((s) => [s.service_name, s]));
      const replicaLinks = all.flatMap((s) => s.service_integrations).filter((i) => i.integration_type === "read_replica");
      const unique = new Map(replicaLinks.map((i) => [i.service_integration_id, i]));
      for (const link of unique.values()) {
        // Both ends exist, and each shows the link.
        expect(byName.get(link.source_service)?.service_integrations.map((i) => i.service_integration_id)).toContain(link.service_integration_id);
        expect(byName.get(link.dest_service)?.service_integrations.map((i) => i.service_integration_id)).toContain(link.service_integration_id);
      }
      const links = [...unique.values()];
      for (const s of all) {
        expect(links.filter((l) => l.dest_service === s.service_name).length).toBeLessThanOrEqual(1);
        expect(links.filter((l) => l.source_service === s.service_name).length).toBeLessThanOrEqual(5);
        // A replica is never itself a source.
        if (links.some((l) => l.dest_service === s.service_name)) expect(links.some((l) => l.source_service === s.service_name)).toBe(false);
      }
      // A service with no read_replica link to a source is standalone in its engine too.
      for (const s of all) {
        if (links.some((l) => l.dest_service === s.service_name)) continue;
        const settled = await waitFor(`${s.service_name} RUNNING`, async () => {
          const now = (await t.api.get(`/v1/project/${P}/service/${s.service_name}`)).data.service as ServiceJson;
          return now.state === "RUNNING" ? now : undefined;
        }, 20_000);
        expect({ name: s.service_name, role: await engineRole(settled.service_uri) }).toEqual({ name: s.service_name, role: "master" });
      }
    }),
    { numRuns: 15 },
  );
}
