// The benchmark itself is `npm run bench`; this runs it with tiny sizes so that it cannot rot.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main, Results } from "../../bench/run";

jest.setTimeout(60_000);

test("the bench runs with --smoke sizes and reports every figure in a sane range", async () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bench-smoke-")), "results.json");
  const printed: string[] = [];
  const log = jest.spyOn(console, "log").mockImplementation((line: string) => void printed.push(line));
  try {
    await main(["--smoke", "--out", out]);
  } finally {
    log.mockRestore();
  }
  const results = JSON.parse(fs.readFileSync(out, "utf8")) as Results;
  expect(printed.join("\n")).toMatch(/^figure +value +goal +met\?$/m);

  expect(results["provisioning.ratio"]).toBeGreaterThanOrEqual(0.9);
  expect(results["provisioning.ratio"]).toBeLessThan(3);
  expect(results["provisioning.serialRatio"]).toBeGreaterThan(1);
  expect(results["promotion.apiCalls"]).toBe(2);
  expect(results["promotion.polls"]).toBeGreaterThanOrEqual(1);
  expect(results["promotion.ratio"]).toBeGreaterThanOrEqual(0.9);
  expect(results["promotion.ratio"]).toBeLessThan(5);
  expect(results["construct.msPer5Replicas"]).toBeGreaterThan(0);
  expect(results["construct.msPer5Replicas"]).toBeLessThan(5_000);
  expect(Object.keys(results["provider.serializedBytes"]).sort()).toEqual(["primaryReadiness", "replicaPromotion", "replicationCheck"]);
  for (const bytes of Object.values(results["provider.serializedBytes"])) {
    expect(bytes).toBeGreaterThan(1_000);
    expect(bytes).toBeLessThan(100_000);
  }
  const replication = (results.details as { replication: { skipped?: string } }).replication;
  if (replication.skipped === undefined) {
    expect(results["replication.lagMsP50"]).toBeGreaterThanOrEqual(0);
    expect(results["replication.lagMsP99"]).toBeGreaterThanOrEqual(results["replication.lagMsP50"] as number);
  } else {
    expect(results["replication.lagMsP50"]).toBeNull();
  }
  expect(results.delays).toEqual({ buildMs: 150, backupMs: 50, promoteMs: 50 });
  expect(results.sizes).toMatchObject({ replicas: 5, canaries: 20, smoke: true });
  expect(results.cores).toBeGreaterThan(0);
  expect(Number.isNaN(Date.parse(String(results.date)))).toBe(false);
  expect(results["provisioning.coldStartMs"]).toBeGreaterThanOrEqual(0);
});
