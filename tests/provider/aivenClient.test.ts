import * as diagnostics from "diagnostics_channel";
import * as util from "util";
import { AivenApiError, AivenClient, AivenClientOptions, USER_AGENT, apiPath } from "../../provider/aivenClient";
import { MISSING_TOKEN_MESSAGE, rememberConfiguredToken, resolveApiUrl, resolveToken } from "../../provider/credentials";
import { FakeAiven, Scripted } from "./fakeAivenServer";
import { SecretWatch, TOKEN, recorded } from "./secretWatch";

const fake = new FakeAiven();
const watch = new SecretWatch();
const SERVICE_PATH = "/v1/project/proj/service/svc";
const OK: Scripted = { status: 200, body: { service: { service_name: "svc", service_type: "valkey", state: "RUNNING" } } };
const aivenError = (status: number, message: string, extra: Record<string, unknown> = {}): Scripted => ({
  status,
  body: { message, errors: [{ message, status, ...extra }] },
});

function client(options: Partial<AivenClientOptions> = {}): AivenClient {
  return new AivenClient({ token: TOKEN, apiUrl: fake.url, baseDelayMs: 1, maxDelayMs: 5, timeoutMs: 500, ...options });
}

async function failure(promise: Promise<unknown>): Promise<AivenApiError> {
  try {
    await recorded(watch, () => promise);
  } catch (e) {
    return e as AivenApiError;
  }
  throw new Error("expected a failure");
}

beforeAll(async () => {
  watch.start();
  await fake.start();
});
afterAll(async () => {
  await fake.stop();
  watch.stop();
  expect(watch.leaks()).toEqual({ leaks: 0, checked: expect.any(Number) });
});
beforeEach(() => {
  fake.reset();
  fake.addService("svc");
});

describe("retries: GET until success", () => {
  test.each<[string, Scripted[], number]>([
    ["500, 502, 503, then 200", [aivenError(500, "boom"), aivenError(502, "bad gateway"), aivenError(503, "unavailable"), OK], 4],
    ["408 then 200", [aivenError(408, "Request timeout"), OK], 2],
    ["429 without a hint then 200", [aivenError(429, "Too many requests"), OK], 2],
    ["connection reset then 200", [{ reset: true }, OK], 2],
    ["a hung response past the timeout, then 200", [{ hang: true }, OK], 2],
  ])("%s", async (_name, responses, calls) => {
    fake.script("GET", SERVICE_PATH, ...responses);
    const service = await recorded(watch, () => client({ timeoutMs: 100 }).getService("proj", "svc"));
    expect(service.service_name).toBe("svc");
    expect(fake.calls).toHaveLength(calls);
  });
});

describe("connections", () => {
  // Node.js's default agents time a socket out after 5 s, counted from before it connects.
  const BUSY_MS = 5_500;

  test("a request survives an event loop busy for longer than 5 s while its connection opens", async () => {
    let blocked = false;
    // Once the socket is connecting (after the code that opened it), before its connection is seen.
    const blockOnce = () => {
      if (blocked) return;
      blocked = true;
      process.nextTick(() => {
        const until = Date.now() + BUSY_MS;
        while (Date.now() < until); // what a module load of many seconds does to the loop
      });
    };
    diagnostics.subscribe("net.client.socket", blockOnce);
    try {
      const service = await client({ maxAttempts: 1, timeoutMs: 60_000 }).getService("proj", "svc");
      expect(blocked).toBe(true);
      expect(service.service_name).toBe("svc");
    } finally {
      diagnostics.unsubscribe("net.client.socket", blockOnce);
    }
  }, 30_000);

  test("back-to-back calls share one keep-alive connection", async () => {
    const c = client();
    await c.getService("proj", "svc");
    await c.listServices("proj");
    await c.getService("proj", "svc");
    expect(fake.calls).toHaveLength(3);
    expect(new Set(fake.clientPorts).size).toBe(1);
  });

  test("a connection idle for 4 s is closed by the client, before a server's 5 s keep-alive timeout, and a POST after it goes on a new one", async () => {
    const c = client();
    await c.getService("proj", "svc");
    await new Promise((resolve) => setTimeout(resolve, 4_500));
    await c.createService("proj", { service_name: "after-idle", service_type: "valkey", plan: "startup-4" });
    expect(fake.calls.map((call) => call.method)).toEqual(["GET", "POST"]);
    expect(fake.clientPorts[0]).not.toBe(fake.clientPorts[1]);
  }, 30_000);
});

describe("the wait a server asks for", () => {
  test.each<[string, Scripted]>([
    ["Retry-After: 1", { status: 429, body: { message: "Too many requests" }, headers: { "Retry-After": "1" } }],
    ["\"try again in 1s\" in the message", aivenError(429, "Rate limit exceeded, try again in 1s")],
  ])("%s is honoured", async (_name, first) => {
    fake.script("GET", SERVICE_PATH, first, OK);
    const started = Date.now();
    await recorded(watch, () => client().getService("proj", "svc"));
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(fake.calls).toHaveLength(2);
  });

  test("a wait beyond maxElapsedMs fails at once with the 429", async () => {
    fake.script("GET", SERVICE_PATH, aivenError(429, "Rate limit exceeded, try again in 28s"));
    const e = await failure(client({ maxElapsedMs: 1000 }).getService("proj", "svc"));
    expect(e.message).toBe("GET /v1/project/proj/service/svc: 429 Rate limit exceeded, try again in 28s");
    expect(fake.calls).toHaveLength(1);
  });
});

describe("errors", () => {
  test.each<[string, Scripted[], Partial<AivenClientOptions>, Record<string, unknown>, number]>([
    [
      "403 is not retried",
      [aivenError(403, "Invalid token", { error_code: "authentication_failed" })],
      {},
      { status: 403, errorCode: "authentication_failed", message: "GET /v1/project/proj/service/svc: 403 Invalid token" },
      1,
    ],
    ["404 is not retried", [aivenError(404, "Service not found")], {}, { status: 404, message: "GET /v1/project/proj/service/svc: 404 Service not found" }, 1],
    [
      "503 until the attempts run out",
      Array(6).fill(aivenError(503, "Service temporarily unavailable")),
      {},
      { status: 503, attempts: 6, message: "GET /v1/project/proj/service/svc: 503 Service temporarily unavailable (after 6 attempts)" },
      6,
    ],
    [
      "maxAttempts bounds the calls",
      Array(3).fill(aivenError(500, "Internal error")),
      { maxAttempts: 3 },
      { status: 500, message: "GET /v1/project/proj/service/svc: 500 Internal error (after 3 attempts)" },
      3,
    ],
    [
      "connection resets until the attempts run out",
      Array(2).fill({ reset: true }),
      { maxAttempts: 2 },
      { status: 0, message: "GET /v1/project/proj/service/svc: network error ECONNRESET: socket hang up (after 2 attempts)" },
      2,
    ],
    [
      "hung responses until the attempts run out",
      [{ hang: true }, { hang: true }],
      { maxAttempts: 2, timeoutMs: 100 },
      { status: 0, message: "GET /v1/project/proj/service/svc: no response within 100ms (timed out) (after 2 attempts)" },
      2,
    ],
    [
      "errors[] that is an object, not an array",
      [{ status: 400, body: { errors: { message: "Invalid input", error_code: "bad_input" } } }],
      {},
      { status: 400, errorCode: "bad_input", message: "GET /v1/project/proj/service/svc: 400 Invalid input" },
      1,
    ],
    ["errors[] that is a string", [{ status: 400, body: { errors: "Plain error text" } }], {}, { message: "GET /v1/project/proj/service/svc: 400 Plain error text" }, 1],
    [
      "no message, errors[] with a code",
      [{ status: 409, body: { errors: [null, { message: "Conflict here", error_code: "conflict" }] } }],
      {},
      { errorCode: "conflict", message: "GET /v1/project/proj/service/svc: 409 Conflict here" },
      1,
    ],
    ["a plain-text body", [{ status: 400, raw: "something went wrong" }], {}, { message: "GET /v1/project/proj/service/svc: 400 something went wrong" }, 1],
    ["an HTML body", [{ status: 401, raw: "<html><body>nope</body></html>" }], {}, { message: "GET /v1/project/proj/service/svc: 401 Unauthorized" }, 1],
    ["an empty body", [{ status: 418 }], {}, { message: "GET /v1/project/proj/service/svc: 418 I'm a Teapot" }, 1],
    ["a JSON body that is not an object", [{ status: 400, body: 42 }], {}, { message: "GET /v1/project/proj/service/svc: 400 Bad Request" }, 1],
    ["200 without the service wrapper", [{ status: 200, body: { services: [] } }], {}, { status: 200, message: 'GET /v1/project/proj/service/svc: 200 unexpected response: no "service" object' }, 1],
    ["417 on GET is not retried", [aivenError(417, "Expectation failed")], {}, { status: 417 }, 1],
  ])("%s", async (_name, responses, options, expected, calls) => {
    fake.script("GET", SERVICE_PATH, ...responses);
    const e = await failure(client(options).getService("proj", "svc"));
    expect(e).toBeInstanceOf(AivenApiError);
    expect(e).toMatchObject({ name: "AivenApiError", method: "GET", path: SERVICE_PATH, ...expected });
    // A request the client gave up on may reach the fake (in this same busy process) a little later.
    for (let i = 0; i < 50 && fake.calls.length < calls; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(fake.calls).toHaveLength(calls);
  });

  test("a refused connection is a status-0 error", async () => {
    const e = await failure(
      new AivenClient({ token: TOKEN, apiUrl: "http://127.0.0.1:1", maxAttempts: 2, baseDelayMs: 1 }).getService("proj", "svc"),
    );
    expect(e.status).toBe(0);
    expect(e.message).toMatch(/^GET \/v1\/project\/proj\/service\/svc: network error ECONNREFUSED: .* \(after 2 attempts\)$/);
  });

  test("the error holds no request, config or headers, and shows no token", async () => {
    fake.script("GET", SERVICE_PATH, { status: 403, body: { message: `Invalid token ${TOKEN}` } });
    const e = await failure(client().getService("proj", "svc"));
    expect(e.message).toBe("GET /v1/project/proj/service/svc: 403 Invalid token [redacted]");
    expect(Object.keys(e).sort()).toEqual(["apiMessage", "attempts", "method", "name", "path", "status"]);
    expect(JSON.stringify(e)).not.toContain(TOKEN);
    expect(util.inspect(e, { showHidden: true, depth: 10 })).not.toContain(TOKEN);
  });

  test("the client itself does not show its token", () => {
    const c = client();
    expect(JSON.stringify(c)).toBe(JSON.stringify({ apiUrl: fake.url }));
    expect(util.inspect(c, { depth: 10 })).not.toContain(TOKEN);
  });
});

describe("requests", () => {
  test("auth, user agent, JSON and encoded path segments", async () => {
    fake.addService("a b/c");
    await client().getService("my proj", "a b/c").catch(() => undefined);
    expect(fake.calls).toEqual([
      { method: "GET", path: "/v1/project/my%20proj/service/a%20b%2Fc", authorization: `aivenv1 ${TOKEN}`, userAgent: USER_AGENT },
    ]);
    expect(USER_AGENT).toBe(`pulumi-aiven-read-replicas/${(require("../../package.json") as { version: string }).version}`);
  });

  test("list, create, update and delete use Aiven's wrappers", async () => {
    const c = client();
    expect((await c.listServices("proj")).map((s) => s.service_name)).toEqual(["svc"]);
    const created = await c.createService("proj", { service_name: "new", service_type: "valkey", plan: "startup-4" });
    expect(created).toMatchObject({ service_name: "new", state: "REBUILDING" });
    expect((await c.updateService("proj", "new", { plan: "startup-8" })).plan).toBe("startup-8");
    expect(await c.deleteService("proj", "new")).toBe(true);
    expect(await c.deleteService("proj", "new")).toBe(false);
    expect(fake.calls.map((x) => `${x.method} ${x.path}`)).toEqual([
      "GET /v1/project/proj/service",
      "POST /v1/project/proj/service",
      "PUT /v1/project/proj/service/new",
      "DELETE /v1/project/proj/service/new",
      "DELETE /v1/project/proj/service/new",
    ]);
    expect(JSON.parse(fake.calls[1].body ?? "")).toEqual({ service_name: "new", service_type: "valkey", plan: "startup-4" });
  });

  test.each<[string, Scripted[], boolean | undefined, number]>([
    ["200: deleted", [{ status: 200, body: { message: "deleted" } }], true, 1],
    ["404: already gone", [aivenError(404, "Service integration not found")], false, 1],
    ["503 then 404: gone, but whether the first attempt deleted it is unknown", [aivenError(503, "unavailable"), aivenError(404, "not found")], undefined, 2],
    ["reset then 404: gone, unknown by whom", [{ reset: true }, aivenError(404, "not found")], undefined, 2],
    ["417 then 200: retried on DELETE", [aivenError(417, "Service is being modified"), { status: 200, body: {} }], true, 2],
    ["reset then 204", [{ reset: true }, { status: 204 }], true, 2],
  ])("deleteIntegration, %s", async (_name, responses, deleted, calls) => {
    fake.script("DELETE", "/v1/project/proj/integration/i-1", ...responses);
    expect(await client().deleteIntegration("proj", "i-1")).toBe(deleted);
    expect(fake.calls).toHaveLength(calls);
  });

  test("deleteService of a service that never existed, after a 503: gone, not claimed as deleted by this call", async () => {
    fake.script("DELETE", "/v1/project/proj/service/never", aivenError(503, "unavailable"));
    expect(await client().deleteService("proj", "never")).toBeUndefined();
    expect(fake.callsTo("DELETE").map((call) => call.path)).toEqual(["/v1/project/proj/service/never", "/v1/project/proj/service/never"]);
  });

  test.each<[string, Scripted[], number, number]>([
    ["500 is not retried", [aivenError(500, "boom")], 500, 1],
    ["a reset is not retried", [{ reset: true }], 0, 1],
    ["429 is retried", [aivenError(429, "Too many requests"), aivenError(400, "Plan not available")], 400, 2],
  ])("POST (not idempotent): %s", async (_name, responses, status, calls) => {
    fake.script("POST", "/v1/project/proj/service", ...responses);
    const e = await failure(client().createService("proj", { service_name: "x", service_type: "valkey", plan: "startup-4" }));
    expect(e.status).toBe(status);
    expect(fake.calls).toHaveLength(calls);
  });

  test("a token is required", () => {
    expect(() => new AivenClient({ token: "" })).toThrow("AivenClient: an API token is required");
  });
});

describe("resolveApiUrl and resolveToken", () => {
  const saved = { url: process.env.AIVEN_WEB_URL, token: process.env.AIVEN_TOKEN };
  afterEach(() => {
    process.env.AIVEN_WEB_URL = saved.url;
    process.env.AIVEN_TOKEN = saved.token;
    if (saved.url === undefined) delete process.env.AIVEN_WEB_URL;
    if (saved.token === undefined) delete process.env.AIVEN_TOKEN;
    rememberConfiguredToken(undefined);
  });

  test.each<[string | undefined, string | undefined, string]>([
    [undefined, undefined, "https://api.aiven.io"],
    [undefined, "http://localhost:8080/", "http://localhost:8080"],
    ["https://example.test//", "http://ignored", "https://example.test"],
    ["https://example.test/v1", undefined, "https://example.test"],
    ["  ", "http://env.test", "http://env.test"],
  ])("input %p, AIVEN_WEB_URL %p -> %p", (input, env, expected) => {
    if (env === undefined) delete process.env.AIVEN_WEB_URL;
    else process.env.AIVEN_WEB_URL = env;
    expect(resolveApiUrl(input)).toBe(expected);
  });

  test.each<[string | undefined, string | undefined, string | undefined, string]>([
    ["input", "config", "env", "input"],
    [undefined, "config", "env", "config"],
    [undefined, undefined, "env", "env"],
    ["", " ", "env", "env"],
  ])("input %p, config %p, AIVEN_TOKEN %p -> %p", (input, config, env, expected) => {
    rememberConfiguredToken(config);
    process.env.AIVEN_TOKEN = env;
    expect(resolveToken(input)).toBe(expected);
  });

  test("no token anywhere names all three sources", () => {
    delete process.env.AIVEN_TOKEN;
    expect(() => resolveToken(undefined)).toThrow(MISSING_TOKEN_MESSAGE);
    expect(MISSING_TOKEN_MESSAGE).toMatch(/apiToken.*aiven:apiToken.*AIVEN_TOKEN/);
  });
});

describe("path arguments that would change the URL are refused before any request", () => {
  type Call = (c: AivenClient, bad: string) => Promise<unknown>;
  const calls: [string, string, Call][] = [
    ["getService", "project", (c, bad) => c.getService(bad, "svc")],
    ["getService", "service", (c, bad) => c.getService("proj", bad)],
    ["listServices", "project", (c, bad) => c.listServices(bad)],
    ["listServiceIntegrations", "project", (c, bad) => c.listServiceIntegrations(bad, "svc")],
    ["listServiceIntegrations", "service", (c, bad) => c.listServiceIntegrations("proj", bad)],
    ["deleteIntegration", "project", (c, bad) => c.deleteIntegration(bad, "i-1")],
    ["deleteIntegration", "integrationId", (c, bad) => c.deleteIntegration("proj", bad)],
    ["createService", "project", (c, bad) => c.createService(bad, { service_name: "x", service_type: "valkey", plan: "startup-4" })],
    ["updateService", "project", (c, bad) => c.updateService(bad, "svc", { plan: "startup-8" })],
    ["updateService", "service", (c, bad) => c.updateService("proj", bad, { plan: "startup-8" })],
    ["deleteService", "project", (c, bad) => c.deleteService(bad, "svc")],
    ["deleteService", "service", (c, bad) => c.deleteService("proj", bad)],
  ];
  const cases = calls.flatMap(([method, argument, call]) => ["..", ".", ""].map((bad) => [method, argument, bad, call] as const));

  test.each(cases)("%s with %s %p", async (method, argument, bad, call) => {
    await expect(call(client(), bad)).rejects.toThrow(
      `AivenClient.${method}: ${argument} '${bad}' would change the request's URL path (an empty, '.' or '..' segment); nothing was sent`,
    );
    expect(fake.calls).toEqual([]);
  });

  test("a name that is not a string is refused too (a JavaScript caller can pass anything)", async () => {
    await expect(client().deleteService("proj", undefined as unknown as string)).rejects.toThrow(
      "AivenClient.deleteService: service nothing is not a string; nothing was sent",
    );
    expect(fake.calls).toEqual([]);
  });

  test("names that only contain dots or encode to dots are sent, encoded", async () => {
    fake.addService("...");
    fake.addService("%2e%2e");
    await client().getService("proj", "...");
    await client().getService("proj", "%2e%2e");
    expect(fake.calls.map((call) => call.path)).toEqual(["/v1/project/proj/service/...", "/v1/project/proj/service/%252e%252e"]);
  });

  test("apiPath itself refuses such a segment", () => {
    expect(() => apiPath(["project", "p", "service", ".."])).toThrow("'..' would change the request's URL path");
  });
});
