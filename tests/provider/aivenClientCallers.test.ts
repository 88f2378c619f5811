import { ReplicaPromotionOutputs, replicaPromotionProvider as promotion } from "../../provider/replicaPromotion";
import { useProviderFixture } from "./providerFixture";
import { recorded } from "./secretWatch";

// How the promotion provider reads what AivenClient.deleteIntegration established: it records an
// integration id only when its own DELETE certainly removed it.
const { fake, watch } = useProviderFixture();
const DELETE_PATH = "/v1/project/proj/integration/rr-1";
const fault = (status: number, message: string) => ({ status, body: { message, errors: [{ message, status }] } });

beforeEach(() => {
  fake.reset();
  fake.addService("primary-1");
  fake.addService("replica-1");
  fake.link("rr-1", "primary-1", "replica-1");
});

async function promote(): Promise<ReplicaPromotionOutputs> {
  const inputs = { project: "proj", primaryServiceName: "primary-1", replicaServiceName: "replica-1", apiUrl: fake.url, timeoutSeconds: 2, pollSeconds: 0.01 };
  return (await recorded(watch, () => promotion.create!(inputs))).outs as ReplicaPromotionOutputs;
}

test.each<[string, Array<ReturnType<typeof fault>>, string | null, number]>([
  ["a first DELETE that answers 200 removed it: its id is recorded", [], "rr-1", 1],
  ["a 503 then the DELETE deletes it: its id is recorded", [fault(503, "unavailable")], "rr-1", 2],
  ["404 at once: someone else removed it, null", [fault(404, "Service integration not found")], null, 1],
  ["503 then 404: unknown whether the 503 attempt removed it, so no claim (null)", [fault(503, "unavailable"), fault(404, "Service integration not found")], null, 2],
])("%s", async (_name, responses, integrationId, deletes) => {
  fake.script("DELETE", DELETE_PATH, ...responses);
  if (responses.some((r) => r.status === 404)) fake.timeline("replica-1", { service_integrations: [] });
  const outs = await promote();
  expect(outs.integrationId).toBe(integrationId);
  expect(outs.promoted).toBe(true);
  expect(fake.callsTo("DELETE")).toHaveLength(deletes);
});
