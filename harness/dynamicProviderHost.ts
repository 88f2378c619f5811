// Pulumi's own dynamic provider host (@pulumi/pulumi/cmd/dynamic-provider), started as the engine
// starts it and driven over its gRPC protocol: the serialized providers run there, as under `pulumi up`.
import * as grpc from "@grpc/grpc-js";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as pb from "@pulumi/pulumi/proto/provider_pb";
import { ChildProcess, spawn } from "child_process";
import * as readline from "readline";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";

type Props = Record<string, unknown>;
const struct = (props: Props) => Struct.fromJavaScript(JSON.parse(JSON.stringify(props)) as Parameters<typeof Struct.fromJavaScript>[0]);
const plain = (s: Struct | undefined) => (s?.toJavaScript() ?? {}) as Props;

export class DynamicProviderHost {
  private constructor(private readonly child: ChildProcess, private readonly client: provrpc.ResourceProviderClient) {}

  /** Starts the host and configures it with the stack's config; `onLine` gets each line it prints. */
  static async start(config: Props, project: string, stack: string, onLine: (line: string) => void): Promise<DynamicProviderHost> {
    const script = require.resolve("@pulumi/pulumi/cmd/dynamic-provider/index.js");
    const env = { ...process.env, PULUMI_NODEJS_PROJECT: project, PULUMI_NODEJS_STACK: stack };
    const child = spawn(process.execPath, [script, "127.0.0.1:1"], { env, stdio: ["ignore", "pipe", "pipe"] });
    // A process that exits mid-run (process.exit on SIGINT) takes its host along, as the engine does.
    const orphaned = () => child.kill();
    process.once("exit", orphaned);
    child.once("exit", () => process.off("exit", orphaned));
    readline.createInterface({ input: child.stderr! }).on("line", onLine);
    // Its first line is the port it listens on, as the engine expects; the rest is what it prints.
    const port = await new Promise<string>((resolve, reject) => {
      child.once("exit", (code) => reject(new Error(`the dynamic provider host exited with ${code}`)));
      const stdout = readline.createInterface({ input: child.stdout! });
      stdout.once("line", (line) => {
        resolve(line.trim());
        stdout.on("line", onLine);
      });
    });
    const host = new DynamicProviderHost(child, new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure()));
    await host.rpc("configure", new pb.ConfigureRequest().setArgs(struct(config)));
    return host;
  }

  /** One call; a failure carries the provider's own message. */
  private rpc<R>(method: string, req: unknown): Promise<R> {
    const fn = (this.client as unknown as Record<string, (req: unknown, cb: (e: grpc.ServiceError | null, r: R) => void) => void>)[method];
    return new Promise((resolve, reject) => fn.call(this.client, req, (e, r) => (e ? reject(new Error(e.details || e.message)) : resolve(r))));
  }

  check = (urn: string, olds: Props, news: Props) =>
    this.rpc<pb.CheckResponse>("check", new pb.CheckRequest().setUrn(urn).setOlds(struct(olds)).setNews(struct(news)))
      .then((r) => ({ inputs: plain(r.getInputs()), failures: r.getFailuresList().map((f) => `${f.getProperty()}: ${f.getReason()}`) }));
  /** A provider without `diff` answers DIFF_UNKNOWN, which the engine settles by comparing inputs; here it is no change. */
  diff = (id: string, urn: string, olds: Props, news: Props) =>
    this.rpc<pb.DiffResponse>("diff", new pb.DiffRequest().setId(id).setUrn(urn).setOlds(struct(olds)).setNews(struct(news)))
      .then((r) => ({ changes: r.getChanges() === pb.DiffResponse.DiffChanges.DIFF_SOME, replaces: r.getReplacesList().length > 0 }));
  create = (urn: string, news: Props) =>
    this.rpc<pb.CreateResponse>("create", new pb.CreateRequest().setUrn(urn).setProperties(struct(news)))
      .then((r) => ({ id: r.getId(), props: plain(r.getProperties()) }));
  update = (id: string, urn: string, olds: Props, news: Props) =>
    this.rpc<pb.UpdateResponse>("update", new pb.UpdateRequest().setId(id).setUrn(urn).setOlds(struct(olds)).setNews(struct(news)))
      .then((r) => ({ id, props: plain(r.getProperties()) }));
  /** The resource as it is now; undefined when it is gone. */
  read = (id: string, urn: string, props: Props) =>
    this.rpc<pb.ReadResponse>("read", new pb.ReadRequest().setId(id).setUrn(urn).setProperties(struct(props)))
      .then((r) => (r.getId() ? { id: r.getId(), props: plain(r.getProperties()) } : undefined));
  delete = (id: string, urn: string, props: Props) => this.rpc("delete", new pb.DeleteRequest().setId(id).setUrn(urn).setProperties(struct(props)));

  async close(): Promise<void> {
    this.client.close();
    // "close", not "exit": by then everything it printed has been read. A host that has already exited is not waited for.
    const closed = new Promise((resolve) => this.child.once("close", resolve));
    if (this.child.kill()) await closed;
  }
}
