// The wire contract Aiven's Terraform-based provider (the plugin behind @pulumi/aiven) relies on:
// each request it makes, the exact status, and the type of every field its Go client unmarshals.
import * as net from "node:net";
import { findRedisServer } from "../../emulator/engines";
import { aivenError, primaryWithBackup, start, TestEmulator, waitFor } from "../emulator/helpers";
import { mismatches, Shape } from "./shape";

const P = "wire-project";
// Every request of the provider carries ?limit=999; reads of a service also ?include_secrets=true.
const Q = "?limit=999";

const integrationShape: Shape = {
  service_integration_id: "string",
  integration_type: "string",
  source_project: "string",
  source_service: "string",
  source_service_type: "string",
  dest_project: "string",
  dest_service: "string",
  dest_service_type: "string",
  active: "boolean",
  enabled: "boolean",
  description: "string",
  integration_status: { state: { status: "string", errors: { array: "string" }, nodes: "object" }, status_user_desc: "string" },
  user_config: "object",
};

const backupShape: Shape = { backup_name: "string", backup_time: "rfc3339", data_size: "integer", storage_location: "string" };

function serviceShape(type: "valkey" | "redis"): Shape {
  return {
    service_name: "string",
    service_type: "string",
    plan: "string",
    cloud_name: "string",
    state: "string",
    create_time: "rfc3339",
    update_time: "rfc3339",
    termination_protection: "boolean",
    group_list: { array: "string" },
    project_vpc_id: { oneOf: ["null", "string"] },
    disk_space_mb: "integer",
    node_count: "integer",
    service_uri: "string",
    service_uri_params: { map: "string" },
    maintenance: { dow: "string", time: "string", enabled: "boolean", updates: { array: "object" } },
    connection_info: { [type]: { array: "string" }, [`${type}_slave`]: { array: "string" }, [`${type}_password`]: "string" },
    components: { array: { component: "string", host: "string", port: "integer", route: "string", usage: "string", ssl: "boolean" } },
    users: { array: { username: "string", password: "string", type: "string" } },
    backups: { array: backupShape },
    service_integrations: { array: integrationShape },
    tech_emails: { array: { email: "string" } },
    service_notifications: { array: "object" },
    tags: { map: "string" },
    user_config: "object",
  };
}

let t: TestEmulator;
beforeAll(async () => {
  t = await start();
});
afterAll(() => t.emulator.close());
beforeEach(() => t.admin.post("/_emulator/reset"));

test("the shape checker reports wrong types and missing fields", () => {
  expect(mismatches({ a: "1", t: "2026-01-01 10:00" }, { a: "integer", t: "rfc3339", b: "string" })).toEqual([
    '$.a: expected integer, got "1"',
    '$.t: expected rfc3339, got "2026-01-01 10:00"',
    "$.b: missing",
  ]);
  expect(mismatches({ port: 5 }, { map: "string" })).toEqual(["$.port: expected string, got 5"]);
  expect(mismatches([{ a: 1 }], { array: { a: "integer" } })).toEqual([]);
});

describe("the routes the provider and avn call, without a service", () => {
  const table: [string, string, number, (body: unknown) => void][] = [
    ["GET", "/v1/project", 200, (b) => expect(mismatches(b, { projects: { array: { project_name: "string", default_cloud: "string" } } })).toEqual([])],
    ["GET", `/v1/project/${P}/vpcs`, 200, (b) => expect(b).toEqual({ vpcs: [] })],
    ["GET", `/v1/project/${P}/static-ips`, 200, (b) => expect(b).toEqual({ static_ips: [] })],
    [
      "GET",
      `/v1/project/${P}/service_types`,
      200,
      (b) =>
        expect(
          mismatches(b, {
            service_types: {
              valkey: { description: "string", user_config_schema: { type: "string", properties: "object" }, service_plans: { array: { service_plan: "string", service_type: "string" } } },
              redis: { description: "string", user_config_schema: { type: "string", properties: "object" }, service_plans: { array: { service_plan: "string", service_type: "string" } } },
            },
          }),
        ).toEqual([]),
    ],
    [
      "GET",
      `/v1/project/${P}/service-types/valkey`,
      200,
      (b) => expect(mismatches(b, { description: "string", user_config_schema: { type: "string", properties: "object" } })).toEqual([]),
    ],
    ["GET", `/v1/project/${P}/service-types/redis`, 200, (b) => expect(b).toMatchObject({ description: "Aiven for Caching" })],
    ["GET", `/v1/project/${P}/service-types/pg`, 404, (b) => expect(b).toEqual(aivenError(404, "Service type 'pg' is not available"))],
    [
      "GET",
      `/v1/project/${P}/service-types/valkey/plans/startup-4`,
      404,
      (b) => expect(b).toEqual(aivenError(404, "Service plan 'startup-4' details are not available in this emulator")),
    ],
    ["GET", `/v1/project/${P}/service/none`, 404, (b) => expect(b).toEqual(aivenError(404, "Service not found", "service_not_found"))],
    ["GET", `/v1/project/${P}/service/none/tags`, 404, (b) => expect(b).toEqual(aivenError(404, "Service not found", "service_not_found"))],
    ["GET", `/v1/project/${P}/service/none/backups`, 404, (b) => expect(b).toEqual(aivenError(404, "Service not found", "service_not_found"))],
    [
      "GET",
      `/v1/project/${P}/integration/0b5e1c4e-0000-4000-8000-000000000000`,
      404,
      (b) => expect(b).toEqual(aivenError(404, "Service integration not found", "service_integration_not_found")),
    ],
    ["GET", `/v1/project/${P}/kafka/acl`, 404, (b) => expect(b).toEqual(aivenError(404, "Not found"))],
    ["GET", "/v2/anything", 404, (b) => expect(b).toEqual(aivenError(404, "Not found"))],
    ["PATCH", `/v1/project/${P}/service`, 405, (b) => expect(b).toEqual(aivenError(405, "Method not allowed"))],
  ];
  test.each(table)("%s %s → %i", async (method, url, status, check) => {
    const res = await t.api.request({ method, url: `${url}${Q}` });
    expect(res.status).toBe(status);
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    check(res.data);
  });

  test("malformed JSON is an Aiven-shaped 400 and creates nothing", async () => {
    const res = await t.api.post(`/v1/project/${P}/service`, '{"service_name": "x", ', {
      headers: { "content-type": "application/json" },
      transformRequest: [(data: string) => data],
    });
    expect(res.status).toBe(400);
    expect(res.data).toEqual(aivenError(400, "Invalid JSON in request body"));
    expect((await t.api.get(`/v1/project/${P}/service`)).data).toEqual({ services: [] });
  });
});

describe("a service as the provider creates and reads it", () => {
  // What terraform-provider-aiven sends on create (project_vpc_id is always present, null when unset).
  const providerCreate = {
    cloud: "google-europe-west1",
    plan: "business-4",
    project_vpc_id: null,
    service_name: "tf-prim",
    service_type: "valkey",
    termination_protection: false,
    user_config: { valkey_maxmemory_policy: "allkeys-lru" },
    maintenance: { dow: "sunday", time: "03:00:00" },
    tech_emails: [{ email: "ops@example.com" }],
    disk_space_mb: 8192,
    static_ips: [],
    tags: { team: "cache" },
  };

  test("create answers the full service, with host and port already final", async () => {
    const res = await t.api.post(`/v1/project/${P}/service${Q}`, providerCreate);
    expect(res.status).toBe(200);
    const created = res.data.service;
    expect(mismatches(created, serviceShape("valkey"))).toEqual([]);
    expect(created).toMatchObject({
      state: "REBUILDING",
      maintenance: { dow: "sunday", time: "03:00:00", enabled: true, updates: [] },
      tech_emails: [{ email: "ops@example.com" }],
      disk_space_mb: 8192,
      tags: { team: "cache" },
      project_vpc_id: null,
    });
    expect(Number(created.service_uri_params.port)).toBeGreaterThan(0);
    const read = (await t.api.get(`/v1/project/${P}/service/tf-prim${Q}&include_secrets=true`)).data.service;
    expect(read.service_uri).toBe(created.service_uri);
    expect(read.components).toEqual(created.components);
  });

  test("GET service, backups, tags and integration: every field the provider reads, with its type", async () => {
    await primaryWithBackup(t.api, P, "prim");
    const rep = await t.api.post(`/v1/project/${P}/service`, {
      service_name: "rep",
      service_type: "valkey",
      plan: "startup-4",
      project_vpc_id: null,
      service_integrations: [{ integration_type: "read_replica", source_service: "prim" }],
    });
    expect(rep.status).toBe(200);

    const prim = (await t.api.get(`/v1/project/${P}/service/prim${Q}&include_secrets=true`)).data.service;
    expect(mismatches(prim, serviceShape("valkey"))).toEqual([]);
    expect(prim.connection_info.valkey).toEqual([prim.service_uri]);
    expect(prim.connection_info.valkey_password).toBe(prim.service_uri_params.password);
    expect(prim.service_integrations).toHaveLength(1);

    const backups = await t.api.get(`/v1/project/${P}/service/prim/backups${Q}`);
    expect(backups.status).toBe(200);
    expect(mismatches(backups.data, { backups: { array: backupShape } })).toEqual([]);
    expect(backups.data.backups).toEqual(prim.backups);
    expect((await t.api.get(`/v1/project/${P}/service/rep/backups${Q}`)).data).toEqual({ backups: [] });

    expect((await t.api.get(`/v1/project/${P}/service/prim/tags${Q}`)).data).toEqual({ tags: {} });
    const put = await t.api.put(`/v1/project/${P}/service/prim/tags${Q}`, { tags: { env: "test" } });
    expect(put.status).toBe(200);
    expect((await t.api.get(`/v1/project/${P}/service/prim/tags${Q}`)).data).toEqual({ tags: { env: "test" } });
    expect((await t.api.get(`/v1/project/${P}/service/prim${Q}`)).data.service.tags).toEqual({ env: "test" });
    expect((await t.api.put(`/v1/project/${P}/service/prim/tags`, { tags: { env: 1 } })).status).toBe(400);

    const id = prim.service_integrations[0].service_integration_id;
    const got = await t.api.get(`/v1/project/${P}/integration/${id}${Q}`);
    expect(got.status).toBe(200);
    expect(mismatches(got.data, { service_integration: integrationShape })).toEqual([]);
    const updated = await t.api.put(`/v1/project/${P}/integration/${id}${Q}`, { user_config: {} });
    expect(updated.status).toBe(200);
    expect(updated.data.service_integration).toEqual(got.data.service_integration);
    expect((await t.api.put(`/v1/project/${P}/integration/${id}`, {})).status).toBe(400);
  });

  test("a Caching service names its connection_info keys after redis", async () => {
    await t.api.post(`/v1/project/${P}/service`, { service_name: "cache", service_type: "redis", plan: "startup-4" });
    const s = (await t.api.get(`/v1/project/${P}/service/cache${Q}`)).data.service;
    expect(mismatches(s, serviceShape("redis"))).toEqual([]);
    expect(Object.keys(s.connection_info).sort()).toEqual(["redis", "redis_password", "redis_slave"]);
  });

  test.each([
    [{ project_vpc_id: "vpc-1" }, 404, "Project VPC 'vpc-1' does not exist"],
    [{ static_ips: ["ip-1"] }, 404, "Static IP address 'ip-1' does not exist"],
    [{ maintenance: { dow: "someday" } }, 400, "Invalid maintenance day 'someday'"],
    [{ maintenance: { dow: "never", time: "03:00:00" } }, 400, "Invalid maintenance day 'never'"],
    [{ maintenance: { time: "25:00:00" } }, 400, "Invalid maintenance time '25:00:00': expected HH:MM:SS"],
    [{ tech_emails: ["ops@example.com"] }, 400, "Invalid input: tech_emails[0] must be a JSON object"],
    [{ disk_space_mb: -5 }, 400, "Invalid input: 'disk_space_mb' must be a positive integer"],
  ])("create with %j → %i, nothing created", async (extra, status, message) => {
    const res = await t.api.post(`/v1/project/${P}/service`, { ...providerCreate, ...extra });
    expect(res.status).toBe(status);
    expect(res.data.message).toBe(message);
    expect((await t.api.get(`/v1/project/${P}/service`)).data).toEqual({ services: [] });
  });
});

(findRedisServer() ? describe : describe.skip)("with real engines", () => {
  let e: TestEmulator;
  beforeAll(async () => {
    e = await start({ engines: "auto" });
  });
  afterAll(() => e.emulator.close());

  test("the create answer's port is reserved at once and is where the engine then answers", async () => {
    const res = await e.api.post(`/v1/project/${P}/service`, { service_name: "eng", service_type: "valkey", plan: "startup-4" });
    expect(res.status).toBe(200);
    const created = res.data.service;
    const port = Number(created.service_uri_params.port);
    expect(port).toBeGreaterThan(0);
    expect(created.service_uri).toMatch(new RegExp(`@127\\.0\\.0\\.1:${port}$`));
    expect(created.components[0].port).toBe(port);
    const running = await waitFor("eng RUNNING", async () => {
      const s = (await e.api.get(`/v1/project/${P}/service/eng`)).data.service;
      return s.state === "RUNNING" ? s : undefined;
    });
    expect(running.service_uri).toBe(created.service_uri);
    // The engine itself answers on that port.
    await new Promise<void>((resolve, reject) => {
      const socket = net.connect(port, "127.0.0.1", () => {
        socket.end();
        resolve();
      });
      socket.on("error", reject);
    });
  });
});
