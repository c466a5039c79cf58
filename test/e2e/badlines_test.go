package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/makemcp/makemcp/internal/testenv"
	"github.com/makemcp/makemcp/makeapi/makefake"
)

// A bad line on serve's stdin is answered with the JSON-RPC error it
// deserves and serving goes on: the inputs a newcomer typing into the
// demo, or a broken host, sends.

// badLine is one bad input and the error it deserves: its code and id
// ("null" when none can be read).
type badLine struct {
	name, line string
	code       int
	id         string
}

var badLines = []badLine{
	{"a word", "hello", -32700, "null"},
	{"broken JSON", "{not json", -32700, "null"},
	{"empty object", "{}", -32600, "null"},
	{"a number", "123", -32600, "null"},
	{"null", "null", -32600, "null"},
	{"empty batch", "[]", -32600, "null"},
	{"a batch", `[{"jsonrpc":"2.0","id":501,"method":"ping"},{"jsonrpc":"2.0","id":502,"method":"ping"}]`, -32600, "null"},
	{"JSON-RPC 1.0", `{"jsonrpc":"1.0","id":503,"method":"ping"}`, -32600, "503"},
	{"an object id", `{"jsonrpc":"2.0","id":{"n":504},"method":"ping"}`, -32600, "null"},
	{"cut off", `{"jsonrpc":"2.0","id":505,"method":"tools/li`, -32700, "null"},
	{"two messages on one line", `{"jsonrpc":"2.0","id":506,"method":"ping"}{"jsonrpc":"2.0","id":507,"method":"ping"}`, -32700, "null"},
	{"a request with no method", `{"jsonrpc":"2.0","id":508,"params":{}}`, -32600, "508"},
}

// bigLine is one byte over the 16 MiB serve reads.
const bigLine = 16<<20 + 1

// nextMessage returns the next message serve wrote.
func (s *stdioServer) nextMessage() map[string]json.RawMessage {
	s.t.Helper()
	select {
	case msg := <-s.got:
		return msg
	case <-s.exited:
		s.t.Fatalf("serve exited; stderr:\n%s", s.stderrText())
	case <-time.After(30 * time.Second):
		s.t.Fatal("serve wrote nothing within 30 s")
	}
	return nil
}

// TestServeAnswersBadLinesRawPipe writes each bad line to the built
// binary's stdin, then a ping, and reads stdout as it comes.
func TestServeAnswersBadLinesRawPipe(t *testing.T) {
	t.Parallel()
	m := newMachine(t, machineOptions{})
	s := m.startServe(nil, "--demo")
	s.initialize()
	cases := append(badLines, badLine{"a line over 16 MiB", strings.Repeat("x", bigLine), -32600, "null"})
	for i, tc := range cases {
		ping := 1000 + i
		s.send(tc.line)
		s.send(fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"ping"}`, ping))
		var e struct{ Code int }
		if a := s.nextMessage(); json.Unmarshal(a["error"], &e) != nil || e.Code != tc.code || string(a["id"]) != tc.id {
			t.Errorf("%s: answered %s %s with id %s, want error %d with id %s", tc.name, a["error"], a["result"], a["id"], tc.code, tc.id)
		}
		if r := s.nextMessage(); string(r["id"]) != fmt.Sprint(ping) || r["result"] == nil {
			t.Fatalf("%s: the ping after it was answered with %v; stderr:\n%s", tc.name, r, s.stderrText())
		}
	}
	// A tool call still works after them all.
	s.send(`{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"scenarios_list","arguments":{"limit":1}}}`)
	if r := s.await(9); r["result"] == nil || strings.Contains(string(r["result"]), `"isError":true`) {
		t.Errorf("scenarios_list after the bad lines: %s %s", r["result"], r["error"])
	}
	_ = s.stdin.Close()
	if st := s.waitExit(); st.ExitCode() != 0 {
		t.Errorf("serve exited with %v", st)
	}
	logs := s.stderrText()
	if n := strings.Count(logs, "answered a bad line"); n != len(cases) {
		t.Errorf("%d log lines for %d bad lines:\n%s", n, len(cases), logs)
	}
	if strings.Contains(logs, "level=ERROR") || strings.Contains(logs, "hello") {
		t.Errorf("the log has an error or quotes a line:\n%s", logs)
	}
	for i, line := range s.lines.all() {
		if err := testenv.CheckJSONRPC(line); err != nil {
			t.Errorf("stdout line %d is not JSON-RPC 2.0: %v: %.200s", i+1, err, line)
		}
	}
}

// TestServeAnswersBadLinesSDKClient has the official TypeScript SDK
// client hold a session while bad lines reach the server, each followed by
// a ping through the client, and a tool call at the end.
func TestServeAnswersBadLinesSDKClient(t *testing.T) {
	t.Parallel()
	testenv.NodeModules(t)
	m := newMachine(t, machineOptions{})
	dir := t.TempDir()
	var lines []string
	for _, b := range badLines {
		lines = append(lines, b.line)
	}
	p := map[string]any{"command": m.Bin, "args": []string{"serve", "--demo"}, "env": envMap(m.Env), "lines": lines, "bigLine": bigLine}
	data, _ := json.Marshal(p)
	planFile := filepath.Join(dir, "plan.json")
	if err := os.WriteFile(planFile, data, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*testenv.RunGuard)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", testenv.TestScript("mcp-badlines.mjs"), planFile)
	cmd.Env = testenv.ChildEnv()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = 5 * time.Second
	ownGroup(cmd)
	err := cmd.Run()
	killGroup(cmd)
	var got struct {
		Fatal        string
		Steps        []struct{ Line, Ping string }
		ToolCall     string
		ClientErrors []string
		Stdout       []string
		Stderr       string
		Exit         struct{ Code *int }
	}
	if jerr := json.Unmarshal(stdout.Bytes(), &got); jerr != nil || got.Fatal != "" {
		t.Fatalf("mcp-badlines.mjs: %v %v %s\nstderr: %s", err, jerr, got.Fatal, stderr.String())
	}
	m.Leaks.Output("makemcp serve --demo (stdout)", strings.Join(got.Stdout, "\n"))
	m.Leaks.Output("makemcp serve --demo (stderr)", got.Stderr)
	if len(got.Steps) != len(badLines)+1 {
		t.Fatalf("%d steps for %d lines", len(got.Steps), len(badLines)+1)
	}
	for _, s := range got.Steps {
		if s.Ping != "ok" {
			t.Errorf("after %.60q the client's ping failed: %s", s.Line, s.Ping)
		}
	}
	if got.ToolCall != "ok" {
		t.Errorf("scenarios_list after the bad lines: %s", got.ToolCall)
	}
	if got.Exit.Code == nil || *got.Exit.Code != 0 {
		t.Errorf("serve exited %+v after the client closed; stderr:\n%s", got.Exit, got.Stderr)
	}
	// Each bad line got its error on stdout, in order.
	var errs []string
	for _, line := range got.Stdout {
		if err := testenv.CheckJSONRPC(line); err != nil {
			t.Errorf("stdout line is not JSON-RPC 2.0: %v: %.200s", err, line)
		}
		var msg struct {
			ID    json.RawMessage
			Error *struct{ Code int }
		}
		if json.Unmarshal([]byte(line), &msg) == nil && msg.Error != nil {
			errs = append(errs, fmt.Sprintf("%d %s", msg.Error.Code, msg.ID))
		}
	}
	var want []string
	for _, b := range badLines {
		want = append(want, fmt.Sprintf("%d %s", b.code, b.id))
	}
	want = append(want, "-32600 null")
	if strings.Join(errs, ", ") != strings.Join(want, ", ") {
		t.Errorf("errors on stdout:\n %s\nwant\n %s", strings.Join(errs, ", "), strings.Join(want, ", "))
	}
	// The SDK reports each answer with id null (it expects an id) and
	// goes on, as the pings show.
	t.Logf("the client reported %d answers it could not match to a request", len(got.ClientErrors))
}

func envMap(env []string) map[string]string {
	out := map[string]string{}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		out[k] = v
	}
	return out
}

// A host stops serve with a signal: that is a stop, logged at info level.
func TestServeSignalIsNotAnError(t *testing.T) {
	t.Parallel()
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			t.Parallel()
			m := newMachine(t, machineOptions{})
			s := m.startServe(nil, "--demo")
			s.initialize()
			_ = s.cmd.Process.Signal(sig)
			if st := s.waitExit(); st.ExitCode() != 0 {
				t.Errorf("exit %v", st)
			}
			logs := s.stderrText()
			if strings.Contains(logs, "level=ERROR") || !strings.Contains(logs, `level=INFO msg=stopping reason="`+sig.String()+` signal received"`) {
				t.Errorf("serve logged, for %s:\n%s\nwant an info line that says it is stopping and why, and no error", sig, logs)
			}
		})
	}
}

// A 2 MB blueprint does not fit on a command line; from stdin or a file
// it reaches Make whole.
func TestToolsCallLargeArguments(t *testing.T) {
	t.Parallel()
	m := newMachine(t, machineOptions{})
	m.Leaks.Secret(makefake.DemoToken)
	args := `{"scheduling": {"type": "on-demand"}, "blueprint": {"name": "Big one", "flow": [{"id": 1, "module": "json:ParseJSON", "version": 1, "mapper": {"json": "` +
		strings.Repeat("x", 2<<20) + `"}}], "metadata": {}}}`
	env := []string{"MAKE_API_TOKEN=" + makefake.DemoToken}
	call := []string{"--zone", m.zone(), "tools", "call", "--team", "3001", "--tools", "scenarios_create", "scenarios_create"}

	// As one argument, the operating system refuses it.
	if _, _, _, err := testenv.Run(m.Bin, append(m.Env, env...), "", append(call, args)...); err == nil || !strings.Contains(err.Error(), "argument list too long") {
		t.Logf("a 2 MB argument: %v (this system takes it)", err)
	}
	file := filepath.Join(t.TempDir(), "args.json")
	if err := os.WriteFile(file, []byte(args), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, stdin, arg string }{{"stdin", args, "-"}, {"file", "", "@" + file}} {
		r, err := m.runEnv(env, tc.stdin, append(call, tc.arg)...)
		if err != nil || r.Code != 0 || !strings.Contains(r.Stdout, `"name": "Big one"`) {
			t.Errorf("from %s: %v %s", tc.name, err, r)
		}
	}
	n := 0
	for _, req := range m.Make.Requests() {
		if req.Method == "POST" && req.Path == "/api/v2/scenarios" && len(req.Body) > 2<<20 {
			n++
		}
	}
	if n != 2 {
		t.Errorf("Make received %d whole blueprints, want 2", n)
	}
}
