// Collects everything a test file prints, logs, returns or throws, so that it can assert at the
// end that the token never showed up anywhere.
import { randomUUID } from "crypto";
import * as util from "util";

export const TOKEN = `aivenv1tok-${randomUUID()}`;

export class SecretWatch {
  private readonly seen: string[] = [];
  private readonly restores: Array<() => void> = [];

  start(): this {
    for (const level of ["log", "info", "warn", "error", "debug"] as const) {
      const spy = jest.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        this.seen.push(util.format(...args));
      });
      this.restores.push(() => spy.mockRestore());
    }
    for (const stream of [process.stdout, process.stderr]) {
      const original = stream.write.bind(stream);
      stream.write = ((chunk: unknown, ...rest: unknown[]) => {
        this.seen.push(String(chunk));
        return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
      }) as typeof stream.write;
      this.restores.push(() => (stream.write = original as typeof stream.write));
    }
    return this;
  }

  /** Records a value (result, error, log line) in every form it could be shown in. */
  record(value: unknown): void {
    this.seen.push(util.inspect(value, { depth: 10, showHidden: true }));
    try {
      this.seen.push(JSON.stringify(value) ?? "");
    } catch {
      // circular values are covered by inspect
    }
    if (value instanceof Error) this.seen.push(`${value.message}\n${value.stack ?? ""}`);
  }

  stop(): void {
    this.restores.splice(0).forEach((restore) => restore());
  }

  /** How many recorded items contain the token (expected 0) and how many were checked. */
  leaks(): { leaks: number; checked: number } {
    return { leaks: this.seen.filter((s) => s.includes(TOKEN)).length, checked: this.seen.length };
  }
}

/** Runs `fn` and records its result or error; rethrows the error. */
export async function recorded<T>(watch: SecretWatch, fn: () => Promise<T>): Promise<T> {
  try {
    const value = await fn();
    watch.record(value);
    return value;
  } catch (e) {
    watch.record(e);
    throw e;
  }
}
