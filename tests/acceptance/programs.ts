// Inline programs of dynamic resources only: they run under the real engine without Aiven's
// resource plugin, against services made beforehand through the emulator's API.
import * as pulumi from "@pulumi/pulumi";
import type { PulumiFn } from "@pulumi/pulumi/automation";
import { PrimaryReadiness } from "../../provider/primaryReadiness";
import { ReplicaPromotion } from "../../provider/replicaPromotion";
import { PROJECT } from "./emulatorFixture";

/** Readiness of `primary`, then one promotion per replica named in the config `promote` (comma-separated). */
export function promotionProgram(primary: string, wait = { pollSeconds: 0.1, timeoutSeconds: 120 }): PulumiFn {
  return async () => {
    const config = new pulumi.Config();
    const promote = (config.get("promote") ?? "").split(",").filter((name) => name !== "");
    const readiness = new PrimaryReadiness("readiness", {
      project: PROJECT,
      serviceName: primary,
      serviceType: "valkey",
      replicasToAdd: 0,
      requireBackup: true,
      ...wait,
    });
    const promotions = promote.map(
      (name) => new ReplicaPromotion(`promotion-${name}`, { project: PROJECT, primaryServiceName: primary, replicaServiceName: name, ...wait }, { dependsOn: [readiness] }),
    );
    return {
      readiness: { state: readiness.state, backupCount: readiness.backupCount, liveReplicas: readiness.liveReplicas },
      promotions: promotions.map((p) => ({ replica: p.replicaServiceName, integrationId: p.integrationId, promotedAt: p.promotedAt })),
    };
  };
}
