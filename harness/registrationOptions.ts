// Resource options the engine sees and the mock API does not pass to `newResource`: read from
// each registration request, as tests/helpers/recordingMocks.ts does.
import * as settings from "@pulumi/pulumi/runtime/settings";

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getIgnorechangesList(): string[];
}

type Callback = (err: unknown, res: unknown) => void;
interface PatchableMonitor {
  registerResource(req: RegisterRequest, callback: Callback): Promise<void>;
}

/**
 * Wraps the mock monitor that `setMocks` just installed: every registration's `ignoreChanges`,
 * by `type::name`, recorded before the monitor calls `newResource`.
 */
export function captureIgnoreChanges(key: (type: string, name: string) => string): Map<string, string[]> {
  const ignoreChanges = new Map<string, string[]>();
  const monitor = settings.getMonitor() as unknown as PatchableMonitor;
  const original = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    ignoreChanges.set(key(req.getType(), req.getName()), req.getIgnorechangesList());
    return original(req, callback);
  };
  return ignoreChanges;
}

type Props = Record<string, unknown>;

/**
 * What the engine does with `ignoreChanges` when a resource has state: each ignored property
 * keeps its old input value (and is dropped when it had none), before check, diff and create.
 * Paths are property names, optionally nested (`a.b`, `a[0].b`).
 */
export function applyIgnoreChanges(news: Props, olds: Props, paths: readonly string[]): Props {
  let out = news;
  for (const path of paths) {
    const segments = path.split(/\.|\[(\d+)\]/).filter((s) => s !== undefined && s !== "");
    if (segments.length === 0) continue;
    out = structuredClone(out);
    reset(out, olds, segments);
  }
  return out;
}

function reset(dest: unknown, source: unknown, [head, ...rest]: string[]): void {
  if (dest === null || typeof dest !== "object") return;
  const target = dest as Record<string, unknown>;
  const from = source !== null && typeof source === "object" ? (source as Record<string, unknown>) : undefined;
  if (rest.length > 0) {
    reset(target[head], from?.[head], rest);
    return;
  }
  if (from !== undefined && head in from && from[head] !== undefined) target[head] = structuredClone(from[head]);
  else delete target[head];
}
