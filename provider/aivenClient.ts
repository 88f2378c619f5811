import axios, { AxiosError, AxiosInstance, AxiosResponse } from "axios";
import axiosRetry from "axios-retry";
import * as fs from "fs";
import * as path from "path";
import type {
  AivenCreateServiceRequest,
  AivenErrorBody,
  AivenIntegration,
  AivenService,
  AivenUpdateServiceRequest,
} from "./aivenTypes";
import { resolveApiUrl } from "./credentials";
import { keepAliveAgents } from "./keepAliveAgents";
import { describeValue } from "./rules";

// Read once at load: the dynamic providers are serialized into state, and this string is
// captured by value, so the host that runs them never needs the package.json on disk.
export const USER_AGENT = `pulumi-aiven-read-replicas/${packageVersion()}`;

function packageVersion(): string {
  // provider/ in the source tree, dist/provider/ once built.
  for (const rel of ["..", "../.."]) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, rel, "package.json"), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "pulumi-aiven-read-replicas" && pkg.version) return pkg.version;
    } catch {
      // try the next candidate
    }
  }
  return "0.0.0";
}

export interface AivenClientOptions {
  token: string;
  /** Base URL without `/v1`; default: `AIVEN_WEB_URL`, then https://api.aiven.io. */
  apiUrl?: string;
  /** Per-request timeout; default 30000. */
  timeoutMs?: number;
  /** Attempts per call, the first included; default 6. */
  maxAttempts?: number;
  /** No retry starts once this much time has passed since the first attempt; default 120000. */
  maxElapsedMs?: number;
  /** First backoff step; default 1000. */
  baseDelayMs?: number;
  /** Cap of the exponential backoff (a server's Retry-After may ask for more); default 30000. */
  maxDelayMs?: number;
  /** Default `pulumi-aiven-read-replicas/<version>`. */
  userAgent?: string;
}

/**
 * What a DELETE established. true: this call deleted it. false: it was not there (404 at the
 * first attempt). undefined: it is gone, but an earlier attempt of this call failed without an
 * answer that says whether Aiven acted on it, so either that attempt deleted it or it was never there.
 */
export type DeleteOutcome = boolean | undefined;

interface AivenApiErrorInit {
  status: number;
  method: string;
  path: string;
  apiMessage: string;
  errorCode?: string;
  attempts?: number;
}

/**
 * A failed Aiven API call. `status` is the HTTP status, or 0 when no response came
 * (connection refused or reset, timeout). Holds no request, headers or token.
 */
export class AivenApiError extends Error {
  readonly status: number;
  readonly method: string;
  readonly path: string;
  /** Aiven's own message, e.g. "Service not found". */
  readonly apiMessage: string;
  declare readonly errorCode?: string;
  readonly attempts: number;

  constructor(init: AivenApiErrorInit) {
    const attempts = init.attempts ?? 1;
    const status = init.status === 0 ? "" : `${init.status} `;
    const tries = attempts > 1 ? ` (after ${attempts} attempts)` : "";
    const message = `${init.method} ${init.path}: ${status}${init.apiMessage}${tries}`;
    super(message);
    // Pulumi's closure serializer rewrites super() calls so that Error never sets the message.
    this.message = message;
    this.name = "AivenApiError";
    this.status = init.status;
    this.method = init.method;
    this.path = init.path;
    this.apiMessage = init.apiMessage;
    if (init.errorCode !== undefined) this.errorCode = init.errorCode;
    this.attempts = attempts;
  }

  toJSON(): Record<string, unknown> {
    const { name, status, method, path: p, message, apiMessage, errorCode, attempts } = this;
    return { name, status, method, path: p, message, apiMessage, errorCode, attempts };
  }
}

/** Duck-typed: each serialized provider carries its own copy of the class, so `instanceof` is not reliable. */
export function isAivenApiError(e: unknown, status?: number): e is AivenApiError {
  if (!(e instanceof Error) || e.name !== "AivenApiError") return false;
  return status === undefined || (e as AivenApiError).status === status;
}

/**
 * The call's value; on a 404 (the service or integration is gone, or never was) what `notFound`
 * returns or throws instead. Any other failure is rethrown.
 */
export async function ifNotFound<T, U>(call: Promise<T>, notFound: (e: AivenApiError) => U): Promise<T | U> {
  try {
    return await call;
  } catch (e) {
    if (isAivenApiError(e, 404)) return notFound(e);
    throw e;
  }
}

interface RetryState {
  startedAt: number;
  nextDelayMs: number;
}

declare module "axios" {
  interface AxiosRequestConfig {
    aivenRetry?: RetryState;
  }
}

/** A small client for the Aiven endpoints this package needs. */
export class AivenClient {
  readonly apiUrl: string;
  // Non-enumerable (set in the constructor) so that util.inspect and JSON never show the token.
  declare private readonly http: AxiosInstance;
  declare private readonly token: string;
  private readonly maxElapsedMs: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(options: AivenClientOptions) {
    if (!options.token) throw new Error("AivenClient: an API token is required");
    Object.defineProperty(this, "token", { value: options.token, enumerable: false });
    this.apiUrl = resolveApiUrl(options.apiUrl);
    this.maxElapsedMs = options.maxElapsedMs ?? 120_000;
    this.baseDelayMs = options.baseDelayMs ?? 1000;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    const http = axios.create({
      baseURL: this.apiUrl,
      timeout: options.timeoutMs ?? 30_000,
      headers: {
        Authorization: `aivenv1 ${options.token}`,
        Accept: "application/json",
        "Content-Type": "application/json",
        "User-Agent": options.userAgent ?? USER_AGENT,
      },
      transitional: { clarifyTimeoutError: true, silentJSONParsing: true, forcedJSONParsing: true },
      maxRedirects: 0,
      ...keepAliveAgents(),
    });
    Object.defineProperty(this, "http", { value: http, enumerable: false });
    axiosRetry(http, {
      retries: Math.max(0, (options.maxAttempts ?? 6) - 1),
      shouldResetTimeout: true,
      retryCondition: (error) => this.shouldRetry(error),
      retryDelay: (_count, error) => error.config?.aivenRetry?.nextDelayMs ?? 0,
    });
  }

  toJSON(): Record<string, unknown> {
    return { apiUrl: this.apiUrl };
  }

  async getService(project: string, service: string): Promise<AivenService> {
    checkPathArguments("getService", { project, service });
    const data = await this.call<{ service?: AivenService }>("GET", ["project", project, "service", service]);
    return this.field(data, "service", "GET", ["project", project, "service", service]);
  }

  async listServices(project: string): Promise<AivenService[]> {
    checkPathArguments("listServices", { project });
    const data = await this.call<{ services?: AivenService[] }>("GET", ["project", project, "service"]);
    return data.services ?? [];
  }

  async listServiceIntegrations(project: string, service: string): Promise<AivenIntegration[]> {
    checkPathArguments("listServiceIntegrations", { project, service });
    const data = await this.call<{ service_integrations?: AivenIntegration[] }>("GET", ["project", project, "service", service, "integration"]);
    return data.service_integrations ?? [];
  }

  /** What is known once it is gone: see {@link DeleteOutcome}. */
  async deleteIntegration(project: string, integrationId: string): Promise<DeleteOutcome> {
    checkPathArguments("deleteIntegration", { project, integrationId });
    return this.deleteIdempotent(["project", project, "integration", integrationId]);
  }

  async createService(project: string, body: AivenCreateServiceRequest): Promise<AivenService> {
    checkPathArguments("createService", { project });
    const data = await this.call<{ service?: AivenService }>("POST", ["project", project, "service"], body);
    return this.field(data, "service", "POST", ["project", project, "service"]);
  }

  async updateService(project: string, service: string, body: AivenUpdateServiceRequest): Promise<AivenService> {
    checkPathArguments("updateService", { project, service });
    const segments = ["project", project, "service", service];
    const data = await this.call<{ service?: AivenService }>("PUT", segments, body);
    return this.field(data, "service", "PUT", segments);
  }

  /** What is known once it is gone: see {@link DeleteOutcome}. */
  async deleteService(project: string, service: string): Promise<DeleteOutcome> {
    checkPathArguments("deleteService", { project, service });
    return this.deleteIdempotent(["project", project, "service", service]);
  }

  private async deleteIdempotent(segments: string[]): Promise<DeleteOutcome> {
    // A 404 after a failed attempt (a 503, a reset) is done, but that attempt may or may not
    // have reached Aiven: it deleted it, or it was never there.
    return ifNotFound(
      this.call("DELETE", segments).then(() => true),
      (e) => (e.attempts > 1 ? undefined : false),
    );
  }

  private async call<T>(method: "GET" | "POST" | "PUT" | "DELETE", segments: string[], body?: unknown): Promise<T> {
    const urlPath = apiPath(segments);
    let response: AxiosResponse<T>;
    try {
      response = await this.http.request<T>({
        method,
        url: urlPath,
        data: body,
        aivenRetry: { startedAt: Date.now(), nextDelayMs: 0 },
      });
    } catch (e) {
      throw this.toApiError(method, urlPath, e);
    }
    const data = response.data;
    if (method !== "DELETE" && (data === null || typeof data !== "object")) {
      throw new AivenApiError({ status: response.status, method, path: urlPath, apiMessage: "unexpected response: not a JSON object" });
    }
    return (data ?? {}) as T;
  }

  private field<T, K extends keyof T>(data: T, key: K, method: string, segments: string[]): NonNullable<T[K]> {
    const value = data[key];
    if (value === undefined || value === null || typeof value !== "object") {
      throw new AivenApiError({ status: 200, method, path: apiPath(segments), apiMessage: `unexpected response: no "${String(key)}" object` });
    }
    return value as NonNullable<T[K]>;
  }

  private shouldRetry(error: AxiosError): boolean {
    const config = error.config;
    if (!config?.aivenRetry) return false;
    const method = (config.method ?? "get").toUpperCase();
    if (!isRetryable(method, error)) return false;
    const attempt = (config["axios-retry"]?.retryCount ?? 0) + 1;
    const backoff = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1));
    const jittered = backoff / 2 + (Math.random() * backoff) / 2;
    const delay = Math.max(jittered, retryHintMs(error) ?? 0);
    if (Date.now() - config.aivenRetry.startedAt + delay > this.maxElapsedMs) return false;
    config.aivenRetry.nextDelayMs = delay;
    return true;
  }

  private toApiError(method: string, urlPath: string, e: unknown): AivenApiError {
    const redact = (s: string): string => s.split(this.token).join("[redacted]");
    if (!axios.isAxiosError(e)) {
      return new AivenApiError({ status: 0, method, path: urlPath, apiMessage: redact(e instanceof Error ? e.message : String(e)) });
    }
    const attempts = (e.config?.["axios-retry"]?.retryCount ?? 0) + 1;
    if (!e.response) {
      return new AivenApiError({ status: 0, method, path: urlPath, apiMessage: redact(networkMessage(e)), attempts });
    }
    const { message, errorCode } = describeErrorBody(e.response.data, e.response.statusText || `HTTP ${e.response.status}`);
    return new AivenApiError({
      status: e.response.status,
      method,
      path: urlPath,
      apiMessage: redact(message),
      ...(errorCode !== undefined ? { errorCode: redact(errorCode) } : {}),
      attempts,
    });
  }
}

export function apiPath(segments: string[]): string {
  for (const segment of segments) {
    const problem = pathSegmentProblem(segment);
    if (problem !== undefined) throw new Error(`AivenClient: ${problem}; nothing was sent`);
  }
  return "/v1/" + segments.map((s) => encodeURIComponent(s)).join("/");
}

/**
 * '.' and '..' survive encodeURIComponent and collapse in the URL, so DELETE of service '..'
 * would reach the project's own endpoint; an empty segment leaves a gap that does the same.
 */
function pathSegmentProblem(value: unknown): string | undefined {
  if (typeof value !== "string") return `${describeValue(value)} is not a string`;
  return value === "" || value === "." || value === ".."
    ? `${describeValue(value)} would change the request's URL path (an empty, '.' or '..' segment)`
    : undefined;
}

/** Refuses, before any request, a name that would send the call to another endpoint; the error names the argument. */
function checkPathArguments(method: string, args: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(args)) {
    const problem = pathSegmentProblem(value);
    if (problem !== undefined) throw new Error(`AivenClient.${method}: ${name} ${problem}; nothing was sent`);
  }
}

const TIMEOUT_CODES = ["ETIMEDOUT", "ECONNABORTED"];

function isRetryable(method: string, error: AxiosError): boolean {
  const status = error.response?.status;
  if (method === "POST") {
    // Not idempotent: retry only when the server certainly did not act on it.
    return status === 429 || (status === undefined && error.code === "ECONNREFUSED");
  }
  if (status === undefined) {
    return error.code !== undefined && (TIMEOUT_CODES.includes(error.code) || axiosRetry.isNetworkError(error));
  }
  return status === 408 || status === 429 || (status >= 500 && status <= 599) || (status === 417 && method === "DELETE");
}

/** The wait a server asked for: `Retry-After` (seconds or a date), else Aiven's "try again in 28s". */
export function retryHintMs(error: AxiosError): number | undefined {
  const header = error.response?.headers?.["retry-after"] as unknown;
  if (typeof header === "string" || typeof header === "number") {
    const seconds = Number(header);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const date = Date.parse(String(header));
    if (!Number.isNaN(date)) return Math.max(0, date - Date.now());
  }
  if (error.response) {
    const { message } = describeErrorBody(error.response.data, "");
    const match = /try again in (\d+(?:\.\d+)?)\s*s/i.exec(message);
    if (match) return Number(match[1]) * 1000;
  }
  return undefined;
}

function networkMessage(e: AxiosError): string {
  if (e.code !== undefined && TIMEOUT_CODES.includes(e.code)) {
    return `no response within ${e.config?.timeout ?? "?"}ms (timed out)`;
  }
  return `network error ${e.code ?? "(no code)"}: ${e.message}`;
}

/** Aiven's `message`, else the first of `errors[]` (which is not always an array), else the fallback. */
export function describeErrorBody(data: unknown, fallback: string): { message: string; errorCode?: string } {
  let body = data;
  if (typeof body === "string") {
    const text = body.trim();
    try {
      body = JSON.parse(text);
    } catch {
      return { message: text && !text.startsWith("<") ? text.slice(0, 300) : fallback };
    }
  }
  if (body === null || typeof body !== "object") return { message: fallback };
  const b = body as AivenErrorBody;
  const first = (Array.isArray(b.errors) ? b.errors.find(isRecord) : isRecord(b.errors) ? b.errors : undefined) as
    | Record<string, unknown>
    | undefined;
  const message = nonEmpty(b.message) ?? nonEmpty(first?.message) ?? nonEmpty(b.errors) ?? fallback;
  const errorCode = nonEmpty(first?.error_code) ?? nonEmpty(b.error_code);
  return errorCode !== undefined ? { message, errorCode } : { message };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function nonEmpty(v: unknown): string | undefined {
  return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
}
