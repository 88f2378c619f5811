import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator } from "../../emulator";
import { createReplica, getService, primaryWithBackup, start, waitFor } from "./helpers";

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

test("every write is a complete file: no temp files are left and each version parses", async () => {
  const t = await start({ stateFile: file });
  const seen: string[] = [];
  const watcher = setInterval(() => {
    try {
      seen.push(fs.readFileSync(file, "utf8"));
    } catch {
      // not written yet
    }
  }, 1);
  try {
    for (let i = 0; i < 20; i++) {
      await t.api.post(`/v1/project/${P}/service`, { service_name: `s${i}`, service_type: "valkey", plan: "business-4" });
      await t.api.put(`/v1/project/${P}/service/s${i}`, { termination_protection: i % 2 === 0 });
    }
    await t.api.delete(`/v1/project/${P}/service/s1`);
  } finally {
    clearInterval(watcher);
    await t.emulator.close();
  }
  for (const text of seen) expect(() => JSON.parse(text)).not.toThrow();
  expect(fs.readdirSync(dir)).toEqual(["state.json"]);
  expect(stateOnDisk().services).toHaveLength(19);
});

test("reset empties the state file too", async () => {
  const t = await start({ stateFile: file });
  await t.api.post(`/v1/project/${P}/service`, { service_name: "a", service_type: "valkey", plan: "business-4" });
  await t.admin.post("/_emulator/reset");
  await t.emulator.close();
  expect(stateOnDisk()).toEqual({ version: 1, services: [], integrations: [] });
});

test("a state file that is not the emulator's is refused with a clear error", async () => {
  fs.writeFileSync(file, "{not json");
  await expect(startEmulator({ stateFile: file, engines: "none" })).rejects.toThrow(`state file ${file} is not valid JSON`);
});
