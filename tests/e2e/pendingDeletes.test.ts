// Replaced resources are deleted as the engine deletes them: after a successful run; after a
// failed one they stay as pending deletes, which the next run deletes before anything else.
import * as aiven from "@pulumi/aiven";
import { DeployError, RunResult } from "../../harness";
import { actions, E2E, PROJECT, startE2E } from "./helpers";

const CLOUD = "google-europe-west1";

let e2e: E2E;
beforeEach(async () => {
  e2e = await startE2E();
});
afterEach(() => e2e.close());

const names = async () => (await e2e.services()).map((s) => s.service_name);

/** One service named `serviceName`; with `failing`, a replica of a source that does not exist, after it. */
const program = (serviceName: string, failing = false) => () => {
  const svc = new aiven.Valkey("svc", { project: PROJECT, serviceName, plan: "business-4", cloudName: CLOUD });
  if (failing) {
    new aiven.Valkey(
      "bad",
      {
        project: PROJECT,
        serviceName: "bad",
        plan: "startup-4",
        cloudName: CLOUD,
        serviceIntegrations: [{ integrationType: "read_replica", sourceServiceName: "no-such-service" }],
      },
      { dependsOn: [svc] },
    );
  }
};

async function deployError(run: Promise<RunResult>): Promise<DeployError> {
  const error = await run.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DeployError);
  return error as DeployError;
}

test("a service replaced in a failed run is a pending delete, which the next successful run deletes", async () => {
  const first = await e2e.deploy(program("svc-a"));

  const error = await deployError(e2e.deploy(program("svc-b", true), {}, { previous: first }));
  expect(error.errors).toEqual([
    `aiven:index/valkey:Valkey bad: POST /v1/project/${PROJECT}/service: 400 Read replica source service 'no-such-service' does not exist`,
  ]);
  expect(actions(error.partial)).toEqual(["replace svc"]);
  // Create-before-delete: the failed run created svc-b and left svc-a for later.
  expect(await names()).toEqual(["svc-a", "svc-b"]);
  expect(error.partial.pendingDeletes?.map((r) => `${r.name} ${String(r.inputs.serviceName)}`)).toEqual(["svc svc-a"]);

  const next = await e2e.deploy(program("svc-b"), {}, { previous: error.partial });
  expect(actions(next)).toEqual(["same svc"]);
  expect(next.pendingDeletes).toBeUndefined();
  expect(await names()).toEqual(["svc-b"]);
  expect(e2e.logs.filter((l) => /^-  delete  aiven\.Valkey svc \(replaced, [\d.]+s\)$/.test(l))).toHaveLength(1);
});

test("pending deletes are retired first, also when the next run fails again", async () => {
  const first = await e2e.deploy(program("svc-a"));
  const error = await deployError(e2e.deploy(program("svc-b", true), {}, { previous: first }));

  const again = await deployError(e2e.deploy(program("svc-b", true), {}, { previous: error.partial }));
  expect(again.partial.pendingDeletes).toBeUndefined();
  expect(await names()).toEqual(["svc-b"]);
});

test("a failed run carries its pending deletes on when it cannot delete them, and nothing else runs", async () => {
  const first = await e2e.deploy(program("svc-a"));
  const error = await deployError(e2e.deploy(program("svc-b", true), {}, { previous: first }));
  await e2e.admin.post("/_emulator/faults", { method: "DELETE", path: `/v1/project/${PROJECT}/service/svc-a`, status: 403, count: 1 });
  await e2e.clearRequests();

  const blocked = await deployError(e2e.deploy(program("svc-c"), {}, { previous: error.partial }));
  expect(blocked.errors).toHaveLength(1);
  expect(blocked.errors[0]).toMatch(/^aiven:index\/valkey:Valkey svc \(replaced\): /);
  expect(blocked.partial.pendingDeletes?.map((r) => String(r.inputs.serviceName))).toEqual(["svc-a"]);
  expect(await e2e.requests()).toEqual([`DELETE /v1/project/${PROJECT}/service/svc-a`]);
  expect(await names()).toEqual(["svc-a", "svc-b"]);
});
