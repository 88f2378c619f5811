package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

var pythonMethods = sdkMethods(
	func(pkg *schema.Package, req *pulumirpc.GeneratePackageRequest, loader schema.ReferenceLoader) (map[string][]byte, error) {
		return python.GeneratePackage("pulumi-language-python", pkg, req.ExtraFiles, loader)
	},
	pythonLink,
)

func pythonHostFlags(binDir string) []string {
	if venv := virtualenv(binDir); venv != "" {
		return []string{"-virtualenv=" + venv}
	}
	return nil
}

// virtualenv is the one the program runs in. The CLI no longer passes Pulumi.yaml's runtime
// options as flags (it sends them with each request), and the host reads only flags: the project
// file of the directory the CLI starts the host in is read here. Without a `virtualenv` option,
// an activated virtualenv is used, else the toolchain's (next to this executable's directory).
func virtualenv(binDir string) string {
	if cwd, err := os.Getwd(); err == nil {
		if projectFile, err := workspace.DetectProjectPathFrom(cwd); err == nil && projectFile != "" {
			if project, err := workspace.LoadProject(projectFile); err == nil {
				if venv, ok := project.Runtime.Options()["virtualenv"].(string); ok && venv != "" {
					if !filepath.IsAbs(venv) {
						venv = filepath.Join(filepath.Dir(projectFile), venv)
					}
					return venv
				}
			}
		}
	}
	if venv := os.Getenv("VIRTUAL_ENV"); venv != "" {
		return venv
	}
	toolchainVenv := filepath.Join(binDir, "..", "python")
	if _, err := os.Stat(filepath.Join(toolchainVenv, "bin", "python")); err == nil {
		return filepath.Clean(toolchainVenv)
	}
	return ""
}

// pythonLink adds each generated SDK directory to the program's requirements.txt (the host's
// InstallDependencies then installs it into the program's virtualenv).
func pythonLink(_ context.Context, req *pulumirpc.LinkRequest) (*pulumirpc.LinkResponse, error) {
	requirements := filepath.Join(programDirectory(req), "requirements.txt")
	existing, err := os.ReadFile(requirements)
	if err != nil && !os.IsNotExist(err) {
		return nil, err
	}
	var lines []string
	if len(existing) > 0 {
		lines = strings.Split(strings.TrimRight(string(existing), "\n"), "\n")
	}
	var imports []string
	for _, dep := range req.Packages {
		entry := "./" + filepath.ToSlash(filepath.Clean(dep.Path))
		if !contains(lines, entry) {
			lines = append(lines, entry)
		}
		module := strings.ReplaceAll(packageName(dep), "-", "_")
		imports = append(imports, fmt.Sprintf("  import pulumi_%s as %s", module, module))
	}
	sort.Strings(imports)
	if err := os.WriteFile(requirements, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		return nil, err
	}
	return &pulumirpc.LinkResponse{
		ImportInstructions: "Added to requirements.txt. Import the SDK in your Python program with:\n\n" + strings.Join(imports, "\n") + "\n",
	}, nil
}

func contains(lines []string, entry string) bool {
	for _, line := range lines {
		if strings.TrimSpace(line) == entry {
			return true
		}
	}
	return false
}
