// What a careless change of the set must not do to production data: a renamed primary does not
// silently orphan its replicas, and a sixth replica is refused before anything is created.
import { ReadReplicaSet, ReplicaSpec } from "../../index";
import { DeployError } from "../../harness";
import { E2E, links, PROJECT, startE2E, summary, writes } from "./helpers";

let e2e: E2E;
beforeEach(async () => {
  e2e = await startE2E();
});
afterEach(() => e2e.close());

/** A program with a set declared inline, the way a user's index.ts would. */
const program = (primary: string, replicas: ReplicaSpec[]) => () => {
  const set = new ReadReplicaSet("set", {
    project: PROJECT,
    primary: { name: primary, plan: "business-4", cloud: "google-europe-west1" },
    replicas,
    apiUrl: e2e.emulator.url,
    pollSeconds: 0.02,
    timeoutSeconds: 10,
  });
  return { replicas: set.replicaServiceNames };
};

async function deployError(run: Promise<unknown>): Promise<string[]> {
  const error = await run.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DeployError);
  return (error as DeployError).errors;
}

test("renaming the primary stops before any replica is touched, and deletes nothing", async () => {
  const replicas = [{ name: "orders-ro-1" }, { name: "orders-ro-2" }];
  const first = await e2e.deploy(program("orders", replicas));
  await e2e.clearRequests();

  const errors = await deployError(e2e.deploy(program("orders-v2", replicas), {}, { previous: first }));
  expect(errors).toEqual([
    "pulumi-nodejs:dynamic/aiven-read-replicas:PrimaryReadiness set-readiness: 'orders-ro-1' replicates from 'orders', " +
      "'orders-ro-2' replicates from 'orders', not from 'orders-v2': Aiven cannot move a read replica to another primary, " +
      "so no replica was changed. Give those replicas new names (they are then created from 'orders-v2' and the old ones " +
      "deleted), or keep the primary's name",
  ]);
  // The new primary was created (create-before-delete), the old one and its replicas are intact.
  expect(writes(await e2e.requests())).toEqual([`POST /v1/project/${PROJECT}/service`]);
  expect(links(await e2e.services())).toEqual(["orders-ro-1 <- orders", "orders-ro-2 <- orders"]);
  expect(summary(await e2e.services()).map((s) => s.split(" ")[0])).toEqual(["orders", "orders-ro-1", "orders-ro-2", "orders-v2"]);
});

test("a new replica declared with promote: true has nothing to promote: it is created standalone, within the limit", async () => {
  const five = Array.from({ length: 5 }, (_, i) => ({ name: `cache-ro-${i}` }));
  const first = await e2e.deploy(program("cache", five));
  await e2e.clearRequests();

  await e2e.deploy(program("cache", [...five, { name: "cache-dr", promote: true }]), {}, { previous: first });

  // One service created, with no read_replica link; the promotion found nothing to delete.
  expect(writes(await e2e.requests())).toEqual([`POST /v1/project/${PROJECT}/service`]);
  expect(links(await e2e.services())).toHaveLength(5);
  expect((await e2e.service("cache-dr")).service_integrations).toEqual([]);
});
