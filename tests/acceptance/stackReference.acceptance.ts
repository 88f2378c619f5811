// A failover followed through StackReference between two real stacks on one backend: the emulator
// fails the primary, the writer stack promotes the replica it fails over to, and the app stack that
// reads `writeEndpoint` follows without anything being replaced.
import * as pulumi from "@pulumi/pulumi";
import { ReplicaPromotion } from "../../provider/replicaPromotion";
import { replicationInfo } from "../../scripts/demoSteps";
import { withRedis } from "../../provider/replication";
import { changes, describeEngine, EngineStack } from "./engine";
import { Fixture, PROJECT, useEngineFixture } from "./emulatorFixture";

const PRIMARY = "ref-primary";

describeEngine("StackReference follows a failover under the real engine", () => {
  const engine = useEngineFixture({ primary: PRIMARY, replicas: ["ref-a", "ref-b"] });
  let aiven: Fixture;
  let writer: EngineStack;
  let app: EngineStack;

  beforeAll(async () => {
    aiven = engine.aiven;
    const writerProgram = async () => {
      const failoverTo = new pulumi.Config().get("failoverTo");
      if (failoverTo === undefined) return { writeEndpoint: pulumi.secret(await aiven.uri(PRIMARY)) };
      const promotion = new ReplicaPromotion("failover", {
        project: PROJECT,
        primaryServiceName: PRIMARY,
        replicaServiceName: failoverTo,
        pollSeconds: 0.1,
        timeoutSeconds: 120,
      });
      // As ReadReplicaSet does: the replica's URI becomes the write endpoint once its promotion is done.
      return { writeEndpoint: pulumi.secret(pulumi.all([promotion.promotedAt, aiven.uri(failoverTo)]).apply(([, uri]) => uri)) };
    };
    const appProgram = async () => {
      const cache = new pulumi.StackReference("organization/cache/prod");
      return { cacheEndpoint: cache.getOutput("writeEndpoint") };
    };
    writer = await engine.stack({ projectName: "cache", stackName: "prod", program: writerProgram });
    app = await engine.stack({ projectName: "app", stackName: "prod", program: appProgram }, { workDir: engine.ctx.newWorkDir(), token: false });
  });

  test("the app stack reads the primary's URI, then the promoted replica's after the failover", async () => {
    await writer.up();
    const before = (await app.up()).result.outputs.cacheEndpoint;
    expect(before).toEqual({ value: (await aiven.service(PRIMARY)).service_uri, secret: true });

    await aiven.admin.post(`/_emulator/projects/${PROJECT}/services/${PRIMARY}/fail`);
    await writer.refresh();
    await writer.setConfig("failoverTo", "ref-a");
    const { result, run } = await writer.up();
    expect(changes(run)).toEqual([{ op: "create", urn: expect.stringContaining("failover") }]);

    const promotedUri = (await aiven.service("ref-a")).service_uri;
    expect(result.outputs.writeEndpoint).toEqual({ value: promotedUri, secret: true });
    const followed = await app.up();
    expect(followed.result.outputs.cacheEndpoint).toEqual({ value: promotedUri, secret: true });
    expect(changes(followed.run).filter((c) => c.op === "replace" || c.op === "delete")).toEqual([]);

    if (aiven.emulator.enginesEnabled) {
      expect((await replicationInfo(promotedUri)).role).toBe("master");
      expect(await withRedis(promotedUri, (c) => c.set("after-failover", "written"))).toBe("OK");
    }
  });
});
