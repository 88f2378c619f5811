// A promotion declared in the program: the run deletes the link and changes no service, and a
// refreshed run after it sends nothing. (How the engine and Aiven's provider treat the removed
// integration, with and without the component's ignoreChanges, is shown under the real engine in
// tests/acceptance/examples.acceptance.ts and promotion.acceptance.ts.)
import { ReadReplicaSet } from "../../index";
import { actions, E2E, links, PROJECT, startE2E, writes } from "./helpers";

const CLOUD = "google-europe-west1";

let e2e: E2E;
beforeEach(async () => {
  e2e = await startE2E();
});
afterEach(() => e2e.close());

/** A set with one replica. */
const oneReplicaSet = (promote: boolean) => () => {
  new ReadReplicaSet("set", {
    project: PROJECT,
    primary: { name: "orders", plan: "business-4", cloud: CLOUD },
    replicas: [{ name: "orders-ro", promote }],
    apiUrl: e2e.emulator.url,
    pollSeconds: 0.02,
    timeoutSeconds: 10,
  });
};

test("a promoted replica leaves its link out: the promotion run and a refreshed run after it change no service", async () => {
  const replica = await e2e.deploy(oneReplicaSet(false));
  expect(links(await e2e.services())).toEqual(["orders-ro <- orders"]);
  const promoted = await e2e.deploy(oneReplicaSet(true), {}, { previous: replica });
  expect(links(await e2e.services())).toEqual([]);
  expect(promoted.resources.filter((r) => r.type === "aiven:index/valkey:Valkey").map((r) => r.action)).toEqual(["same", "same"]);
  await e2e.clearRequests();

  const again = await e2e.deploy(oneReplicaSet(true), {}, { previous: promoted, refresh: true });
  expect(new Set(actions(again).map((a) => a.split(" ")[0]))).toEqual(new Set(["same"]));
  expect(writes(await e2e.requests())).toEqual([]);
});
