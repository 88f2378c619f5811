//go:build tools

// Package languagenodejs pins the Node.js language host that scripts/toolchain.sh builds. The
// host became a module of its own after v3.68.0 and the Go module proxy does not serve that
// module, so this builds v3.68.0, the newest release that still shipped it inside
// github.com/pulumi/pulumi/sdk/v3. It speaks the same language-host protocol the newer CLI uses.
package languagenodejs

import (
	_ "github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs"
)
