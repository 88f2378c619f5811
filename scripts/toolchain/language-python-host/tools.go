//go:build tools

// Package languagepythonhost pins the Python language host that scripts/toolchain.sh builds and
// installs behind the pulumi-language-python front (../language-python). The host became a module
// of its own after v3.79.0 and the Go module proxy does not serve that module; v3.79.0 is the
// newest release that still shipped it inside github.com/pulumi/pulumi/sdk/v3.
package languagepythonhost

import (
	_ "github.com/pulumi/pulumi/sdk/v3/python/cmd/pulumi-language-python"
)
