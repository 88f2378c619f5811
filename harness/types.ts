import type { AivenClientOptions } from "../provider/aivenClient";

/** What the harness did to one resource, as `pulumi up` would report it. */
export type Action = "create" | "update" | "same" | "replace" | "delete";

export interface ResourceRecord {
  type: string;
  name: string;
  id?: string;
  custom: boolean;
  // As the engine's state holds them, secrets unwrapped; a dynamic resource's serialized provider is in `__provider`.
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  action: Action;
}

export interface RunResult {
  resources: ResourceRecord[]; // in registration order; deletes last, also of what was replaced
  outputs: Record<string, unknown>; // the program's result, secrets unwrapped
  logs: string[]; // the messages the dynamic providers logged
}

/** A program as the language host runs it: its result (or module exports) are the stack outputs. */
export type Program = () => Promise<Record<string, unknown> | void> | Record<string, unknown> | void;

export interface RunOptions {
  emulatorUrl: string; // base URL, no /v1; AIVEN_WEB_URL during the run
  token: string; // the secret config `aiven:apiToken`
  project?: string; // default "offline"; the stack is "dev"
  config?: Record<string, string>; // stack config; `replicas` stands for `<project>:replicas`
  previous?: RunResult; // the last run, in place of a state file
  refresh?: boolean; // like `pulumi up --refresh`: read each resource back first
  log?: (line: string) => void; // one line per action and per log message
  servicePollMs?: number; // default 100; a service has 10 minutes to be RUNNING
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
