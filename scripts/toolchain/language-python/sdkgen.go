package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

var localMethods = map[string]func(grpc.ServerStream) error{
	"/pulumirpc.LanguageRuntime/GeneratePackage": func(s grpc.ServerStream) error {
		return unary(s, &pulumirpc.GeneratePackageRequest{}, generatePackage)
	},
	"/pulumirpc.LanguageRuntime/Link": func(s grpc.ServerStream) error {
		return unary(s, &pulumirpc.LinkRequest{}, link)
	},
}

func unary[Req proto.Message, Resp proto.Message](stream grpc.ServerStream, req Req, answer func(context.Context, Req) (Resp, error)) error {
	msg := &frame{}
	if err := stream.RecvMsg(msg); err != nil {
		return err
	}
	if err := proto.Unmarshal(msg.payload, req); err != nil {
		return status.Error(codes.InvalidArgument, err.Error())
	}
	resp, err := answer(stream.Context(), req)
	if err != nil {
		return err
	}
	payload, err := proto.Marshal(resp)
	if err != nil {
		return err
	}
	return stream.SendMsg(&frame{payload: payload})
}

// generatePackage writes the Python SDK of a package schema into req.Directory.
func generatePackage(_ context.Context, req *pulumirpc.GeneratePackageRequest) (*pulumirpc.GeneratePackageResponse, error) {
	loader, err := schema.NewLoaderClient(req.LoaderTarget)
	if err != nil {
		return nil, err
	}
	defer loader.Close()
	var spec schema.PackageSpec
	if err := json.Unmarshal([]byte(req.Schema), &spec); err != nil {
		return nil, status.Errorf(codes.InvalidArgument, "the schema is not valid JSON: %v", err)
	}
	pkg, diags, err := schema.BindSpec(spec, loader, schema.ValidationOptions{AllowDanglingReferences: true})
	if err != nil {
		return nil, err
	}
	rpcDiags := plugin.HclDiagnosticsToRPCDiagnostics(diags)
	if diags.HasErrors() {
		return &pulumirpc.GeneratePackageResponse{Diagnostics: rpcDiags}, nil
	}
	files, err := python.GeneratePackage("pulumi-language-python", pkg, req.ExtraFiles, loader)
	if err != nil {
		return nil, err
	}
	for name, content := range files {
		target := filepath.Join(req.Directory, name)
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(target, content, 0o600); err != nil {
			return nil, err
		}
	}
	return &pulumirpc.GeneratePackageResponse{Diagnostics: rpcDiags}, nil
}

// link adds each generated SDK directory to the program's requirements.txt (the host's
// InstallDependencies then installs it into the program's virtualenv).
func link(_ context.Context, req *pulumirpc.LinkRequest) (*pulumirpc.LinkResponse, error) {
	dir := req.GetInfo().GetProgramDirectory()
	if dir == "" {
		dir = req.GetInfo().GetRootDirectory()
	}
	requirements := filepath.Join(dir, "requirements.txt")
	existing, err := os.ReadFile(requirements)
	if err != nil && !os.IsNotExist(err) {
		return nil, err
	}
	lines := strings.Split(strings.TrimRight(string(existing), "\n"), "\n")
	if len(existing) == 0 {
		lines = nil
	}
	var imports []string
	for _, dep := range req.Packages {
		entry := "./" + filepath.ToSlash(filepath.Clean(dep.Path))
		if !contains(lines, entry) {
			lines = append(lines, entry)
		}
		name := dep.GetPackage().GetName()
		if dep.GetPackage().GetParameterization() != nil {
			name = dep.GetPackage().GetParameterization().GetName()
		}
		module := strings.ReplaceAll(name, "-", "_")
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
