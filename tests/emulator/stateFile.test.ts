import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import { startEmulator } from "../../emulator";
import { createReplica, getService, primaryWithBackup, sleep, start, waitFor } from "./helpers";

const P = "persisted";
let dir: string;
let file: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "emu-state-"));
  file = path.join(dir, "state.json");
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function stateOnDisk(): { version: number; services: { service_name: string }[]; integrations: unknown[] } {
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

test("services and integrations survive a restart on the same state file", async () => {
  const first = await start({ stateFile: file });
  await primaryWithBackup(first.api, P, "prim");
  const replica = await createReplica(first.api, P, "rep", "prim", { termination_protection: true });
  expect(replica.status).toBe(200);
  // Written before the response: the file already has both services and the integration.
  expect(stateOnDisk().services.map((s) => s.service_name)).toEqual(["prim", "rep"]);
  expect(stateOnDisk().integrations).toHaveLength(1);
  const before = await getService(first.api, P, "rep");
  await first.emulator.close();

  const second = await start({ stateFile: file });
  try {
    const after = await waitFor("rep RUNNING", async () => {
      const s = await getService(second.api, P, "rep");
      return s.state === "RUNNING" ? s : undefined;
    });
    expect(after.service_integrations).toEqual(before.service_integrations);
    expect(after.termination_protection).toBe(true);
    expect(after.service_uri_params.password).toBe(before.service_uri_params.password);
    const prim = await getService(second.api, P, "prim");
    expect(prim.backups).toHaveLength(1);
    expect(prim.service_integrations).toEqual(before.service_integrations);
  } finally {
    await second.emulator.close();
  }
});

function storedTransition(name: string): { state: string; until: number } {
  const services = JSON.parse(fs.readFileSync(file, "utf8")).services as { service_name: string; transition: { state: string; until: number } }[];
  return services.find((s) => s.service_name === name)!.transition;
}

test("a transition in progress keeps its stored deadline across a restart, not the new emulator's timing", async () => {
  const first = await start({ stateFile: file, buildMs: 10_000 });
  const created = await first.api.post(`/v1/project/${P}/service`, { service_name: "slow", service_type: "valkey", plan: "business-4" });
  const createTime = Date.parse((created.data as { service: { create_time: string } }).service.create_time);
  await first.emulator.close();
  const deadline = storedTransition("slow");
  expect(deadline).toEqual({ state: "REBUILDING", until: createTime + 10_000 });

  // buildMs 0 now: a restart that started the transition over (or dropped it) would be RUNNING.
  const second = await start({ stateFile: file, buildMs: 0 });
  try {
    expect((await getService(second.api, P, "slow")).state).toBe("REBUILDING");
    expect(storedTransition("slow")).toEqual(deadline);
  } finally {
    await second.emulator.close();
  }
});

test("a transition in progress ends at its stored deadline after a restart", async () => {
  const first = await start({ stateFile: file, buildMs: 1_500 });
  await first.api.post(`/v1/project/${P}/service`, { service_name: "slow", service_type: "valkey", plan: "business-4" });
  await first.emulator.close();
  // buildMs 60 s now: reaching RUNNING within waitFor's 10 s proves the old deadline was resumed.
  const second = await start({ stateFile: file, buildMs: 60_000 });
  try {
    await waitFor("RUNNING", async () => ((await getService(second.api, P, "slow")).state === "RUNNING" ? true : undefined));
    expect(Date.now()).toBeGreaterThanOrEqual(storedTransition("slow").until);
  } finally {
    await second.emulator.close();
  }
});

// The fs module object the store calls through (a namespace import of it only wraps it in getters).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const realFs: typeof fs = require("node:fs");

/** Reads the state file in a tight loop on another thread until told to stop. */
function startReader(target: string): { ready: Promise<void>; stop: () => Promise<{ reads: number; torn: string[] }> } {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(
    `
    const fs = require("node:fs");
    const { parentPort, workerData } = require("node:worker_threads");
    const flag = workerData.flag;
    let reads = 0;
    const torn = [];
    parentPort.postMessage("ready");
    while (Atomics.load(flag, 0) === 0) {
      let text;
      try {
        text = fs.readFileSync(workerData.file, "utf8");
      } catch {
        continue;
      }
      reads++;
      try {
        JSON.parse(text);
      } catch {
        if (torn.length < 3) torn.push(text.slice(-80));
      }
    }
    parentPort.postMessage({ reads, torn });
    `,
    { eval: true, workerData: { file: target, flag } },
  );
  const messages: unknown[] = [];
  const waiters: ((m: unknown) => void)[] = [];
  worker.on("message", (m) => {
    const waiter = waiters.shift();
    if (waiter) waiter(m);
    else messages.push(m);
  });
  const next = (): Promise<unknown> =>
    messages.length > 0 ? Promise.resolve(messages.shift()) : new Promise((resolve) => waiters.push(resolve));
  return {
    ready: next().then(() => undefined),
    stop: async () => {
      Atomics.store(flag, 0, 1);
      const result = (await next()) as { reads: number; torn: string[] };
      await worker.terminate();
      return result;
    },
  };
}

test("a reader on another thread only ever sees complete files", async () => {
  const t = await start({ stateFile: file });
  const reader = startReader(file);
  let result: { reads: number; torn: string[] } | undefined;
  try {
    await reader.ready;
    for (let i = 0; i < 20; i++) {
      await t.api.post(`/v1/project/${P}/service`, { service_name: `s${i}`, service_type: "valkey", plan: "business-4" });
      await t.api.put(`/v1/project/${P}/service/s${i}`, { termination_protection: i % 2 === 0 });
    }
    await t.api.delete(`/v1/project/${P}/service/s1`);
  } finally {
    result = await reader.stop();
    await t.emulator.close();
  }
  expect(result.torn).toEqual([]);
  expect(result.reads).toBeGreaterThan(0);
  expect(fs.readdirSync(dir)).toEqual(["state.json"]);
  expect(stateOnDisk().services).toHaveLength(19);
});

describe("a failed write", () => {
  afterEach(() => jest.restoreAllMocks());

  test("leaves the file and the answers as they were, and no temp file behind", async () => {
    const t = await start({ stateFile: file });
    try {
      expect((await t.api.post(`/v1/project/${P}/service`, { service_name: "a", service_type: "valkey", plan: "business-4" })).status).toBe(200);
      const before = fs.readFileSync(file, "utf8");
      jest.spyOn(realFs, "renameSync").mockImplementationOnce(() => {
        throw Object.assign(new Error("EIO: i/o error, rename"), { code: "EIO" });
      });
      const failed = await t.api.post(`/v1/project/${P}/service`, { service_name: "b", service_type: "valkey", plan: "business-4" });
      expect(failed.status).toBe(500);
      expect(fs.readFileSync(file, "utf8")).toBe(before);
      expect(fs.readdirSync(dir)).toEqual(["state.json"]);
      // Memory agrees with the disk: the failed create did not happen.
      expect((await t.api.get(`/v1/project/${P}/service/b`)).status).toBe(404);
      const names = (await t.api.get(`/v1/project/${P}/service`)).data.services.map((s: { service_name: string }) => s.service_name);
      expect(names).toEqual(["a"]);

      expect((await t.api.post(`/v1/project/${P}/service`, { service_name: "b", service_type: "valkey", plan: "business-4" })).status).toBe(200);
      expect(stateOnDisk().services.map((s) => s.service_name)).toEqual(["a", "b"]);
    } finally {
      await t.emulator.close();
    }
  });

  test("a failed batch (create of a replica) leaves no part of it in memory", async () => {
    const t = await start({ stateFile: file });
    try {
      await primaryWithBackup(t.api, P, "prim");
      jest.spyOn(realFs, "renameSync").mockImplementationOnce(() => {
        throw new Error("ENOSPC: no space left on device, rename");
      });
      expect((await createReplica(t.api, P, "rep", "prim")).status).toBe(500);
      expect((await getService(t.api, P, "prim")).service_integrations).toEqual([]);
      expect((await t.api.get(`/v1/project/${P}/service/rep`)).status).toBe(404);
      expect(stateOnDisk().integrations).toEqual([]);
    } finally {
      await t.emulator.close();
    }
  });

  test("short writes are continued: the file is complete however the kernel splits the write", async () => {
    const original = realFs.writeSync.bind(realFs) as (...args: unknown[]) => number;
    // At most 64 bytes per call, as a full disk or a signal can make write(2) do.
    jest.spyOn(realFs, "writeSync").mockImplementation(((fd: number, data: unknown, ...rest: unknown[]) => {
      if (typeof data === "string") return original(fd, data.slice(0, 64));
      const [offset = 0, length = (data as Buffer).byteLength - Number(offset), position] = rest as number[];
      return original(fd, data, offset, Math.min(length, 64), position);
    }) as typeof fs.writeSync);
    const t = await start({ stateFile: file });
    try {
      await t.api.post(`/v1/project/${P}/service`, { service_name: "a", service_type: "valkey", plan: "business-4" });
    } finally {
      await t.emulator.close();
    }
    expect(stateOnDisk().services.map((s) => s.service_name)).toEqual(["a"]);
  });
});

test("temp files left by a crash are removed when the state file is loaded", async () => {
  fs.writeFileSync(file, JSON.stringify({ version: 1, services: [], integrations: [] }));
  fs.writeFileSync(path.join(dir, ".state.json.4242.7.tmp"), "{\"version\": 1, \"serv");
  fs.writeFileSync(path.join(dir, ".other.json.4242.7.tmp"), "not ours");
  const t = await start({ stateFile: file });
  await t.emulator.close();
  expect(fs.readdirSync(dir).sort()).toEqual([".other.json.4242.7.tmp", "state.json"]);
});

test("reset empties the state file too", async () => {
  const t = await start({ stateFile: file });
  await t.api.post(`/v1/project/${P}/service`, { service_name: "a", service_type: "valkey", plan: "business-4" });
  await t.admin.post("/_emulator/reset");
  await t.emulator.close();
  expect(stateOnDisk()).toEqual({ version: 1, services: [], integrations: [], engines: [] });
});

test("a state file that is not the emulator's is refused with a clear error", async () => {
  fs.writeFileSync(file, "{not json");
  await expect(startEmulator({ stateFile: file, engines: "none" })).rejects.toThrow(`state file ${file} is not valid JSON`);
});

test("a request held by a delayMs fault while close() runs changes nothing afterwards", async () => {
  const t = await start({ stateFile: file });
  await t.api.post(`/v1/project/${P}/service`, { service_name: "a", service_type: "valkey", plan: "business-4" });
  const delayMs = 300;
  await t.admin.post("/_emulator/faults", { method: "POST", path: `/v1/project/${P}/service`, delayMs });
  const held = t.api
    .post(`/v1/project/${P}/service`, { service_name: "late", service_type: "valkey", plan: "business-4" })
    .catch((err: Error) => err);
  await waitFor("the request to be held", async () => ((await t.admin.get("/_emulator/faults")).data.faults.length === 0 ? true : undefined));
  await t.emulator.close();
  await held;
  const after = fs.readFileSync(file, "utf8");
  await sleep(delayMs + 700);
  expect(fs.readFileSync(file, "utf8")).toBe(after);
  expect(stateOnDisk().services.map((s) => s.service_name)).toEqual(["a"]);
});
