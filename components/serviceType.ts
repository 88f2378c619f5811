/**
 * The service types a set may declare. A named constant, so that every Pulumi language sees it as
 * an enum; string literals (`"valkey"`) keep working in TypeScript.
 */
export const ServiceType = {
  /** Aiven for Valkey (the default). */
  Valkey: "valkey",
  /** Aiven for Caching: Aiven's end-of-life service type `redis`. */
  Caching: "caching",
  /** The same Aiven service type as Caching, by its API name. */
  Redis: "redis",
} as const;

export type ServiceType = (typeof ServiceType)[keyof typeof ServiceType];
