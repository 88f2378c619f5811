import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { projectProblem } from "../provider/rules";
import { AivenError, authenticationFailed, badRequest, errorBody, notFound, projectNotFound } from "./errors";
import { FaultSpec, FaultTable, faultMessage, RequestLog } from "./faults";
import type { HandlerResult } from "./handlers";
import type { RouteTable } from "./routes";

export interface PipelineOptions {
  api: RouteTable;
  admin: RouteTable;
  faults: FaultTable;
  requests: RequestLog;
  /** When set, the only token accepted; otherwise any non-empty token is. */
  token?: string;
  /** When set, the only projects that exist. */
  projects?: ReadonlySet<string>;
  log: (line: string) => void;
  /** True once close() began: requests still in flight (e.g. held by a delayMs fault) do no work. */
  isClosing?: () => boolean;
}

const MAX_BODY_BYTES = 1024 * 1024;
const AUTH_HEADER = /^(aivenv1|bearer)\s+(\S+)\s*$/i;

/**
 * The request pipeline: admin routes (no auth) → faults → auth → router → project → handler,
 * with every AivenError turned into Aiven's error body in one place.
 */
export function createRequestListener(options: PipelineOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { api, admin, faults, requests, log } = options;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = Date.now();
    // HEAD is GET without the body (node leaves the body out of the answer).
    const asked = (req.method ?? "GET").toUpperCase();
    const method = asked === "HEAD" ? "GET" : asked;
    const raw = await readBody(req).catch(() => undefined);
    const path = pathOf(req.url);
    if (path === undefined) {
      send(res, { status: 400, body: errorBody(400, "Invalid request path") });
      log(`${asked} ${JSON.stringify(req.url)} 400 ${Date.now() - started}ms`);
      return;
    }

    if (path === "/_emulator" || path.startsWith("/_emulator/")) {
      const result = await run(() => {
        refuseWhenClosing(options);
        return dispatch(admin, method, path, raw);
      });
      send(res, result);
      log(`admin ${method} ${path} ${result.status} ${Date.now() - started}ms`);
      return;
    }

    const fault = faults.take(method, path);
    let result: HandlerResult & { headers?: Record<string, string> };
    if (fault) {
      if (fault.delayMs) await sleep(fault.delayMs);
      if (fault.reset) {
        requests.record({ method, path, status: 0 });
        log(`${method} ${path} connection reset (fault) ${Date.now() - started}ms`);
        req.socket.destroy();
        return;
      }
      result =
        fault.status !== undefined ? faultResult(fault, fault.status) : await run(() => authorizedDispatch(options, req, method, path, raw));
    } else {
      result = await run(() => authorizedDispatch(options, req, method, path, raw));
    }
    requests.record({ method, path, status: result.status });
    send(res, result);
    log(`${method} ${path} ${result.status} ${Date.now() - started}ms${fault ? " (fault)" : ""}`);
  };

  return (req, res) => {
    handle(req, res).catch((err: Error) => {
      log(`internal error: ${err.message}`);
      if (!res.headersSent) send(res, { status: 500, body: errorBody(500, "Internal server error") });
    });
  };
}

async function authorizedDispatch(
  options: PipelineOptions,
  req: IncomingMessage,
  method: string,
  path: string,
  raw: string | undefined,
): Promise<HandlerResult> {
  refuseWhenClosing(options);
  authenticate(req.headers.authorization, options.token);
  const match = options.api.find(method, path);
  if (match === "method") throw new AivenError(405, "Method not allowed");
  if (!match) throw notFound("Not found");
  const project = match.params.project;
  if (project !== undefined) {
    const problem = projectProblem(project);
    if (problem) throw badRequest(problem);
    if (options.projects && !options.projects.has(project)) throw projectNotFound();
  }
  return match.handler({ params: match.params, body: parseJson(raw) });
}

/** The request's path, or undefined when it is not a URL path with valid percent-encoding. */
function pathOf(url: string | undefined): string | undefined {
  if (!url?.startsWith("/")) return undefined;
  try {
    const path = new URL(url, "http://emulator").pathname;
    decodeURIComponent(path);
    return path;
  } catch {
    return undefined;
  }
}

function refuseWhenClosing(options: PipelineOptions): void {
  if (options.isClosing?.()) throw new AivenError(503, "The emulator is shutting down");
}

async function dispatch(table: RouteTable, method: string, path: string, raw: string | undefined): Promise<HandlerResult> {
  const match = table.find(method, path);
  if (match === "method") throw new AivenError(405, "Method not allowed");
  if (!match) throw notFound("Not found");
  return match.handler({ params: match.params, body: parseJson(raw) });
}

function authenticate(header: string | undefined, token: string | undefined): void {
  const match = AUTH_HEADER.exec(header ?? "");
  if (!match) throw authenticationFailed();
  if (token !== undefined && !sameSecret(match[2], token)) throw authenticationFailed();
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function parseJson(raw: string | undefined): unknown {
  if (raw === undefined) throw badRequest("Request body is too large or could not be read");
  if (raw.trim() === "") return {};
  try {
    return JSON.parse(raw);
  } catch {
    throw badRequest("Invalid JSON in request body");
  }
}

async function run(fn: () => Promise<HandlerResult>): Promise<HandlerResult & { headers?: Record<string, string> }> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof AivenError) {
      return { status: err.status, body: errorBody(err.status, err.message, err.errorCode), headers: err.headers };
    }
    throw err;
  }
}

function faultResult(fault: FaultSpec, status: number): HandlerResult & { headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  if (fault.retryAfter !== undefined) headers["retry-after"] = String(fault.retryAfter);
  return { status, body: errorBody(status, faultMessage(fault)), headers };
}

function send(res: ServerResponse, result: HandlerResult & { headers?: Record<string, string> }): void {
  if (res.destroyed) return;
  const text = JSON.stringify(result.body);
  res.writeHead(result.status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...result.headers,
  });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error("body too large"));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

// Unref'd so that a hanging fault never keeps a closing process alive.
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
