import { Command } from "commander";

export interface BenchOptions {
  /** Emulator delays, ms. */
  buildMs: number;
  backupMs: number;
  promoteMs: number;
  /** pollSeconds given to the component and the providers. */
  pollSeconds: number;
  replicas: number;
  canaries: number;
  constructRuns: number;
  /** Where the results (JSON) go; none when empty. Untracked unless `--update`. */
  out: string;
  /** Also write the committed bench/results.md (with `out` = bench/results.json). */
  update: boolean;
  smoke: boolean;
}

export const FULL: Omit<BenchOptions, "out" | "smoke" | "update"> = {
  buildMs: 1000,
  backupMs: 500,
  promoteMs: 500,
  pollSeconds: 0.05,
  replicas: 5,
  canaries: 1000,
  constructRuns: 30,
};

// Tiny sizes so that the smoke test finishes in seconds; its figures only prove the bench runs.
export const SMOKE: Omit<BenchOptions, "out" | "smoke" | "update"> = {
  buildMs: 150,
  backupMs: 50,
  promoteMs: 50,
  pollSeconds: 0.02,
  replicas: 5,
  canaries: 20,
  constructRuns: 3,
};

/** Each run's figures: untracked (.gitignore), so that a run leaves the working tree clean. */
export const LOCAL_RESULTS = "bench/results.local.json";
/** The figures the README quotes; written only with --update. */
export const COMMITTED_RESULTS = "bench/results.json";

const num = (v: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`not a number >= 0: ${v}`);
  return n;
};

/** Flags win over env (BENCH_BUILD_MS, ...), which win over the defaults (full or --smoke). */
export function parseOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const program = new Command("bench")
    .option("--smoke", "tiny sizes and delays")
    .option("--build-ms <ms>", "emulator build delay", num)
    .option("--backup-ms <ms>", "emulator first-backup delay", num)
    .option("--promote-ms <ms>", "emulator promotion delay", num)
    .option("--poll-seconds <s>", "pollSeconds of the component and providers", num)
    .option("--replicas <n>", "replicas to provision (at most 5)", num)
    .option("--canaries <n>", "replication canaries", num)
    .option("--construct-runs <n>", "constructions to take the median of", num)
    .option("--out <file>", "results file; '' for none", LOCAL_RESULTS)
    .option("--update", `write the committed ${COMMITTED_RESULTS} and its .md table instead`)
    .exitOverride()
    .parse(argv, { from: "user" });
  const flags = program.opts<Record<string, number | string | boolean | undefined>>();
  const base = flags.smoke || env.BENCH_SMOKE === "1" ? SMOKE : FULL;
  const pick = (key: keyof typeof FULL, envName: string): number =>
    (flags[key] as number | undefined) ?? (env[envName] !== undefined ? num(env[envName]!) : base[key]);
  const replicas = pick("replicas", "BENCH_REPLICAS");
  const smoke = Boolean(flags.smoke) || env.BENCH_SMOKE === "1";
  const update = Boolean(flags.update);
  if (update && smoke) throw new Error("--update records full-size figures: leave out --smoke");
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > 5) throw new Error("--replicas must be 1 to 5 (Aiven's limit)");
  return {
    buildMs: pick("buildMs", "BENCH_BUILD_MS"),
    backupMs: pick("backupMs", "BENCH_BACKUP_MS"),
    promoteMs: pick("promoteMs", "BENCH_PROMOTE_MS"),
    pollSeconds: pick("pollSeconds", "BENCH_POLL_SECONDS"),
    replicas,
    canaries: Math.round(pick("canaries", "BENCH_CANARIES")),
    constructRuns: Math.max(1, Math.round(pick("constructRuns", "BENCH_CONSTRUCT_RUNS"))),
    out: update ? COMMITTED_RESULTS : String(flags.out),
    update,
    smoke,
  };
}
