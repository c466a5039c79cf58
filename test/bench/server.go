package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/makemcp/makemcp/internal/testenv"
	"github.com/makemcp/makemcp/makeapi/makefake"
	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// protocolVersion is the MCP version the client asks both servers for:
// the newest both speak. (Newer versions let the Go client answer
// tools/list from its own cache, which would hide the server.)
const protocolVersion = "2025-11-25"

// terminateAfter is how long closing a session waits for the server to
// exit after its stdin closed before signalling it.
const terminateAfter = 2 * time.Second

var quietLog = log.New(io.Discard, "", 0)

// server is one of the two MCP servers under test, as an MCP host would
// start it.
type server struct {
	name string
	// scenarioTools says the server lists the bench team's scenarios.
	scenarioTools bool
	// command returns the command that starts the server against a fake.
	command func(ctx context.Context, f *fakeMake) *exec.Cmd
}

// withScenarioTools are the serve flags that expose the bench team's
// scenarios as tools. --org names the organization whose API limit paces
// the interface fetches; without it makemcp assumes Make's smallest plan.
var withScenarioTools = []string{"--scenario-tools", "--team", strconv.Itoa(benchTeam), "--org", strconv.Itoa(benchOrg)}

// makemcpServer is `makemcp serve` with a Make API token and the given
// flags, keeping its scenario tools cache in the bench's own folder.
func (b *bench) makemcpServer(flags ...string) server {
	return b.makemcpServerCached(filepath.Join(b.tmp, "cache"), flags...)
}

// makemcpServerCached is makemcpServer with its cache folder (the user's
// cache folder, XDG_CACHE_HOME) in cacheDir.
func (b *bench) makemcpServerCached(cacheDir string, flags ...string) server {
	scenarioTools := slices.Contains(flags, "--scenario-tools")
	return server{name: "makemcp", scenarioTools: scenarioTools, command: func(ctx context.Context, f *fakeMake) *exec.Cmd {
		args := append([]string{"serve", "--zone", "https://" + f.zoneHost}, flags...)
		cmd := exec.CommandContext(ctx, b.makemcp, args...)
		cmd.Env = append(baseEnv(),
			"MAKE_API_TOKEN="+makefake.DemoToken,
			"MAKEMCP_CONFIG_DIR="+b.tmp,
			"XDG_CACHE_HOME="+cacheDir,
			// Go reads a custom CA from SSL_CERT_FILE on Linux.
			"SSL_CERT_FILE="+f.caFile,
		)
		return cmd
	}}
}

// officialServer is @makehq/mcp-server, Make's own local server, run by
// node directly (as `npx` would, without npx's own start-up).
func (b *bench) officialServer() server {
	return server{name: "official", scenarioTools: true, command: func(ctx context.Context, f *fakeMake) *exec.Cmd {
		cmd := exec.CommandContext(ctx, b.node, b.official)
		cmd.Env = append(baseEnv(),
			"MAKE_API_KEY="+makefake.DemoToken,
			"MAKE_ZONE="+f.zoneHost, // it always speaks https
			"MAKE_TEAM="+strconv.Itoa(benchTeam),
			"NODE_EXTRA_CA_CERTS="+f.caFile,
		)
		return cmd
	}}
}

// session is one running server and the client's session with it.
type session struct {
	*mcp.ClientSession
	cmd    *exec.Cmd
	stderr *testenv.LockedBuffer
	lines  *lineClock
	// last is the raw result of the last response the client read, and
	// lastAt when its last byte arrived on the pipe.
	last   atomic.Pointer[json.RawMessage]
	lastAt atomic.Int64
}

// open starts the server and initializes an MCP session with it. The
// client is the same for both servers: go-sdk's, over stdio.
func open(ctx context.Context, s server, f *fakeMake) (*session, error) {
	cmd := s.command(ctx, f)
	sess := &session{cmd: cmd, stderr: &testenv.LockedBuffer{Max: 64 << 10}, lines: &lineClock{}}
	cmd.Stderr = sess.stderr
	cmd.WaitDelay = time.Second
	client := mcp.NewClient(&mcp.Implementation{Name: "makemcp-bench", Version: "1.0.0"}, nil)
	t := &recordingTransport{Transport: &commandTransport{cmd: cmd, terminateAfter: terminateAfter, lines: sess.lines}, s: sess}
	cs, err := client.Connect(ctx, t, &mcp.ClientSessionOptions{ProtocolVersion: protocolVersion})
	if err != nil {
		if cmd.Process != nil {
			_ = cmd.Process.Kill()
		}
		return nil, fmt.Errorf("%s: connect: %v\n%s", s.name, err, sess.stderr.String())
	}
	sess.ClientSession = cs
	return sess, nil
}

// pid is the server process's id.
func (s *session) pid() int { return s.cmd.Process.Pid }

// close ends the session as a host does: stdin closes, the server exits
// (or is signalled after terminateAfter).
func (s *session) close() { _ = s.ClientSession.Close() }

// failed adds the server's standard error to an error.
func (s *session) failed(what string, err error) error {
	return fmt.Errorf("%s: %v\nserver stderr:\n%s", what, err, s.stderr.String())
}

// lastResult returns the raw JSON of the last result the client read.
func (s *session) lastResult() json.RawMessage {
	if p := s.last.Load(); p != nil {
		return *p
	}
	return nil
}

// lastRead is when the last response was all on the pipe, before the
// client decoded it.
func (s *session) lastRead() time.Time { return time.Unix(0, s.lastAt.Load()) }

// recordingTransport notes the raw result of each response, as the server
// wrote it, and when it arrived: what a tools/list costs a model's
// context, and how much of a call's time the client spent decoding.
type recordingTransport struct {
	mcp.Transport
	s *session
}

func (t *recordingTransport) Connect(ctx context.Context) (mcp.Connection, error) {
	c, err := t.Transport.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &recordingConn{Connection: c, s: t.s}, nil
}

type recordingConn struct {
	mcp.Connection
	s *session
}

func (c *recordingConn) Read(ctx context.Context) (jsonrpc.Message, error) {
	m, err := c.Connection.Read(ctx)
	if err != nil {
		return m, err
	}
	arrived := c.s.lines.next()
	if r, ok := m.(*jsonrpc.Response); ok && r.Result != nil {
		c.s.lastAt.Store(arrived.UnixNano())
		res := r.Result
		c.s.last.Store(&res)
	}
	return m, err
}
