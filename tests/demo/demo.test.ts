// `npm run demo` on the offline harness, as it runs where no Pulumi CLI with Aiven's plugin is
// found (the real-engine run is in tests/acceptance/demo.acceptance.ts). A Ctrl-C must stop every
// redis-server it started.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { childRedisServers, isAlive } from "../helpers/processes";
import { compileDemo, expectCompletedFlow, hasRedis, runDemo } from "./demoRun";

const emptyCache = fs.mkdtempSync(path.join(os.tmpdir(), "demo-no-toolchain-"));
/** The environment of a machine without the toolchain and without `pulumi` on PATH. */
const noEngine: NodeJS.ProcessEnv = {
  ...process.env,
  AIVEN_RR_TOOLCHAIN_CACHE: emptyCache,
  PATH: (process.env.PATH ?? "")
    .split(path.delimiter)
    .filter((dir) => !fs.existsSync(path.join(dir, "pulumi")))
    .join(path.delimiter),
};

beforeAll(() => compileDemo(), 120_000);
afterAll(() => fs.rmSync(emptyCache, { recursive: true, force: true }));

test("no Pulumi CLI found: the first line says the harness runs it and why; the whole flow runs and exits 0", async () => {
  const demo = runDemo([], noEngine);
  expect(await demo.exit).toBe(0);
  const [first] = demo.output().split("\n");
  expect(first).toMatch(/^demo: on the offline harness, not the real Pulumi engine: no Pulumi CLI on PATH, and no Pulumi CLI at .*npm run toolchain/);
  expectCompletedFlow(demo.output());
  expect(demo.output()).toContain("on the offline harness in");
}, 120_000);

test("--engine real where no engine is found: exits 1 at once, saying why", async () => {
  const demo = runDemo(["--engine", "real"], noEngine);
  expect(await demo.exit).toBe(1);
  expect(demo.output().split("\n")[0]).toMatch(/^demo failed: --engine real: no Pulumi CLI on PATH/);
  expect(demo.output()).not.toContain("1/5");
}, 60_000);

(hasRedis ? test : test.skip)("Ctrl-C stops the demo and every redis-server it started", async () => {
  const demo = runDemo(["--engine", "harness"]);
  // A fresh process loads Pulumi first; on a loaded machine that alone can take seconds.
  let engines: number[] = [];
  for (let i = 0; i < 1200 && engines.length === 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    engines = childRedisServers(demo.child.pid!);
  }
  expect(engines.length).toBeGreaterThanOrEqual(1);
  demo.child.kill("SIGINT");
  expect(await demo.exit).toBe(130);
  expect(demo.output().split("\n")[0]).toBe("demo: on the offline harness, not the real Pulumi engine (--engine harness)");
  expect(demo.output()).toContain("SIGINT: stopping the emulator and its engines");
  expect(engines.filter(isAlive)).toEqual([]);
}, 60_000);
