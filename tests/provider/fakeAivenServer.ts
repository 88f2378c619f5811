// A tiny scripted stand-in for Aiven's API, for the provider and client tests only (the full
// emulator lives in emulator/). Scripted responses win over the stateful routes.
import * as http from "http";
import type { AddressInfo } from "net";
import type { AivenIntegration, AivenService } from "../../provider/aivenTypes";

export type Scripted =
  | { status: number; body?: unknown; raw?: string; headers?: Record<string, string> }
  | { reset: true }
  | { hang: true };

export interface RecordedCall {
  method: string;
  path: string;
  authorization?: string;
  userAgent?: string;
  body?: string;
}

export class FakeAiven {
  readonly calls: RecordedCall[] = [];
  /** The client's port of each call's connection: the same port, the same kept-alive socket. */
  readonly clientPorts: Array<number | undefined> = [];
  readonly services = new Map<string, AivenService>();
  /** GETs of a promoted replica that still answer REBUILDING. */
  rebuildPolls = 1;
  private readonly scripts = new Map<string, Scripted[]>();
  private readonly rebuilding = new Map<string, number>();
  private readonly timelines = new Map<string, Array<Partial<AivenService>>>();
  private readonly hung = new Set<http.ServerResponse>();
  private server?: http.Server;
  url = "";

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const res of this.hung) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  reset(): void {
    this.calls.length = 0;
    this.clientPorts.length = 0;
    this.services.clear();
    this.scripts.clear();
    this.rebuilding.clear();
    this.timelines.clear();
    this.rebuildPolls = 1;
  }

  /** The next requests to `METHOD /v1/...` get these responses, in order. */
  script(method: string, path: string, ...responses: Scripted[]): void {
    const key = `${method} ${path}`;
    this.scripts.set(key, [...(this.scripts.get(key) ?? []), ...responses]);
  }

  /** Each GET of the service first applies the next of these patches. */
  timeline(name: string, ...patches: Array<Partial<AivenService>>): void {
    this.timelines.set(name, patches);
  }

  callsTo(method: string, path?: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method && (path === undefined || c.path === path));
  }

  addService(name: string, fields: Partial<AivenService> = {}): AivenService {
    const service: AivenService = {
      service_name: name,
      service_type: "valkey",
      state: "RUNNING",
      backups: [],
      service_integrations: [],
      ...fields,
    };
    this.services.set(name, service);
    return service;
  }

  /** A read_replica (or other) integration, listed on both services as Aiven does. */
  link(id: string, source: string, dest: string, type = "read_replica"): AivenIntegration {
    const integration: AivenIntegration = {
      service_integration_id: id,
      integration_type: type,
      source_service: source,
      dest_service: dest,
      active: true,
      enabled: true,
    };
    for (const name of new Set([source, dest])) this.services.get(name)?.service_integrations?.push(integration);
    return integration;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      const method = req.method ?? "GET";
      const path = req.url ?? "/";
      this.clientPorts.push(req.socket.remotePort);
      this.calls.push({
        method,
        path,
        authorization: req.headers.authorization,
        userAgent: req.headers["user-agent"],
        ...(body ? { body } : {}),
      });
      const scripted = this.scripts.get(`${method} ${path}`)?.shift();
      if (scripted) return this.reply(res, scripted);
      this.route(method, path, body, res);
    });
  }

  private reply(res: http.ServerResponse, r: Scripted): void {
    if ("reset" in r) {
      res.socket?.destroy();
      return;
    }
    if ("hang" in r) {
      this.hung.add(res);
      return;
    }
    const text = r.raw ?? (r.body === undefined ? "" : JSON.stringify(r.body));
    res.writeHead(r.status, { "Content-Type": r.raw ? "text/plain" : "application/json", ...r.headers });
    res.end(text);
  }

  private json(res: http.ServerResponse, status: number, body: unknown): void {
    this.reply(res, { status, body });
  }

  private notFound(res: http.ServerResponse, message: string): void {
    this.json(res, 404, { message, errors: [{ message, status: 404 }] });
  }

  private route(method: string, path: string, body: string, res: http.ServerResponse): void {
    const parts = path.split("/").slice(1).map(decodeURIComponent);
    const [v1, projectWord, , kind, name, sub] = parts;
    if (v1 !== "v1" || projectWord !== "project") return this.notFound(res, "Not found");
    if (kind === "service" && name === undefined) {
      if (method === "GET") return this.json(res, 200, { services: [...this.services.values()] });
      if (method === "POST") {
        const created = this.addService((JSON.parse(body) as { service_name: string }).service_name, { state: "REBUILDING" });
        return this.json(res, 200, { service: created });
      }
    }
    if (kind === "service" && name !== undefined) {
      const service = this.services.get(name);
      if (!service) return this.notFound(res, "Service not found");
      if (method === "GET" && sub === "integration") return this.json(res, 200, { service_integrations: service.service_integrations });
      if (method === "GET" && sub === undefined) return this.json(res, 200, { service: this.observe(service) });
      if (method === "PUT") return this.json(res, 200, { service: Object.assign(service, JSON.parse(body)) });
      if (method === "DELETE") {
        this.services.delete(name);
        return this.reply(res, { status: 204 });
      }
    }
    if (kind === "integration" && name !== undefined && method === "DELETE") {
      let found: AivenIntegration | undefined;
      for (const s of this.services.values()) {
        const i = s.service_integrations?.findIndex((x) => x.service_integration_id === name) ?? -1;
        if (i >= 0) [found] = s.service_integrations!.splice(i, 1);
      }
      if (!found) return this.notFound(res, "Service integration not found");
      // Promotion: Aiven rebuilds the replica briefly.
      if (found.integration_type === "read_replica") this.rebuilding.set(found.dest_service, this.rebuildPolls);
      return this.json(res, 200, { message: "deleted" });
    }
    this.notFound(res, "Not found");
  }

  private observe(service: AivenService): AivenService {
    const patch = this.timelines.get(service.service_name)?.shift();
    if (patch) Object.assign(service, patch);
    const left = this.rebuilding.get(service.service_name);
    if (left !== undefined && left > 0) {
      this.rebuilding.set(service.service_name, left - 1);
      return { ...service, state: "REBUILDING" };
    }
    return service;
  }
}
