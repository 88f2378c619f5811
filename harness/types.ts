import type { AivenClientOptions } from "../provider/aivenClient";

/** What the harness did to one resource, as `pulumi up` would report it. */
export type Action = "create" | "update" | "same" | "replace" | "read" | "delete";

export interface ResourceRecord {
  type: string;
  name: string;
  /** Provider id; undefined for component resources. */
  id?: string;
  custom: boolean;
  /** Inputs as the provider saw them (secrets unwrapped, no `__provider`). */
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
  /** The program's exports (or return value), secrets unwrapped. */
  outputs: Record<string, unknown>;
  logs: LogRecord[];
  durationMs: number;
  /**
   * Replaced resources not deleted yet, as their state before the replace: set when the run failed
   * (or a delete failed). The next run that takes this result as `previous` deletes them first,
   * as the engine retires pending deletes before it runs the program.
   */
  pendingDeletes?: ResourceRecord[];
}

/** A program as the language host runs it: its result (or module exports) are the stack outputs. */
export type Program = () => Promise<Record<string, unknown> | void> | Record<string, unknown> | void;

export interface RunOptions {
  /** Emulator (or Aiven) base URL, no /v1. */
  emulatorUrl: string;
  /** Passed to the program as the secret config `aiven:apiToken`. */
  token: string;
  /** Pulumi project name; default "offline". */
  project?: string;
  /** Default "dev". */
  stack?: string;
  /** Stack config; keys without a namespace belong to the project (`replicas` → `<project>:replicas`). */
  config?: Record<string, string>;
  /** The run before this one: its state drives diff/update/same, as the state file does for the engine. */
  previous?: RunResult;
  /** Like `pulumi up --refresh`: read each dynamic resource from its provider before diffing. */
  refresh?: boolean;
  /** Outputs of other stacks, by `org/project/stack` or `stack` name, for StackReferences. */
  stackOutputs?: Record<string, RunResult | Record<string, unknown>>;
  /** One line per action and per provider log line. */
  log?: (line: string) => void;
  /** Poll interval while a service builds; default 100 ms. */
  servicePollMs?: number;
  /** Deadline of a service build; default 10 minutes. */
  serviceTimeoutMs?: number;
  /** Retry settings of every Aiven client in the run, the providers' included (tests: millisecond waits). */
  clientTuning?: ClientTuning;
}

export type ClientTuning = Omit<AivenClientOptions, "token" | "apiUrl">;

/** A run that failed: every error, and what was done before it. */
export class DeployError extends Error {
  constructor(
    readonly errors: string[],
    readonly partial: RunResult,
  ) {
    super(`deployment failed:\n${errors.map((e) => `  ${e}`).join("\n")}`);
    this.name = "DeployError";
  }
}
