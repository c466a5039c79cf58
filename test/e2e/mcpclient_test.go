package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/makemcp/makemcp/internal/testenv"
)

// step is one step of a test/mcp-client.mjs plan.
type step struct {
	Op           string `json:"op"`
	Name         string `json:"name,omitempty"`
	Arguments    any    `json:"arguments,omitempty"`
	AbortAfterMs *int   `json:"abortAfterMs,omitempty"`
	URI          string `json:"uri,omitempty"`
	Ms           int    `json:"ms,omitempty"`
}

func listTools() step { return step{Op: "listTools"} }
func callTool(name string, args any) step {
	return step{Op: "callTool", Name: name, Arguments: args}
}
func readResource(uri string) step { return step{Op: "readResource", URI: uri} }

// callAndAbort calls a tool and cancels the call (notifications/cancelled)
// after ms milliseconds.
func callAndAbort(name string, args any, ms int) step {
	return step{Op: "callTool", Name: name, Arguments: args, AbortAfterMs: &ms}
}

type plan struct {
	Command    string            `json:"command"`
	Args       []string          `json:"args"`
	Env        map[string]string `json:"env"`
	StdoutFile string            `json:"stdoutFile"`
	TimeoutMs  int               `json:"timeoutMs"`
	DeadlineMs int               `json:"deadlineMs"`
	Steps      []step            `json:"steps"`
}

// session is what the TypeScript SDK client saw of one server run.
type session struct {
	Initialize struct {
		Server struct {
			Name    string `json:"name"`
			Title   string `json:"title"`
			Version string `json:"version"`
		} `json:"server"`
		Capabilities    map[string]json.RawMessage `json:"capabilities"`
		Instructions    string                     `json:"instructions"`
		ProtocolVersion string                     `json:"protocolVersion"`
	} `json:"initialize"`
	Steps []stepResult `json:"steps"`
	Exit  struct {
		Code   *int    `json:"code"`
		Signal *string `json:"signal"`
	} `json:"exit"`
	Stderr string `json:"stderr"`
	Fatal  string `json:"fatal"`
	// stdout is every line the server wrote to its standard output.
	stdout []string
}

type stepResult struct {
	Op      string          `json:"op"`
	Name    string          `json:"name"`
	Result  json.RawMessage `json:"result"`
	Error   *rpcError       `json:"error"`
	Aborted bool            `json:"aborted"`
	// RequestIDs are the JSON-RPC ids of the requests the step sent.
	RequestIDs []json.RawMessage `json:"requestIds"`
}

type rpcError struct {
	Code    *int   `json:"code"`
	Message string `json:"message"`
}

// toolResult is a tools/call result as the SDK client returns it.
type toolResult struct {
	Content []struct {
		Type string `json:"type"`
		Text string `json:"text"`
	} `json:"content"`
	StructuredContent json.RawMessage `json:"structuredContent"`
	IsError           bool            `json:"isError"`
}

func (r toolResult) text() string {
	var parts []string
	for _, c := range r.Content {
		parts = append(parts, c.Text)
	}
	return strings.Join(parts, "\n")
}

// tool is a tools/list entry, with its annotations raw so that tests see
// which ones are present.
type tool struct {
	Name         string                     `json:"name"`
	Title        string                     `json:"title"`
	Description  string                     `json:"description"`
	InputSchema  map[string]any             `json:"inputSchema"`
	OutputSchema map[string]any             `json:"outputSchema"`
	Annotations  map[string]json.RawMessage `json:"annotations"`
}

func (t tool) readOnly() bool { return string(t.Annotations["readOnlyHint"]) == "true" }

// mcpClient runs test/mcp-client.mjs (the official TypeScript SDK's
// Client over StdioClientTransport) against `makemcp <args>` on the
// machine, and checks that everything the server wrote to stdout was a
// JSON-RPC 2.0 message.
func (m *machine) mcpClient(args []string, steps ...step) *session {
	m.T.Helper()
	testenv.NodeModules(m.T)
	dir := m.T.TempDir()
	p := plan{
		Command:    m.Bin,
		Args:       args,
		Env:        map[string]string{},
		StdoutFile: filepath.Join(dir, "stdout.jsonl"),
		TimeoutMs:  20000,
		DeadlineMs: 50000,
		Steps:      steps,
	}
	for _, kv := range m.Env {
		k, v, _ := strings.Cut(kv, "=")
		p.Env[k] = v
	}
	planFile := filepath.Join(dir, "plan.json")
	data, _ := json.Marshal(p)
	if err := os.WriteFile(planFile, data, 0o600); err != nil {
		m.T.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), testenv.RunGuard)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", testenv.TestScript("mcp-client.mjs"), planFile)
	cmd.Env = testenv.ChildEnv()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = 5 * time.Second
	ownGroup(cmd)
	err := cmd.Run()
	killGroup(cmd)
	m.Leaks.Output("mcp-client.mjs "+strings.Join(args, " "), stdout.String())
	raw, _ := os.ReadFile(p.StdoutFile)
	m.Leaks.Output("makemcp "+strings.Join(args, " ")+" (raw stdout)", string(raw))
	var s session
	if jerr := json.Unmarshal(stdout.Bytes(), &s); jerr != nil {
		m.T.Fatalf("mcp-client.mjs: %v (%v)\nstdout: %s\nstderr: %s", err, jerr, stdout.String(), stderr.String())
	}
	if s.Fatal != "" || err != nil {
		m.T.Fatalf("mcp-client.mjs: %v %s\nserver stderr: %s\nclient stderr: %s", err, s.Fatal, s.Stderr, stderr.String())
	}
	if len(s.Steps) != len(steps) {
		m.T.Fatalf("mcp-client.mjs ran %d of %d steps", len(s.Steps), len(steps))
	}
	s.stdout = strings.Split(strings.TrimSuffix(string(raw), "\n"), "\n")
	if len(raw) == 0 {
		s.stdout = nil
	}
	for i, line := range s.stdout {
		if err := testenv.CheckJSONRPC(line); err != nil {
			m.T.Errorf("stdout line %d of makemcp %s is not a JSON-RPC 2.0 message: %v\n%.300s", i+1, strings.Join(args, " "), err, line)
		}
	}
	return &s
}

// response returns the raw line the server answered request id with.
func (s *session) response(id json.RawMessage) (string, bool) {
	for _, line := range s.stdout {
		var msg struct {
			ID     json.RawMessage `json:"id"`
			Method string          `json:"method"`
		}
		if json.Unmarshal([]byte(line), &msg) == nil && msg.Method == "" && string(msg.ID) == string(id) {
			return line, true
		}
	}
	return "", false
}

// result decodes the i-th step's result, failing the test if it failed.
func (s *session) result(t *testing.T, i int, v any) {
	t.Helper()
	r := s.Steps[i]
	if r.Error != nil {
		t.Fatalf("step %d (%s %s) failed: %s\nserver stderr: %s", i, r.Op, r.Name, r.Error.Message, s.Stderr)
	}
	if err := json.Unmarshal(r.Result, v); err != nil {
		t.Fatalf("step %d (%s %s): %v\n%s", i, r.Op, r.Name, err, r.Result)
	}
}

// tools returns the tools of a listTools step.
func (s *session) tools(t *testing.T, i int) map[string]tool {
	t.Helper()
	var res struct {
		Tools []tool `json:"tools"`
	}
	s.result(t, i, &res)
	byName := map[string]tool{}
	for _, tl := range res.Tools {
		if _, dup := byName[tl.Name]; dup {
			t.Errorf("tools/list lists %s twice", tl.Name)
		}
		byName[tl.Name] = tl
	}
	return byName
}

// toolResult returns a callTool step's result, which must not be a tool
// error.
func (s *session) toolResult(t *testing.T, i int, v any) toolResult {
	t.Helper()
	var r toolResult
	s.result(t, i, &r)
	if r.IsError {
		t.Fatalf("step %d (%s): tool error: %s", i, s.Steps[i].Name, r.text())
	}
	if v != nil {
		if err := json.Unmarshal(r.StructuredContent, v); err != nil {
			t.Fatalf("step %d (%s): structured content: %v\n%s", i, s.Steps[i].Name, err, r.StructuredContent)
		}
	}
	return r
}

// exitedCleanly checks that the server exited with status 0 once the
// client closed its stdin.
func (s *session) exitedCleanly(t *testing.T) {
	t.Helper()
	if s.Exit.Code == nil || *s.Exit.Code != 0 {
		t.Errorf("after the client closed stdin, the server exited with %+v, want status 0; stderr:\n%s", s.Exit, s.Stderr)
	}
}
