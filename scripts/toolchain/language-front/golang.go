package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"golang.org/x/mod/modfile"
)

var goMethods = sdkMethods(
	func(pkg *schema.Package, req *pulumirpc.GeneratePackageRequest, _ schema.ReferenceLoader) (map[string][]byte, error) {
		return gogen.GeneratePackage("pulumi-language-go", pkg, req.LocalDependencies)
	},
	goLink,
)

// goLink makes the program's go.mod use each generated SDK from its directory (a replace and a
// require); the host's InstallDependencies (`go mod tidy`) then completes go.sum.
func goLink(ctx context.Context, req *pulumirpc.LinkRequest) (*pulumirpc.LinkResponse, error) {
	dir := programDirectory(req)
	var imports []string
	for _, dep := range req.Packages {
		sdkDir := filepath.Join(req.GetInfo().GetRootDirectory(), dep.Path)
		data, err := os.ReadFile(filepath.Join(sdkDir, "go.mod"))
		if err != nil {
			return nil, fmt.Errorf("the generated Go SDK has no go.mod: %w", err)
		}
		module := modfile.ModulePath(data)
		relative, err := filepath.Rel(dir, sdkDir)
		if err != nil {
			return nil, err
		}
		edit := exec.CommandContext(ctx, "go", "mod", "edit",
			"-replace="+module+"=./"+filepath.ToSlash(relative),
			"-require="+module+"@v0.0.0-00010101000000-000000000000")
		edit.Dir = dir
		if out, err := edit.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("go mod edit in %s: %w: %s", dir, err, out)
		}
		imports = append(imports, fmt.Sprintf("  import %q", module+"/"+goPackageDir(sdkDir, packageName(dep))))
	}
	sort.Strings(imports)
	return &pulumirpc.LinkResponse{
		ImportInstructions: "Added to go.mod. Import the SDK in your Go program with:\n\n" + strings.Join(imports, "\n") + "\n",
	}, nil
}

// goPackageDir is the generated SDK's package directory: the one directory next to its go.mod
// (the package name without dashes when there are several).
func goPackageDir(sdkDir, name string) string {
	entries, err := os.ReadDir(sdkDir)
	if err == nil {
		var dirs []string
		for _, entry := range entries {
			if entry.IsDir() && !strings.HasPrefix(entry.Name(), ".") {
				dirs = append(dirs, entry.Name())
			}
		}
		if len(dirs) == 1 {
			return dirs[0]
		}
	}
	return strings.ReplaceAll(name, "-", "")
}
