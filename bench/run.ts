import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { measureConstruct } from "./construct";
import { Emulated } from "./emulated";
import { BenchOptions, parseOptions } from "./options";
import { measurePromotion } from "./promotion";
import { ComponentDeploy, harnessDeploy, measureColdStart, measureProvisioning } from "./provisioning";
import { measureReplication } from "./replicationLag";
import { markdown, Row, SERIALIZED_GOAL_BYTES, table } from "./report";
import { measureSerialized } from "./serializedSize";

export type Results = Record<string, unknown> & {
  "provisioning.ratio": number;
  "provisioning.serialRatio": number;
  "provisioning.coldStartMs": number;
  "promotion.apiCalls": number;
  "promotion.polls": number;
  "promotion.ratio": number;
  "construct.msPer5Replicas": number;
  "provider.serializedBytes": Record<string, number>;
  "replication.lagMsP50": number | null;
  "replication.lagMsP99": number | null;
};

export interface BenchRun {
  results: Results;
  rows: Row[];
}

/** Every figure in one process, so that the ratios compare timings taken side by side. */
export async function runBench(options: BenchOptions, componentDeploy: { run: ComponentDeploy; method: string } = harnessDeploy): Promise<BenchRun> {
  const delays = { buildMs: options.buildMs, backupMs: options.backupMs, promoteMs: options.promoteMs };
  const started = Date.now();
  // First: it needs a process where Pulumi has serialized nothing yet.
  const coldStart = await measureColdStart(componentDeploy.run, options.replicas, options.pollSeconds);
  const emu = await Emulated.start(delays);
  let provisioning, promotion;
  try {
    provisioning = await measureProvisioning(emu, componentDeploy, options.replicas, options.pollSeconds);
    promotion = await measurePromotion(emu, options.pollSeconds, options.promoteMs);
  } finally {
    await emu.close();
  }
  // Real engines only here: redis-server start-up would blur the control-plane timings above.
  const engines = await Emulated.start({ buildMs: 50, backupMs: 0, promoteMs: 0 }, "auto");
  let replication;
  try {
    replication = await measureReplication(engines, options.canaries);
  } finally {
    await engines.close();
  }
  const serialized = await measureSerialized();
  const construct = await measureConstruct(options.constructRuns);

  const bytes = serialized.installed ?? serialized.sourceTree;
  const results: Results = {
    "provisioning.ratio": provisioning.ratio,
    "provisioning.serialRatio": provisioning.serialRatio,
    "provisioning.coldStartMs": coldStart.installedMs ?? coldStart.sourceTreeMs,
    "provisioning.coldStartMsSourceTree": coldStart.sourceTreeMs,
    "promotion.apiCalls": promotion.apiCalls,
    "promotion.polls": promotion.polls,
    "promotion.ratio": promotion.ratio,
    "construct.msPer5Replicas": construct.msPer5Replicas,
    "provider.serializedBytes": bytes,
    "provider.serializedBytesSourceTree": serialized.sourceTree,
    "replication.lagMsP50": replication.lagMsP50,
    "replication.lagMsP99": replication.lagMsP99,
    details: { coldStart, provisioning, promotion, construct, serialized, replication },
    delays,
    sizes: {
      replicas: options.replicas,
      canaries: options.canaries,
      constructRuns: options.constructRuns,
      pollSeconds: options.pollSeconds,
      smoke: options.smoke,
    },
    cores: os.cpus().length,
    node: process.version,
    date: new Date().toISOString(),
    benchSeconds: 0,
  };
  results.benchSeconds = Math.round((Date.now() - started) / 100) / 10;
  return { results, rows: rowsOf(results, serialized.installed === null) };
}

function rowsOf(r: Results, sourceTreeOnly: boolean): Row[] {
  const sizeGoal = `<= ${SERIALIZED_GOAL_BYTES / 1024} KB each`;
  const rows: Row[] = [
    { figure: "provisioning.ratio", value: String(r["provisioning.ratio"]), goal: "<= 1.10", met: r["provisioning.ratio"] <= 1.1 },
    { figure: "provisioning.serialRatio", value: String(r["provisioning.serialRatio"]), goal: "(step by step / component)" },
    { figure: "provisioning.coldStartMs", value: `${r["provisioning.coldStartMs"]} ms${sourceTreeOnly ? " (source tree)" : ""}`, goal: "(once per pulumi up)" },
    { figure: "promotion.apiCalls", value: String(r["promotion.apiCalls"]), goal: "2", met: r["promotion.apiCalls"] === 2 },
    { figure: "promotion.polls", value: String(r["promotion.polls"]), goal: "" },
    { figure: "promotion.ratio", value: String(r["promotion.ratio"]), goal: "<= 1.2", met: r["promotion.ratio"] <= 1.2 },
    { figure: "construct.msPer5Replicas", value: `${r["construct.msPer5Replicas"]} ms`, goal: "" },
  ];
  for (const [name, bytes] of Object.entries(r["provider.serializedBytes"])) {
    const where = sourceTreeOnly ? " (source tree)" : "";
    rows.push({ figure: `provider.serializedBytes.${name}`, value: `${bytes} B${where}`, goal: sizeGoal, met: bytes <= SERIALIZED_GOAL_BYTES });
  }
  const skipped = (r.details as { replication: { skipped?: string } }).replication.skipped;
  for (const key of ["replication.lagMsP50", "replication.lagMsP99"] as const) {
    rows.push({ figure: key, value: r[key] === null ? `skipped: ${skipped}` : `${r[key]} ms`, goal: "" });
  }
  return rows;
}

function header(r: Results): string {
  const d = r.delays as Record<string, number>;
  return `bench ${r.date}: ${r.cores} cores, node ${r.node}; delays build ${d.buildMs} ms, backup ${d.backupMs} ms, promote ${d.promoteMs} ms; ` +
    `sizes ${JSON.stringify(r.sizes)}; ${r.benchSeconds}s`;
}

export async function main(argv: string[]): Promise<BenchRun> {
  const options = parseOptions(argv);
  const run = await runBench(options);
  console.log(header(run.results));
  console.log(table(run.rows));
  if (options.out) {
    fs.mkdirSync(path.dirname(path.resolve(options.out)), { recursive: true });
    fs.writeFileSync(options.out, JSON.stringify(run.results, null, 2) + "\n");
    console.log(`wrote ${options.out}`);
    if (options.update) {
      const table = options.out.replace(/\.json$/, "") + ".md";
      fs.writeFileSync(table, `${header(run.results)}\n\n${markdown(run.rows)}\n`);
      console.log(`wrote ${table}`);
    }
  }
  return run;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    // Pulumi's mock runtime and redis clients may hold handles: the figures are out, so leave.
    () => process.exit(0),
    (e: unknown) => {
      console.error(e instanceof Error ? (e.stack ?? e.message) : e);
      process.exit(1);
    },
  );
}
