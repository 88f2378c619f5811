// `npm run demo`: one stack against the bundled Aiven emulator, step by step: declare a primary and
// two read replicas, verify that data replicates, promote a replica, fail the primary over to
// another one, destroy. On the real Pulumi engine when a CLI with Aiven's plugin is found,
// on the offline harness otherwise; the first line says which.
import axios from "axios";
import { Emulator, startEmulator } from "../emulator";
import { table } from "../cli/io";
import { withRedis } from "../provider/replication";
import { Deployer, EngineDeployer, HarnessDeployer } from "./demoDeployers";
import { demoMode, parseEngineFlag } from "./demoMode";
import { PRIMARY, REPLICA_AWS, REPLICA_GCP } from "./demoProgram";
import { incomingLink, readBack, replicationInfo, ServiceView } from "./demoSteps";
import { chooseEngine } from "./realEngine";

const PROJECT = "demo-project";
const TOKEN = "demo-token";
const started = Date.now();
let emulator: Emulator | undefined;
let deployer: Deployer | undefined;

const say = (line: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${line}`);

async function main(): Promise<void> {
  const mode = demoMode(parseEngineFlag(process.argv.slice(2)), () => chooseEngine());
  console.log(mode.firstLine);
  const onEngine = mode.mode === "engine";

  // Delays long enough to see the waits, short enough for the harness demo to take seconds.
  emulator = await startEmulator({ token: TOKEN, projects: [PROJECT], buildMs: 1500, backupMs: 1000, promoteMs: 1000 });
  const engines = emulator.enginesEnabled;
  say(`Aiven API emulator listening on ${emulator.url} (${engines ? "a real redis-server per service" : "metadata only: redis-server not found on PATH"})`);
  // The program runs in this process and reads it as Aiven's provider does.
  process.env.AIVEN_WEB_URL = emulator.url;
  const api = axios.create({ baseURL: `${emulator.url}/v1/project/${PROJECT}`, headers: { Authorization: `aivenv1 ${TOKEN}` } });
  const service = async (name: string) => (await api.get<{ service: ServiceView }>(`/service/${name}`)).data.service;
  const allServices = async () => (await api.get<{ services: ServiceView[] }>("/service")).data.services;

  const setting = { emulatorUrl: emulator.url, token: TOKEN, log: say };
  deployer = mode.mode === "engine" ? await EngineDeployer.create(mode.cli, setting) : new HarnessDeployer(setting);
  const base = { aivenProject: PROJECT, apiUrl: emulator.url, pollSeconds: "0.5", verifyReplication: String(engines), promote: "", failoverTo: "" };

  say(`1/5 declare: ${PRIMARY} in google-europe-west1, ${REPLICA_GCP} beside it, ${REPLICA_AWS} in aws-eu-west-1`);
  say(`up: ${(await deployer.up(base)).summary}`);

  const readBacks = new Map<string, string>();
  if (engines) {
    const value = `hello ${new Date().toISOString()}`;
    await withRedis((await service(PRIMARY)).service_uri, (c) => c.set("demo:greeting", value));
    say(`2/5 verify replication: wrote demo:greeting to ${PRIMARY}; reading it back from each replica`);
    readBacks.set(PRIMARY, "wrote demo:greeting");
    for (const name of [REPLICA_GCP, REPLICA_AWS]) {
      const ms = await readBack((await service(name)).service_uri, "demo:greeting", value, 5_000);
      say(`   ${name}: ${ms === undefined ? "MISSING after 5s" : `demo:greeting in ${ms} ms`}`);
      if (ms === undefined) throw new Error(`${name} did not return demo:greeting`);
    }
  } else {
    say("2/5 verify replication: skipped, no redis-server and so no data to replicate (install redis-server for the full demo)");
  }

  say(`3/5 promote ${REPLICA_AWS}: the same program again, with promote: true on it`);
  say(`up: ${(await deployer.up({ ...base, promote: REPLICA_AWS })).summary}`);
  if (engines) {
    const promoted = await service(REPLICA_AWS);
    await withRedis(promoted.service_uri, (c) => c.set("demo:written-on-promoted", "yes"));
    const after = `after promotion ${Date.now()}`;
    await withRedis((await service(PRIMARY)).service_uri, (c) => c.set("demo:after", after));
    const kept = await readBack((await service(REPLICA_GCP)).service_uri, "demo:after", after, 5_000);
    const leaked = await readBack(promoted.service_uri, "demo:after", after, 300);
    readBacks.set(REPLICA_AWS, `accepted a write; the primary's next write: ${leaked === undefined ? "not received (standalone)" : "RECEIVED"}`);
    say(`   ${REPLICA_AWS} accepts writes; ${REPLICA_GCP} ${kept === undefined ? "did NOT get" : "got"} the primary's next write`);
    if (kept === undefined || leaked !== undefined) throw new Error("replication after the promotion is not as expected");
  }

  say(`4/5 failover: the emulator fails ${PRIMARY}; refresh, then promote ${REPLICA_GCP} and fail over to it (failoverTo)`);
  await axios.post(`${emulator.url}/_emulator/projects/${PROJECT}/services/${PRIMARY}/fail`);
  await deployer.refresh();
  const failedOver = await deployer.up({ ...base, promote: `${REPLICA_AWS},${REPLICA_GCP}`, failoverTo: REPLICA_GCP, verifyReplication: "false" });
  say(`up: ${failedOver.summary}`);
  // Named, never printed: the endpoint is a URI with the service's password in it.
  const writeService = (await allServices()).find((s) => s.service_uri === failedOver.outputs.writeEndpoint)?.service_name;
  say(`   writeEndpoint is now ${writeService ?? "NOT a service of the project"}`);
  if (writeService !== REPLICA_GCP) throw new Error(`writeEndpoint should be ${REPLICA_GCP}'s URI after the failover`);
  if (engines) {
    const value = `after failover ${Date.now()}`;
    await withRedis(String(failedOver.outputs.writeEndpoint), (c) => c.set("demo:failover", value));
    const ms = await readBack((await service(REPLICA_GCP)).service_uri, "demo:failover", value, 1_000);
    readBacks.set(REPLICA_GCP, ms === undefined ? "write through writeEndpoint MISSING" : "took a write through writeEndpoint");
    say(`   a write through writeEndpoint ${ms === undefined ? "did NOT land" : "landed"} on ${REPLICA_GCP}`);
    if (ms === undefined) throw new Error("the write through writeEndpoint did not land");
  }

  const services = await Promise.all([PRIMARY, REPLICA_GCP, REPLICA_AWS].map(service));
  const rows: string[][] = [];
  for (const s of services) {
    const name = s.service_name;
    const source = incomingLink(s);
    const info = engines && s.state === "RUNNING" ? await replicationInfo(s.service_uri) : undefined;
    const role = name === PRIMARY ? "old primary (failed)" : source ? "read replica" : name === writeService ? "promoted, write endpoint" : "promoted (standalone)";
    const feeds = services.filter((r) => incomingLink(r) === name).map((r) => r.service_name);
    const link = source
      ? `from ${source}${info?.link ? ` (link ${info.link})` : ""}`
      : feeds.length > 0
        ? `to ${feeds.join(", ")}`
        : `none${info ? ` (engine role ${info.role})` : ""}`;
    rows.push([name, role, s.state, s.cloud_name, s.plan, link, readBacks.get(name) ?? "-"]);
  }
  console.log(`\n${table(["service", "role", "state", "cloud", "plan", "replication link", "read-back"], rows, { rule: true })}`);

  say("5/5 destroy");
  const destroyed = await deployer.destroy();
  const left = (await allServices()).map((s) => s.service_name);
  say(`destroy: ${destroyed}; services left in the project: ${left.length === 0 ? "none" : left.join(", ")}`);
  if (left.length > 0) throw new Error(`destroy left ${left.join(", ")} behind`);
  const what = engines ? "declared, replicated, promoted, failed over and destroyed" : "declared, promoted, failed over and destroyed (metadata only)";
  say(`done: ${what} on ${onEngine ? "the real Pulumi engine" : "the offline harness"} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

async function shutdown(code: number): Promise<never> {
  deployer?.close();
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
