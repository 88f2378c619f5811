import type { Cloud } from "./cloud";
import { FaultTable, parseFault, RequestLog } from "./faults";
import type { Handler, HandlerContext, HandlerResult } from "./handlers";
import type { Method } from "./routes";
import { adminServiceJson } from "./wire";

const ok = (body: unknown): HandlerResult => ({ status: 200, body });

/** The emulator's own endpoints (no auth): faults, request log, failures, reset. */
export function adminRoutes(cloud: Cloud, faults: FaultTable, requests: RequestLog): [Method, string, Handler][] {
  return [
    ["GET", "/_emulator/faults", () => ok({ faults: faults.list() })],
    [
      "POST",
      "/_emulator/faults",
      ({ body }: HandlerContext) => {
        faults.add(parseFault(body));
        return ok({ faults: faults.list() });
      },
    ],
    [
      "DELETE",
      "/_emulator/faults",
      () => {
        faults.clear();
        return ok({ faults: [] });
      },
    ],
    ["GET", "/_emulator/requests", () => ok({ requests: requests.list() })],
    [
      "DELETE",
      "/_emulator/requests",
      () => {
        requests.clear();
        return ok({ requests: [] });
      },
    ],
    [
      "POST",
      "/_emulator/projects/:project/services/:service/fail",
      async ({ params }: HandlerContext) => ok({ service: adminServiceJson(await cloud.failService(params.project, params.service)) }),
    ],
    [
      "POST",
      "/_emulator/reset",
      async () => {
        faults.clear();
        requests.clear();
        await cloud.reset();
        return ok({ message: "Emulator reset" });
      },
    ],
  ];
}
