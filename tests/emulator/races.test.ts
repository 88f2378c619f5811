// Concurrent requests against real engines: each state change is atomic with the checks that
// guard it, so no interleaving leaves the API and the engines disagreeing.
import * as fs from "node:fs";
import { findRedisServer } from "../../emulator/engines";
import { createReplica, engineRole, getService, primaryWithBackup, ServiceJson, start, TestEmulator, waitFor } from "./helpers";

const P = "races";
const hasRedis = findRedisServer() !== undefined;
if (!hasRedis) console.warn("race tests skipped: redis-server is not on PATH");

let t: TestEmulator;

async function running(name: string): Promise<ServiceJson> {
  return waitFor(`${name} RUNNING`, async () => {
    const s = await getService(t.api, P, name);
    return s.state === "RUNNING" ? s : undefined;
  }, 20_000);
}

/** A primary with a backup and `count` RUNNING replicas. */
async function primaryWithReplicas(primary: string, count: number): Promise<void> {
  await primaryWithBackup(t.api, P, primary);
  await running(primary);
  for (let i = 1; i <= count; i++) {
    const res = await createReplica(t.api, P, `${primary}-r${i}`, primary);
    expect(res.status).toBe(200);
  }
  for (let i = 1; i <= count; i++) await running(`${primary}-r${i}`);
}

(hasRedis ? describe : describe.skip)("races", () => {
  jest.setTimeout(120_000);
  beforeAll(async () => {
    t = await start({ engines: "auto", buildMs: 20, backupMs: 20, promoteMs: 20 });
  });
  afterAll(() => t.emulator.close());
  beforeEach(() => t.admin.post("/_emulator/reset"));

  test("a replica created while its primary is being deleted is refused or promoted, never left following nothing", async () => {
    for (let round = 0; round < 3; round++) {
      const primary = `p${round}`;
      await primaryWithReplicas(primary, 3);
      const [deleted, created] = await Promise.all([
        t.api.delete(`/v1/project/${P}/service/${primary}`),
        createReplica(t.api, P, `${primary}-late`, primary),
      ]);
      expect(deleted.status).toBe(200);
      expect([200, 400]).toContain(created.status);
      const left = (await t.api.get(`/v1/project/${P}/service`)).data.services as ServiceJson[];
      expect(left.map((s) => s.service_name)).not.toContain(primary);
      for (const s of left) {
        expect({ name: s.service_name, integrations: s.service_integrations }).toEqual({ name: s.service_name, integrations: [] });
        const settled = await running(s.service_name);
        expect({ name: s.service_name, role: await engineRole(settled.service_uri) }).toEqual({ name: s.service_name, role: "master" });
      }
    }
  });

  test("five concurrent deletes of a primary with three replicas: one 200, four 404", async () => {
    await primaryWithReplicas("prim", 3);
    const answers = await Promise.all(Array.from({ length: 5 }, () => t.api.delete(`/v1/project/${P}/service/prim`)));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 404, 404, 404, 404]);
  });

  test("protection set while a delete runs: either the delete came first (and the PUT finds nothing) or it is refused", async () => {
    await primaryWithReplicas("prot", 3);
    const [deleted, protectedAnswer] = await Promise.all([
      t.api.delete(`/v1/project/${P}/service/prot`),
      t.api.put(`/v1/project/${P}/service/prot`, { termination_protection: true }),
    ]);
    const exists = (await t.api.get(`/v1/project/${P}/service/prot`)).status === 200;
    if (deleted.status === 200) {
      expect({ put: protectedAnswer.status, exists }).toEqual({ put: 404, exists: false });
    } else {
      expect({ deleted: deleted.status, put: protectedAnswer.status, exists }).toEqual({ deleted: 403, put: 200, exists: true });
    }
  });

  test("a stuck engine: its promotion gives up after seconds, and other requests are not held by it", async () => {
    await primaryWithReplicas("stuck", 1);
    const replica = await getService(t.api, P, "stuck-r1");
    const port = replica.service_uri_params.port;
    const pid = t.emulator.enginePids().find((p) => fs.readFileSync(`/proc/${p}/cmdline`, "utf8").includes(`:${port}`));
    expect(pid).toBeDefined();
    process.kill(pid!, "SIGSTOP");
    try {
      const started = Date.now();
      const link = replica.service_integrations[0].service_integration_id;
      const [promoted, created] = await Promise.all([
        t.api.delete(`/v1/project/${P}/integration/${link}`, { timeout: 30_000 }),
        t.api.post(`/v1/project/${P}/service`, { service_name: "after", service_type: "valkey", plan: "startup-4" }, { timeout: 30_000 }),
      ]);
      expect([promoted.status, created.status]).toEqual([200, 200]);
      // Bounded by the engine command timeout (5 s), not by the stopped process.
      expect(Date.now() - started).toBeLessThan(20_000);
    } finally {
      process.kill(pid!, "SIGCONT");
    }
  });
});
