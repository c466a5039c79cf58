package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every test here checks, when it ends, that no token reached anything
// makemcp printed or wrote (see leakCheck). This one goes through the
// whole lifecycle with debug logging on, to stderr and to a log file,
// where a careless log line would show a token first.
func TestSecretsNeverLeakAtDebugLevel(t *testing.T) {
	t.Parallel()
	logs := t.TempDir()
	logFile := filepath.Join(logs, "makemcp.log")
	opts, env := confidential(shortTTL)
	m := newMachine(t, machineOptions{keychain: true, oauth: opts, env: []string{"MAKEMCP_LOG_LEVEL=debug"}})
	m.leaks.searchDir(logs)

	if r := m.loginNoBrowser(env, m.oauthArgs()...); r.code != 0 {
		t.Fatalf("login: %s", r)
	}
	first := m.mustCredential("default")
	m.ok("", "status")
	m.ok("", "status", "--json")
	m.ok("", "token")
	m.ok("", "tools", "call", "users_me")

	// serve, logging to the file, refreshes the expired token itself.
	m.waitExpired(first.AccessToken)
	m.env = append(m.env, "MAKEMCP_LOG_FILE="+logFile)
	s := m.mcpClient([]string{"serve"},
		callTool("users_me", nil),
		callTool("scenarios_list", nil),
		callTool("scenarios_get", map[string]any{"scenarioId": 404404}),
	)
	s.toolResult(t, 0, nil)
	s.toolResult(t, 1, nil)
	if now := m.mustCredential("default"); now.RefreshToken == first.RefreshToken {
		t.Error("serve did not refresh the expired token")
	}

	// A refresh token rejected, and logout, at debug level on stderr.
	m.env = m.env[:len(m.env)-1]
	cred := m.mustCredential("default")
	m.revokeAt(cred.RefreshToken)
	m.waitExpired(cred.AccessToken)
	if r := m.run("", "--log-level", "debug", "token"); r.code != 1 {
		t.Errorf("token with a revoked refresh token: %s", r)
	}
	m.ok("", "--log-level", "debug", "logout")

	log, err := os.ReadFile(logFile)
	if err != nil || !strings.Contains(string(log), "level=DEBUG") {
		t.Errorf("serve --log-file at debug level wrote no debug lines (%v):\n%.500s", err, log)
	}
	// The check must have had something to look for: the client secret,
	// two generations of access and refresh tokens at least.
	if secrets, outputs := m.leaks.count(); secrets < 5 || outputs < 8 {
		t.Errorf("the leak check holds only %d secrets and %d outputs", secrets, outputs)
	}
}

// errorRecorder stands in for a test to see whether a check fails.
type errorRecorder struct{ failed []string }

func (r *errorRecorder) Errorf(format string, args ...any) {
	r.failed = append(r.failed, format)
}

// TestLeakCheckFindsLeaks keeps the leak check honest: it finds a whole
// token, a token cut to its payload, and a secret in a file.
func TestLeakCheckFindsLeaks(t *testing.T) {
	t.Parallel()
	jwt := "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJqb2huZG9lIiwianRpIjoiMSJ9.c2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJl"
	cases := []struct {
		name   string
		output string
		file   string
		leaks  bool
	}{
		{"clean", "Logged in as Dana Demo", "{}", false},
		{"whole token", "Authorization: Bearer " + jwt, "", true},
		{"payload only", "token=eyJzdWIiOiJqb2huZG9lIiwianRpIjoiMSJ9", "", true},
		{"in a file", "", `{"cached": "` + jwt + `"}`, true},
		{"refresh token", "refresh_token=8f7e6d5c-4b3a-4291-8807-112233445566", "", true},
	}
	for _, c := range cases {
		dir := t.TempDir()
		if c.file != "" {
			if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte(c.file), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		l := &leakCheck{secrets: map[string]bool{}, dirs: []string{dir}}
		l.secret(jwt)
		l.secret("8f7e6d5c-4b3a-4291-8807-112233445566")
		l.output("stderr", c.output)
		var rec errorRecorder
		l.check(&rec)
		if got := len(rec.failed) > 0; got != c.leaks {
			t.Errorf("%s: leak found = %v, want %v", c.name, got, c.leaks)
		}
	}
}
