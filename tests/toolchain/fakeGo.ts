import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/**
 * A stand-in `go` for testing scripts/toolchain.sh without a 20-minute build: `go build -o X`
 * writes X as a program that prints the version stamped with -ldflags, `go mod download`
 * answers like the proxy refusing a module, and every call is logged with the Go settings
 * it ran under.
 */
export interface FakeGo {
  dir: string;
  /** PATH with the fake go first and no real Go toolchain. */
  path: string;
  /** One line per invocation: `GOPROXY=… GOTOOLCHAIN=… cwd=… :: args`. */
  calls(): string[];
}

export function makeFakeGo(opts: { goVersion?: string; goproxy?: string; stampOverride?: string } = {}): FakeGo {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fake-go-"));
  const log = path.join(dir, "calls.log");
  const stamp = opts.stampOverride ? `v=${JSON.stringify(opts.stampOverride)}` : `v=$(printf '%s' "$ldflags" | sed -n 's/.*version\\.Version=\\([^ ]*\\).*/\\1/p')`;
  const script = `#!/bin/sh
echo "GOPROXY=$GOPROXY GOTOOLCHAIN=$GOTOOLCHAIN cwd=$PWD :: $*" >> ${JSON.stringify(log)}
case "$1 $2" in
  "env GOVERSION") echo "go${opts.goVersion ?? "1.26.8"}" ;;
  "env GOPROXY") echo ${JSON.stringify(opts.goproxy ?? "https://proxy.example.test,direct")} ;;
  "mod download")
    for m; do mod=$m; done
    printf '{\\n\\t"Path": "%s",\\n\\t"Error": "%s: reading https://proxy.example.test/@v/x.info: 403 Forbidden\\\\n\\\\tserver response: This module version is not available."\\n}\\n' "\${mod%@*}" "$mod"
    exit 1 ;;
  build*)
    out=; ldflags=
    while [ $# -gt 0 ]; do
      case "$1" in -o) out=$2; shift ;; -ldflags) ldflags=$2; shift ;; esac
      shift
    done
    ${stamp}
    printf '#!/bin/sh\\necho %s\\n' "$v" > "$out"
    chmod +x "$out" ;;
  *) echo "fake go: unexpected $*" >&2; exit 2 ;;
esac
`;
  fs.writeFileSync(path.join(dir, "go"), script, { mode: 0o755 });
  return {
    dir,
    path: [dir, "/usr/bin", "/bin"].join(path.delimiter),
    calls: () => (fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : []),
  };
}
