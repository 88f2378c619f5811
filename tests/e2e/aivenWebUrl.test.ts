// The harness stands in for `pulumi`, whose Aiven plugin reads AIVEN_WEB_URL from its environment:
// a run sets it to the emulator's URL and puts back what was there, also when the run fails.
import { DeployError } from "../../harness";
import { E2E, startE2E } from "./helpers";

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(() => e2e.close());

const seenDuringRun = () => {
  const seen: Array<string | undefined> = [];
  return { seen, program: () => ({ url: (seen.push(process.env.AIVEN_WEB_URL), process.env.AIVEN_WEB_URL) }) };
};

test("a run sees the emulator's URL as AIVEN_WEB_URL and the previous value comes back", async () => {
  process.env.AIVEN_WEB_URL = "https://api.aiven.io";
  try {
    const { seen, program } = seenDuringRun();
    const run = await e2e.deploy(program);
    expect(seen).toEqual([e2e.emulator.url]);
    expect(run.outputs.url).toBe(e2e.emulator.url);
    expect(process.env.AIVEN_WEB_URL).toBe("https://api.aiven.io");
  } finally {
    delete process.env.AIVEN_WEB_URL;
  }
});

test("an unset AIVEN_WEB_URL is unset again after a failed run", async () => {
  delete process.env.AIVEN_WEB_URL;
  const seen: Array<string | undefined> = [];
  const failing = () => {
    seen.push(process.env.AIVEN_WEB_URL);
    throw new Error("program failed");
  };
  const error = await e2e.deploy(failing).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DeployError);
  expect((error as DeployError).errors).toEqual(["program failed"]);
  expect(seen).toEqual([e2e.emulator.url]);
  expect("AIVEN_WEB_URL" in process.env).toBe(false);
});
