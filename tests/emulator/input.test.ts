// Hostile or odd input at the HTTP level: every answer is Aiven-shaped JSON with a 4xx status,
// nothing is created, and admin answers hold no secrets.
import * as net from "node:net";
import { aivenError, createReplica, createService, getService, primaryWithBackup, start, TestEmulator, waitFor } from "./helpers";

const P = "input-project";
let t: TestEmulator;

beforeAll(async () => {
  t = await start();
});
afterAll(() => t.emulator.close());
beforeEach(() => t.admin.post("/_emulator/reset"));

/** Sends a raw request line (no client library would send these) and returns status and body. */
function rawRequest(requestLine: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(t.emulator.port, "127.0.0.1", () => {
      socket.write(`${requestLine}\r\nHost: x\r\nAuthorization: aivenv1 tok\r\nConnection: close\r\n\r\n`);
    });
    let data = "";
    socket.on("data", (chunk: Buffer) => (data += chunk.toString()));
    socket.on("end", () => {
      const status = Number(/^HTTP\/1\.1 (\d+)/.exec(data)?.[1]);
      resolve({ status, body: data.slice(data.indexOf("\r\n\r\n") + 4) });
    });
    socket.on("error", reject);
  });
}

const PROJECT_RULE = "use 1-63 of letters, digits, '_' and '-'";

test.each([
  ["an empty project", "/v1/project//service", "'' is not a valid project name"],
  ["a project that climbs directories", "/v1/project/..%2F../service", "'../..' is not a valid project name"],
  ["a 200-character project", `/v1/project/${"p".repeat(200)}/service`, "is not a valid project name"],
  ["a project with a space", "/v1/project/my%20project/service", "'my project' is not a valid project name"],
])("%s is refused with Aiven's 400, and nothing is created", async (_what, url, message) => {
  const res = await t.api.post(url, { service_name: "x", service_type: "valkey", plan: "startup-4" });
  expect(res.status).toBe(400);
  expect(res.data.message).toContain(message);
  expect(res.data.message).toContain(PROJECT_RULE);
  expect(res.data).toEqual(aivenError(400, res.data.message));
  expect((await t.api.get(url)).status).toBe(400);
});

test("a project named __proto__ is an ordinary project: its services stay in it", async () => {
  expect((await createService(t.api, "__proto__", { service_name: "a", plan: "startup-4" })).status).toBe(200);
  expect((await t.api.get("/v1/project/__proto__/service")).data.services).toHaveLength(1);
  expect((await t.api.get(`/v1/project/${P}/service`)).data).toEqual({ services: [] });
  expect(({} as Record<string, unknown>).services).toBeUndefined();
});

test.each([
  ["GET //[ HTTP/1.1", 400],
  ["GET //[/v1/project HTTP/1.1", 400],
  ["GET * HTTP/1.1", 400],
  ["GET /v1/project/%E0%A4%A/service HTTP/1.1", 400],
])("the request line %j answers %i with Aiven's error body", async (line, status) => {
  const res = await rawRequest(line);
  expect(res.status).toBe(status);
  const body = JSON.parse(res.body) as { message: string };
  expect(body).toEqual(aivenError(status, body.message));
});

test("HEAD is answered as GET without a body; on an unknown route it is a 404", async () => {
  const ok = await t.api.head(`/v1/project/${P}/service`);
  expect(ok.status).toBe(200);
  expect(ok.headers["content-type"]).toMatch(/^application\/json/);
  expect(Number(ok.headers["content-length"])).toBe(Buffer.byteLength(JSON.stringify({ services: [] })));
  expect((await t.api.head("/v1/nowhere")).status).toBe(404);
});

test("the admin fail answer shows the service without its password or connection details", async () => {
  await primaryWithBackup(t.api, P, "prim");
  await createReplica(t.api, P, "rep", "prim");
  const secret = (await getService(t.api, P, "prim")).service_uri_params.password;
  const res = await t.admin.post(`/_emulator/projects/${P}/services/prim/fail`);
  expect(res.status).toBe(200);
  const text = JSON.stringify(res.data);
  expect(text).not.toContain(secret);
  expect(text).not.toMatch(/password|service_uri|connection_info/);
  expect(res.data.service).toMatchObject({ service_name: "prim", state: "POWEROFF", service_integrations: [] });
});

test("an idle keep-alive connection outlives Node clients' 5 s idle timeout: the client closes it, not the server", async () => {
  const socket = net.connect(t.emulator.port, "127.0.0.1");
  await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  let received = "";
  let closedByServer = false;
  socket.on("data", (chunk: Buffer) => (received += chunk.toString()));
  socket.on("end", () => (closedByServer = true));
  const request = `GET /v1/project/${P}/service HTTP/1.1\r\nHost: x\r\nAuthorization: aivenv1 tok\r\n\r\n`;
  const answers = (): number => received.split("HTTP/1.1 200").length - 1;
  try {
    socket.write(request);
    await waitFor("the first answer", async () => (answers() === 1 ? true : undefined));
    await new Promise((r) => setTimeout(r, 6_000));
    expect(closedByServer).toBe(false);
    socket.write(request);
    await waitFor("the second answer on the same connection", async () => (answers() === 2 ? true : undefined));
  } finally {
    socket.destroy();
  }
}, 30_000);
