// The setup the direct-provider suites share: a scripted fake Aiven, millisecond retries, the token
// configured as the host would, and a watch that fails the suite if the token leaks. The retry and
// progress seams replace module exports for the test only: the product has no switch for either.
import * as pulumiLog from "@pulumi/pulumi/log";
import * as aivenClientModule from "../../provider/aivenClient";
import type { AivenClientOptions } from "../../provider/aivenClient";
import { rememberConfiguredToken } from "../../provider/credentials";
import { replicaPromotionProvider } from "../../provider/replicaPromotion";
import { FakeAiven } from "./fakeAivenServer";
import { SecretWatch, TOKEN } from "./secretWatch";

type Tuning = Omit<AivenClientOptions, "token" | "apiUrl">;

/** Every AivenClient built from now on (the providers' own included) retries with `tuning`; returns the undo. */
export function fastAivenRetries(tuning: Tuning = { baseDelayMs: 1, maxDelayMs: 5, timeoutMs: 1000 }): () => void {
  const Real = aivenClientModule.AivenClient;
  const spy = jest.spyOn(aivenClientModule, "AivenClient").mockImplementation((options) => new Real({ ...tuning, ...options }));
  return () => spy.mockRestore();
}

/** Progress lines (the ephemeral `pulumi.log.info` of the waits) go to `sink`, not the console; returns the undo. */
export function captureProgress(sink: (message: string) => void = () => undefined): () => void {
  const spy = jest.spyOn(pulumiLog, "info").mockImplementation(async (message: string) => sink(message));
  return () => spy.mockRestore();
}

export function useProviderFixture(onProgress: (message: string) => void = () => undefined): { fake: FakeAiven; watch: SecretWatch } {
  const fake = new FakeAiven();
  const watch = new SecretWatch();
  const undo: Array<() => void> = [];
  beforeAll(async () => {
    watch.start();
    await fake.start();
    undo.push(
      captureProgress((m) => {
        onProgress(m);
        watch.record(m);
      }),
      fastAivenRetries(),
    );
    await replicaPromotionProvider.configure!({ config: { get: (k: string) => (k === "aiven:apiToken" ? TOKEN : undefined) } as never });
  });
  afterAll(async () => {
    await fake.stop();
    undo.splice(0).forEach((restore) => restore());
    rememberConfiguredToken(undefined);
    watch.stop();
    expect(watch.leaks()).toEqual({ leaks: 0, checked: expect.any(Number) });
  });
  return { fake, watch };
}
