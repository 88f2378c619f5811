import { badRequest } from "./errors";

/** A fault for the next `count` requests with this method and exact path. */
export interface FaultSpec {
  method: string;
  path: string;
  status?: number;
  count: number;
  retryAfter?: number;
  message?: string;
  delayMs?: number;
  reset?: boolean;
}

export class FaultTable {
  private faults: FaultSpec[] = [];

  add(fault: FaultSpec): void {
    this.faults.push(fault);
  }

  list(): FaultSpec[] {
    return this.faults.map((f) => ({ ...f }));
  }

  clear(): void {
    this.faults = [];
  }

  /** The first fault matching the request, counted down; undefined when none applies. */
  take(method: string, path: string): FaultSpec | undefined {
    const index = this.faults.findIndex((f) => f.method === method.toUpperCase() && f.path === path);
    if (index < 0) return undefined;
    const fault = this.faults[index];
    fault.count -= 1;
    if (fault.count <= 0) this.faults.splice(index, 1);
    return { ...fault };
  }
}

/** Default messages in Aiven's words for the statuses tests inject most. */
export function faultMessage(fault: FaultSpec): string {
  if (fault.message !== undefined) return fault.message;
  if (fault.status === 429) return `Rate limit exceeded, try again in ${fault.retryAfter ?? 1}s`;
  if (fault.status !== undefined && fault.status >= 500) return "Internal server error";
  return "Injected fault";
}

export function parseFault(body: unknown): FaultSpec {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw badRequest("fault must be a JSON object");
  const b = body as Record<string, unknown>;
  const str = (k: string): string | undefined => {
    if (b[k] === undefined) return undefined;
    if (typeof b[k] !== "string") throw badRequest(`fault.${k} must be a string`);
    return b[k] as string;
  };
  const num = (k: string, min: number): number | undefined => {
    if (b[k] === undefined) return undefined;
    const v = b[k];
    if (typeof v !== "number" || !Number.isInteger(v) || v < min) throw badRequest(`fault.${k} must be an integer >= ${min}`);
    return v;
  };
  const method = str("method");
  const path = str("path");
  if (!method || !path) throw badRequest("fault.method and fault.path are required");
  if (b.reset !== undefined && typeof b.reset !== "boolean") throw badRequest("fault.reset must be a boolean");
  const fault: FaultSpec = {
    method: method.toUpperCase(),
    path,
    status: num("status", 100),
    count: num("count", 1) ?? 1,
    retryAfter: num("retryAfter", 0),
    message: str("message"),
    delayMs: num("delayMs", 0),
    reset: b.reset === true ? true : undefined,
  };
  if (fault.status !== undefined && fault.status > 599) throw badRequest("fault.status must be an HTTP status");
  if (fault.status === undefined && fault.delayMs === undefined && !fault.reset) {
    throw badRequest("fault needs at least one of status, delayMs or reset");
  }
  return fault;
}

export interface LoggedRequest {
  method: string;
  path: string;
  /** The HTTP status sent, or 0 when the connection was reset by a fault. */
  status: number;
}

export class RequestLog {
  private entries: LoggedRequest[] = [];

  record(entry: LoggedRequest): void {
    this.entries.push(entry);
  }

  list(): LoggedRequest[] {
    return this.entries.map((e) => ({ ...e }));
  }

  clear(): void {
    this.entries = [];
  }
}
