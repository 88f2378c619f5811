//go:build tools

// Package languagegohost pins the Go language host that scripts/toolchain.sh builds and installs
// behind the pulumi-language-go front (../language-front). The host became a module of its own
// after v3.66.0 and the Go module proxy does not serve that module; v3.66.0 is the newest release
// that still shipped it inside github.com/pulumi/pulumi/sdk/v3.
package languagegohost

import (
	_ "github.com/pulumi/pulumi/sdk/v3/go/pulumi-language-go"
)
