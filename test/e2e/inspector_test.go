package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/makemcp/makemcp/internal/testenv"
)

// The MCP Inspector's CLI mode (npx @modelcontextprotocol/inspector --cli),
// the tool people reach for to poke at a server, drives `serve --demo`.

// inspector runs the Inspector CLI against `makemcp serve --demo` with
// the given Inspector arguments and returns its JSON output.
func (m *machine) inspector(args ...string) map[string]any {
	m.T.Helper()
	modules := testenv.NodeModules(m.T)
	testenv.LookPath(m.T, "npx")
	ctx, cancel := context.WithTimeout(context.Background(), testenv.RunGuard)
	defer cancel()
	// -e passes the variable to the server; the Inspector does not hand
	// its own environment on.
	all := append([]string{"--no", "--", "@modelcontextprotocol/inspector", "--cli",
		"-e", "MAKEMCP_CONFIG_DIR=" + m.Dir, m.Bin, "serve", "--demo"}, args...)
	cmd := exec.CommandContext(ctx, "npx", all...)
	cmd.Dir = filepath.Dir(modules)
	cmd.Env = append(testenv.ChildEnv(), "npm_config_update_notifier=false", "npm_config_offline=true")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = 5 * time.Second
	ownGroup(cmd)
	err := cmd.Run()
	killGroup(cmd)
	m.Leaks.Output("inspector "+strings.Join(args, " "), stdout.String()+stderr.String())
	if err != nil {
		m.T.Fatalf("npx %s: %v\nstdout: %s\nstderr: %s", strings.Join(all, " "), err, stdout.String(), stderr.String())
	}
	var v map[string]any
	if err := json.Unmarshal(stdout.Bytes(), &v); err != nil {
		m.T.Fatalf("the Inspector printed no JSON object: %v\n%s\nstderr: %s", err, stdout.String(), stderr.String())
	}
	return v
}

func TestInspectorCLI(t *testing.T) {
	t.Parallel()
	m := newMachine(t, machineOptions{})

	t.Run("tools/list", func(t *testing.T) {
		t.Parallel()
		out := m.with(t).inspector("--method", "tools/list")
		list, _ := out["tools"].([]any)
		var names []string
		for _, tl := range list {
			names = append(names, tl.(map[string]any)["name"].(string))
		}
		if !equalSets(names, defaultTools) {
			t.Errorf("the Inspector lists %v, want %v", names, defaultTools)
		}
	})

	t.Run("tools/call users_me", func(t *testing.T) {
		t.Parallel()
		out := m.with(t).inspector("--method", "tools/call", "--tool-name", "users_me")
		sc, _ := out["structuredContent"].(map[string]any)
		user, _ := sc["user"].(map[string]any)
		if out["isError"] == true || user["email"] != "dana@example.com" {
			t.Errorf("users_me through the Inspector = %v", out)
		}
	})

	t.Run("tools/call --tool-arg", func(t *testing.T) {
		t.Parallel()
		// The Inspector passes arguments as strings and converts them by
		// the tool's input schema: scenarioId must be declared an integer.
		out := m.with(t).inspector("--method", "tools/call", "--tool-name", "scenarios_get", "--tool-arg", "scenarioId=5002")
		sc, _ := out["structuredContent"].(map[string]any)
		if out["isError"] == true || sc["name"] != "Open a support ticket" {
			t.Errorf("scenarios_get scenarioId=5002 through the Inspector = %v", out)
		}
	})
}

func equalSets(a, b []string) bool {
	return strings.Join(sorted(a), ",") == strings.Join(sorted(b), ",")
}
