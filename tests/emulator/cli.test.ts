import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Writable } from "node:stream";
import axios from "axios";
import { main, parseArgs } from "../../emulator/cli";
import { findRedisServer } from "../../emulator/engines";
import { childRedisServers } from "../helpers/processes";
import { waitFor } from "./helpers";

test("flags map onto EmulatorOptions, with the documented defaults", () => {
  expect(parseArgs([])).toEqual({
    port: 0,
    host: "127.0.0.1",
    token: undefined,
    projects: undefined,
    buildMs: 200,
    backupMs: 200,
    promoteMs: 100,
    engines: "auto",
    stateFile: undefined,
    quiet: false,
  });
  expect(
    parseArgs([
      "--port", "0", "--token", "tok", "--projects", "a, b", "--build-ms", "5", "--backup-ms", "6",
      "--promote-ms", "7", "--engines", "none", "--state-file", "/tmp/x.json", "--quiet",
    ]),
  ).toEqual({
    port: 0,
    host: "127.0.0.1",
    token: "tok",
    projects: ["a", "b"],
    buildMs: 5,
    backupMs: 6,
    promoteMs: 7,
    engines: "none",
    stateFile: "/tmp/x.json",
    quiet: true,
  });
});

test.each([
  [["--engines", "docker"]],
  [["--port", "-1"]],
  [["--build-ms", "soon"]],
])("bad flags %p are refused", (argv) => {
  expect(() => parseArgs(argv)).toThrow();
});

test("main prints exactly the listening line and serves the API", async () => {
  let printed = "";
  const out = new Writable({
    write(chunk: Buffer, _enc, done) {
      printed += chunk.toString();
      done();
    },
  });
  const listenersBefore = { SIGINT: process.listenerCount("SIGINT"), SIGTERM: process.listenerCount("SIGTERM") };
  const emulator = await main(["--port", "0", "--engines", "none", "--token", "tok", "--quiet"], out);
  expect(process.listenerCount("SIGTERM")).toBe(listenersBefore.SIGTERM + 1);
  try {
    expect(printed).toBe(`listening on http://127.0.0.1:${emulator.port}\n`);
    const res = await axios.get(`${emulator.url}/v1/project/p/service`, { headers: { Authorization: "aivenv1 tok" } });
    expect(res.data).toEqual({ services: [] });
  } finally {
    await emulator.close();
  }
  // close() removes exactly the handlers main added.
  expect({ SIGINT: process.listenerCount("SIGINT"), SIGTERM: process.listenerCount("SIGTERM") }).toEqual(listenersBefore);
});

describe("the compiled bin", () => {
  const ROOT = path.resolve(__dirname, "..", "..");
  const hasRedis = findRedisServer() !== undefined;
  let outDir: string;

  beforeAll(() => {
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), "emu-bin-"));
    execFileSync(
      process.execPath,
      [
        require.resolve("typescript/bin/tsc"), path.join(ROOT, "emulator", "cli.ts"),
        "--outDir", outDir, "--rootDir", ROOT,
        "--target", "ES2022", "--module", "commonjs", "--moduleResolution", "node",
        "--esModuleInterop", "--skipLibCheck", "--strict", "--types", "node",
      ],
      { cwd: ROOT, stdio: "pipe" },
    );
  }, 120_000);
  afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

  const isRedisServer = (pid: number): boolean => {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      return /^\d+ \(redis-server\) [^Z]/.test(stat);
    } catch {
      return false;
    }
  };

  test("SIGINT after a service is created: exit code 0 and none of its redis-servers survive", async () => {
    const child = spawn(process.execPath, [path.join(outDir, "emulator", "cli.js"), "--port", "0", "--engines", "auto", "--build-ms", "50", "--quiet"], {
      cwd: ROOT,
      // The compiled files live outside the project: let them find its node_modules.
      env: { ...process.env, NODE_PATH: path.join(ROOT, "node_modules") },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      const url = await waitFor("the listening line", async () => /listening on (http:\S+)\n/.exec(stdout)?.[1], 30_000);
      const api = axios.create({ baseURL: url, headers: { Authorization: "aivenv1 tok" }, validateStatus: () => true });
      const created = await api.post("/v1/project/p/service", { service_name: "s1", service_type: "valkey", plan: "business-4" });
      expect(created.status).toBe(200);
      let engines: number[] = [];
      if (hasRedis) {
        await waitFor("s1 RUNNING", async () => ((await api.get("/v1/project/p/service/s1")).data.service.state === "RUNNING" ? true : undefined));
        engines = childRedisServers(child.pid!);
        expect(engines).toHaveLength(1);
      }
      child.kill("SIGINT");
      // stderr rides along so that a failure shows why.
      expect([await exit, stderr]).toEqual([0, expect.any(String)]);
      expect(engines.filter(isRedisServer)).toEqual([]);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
  }, 60_000);

  /** Starts the compiled bin; resolves with its URL once it prints the listening line. */
  async function startBin(args: string[]): Promise<{ child: ReturnType<typeof spawn>; url: string }> {
    const child = spawn(process.execPath, [path.join(outDir, "emulator", "cli.js"), "--port", "0", "--quiet", ...args], {
      cwd: ROOT,
      env: { ...process.env, NODE_PATH: path.join(ROOT, "node_modules") },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
    const url = await waitFor("the listening line", async () => /listening on (http:\S+)\n/.exec(stdout)?.[1], 30_000);
    return { child, url };
  }

  (hasRedis ? test : test.skip)("after a SIGKILL, the next start on the same state file reaps the redis-servers left running", async () => {
    const stateFile = path.join(outDir, "killed-state.json");
    const first = await startBin(["--engines", "auto", "--build-ms", "50", "--state-file", stateFile]);
    let orphans: number[] = [];
    try {
      const api = axios.create({ baseURL: first.url, headers: { Authorization: "aivenv1 tok" }, validateStatus: () => true });
      expect((await api.post("/v1/project/p/service", { service_name: "s1", service_type: "valkey", plan: "business-4" })).status).toBe(200);
      await waitFor("s1 RUNNING", async () => ((await api.get("/v1/project/p/service/s1")).data.service.state === "RUNNING" ? true : undefined));
      orphans = childRedisServers(first.child.pid!);
      expect(orphans).toHaveLength(1);
      const exited = new Promise((resolve) => first.child.once("exit", resolve));
      first.child.kill("SIGKILL");
      await exited;
      // Nobody stops it: the engine outlives its emulator.
      expect(orphans.filter(isRedisServer)).toEqual(orphans);

      const second = await startBin(["--engines", "none", "--state-file", stateFile]);
      try {
        await waitFor("the orphan to be reaped", async () => (orphans.filter(isRedisServer).length === 0 ? true : undefined), 10_000);
      } finally {
        second.child.kill("SIGKILL");
      }
    } finally {
      if (first.child.exitCode === null && first.child.signalCode === null) first.child.kill("SIGKILL");
      for (const pid of orphans.filter(isRedisServer)) process.kill(pid, "SIGKILL");
    }
  }, 60_000);
});
