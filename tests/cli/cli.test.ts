import axios from "axios";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Emulator, startEmulator } from "../../emulator";
import { runCli } from "../../cli";
import { STATUS_COLUMNS } from "../../cli/commands/status";
import { replicaPromotionProvider } from "../../provider/replicaPromotion";
import { rememberConfiguredToken } from "../../provider/credentials";
import { captureProgress } from "../provider/providerFixture";
import { FakeAiven } from "../provider/fakeAivenServer";
import { canaryKeys, createSet, describeWithEngines, passwordOf, running, shutdownEngine, startTopologyEmulator, Topology, TOKEN, unreachableMessage } from "../replication/topology";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Every output of the file, to check at the end that no token or password was printed. */
const printed: string[] = [];

async function cli(argv: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env,
  });
  printed.push(stdout, stderr);
  return { code, stdout, stderr };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aiven-rr-cli-"));
function file(name: string, content: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
}
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  expect(printed.filter((text) => text.includes(TOKEN))).toEqual([]);
});

const validSet = { project: "proj", primary: { name: "cache", plan: "business-4" }, replicas: [{ name: "cache-r1" }] };
const invalidYaml = `project: "bad project!"
primary:
  name: Cache
  plan: free-1
replicas:
  - name: r1
    plan: business-4
failoverTo: r1
`;

describe("preflight", () => {
  test.each<[string, string, string, number, string]>([
    ["valid JSON", "set.json", JSON.stringify(validSet), 0, "{file}: no issues\n"],
    ["valid YAML", "set.yaml", "project: proj\nprimary: { name: cache, plan: business-4 }\nreplicas: [{ name: cache-r1 }]\n", 0, "{file}: no issues\n"],
    ["YAML without a known extension", "set.txt", "project: proj\nprimary: { name: cache, plan: business-4 }\nreplicas: []\n", 0, "{file}: no issues\n"],
    [
      "every issue of an invalid YAML set",
      "bad.yml",
      invalidYaml,
      1,
      [
        "project: 'bad project!' is not a valid project name; use 1-63 of letters, digits, '_' and '-'",
        "primary.name: 'Cache' is not a valid service name; start with a lowercase letter, then up to 62 of a-z, 0-9 and '-'",
        "primary.plan: 'free-1' has no backups, so it cannot have read replicas; use a paid plan such as 'business-4'",
        "replicas[0].plan: 'business-4' is not a read replica plan; allowed: startup-4",
        "failoverTo: 'r1' is not promoted; set promote: true on it to fail over to it",
        "5 issue(s) in {file}",
        "",
      ].join("\n"),
    ],
  ])("%s", async (_what, name, content, code, expected) => {
    const p = file(name, content);
    const run = await cli(["preflight", p]);
    expect(run).toEqual({ code, stdout: expected.split("{file}").join(p), stderr: "" });
  });

  test("--json lists the issues", async () => {
    const p = file("j.json", JSON.stringify({ ...validSet, serviceType: "dragonfly" }));
    const run = await cli(["preflight", p, "--json"]);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual({
      file: p,
      issues: [
        {
          path: "serviceType",
          message: "'dragonfly' is not supported; use one of valkey, caching, redis. Read replicas work only within one service type, and Dragonfly is not supported",
        },
      ],
    });
  });

  test.each<[string, () => string, string | RegExp]>([
    ["a missing file", () => path.join(dir, "missing.json"), "error: cannot read {file}: ENOENT\n"],
    // the parser's reason is Node's own wording, which differs between Node lines
    ["invalid JSON", () => file("broken.json", "{ project: "), /^error: \{file\} is not valid JSON: \S.*\n$/],
    ["invalid YAML", () => file("broken.yaml", "project: [unclosed\n"), /^error: \{file\} is not valid YAML: \S.*\n$/],
    ["a list instead of an object", () => file("list.json", "[1, 2]"), "error: {file} must hold one object with the ReadReplicaSet arguments (project, primary, replicas, ...)\n"],
  ])("%s: exit 2", async (_what, make, expected) => {
    const p = make();
    const run = await cli(["preflight", p]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    const stderr = run.stderr.split(p).join("{file}");
    if (typeof expected === "string") expect(stderr).toBe(expected);
    else expect(stderr).toMatch(expected);
  });
});

describe("usage", () => {
  test.each<[string, string[], RegExp]>([
    ["no arguments", [], /^Usage: aiven-read-replicas \[options\] \[command\]/],
    ["an unknown command", ["frobnicate"], /^error: unknown command 'frobnicate'/],
    ["a missing required option", ["status", "--project", "p"], /^error: required option '--primary <service>' not specified/],
    ["a bad timeout", ["verify", "--project", "p", "--primary", "x", "--timeout", "-1"], /^error: option '--timeout <seconds>' argument '-1' is invalid. expected a positive number of seconds/],
  ])("%s: exit 2", async (_what, argv, stderr) => {
    const run = await cli(argv);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(stderr);
  });

  test("--help documents the exit codes and AIVEN_TOKEN, exit 0", async () => {
    const run = await cli(["--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("AIVEN_TOKEN    Aiven API token");
    expect(run.stdout).toContain("2  usage, configuration or API error");
  });

  test.each([["status"], ["verify"]])("%s without AIVEN_TOKEN: exit 2 naming it", async (command) => {
    const run = await cli([command, "--project", "p", "--primary", "x", "--api-url", "http://127.0.0.1:1"], { AIVEN_WEB_URL: "http://127.0.0.1:1" });
    expect(run).toEqual({ code: 2, stdout: "", stderr: "error: no Aiven API token: set the AIVEN_TOKEN environment variable (an Aiven token, or the emulator's)\n" });
  });

  test.each<[string, string[], Record<string, string>, string]>([
    ["--api-url", ["--api-url", "ftp://host"], { AIVEN_WEB_URL: "http://127.0.0.1:1" }, "error: --api-url: 'ftp://host' is not an http(s) URL\n"],
    ["AIVEN_WEB_URL", [], { AIVEN_WEB_URL: "api.aiven.io" }, "error: AIVEN_WEB_URL: 'api.aiven.io' is not an http(s) URL\n"],
  ])("a URL that is not http(s) from %s: exit 2 naming where it came from", async (_source, flags, env, stderr) => {
    const run = await cli(["status", "--project", "p", "--primary", "x", ...flags], { AIVEN_TOKEN: "t", ...env });
    expect(run).toEqual({ code: 2, stdout: "", stderr });
  });
});

describe("API errors against the emulator", () => {
  let emulator: Emulator;
  const env = () => ({ AIVEN_TOKEN: TOKEN, AIVEN_WEB_URL: emulator.url });
  beforeAll(async () => {
    emulator = await startEmulator({ engines: "none", token: TOKEN, projects: ["proj"] });
  });
  afterAll(() => emulator.close());

  test.each<[string, string[], string]>([
    ["unknown project", ["status", "--project", "other", "--primary", "cache"], "error: service 'cache' in project 'other' not found (Aiven: Project does not exist)\n"],
    ["unknown service", ["status", "--project", "proj", "--primary", "cache"], "error: service 'cache' in project 'proj' not found (Aiven: Service not found)\n"],
    ["unknown service for verify", ["verify", "--project", "proj", "--primary", "cache"], "error: service 'cache' in project 'proj' not found (Aiven: Service not found)\n"],
  ])("%s: exit 2", async (_what, argv, stderr) => {
    expect(await cli(argv, env())).toEqual({ code: 2, stdout: "", stderr });
  });

  test("a wrong token: exit 2 without the token", async () => {
    const run = await cli(["status", "--project", "proj", "--primary", "cache"], { AIVEN_TOKEN: "wrong-token-5150", AIVEN_WEB_URL: emulator.url });
    expect(run).toEqual({ code: 2, stdout: "", stderr: "error: Aiven refused the token from AIVEN_TOKEN for project 'proj' (403 Authentication failed)\n" });
  });
});

/** An API (the scripted fake) that lists primary `cp`, at `cpUri` (default a closed port), with these replicas. */
async function fakeTopology(replicas: Record<string, { state: string; uri?: string }>, cpUri = "redis://default:pw-5150@127.0.0.1:1"): Promise<FakeAiven> {
  const fake = await new FakeAiven().start();
  fake.addService("cp", { plan: "business-4", service_uri: cpUri, backups: [{ backup_name: "b1", backup_time: "2025-01-01T00:00:00Z" }] });
  Object.entries(replicas).forEach(([name, r], i) => {
    fake.addService(name, { plan: "startup-4", state: r.state, ...(r.uri === undefined ? {} : { service_uri: r.uri }) });
    fake.link(`rr-${i}`, "cp", name);
  });
  return fake;
}
const fakeArgs = (fake: FakeAiven, ...rest: string[]) => ["verify", "--project", "proj", "--primary", "cp", "--api-url", fake.url, ...rest];

describe("verify: a replica not RUNNING or without a service URI", () => {
  let fake: FakeAiven;
  beforeAll(async () => {
    // Were any of these checked, the closed port of cp's URI would end verify with exit 2;
    // r2's empty URI would have ioredis connect to whatever listens on 127.0.0.1:6379.
    fake = await fakeTopology({ r1: { state: "REBUILDING", uri: "redis://default:pw-1@127.0.0.1:2" }, r2: { state: "RUNNING", uri: "" }, r3: { state: "POWEROFF" } });
  });
  afterAll(() => fake.stop());
  const messages = [
    "replica 'r1' is REBUILDING, not RUNNING: not checked",
    "replica 'r2' has no service URI to connect to (state RUNNING): not checked",
    "replica 'r3' is POWEROFF, not RUNNING: not checked",
  ];

  test("fails each one unchecked, naming it and its state: exit 1", async () => {
    const run = await cli(fakeArgs(fake, "--timeout", "0.5"), { AIVEN_TOKEN: TOKEN });
    expect(run).toEqual({
      code: 1,
      stdout: "REPLICA  RESULT\nr1       FAILED\nr2       FAILED\nr3       FAILED\n",
      stderr: messages.map((m) => `error: ${m}\n`).join(""),
    });
  });

  test("--json lists them in failures", async () => {
    const run = await cli(fakeArgs(fake, "--timeout", "0.5", "--json"), { AIVEN_TOKEN: TOKEN });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual({
      project: "proj",
      primary: "cp",
      ok: false,
      lagMs: {},
      failures: messages.map((message, i) => ({ replica: `r${i + 1}`, message })),
    });
  });
});

describeWithEngines("status and verify against the emulator's engines", () => {
  let t: Topology;
  let uris: Record<string, string>;
  const env = () => ({ AIVEN_TOKEN: TOKEN });
  const args = (command: string, ...rest: string[]) => [command, "--project", t.project, "--primary", "cp", "--api-url", t.emulator.url, ...rest];
  const cells = (line: string) => line.split(/\s{2,}/);

  beforeAll(async () => {
    t = await startTopologyEmulator();
    const services = await createSet(t, "cp", ["cr1", "cr2", "cr3"]);
    uris = Object.fromEntries(Object.entries(services).map(([n, s]) => [n, s.service_uri!]));
  }, 30_000);
  afterAll(async () => {
    await t?.emulator.close();
    const passwords = Object.values(uris ?? {}).map(passwordOf);
    expect(printed.filter((text) => passwords.some((p) => text.includes(p)))).toEqual([]);
  });

  test("status: a table with one row per service", async () => {
    const run = await cli(args("status"), env());
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    const lines = run.stdout.trimEnd().split("\n");
    expect(cells(lines[0])).toEqual(STATUS_COLUMNS);
    expect(lines.slice(1).map(cells)).toEqual([
      ["cp", "primary", "RUNNING", "business-4", "google-europe-west1", "1", "master, 3 connected", "-"],
      ...["cr1", "cr2", "cr3"].map((name) => [name, "replica", "RUNNING", "startup-4", "google-europe-west1", "0", "replica, link up", expect.stringMatching(/^\d+ B, last io \d+s ago$/)]),
    ]);
    // Columns line up: every row has a space right before where each header starts.
    const starts = STATUS_COLUMNS.map((h) => lines[0].indexOf(h));
    for (const line of lines.slice(1)) for (const s of starts.slice(1)) expect(line[s - 1]).toBe(" ");
  });

  test("status --json: the exact fields of each service", async () => {
    const run = await cli(args("status", "--json"), env());
    expect(run.code).toBe(0);
    const body = JSON.parse(run.stdout) as { services: Array<Record<string, unknown>> };
    expect(Object.keys(body)).toEqual(["project", "primary", "services"]);
    expect(body.services.map((s) => s.service)).toEqual(["cp", "cr1", "cr2", "cr3"]);
    expect(body.services[0]).toEqual({
      service: "cp",
      role: "primary",
      replicaOf: null,
      state: "RUNNING",
      plan: "business-4",
      cloud: "google-europe-west1",
      backups: 1,
      engine: { reachable: true, role: "master", offset: expect.any(Number), connectedReplicas: 3 },
      lagBytes: null,
    });
    expect(body.services[1]).toEqual({
      service: "cr1",
      role: "replica",
      replicaOf: null,
      state: "RUNNING",
      plan: "startup-4",
      cloud: "google-europe-west1",
      backups: 0,
      engine: { reachable: true, role: "slave", linkStatus: "up", lastIoSecondsAgo: expect.any(Number), offset: expect.any(Number) },
      lagBytes: expect.any(Number),
    });
  });

  test("verify: exit 0 with the lag of each replica", async () => {
    const run = await cli(args("verify", "--poll", "0.05"), env());
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().split("\n").map(cells)).toEqual([
      ["REPLICA", "RESULT"],
      ["cr1", expect.stringMatching(/^ok, \d+ ms$/)],
      ["cr2", expect.stringMatching(/^ok, \d+ ms$/)],
      ["cr3", expect.stringMatching(/^ok, \d+ ms$/)],
      ["ok: 3 replica(s) returned the canary"],
    ]);
  });

  test("verify checks only the RUNNING replicas with a URI; the others fail unchecked: exit 1, no canary left", async () => {
    // The API (a scripted fake) reports cr2 REBUILDING, though its engine would pass the check.
    const fake = await fakeTopology({ cr1: { state: "RUNNING", uri: uris["cr1"] }, cr2: { state: "REBUILDING", uri: uris["cr2"] }, cr9: { state: "RUNNING" } }, uris["cp"]);
    try {
      const run = await cli(fakeArgs(fake, "--timeout", "2", "--poll", "0.05"), env());
      expect(run.code).toBe(1);
      expect(run.stdout.trimEnd().split("\n").map(cells)).toEqual([
        ["REPLICA", "RESULT"],
        ["cr1", expect.stringMatching(/^ok, \d+ ms$/)],
        ["cr2", "FAILED"],
        ["cr9", "FAILED"],
      ]);
      const failures = [
        { replica: "cr2", message: "replica 'cr2' is REBUILDING, not RUNNING: not checked" },
        { replica: "cr9", message: "replica 'cr9' has no service URI to connect to (state RUNNING): not checked" },
      ];
      expect(run.stderr).toBe(failures.map((f) => `error: ${f.message}\n`).join(""));
      expect(await canaryKeys(uris["cp"])).toEqual([]);

      const json = await cli(fakeArgs(fake, "--timeout", "2", "--poll", "0.05", "--json"), env());
      expect(json.code).toBe(1);
      expect(JSON.parse(json.stdout)).toEqual({ project: "proj", primary: "cp", ok: false, lagMs: { cr1: expect.any(Number) }, failures });
    } finally {
      await fake.stop();
    }
  });

  // Order matters from here: cr3 is promoted, then cr2's engine is stopped.
  test("status --replica shows a replica promoted earlier as promoted/standalone; verify skips it", async () => {
    rememberConfiguredToken(TOKEN);
    const restoreProgress = captureProgress();
    try {
      await replicaPromotionProvider.create!({ project: t.project, primaryServiceName: "cp", replicaServiceName: "cr3", apiUrl: t.emulator.url, pollSeconds: 0.02, timeoutSeconds: 10 });
    } finally {
      restoreProgress();
      rememberConfiguredToken(undefined);
    }
    const run = await cli(args("status", "--replica", "cr3"), env());
    expect(run.code).toBe(0);
    const rows = run.stdout.trimEnd().split("\n").slice(1).map(cells).map((c) => [c[0], c[1], c[6]]);
    expect(rows).toEqual([
      ["cp", "primary", "master, 2 connected"],
      ["cr1", "replica", "replica, link up"],
      ["cr2", "replica", "replica, link up"],
      ["cr3", "promoted/standalone", "master, 0 connected"],
    ]);
    const verify = await cli(args("verify", "--poll", "0.05"), env());
    expect(verify.code).toBe(0);
    expect(verify.stdout.trimEnd().split("\n").map((l) => cells(l)[0])).toEqual(["REPLICA", "cr1", "cr2", "ok: 2 replica(s) returned the canary"]);
  });

  test("a stopped replica engine: status shows it unreachable, verify exits 1 naming it and leaves no canary", async () => {
    await shutdownEngine(uris["cr2"]);
    const status = await cli(args("status"), env());
    expect(status.code).toBe(0);
    expect(cells(status.stdout.split("\n").find((l) => l.startsWith("cr2"))!)).toEqual([
      "cr2", "replica", "RUNNING", "startup-4", "google-europe-west1", "0", "unreachable", "-",
    ]);

    const run = await cli(args("verify", "--timeout", "0.5", "--poll", "0.05"), env());
    expect(run.code).toBe(1);
    expect(run.stdout.trimEnd().split("\n").map(cells)).toEqual([
      ["REPLICA", "RESULT"],
      ["cr1", expect.stringMatching(/^ok, \d+ ms$/)],
      ["cr2", "FAILED"],
    ]);
    const failure = expect.stringMatching(unreachableMessage("cr2", 0.5));
    expect(run.stderr).toEqual(expect.stringMatching(/^error: .*\n$/));
    expect(run.stderr.slice("error: ".length, -1)).toEqual(failure);
    expect(await canaryKeys(uris["cp"])).toEqual([]);

    const json = await cli(args("verify", "--timeout", "0.5", "--poll", "0.05", "--json"), env());
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({ project: t.project, primary: "cp", ok: false, lagMs: { cr1: expect.any(Number) }, failures: [{ replica: "cr2", message: failure }] });
  });

  test("after the primary fails: status shows it POWEROFF and its replicas promoted; verify exits 1", async () => {
    await axios.post(`${t.emulator.url}/_emulator/projects/${t.project}/services/cp/fail`);
    await Promise.all(["cr1", "cr3"].map((name) => running(t, name)));
    const status = await cli(args("status", "--replica", "cr1", "--replica", "cr3"), env());
    expect(status.code).toBe(0);
    expect(status.stdout.trimEnd().split("\n").slice(1).map(cells).map((c) => [c[0], c[1], c[2], c[6]])).toEqual([
      ["cp", "primary", "POWEROFF", "-"],
      ["cr1", "promoted/standalone", "RUNNING", "master, 0 connected"],
      ["cr3", "promoted/standalone", "RUNNING", "master, 0 connected"],
    ]);
    expect(await cli(args("verify"), env())).toEqual({
      code: 1,
      stdout: "",
      stderr: "error: primary 'cp' is POWEROFF: nothing takes writes; fail over to a promoted replica (failoverTo)\n",
    });
  });
});
