import * as fs from "node:fs";
import * as path from "node:path";
import { parseStateSnapshot } from "./stateSchema";
import { EngineRecord, MemoryStore, StateSnapshot, StateStore } from "./store";
import type { IntegrationRecord, ServiceRecord } from "./types";

/**
 * A StateStore that writes the whole state to a JSON file after every mutation (or batch of
 * mutations), synchronously, before the caller goes on to answer the request. The write goes to
 * a temporary file in the same directory, is fsynced and then renamed over the target, so a
 * kill at any moment leaves either the previous or the new complete file.
 *
 * Memory never runs ahead of the disk: the store keeps the last state it wrote (or loaded), and
 * when a write fails, or a batch throws, the in-memory state is rolled back to it before the
 * error goes on (the request answers 500 and nothing of it is seen later).
 */
export class PersistentStore implements StateStore {
  private inner: MemoryStore;
  /** What the file holds: the state as last loaded or written. */
  private persisted: StateSnapshot;
  private depth = 0;
  private dirty = false;
  private writes = 0;

  /** Fails at once, with the reason, when the file cannot be read, parsed or written. */
  constructor(private readonly file: string) {
    this.persisted = readSnapshot(file) ?? { version: 1, services: [], integrations: [], engines: [] };
    this.inner = new MemoryStore(this.persisted);
    removeStaleTempFiles(file);
    checkWritable(file);
  }

  getService(project: string, name: string): ServiceRecord | undefined {
    return this.inner.getService(project, name);
  }
  listServices(project: string): ServiceRecord[] {
    return this.inner.listServices(project);
  }
  allServices(): ServiceRecord[] {
    return this.inner.allServices();
  }
  getIntegration(project: string, id: string): IntegrationRecord | undefined {
    return this.inner.getIntegration(project, id);
  }
  listIntegrations(project: string): IntegrationRecord[] {
    return this.inner.listIntegrations(project);
  }
  snapshot(): StateSnapshot {
    return this.inner.snapshot();
  }
  engines(): EngineRecord[] {
    return this.inner.engines();
  }
  setEngines(engines: EngineRecord[]): void {
    this.mutate(() => this.inner.setEngines(engines));
  }

  putService(service: ServiceRecord): void {
    this.mutate(() => this.inner.putService(service));
  }
  deleteService(project: string, name: string): void {
    this.mutate(() => this.inner.deleteService(project, name));
  }
  putIntegration(integration: IntegrationRecord): void {
    this.mutate(() => this.inner.putIntegration(integration));
  }
  deleteIntegration(project: string, id: string): void {
    this.mutate(() => this.inner.deleteIntegration(project, id));
  }
  clear(): void {
    this.mutate(() => this.inner.clear());
  }

  batch<T>(fn: () => T): T {
    this.depth++;
    let result: T;
    try {
      result = fn();
    } catch (err) {
      this.depth--;
      if (this.depth === 0) this.rollback();
      throw err;
    }
    this.depth--;
    if (this.depth === 0 && this.dirty) this.flush();
    return result;
  }

  private mutate(fn: () => void): void {
    fn();
    this.dirty = true;
    if (this.depth === 0) this.flush();
  }

  private flush(): void {
    this.dirty = false;
    const snapshot = this.inner.snapshot();
    try {
      this.write(JSON.stringify(snapshot, null, 2) + "\n");
    } catch (err) {
      this.rollback();
      throw err;
    }
    this.persisted = snapshot;
  }

  private rollback(): void {
    this.dirty = false;
    this.inner = new MemoryStore(this.persisted);
  }

  private write(text: string): void {
    const dir = path.dirname(this.file);
    const tmp = path.join(dir, `${tempPrefix(this.file)}${process.pid}.${++this.writes}.tmp`);
    try {
      const fd = fs.openSync(tmp, "w", 0o600);
      try {
        // writeFileSync on an fd loops until every byte is written (a bare writeSync may not).
        fs.writeFileSync(fd, text);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(tmp, this.file);
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      throw err;
    }
    syncDirectory(dir);
  }
}

/** Temp files are `.<name>.<pid>.<n>.tmp` next to the state file. */
function tempPrefix(file: string): string {
  return `.${path.basename(file)}.`;
}

// A kill between the temp file's creation and the rename leaves it behind; it never holds
// anything the state file does not (the rename is the commit), so it is removed on load.
function removeStaleTempFiles(file: string): void {
  const dir = path.dirname(file);
  const prefix = tempPrefix(file);
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!entry.startsWith(prefix) || !/^\d+\.\d+\.tmp$/.test(entry.slice(prefix.length))) continue;
    fs.rmSync(path.join(dir, entry), { force: true });
  }
}

function readSnapshot(file: string): StateSnapshot | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`state file ${file} is not valid JSON`);
  }
  try {
    return parseStateSnapshot(parsed);
  } catch (err) {
    throw new Error(`state file ${file}: ${(err as Error).message}`);
  }
}

// Every later write goes through a temp file in the same directory: find out now, not at the
// first request, when that directory is missing or read-only.
function checkWritable(file: string): void {
  const dir = path.dirname(file);
  const probe = path.join(dir, `${tempPrefix(file)}${process.pid}.0.tmp`);
  try {
    fs.writeFileSync(probe, "", { mode: 0o600 });
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === "ENOENT" ? "its directory does not exist" : (err as Error).message;
    throw new Error(`state file ${file} cannot be written: ${reason}`);
  } finally {
    fs.rmSync(probe, { force: true });
  }
}

// The rename is only durable once the directory entry is; some filesystems refuse a directory fsync.
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, "r");
    fs.fsyncSync(fd);
  } catch {
    // best effort
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
