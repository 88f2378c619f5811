import axios from "axios";
import { runCli } from "../../cli";
import { Emulator, startEmulator } from "../../emulator";
import { AivenClient } from "../../provider/aivenClient";
import type { AivenService } from "../../provider/aivenTypes";
import { until } from "../replication/topology";
import { keepAliveAgents } from "../../provider/keepAliveAgents";

const TOKEN = "promote-cli-token-3d9e";
const P = "proj";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let emulator: Emulator;
let client: AivenClient;
const printed: string[] = [];

async function cli(argv: string[], env: Record<string, string | undefined> = { AIVEN_TOKEN: TOKEN, AIVEN_WEB_URL: emulator.url }): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env });
  printed.push(stdout, stderr);
  return { code, stdout, stderr };
}

const promote = (primary: string, replica: string, ...rest: string[]) =>
  cli(["promote", "--project", P, "--primary", primary, "--replica", replica, "--poll", "0.02", ...rest]);

const admin = () => axios.create({ baseURL: emulator.url, timeout: 60_000, ...keepAliveAgents() });

/** `METHOD path` of every API request since the last call. */
async function requestsSince(): Promise<string[]> {
  const res = await admin().get<{ requests: Array<{ method: string; path: string }> }>("/_emulator/requests");
  await admin().delete("/_emulator/requests");
  return res.data.requests.filter((r) => !r.path.startsWith("/_emulator")).map((r) => `${r.method} ${r.path}`);
}

function service(name: string): Promise<AivenService> {
  return client.getService(P, name);
}

const links = (s: AivenService) =>
  (s.service_integrations ?? []).filter((i) => i.integration_type === "read_replica").map((i) => `${i.source_service}->${i.dest_service}`);

async function createPrimary(name: string): Promise<void> {
  await client.createService(P, { service_name: name, service_type: "valkey", plan: "business-4", cloud: "google-europe-west1" });
  await until(`${name} to have a backup`, async () => ((await service(name)).backups?.length ? true : undefined), 60_000);
}

async function createReplica(name: string, primary: string): Promise<void> {
  await client.createService(P, {
    service_name: name,
    service_type: "valkey",
    plan: "startup-4",
    service_integrations: [{ integration_type: "read_replica", source_service: primary }],
  });
  await until(`${name} to run`, async () => ((await service(name)).state === "RUNNING" ? true : undefined), 60_000);
}

beforeAll(async () => {
  emulator = await startEmulator({ engines: "none", token: TOKEN, buildMs: 20, backupMs: 20, promoteMs: 300 });
  client = new AivenClient({ token: TOKEN, apiUrl: emulator.url, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 60_000 });
  await createPrimary("pa");
  await createPrimary("pb");
  await createReplica("ra1", "pa");
  await createReplica("ra2", "pa");
  await createReplica("rb1", "pb");
  await requestsSince();
}, 120_000);
afterAll(() => emulator.close());

test("promotes a replica: deletes exactly its read_replica integration, waits until it runs standalone, exit 0", async () => {
  const id = (await client.listServiceIntegrations(P, "ra1")).find((i) => i.integration_type === "read_replica")!.service_integration_id;
  await requestsSince();

  const run = await promote("pa", "ra1");

  expect(run.code).toBe(0);
  expect(run.stdout).toBe(`'ra1' promoted: read_replica integration ${id} from 'pa' deleted; it runs standalone (RUNNING)\n`);
  expect(run.stderr).toContain(`promoting 'ra1': deleting its read_replica integration ${id} from 'pa'\n`);
  expect((await requestsSince()).filter((r) => !r.startsWith("GET "))).toEqual([`DELETE /v1/project/${P}/integration/${id}`]);
  const ra1 = await service("ra1");
  expect([ra1.state, links(ra1)]).toEqual(["RUNNING", []]);
  // The other replica of the same primary is untouched.
  expect(links(await service("ra2"))).toEqual(["pa->ra2"]);
});

test("is idempotent: an already standalone replica deletes nothing, exit 0", async () => {
  const run = await promote("pa", "ra1");
  expect(run).toEqual({
    code: 0,
    stdout: "'ra1' was already a standalone service: nothing deleted; it runs standalone (RUNNING)\n",
    stderr: "'ra1' has no read_replica integration: already a standalone service\n",
  });
  expect((await requestsSince()).filter((r) => !r.startsWith("GET "))).toEqual([]);
});

test("refuses a replica of another primary and changes nothing, exit 1", async () => {
  const run = await promote("pa", "rb1");
  expect(run).toEqual({
    code: 1,
    stdout: "",
    stderr: `error: 'rb1' in project '${P}' is a read replica of 'pb', not of 'pa'; nothing was changed\n`,
  });
  expect((await requestsSince()).filter((r) => !r.startsWith("GET "))).toEqual([]);
  expect(links(await service("rb1"))).toEqual(["pb->rb1"]);
});

test("--no-wait returns right after the delete, while the replica still rebuilds", async () => {
  const run = await promote("pa", "ra2", "--no-wait");
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/^'ra2' promoted: read_replica integration \S+ from 'pa' deleted; not waiting for it to run standalone \(--no-wait\)\n$/);
  expect(run.stderr).not.toContain("waiting for");
  expect(links(await service("ra2"))).toEqual([]);
  await until("ra2 to run", async () => ((await service("ra2")).state === "RUNNING" ? true : undefined), 60_000);
});

test("a 503 on the delete is retried and the promotion completes", async () => {
  await createReplica("rb2", "pb");
  const id = (await client.listServiceIntegrations(P, "rb2")).find((i) => i.integration_type === "read_replica")!.service_integration_id;
  await admin().post("/_emulator/faults", { method: "DELETE", path: `/v1/project/${P}/integration/${id}`, status: 503, count: 1 });
  await requestsSince();

  const run = await promote("pb", "rb2");

  expect(run.code).toBe(0);
  const deletes = (await requestsSince()).filter((r) => r.startsWith("DELETE "));
  expect(deletes).toEqual([`DELETE /v1/project/${P}/integration/${id}`, `DELETE /v1/project/${P}/integration/${id}`]);
  expect(links(await service("rb2"))).toEqual([]);
});

test("a delete answered 404 is reported as gone, not as deleted by this call", async () => {
  await createReplica("rb3", "pb");
  const id = (await client.listServiceIntegrations(P, "rb3")).find((i) => i.integration_type === "read_replica")!.service_integration_id;
  // Aiven answers 404 at once, as it does when someone else removed the integration first.
  await admin().post("/_emulator/faults", { method: "DELETE", path: `/v1/project/${P}/integration/${id}`, status: 404, count: 1, message: "Not found" });

  const run = await promote("pb", "rb3", "--no-wait");

  expect(run.code).toBe(0);
  expect(run.stdout).toBe(
    `'rb3' promoted: read_replica integration ${id} from 'pb' is gone (the delete met 404: removed by someone else, ` +
      "or by an attempt of this call that got no answer); not waiting for it to run standalone (--no-wait)\n",
  );
  expect((await requestsSince()).filter((r) => r.startsWith("DELETE "))).toEqual([`DELETE /v1/project/${P}/integration/${id}`]);
});

test.each<[string, string[], Record<string, string | undefined> | undefined, string]>([
  ["an unknown replica", ["--primary", "pa", "--replica", "nope"], undefined, `error: project '${P}' has no service 'nope' to promote (`],
  ["the primary named as the replica", ["--primary", "pa", "--replica", "pa"], undefined, "error: --replica: 'pa' is the primary itself; name a replica of it\n"],
  ["no token", ["--primary", "pa", "--replica", "ra2"], {}, "error: no Aiven API token: set the AIVEN_TOKEN environment variable"],
])("%s: exit 2, nothing deleted", async (_what, args, env, stderr) => {
  const run = await cli(["promote", "--project", P, ...args], env ?? { AIVEN_TOKEN: TOKEN, AIVEN_WEB_URL: emulator.url });
  expect(run.code).toBe(2);
  expect(run.stdout).toBe("");
  expect(run.stderr.startsWith(stderr)).toBe(true);
  expect((await requestsSince()).filter((r) => r.startsWith("DELETE "))).toEqual([]);
});

test("nothing printed holds the token", () => {
  expect(printed.join("")).not.toContain(TOKEN);
});
