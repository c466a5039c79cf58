package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// errorRecorder stands in for a test to see whether a check fails.
type errorRecorder struct{ failed []string }

func (r *errorRecorder) Errorf(format string, args ...any) {
	r.failed = append(r.failed, format)
}

// TestLeakCheckFindsLeaks keeps the leak check honest: it finds a whole
// token, a token cut to its payload, a secret in a file and in a
// temporary file beside the credential, and leaves the credential file
// itself alone.
func TestLeakCheckFindsLeaks(t *testing.T) {
	jwt := "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJqb2huZG9lIiwianRpIjoiMSJ9.c2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJl"
	cases := []struct {
		name   string
		output string
		file   string // path under the config folder
		leaks  bool
	}{
		{"clean", "Logged in as Dana Demo", "", false},
		{"whole token", "Authorization: Bearer " + jwt, "", true},
		{"payload only", "token=eyJzdWIiOiJqb2huZG9lIiwianRpIjoiMSJ9", "", true},
		{"refresh token", "refresh_token=8f7e6d5c-4b3a-4291-8807-112233445566", "", true},
		{"in a file", "", "config.json", true},
		{"the credential file", "", "credentials/default.json", false},
		{"a temporary file beside it", "", "credentials/.default.json.tmp-123", true},
	}
	for _, c := range cases {
		dir := t.TempDir()
		if c.file != "" {
			name := filepath.Join(dir, c.file)
			if err := os.MkdirAll(filepath.Dir(name), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(name, []byte(`{"accessToken": "`+jwt+`"}`), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		l := &LeakCheck{secrets: map[string]bool{}, dirs: []string{dir}}
		l.Secret(jwt)
		l.Secret("8f7e6d5c-4b3a-4291-8807-112233445566")
		l.Secret("short") // too short to look for
		l.Output("stderr", c.output)
		var rec errorRecorder
		l.Check(&rec)
		if got := len(rec.failed) > 0; got != c.leaks {
			t.Errorf("%s: leak found = %v, want %v", c.name, got, c.leaks)
		}
	}
}

func TestCheckJSONRPC(t *testing.T) {
	for line, ok := range map[string]bool{
		`{"jsonrpc":"2.0","id":1,"result":{}}`:                   true,
		`{"jsonrpc":"2.0","id":1,"error":{"code":-1}}`:           true,
		`{"jsonrpc":"2.0","method":"notifications/initialized"}`: true,
		`{"jsonrpc":"2.0","id":2,"method":"ping"}`:               true,
		`{"jsonrpc":"1.0","id":1,"result":{}}`:                   false,
		`{"jsonrpc":"2.0","id":1,"result":{},"error":{}}`:        false,
		`{"jsonrpc":"2.0","id":1}`:                               false,
		`{"jsonrpc":"2.0","id":1,"result":{}} {}`:                false,
		`time=2025 level=INFO msg=serving`:                       false,
		``:                                                       false,
	} {
		if err := CheckJSONRPC(line); (err == nil) != ok {
			t.Errorf("CheckJSONRPC(%q) = %v, want ok %v", line, err, ok)
		}
	}
}

// testRecorder stands in for a test that ended skipped, failed or passed.
type testRecorder struct {
	errorRecorder
	skip, fail bool
}

func (r *testRecorder) Skipped() bool { return r.skip }
func (r *testRecorder) Failed() bool  { return r.fail }

// TestLeakCheckRequire keeps the guard honest: a check that had nothing
// to look for or nothing to look in fails the test, and a test that was
// skipped, failed or ran nothing is left as it is.
func TestLeakCheckRequire(t *testing.T) {
	const token = "8f7e6d5c-4b3a-4291-8807-112233445566"
	cases := []struct {
		name            string
		skipped, failed bool
		runs            int // makemcp runs, each with some output
		tokens          []string
		min             LeakMinimum
		issued          bool
		fails           bool
	}{
		{name: "skipped before running anything", skipped: true},
		{name: "skipped after a run", skipped: true, runs: 1, min: LeakMinimum{Secrets: 3}},
		{name: "failed", failed: true, runs: 1, min: LeakMinimum{Secrets: 3}},
		{name: "ran nothing"},
		{name: "ran with a secret to look for", runs: 1},
		{name: "ran with nothing to look for", runs: 1, min: LeakMinimum{Secrets: 3}, fails: true},
		{name: "ran with enough to look for", runs: 1, tokens: []string{token, token + "-refresh"}, min: LeakMinimum{Secrets: 3}},
		{name: "too few outputs", runs: 1, min: LeakMinimum{Outputs: 3}, fails: true},
		{name: "the server issued tokens the check never heard of", runs: 1, issued: true, fails: true},
		{name: "the server issued tokens the check holds", runs: 1, issued: true, tokens: []string{token}},
	}
	for _, c := range cases {
		l := &LeakCheck{secrets: map[string]bool{}}
		l.Secret("the-secret-every-machine-knows")
		known, _ := l.Counts()
		for range c.runs {
			l.Run([]string{"status"}, "Logged in as Dana Demo\n", "")
		}
		for _, s := range c.tokens {
			l.Secret(s)
		}
		c.min.Issued = func() bool { return c.issued }
		rec := &testRecorder{skip: c.skipped, fail: c.failed}
		l.require(rec, known, c.min)
		if got := len(rec.failed) > 0; got != c.fails {
			t.Errorf("%s: the guard failed the test = %v, want %v", c.name, got, c.fails)
		}
	}
}

// TestLeakCheckRequireLetsASkipBe skips a test whose leak check holds too
// little, in a test process of its own: the skip must stay a skip, not
// turn into a failure in the guard's cleanup.
func TestLeakCheckRequireLetsASkipBe(t *testing.T) {
	if os.Getenv(helperEnv) == "skip" {
		l := NewLeakCheck(t)
		l.Require(t, LeakMinimum{Secrets: 3, Outputs: 2})
		l.Run([]string{"login"}, "", "Opening the browser\n")
		t.Skip("skipping: a component is missing")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestLeakCheckRequireLetsASkipBe$", "-test.v")
	cmd.Env = append(os.Environ(), helperEnv+"=skip")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- SKIP: TestLeakCheckRequireLetsASkipBe") {
		t.Errorf("the guard turned a skip into a failure (%v):\n%s", err, out)
	}
}
