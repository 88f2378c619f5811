// Progress logging that works both in a Pulumi program and in the dynamic provider host,
// and a bounded poll loop.

export type ProgressLogger = (message: string) => void;

/** Ephemeral `pulumi.log.info`; stderr where the Pulumi log is unusable. Never throws. */
export function logProgress(message: string): void {
  try {
    // Loaded by name at run time: capturing the module would serialize it into the provider.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const log = require("@pulumi/pulumi/log") as typeof import("@pulumi/pulumi/log");
    void log.info(message, undefined, undefined, true).catch(() => console.error(message));
  } catch {
    console.error(message);
  }
}

export class WaitTimeoutError extends Error {
  constructor(message: string, readonly lastState: string) {
    super(message);
    // Pulumi's closure serializer rewrites super() calls so that Error never sets the message.
    this.message = message;
    this.name = "WaitTimeoutError";
  }
}

export interface WaitOptions<T> {
  /** What we wait for, completing "waiting for ...": `valkey "p1" to be RUNNING`. */
  what: string;
  deadline: number;
  timeoutSeconds: number;
  pollMs: number;
  poll: () => Promise<T>;
  done: (value: T) => boolean;
  /** A state that will not turn into `done` by waiting: its message fails the wait at once. */
  fail?: (value: T) => string | undefined;
  /** The state as seen, for progress lines and the timeout message: `REBUILDING, backups: 0`. */
  describe: (value: T) => string;
  log?: ProgressLogger;
}

// A wait of half an hour at 10 s polls would otherwise print 180 lines; the host does not always
// show them as ephemeral, so a line is repeated only when the state changes or once a minute.
const REPEAT_PROGRESS_MS = 60_000;

/** Polls until `done`, the first poll at once; fails at the deadline with the last state seen. */
export async function waitFor<T>(options: WaitOptions<T>): Promise<T> {
  const log = options.log ?? logProgress;
  let lastLine: string | undefined;
  let lastLoggedAt = 0;
  for (;;) {
    const value = await options.poll();
    if (options.done(value)) return value;
    const failure = options.fail?.(value);
    if (failure !== undefined) throw new Error(failure);
    const state = options.describe(value);
    const remaining = options.deadline - Date.now();
    if (remaining <= 0) {
      throw new WaitTimeoutError(
        `timed out after ${options.timeoutSeconds}s waiting for ${options.what} (last state: ${state})`,
        state,
      );
    }
    const line = `waiting for ${options.what} (now: ${state})`;
    if (line !== lastLine || Date.now() - lastLoggedAt >= REPEAT_PROGRESS_MS) {
      log(line);
      lastLine = line;
      lastLoggedAt = Date.now();
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(options.pollMs, remaining)));
  }
}

export const DEFAULT_TIMEOUT_SECONDS = 1800;
export const DEFAULT_POLL_SECONDS = 10;

export function waitSettings(inputs: { timeoutSeconds?: number; pollSeconds?: number }): {
  timeoutSeconds: number;
  pollMs: number;
  deadline: number;
} {
  const timeoutSeconds = inputs.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
  const pollMs = Math.max(1, Math.round((inputs.pollSeconds ?? DEFAULT_POLL_SECONDS) * 1000));
  return { timeoutSeconds, pollMs, deadline: Date.now() + timeoutSeconds * 1000 };
}
