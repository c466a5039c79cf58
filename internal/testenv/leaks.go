package testenv

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// LeakCheck collects the secrets a test's makemcp runs handled (the
// tokens an OAuth server issued, client secrets, API tokens) and
// everything makemcp wrote for people or left behind (stdout, stderr, log
// files, the config folder). When the test ends it fails if any output
// holds any secret.
//
// The one place meant to hold a secret is not searched: the credential
// file of --insecure-storage, <config>/credentials/<profile>.json. Any
// other file there (a temporary file a killed save left) is searched.
type LeakCheck struct {
	mu      sync.Mutex
	secrets map[string]bool
	outputs []leakOutput
	dirs    []string
	runs    int // makemcp runs recorded
}

type leakOutput struct{ name, text string }

// minSecret is the shortest string worth looking for: every token here is
// longer, and shorter ones would match by chance.
const minSecret = 16

// NewLeakCheck starts a leak check that also searches dirs (config
// folders) when the test ends. Call it after t.TempDir, so that the check
// runs before the folders are removed.
func NewLeakCheck(t testing.TB, dirs ...string) *LeakCheck {
	l := &LeakCheck{secrets: map[string]bool{}, dirs: slices.Clone(dirs)}
	t.Cleanup(func() { l.Check(t) })
	return l
}

// Secret adds a secret to look for. A JWT is also looked for by its
// payload and its signature, so that a token cut short is still found;
// its header is the same for every token and says nothing.
func (l *LeakCheck) Secret(s string) {
	s = strings.TrimSpace(s)
	if len(s) < minSecret {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.secrets[s] = true
	if parts := strings.Split(s, "."); len(parts) == 3 && strings.HasPrefix(s, "eyJ") {
		for _, p := range parts[1:] {
			if len(p) >= minSecret {
				l.secrets[p] = true
			}
		}
	}
}

// Output adds something makemcp wrote.
func (l *LeakCheck) Output(name, text string) {
	if text == "" {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.outputs = append(l.outputs, leakOutput{name, text})
}

// Run adds what one makemcp run with args printed. The standard output of
// `makemcp token` is the token, by design: a secret to look for
// everywhere else, not a leak.
func (l *LeakCheck) Run(args []string, stdout, stderr string) {
	name := "makemcp " + strings.Join(args, " ")
	l.mu.Lock()
	l.runs++
	l.mu.Unlock()
	if len(args) > 0 && args[0] == "token" {
		l.Secret(stdout)
	} else {
		l.Output(name+" (stdout)", stdout)
	}
	l.Output(name+" (stderr)", stderr)
}

// SearchDir adds a folder whose files are searched when the test ends.
func (l *LeakCheck) SearchDir(dir string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.dirs = append(l.dirs, dir)
}

// Counts reports how many secrets and outputs the check holds, so a test
// can show that it had something to look for.
func (l *LeakCheck) Counts() (secrets, outputs int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.secrets), len(l.outputs)
}

// Errorer is the part of testing.TB the check reports to.
type Errorer interface {
	Errorf(format string, args ...any)
}

// LeakMinimum is what a leak check must have held, when a test that ran
// makemcp ends, for its verdict to mean something.
type LeakMinimum struct {
	// Secrets to look for and Outputs to look in: at least what the check
	// held when Require was called, and at least one of each.
	Secrets, Outputs int
	// Issued, if set, reports whether the test's OAuth server gave out
	// tokens: then the check must hold at least one secret more than it
	// held when Require was called.
	Issued func() bool
}

// Require makes the check fail the test when it ends if it had too little
// to work with: a check with no secret to look for, or nothing to look
// in, passes whatever makemcp printed. A test that was skipped or failed,
// or that ran makemcp not once, is left as it is: a skip stays a skip.
// Call it after the servers the test ends with are started, so that it
// runs before they stop.
func (l *LeakCheck) Require(t testing.TB, min LeakMinimum) {
	known, _ := l.Counts()
	t.Cleanup(func() { l.require(t, known, min) })
}

// testState is the part of testing.TB that Require looks at.
type testState interface {
	Errorer
	Skipped() bool
	Failed() bool
}

func (l *LeakCheck) require(t testState, known int, min LeakMinimum) {
	if t.Skipped() || t.Failed() {
		return
	}
	l.mu.Lock()
	secrets, outputs, runs := len(l.secrets), len(l.outputs), l.runs
	l.mu.Unlock()
	if runs == 0 && outputs == 0 {
		return // nothing ran, so nothing could leak
	}
	wantSecrets, wantOutputs := max(min.Secrets, known, 1), max(min.Outputs, 1)
	if min.Issued != nil && min.Issued() {
		wantSecrets = max(wantSecrets, known+1)
	}
	if secrets < wantSecrets || outputs < wantOutputs {
		t.Errorf("the leak check holds only %d secrets and %d outputs, want at least %d and %d: it had too little to look for or to look in",
			secrets, outputs, wantSecrets, wantOutputs)
	}
}

// Check reports every output that holds a secret. It runs by itself when
// the test ends.
func (l *LeakCheck) Check(t Errorer) {
	l.mu.Lock()
	defer l.mu.Unlock()
	outputs := slices.Clone(l.outputs)
	for _, dir := range l.dirs {
		_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			if IsCredentialFile(path) {
				return nil
			}
			if data, err := os.ReadFile(path); err == nil {
				outputs = append(outputs, leakOutput{"file " + path, string(data)})
			}
			return nil
		})
	}
	for _, o := range outputs {
		for s := range l.secrets {
			if strings.Contains(o.text, s) {
				t.Errorf("secret leaked: %s holds a secret (%d characters, starting %.6s...)", o.name, len(s), s)
			}
		}
	}
}

// IsCredentialFile reports whether path is a --insecure-storage
// credential file, <config>/credentials/<profile>.json, the one file
// that holds a secret by design.
func IsCredentialFile(path string) bool {
	base := filepath.Base(path)
	return filepath.Base(filepath.Dir(path)) == "credentials" && strings.HasSuffix(base, ".json") && !strings.HasPrefix(base, ".")
}

// CheckJSONRPC checks that a line is exactly one JSON-RPC 2.0 message: a
// request or notification (method), or a response (id with result or
// error).
func CheckJSONRPC(line string) error {
	var msg map[string]json.RawMessage
	dec := json.NewDecoder(strings.NewReader(line))
	if err := dec.Decode(&msg); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("more than one JSON value on the line")
	}
	if string(msg["jsonrpc"]) != `"2.0"` {
		return fmt.Errorf(`"jsonrpc" is %s, not "2.0"`, msg["jsonrpc"])
	}
	_, hasMethod := msg["method"]
	_, hasID := msg["id"]
	_, hasResult := msg["result"]
	_, hasError := msg["error"]
	switch {
	case hasMethod && !hasResult && !hasError:
	case !hasMethod && hasID && hasResult != hasError:
	default:
		return fmt.Errorf("neither a request, a notification nor a response")
	}
	return nil
}
