// Drives the providers through Pulumi's real dynamic provider host over gRPC, serialized exactly as
// pulumi.dynamic.Resource serializes them: this is what proves they survive serialization into state.
import * as grpc from "@grpc/grpc-js";
import * as pulumi from "@pulumi/pulumi";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import { ChildProcess, spawn } from "child_process";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as path from "path";
import { rememberConfiguredToken } from "../../provider/credentials";
import { primaryReadinessProvider } from "../../provider/primaryReadiness";
import { replicaPromotionProvider } from "../../provider/replicaPromotion";
import { FakeAiven } from "./fakeAivenServer";
import { TOKEN } from "./secretWatch";

const ROOT = path.resolve(__dirname, "../..");
const fake = new FakeAiven();
let host: ChildProcess;
let client: provrpc.ResourceProviderClient;
let hostOutput = "";
const responses: string[] = [];
const serialized: Record<"promotion" | "readiness", string> = { promotion: "", readiness: "" };

type Props = Record<string, unknown>;
const PROMO_URN = "urn:pulumi:test::proj::pulumi-nodejs:dynamic/aiven-read-replicas:ReplicaPromotion::promo";
const READY_URN = "urn:pulumi:test::proj::pulumi-nodejs:dynamic/aiven-read-replicas:PrimaryReadiness::ready";

type Callback = (e: grpc.ServiceError | null, r: unknown) => void;

function unary<Res>(name: "configure" | "check" | "diff" | "create" | "read" | "delete", req: unknown): Promise<Res> {
  const method = (client as unknown as Record<string, (req: unknown, cb: Callback) => unknown>)[name];
  return new Promise((resolve, reject) =>
    method.call(client, req, (e: grpc.ServiceError | null, r: unknown) => {
      if (e) {
        responses.push(e.message);
        reject(e);
      } else {
        responses.push(JSON.stringify((r as unknown as { toObject(): unknown }).toObject()));
        resolve(r as Res);
      }
    }),
  );
}

const struct = (props: Props) => Struct.fromJavaScript(props as Parameters<typeof Struct.fromJavaScript>[0]);
const promoInputs = (): Props => ({
  project: "proj",
  primaryServiceName: "primary-1",
  replicaServiceName: "replica-1",
  apiUrl: fake.url,
  timeoutSeconds: 5,
  pollSeconds: 0.01,
  __provider: serialized.promotion,
});

/** The host's stdout may arrive after the gRPC answer. */
async function outputContaining(text: string): Promise<void> {
  for (let i = 0; i < 100 && !hostOutput.includes(text); i++) await new Promise((r) => setTimeout(r, 20));
  expect(hostOutput).toContain(text);
}

async function create(urn: string, props: Props): Promise<{ id: string; props: Props }> {
  const req = new provproto.CreateRequest().setUrn(urn).setProperties(struct(props));
  const res = await unary<provproto.CreateResponse>("create", req);
  return { id: res.getId(), props: res.getProperties()!.toJavaScript() as Props };
}

beforeAll(async () => {
  await fake.start();
  // Configure in this process first: the token must still not end up in the serialized text.
  await replicaPromotionProvider.configure!({ config: { get: () => TOKEN } as never });
  serialized.promotion = (await pulumi.runtime.serializeFunction(() => replicaPromotionProvider, { allowSecrets: true })).text;
  serialized.readiness = (await pulumi.runtime.serializeFunction(() => primaryReadinessProvider, { allowSecrets: true })).text;
  rememberConfiguredToken(undefined);

  const env = { ...process.env };
  delete env.AIVEN_TOKEN;
  delete env.AIVEN_WEB_URL;
  host = spawn(process.execPath, [path.join(ROOT, "node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js"), "127.0.0.1:1"], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  host.stderr!.on("data", (d: Buffer) => (hostOutput += d.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    host.once("exit", (code) => reject(new Error(`host exited with ${code}: ${hostOutput}`)));
    host.stdout!.on("data", (d: Buffer) => {
      const first = hostOutput === "" && /^\d+\s/.test(d.toString());
      hostOutput += d.toString();
      if (first) resolve(Number(d.toString().trim().split(/\s/)[0]));
    });
  });
  client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const configure = new provproto.ConfigureRequest().setArgs(struct({ "aiven:apiToken": TOKEN })).setAcceptsecrets(true);
  configure.getVariablesMap().set("aiven:config:apiToken", TOKEN);
  await unary<unknown>("configure", configure);
}, 30000);

afterAll(async () => {
  client?.close();
  if (host && host.exitCode === null) {
    const exited = new Promise((resolve) => host.once("exit", resolve));
    host.kill();
    await exited;
  }
  await fake.stop();
});

beforeEach(() => {
  fake.reset();
  fake.addService("primary-1", { backups: [{ backup_name: "b1", backup_time: "2025-01-01T00:00:00Z" }] });
  fake.addService("replica-1");
  fake.link("rr-1", "primary-1", "replica-1");
});

test("the serialized providers are small and hold no token", () => {
  for (const text of Object.values(serialized)) {
    expect(text).not.toContain(TOKEN);
    // Our own code is ~45 KB; a module captured by value instead of `require`d (axios, the SDK)
    // would add hundreds.
    expect(text.length).toBeLessThan(50_000);
    expect(text).toContain('require("axios');
  }
});

test("ReplicaPromotion: Check, Diff, Create, Read, Delete through the host", async () => {
  const check = await unary<provproto.CheckResponse>("check", new provproto.CheckRequest().setUrn(PROMO_URN).setOlds(struct({})).setNews(struct(promoInputs())));
  expect(check.getFailuresList()).toEqual([]);

  const badCheck = await unary<provproto.CheckResponse>(
    "check",
    new provproto.CheckRequest().setUrn(PROMO_URN).setOlds(struct({})).setNews(struct({ ...promoInputs(), project: "bad project" })),
  );
  expect(badCheck.getFailuresList().map((f) => [f.getProperty(), f.getReason()])).toEqual([
    ["project", "'bad project' is not a valid project name; use 1-63 of letters, digits, '_' and '-'"],
  ]);

  const created = await create(PROMO_URN, promoInputs());
  expect(created.id).toBe("proj/replica-1");
  expect(created.props).toMatchObject({ integrationId: "rr-1", promoted: true, replicaServiceName: "replica-1" });
  expect(fake.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
    "GET /v1/project/proj/service/replica-1/integration",
    "DELETE /v1/project/proj/integration/rr-1",
    "GET /v1/project/proj/service/replica-1",
    "GET /v1/project/proj/service/replica-1",
  ]);
  expect(new Set(fake.calls.map((c) => c.authorization))).toEqual(new Set([`aivenv1 ${TOKEN}`]));

  const diff = await unary<provproto.DiffResponse>(
    "diff",
    new provproto.DiffRequest().setId(created.id).setUrn(PROMO_URN).setOlds(struct(created.props)).setNews(struct({ ...promoInputs(), project: "proj2" })),
  );
  expect(diff.getReplacesList()).toEqual(["project"]);
  expect(diff.getChanges()).toBe(provproto.DiffResponse.DiffChanges.DIFF_SOME);

  const read = await unary<provproto.ReadResponse>("read", new provproto.ReadRequest().setId(created.id).setUrn(PROMO_URN).setProperties(struct(created.props)));
  expect(read.getId()).toBe("proj/replica-1");
  expect(read.getProperties()!.toJavaScript()).toMatchObject({ promoted: true, integrationId: "rr-1" });

  fake.calls.length = 0;
  await unary<unknown>("delete", new provproto.DeleteRequest().setId(created.id).setUrn(PROMO_URN).setProperties(struct(created.props)));
  expect(fake.calls).toEqual([]);
  await outputContaining("promotion cannot be undone; 'replica-1' stays a standalone primary");
  expect(hostOutput).toContain("promoting 'replica-1': deleting its read_replica integration rr-1 from 'primary-1'");
});

test("ReplicaPromotion of a replica of another primary fails through the host and deletes nothing", async () => {
  await expect(create(PROMO_URN, { ...promoInputs(), primaryServiceName: "primary-2" })).rejects.toThrow(
    "'replica-1' in project 'proj' is a read replica of 'primary-1', not of 'primary-2'; nothing was changed",
  );
  expect(fake.callsTo("DELETE")).toEqual([]);
});

test("PrimaryReadiness through the host, with the token passed as an input", async () => {
  const inputs: Props = {
    project: "proj",
    serviceName: "primary-1",
    serviceType: "valkey",
    replicasToAdd: 2,
    requireBackup: true,
    apiUrl: fake.url,
    apiToken: TOKEN,
    pollSeconds: 0.01,
    __provider: serialized.readiness,
  };
  // Retries work once serialized too (default backoff there: about a second).
  fake.script("GET", "/v1/project/proj/service/primary-1", { status: 503, body: { message: "Service unavailable" } });
  const created = await create(READY_URN, inputs);
  expect(fake.calls).toHaveLength(2);
  expect(created).toEqual({
    id: "proj/primary-1",
    props: { ...inputs, apiToken: undefined, state: "RUNNING", backupCount: 1, liveReplicas: 1 },
  });
  expect(created.props).not.toHaveProperty("apiToken");
  await expect(create(READY_URN, { ...inputs, replicasToAdd: 5 })).rejects.toThrow(
    "primary 'primary-1' has 1 live read replica(s) ('replica-1'); creating 5 more would make 6, over Aiven's limit of 5 per primary",
  );
});

test.each([
  ["an AivenApiError", () => fake.script("GET", "/v1/project/proj/service/primary-1", { status: 403, body: { message: "Invalid token" } }), {},
    "GET /v1/project/proj/service/primary-1: 403 Invalid token"],
  ["a WaitTimeoutError", () => (fake.services.get("primary-1")!.state = "REBUILDING"), { timeoutSeconds: 0.05 },
    "timed out after 0.05s waiting for primary 'primary-1' to be RUNNING with a first backup (last state: REBUILDING, backups: 1)"],
])("%s raised inside the serialized provider keeps its message through the host", async (_name, setup, patch, message) => {
  setup();
  const inputs: Props = {
    project: "proj",
    serviceName: "primary-1",
    serviceType: "valkey",
    replicasToAdd: 1,
    requireBackup: true,
    apiUrl: fake.url,
    apiToken: TOKEN,
    pollSeconds: 0.01,
    __provider: serialized.readiness,
    ...patch,
  };
  await expect(create(READY_URN, inputs)).rejects.toThrow(message);
});

test("the token appears in no response and no host output", () => {
  expect(responses.length).toBeGreaterThan(5);
  expect(responses.filter((r) => r.includes(TOKEN))).toEqual([]);
  expect(hostOutput).not.toContain(TOKEN);
});
