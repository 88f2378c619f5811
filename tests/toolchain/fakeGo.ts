import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/**
 * A stand-in `go` for testing scripts/toolchain.sh without a 20-minute build: `go build -o X`
 * writes X as a program that prints the version stamped with -ldflags, `go mod download`
 * answers like the proxy refusing a module (github.com/pulumi/pulumi/sdk/v3 is served, with the
 * Python exec script in it), and every call is logged with the Go settings it ran under. A
 * stand-in `python3` makes virtualenvs whose pip logs what it was asked to install.
 */
export interface FakeGo {
  dir: string;
  /** PATH with the fake go first and no real Go toolchain. */
  path: string;
  /** One line per invocation: `GOPROXY=… GOTOOLCHAIN=… cwd=… :: args`. */
  calls(): string[];
  /** One line per `python3` or virtualenv `python` invocation: `python3 :: args` / `<venv> :: args`. */
  pythonCalls(): string[];
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
    case "$mod" in
      github.com/pulumi/pulumi/sdk/v3@*)
        sdk=${JSON.stringify(dir)}/mod/sdk
        mkdir -p "$sdk/python/cmd"
        printf '#!/usr/bin/env python\n# exec script of %s\n' "$mod" > "$sdk/python/cmd/pulumi-language-python-exec"
        printf '{\n\t"Path": "%s",\n\t"Dir": "%s",\n\t"Zip": "%s.zip"\n}\n' "\${mod%@*}" "$sdk" "$sdk"
        exit 0 ;;
    esac
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
  const pythonLog = path.join(dir, "python-calls.log");
  const python = `#!/bin/sh
echo "python3 :: $*" >> ${JSON.stringify(pythonLog)}
[ "$1 $2" = "-m venv" ] || { echo "fake python3: unexpected $*" >&2; exit 2; }
mkdir -p "$3/bin"
printf '#!/bin/sh\necho "%s :: $*" >> ${JSON.stringify(pythonLog)}\n' "$3" > "$3/bin/python"
chmod +x "$3/bin/python"
`;
  fs.writeFileSync(path.join(dir, "python3"), python, { mode: 0o755 });
  const lines = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim().split("\n") : []);
  return {
    dir,
    path: [dir, "/usr/bin", "/bin"].join(path.delimiter),
    calls: () => lines(log),
    pythonCalls: () => lines(pythonLog),
  };
}
