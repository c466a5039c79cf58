package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every test here checks, when it ends, that no token reached anything
// makemcp printed or wrote (testenv.LeakCheck). This one goes through the
// whole lifecycle with debug logging on, to stderr and to a log file,
// where a careless log line would show a token first.
func TestSecretsNeverLeakAtDebugLevel(t *testing.T) {
	t.Parallel()
	logs := t.TempDir()
	logFile := filepath.Join(logs, "makemcp.log")
	opts, env := confidential(shortTTL)
	m := newMachine(t, machineOptions{keychain: true, oauth: opts, env: []string{"MAKEMCP_LOG_LEVEL=debug"}})
	m.Leaks.SearchDir(logs)

	if r := m.loginNoBrowser(env, m.oauthArgs()...); r.Code != 0 {
		t.Fatalf("login: %s", r)
	}
	first := m.Credential("default")
	m.ok("", "status")
	m.ok("", "status", "--json")
	m.ok("", "token")
	m.ok("", "tools", "call", "users_me")

	// serve, logging to the file, refreshes the expired token itself.
	m.OAuth.WaitExpired(m.T, first.AccessToken)
	m.Env = append(m.Env, "MAKEMCP_LOG_FILE="+logFile)
	s := m.mcpClient([]string{"serve"},
		callTool("users_me", nil),
		callTool("scenarios_list", nil),
		callTool("scenarios_get", map[string]any{"scenarioId": 404404}),
	)
	s.toolResult(t, 0, nil)
	s.toolResult(t, 1, nil)
	if now := m.Credential("default"); now.RefreshToken == first.RefreshToken {
		t.Error("serve did not refresh the expired token")
	}

	// A refresh token rejected, and logout, at debug level on stderr.
	m.Env = m.Env[:len(m.Env)-1]
	cred := m.Credential("default")
	m.OAuth.Revoke(m.T, cred.RefreshToken)
	m.OAuth.WaitExpired(m.T, cred.AccessToken)
	if r := m.run("", "--log-level", "debug", "token"); r.Code != 1 {
		t.Errorf("token with a revoked refresh token: %s", r)
	}
	m.ok("", "--log-level", "debug", "logout")

	log, err := os.ReadFile(logFile)
	if err != nil || !strings.Contains(string(log), "level=DEBUG") {
		t.Errorf("serve --log-file at debug level wrote no debug lines (%v):\n%.500s", err, log)
	}
	// The check must have had something to look for: the client secret,
	// two generations of access and refresh tokens at least.
	if secrets, outputs := m.Leaks.Counts(); secrets < 5 || outputs < 8 {
		t.Errorf("the leak check holds only %d secrets and %d outputs", secrets, outputs)
	}
}
