//go:build tools

// Package languageyaml pins the YAML language host that scripts/toolchain.sh builds
// (github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml): it runs Pulumi YAML programs, the
// GitOps way to use ReadReplicaSet through its component package.
package languageyaml

import (
	_ "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml"
)
