import axios from "axios";
import { aivenError, createReplica, createService, getService, primaryWithBackup, start, TestEmulator, waitFor } from "./helpers";

const P = "proj";
let t: TestEmulator;

beforeAll(async () => {
  t = await start();
});
afterAll(() => t.emulator.close());
beforeEach(async () => {
  await t.admin.post("/_emulator/reset");
});

const path = `/v1/project/${P}/service`;

describe("faults", () => {
  test("status + count: the next N matching requests fail, then the API answers normally", async () => {
    await t.admin.post("/_emulator/faults", { method: "GET", path, status: 503, count: 2, message: "Service Unavailable" });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await t.api.get(path)).status);
    expect(statuses).toEqual([503, 503, 200]);
    const other = await t.api.get(`/v1/project/other/service`);
    expect(other.status).toBe(200);
  });

  test.each([
    [429, 28, undefined, "Rate limit exceeded, try again in 28s"],
    [500, undefined, undefined, "Internal server error"],
    [409, undefined, "busy, try again in 3s", "busy, try again in 3s"],
  ])("status %i with retryAfter %p answers an Aiven-shaped body", async (status, retryAfter, message, expected) => {
    await t.admin.post("/_emulator/faults", { method: "get", path, status, retryAfter, message });
    const res = await t.api.get(path);
    expect(res.status).toBe(status);
    expect(res.data).toEqual(aivenError(status, expected));
    expect(res.headers["retry-after"]).toBe(retryAfter === undefined ? undefined : String(retryAfter));
  });

  test("delayMs holds the response, then the request is served", async () => {
    await t.admin.post("/_emulator/faults", { method: "GET", path, delayMs: 300 });
    const started = Date.now();
    const res = await t.api.get(path);
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  test("delayMs longer than the client's timeout makes the client time out", async () => {
    await t.admin.post("/_emulator/faults", { method: "GET", path, delayMs: 2_000 });
    await expect(t.api.get(path, { timeout: 100 })).rejects.toMatchObject({ code: "ECONNABORTED" });
  });

  test("reset destroys the connection", async () => {
    await t.admin.post("/_emulator/faults", { method: "POST", path, reset: true });
    const err = await t.api.post(path, { service_name: "x", plan: "business-4", service_type: "valkey" }).catch((e: unknown) => e);
    expect(axios.isAxiosError(err)).toBe(true);
    expect((err as { code?: string }).code).toBe("ECONNRESET");
    // The faulted create never reached the store.
    expect((await t.api.get(path)).data).toEqual({ services: [] });
  });

  test("faults come before auth, and DELETE /_emulator/faults clears them", async () => {
    await t.admin.post("/_emulator/faults", { method: "GET", path, status: 502, count: 5 });
    const unauthenticated = await t.admin.get(path);
    expect(unauthenticated.status).toBe(502);
    expect((await t.admin.delete("/_emulator/faults")).data).toEqual({ faults: [] });
    expect((await t.api.get(path)).status).toBe(200);
  });

  test.each([
    [{ path }, "fault.method and fault.path are required"],
    [{ method: "GET", path }, "fault needs at least one of status, delayMs or reset"],
    [{ method: "GET", path, status: 42 }, "fault.status must be an integer >= 100"],
    [{ method: "GET", path, status: 500, count: 0 }, "fault.count must be an integer >= 1"],
  ])("an invalid fault %p is refused", async (fault, message) => {
    const res = await t.admin.post("/_emulator/faults", fault);
    expect([res.status, res.data]).toEqual([400, aivenError(400, message)]);
  });
});

test("the request log lists API requests in order with their statuses, faulted ones included", async () => {
  await t.admin.post("/_emulator/faults", { method: "GET", path, status: 500 });
  await t.api.get(path);
  await createService(t.api, P, { service_name: "a", plan: "business-4" });
  await t.api.get(`${path}/nope`);
  await axios.get(`${t.emulator.url}${path}`, { validateStatus: () => true });
  const res = await t.admin.get("/_emulator/requests");
  expect(res.data).toEqual({
    requests: [
      { method: "GET", path, status: 500 },
      { method: "POST", path, status: 200 },
      { method: "GET", path: `${path}/nope`, status: 404 },
      { method: "GET", path, status: 403 },
    ],
  });
});

test("fail: the primary powers off and its replicas are promoted", async () => {
  // promoteMs 10 s: the promoted replicas are certainly still REBUILDING on the GETs below.
  const s = await start({ promoteMs: 10_000 });
  try {
    await primaryWithBackup(s.api, P, "prim");
    await createReplica(s.api, P, "r1", "prim");
    await createReplica(s.api, P, "r2", "prim");
    const res = await s.admin.post(`/_emulator/projects/${P}/services/prim/fail`);
    expect(res.status).toBe(200);
    expect((res.data as { service: { state: string; service_integrations: unknown[] } }).service).toMatchObject({
      state: "POWEROFF",
      service_integrations: [],
    });
    for (const name of ["r1", "r2"]) {
      const replica = await getService(s.api, P, name);
      expect([replica.state, replica.service_integrations]).toEqual(["REBUILDING", []]);
    }
    const missing = await s.admin.post(`/_emulator/projects/${P}/services/ghost/fail`);
    expect([missing.status, missing.data]).toEqual([404, aivenError(404, "Service not found", "service_not_found")]);
  } finally {
    await s.emulator.close();
  }
});

test("fail: the promoted replicas end RUNNING", async () => {
  await primaryWithBackup(t.api, P, "prim");
  await createReplica(t.api, P, "r1", "prim");
  expect((await t.admin.post(`/_emulator/projects/${P}/services/prim/fail`)).status).toBe(200);
  const r1 = await waitFor("r1 RUNNING", async () => {
    const r = await getService(t.api, P, "r1");
    return r.state === "RUNNING" ? r : undefined;
  });
  expect(r1.service_integrations).toEqual([]);
});

test("reset clears services, faults and the request log", async () => {
  await createService(t.api, P, { service_name: "a", plan: "business-4" });
  await t.admin.post("/_emulator/faults", { method: "GET", path, status: 500 });
  expect((await t.admin.post("/_emulator/reset")).data).toEqual({ message: "Emulator reset" });
  expect((await t.admin.get("/_emulator/faults")).data).toEqual({ faults: [] });
  expect((await t.admin.get("/_emulator/requests")).data).toEqual({ requests: [] });
  expect((await t.api.get(path)).data).toEqual({ services: [] });
});
