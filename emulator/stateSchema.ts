import { defaultDiskSpaceMb, defaultMaintenance, isServiceType } from "./catalog";
import type { EngineRecord, StateSnapshot } from "./store";
import type { IntegrationRecord, ServiceRecord } from "./types";

type Json = Record<string, unknown>;

/**
 * Checks a parsed state file record by record, so that a damaged or hand-edited file is refused
 * at start with the field at fault, never half-loaded into answers that fail later. Fields added
 * after a file was written get their defaults (a service's `fake_port` became `port`).
 */
export function parseStateSnapshot(value: unknown): StateSnapshot {
  const root = object(value, "the file");
  if (root.version !== 1) throw new Error("not an emulator state file (version 1)");
  const services = list(root.services, "services").map((item, i) => serviceRecord(item, `services[${i}]`));
  const integrations = list(root.integrations, "integrations").map((item, i) => integrationRecord(item, `integrations[${i}]`));
  const engines = list(root.engines ?? [], "engines").map((item, i) => engineRecord(item, `engines[${i}]`));
  const seen = new Set<string>();
  for (const s of services) {
    const key = `${s.project}/${s.service_name}`;
    if (seen.has(key)) throw new Error(`service ${key} appears twice`);
    seen.add(key);
  }
  return { version: 1, services, integrations, engines };
}

function serviceRecord(value: unknown, at: string): ServiceRecord {
  const r = object(value, at);
  const serviceName = string(r.service_name, `${at}.service_name`);
  const serviceType = string(r.service_type, `${at}.service_type`);
  if (!isServiceType(serviceType)) throw new Error(`${at}.service_type must be valkey or redis, not ${JSON.stringify(serviceType)}`);
  const plan = string(r.plan, `${at}.plan`);
  return {
    project: string(r.project, `${at}.project`),
    service_name: serviceName,
    service_type: serviceType,
    plan,
    cloud_name: string(r.cloud_name, `${at}.cloud_name`),
    create_time: time(r.create_time, `${at}.create_time`),
    update_time: time(r.update_time, `${at}.update_time`),
    termination_protection: boolean(r.termination_protection, `${at}.termination_protection`),
    powered: boolean(r.powered, `${at}.powered`),
    transition: transition(r.transition, `${at}.transition`),
    backup_at: r.backup_at === null ? null : finite(r.backup_at, `${at}.backup_at`),
    password: string(r.password, `${at}.password`),
    port: port(r.port ?? r.fake_port, `${at}.port`),
    user_config: object(r.user_config ?? {}, `${at}.user_config`),
    tags: stringMap(r.tags ?? {}, `${at}.tags`),
    tech_emails: list(r.tech_emails ?? [], `${at}.tech_emails`).map((e, i) => string(e, `${at}.tech_emails[${i}]`)),
    maintenance: r.maintenance === undefined ? defaultMaintenance(serviceName) : maintenance(r.maintenance, `${at}.maintenance`),
    disk_space_mb: r.disk_space_mb === undefined ? defaultDiskSpaceMb(plan) : positiveInteger(r.disk_space_mb, `${at}.disk_space_mb`),
  };
}

function integrationRecord(value: unknown, at: string): IntegrationRecord {
  const r = object(value, at);
  const field = (name: string): string => string(r[name], `${at}.${name}`);
  return {
    project: field("project"),
    service_integration_id: field("service_integration_id"),
    integration_type: field("integration_type"),
    source_project: field("source_project"),
    source_service: field("source_service"),
    source_service_type: typeof r.source_service_type === "string" ? r.source_service_type : "",
    dest_project: field("dest_project"),
    dest_service: field("dest_service"),
    dest_service_type: typeof r.dest_service_type === "string" ? r.dest_service_type : "",
    description: typeof r.description === "string" ? r.description : "",
    user_config: object(r.user_config ?? {}, `${at}.user_config`),
  };
}

function engineRecord(value: unknown, at: string): EngineRecord {
  const r = object(value, at);
  return { pid: positiveInteger(r.pid, `${at}.pid`), port: port(r.port, `${at}.port`), dir: string(r.dir, `${at}.dir`) };
}

function transition(value: unknown, at: string): ServiceRecord["transition"] {
  if (value === null) return null;
  const t = object(value, at);
  if (t.state !== "REBUILDING" && t.state !== "REBALANCING") throw new Error(`${at}.state must be REBUILDING or REBALANCING`);
  return { state: t.state, until: finite(t.until, `${at}.until`) };
}

function maintenance(value: unknown, at: string): { dow: string; time: string } {
  const m = object(value, at);
  return { dow: string(m.dow, `${at}.dow`), time: string(m.time, `${at}.time`) };
}

function object(value: unknown, at: string): Json {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error(`${at} must be an object, not ${describe(value)}`);
  return value as Json;
}

function list(value: unknown, at: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${at} must be a list, not ${describe(value)}`);
  return value;
}

function string(value: unknown, at: string): string {
  if (typeof value !== "string" || value === "") throw new Error(`${at} must be a non-empty string, not ${describe(value)}`);
  return value;
}

function boolean(value: unknown, at: string): boolean {
  if (typeof value !== "boolean") throw new Error(`${at} must be true or false, not ${describe(value)}`);
  return value;
}

function finite(value: unknown, at: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) throw new Error(`${at} must be a number, not ${describe(value)}`);
  return value;
}

function positiveInteger(value: unknown, at: string): number {
  if (!Number.isInteger(value) || (value as number) <= 0) throw new Error(`${at} must be a positive integer, not ${describe(value)}`);
  return value as number;
}

function port(value: unknown, at: string): number {
  const n = positiveInteger(value, at);
  if (n > 65_535) throw new Error(`${at} must be a port number, not ${n}`);
  return n;
}

function time(value: unknown, at: string): string {
  const text = string(value, at);
  if (Number.isNaN(Date.parse(text))) throw new Error(`${at} must be an ISO 8601 time, not ${describe(value)}`);
  return text;
}

function stringMap(value: unknown, at: string): Record<string, string> {
  const m = object(value, at);
  for (const [k, v] of Object.entries(m)) {
    if (typeof v !== "string") throw new Error(`${at}.${k} must be a string, not ${describe(v)}`);
  }
  return m as Record<string, string>;
}

function describe(value: unknown): string {
  if (value === undefined) return "missing";
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
