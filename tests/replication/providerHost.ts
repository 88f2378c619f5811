// Pulumi's real dynamic provider host, started as the engine starts it, and a small gRPC client.
import * as grpc from "@grpc/grpc-js";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import { ChildProcess, spawn } from "child_process";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");
type Callback = (e: grpc.ServiceError | null, r: unknown) => void;
export type Props = Record<string, unknown>;

// The host answers Configure with acceptSecrets=false: the engine sends it secret inputs as plain values.
export const struct = (props: Props): Struct => Struct.fromJavaScript(props as Parameters<typeof Struct.fromJavaScript>[0]);

export class ProviderHost {
  output = "";
  /** Every error message the host answered with. */
  readonly errors: string[] = [];
  private host?: ChildProcess;
  private client?: provrpc.ResourceProviderClient;

  async start(): Promise<void> {
    const env = { ...process.env };
    delete env.AIVEN_TOKEN;
    const host = spawn(process.execPath, [path.join(ROOT, "node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js"), "127.0.0.1:1"], {
      cwd: ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.host = host;
    host.stderr!.on("data", (d: Buffer) => (this.output += d.toString()));
    const port = await new Promise<number>((resolve, reject) => {
      host.once("exit", (code) => reject(new Error(`host exited with ${code}: ${this.output}`)));
      host.stdout!.on("data", (d: Buffer) => {
        const first = this.output === "" && /^\d+\s/.test(d.toString());
        this.output += d.toString();
        if (first) resolve(Number(d.toString().trim().split(/\s/)[0]));
      });
    });
    this.client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  }

  call<Res>(name: "configure" | "check" | "diff" | "create" | "update" | "read" | "delete", req: unknown): Promise<Res> {
    const client = this.client!;
    const method = (client as unknown as Record<string, (req: unknown, cb: Callback) => unknown>)[name];
    return new Promise((resolve, reject) =>
      method.call(client, req, (e: grpc.ServiceError | null, r: unknown) => {
        if (e) {
          this.errors.push(e.message);
          reject(e);
        } else {
          resolve(r as Res);
        }
      }),
    );
  }

  async stop(): Promise<void> {
    this.client?.close();
    const host = this.host;
    if (host && host.exitCode === null) {
      const exited = new Promise((resolve) => host.once("exit", resolve));
      host.kill();
      await exited;
    }
  }
}
