import Router from "find-my-way";
import { badRequest } from "./errors";
import type { Handler, Handlers } from "./handlers";

export type Method = "GET" | "POST" | "PUT" | "DELETE";

/** The Aiven API endpoints this emulator serves. */
export function apiRoutes(h: Handlers): [Method, string, Handler][] {
  return [
    ["GET", "/v1/project", h.listProjects],
    ["GET", "/v1/project/:project/vpcs", h.listVpcs],
    ["GET", "/v1/project/:project/static-ips", h.listStaticIps],
    ["GET", "/v1/project/:project/service_types", h.listServiceTypes],
    ["GET", "/v1/project/:project/service-types/:type", h.getServiceType],
    ["GET", "/v1/project/:project/service-types/:type/plans/:plan", h.getPlanSpecs],
    ["GET", "/v1/project/:project/service", h.listServices],
    ["POST", "/v1/project/:project/service", h.createService],
    ["GET", "/v1/project/:project/service/:service", h.getService],
    ["PUT", "/v1/project/:project/service/:service", h.updateService],
    ["DELETE", "/v1/project/:project/service/:service", h.deleteService],
    ["GET", "/v1/project/:project/service/:service/backups", h.listBackups],
    ["GET", "/v1/project/:project/service/:service/tags", h.getTags],
    ["PUT", "/v1/project/:project/service/:service/tags", h.replaceTags],
    ["GET", "/v1/project/:project/service/:service/integration", h.listServiceIntegrations],
    ["POST", "/v1/project/:project/integration", h.createIntegration],
    ["GET", "/v1/project/:project/integration/:integration", h.getIntegration],
    ["PUT", "/v1/project/:project/integration/:integration", h.updateIntegration],
    ["DELETE", "/v1/project/:project/integration/:integration", h.deleteIntegration],
  ];
}

export interface RouteMatch {
  handler: Handler;
  params: Record<string, string>;
}

/** A method + path table; the handler is kept as the route's store so lookups stay typed. */
export class RouteTable {
  // Long parameters reach the handlers, whose checks explain what is wrong with them.
  private readonly router = Router({ ignoreTrailingSlash: true, maxParamLength: 2048 });

  constructor(routes: [Method, string, Handler][]) {
    for (const [method, path, handler] of routes) this.router.on(method, path, () => undefined, handler);
  }

  /** The match, "method" when the path exists for other methods only, or undefined. */
  find(method: string, path: string): RouteMatch | "method" | undefined {
    let found: ReturnType<typeof this.router.find>;
    try {
      found = this.router.find(method.toUpperCase() as Method, path);
    } catch {
      throw badRequest("Invalid request path");
    }
    if (found) {
      const params: Record<string, string> = {};
      for (const [k, v] of Object.entries(found.params)) if (v !== undefined) params[k] = v;
      return { handler: found.store as Handler, params };
    }
    const others: Method[] = ["GET", "POST", "PUT", "DELETE"];
    return others.some((m) => safeFind(this.router, m, path)) ? "method" : undefined;
  }
}

function safeFind(router: ReturnType<typeof Router>, method: Method, path: string): boolean {
  try {
    return router.find(method, path) !== null;
  } catch {
    return false;
  }
}
