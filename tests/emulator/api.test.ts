import axios from "axios";
import {
  aivenError,
  createReplica,
  createService,
  getService,
  IntegrationJson,
  primaryWithBackup,
  ServiceJson,
  start,
  TestEmulator,
  waitFor,
} from "./helpers";

const P = "demo-project";
let t: TestEmulator;

beforeAll(async () => {
  t = await start();
});
afterAll(async () => {
  await t.emulator.close();
});
beforeEach(async () => {
  await t.admin.post("/_emulator/reset");
});

describe("auth", () => {
  let strict: TestEmulator;
  beforeAll(async () => {
    strict = await start({ token: "s3cret" });
  });
  afterAll(() => strict.emulator.close());

  const forms: [string, Record<string, string>, number][] = [
    ["aivenv1 scheme", { Authorization: "aivenv1 s3cret" }, 200],
    ["Bearer scheme", { Authorization: "Bearer s3cret" }, 200],
    ["lowercase bearer scheme (Aiven's docs)", { Authorization: "bearer s3cret" }, 200],
    ["AIVENV1 in capitals", { Authorization: "AIVENV1 s3cret" }, 200],
    ["no header", {}, 403],
    ["wrong token", { Authorization: "aivenv1 nope" }, 403],
    ["unknown scheme", { Authorization: "Basic s3cret" }, 403],
    ["scheme without token", { Authorization: "aivenv1" }, 403],
  ];
  test.each(forms)("%s → %i", async (_name, headers, status) => {
    const res = await axios.get(`${strict.emulator.url}/v1/project/${P}/service`, { headers, validateStatus: () => true });
    expect(res.status).toBe(status);
    expect(res.data).toEqual(status === 200 ? { services: [] } : aivenError(403, "Authentication failed"));
  });

  test("without a configured token any non-empty token is accepted, but the form still counts", async () => {
    const url = `${t.emulator.url}/v1/project/${P}/service`;
    const good = await axios.get(url, { headers: { Authorization: "Bearer anything" }, validateStatus: () => true });
    const bad = await axios.get(url, { headers: { Authorization: "token anything" }, validateStatus: () => true });
    expect([good.status, bad.status]).toEqual([200, 403]);
  });
});

describe("service lifecycle", () => {
  test("a primary is REBUILDING, then RUNNING, then gets its first backup", async () => {
    const created = await createService(t.api, P, { service_name: "prim", plan: "business-4", termination_protection: false });
    expect(created.status).toBe(200);
    const service = (created.data as { service: ServiceJson }).service;
    expect(service).toMatchObject({
      service_name: "prim",
      service_type: "valkey",
      plan: "business-4",
      cloud_name: "google-europe-west1",
      state: "REBUILDING",
      termination_protection: false,
      backups: [],
      service_integrations: [],
    });
    expect(service.service_uri).toBe(
      `rediss://default:${service.service_uri_params.password}@prim-${P}.aivencloud.com:${service.service_uri_params.port}`,
    );
    expect(service.components).toEqual([
      {
        component: "valkey",
        host: `prim-${P}.aivencloud.com`,
        port: Number(service.service_uri_params.port),
        route: "dynamic",
        usage: "primary",
        ssl: true,
      },
    ]);
    const ready = await primaryWithBackup(t.api, P, "prim2");
    expect(ready.backups).toHaveLength(1);
    expect(ready.backups[0]).toEqual({
      backup_name: expect.any(String),
      backup_time: expect.any(String),
      data_size: 0,
      storage_location: expect.any(String),
    });
  });

  test("list wraps services in {services}", async () => {
    await createService(t.api, P, { service_name: "a1", plan: "business-4" });
    await createService(t.api, P, { service_name: "a2", plan: "business-4", service_type: "redis" });
    const res = await t.api.get(`/v1/project/${P}/service`);
    expect(res.status).toBe(200);
    const names = (res.data as { services: ServiceJson[] }).services.map((s) => [s.service_name, s.service_type]);
    expect(names).toEqual([["a1", "valkey"], ["a2", "redis"]]);
  });

  test("PUT changes termination protection, plan and cloud; powered=false powers off", async () => {
    await primaryWithBackup(t.api, P, "tweak");
    const put = await t.api.put(`/v1/project/${P}/service/tweak`, { plan: "business-8", cloud: "aws-eu-west-1" });
    expect(put.status).toBe(200);
    expect((put.data as { service: ServiceJson }).service).toMatchObject({
      plan: "business-8",
      cloud_name: "aws-eu-west-1",
      state: "REBALANCING",
    });
    await waitFor("RUNNING", async () => ((await getService(t.api, P, "tweak")).state === "RUNNING" ? true : undefined));
    const off = await t.api.put(`/v1/project/${P}/service/tweak`, { powered: false });
    expect((off.data as { service: ServiceJson }).service.state).toBe("POWEROFF");
  });

  test("deleting a service answers 200, then 404 the second time", async () => {
    await createService(t.api, P, { service_name: "gone", plan: "business-4" });
    const first = await t.api.delete(`/v1/project/${P}/service/gone`);
    const second = await t.api.delete(`/v1/project/${P}/service/gone`);
    expect([first.status, first.data]).toEqual([200, { message: "Service deleted" }]);
    expect([second.status, second.data]).toEqual([404, aivenError(404, "Service not found", "service_not_found")]);
  });
});

describe("refusals", () => {
  beforeEach(async () => {
    await primaryWithBackup(t.api, P, "prim");
    await primaryWithBackup(t.api, P, "cache", "redis");
    await createService(t.api, P, { service_name: "fresh", plan: "business-4" });
    await createService(t.api, P, { service_name: "guarded", plan: "business-4", termination_protection: true });
  });

  type Case = [string, () => Promise<{ status: number; data: unknown }>, number, string, string | undefined];
  const cases: Case[] = [
    ["unknown service", () => t.api.get(`/v1/project/${P}/service/nope`), 404, "Service not found", "service_not_found"],
    ["integrations of an unknown service", () => t.api.get(`/v1/project/${P}/service/nope/integration`), 404, "Service not found", "service_not_found"],
    ["unknown integration", () => t.api.get(`/v1/project/${P}/integration/00000000-0000-0000-0000-000000000000`), 404, "Service integration not found", "service_integration_not_found"],
    ["delete of an unknown integration", () => t.api.delete(`/v1/project/${P}/integration/nope`), 404, "Service integration not found", "service_integration_not_found"],
    ["duplicate service name", () => createService(t.api, P, { service_name: "prim", plan: "business-4" }), 409, "Service name is already in use in this project", "service_name_in_use"],
    ["service type other than valkey/redis", () => createService(t.api, P, { service_name: "pg1", plan: "business-4", service_type: "pg" }), 400, "Invalid service_type 'pg': this emulator serves valkey and redis only", undefined],
    ["dragonfly", () => createService(t.api, P, { service_name: "df1", plan: "business-4", service_type: "dragonfly" }), 400, "Invalid service_type 'dragonfly': this emulator serves valkey and redis only", undefined],
    ["missing plan", () => createService(t.api, P, { service_name: "np" }), 400, "Invalid input: 'plan' is required", undefined],
    ["invalid service name", () => createService(t.api, P, { service_name: "Bad_Name", plan: "business-4" }), 400, "Service name must start with a lowercase letter and contain only lowercase letters, digits and dashes, at most 63 characters", undefined],
    ["invalid JSON", () => t.api.post(`/v1/project/${P}/service`, "{oops", { headers: { "Content-Type": "application/json" }, transformRequest: [(d: unknown) => d] }), 400, "Invalid JSON in request body", undefined],
    ["replica of a missing source", () => createReplica(t.api, P, "r1", "ghost"), 400, "Read replica source service 'ghost' does not exist", undefined],
    ["replica of another service type", () => createReplica(t.api, P, "r1", "cache"), 400, "Read replica must have the same service type as its source: 'cache' is redis, not valkey", undefined],
    ["replica on a business plan", () => createReplica(t.api, P, "r1", "prim", { plan: "business-4" }), 400, "Read replicas are supported only on startup plans, not 'business-4'", undefined],
    ["other integration at create with a missing source", () => createService(t.api, P, { service_name: "m1", plan: "business-4", service_integrations: [{ integration_type: "metrics", source_service: "ghost" }] }), 400, "Integration source service 'ghost' does not exist", undefined],
    ["other integration at create with itself as source", () => createService(t.api, P, { service_name: "m1", plan: "business-4", service_integrations: [{ integration_type: "metrics", source_service: "m1" }] }), 400, "Service 'm1' cannot be the source of its own metrics integration", undefined],
    ["other integration at create without a source", () => createService(t.api, P, { service_name: "m1", plan: "business-4", service_integrations: [{ integration_type: "metrics" }] }), 400, "metrics integration requires source_service", undefined],
    ["read_replica through POST /integration", () => t.api.post(`/v1/project/${P}/integration`, { integration_type: "read_replica", source_service: "prim", dest_service: "fresh" }), 400, "Read replica integrations can only be created together with the replica service (service_integrations in POST /service)", undefined],
    ["delete of a termination-protected service", () => t.api.delete(`/v1/project/${P}/service/guarded`), 403, "Service is protected against termination and shutdown. Remove termination protection first.", undefined],
    ["power-off of a termination-protected service", () => t.api.put(`/v1/project/${P}/service/guarded`, { powered: false }), 403, "Service is protected against termination and shutdown. Remove termination protection first.", undefined],
    ["unknown route", () => t.api.get(`/v1/project/${P}/nothing`), 404, "Not found", undefined],
  ];
  test.each(cases)("%s", async (_name, call, status, message, code) => {
    const res = await call();
    expect(res.status).toBe(status);
    expect(res.data).toEqual(aivenError(status, message, code));
  });

  test("a source that is still REBUILDING is refused", async () => {
    // Its own emulator: with the shared one's 20 ms timings the source could be RUNNING with a
    // backup before the replica request arrives on a loaded machine.
    const slow = await start({ buildMs: 60_000, backupMs: 60_000 });
    try {
      await createService(slow.api, P, { service_name: "fresh", plan: "business-4" });
      const res = await createReplica(slow.api, P, "r1", "fresh");
      expect([res.status, res.data]).toEqual([
        400,
        aivenError(400, "Read replica source service 'fresh' is not running (REBUILDING)"),
      ]);
    } finally {
      await slow.emulator.close();
    }
  });

  test("a RUNNING source without a backup yet is refused", async () => {
    const slow = await start({ buildMs: 10, backupMs: 60_000 });
    try {
      await createService(slow.api, P, { service_name: "nobackup", plan: "business-4" });
      await waitFor("RUNNING", async () => ((await getService(slow.api, P, "nobackup")).state === "RUNNING" ? true : undefined));
      const res = await createReplica(slow.api, P, "r1", "nobackup");
      expect([res.status, res.data]).toEqual([
        400,
        aivenError(400, "Read replica source service 'nobackup' has no backups yet; try again once its first backup is done"),
      ]);
    } finally {
      await slow.emulator.close();
    }
  });

  test("a termination-protected service can be deleted once protection is removed", async () => {
    const put = await t.api.put(`/v1/project/${P}/service/guarded`, { termination_protection: false });
    expect((put.data as { service: ServiceJson }).service.termination_protection).toBe(false);
    expect((await t.api.delete(`/v1/project/${P}/service/guarded`)).status).toBe(200);
  });
});

describe("read replicas", () => {
  // Promotion takes 10 s here: tests that assert the transitional REBUILDING state use this
  // emulator, so a slow CI machine cannot see the end state first. End states are asserted on `t`.
  let s: TestEmulator;
  beforeAll(async () => {
    s = await start({ promoteMs: 10_000 });
  });
  afterAll(() => s.emulator.close());
  beforeEach(async () => {
    await s.admin.post("/_emulator/reset");
  });

  test("the seeds' flow: create, see the integration on both services, promote by deleting it", async () => {
    await primaryWithBackup(s.api, P, "prim");
    const created = await createReplica(s.api, P, "replica", "prim");
    expect(created.status).toBe(200);
    const replica = (created.data as { service: ServiceJson }).service;
    expect(replica).toMatchObject({ service_name: "replica", plan: "startup-4", state: "REBUILDING", backups: [] });
    expect(replica.service_integrations).toHaveLength(1);
    const link = replica.service_integrations[0];
    expect(link).toEqual({
      service_integration_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      integration_type: "read_replica",
      source_project: P,
      source_service: "prim",
      source_service_type: "valkey",
      source_endpoint: null,
      source_endpoint_id: null,
      dest_project: P,
      dest_service: "replica",
      dest_service_type: "valkey",
      dest_endpoint: null,
      dest_endpoint_id: null,
      active: true,
      enabled: true,
      description: "Read replica of prim",
      integration_status: expect.any(Object),
      user_config: {},
    });
    expect(link).not.toHaveProperty("source_service_name");

    const onPrimary = await s.api.get(`/v1/project/${P}/service/prim/integration`);
    const onReplica = await s.api.get(`/v1/project/${P}/service/replica/integration`);
    expect(onPrimary.data).toEqual({ service_integrations: [link] });
    expect(onReplica.data).toEqual({ service_integrations: [link] });
    expect((await getService(s.api, P, "prim")).service_integrations).toEqual([link]);
    const one = await s.api.get(`/v1/project/${P}/integration/${link.service_integration_id}`);
    expect(one.data).toEqual({ service_integration: link });

    await waitFor("replica RUNNING", async () => ((await getService(s.api, P, "replica")).state === "RUNNING" ? true : undefined));
    expect((await getService(s.api, P, "replica")).backups).toEqual([]);

    // The seeds' jq filter, translated to the real field name.
    const id = (onReplica.data as { service_integrations: IntegrationJson[] }).service_integrations.find(
      (i) => i.source_service === "prim",
    )?.service_integration_id;
    const del = await s.api.delete(`/v1/project/${P}/integration/${id}`);
    expect([del.status, del.data]).toEqual([200, { message: "Service integration deleted" }]);

    // promoteMs is 10 s here, so the promoted replica is certainly still REBUILDING on this GET.
    const promoted = await getService(s.api, P, "replica");
    expect(promoted.state).toBe("REBUILDING");
    expect(promoted.service_integrations).toEqual([]);
    expect((await getService(s.api, P, "prim")).service_integrations).toEqual([]);

    const again = await s.api.delete(`/v1/project/${P}/integration/${id}`);
    expect([again.status, again.data]).toEqual([
      404,
      aivenError(404, "Service integration not found", "service_integration_not_found"),
    ]);
  });

  test("the API's own source_service field works too", async () => {
    await primaryWithBackup(t.api, P, "prim");
    const res = await createService(t.api, P, {
      service_name: "r-api",
      plan: "startup-4",
      service_integrations: [{ integration_type: "read_replica", source_service: "prim" }],
    });
    expect(res.status).toBe(200);
    expect((res.data as { service: ServiceJson }).service.service_integrations[0].source_service).toBe("prim");
  });

  test("at most 5 read replicas per primary", async () => {
    await primaryWithBackup(t.api, P, "prim");
    const statuses: number[] = [];
    for (let i = 1; i <= 5; i++) statuses.push((await createReplica(t.api, P, `r${i}`, "prim")).status);
    const sixth = await createReplica(t.api, P, "r6", "prim");
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect([sixth.status, sixth.data]).toEqual([
      400,
      aivenError(400, "Service 'prim' already has the maximum of 5 read replicas"),
    ]);
    expect((await getService(t.api, P, "prim")).service_integrations).toHaveLength(5);
  });

  test("a replica cannot be the source of another replica", async () => {
    await primaryWithBackup(t.api, P, "prim");
    await createReplica(t.api, P, "r1", "prim");
    const res = await createReplica(t.api, P, "r2", "r1");
    expect([res.status, res.data]).toEqual([
      400,
      aivenError(400, "Service 'r1' is itself a read replica and cannot be a read replica source"),
    ]);
  });

  test("a promoted replica is RUNNING again after promoteMs, standalone and without the link", async () => {
    await primaryWithBackup(t.api, P, "prim");
    const replica = (await createReplica(t.api, P, "r1", "prim")).data as { service: ServiceJson };
    const id = replica.service.service_integrations[0].service_integration_id;
    expect((await t.api.delete(`/v1/project/${P}/integration/${id}`)).status).toBe(200);
    const r1 = await waitFor("promoted RUNNING", async () => {
      const r = await getService(t.api, P, "r1");
      return r.state === "RUNNING" ? r : undefined;
    });
    expect(r1.service_integrations).toEqual([]);
  });

  test("deleting a primary that has replicas promotes them", async () => {
    await primaryWithBackup(s.api, P, "prim");
    await createReplica(s.api, P, "r1", "prim");
    expect((await s.api.delete(`/v1/project/${P}/service/prim`)).status).toBe(200);
    const r1 = await getService(s.api, P, "r1");
    expect(r1.service_integrations).toEqual([]);
    expect(r1.state).toBe("REBUILDING");
  });

  test("deleting a replica removes its integration from the primary", async () => {
    await primaryWithBackup(t.api, P, "prim");
    await createReplica(t.api, P, "r1", "prim");
    expect((await t.api.delete(`/v1/project/${P}/service/r1`)).status).toBe(200);
    expect((await getService(t.api, P, "prim")).service_integrations).toEqual([]);
  });

  test("a refused integration at create creates nothing", async () => {
    const res = await createService(t.api, P, {
      service_name: "m1",
      plan: "business-4",
      service_integrations: [{ integration_type: "metrics", source_service: "ghost" }],
    });
    expect(res.status).toBe(400);
    expect((await t.api.get(`/v1/project/${P}/service`)).data).toEqual({ services: [] });
  });

  test("another integration type with an existing source is accepted at create and shows on both services", async () => {
    await primaryWithBackup(t.api, P, "prim");
    const res = await createService(t.api, P, {
      service_name: "m1",
      plan: "business-4",
      service_integrations: [{ integration_type: "metrics", source_service: "prim" }],
    });
    expect(res.status).toBe(200);
    const made = (res.data as { service: ServiceJson }).service.service_integrations;
    expect(made).toMatchObject([{ integration_type: "metrics", source_service: "prim", dest_service: "m1" }]);
    expect((await getService(t.api, P, "prim")).service_integrations).toEqual(made);
  });

  test("other integration types go through POST /integration and show on both services", async () => {
    await primaryWithBackup(t.api, P, "prim");
    await createService(t.api, P, { service_name: "other", plan: "business-4" });
    const res = await t.api.post(`/v1/project/${P}/integration`, {
      integration_type: "metrics",
      source_service: "prim",
      dest_service: "other",
    });
    expect(res.status).toBe(200);
    const made = (res.data as { service_integration: IntegrationJson }).service_integration;
    expect(made).toMatchObject({ integration_type: "metrics", source_service: "prim", dest_service: "other" });
    expect((await getService(t.api, P, "other")).service_integrations).toEqual([made]);
    expect((await t.api.delete(`/v1/project/${P}/integration/${made.service_integration_id}`)).status).toBe(200);
    expect((await getService(t.api, P, "prim")).service_integrations).toEqual([]);
  });
});

describe("projects", () => {
  test("with a projects list, other projects answer 404", async () => {
    const scoped = await start({ projects: ["alpha"] });
    try {
      const known = await scoped.api.get("/v1/project/alpha/service");
      const unknown = await scoped.api.get("/v1/project/beta/service");
      const create = await createService(scoped.api, "beta", { service_name: "x", plan: "business-4" });
      expect(known.status).toBe(200);
      expect([unknown.status, unknown.data]).toEqual([404, aivenError(404, "Project does not exist", "project_not_found")]);
      expect(create.status).toBe(404);
    } finally {
      await scoped.emulator.close();
    }
  });

  test("without one, projects are separate and created on first use", async () => {
    await createService(t.api, "one", { service_name: "same", plan: "business-4" });
    const other = await createService(t.api, "two", { service_name: "same", plan: "business-4" });
    expect(other.status).toBe(200);
    expect((await t.api.get("/v1/project/three/service")).data).toEqual({ services: [] });
  });
});
