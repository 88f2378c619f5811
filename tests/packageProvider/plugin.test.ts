// The plugin as the Pulumi CLI starts it: the launcher runs the built provider from the package
// one directory up, whatever the working directory, and the provider answers over gRPC.
import * as grpc from "@grpc/grpc-js";
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";

const root = path.resolve(__dirname, "..", "..");
const launcher = path.join(root, "packageProvider", "pulumi-resource-aiven-read-replicas");
const tempDirs: string[] = [];
const children: Array<ReturnType<typeof spawn>> = [];

function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

afterAll(() => {
  children.forEach((child) => child.kill("SIGTERM"));
  tempDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true }));
});

/** A package layout with the real launcher and a stand-in provider that reports how it was run. */
function fakePackage(withProvider: boolean): string {
  const pkg = tempDir("rr-package-");
  fs.mkdirSync(path.join(pkg, "packageProvider"));
  fs.copyFileSync(launcher, path.join(pkg, "packageProvider", path.basename(launcher)));
  fs.chmodSync(path.join(pkg, "packageProvider", path.basename(launcher)), 0o755);
  if (withProvider) {
    fs.mkdirSync(path.join(pkg, "dist", "packageProvider"), { recursive: true });
    fs.writeFileSync(path.join(pkg, "dist", "packageProvider", "main.js"), "console.log(JSON.stringify({ args: process.argv.slice(2), cwd: process.cwd() }));\n");
  }
  return pkg;
}

test("the launcher is executable (the CLI runs it directly)", () => {
  expect(fs.statSync(launcher).mode & 0o111).toBe(0o111);
});

test("the launcher runs ../dist/packageProvider/main.js with the CLI's arguments, from any working directory", () => {
  const pkg = fakePackage(true);
  const cwd = tempDir("rr-consumer-");
  const run = spawnSync(path.join(pkg, "packageProvider", path.basename(launcher)), ["127.0.0.1:4567", "--logtostderr"], { cwd, encoding: "utf8" });
  expect(run.status).toBe(0);
  expect(JSON.parse(run.stdout)).toEqual({ args: ["127.0.0.1:4567", "--logtostderr"], cwd: fs.realpathSync(cwd) });
});

test("without a build, the launcher says what to run and fails", () => {
  const pkg = fakePackage(false);
  const run = spawnSync(path.join(pkg, "packageProvider", path.basename(launcher)), ["127.0.0.1:4567"], { cwd: tempDir("rr-consumer-"), encoding: "utf8" });
  expect(run.status).toBe(1);
  expect(run.stderr).toContain("dist/packageProvider/main.js is missing");
  expect(run.stderr).toContain("npm ci");
});

/** Starts packageProvider/main.ts (transpiled on load) and resolves with the port it announces. */
function startProvider(): Promise<number> {
  const hook = path.join(tempDir("rr-hook-"), "transpile.js");
  fs.writeFileSync(
    hook,
    `const ts = require(${JSON.stringify(require.resolve("typescript"))});\n` +
      `const fs = require("fs");\n` +
      `require.extensions[".ts"] = (m, file) => m._compile(ts.transpileModule(fs.readFileSync(file, "utf8"), ` +
      `{ fileName: file, compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText, file);\n`,
  );
  const child = spawn(process.execPath, ["-r", hook, path.join(root, "packageProvider", "main.ts"), "127.0.0.1:1"], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stderr!.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const line = /^(\d+)\n/.exec(out);
      if (line) resolve(Number(line[1]));
    });
    child.on("exit", (code) => reject(new Error(`provider exited ${code} before announcing a port: ${err}`)));
  });
}

function unary<Req, Res>(call: (req: Req, cb: (e: grpc.ServiceError | null, r: Res) => void) => unknown, req: Req): Promise<Res> {
  return new Promise((resolve, reject) => call(req, (e, r) => (e ? reject(e) : resolve(r))));
}

test("the provider process serves the schema and checks inputs over gRPC", async () => {
  const port = await startProvider();
  const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  try {
    const schemaResponse = await unary<provproto.GetSchemaRequest, provproto.GetSchemaResponse>(client.getSchema.bind(client), new provproto.GetSchemaRequest());
    const schema = JSON.parse(schemaResponse.getSchema()) as { name: string; resources: object };
    expect(schema.name).toBe("aiven-read-replicas");
    expect(Object.keys(schema.resources)).toContain("aiven-read-replicas:index:ReadReplicaSet");

    const check = new provproto.CheckRequest();
    check.setUrn("urn:pulumi:dev::consumer::aiven-read-replicas:index:ReplicaPromotion::p");
    check.setOlds(structproto.Struct.fromJavaScript({}));
    check.setNews(structproto.Struct.fromJavaScript({ project: "acme", primaryServiceName: "sessions", replicaServiceName: "Bad_Name" }));
    const checked = await unary<provproto.CheckRequest, provproto.CheckResponse>(client.check.bind(client), check);
    const failures = checked.getFailuresList().map((f) => f.getProperty());
    expect(failures).toEqual(["replicaServiceName"]);
  } finally {
    client.close();
  }
}, 60_000);
