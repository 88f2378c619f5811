// A failed run stops at the failed resource: its error names the resource and Aiven's reason, nothing
// that depends on it runs, and what the run replaced is not deleted. A service is never changed in place.
import * as aiven from "@pulumi/aiven";
import { DeployError } from "../../harness";
import { actions, E2E, PROJECT, startE2E, writes } from "./helpers";

const CLOUD = "google-europe-west1";

let e2e: E2E;
beforeEach(async () => {
  e2e = await startE2E();
});
afterEach(() => e2e.close());

/** One service named `serviceName`; with `failing`, a replica of a source that does not exist after it, and a service after that. */
const program = (serviceName: string, failing = false) => () => {
  const svc = new aiven.Valkey("svc", { project: PROJECT, serviceName, plan: "business-4", cloudName: CLOUD });
  if (!failing) return;
  const replicaOf = (source: string) => [{ integrationType: "read_replica", sourceServiceName: source }];
  const settings = { project: PROJECT, plan: "startup-4", cloudName: CLOUD };
  const bad = new aiven.Valkey("bad", { ...settings, serviceName: "bad", serviceIntegrations: replicaOf("no-such-service") }, { dependsOn: [svc] });
  new aiven.Valkey("after", { ...settings, serviceName: "after", serviceIntegrations: replicaOf(serviceName) }, { dependsOn: [bad] });
};

test("a failed run names the resource and Aiven's reason, runs nothing after it and deletes nothing it replaced", async () => {
  const first = await e2e.deploy(program("svc-a"));

  const error = await e2e.deploy(program("svc-b", true), {}, { previous: first }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DeployError);
  const { errors, partial } = error as DeployError;
  expect(errors).toEqual([
    `aiven:index/valkey:Valkey bad: POST /v1/project/${PROJECT}/service: 400 Read replica source service 'no-such-service' does not exist`,
  ]);
  expect(actions(partial)).toEqual(["replace svc"]);
  // Create before delete: the run created svc-b; svc-a, which it replaced, is still there.
  expect((await e2e.services()).map((s) => s.service_name)).toEqual(["svc-a", "svc-b"]);
});

test("a changed plan fails the run without a request that changes the service: the harness does not change services in place", async () => {
  const first = await e2e.deploy(program("svc-a"));
  await e2e.clearRequests();
  const bigger = () => {
    new aiven.Valkey("svc", { project: PROJECT, serviceName: "svc-a", plan: "business-8", cloudName: CLOUD });
  };

  const error = await e2e.deploy(bigger, {}, { previous: first }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DeployError);
  expect((error as DeployError).errors).toEqual(["aiven:index/valkey:Valkey svc: the offline harness does not change a service's plan; pulumi up does"]);
  expect(writes(await e2e.requests())).toEqual([]);
  expect((await e2e.service("svc-a")).plan).toBe("business-4");
});
