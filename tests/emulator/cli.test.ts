import { Writable } from "node:stream";
import axios from "axios";
import { main, parseArgs } from "../../emulator/cli";

test("flags map onto EmulatorOptions, with the documented defaults", () => {
  expect(parseArgs([])).toEqual({
    port: 0,
    host: "127.0.0.1",
    token: undefined,
    projects: undefined,
    buildMs: 200,
    backupMs: 200,
    promoteMs: 100,
    engines: "auto",
    stateFile: undefined,
    quiet: false,
  });
  expect(
    parseArgs([
      "--port", "0", "--token", "tok", "--projects", "a, b", "--build-ms", "5", "--backup-ms", "6",
      "--promote-ms", "7", "--engines", "none", "--state-file", "/tmp/x.json", "--quiet",
    ]),
  ).toEqual({
    port: 0,
    host: "127.0.0.1",
    token: "tok",
    projects: ["a", "b"],
    buildMs: 5,
    backupMs: 6,
    promoteMs: 7,
    engines: "none",
    stateFile: "/tmp/x.json",
    quiet: true,
  });
});

test.each([
  [["--engines", "docker"]],
  [["--port", "-1"]],
  [["--build-ms", "soon"]],
])("bad flags %p are refused", (argv) => {
  expect(() => parseArgs(argv)).toThrow();
});

test("main prints exactly the listening line and serves the API", async () => {
  let printed = "";
  const out = new Writable({
    write(chunk: Buffer, _enc, done) {
      printed += chunk.toString();
      done();
    },
  });
  const emulator = await main(["--port", "0", "--engines", "none", "--token", "tok", "--quiet"], out);
  try {
    expect(printed).toBe(`listening on http://127.0.0.1:${emulator.port}\n`);
    const res = await axios.get(`${emulator.url}/v1/project/p/service`, { headers: { Authorization: "aivenv1 tok" } });
    expect(res.data).toEqual({ services: [] });
  } finally {
    await emulator.close();
  }
  expect(process.listenerCount("SIGTERM")).toBeLessThanOrEqual(1);
});
