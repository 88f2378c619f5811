import type { ServiceType } from "./types";

/** Aiven's service types that this emulator serves: Valkey and Caching (`redis`). */
export const SERVICE_TYPES: readonly ServiceType[] = ["valkey", "redis"];

export function isServiceType(value: string): value is ServiceType {
  return (SERVICE_TYPES as readonly string[]).includes(value);
}

export const SERVICE_TYPE_DESCRIPTIONS: Readonly<Record<ServiceType, string>> = {
  valkey: "Aiven for Valkey",
  redis: "Aiven for Caching",
};

/** Plans listed by the service-type endpoints; any `startup-`/`business-`/`premium-` plan is accepted. */
const PLAN_SIZES = [1, 4, 8, 16, 28, 56, 100, 200];
const LISTED_PLANS = PLAN_SIZES.flatMap((size) => [`startup-${size}`, `business-${size}`, `premium-${size}`]);

export function listedPlans(): string[] {
  return [...LISTED_PLANS];
}

const DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;

/** A weekday: what Aiven's API accepts for a maintenance window (it shows "never" but refuses it). */
export function isMaintenanceDay(value: string): boolean {
  return (DAYS as readonly string[]).includes(value);
}

/** A maintenance window as Aiven assigns one at create: a day and a UTC time, spread by name. */
export function defaultMaintenance(serviceName: string): { dow: string; time: string } {
  let hash = 0;
  for (const ch of serviceName) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  const hour = String(hash % 24).padStart(2, "0");
  return { dow: DAYS[hash % DAYS.length], time: `${hour}:00:00` };
}

/** The plan's memory in GB is the number in its name; the disk is a fixed multiple of it. */
export function defaultDiskSpaceMb(plan: string): number {
  const size = Number(/-(\d+)/.exec(plan)?.[1] ?? "4");
  return Math.max(1, size) * 4 * 1024;
}

/**
 * The part of Aiven's user_config JSON schema for a type that this emulator documents: a few of
 * the real options, enough for clients that parse the schema (avn turns `-c key=value` into
 * user_config with it). Other options are accepted and stored as given.
 */
export function userConfigSchema(type: ServiceType): Record<string, unknown> {
  const prefix = type;
  return {
    type: "object",
    title: `${SERVICE_TYPE_DESCRIPTIONS[type]} user configuration`,
    properties: {
      ip_filter: {
        type: "array",
        title: "IP filter",
        description: "Allow incoming connections from CIDR address block, e.g. '10.20.0.0/16'",
        items: { type: "string", title: "CIDR address block" },
        maxItems: 1024,
      },
      [`${prefix}_maxmemory_policy`]: {
        type: ["string", "null"],
        title: "Eviction policy for keys when memory is full",
        default: "noeviction",
        enum: ["noeviction", "allkeys-lru", "volatile-lru", "allkeys-random", "volatile-random", "volatile-ttl", "volatile-lfu", "allkeys-lfu"],
      },
      [`${prefix}_persistence`]: {
        type: "string",
        title: "Persistence",
        description: "'rdb' keeps backups; 'off' disables them",
        enum: ["off", "rdb"],
      },
      [`${prefix}_timeout`]: {
        type: "integer",
        title: "Idle client timeout in seconds",
        default: 300,
        minimum: 0,
        maximum: 31536000,
      },
      [`${prefix}_notify_keyspace_events`]: {
        type: "string",
        title: "Keyspace notifications",
        default: "",
        maxLength: 32,
        pattern: "^[KEg\\$lshzxentdmA]*$",
      },
    },
  };
}
