// Loading a state file: damaged records and unwritable places are refused at start, with the
// reason; engines left running by a killed emulator are reaped.
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator } from "../../emulator";
import { findRedisServer, freePort } from "../../emulator/engines";
import { isAlive } from "../helpers/processes";
import { getService, start, waitFor } from "./helpers";

const P = "persisted";
let dir: string;
let file: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "emu-load-"));
  file = path.join(dir, "state.json");
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A service record as an emulator of an earlier release wrote it (with `fake_port`). */
function earlierRecord(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    project: P,
    service_name: "old",
    service_type: "valkey",
    plan: "business-4",
    cloud_name: "google-europe-west1",
    create_time: "2026-01-01T00:00:00.000Z",
    update_time: "2026-01-01T00:00:00.000Z",
    termination_protection: false,
    powered: true,
    transition: null,
    backup_at: 1767225600000,
    password: "AVNS_secret",
    fake_port: 23456,
    user_config: {},
    ...overrides,
  };
}

function writeState(services: unknown[], integrations: unknown[] = [], extra: Record<string, unknown> = {}): void {
  fs.writeFileSync(file, JSON.stringify({ version: 1, services, integrations, ...extra }));
}

test.each([
  ["a null service", [null], /services\[0\] must be an object, not null/],
  ["a service without a password", [earlierRecord({ password: undefined })], /services\[0\]\.password must be a non-empty string, not missing/],
  ["an unknown service type", [earlierRecord({ service_type: "pg" })], /services\[0\]\.service_type must be valkey or redis/],
  ["a bad transition", [earlierRecord({ transition: { state: "RUNNING", until: 1 } })], /services\[0\]\.transition\.state/],
  ["a port out of range", [earlierRecord({ fake_port: 70000 })], /services\[0\]\.port must be a port number/],
  ["a service listed twice", [earlierRecord(), earlierRecord()], /service persisted\/old appears twice/],
])("%s is refused at start, naming the record and field", async (_what, services, reason) => {
  writeState(services);
  await expect(startEmulator({ stateFile: file, engines: "none" })).rejects.toThrow(reason);
});

test("an integration record missing its dest_service is refused", async () => {
  writeState([earlierRecord()], [{ project: P, service_integration_id: "i", integration_type: "read_replica", source_project: P, source_service: "old", dest_project: P }]);
  await expect(startEmulator({ stateFile: file, engines: "none" })).rejects.toThrow(/integrations\[0\]\.dest_service must be a non-empty string/);
});

test("a record of an earlier release loads: its port is kept, the newer fields get defaults", async () => {
  writeState([earlierRecord()]);
  const t = await start({ stateFile: file });
  try {
    const s = await getService(t.api, P, "old");
    expect(s.service_uri_params.port).toBe("23456");
    expect(s).toMatchObject({ state: "RUNNING", tags: {}, tech_emails: [], maintenance: { enabled: true } });
  } finally {
    await t.emulator.close();
  }
});

test("a state file in a missing directory fails the start with the reason, not every later write", async () => {
  const missing = path.join(dir, "no-such-dir", "state.json");
  await expect(startEmulator({ stateFile: missing, engines: "none" })).rejects.toThrow(
    `state file ${missing} cannot be written: its directory does not exist`,
  );
});

(findRedisServer() ? describe : describe.skip)("with redis-server", () => {
  const tmpBefore = process.env.TMPDIR;
  afterEach(() => {
    if (tmpBefore === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = tmpBefore;
  });

  test("a failed start leaves no engines directory behind", async () => {
    const tmp = fs.mkdtempSync(path.join(dir, "tmp-"));
    process.env.TMPDIR = tmp;
    writeState([null]);
    await expect(startEmulator({ stateFile: file, engines: "auto" })).rejects.toThrow(/services\[0\]/);
    const blocker = await startEmulator({ engines: "none" });
    try {
      // A taken port fails the listen, after the engine manager exists.
      await expect(startEmulator({ engines: "auto", port: blocker.port })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await blocker.close();
    }
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  test("the running engines are kept with the state; a restart reaps those a killed emulator left", async () => {
    const t = await start({ stateFile: file, engines: "auto" });
    let recorded: { pid: number; port: number; dir: string }[];
    try {
      await t.api.post(`/v1/project/${P}/service`, { service_name: "live", service_type: "valkey", plan: "business-4" });
      recorded = await waitFor("the engine to be recorded", async () => {
        const engines = JSON.parse(fs.readFileSync(file, "utf8")).engines as { pid: number; port: number; dir: string }[];
        return engines.length === 1 ? engines : undefined;
      });
      expect(recorded[0].pid).toBe(t.emulator.enginePids()[0]);
    } finally {
      await t.emulator.close();
    }
    expect(JSON.parse(fs.readFileSync(file, "utf8")).engines).toEqual([]);

    // What a SIGKILLed emulator leaves: a redis-server nobody stops, and its directory.
    const port = await freePort();
    const engineDir = fs.mkdtempSync(path.join(os.tmpdir(), "aiven-emulator-"));
    const orphan = spawn(findRedisServer()!, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--dir", engineDir], {
      stdio: "ignore",
    });
    // And a process with a recorded pid that is not that redis-server: it must be left alone.
    const bystander = spawn("sleep", ["30"], { stdio: "ignore" });
    try {
      await waitFor("the orphan to run", async () => (readCmdline(orphan).includes(`:${port}`) ? true : undefined));
      const state = JSON.parse(fs.readFileSync(file, "utf8"));
      state.engines = [
        { pid: orphan.pid, port, dir: engineDir },
        { pid: bystander.pid, port, dir: "/etc" },
      ];
      fs.writeFileSync(file, JSON.stringify(state));

      const restarted = await startEmulator({ stateFile: file, engines: "none" });
      await restarted.close();
      await waitFor("the orphan to be killed", async () => (orphan.exitCode !== null || orphan.signalCode !== null ? true : undefined));
      expect(orphan.signalCode).toBe("SIGKILL");
      expect(fs.existsSync(engineDir)).toBe(false);
      expect(isAlive(bystander.pid!)).toBe(true);
      expect(fs.existsSync("/etc")).toBe(true);
    } finally {
      orphan.kill("SIGKILL");
      bystander.kill("SIGKILL");
      fs.rmSync(engineDir, { recursive: true, force: true });
    }
  });
});

// redis-server shows its address in its process title: "redis-server 127.0.0.1:PORT".
function readCmdline(child: ChildProcess): string {
  try {
    return fs.readFileSync(`/proc/${child.pid}/cmdline`, "utf8");
  } catch {
    return "";
  }
}
