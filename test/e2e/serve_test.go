package e2e

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/makemcp/makemcp/internal/testenv"
	"github.com/makemcp/makemcp/makeapi/makefake"
)

// How `makemcp serve` ends: an MCP host stops its server by closing its
// stdin or by a signal, often while a tool call is in flight. The server
// must exit with status 0 and not wait for the call.

// stdioServer is `makemcp serve` spoken to in raw JSON-RPC lines.
type stdioServer struct {
	t     testing.TB
	cmd   *exec.Cmd
	stdin io.WriteCloser
	lines *lockedLines // every stdout line
	got   chan map[string]json.RawMessage
	// responses are the responses received, by id.
	responses map[string]map[string]json.RawMessage
	stderr    *lockedLines
	exited    chan struct{}
}

// exitGuard bounds how long a server may take to exit; it only catches a
// hang.
const exitGuard = 10 * time.Second

// startServe starts `makemcp serve` with extra environment and flags.
func (m *machine) startServe(env []string, args ...string) *stdioServer {
	m.T.Helper()
	cmd := exec.Command(m.Bin, append([]string{"serve"}, args...)...)
	cmd.Env = append(slices.Clone(m.Env), env...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		m.T.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		m.T.Fatal(err)
	}
	s := &stdioServer{t: m.T, cmd: cmd, stdin: stdin, lines: &lockedLines{},
		got: make(chan map[string]json.RawMessage, 1000), responses: map[string]map[string]json.RawMessage{}, stderr: &lockedLines{}, exited: make(chan struct{})}
	errPipe, err := cmd.StderrPipe()
	if err != nil {
		m.T.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		m.T.Fatal(err)
	}
	readDone := make(chan struct{}, 2)
	go func() {
		sc := bufio.NewScanner(stdout)
		sc.Buffer(nil, 16<<20)
		for sc.Scan() {
			s.lines.add(sc.Text())
			var msg map[string]json.RawMessage
			if json.Unmarshal(sc.Bytes(), &msg) == nil {
				s.got <- msg
			}
		}
		readDone <- struct{}{}
	}()
	go func() {
		sc := bufio.NewScanner(errPipe)
		for sc.Scan() {
			s.stderr.add(sc.Text())
		}
		readDone <- struct{}{}
	}()
	go func() {
		<-readDone
		<-readDone
		_ = cmd.Wait()
		close(s.exited)
	}()
	m.T.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-s.exited
		m.Leaks.Output("makemcp serve "+strings.Join(args, " ")+" (stdout)", strings.Join(s.lines.all(), "\n"))
		m.Leaks.Output("makemcp serve "+strings.Join(args, " ")+" (stderr)", s.stderrText())
	})
	return s
}

func (s *stdioServer) stderrText() string { return strings.Join(s.stderr.all(), "\n") }

func (s *stdioServer) send(msg string) {
	s.t.Helper()
	if _, err := io.WriteString(s.stdin, msg+"\n"); err != nil {
		s.t.Fatalf("write to serve: %v", err)
	}
}

// await waits for the response to request id. Responses come in any
// order: the ones for other requests are kept for their turn.
func (s *stdioServer) await(id int) map[string]json.RawMessage {
	s.t.Helper()
	key := fmt.Sprint(id)
	timeout := time.After(30 * time.Second)
	for {
		if msg, ok := s.responses[key]; ok {
			return msg
		}
		select {
		case msg := <-s.got:
			if _, isRequest := msg["method"]; !isRequest {
				s.responses[string(msg["id"])] = msg
			}
		case <-s.exited:
			s.t.Fatalf("serve exited before answering request %d; stderr:\n%s", id, s.stderrText())
		case <-timeout:
			s.t.Fatalf("serve did not answer request %d within 30 s", id)
		}
	}
}

// initialize does the MCP handshake.
func (s *stdioServer) initialize() {
	s.t.Helper()
	s.send(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"e2e","version":"1"}}}`)
	if r := s.await(1); r["result"] == nil {
		s.t.Fatalf("initialize failed: %s", r["error"])
	}
	s.send(`{"jsonrpc":"2.0","method":"notifications/initialized"}`)
}

// callInFlight starts the demo's long run (Make holds it 40 s, and it
// takes 75 s), then makes sure the server has read the call: it answers a
// ping sent after it.
func (s *stdioServer) callInFlight() {
	s.t.Helper()
	s.send(`{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"scenarios_run","arguments":{"scenarioId":5006,"data":{"quarter":"Q2","year":2025}},"_meta":{"progressToken":"p1"}}}`)
	s.send(`{"jsonrpc":"2.0","id":3,"method":"ping"}`)
	s.await(3)
}

// waitExit waits for the server to exit and returns its status.
func (s *stdioServer) waitExit() *os.ProcessState {
	s.t.Helper()
	select {
	case <-s.exited:
		return s.cmd.ProcessState
	case <-time.After(exitGuard):
		s.t.Fatalf("serve did not exit within %s (hang guard); stderr:\n%s", exitGuard, s.stderrText())
	}
	return nil
}

func TestServeExits(t *testing.T) {
	t.Parallel()
	ends := []struct {
		name string
		end  func(*stdioServer)
	}{
		{"SIGTERM", func(s *stdioServer) { _ = s.cmd.Process.Signal(syscall.SIGTERM) }},
		{"SIGINT", func(s *stdioServer) { _ = s.cmd.Process.Signal(syscall.SIGINT) }},
		{"stdin closed", func(s *stdioServer) { _ = s.stdin.Close() }},
	}
	for _, e := range ends {
		// --demo serves the sandbox from inside the process; with an API
		// token, serve calls the test's fake Make, which shows that the
		// in-flight call was cancelled all the way to Make.
		for _, demo := range []bool{true, false} {
			name := e.name + "/account"
			if demo {
				name = e.name + "/demo"
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				// A Make of its own: the demo scenario runs once at a time.
				m := newMachine(t, machineOptions{})
				m.Leaks.Secret(makefake.DemoToken)
				var s *stdioServer
				if demo {
					s = m.startServe(nil, "--demo")
				} else {
					s = m.startServe([]string{"MAKE_API_TOKEN=" + makefake.DemoToken}, "--zone", m.zone())
				}
				s.initialize()
				s.callInFlight()
				if !demo {
					m.Make.WaitReceived(m.T, "POST", "/api/v2/scenarios/5006/run")
				}
				e.end(s)
				st := s.waitExit()
				if !st.Exited() || st.ExitCode() != 0 {
					t.Errorf("after %s with a tool call in flight, serve ended with %v, want exit status 0; stderr:\n%s", e.name, st, s.stderrText())
				}
				for i, line := range s.lines.all() {
					if err := testenv.CheckJSONRPC(line); err != nil {
						t.Errorf("stdout line %d is not JSON-RPC 2.0: %v: %.200s", i+1, err, line)
					}
				}
				if !demo {
					m.Make.WaitAbandoned(m.T, "POST /api/v2/scenarios/5006/run", exitGuard)
				}
			})
		}
	}
}

// TestServeStdoutIsProtocolOnly makes serve log as much as it can (debug
// level, an unknown method, a bad line, a failing tool) and checks that
// every stdout line is a JSON-RPC message while the logs go to stderr.
func TestServeStdoutIsProtocolOnly(t *testing.T) {
	t.Parallel()
	m := newMachine(t, machineOptions{})
	s := m.startServe(nil, "--demo", "--log-level", "debug")
	s.initialize()
	s.send(`{"jsonrpc":"2.0","id":4,"method":"tools/list"}`)
	s.send(`{"jsonrpc":"2.0","id":5,"method":"no/such/method"}`)
	s.send(`{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"scenarios_get","arguments":{"scenarioId":424242}}}`)
	s.send(`{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"scenarios_list","arguments":{}}}`)
	for _, id := range []int{4, 5, 6, 7} {
		s.await(id)
	}
	s.send(`this is not JSON`)
	// The go-sdk ends the session on a bad line, so serve may be gone
	// already and this write refused (a broken pipe); either is fine.
	_, _ = io.WriteString(s.stdin, `{"jsonrpc":"2.0","id":8,"method":"ping"}`+"\n")
	select {
	case <-s.exited:
	case <-time.After(2 * time.Second):
		// A server may also drop the connection on a bad line; either is
		// fine, as long as stdout stays clean.
	}
	_ = s.stdin.Close()
	s.waitExit()
	lines := s.lines.all()
	if len(lines) < 5 {
		t.Fatalf("serve wrote %d stdout lines, want at least the 5 answers", len(lines))
	}
	for i, line := range lines {
		if err := testenv.CheckJSONRPC(line); err != nil {
			t.Errorf("stdout line %d is not JSON-RPC 2.0: %v: %.200s", i+1, err, line)
		}
	}
	if !strings.Contains(s.stderrText(), "level=") {
		t.Errorf("serve --log-level debug logged nothing on stderr:\n%s", s.stderrText())
	}
	if slices.ContainsFunc(lines, func(l string) bool { return strings.Contains(l, "level=") }) {
		t.Error("a log line reached stdout")
	}
}

// TestServeCancelledCall cancels a call in flight (notifications/cancelled)
// and checks, while serve still runs, that makemcp stopped waiting for
// Make, and that serve goes on answering.
func TestServeCancelledCall(t *testing.T) {
	t.Parallel()
	m := newMachine(t, machineOptions{})
	m.Leaks.Secret(makefake.DemoToken)
	s := m.startServe([]string{"MAKE_API_TOKEN=" + makefake.DemoToken}, "--zone", m.zone())
	s.initialize()
	s.callInFlight()
	m.Make.WaitReceived(m.T, "POST", "/api/v2/scenarios/5006/run")
	s.send(`{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":2,"reason":"the user changed their mind"}}`)
	m.Make.WaitAbandoned(m.T, "POST /api/v2/scenarios/5006/run", exitGuard)
	select {
	case <-s.exited:
		t.Fatalf("serve exited after a cancellation; stderr:\n%s", s.stderrText())
	default:
	}
	s.send(`{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"users_me","arguments":{}}}`)
	if r := s.await(9); r["result"] == nil || strings.Contains(string(r["result"]), `"isError":true`) {
		t.Errorf("users_me after the cancellation: %s %s", r["result"], r["error"])
	}
	_ = s.stdin.Close()
	if st := s.waitExit(); st.ExitCode() != 0 {
		t.Errorf("serve exited with %v", st)
	}
}
