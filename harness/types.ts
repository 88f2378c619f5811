import type { AivenClientOptions } from "../provider/aivenClient";

/** What the harness did to one resource, as `pulumi up` would report it. */
export type Action = "create" | "update" | "same" | "replace" | "delete";

export interface ResourceRecord {
  type: string;
  name: string;
  id?: string;
  custom: boolean;
  /** Secrets unwrapped, no `__provider`. */
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  action: Action;
  durationMs: number;
}

export interface LogRecord {
  severity: "info" | "warning" | "error";
  message: string;
}

export interface RunResult {
  project: string;
  stack: string;
  /** In registration order; deleted resources last. */
  resources: ResourceRecord[];
  /** The program's result, secrets unwrapped. */
  outputs: Record<string, unknown>;
  /** What the dynamic providers logged. */
  logs: LogRecord[];
  durationMs: number;
  /** After a failed run: replaced resources not deleted yet, which the next run deletes first. */
  pendingDeletes?: ResourceRecord[];
}

/** A program as the language host runs it: its result (or module exports) are the stack outputs. */
export type Program = () => Promise<Record<string, unknown> | void> | Record<string, unknown> | void;

export interface RunOptions {
  /** Emulator (or Aiven) base URL, no /v1; AIVEN_WEB_URL during the run. */
  emulatorUrl: string;
  /** The secret config `aiven:apiToken`. */
  token: string;
  project?: string; // default "offline"
  stack?: string; // default "dev"
  /** Stack config; keys without a namespace belong to the project (`replicas` → `<project>:replicas`). */
  config?: Record<string, string>;
  /** The last run, in place of a state file. */
  previous?: RunResult;
  /** Like `pulumi up --refresh`: read each resource back first. */
  refresh?: boolean;
  /** One line per action and per log message. */
  log?: (line: string) => void;
  servicePollMs?: number; // default 100
  serviceTimeoutMs?: number; // default 10 minutes
  /** Retries of the harness's own Aiven client; the dynamic providers keep their defaults. */
  clientTuning?: Omit<AivenClientOptions, "token" | "apiUrl">;
}

/** A run that failed: every error, and what was done before it. */
export class DeployError extends Error {
  constructor(readonly errors: string[], readonly partial: RunResult) {
    super(`deployment failed:\n${errors.map((e) => `  ${e}`).join("\n")}`);
    this.name = "DeployError";
  }
}
