//go:build tools

// Package toolchain pins the Go packages that scripts/toolchain.sh builds. The Pulumi CLI's own
// go.mod has replace directives, so `go install pkg@version` refuses it; requiring it from this
// small module builds it unchanged.
package toolchain

import (
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
)
