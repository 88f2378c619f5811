import { AivenClient, isAivenApiError } from "../provider/aivenClient";
import { resolveApiUrl, resolveToken } from "../provider/credentials";
import { apiUrlProblem } from "../provider/rules";

/** Where the CLI writes and what environment it reads; tests pass their own. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: Record<string, string | undefined>;
}

/** Exit codes: 0 all good, 1 the check found a problem, 2 usage, configuration or API errors. */
export const EXIT_OK = 0;
export const EXIT_PROBLEM = 1;
export const EXIT_USAGE = 2;

/** A failure that ends the command with a message on stderr and an exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_USAGE,
  ) {
    super(message);
    this.name = "CliError";
  }
}

export interface ApiOptions {
  apiUrl?: string;
}

export const MISSING_TOKEN = "no Aiven API token: set the AIVEN_TOKEN environment variable (an Aiven token, or the emulator's)";

/** A client from AIVEN_TOKEN and `--api-url`, else AIVEN_WEB_URL, else https://api.aiven.io. */
export function apiClient(options: ApiOptions, io: CliIo): AivenClient {
  let token: string;
  try {
    token = resolveToken(undefined, io.env, MISSING_TOKEN);
  } catch (e) {
    throw new CliError((e as Error).message);
  }
  const apiUrl = resolveApiUrl(options.apiUrl, io.env);
  const problem = apiUrlProblem(apiUrl);
  if (problem !== undefined) throw new CliError(`${options.apiUrl?.trim() ? "--api-url" : "AIVEN_WEB_URL"}: ${problem}`);
  // People wait on the other end: fewer, shorter retries than the providers use.
  return new AivenClient({ token, apiUrl, maxAttempts: 3, maxElapsedMs: 20_000, timeoutMs: 15_000, baseDelayMs: 500 });
}

/** An Aiven API failure as a CLI error: 404s name the project and service, 403s the token's source. */
export function apiFailure(e: unknown, project: string, service: string): CliError {
  if (isAivenApiError(e, 404)) return new CliError(`service '${service}' in project '${project}' not found (Aiven: ${e.apiMessage})`);
  if (isAivenApiError(e, 403) || isAivenApiError(e, 401)) {
    return new CliError(`Aiven refused the token from AIVEN_TOKEN for project '${project}' (${e.status} ${e.apiMessage})`);
  }
  if (isAivenApiError(e)) return new CliError(`Aiven API call failed: ${e.message}`);
  return new CliError(e instanceof Error ? e.message : String(e));
}

/** Aligned columns, two spaces apart, headers first; `rule` draws a line of dashes under them. */
export function table(headers: string[], rows: string[][], { rule = false } = {}): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join("  ").trimEnd();
  const under = rule ? [widths.map((w) => "-".repeat(w)).join("  ")] : [];
  return [line(headers), ...under, ...rows.map(line)].join("\n") + "\n";
}
