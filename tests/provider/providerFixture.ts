// The setup both direct-provider suites share: a scripted fake Aiven, millisecond retries, the
// token configured as the host would, and a watch that fails the suite if the token leaks.
import { rememberConfiguredToken } from "../../provider/credentials";
import { setProviderClientTuning } from "../../provider/dynamicCommon";
import { replicaPromotionProvider } from "../../provider/replicaPromotion";
import { setProgressLogger } from "../../provider/waitFor";
import { FakeAiven } from "./fakeAivenServer";
import { SecretWatch, TOKEN } from "./secretWatch";

export function useProviderFixture(onProgress: (message: string) => void = () => undefined): { fake: FakeAiven; watch: SecretWatch } {
  const fake = new FakeAiven();
  const watch = new SecretWatch();
  beforeAll(async () => {
    watch.start();
    await fake.start();
    setProgressLogger((m) => {
      onProgress(m);
      watch.record(m);
    });
    setProviderClientTuning({ baseDelayMs: 1, maxDelayMs: 5, timeoutMs: 1000 });
    await replicaPromotionProvider.configure!({ config: { get: (k: string) => (k === "aiven:apiToken" ? TOKEN : undefined) } as never });
  });
  afterAll(async () => {
    await fake.stop();
    setProgressLogger(undefined);
    setProviderClientTuning(undefined);
    rememberConfiguredToken(undefined);
    watch.stop();
    expect(watch.leaks()).toEqual({ leaks: 0, checked: expect.any(Number) });
  });
  return { fake, watch };
}
