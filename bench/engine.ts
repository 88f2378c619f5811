// `npm run bench:engine`: the real Pulumi engine, the component against bare @pulumi/aiven, side by
// side in one run against a zero-delay emulator. Runs interleave (A B, then B A) so that drift in the
// machine's load falls on both sides; each ratio is the median of the rounds' ratios.
import type { EngineEvent, Stack } from "@pulumi/pulumi/automation";
import { Command } from "commander";
import * as fs from "fs";
import { startEmulator } from "../emulator";
import { isExecutable } from "../scripts/findToolchain";
import { chooseEngine, EngineWorkspace } from "../scripts/realEngine";
import * as path from "path";
import { bareProgram, Package, REPLICAS, setProgram } from "./enginePrograms";
import { BUILD, installCompiled } from "./installed";
import { median, round } from "./emulated";
import { pairedRatio, profile, stateBytes, Timed } from "./engineFigures";
import { Row, table } from "./report";

const TOKEN = "bench-engine-token";
const PROJECT = "bench";

interface Options {
  runs: number;
  inline: boolean;
  pollSeconds: number;
  promoteMs: number;
  out: string;
}

function parseOptions(argv: string[]): Options {
  const count = (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`not a whole number >= 1: ${v}`);
    return n;
  };
  const seconds = (v: string) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`not a number >= 0: ${v}`);
    return n;
  };
  const opts = new Command("bench:engine")
    .description("The component against bare @pulumi/aiven under the real Pulumi engine, as ratios")
    .option("--runs <n>", "rounds of each side (about 2.5 minutes each on two cores)", count, 4)
    .option("--inline", "run the programs inside this process (Automation API inline programs), not a fresh one per operation as `pulumi up` does")
    .option("--poll-seconds <s>", "pollSeconds of the component's checks", seconds, 0.2)
    .option("--promote-ms <ms>", "the emulator's promotion delay (builds and backups take none)", seconds, 0)
    .option("--out <file>", "results file; '' for none", "bench/engine-results.local.json")
    .parse(argv, { from: "user" })
    .opts<Options>();
  return { ...opts, inline: Boolean(opts.inline) };
}

/** A Pulumi project of one of the two programs, beside the installed package (its node_modules). */
function writeProject(projectRoot: string, name: "set" | "bare"): string {
  const dir = path.join(projectRoot, name);
  fs.mkdirSync(dir);
  fs.copyFileSync(path.join(__dirname, "enginePrograms.js"), path.join(dir, "programs.js"));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: bench-${name}\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: index.js\n`);
  const program = name === "set" ? 'require("./programs").setProgram(require("pulumi-aiven-read-replicas"))' : 'require("./programs").bareProgram';
  fs.writeFileSync(path.join(dir, "index.js"), `module.exports = ${program};\n`);
  return dir;
}

async function timedOp(op: (hooks: { onEvent: (e: EngineEvent) => void }) => Promise<unknown>): Promise<Timed> {
  const steps: Timed["steps"] = new Map();
  const start = performance.now();
  let last = 0;
  const onEvent = (e: EngineEvent) => {
    const at = performance.now() - start;
    last = at;
    const pre = e.resourcePreEvent?.metadata;
    const out = e.resOutputsEvent?.metadata;
    if (pre) steps.set(pre.urn, { type: pre.type, op: pre.op, startMs: at });
    if (out) steps.set(out.urn, { ...(steps.get(out.urn) ?? { type: out.type, op: out.op }), op: out.op, endMs: at });
  };
  await op({ onEvent });
  const ms = performance.now() - start;
  return { ms, tailMs: ms - last, steps };
}

const up = (stack: Stack) => timedOp((hooks) => stack.up(hooks));
const preview = (stack: Stack) => timedOp((hooks) => stack.preview(hooks));

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const choice = chooseEngine();
  if (!choice.engine) {
    console.error(`bench:engine needs the real Pulumi CLI with Aiven's resource plugin: ${choice.why}`);
    return 2;
  }
  const languageHost = path.join(path.dirname(choice.engine.pulumiBin), "pulumi-language-nodejs");
  if (!options.inline && !isExecutable(languageHost)) {
    console.error(`bench:engine runs each program as pulumi up does, through ${languageHost}, which is missing; build it with npm run toolchain, or pass --inline`);
    return 2;
  }
  console.log(`bench:engine: ${choice.engine.where}, ${options.runs} rounds, programs ${options.inline ? "inline (in this process)" : "in a fresh process per operation"}, set of 1 primary + ${REPLICAS} replicas against bare @pulumi/aiven`);

  if (!BUILD) throw new Error("run the compiled bench: npm run bench:engine");
  // As a user has the package: under node_modules, so that Pulumi serializes each dynamic provider
  // as a require of its module, not as an inlined copy of every local module it uses.
  const installed = installCompiled(BUILD, ["index.js", "components", "provider", "emulator", "cli"]);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pkg = require(path.join(installed.dist, "index.js")) as Package;
  const emulator = await startEmulator({ token: TOKEN, projects: [PROJECT], engines: "none", buildMs: 0, backupMs: 0, promoteMs: options.promoteMs });
  // The component's preflight reads it as the plugins do.
  process.env.AIVEN_WEB_URL = emulator.url;
  // The dynamic-provider plugin starts in a temp work dir: it finds the installed package through NODE_PATH.
  const nodePath = [path.resolve(installed.dist, "..", ".."), choice.engine.env.NODE_PATH].filter(Boolean).join(path.delimiter);
  const workspace = new EngineWorkspace(choice.engine, { aivenWebUrl: emulator.url, passphrase: "bench-engine", extraEnv: { NODE_PATH: nodePath } });
  const projectRoot = path.resolve(installed.dist, "..", "..", "..");
  const projects = { set: writeProject(projectRoot, "set"), bare: writeProject(projectRoot, "bare") };
  const started = performance.now();
  const say = (line: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)}s] ${line}`);
  const times = { setUp: [] as Timed[], bareUp: [] as Timed[], setPreview: [] as Timed[], barePreview: [] as Timed[], noopUp: [] as Timed[], promotionUp: [] as Timed[] };
  let state: ReturnType<typeof stateBytes> | undefined;

  try {
    for (let round = 0; round < options.runs; round++) {
      const config = (prefix: string) => ({ aivenProject: PROJECT, prefix, apiUrl: emulator.url, pollSeconds: String(options.pollSeconds) });
      const secrets = { "aiven:apiToken": TOKEN };
      const set = options.inline
        ? await workspace.stack("bench-set", `r${round}`, setProgram(pkg), config(`s${round}`), secrets)
        : await workspace.projectStack(projects.set, `r${round}`, config(`s${round}`), secrets);
      const bare = options.inline
        ? await workspace.stack("bench-bare", `r${round}`, bareProgram, config(`b${round}`), secrets)
        : await workspace.projectStack(projects.bare, `r${round}`, config(`b${round}`), secrets);
      // A B in even rounds, B A in odd ones.
      const pair = async (a: () => Promise<void>, b: () => Promise<void>) => (round % 2 === 0 ? (await a(), await b()) : (await b(), await a()));

      await pair(
        async () => void times.setPreview.push(await preview(set)),
        async () => void times.barePreview.push(await preview(bare)),
      );
      await pair(
        async () => void times.setUp.push(await up(set)),
        async () => void times.bareUp.push(await up(bare)),
      );
      // A no-op up before the promotion in even rounds, after it (of the promoted set) in odd ones.
      await pair(
        async () => void times.noopUp.push(await up(set)),
        async () => {
          await set.setConfig("promote", { value: `s${round}-replica-${REPLICAS}` });
          times.promotionUp.push(await up(set));
        },
      );
      if (round === 0) state = stateBytes(await workspace.exportText(set));
      const last = (list: Timed[]) => (list[list.length - 1].ms / 1000).toFixed(1);
      say(
        `round ${round + 1}/${options.runs}: up ${last(times.setUp)}s vs bare ${last(times.bareUp)}s; preview ${last(times.setPreview)}s vs ${last(times.barePreview)}s; ` +
          `promotion up ${last(times.promotionUp)}s vs no-op up ${last(times.noopUp)}s`,
      );
    }
  } finally {
    workspace.cleanup();
    await emulator.close();
    installed.dispose();
  }

  const med = (list: Timed[]) => median(list.map((t) => t.ms));
  const ratios = {
    up: pairedRatio(times.setUp, times.bareUp),
    promotion: pairedRatio(times.promotionUp, times.noopUp, options.promoteMs),
    preview: pairedRatio(times.setPreview, times.barePreview),
  };
  const rows: Row[] = [
    { figure: "up: set / bare (1 primary + 5 replicas)", value: `${round(ratios.up)} (${(med(times.setUp) / 1000).toFixed(1)}s / ${(med(times.bareUp) / 1000).toFixed(1)}s)`, goal: "<= 1.10", met: ratios.up <= 1.1 },
    {
      figure: "promotion up / (no-op up + promotion delay)",
      value: `${round(ratios.promotion)} (${(med(times.promotionUp) / 1000).toFixed(1)}s / ${((med(times.noopUp) + options.promoteMs) / 1000).toFixed(1)}s)`,
      goal: "<= 1.20",
      met: ratios.promotion <= 1.2,
    },
    { figure: "preview: set / bare", value: `${round(ratios.preview)} (${(med(times.setPreview) / 1000).toFixed(1)}s / ${(med(times.barePreview) / 1000).toFixed(1)}s)`, goal: "<= 1.30", met: ratios.preview <= 1.3 },
    { figure: "state bytes per dynamic resource", value: state ? `${state.perDynamic} (${state.dynamicCount} resources; a Valkey: ${state.perService})` : "-", goal: "-" },
  ];
  console.log(`\n${table(rows)}\nratio: the median over rounds of each round's ratio (the two sides ran back to back); times: medians`);

  const results = {
    measuredAt: new Date().toISOString(),
    engine: choice.engine.where,
    runs: options.runs,
    pollSeconds: options.pollSeconds,
    promoteMs: options.promoteMs,
    inline: options.inline,
    ratios: { up: round(ratios.up), promotion: round(ratios.promotion), preview: round(ratios.preview) },
    ratiosOfMedians: {
      up: round(med(times.setUp) / med(times.bareUp)),
      promotion: round(med(times.promotionUp) / (med(times.noopUp) + options.promoteMs)),
      preview: round(med(times.setPreview) / med(times.barePreview)),
    },
    goals: { up: 1.1, promotion: 1.2, preview: 1.3 },
    medianMs: Object.fromEntries(Object.entries(times).map(([name, list]) => [name, Math.round(med(list))])),
    allMs: Object.fromEntries(Object.entries(times).map(([name, list]) => [name, list.map((t) => Math.round(t.ms))])),
    medianTailMs: Object.fromEntries(Object.entries(times).map(([name, list]) => [name, Math.round(median(list.map((t) => t.tailMs)))])),
    stateBytes: state,
    // Where the time goes: median duration of each kind of resource step (as the engine's events arrive here).
    profile: { setPreview: profile(times.setPreview), barePreview: profile(times.barePreview), setUp: profile(times.setUp), bareUp: profile(times.bareUp), promotionUp: profile(times.promotionUp), noopUp: profile(times.noopUp) },
  };
  if (options.out) {
    fs.writeFileSync(options.out, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`results written to ${options.out}`);
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`bench:engine failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
