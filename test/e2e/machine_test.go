package e2e

import (
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/makemcp/makemcp/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// machine is one user's computer for one test (testenv.Machine: a config
// folder, makemcp's environment, the fake Make, maybe an OS keychain and
// an OAuth server, and a leak check over everything makemcp printed),
// with the helpers the tests here share. After every run it also gives
// the leak check every token then stored.
type machine struct {
	*testenv.Machine
}

type machineOptions struct {
	// keychain starts a private Secret Service for makemcp.
	keychain bool
	// oauth starts test/oauth-server.mjs with these options.
	oauth *testenv.OAuthServerOptions
	// env is added to makemcp's environment (KEY=VALUE).
	env []string
}

// newMachine sets up a machine. Its folders are removed, its processes
// stopped and its outputs checked for secrets when the test ends.
func newMachine(t *testing.T, o machineOptions) *machine {
	t.Helper()
	return &machine{testenv.NewMachine(t, testenv.MachineOptions{Keychain: o.keychain, OAuth: o.oauth, Env: o.env})}
}

// with returns the machine for a subtest, which must report its own
// failures.
func (m *machine) with(t *testing.T) *machine { return &machine{m.With(t)} }

// run runs makemcp with stdin and args and returns how it ended.
func (m *machine) run(stdin string, args ...string) testenv.Result {
	m.T.Helper()
	r, err := m.runEnv(nil, stdin, args...)
	if err != nil {
		m.T.Fatal(err)
	}
	return r
}

// runEnv runs makemcp with extra environment. It does not end the test,
// so goroutines may call it.
func (m *machine) runEnv(extra []string, stdin string, args ...string) (testenv.Result, error) {
	r, err := m.Run(extra, stdin, args...)
	m.noteStored()
	return r, err
}

// noteStored tells the leak check every token now stored, in the keychain
// or in the --insecure-storage file, since tokens rotate and the ones
// stored at the end are not all there were.
func (m *machine) noteStored() {
	for _, read := range []func(string) (*testenv.StoredCredential, error){m.KeychainCredential, m.FileCredential} {
		if c, _ := read("default"); c != nil {
			m.NoteCredential(c)
		}
	}
}

// ok runs makemcp and fails the test unless it exits 0.
func (m *machine) ok(stdin string, args ...string) testenv.Result {
	m.T.Helper()
	r := m.run(stdin, args...)
	if r.Code != 0 {
		m.T.Fatalf("want exit 0:\n%s", r)
	}
	return r
}

// loginNoBrowser runs `makemcp login --no-browser` and plays the browser
// with an HTTP client: it reads the URL makemcp prints on stderr and
// follows it (the OAuth server redirects straight to the callback). The
// OAuth server needs no login page, so the browser is not the point here.
func (m *machine) loginNoBrowser(extra []string, args ...string) testenv.Result {
	m.T.Helper()
	r, err := m.LoginNoBrowser(m.OAuth.URL, extra, args...)
	m.noteStored()
	if err != nil {
		m.T.Fatal(err)
	}
	return r
}

// zone is the fake Make's zone as --zone takes it, and host what makemcp
// reports as its zone.
func (m *machine) zone() string { return m.Make.Zone() }
func (m *machine) host() string { return m.Make.Host() }

var httpClient = &http.Client{Timeout: 30 * time.Second}

// statusJSON runs `status --json` and decodes it.
func (m *machine) statusJSON() (map[string]any, testenv.Result) {
	m.T.Helper()
	r := m.run("", "status", "--json")
	var v map[string]any
	if err := json.Unmarshal([]byte(r.Stdout), &v); err != nil {
		m.T.Fatalf("status --json printed no JSON object: %v\n%s", err, r)
	}
	return v, r
}

// configProfiles lists the profiles config.json holds.
func (m *machine) configProfiles() []string {
	m.T.Helper()
	data, err := os.ReadFile(filepath.Join(m.Dir, "config.json"))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		m.T.Fatal(err)
	}
	var f struct {
		Profiles map[string]json.RawMessage `json:"profiles"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		m.T.Fatalf("config.json: %v", err)
	}
	var names []string
	for n := range f.Profiles {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// oneErrorLine checks that the run failed with exit status 1 and that
// stderr is exactly one line "Error: ..." that contains want.
func oneErrorLine(t *testing.T, r testenv.Result, want string) {
	t.Helper()
	if r.Code != 1 {
		t.Errorf("exit status %d, want 1:\n%s", r.Code, r)
	}
	if !strings.HasPrefix(r.Stderr, "Error: ") || strings.Count(r.Stderr, "\n") != 1 || !strings.HasSuffix(r.Stderr, "\n") {
		t.Errorf("want exactly one line \"Error: ...\" on stderr:\n%s", r)
	}
	if !strings.Contains(r.Stderr, want) {
		t.Errorf("stderr does not say %q:\n%s", want, r)
	}
}

// endsWithErrorLine is oneErrorLine for commands that report progress
// before they fail (login prints the URL): the error is the last line,
// the only one that starts with "Error:".
func endsWithErrorLine(t *testing.T, r testenv.Result, want string) {
	t.Helper()
	if r.Code != 1 {
		t.Errorf("exit status %d, want 1:\n%s", r.Code, r)
	}
	lines := strings.Split(strings.TrimSuffix(r.Stderr, "\n"), "\n")
	last := lines[len(lines)-1]
	if !strings.HasPrefix(last, "Error: ") || strings.Count(r.Stderr, "Error:") != 1 {
		t.Errorf("want the last line of stderr, and only it, to be \"Error: ...\":\n%s", r)
	}
	if !strings.Contains(last, want) {
		t.Errorf("the error does not say %q:\n%s", want, r)
	}
}

// lockedLines collects a child's output lines while the test reads them.
type lockedLines struct {
	mu    sync.Mutex
	lines []string
}

func (l *lockedLines) add(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, s)
}

func (l *lockedLines) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.lines)
}
