// The benchmark itself is `npm run bench`; this runs it with tiny sizes so that it cannot rot.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { COMMITTED_RESULTS, LOCAL_RESULTS, parseOptions } from "../../bench/options";
import { main, Results } from "../../bench/run";

jest.setTimeout(60_000);

test("the bench runs with --smoke sizes and reports every figure (no timing bounds: npm run bench judges those)", async () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bench-smoke-")), "results.json");
  const printed: string[] = [];
  const log = jest.spyOn(console, "log").mockImplementation((line: string) => void printed.push(line));
  try {
    await main(["--smoke", "--out", out]);
  } finally {
    log.mockRestore();
  }
  const results = JSON.parse(fs.readFileSync(out, "utf8")) as Results;
  // Without --update only the results file is written: no Markdown table beside it.
  expect(fs.readdirSync(path.dirname(out))).toEqual(["results.json"]);
  expect(printed.join("\n")).toMatch(/^figure +value +goal +met\?$/m);

  // Timing ratios are judged by `npm run bench` on a quiet machine, not here: inside `npm test`
  // this runs next to the redis-server suites (on 2 cores in CI), where any ratio can flip.
  // Here every figure must only be present, finite and positive.
  const timed = ["provisioning.ratio", "provisioning.serialRatio", "provisioning.coldStartMs", "promotion.ratio", "construct.msPer5Replicas"];
  const notPositive = timed.filter((f) => !(typeof results[f] === "number" && Number.isFinite(results[f]) && (results[f] as number) > 0));
  expect(notPositive.map((f) => `${f} = ${String(results[f])}`)).toEqual([]);
  expect(results["promotion.apiCalls"]).toBe(2);
  expect(results["promotion.polls"]).toBeGreaterThanOrEqual(1);
  // The provider's progress lines are kept with the figures, not printed among them.
  const { progress } = (results.details as { promotion: { progress: string[] } }).promotion;
  expect(progress[0]).toMatch(/^promoting 'promo-replica': deleting its read_replica integration \S+ from 'promo-primary'$/);
  expect(printed.join("\n")).not.toContain("[runtime]");
  expect(Object.keys(results["provider.serializedBytes"]).sort()).toEqual(["primaryReadiness", "replicaPromotion", "replicationCheck"]);
  // Sizes, not timings: a closure outside this range means something was captured or lost.
  for (const bytes of Object.values(results["provider.serializedBytes"])) {
    expect(bytes).toBeGreaterThan(1_000);
    expect(bytes).toBeLessThan(100_000);
  }
  const replication = (results.details as { replication: { skipped?: string } }).replication;
  if (replication.skipped === undefined) {
    // A lag rounds to 0 ms on a fast loopback; P99 >= P50 holds by definition, not by timing.
    expect(Number.isFinite(results["replication.lagMsP50"])).toBe(true);
    expect(results["replication.lagMsP50"]).toBeGreaterThanOrEqual(0);
    expect(results["replication.lagMsP99"]).toBeGreaterThanOrEqual(results["replication.lagMsP50"] as number);
  } else {
    expect(results["replication.lagMsP50"]).toBeNull();
  }
  expect(results.delays).toEqual({ buildMs: 150, backupMs: 50, promoteMs: 50 });
  expect(results.sizes).toMatchObject({ replicas: 5, canaries: 20, smoke: true });
  expect(results.cores).toBeGreaterThan(0);
  expect(Number.isNaN(Date.parse(String(results.date)))).toBe(false);
});

describe("where the figures go", () => {
  test("a run writes the untracked local file; only --update writes the committed results", () => {
    expect(LOCAL_RESULTS).not.toBe(COMMITTED_RESULTS);
    expect(parseOptions([], {})).toMatchObject({ out: LOCAL_RESULTS, update: false });
    expect(parseOptions(["--update"], {})).toMatchObject({ out: COMMITTED_RESULTS, update: true });
    expect(parseOptions(["--out", "/tmp/x.json"], {})).toMatchObject({ out: "/tmp/x.json", update: false });
  });

  test("the local file is ignored by git, the committed one is not", () => {
    const ignore = fs.readFileSync(path.join(__dirname, "../../.gitignore"), "utf8").split("\n").map((l) => l.trim());
    expect(ignore).toContain(LOCAL_RESULTS);
    expect(ignore).not.toContain(COMMITTED_RESULTS);
  });

  test("--update refuses smoke sizes: they are not figures to commit", () => {
    expect(() => parseOptions(["--update", "--smoke"], {})).toThrow(/--update .* leave out --smoke/);
  });
});
