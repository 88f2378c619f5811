// A fresh process, as each `pulumi up` is: two deploys of the installed package through the
// harness; prints the first one's extra time. Argv: url token dist replicas pollSeconds.
import * as path from "path";
import type { runProgram as RunProgram } from "../harness";
import type { ReadReplicaSet as Set } from "../components/readReplicaSet";
import { componentProgram } from "./provisioning";

async function main(): Promise<void> {
  const [url, token, dist, replicas, pollSeconds] = process.argv.slice(2);
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { runProgram } = require(path.join(dist, "harness")) as { runProgram: typeof RunProgram };
  const { ReadReplicaSet } = require(path.join(dist, "components/readReplicaSet")) as { ReadReplicaSet: typeof Set };
  const deploy = async (prefix: string): Promise<number> => {
    const start = performance.now();
    const program = componentProgram(ReadReplicaSet, url, prefix, Number(replicas), Number(pollSeconds));
    await runProgram(program, { emulatorUrl: url, token, project: "bench", servicePollMs: Number(pollSeconds) * 1000 });
    return performance.now() - start;
  };
  const first = await deploy("icold");
  const second = await deploy("iwarm");
  console.log(JSON.stringify({ coldStartMs: Math.max(0, first - second) }));
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e instanceof Error ? e.stack : e);
    process.exit(1);
  },
);
