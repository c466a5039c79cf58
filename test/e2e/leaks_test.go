package e2e

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// leakCheck collects every secret a test's makemcp runs handled (the
// tokens the OAuth server issued, as the fake Make and the keychain saw
// them, the client secret, API tokens) and everything makemcp wrote for
// people (stdout, stderr, log files, the config folder). When the test
// ends it fails if any output holds any secret.
//
// The outputs that are meant to hold a secret are not searched: the
// standard output of `makemcp token` and the credential file of
// --insecure-storage.
type leakCheck struct {
	mu      sync.Mutex
	secrets map[string]bool
	outputs []output
	// dirs are searched file by file when the test ends.
	dirs []string
}

type output struct{ name, text string }

// minSecret is the shortest string worth looking for: every token here
// is longer, and shorter ones would match by chance.
const minSecret = 16

// newLeakCheck starts a leak check for the test that searches dir (the
// config folder) at the end too. Call it after t.TempDir, so that the
// check runs before the folders are removed.
func newLeakCheck(t *testing.T, dir string) *leakCheck {
	l := &leakCheck{secrets: map[string]bool{}, dirs: []string{dir}}
	t.Cleanup(func() { l.check(t) })
	return l
}

// secret adds a secret to look for. A JWT is also looked for by its
// payload and signature, so that a token cut short is still found; its
// header is the same for every token and says nothing.
func (l *leakCheck) secret(s string) {
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

func (l *leakCheck) credential(c *storedCredential) {
	l.secret(c.AccessToken)
	l.secret(c.RefreshToken)
	l.secret(c.ClientSecret)
}

// output adds something makemcp wrote.
func (l *leakCheck) output(name, text string) {
	if text == "" {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.outputs = append(l.outputs, output{name, text})
}

// searchDir adds a folder whose files are searched when the test ends.
func (l *leakCheck) searchDir(dir string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.dirs = append(l.dirs, dir)
}

// count reports how many secrets and outputs the check holds.
func (l *leakCheck) count() (secrets, outputs int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.secrets), len(l.outputs)
}

// errorer is the part of testing.T the check reports to.
type errorer interface {
	Errorf(format string, args ...any)
}

func (l *leakCheck) check(t errorer) {
	l.mu.Lock()
	defer l.mu.Unlock()
	outputs := slices.Clone(l.outputs)
	for _, dir := range l.dirs {
		_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			// The --insecure-storage credential file holds the secret by design.
			if filepath.Base(filepath.Dir(path)) == "credentials" && filepath.Ext(path) == ".json" {
				return nil
			}
			if data, err := os.ReadFile(path); err == nil {
				outputs = append(outputs, output{"file " + path, string(data)})
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
