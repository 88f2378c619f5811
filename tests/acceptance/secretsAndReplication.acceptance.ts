// ReplicationCheck against real redis-server engines under the real engine, and the secrets a
// deployment handles — the Aiven token given only as the `apiToken` input, every service password
// and URI — found only as ciphertext in `pulumi stack export`, the backend's files and the engine's output.
import * as pulumi from "@pulumi/pulumi";
import { ReplicaPromotion } from "../../provider/replicaPromotion";
import { ReplicationCheck } from "../../provider/replicationCheck";
import { readBack, replicationInfo } from "../../scripts/demoSteps";
import { withRedis } from "../../provider/replication";
import { changes, describeEngine, EngineContext, EngineStack, filesUnder, isSdkRpcDebug } from "./engine";
import { Fixture, occurrences, PROJECT, useEngineFixture } from "./emulatorFixture";

const PRIMARY = "sec-primary";
const REPLICAS = ["sec-a", "sec-b", "sec-c"];
const PROMOTED = "sec-c";

describeEngine("replication check and secrets under the real engine", () => {
  const engine = useEngineFixture({ primary: PRIMARY, replicas: REPLICAS });
  let aiven: Fixture;
  let ctx: EngineContext;
  let stack: EngineStack;

  beforeAll(async () => {
    ({ aiven, ctx } = engine);
    // The URIs come from the Aiven API as secrets, as the set's services give them to the check.
    const program = async () => {
      const check = new ReplicationCheck("replication", {
        primaryUri: pulumi.secret(await aiven.uri(PRIMARY)),
        replicas: await Promise.all(REPLICAS.filter((r) => r !== PROMOTED).map(async (name) => ({ name, uri: pulumi.secret(await aiven.uri(name)) }))),
        pollSeconds: 0.05,
        timeoutSeconds: 60,
      });
      const promotion = new ReplicaPromotion(
        "promotion",
        { project: PROJECT, primaryServiceName: PRIMARY, replicaServiceName: PROMOTED, apiToken: pulumi.secret(aiven.token), pollSeconds: 0.1, timeoutSeconds: 120 },
        { dependsOn: [check] },
      );
      return {
        lagMs: check.lagMs,
        promotedAt: promotion.promotedAt,
        writeEndpoint: pulumi.secret(pulumi.all([promotion.promotedAt, aiven.uri(PROMOTED)]).apply(([, uri]) => uri)),
      };
    };
    // No aiven:apiToken config and an empty AIVEN_TOKEN: the apiToken input is the only token.
    stack = await engine.stack({ projectName: "secrets", program }, { token: false });
  });

  test("up: the canary reaches every replica, and data written to the primary is read back from each", async () => {
    if (!aiven.emulator.enginesEnabled) {
      console.log("replication not checked: redis-server is not on PATH, so the emulator runs no engines");
      return;
    }
    const { result } = await stack.up();
    const lag = result.outputs.lagMs.value as Record<string, number>;
    expect(Object.keys(lag).sort()).toEqual(["sec-a", "sec-b"]);
    for (const ms of Object.values(lag)) expect(ms).toBeGreaterThanOrEqual(0);

    const value = `acceptance ${Date.now()}`;
    await withRedis((await aiven.service(PRIMARY)).service_uri, (c) => c.set("acceptance:key", value));
    for (const name of ["sec-a", "sec-b"]) {
      expect(await readBack((await aiven.service(name)).service_uri, "acceptance:key", value, 10_000)).toBeDefined();
    }
    // The promoted one stops following the primary and takes writes itself.
    expect((await replicationInfo((await aiven.service(PROMOTED)).service_uri)).role).toBe("master");
    expect(await readBack((await aiven.service(PROMOTED)).service_uri, "acceptance:key", value, 500)).toBeUndefined();
    expect(await aiven.links()).toEqual([`sec-a <- ${PRIMARY}`, `sec-b <- ${PRIMARY}`]);
    expect(changes((await stack.up()).run)).toEqual([]);
  });

  test("the token and every password and URI appear only as ciphertext: stack export, backend files, engine output", async () => {
    if (!aiven.emulator.enginesEnabled) return;
    const exported = await stack.exportText();
    const secrets = await aiven.secrets();
    expect(secrets.length).toBeGreaterThanOrEqual(1 + 2 * (REPLICAS.length + 1));

    // Not vacuous: the values are in the state, encrypted, and decrypt to what Aiven holds.
    expect(occurrences(exported, '"ciphertext"')).toBeGreaterThanOrEqual(3);
    const outputs = await stack.outputs();
    expect(outputs.writeEndpoint).toEqual({ value: (await aiven.service(PROMOTED)).service_uri, secret: true });

    const places = [
      { where: "pulumi stack export", text: exported },
      ...filesUnder(ctx.backendDir).map((f) => ({ where: f.file, text: f.text })),
      ...filesUnder(ctx.workDir).map((f) => ({ where: f.file, text: f.text })),
      { where: "engine output", text: ctx.transcript.join("\n") },
      { where: "engine events", text: JSON.stringify(ctx.events.filter((e) => !isSdkRpcDebug(e))) },
    ];
    expect(ctx.events.length).toBeGreaterThan(10);
    const leaks = places.flatMap(({ where, text }) => secrets.filter((s) => occurrences(text, s) > 0).map((_, i) => `${where}: secret #${i}`));
    expect(leaks).toEqual([]);

    // Known, upstream: @pulumi/pulumi's debug lines of resource RPCs carry the responses with the
    // secrets in plain text. Shown only with --debug; counted here so that the report says so.
    const sdkDebug = JSON.stringify(ctx.events.filter(isSdkRpcDebug));
    const inDebug = secrets.filter((s) => occurrences(sdkDebug, s) > 0).length;
    console.log(`secrets found in the SDK's RPC debug diagnostics (shown only with --debug): ${inDebug} of ${secrets.length}`);
  });

  test("destroy: the check and the promotion go, the services stay", async () => {
    if (!aiven.emulator.enginesEnabled) return;
    await stack.destroy();
    expect((await aiven.services()).map((s) => s.service_name)).toEqual([PRIMARY, ...REPLICAS].sort());
  });
});
