// `npm run demo` as a user runs it: compiled, then run as its own process. It must end with the
// table and exit 0, and a Ctrl-C must stop every redis-server it started.
import { ChildProcess, execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { childRedisServers, isAlive } from "../helpers/processes";

const ROOT = path.resolve(__dirname, "..", "..");
const DEMO = path.join(ROOT, "dist-demo", "scripts", "demo.js");
const hasRedis = (process.env.PATH ?? "").split(path.delimiter).some((dir) => fs.existsSync(path.join(dir, "redis-server")));

beforeAll(() => {
  execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(ROOT, "scripts", "tsconfig.demo.json")], {
    cwd: ROOT,
    stdio: "pipe",
  });
}, 120_000);

function run(): { child: ChildProcess; output: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [DEMO], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => output, exit };
}



test("the demo deploys, replicates, promotes, prints the table and exits 0", async () => {
  const demo = run();
  expect(await demo.exit).toBe(0);
  const lines = demo.output().split("\n");
  const row = (service: string) => lines.find((line) => line.startsWith(`${service} `))?.split(/\s{2,}/);
  expect(row("cache-primary")?.slice(0, 5)).toEqual(["cache-primary", "primary", "RUNNING", "google-europe-west1", "business-4"]);
  expect(row("cache-replica-gcp")?.slice(0, 6)).toEqual([
    "cache-replica-gcp", "read replica", "RUNNING", "google-europe-west1", "startup-4",
    hasRedis ? "from cache-primary (link up)" : "from cache-primary",
  ]);
  expect(row("cache-replica-aws")?.slice(0, 5)).toEqual(["cache-replica-aws", "promoted (standalone)", "RUNNING", "aws-eu-west-1", "startup-4"]);
  if (hasRedis) {
    expect(row("cache-replica-aws")?.[6]).toBe("accepts writes; new primary data: not received (standalone)");
    expect(row("cache-replica-gcp")?.[6]).toMatch(/^still replicating: new data in \d+ ms$/);
  }
  expect(demo.output()).toMatch(/done: .* offline in [\d.]+s/);
}, 90_000);

(hasRedis ? test : test.skip)("Ctrl-C stops the demo and every redis-server it started", async () => {
  const demo = run();
  // A fresh process loads Pulumi first; on a loaded machine that alone can take seconds.
  let engines: number[] = [];
  for (let i = 0; i < 1200 && engines.length === 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    engines = childRedisServers(demo.child.pid!);
  }
  expect(engines.length).toBeGreaterThanOrEqual(1);
  demo.child.kill("SIGINT");
  expect(await demo.exit).toBe(130);
  expect(demo.output()).toContain("SIGINT: stopping the emulator and its engines");
  expect(engines.filter(isAlive)).toEqual([]);
}, 60_000);
