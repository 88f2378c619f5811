// `npm run demo`: deploy examples/valkey-basic offline against the bundled Aiven emulator, check that
// data replicates, promote a replica, and print what each service became.
import axios from "axios";
import * as fs from "fs";
import * as path from "path";
import { Emulator, startEmulator } from "../emulator";
import { loadProgram, RunResult, runProgram } from "../harness";
import { table } from "../cli/io";
import { withRedis } from "../provider/replication";
import { incomingLink, readBack, replicationInfo, ServiceView } from "./demoSteps";

const PROJECT = "demo-project";
const TOKEN = "demo-token";
const PRIMARY = "cache-primary";
const STAYS = "cache-replica-gcp";
const PROMOTED = "cache-replica-aws";
const started = Date.now();
let emulator: Emulator | undefined;

const say = (line: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${line}`);

/** examples/ in the source tree, from scripts/ or from its compiled copy. */
function exampleFile(name: string): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, "examples", name, "index.ts");
    if (fs.existsSync(file)) return file;
  }
  throw new Error(`examples/${name}/index.ts not found above ${__dirname}`);
}

async function main(): Promise<void> {
  // Delays long enough to see the waits, short enough for the whole demo to take seconds.
  emulator = await startEmulator({ token: TOKEN, buildMs: 1500, backupMs: 1000, promoteMs: 1000 });
  const engines = emulator.enginesEnabled;
  say(`Aiven API emulator listening on ${emulator.url} (${engines ? "a real redis-server per service" : "metadata only: redis-server not found on PATH"})`);
  const api = axios.create({ baseURL: `${emulator.url}/v1/project/${PROJECT}`, headers: { Authorization: `aivenv1 ${TOKEN}` } });
  const service = async (name: string) => (await api.get<{ service: ServiceView }>(`/service/${name}`)).data.service;

  const program = loadProgram(exampleFile("valkey-basic"));
  const config = { aivenProject: PROJECT, apiUrl: emulator.url, pollSeconds: "0.5", verifyReplication: String(engines) };
  const deploy = (extra: Record<string, string>, previous?: RunResult) =>
    runProgram(program, { emulatorUrl: emulator!.url, token: TOKEN, project: "valkey-basic", config: { ...config, ...extra }, previous, log: say, servicePollMs: 500 });

  say("1/3 deploying examples/valkey-basic: a primary in google-europe-west1, replicas there and in aws-eu-west-1");
  const first = await deploy({});
  say(`deployed ${first.resources.filter((r) => r.custom).length} resources in ${(first.durationMs / 1000).toFixed(1)}s`);

  const readBacks = new Map<string, string>();
  if (engines) {
    const value = `hello ${new Date().toISOString()}`;
    await withRedis((await service(PRIMARY)).service_uri, (c) => c.set("demo:greeting", value));
    say(`2/3 wrote demo:greeting to ${PRIMARY}; reading it back from each replica`);
    readBacks.set(PRIMARY, "wrote demo:greeting");
    for (const name of [STAYS, PROMOTED]) {
      const ms = await readBack((await service(name)).service_uri, "demo:greeting", value, 5_000);
      readBacks.set(name, ms === undefined ? "MISSING after 5s" : `demo:greeting in ${ms} ms`);
      say(`   ${name}: ${readBacks.get(name)}`);
      if (ms === undefined) throw new Error(`${name} did not return demo:greeting`);
    }
  } else {
    say("2/3 skipped: no redis-server, so no data to replicate (install redis-server for the full demo)");
  }

  say(`3/3 promoting ${PROMOTED}: the same program again, with promote: true on it`);
  await deploy({ promote: PROMOTED }, first);
  if (engines) {
    const promoted = await service(PROMOTED);
    await withRedis(promoted.service_uri, (c) => c.set("demo:written-on-promoted", "yes"));
    const after = `after promotion ${Date.now()}`;
    await withRedis((await service(PRIMARY)).service_uri, (c) => c.set("demo:after", after));
    const kept = await readBack((await service(STAYS)).service_uri, "demo:after", after, 5_000);
    const leaked = await readBack(promoted.service_uri, "demo:after", after, 300);
    readBacks.set(PROMOTED, `accepts writes; new primary data: ${leaked === undefined ? "not received (standalone)" : "RECEIVED"}`);
    readBacks.set(STAYS, kept === undefined ? "new data MISSING" : `still replicating: new data in ${kept} ms`);
    say(`   ${PROMOTED} accepts writes; ${STAYS} ${kept === undefined ? "did NOT get" : "got"} the primary's next write`);
    if (kept === undefined || leaked !== undefined) throw new Error("replication after the promotion is not as expected");
  }

  const rows: string[][] = [];
  const services = await Promise.all([PRIMARY, STAYS, PROMOTED].map(service));
  for (const s of services) {
    const name = s.service_name;
    const source = incomingLink(s);
    const info = engines ? await replicationInfo(s.service_uri) : undefined;
    const role = name === PRIMARY ? "primary" : source ? "read replica" : "promoted (standalone)";
    const feeds = services.filter((r) => incomingLink(r) === name).map((r) => r.service_name);
    const link = source
      ? `from ${source}${info?.link ? ` (link ${info.link})` : ""}`
      : feeds.length > 0
        ? `to ${feeds.join(", ")}`
        : `none${info ? ` (engine role ${info.role})` : ""}`;
    rows.push([name, role, s.state, s.cloud_name, s.plan, link, readBacks.get(name) ?? "-"]);
  }
  console.log(`\n${table(["service", "role", "state", "cloud", "plan", "replication link", "read-back"], rows, { rule: true })}`);
  const what = engines ? "deployed, replicated and promoted" : "deployed and promoted (metadata only)";
  say(`done: ${what} offline in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

async function shutdown(code: number): Promise<never> {
  await emulator?.close().catch(() => undefined);
  process.exit(code);
}

// `on`, not `once`: the emulator's own signal hook re-raises the signal when it is the only
// listener left, which would end the process before the shutdown below has closed the emulator.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping the emulator and its engines`);
    void shutdown(130);
  });
}

main().then(
  () => shutdown(0),
  (e: unknown) => {
    console.error(`demo failed: ${e instanceof Error ? e.message : String(e)}`);
    return shutdown(1);
  },
);
