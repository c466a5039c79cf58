package reliability

import (
	"context"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/makemcp/makemcp/internal/testenv"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// served is one `makemcp serve` process driven by the go-sdk's MCP
// client over its stdin and stdout, keeping every byte it wrote. It logs
// at debug level to a file that the leak check searches.
type served struct {
	m       *machine
	cmd     *exec.Cmd
	cs      *mcp.ClientSession
	stdout  *testenv.LockedBuffer
	stderr  *testenv.LockedBuffer
	logFile string
	exited  chan struct{}
	closed  bool
}

// serve starts `makemcp serve` with the machine's environment and extra,
// and connects an MCP client to it. It is closed when the test ends.
func (m *machine) serve(extra []string, args ...string) *served {
	m.T.Helper()
	logFile, err := os.CreateTemp(m.logs, "serve-*.log")
	if err != nil {
		m.T.Fatal(err)
	}
	logFile.Close()
	cmd := exec.Command(m.Bin, append([]string{"serve"}, args...)...)
	cmd.Env = append(slices.Clone(m.Env), append([]string{"MAKEMCP_LOG_FILE=" + logFile.Name()}, extra...)...)
	s := &served{m: m, cmd: cmd, stdout: &testenv.LockedBuffer{}, stderr: &testenv.LockedBuffer{}, logFile: logFile.Name(), exited: make(chan struct{})}
	cmd.Stderr = s.stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		m.T.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		m.T.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		m.T.Fatal(err)
	}
	go func() {
		_ = cmd.Wait()
		close(s.exited)
	}()
	m.T.Cleanup(s.close)
	// The transport reads stdout through a tee, so that the test sees
	// every byte serve wrote, not only what the client made of it.
	transport := &mcp.IOTransport{Reader: io.NopCloser(io.TeeReader(stdout, s.stdout)), Writer: stdin}
	ctx, cancel := context.WithTimeout(context.Background(), testenv.RunGuard)
	defer cancel()
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "reliability", Version: "1"}, nil).Connect(ctx, transport, nil)
	if err != nil {
		m.T.Fatalf("connect to makemcp serve: %v\nlog: %s", err, s.log())
	}
	s.cs = cs
	return s
}

// call calls a tool and returns its result and how long it took. A call
// still unanswered after guard, or a protocol error, ends the test.
func (s *served) call(name string, args any, guard time.Duration) (*mcp.CallToolResult, time.Duration) {
	s.m.T.Helper()
	if args == nil {
		args = map[string]any{}
	}
	ctx, cancel := context.WithTimeout(context.Background(), guard)
	defer cancel()
	start := time.Now()
	res, err := s.cs.CallTool(ctx, &mcp.CallToolParams{Name: name, Arguments: args})
	took := time.Since(start)
	if ctx.Err() != nil {
		s.m.T.Fatalf("%s did not answer within %s\nserve log: %s", name, guard, s.log())
	}
	if err != nil {
		s.m.T.Fatalf("%s: protocol error %v, want a tool result\nserve log: %s", name, err, s.log())
	}
	return res, took
}

// ok calls a tool that must succeed.
func (s *served) ok(name string, args any) {
	s.m.T.Helper()
	res, _ := s.call(name, args, testenv.RunGuard)
	if res.IsError {
		s.m.T.Fatalf("%s: tool error %q, want success\nserve log: %s", name, testenv.ToolText(res), s.log())
	}
}

// fails calls a tool that must end in a clear tool error within bound:
// one line that contains each of want (case-insensitive). It returns the
// message.
func (s *served) fails(name string, args any, bound time.Duration, want ...string) string {
	s.m.T.Helper()
	res, took := s.call(name, args, bound+testenv.RunGuard)
	msg := testenv.ToolText(res)
	if !res.IsError {
		s.m.T.Fatalf("%s succeeded with %.200s, want a tool error", name, msg)
	}
	if took > bound {
		s.m.T.Errorf("%s failed after %s, want within %s: %s", name, took.Round(time.Millisecond), bound, msg)
	}
	if strings.TrimSpace(msg) == "" || strings.ContainsFunc(msg, unicode.IsControl) {
		s.m.T.Errorf("%s: tool error %q is not one printable line", name, msg)
	}
	for _, w := range want {
		if !strings.Contains(strings.ToLower(msg), strings.ToLower(w)) {
			s.m.T.Errorf("%s: tool error %q does not say %q", name, msg, w)
		}
	}
	s.m.T.Logf("%s failed after %s: %s", name, took.Round(time.Millisecond), msg)
	return msg
}

// alive checks that serve still runs and answers a ping.
func (s *served) alive() {
	s.m.T.Helper()
	select {
	case <-s.exited:
		s.m.T.Fatalf("serve exited: %v\nstderr: %s\nlog: %s", s.cmd.ProcessState, s.stderr, s.log())
	default:
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.cs.Ping(ctx, nil); err != nil {
		s.m.T.Fatalf("serve does not answer a ping: %v", err)
	}
}

// close ends the session as an MCP host does (closing serve's stdin),
// and checks that serve exited with status 0 and that every line it
// wrote to stdout was a JSON-RPC message. Its outputs go to the leak
// check.
func (s *served) close() {
	t := s.m.T
	if s.closed {
		return
	}
	s.closed = true
	if s.cs != nil {
		_ = s.cs.Close()
	}
	select {
	case <-s.exited:
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exited
		t.Errorf("serve did not exit within 10 s of its stdin closing")
	}
	if code := s.cmd.ProcessState.ExitCode(); code != 0 && !t.Failed() {
		t.Errorf("serve exited with status %d after its stdin closed\nstderr: %s\nlog: %s", code, s.stderr, s.log())
	}
	if !strings.Contains(s.log(), "level=") {
		t.Errorf("serve wrote nothing to its log file %s", s.logFile)
	}
	s.m.Leaks.Output("makemcp serve (stdout)", s.stdout.String())
	s.m.Leaks.Output("makemcp serve (stderr)", s.stderr.String())
	checkStdout(t, s.stdout.String())
}

// log is what serve has written to its log file.
func (s *served) log() string {
	data, _ := os.ReadFile(s.logFile)
	return string(data)
}

// checkStdout checks that each line of serve's stdout is one JSON-RPC
// 2.0 message.
func checkStdout(t testing.TB, stdout string) {
	t.Helper()
	if stdout == "" {
		return
	}
	for i, line := range strings.Split(strings.TrimSuffix(stdout, "\n"), "\n") {
		if err := testenv.CheckJSONRPC(line); err != nil {
			t.Errorf("stdout line %d of makemcp serve is not a JSON-RPC 2.0 message: %v\n%.300s", i+1, err, line)
		}
	}
}

// mcpCall is a tools/call of a tool with no arguments.
func mcpCall(name string) *mcp.CallToolParams {
	return &mcp.CallToolParams{Name: name, Arguments: map[string]any{}}
}
