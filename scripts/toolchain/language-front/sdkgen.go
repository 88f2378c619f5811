package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"

	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

const (
	generatePackageMethod = "/pulumirpc.LanguageRuntime/GeneratePackage"
	linkMethod            = "/pulumirpc.LanguageRuntime/Link"
)

// codeGenerator writes a language's SDK files for a bound package schema.
type codeGenerator func(pkg *schema.Package, req *pulumirpc.GeneratePackageRequest, loader schema.ReferenceLoader) (map[string][]byte, error)

// sdkMethods are the calls a front answers for a language: SDK generation with `generate`, and
// linking a generated SDK into a program with `link`.
func sdkMethods(generate codeGenerator, link func(context.Context, *pulumirpc.LinkRequest) (*pulumirpc.LinkResponse, error)) map[string]func(grpc.ServerStream) error {
	return map[string]func(grpc.ServerStream) error{
		generatePackageMethod: func(s grpc.ServerStream) error {
			return unary(s, &pulumirpc.GeneratePackageRequest{}, func(_ context.Context, req *pulumirpc.GeneratePackageRequest) (*pulumirpc.GeneratePackageResponse, error) {
				return generatePackage(req, generate)
			})
		},
		linkMethod: func(s grpc.ServerStream) error { return unary(s, &pulumirpc.LinkRequest{}, link) },
	}
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

// generatePackage binds the request's schema and writes the generated SDK into req.Directory.
func generatePackage(req *pulumirpc.GeneratePackageRequest, generate codeGenerator) (*pulumirpc.GeneratePackageResponse, error) {
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
	files, err := generate(pkg, req, loader)
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

// programDirectory is where a Link request's program lives.
func programDirectory(req *pulumirpc.LinkRequest) string {
	if dir := req.GetInfo().GetProgramDirectory(); dir != "" {
		return dir
	}
	return req.GetInfo().GetRootDirectory()
}

// packageName is the name a linked SDK is generated under.
func packageName(dep *pulumirpc.LinkRequest_LinkDependency) string {
	if p := dep.GetPackage().GetParameterization(); p != nil {
		return p.GetName()
	}
	return dep.GetPackage().GetName()
}
