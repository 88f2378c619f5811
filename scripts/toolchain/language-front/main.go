// pulumi-language-python and pulumi-language-go as this toolchain builds them. The Go module
// proxy serves these language hosts only inside github.com/pulumi/pulumi/sdk/v3 (Python up to
// v3.79.0, Go up to v3.66.0); those hosts run programs with the protocol the newer CLI speaks, but
// predate SDK generation (`pulumi package add`, `pulumi package gen-sdk`). This front, installed
// under the host's name, starts the host, answers GeneratePackage and Link itself with the CLI's
// own code generator for the language, and forwards every other call to the host byte for byte.
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

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
)

// A language this front serves: what it adds to the host's flags, and the calls it answers itself.
type language struct {
	hostFlags    func(binDir string) []string
	localMethods map[string]func(grpc.ServerStream) error
}

var languages = map[string]language{
	"python": {hostFlags: pythonHostFlags, localMethods: pythonMethods},
	"go":     {hostFlags: func(string) []string { return nil }, localMethods: goMethods},
}

func main() {
	name := filepath.Base(os.Args[0])
	if err := run(); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		os.Exit(1)
	}
}

func run() error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	name := filepath.Base(self)
	lang, ok := languages[strings.TrimPrefix(name, "pulumi-language-")]
	if !ok {
		return fmt.Errorf("installed as %s: expected pulumi-language-python or pulumi-language-go", name)
	}
	// The host, under its own name, in ../libexec/<language>/ (scripts/toolchain.sh puts it there).
	hostPath := filepath.Join(filepath.Dir(self), "..", "libexec", strings.TrimPrefix(name, "pulumi-language-"), name)
	args := append(lang.hostFlags(filepath.Dir(self)), os.Args[1:]...)
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
		grpc.UnknownServiceHandler(func(_ any, stream grpc.ServerStream) error { return handle(conn, lang, stream) }),
	)
	fmt.Printf("%d\n", listener.Addr().(*net.TCPAddr).Port)
	go func() {
		_ = host.Wait()
		server.Stop()
	}()
	return server.Serve(listener)
}

func handle(conn *grpc.ClientConn, lang language, stream grpc.ServerStream) error {
	method, _ := grpc.MethodFromServerStream(stream)
	if local, ok := lang.localMethods[method]; ok {
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
