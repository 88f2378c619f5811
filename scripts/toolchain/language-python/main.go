// pulumi-language-python as this toolchain builds it. The Go module proxy serves the Python
// language host only inside github.com/pulumi/pulumi/sdk/v3 up to v3.79.0; that host runs
// programs with the same protocol the newer CLI speaks, but predates SDK generation
// (`pulumi package add`, `pulumi package gen-sdk`). This front starts that host next to it,
// answers GeneratePackage and Link itself with the CLI's own Python code generator, and
// forwards every other call to the host byte for byte.
package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
)

// The host this front forwards to, relative to this executable (scripts/toolchain.sh puts it there).
const hostRelativePath = "../libexec/python/pulumi-language-python"

func main() {
	if err := run(); err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-python: %v\n", err)
		os.Exit(1)
	}
}

func run() error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	hostPath := filepath.Join(filepath.Dir(self), hostRelativePath)
	args := os.Args[1:]
	if venv := virtualenv(filepath.Dir(self)); venv != "" {
		args = append([]string{"-virtualenv=" + venv}, args...)
	}
	host := exec.Command(hostPath, args...)
	host.Stderr = os.Stderr
	stopWithParent(host)
	hostOut, err := host.StdoutPipe()
	if err != nil {
		return err
	}
	if err := host.Start(); err != nil {
		return fmt.Errorf("starting %s: %w", hostPath, err)
	}
	defer func() { _ = host.Process.Kill() }()
	// A language host prints the port it serves on as its first line.
	reader := bufio.NewReader(hostOut)
	port, err := reader.ReadString('\n')
	if err != nil {
		return fmt.Errorf("%s printed no port: %w", hostPath, err)
	}
	go func() { _, _ = io.Copy(os.Stdout, reader) }()

	conn, err := grpc.NewClient("127.0.0.1:"+strings.TrimSpace(port),
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.ForceCodec(rawCodec{}), grpc.MaxCallRecvMsgSize(1<<30), grpc.MaxCallSendMsgSize(1<<30)))
	if err != nil {
		return err
	}
	defer conn.Close()

	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	server := grpc.NewServer(
		grpc.ForceServerCodec(rawCodec{}),
		grpc.MaxRecvMsgSize(1<<30), grpc.MaxSendMsgSize(1<<30),
		grpc.UnknownServiceHandler(func(_ any, stream grpc.ServerStream) error { return handle(conn, stream) }),
	)
	fmt.Printf("%d\n", listener.Addr().(*net.TCPAddr).Port)
	go func() {
		_ = host.Wait()
		server.Stop()
	}()
	return server.Serve(listener)
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

func handle(conn *grpc.ClientConn, stream grpc.ServerStream) error {
	method, _ := grpc.MethodFromServerStream(stream)
	if local, ok := localMethods[method]; ok {
		return local(stream)
	}
	return forward(conn, method, stream)
}

// forward relays one call of any shape (unary or streaming) to the host and its answer back.
func forward(conn *grpc.ClientConn, method string, stream grpc.ServerStream) error {
	ctx, cancel := context.WithCancel(stream.Context())
	defer cancel()
	if md, ok := metadata.FromIncomingContext(ctx); ok {
		ctx = metadata.NewOutgoingContext(ctx, md.Copy())
	}
	upstream, err := conn.NewStream(ctx, &grpc.StreamDesc{ServerStreams: true, ClientStreams: true}, method)
	if err != nil {
		return err
	}
	go func() {
		for {
			msg := &frame{}
			if err := stream.RecvMsg(msg); err != nil {
				if err == io.EOF {
					_ = upstream.CloseSend()
				} else {
					cancel()
				}
				return
			}
			if err := upstream.SendMsg(msg); err != nil {
				return
			}
		}
	}()
	if header, err := upstream.Header(); err == nil && len(header) > 0 {
		_ = stream.SendHeader(header)
	}
	for {
		msg := &frame{}
		if err := upstream.RecvMsg(msg); err != nil {
			stream.SetTrailer(upstream.Trailer())
			if err == io.EOF {
				return nil
			}
			return err
		}
		if err := stream.SendMsg(msg); err != nil {
			return err
		}
	}
}

// frame is a message kept as its wire bytes: the front does not need to know every message type.
type frame struct{ payload []byte }

type rawCodec struct{}

func (rawCodec) Name() string { return "proto" }

func (rawCodec) Marshal(v any) ([]byte, error) {
	msg, ok := v.(*frame)
	if !ok {
		return nil, fmt.Errorf("cannot send %T", v)
	}
	return msg.payload, nil
}

func (rawCodec) Unmarshal(data []byte, v any) error {
	msg, ok := v.(*frame)
	if !ok {
		return fmt.Errorf("cannot receive into %T", v)
	}
	msg.payload = append([]byte(nil), data...)
	return nil
}
