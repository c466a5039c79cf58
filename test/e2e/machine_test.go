package e2e

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/makemcp/makemcp/internal/testenv"
	"github.com/makemcp/makemcp/makeapi/makefake"
)

// machine is one user's computer for one test: a config folder, the
// environment makemcp runs in, maybe an OS keychain (a private
// gnome-keyring), maybe an OAuth server, the fake Make, and a record of
// everything makemcp printed, checked for secrets when the test ends.
type machine struct {
	t    *testing.T
	bin  string
	dir  string   // MAKEMCP_CONFIG_DIR
	env  []string // makemcp's environment
	fake *makefake.Server
	// makeURL is where the fake Make listens; abandoned lists the requests
	// whose client went away before Make answered.
	makeURL   string
	abandoned *lockedLines
	oauth     *testenv.OAuthServer // nil without one
	// keyring is the Secret Service makemcp reaches; nil: no D-Bus
	// session at all.
	keyring *testenv.SecretService
	leaks   *testenv.LeakCheck
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
	m := &machine{t: t, bin: testenv.Makemcp(t), dir: t.TempDir()}
	// Registered after TempDir, so it runs before the folders go.
	m.leaks = testenv.NewLeakCheck(t, m.dir)
	if o.oauth != nil {
		m.oauth = testenv.StartOAuthServer(t, *o.oauth)
		if m.oauth.ClientSecret != "" {
			m.leaks.Secret(m.oauth.ClientSecret)
		}
	}
	if o.keychain {
		m.keyring = testenv.StartSecretService(t)
	}
	m.startMake()
	// The fake Make's zone is saved in config.json at login, and a zone
	// read from there must be Make's own or allowed.
	m.env = append(testenv.ChildEnv(), "MAKEMCP_CONFIG_DIR="+m.dir, "MAKEMCP_ALLOWED_HOSTS=127.0.0.1")
	if m.keyring != nil {
		m.env = append(m.env, "DBUS_SESSION_BUS_ADDRESS="+m.keyring.BusAddress)
	}
	m.env = append(m.env, o.env...)
	return m
}

// with returns the machine for a subtest, which must report its own
// failures.
func (m *machine) with(t *testing.T) *machine {
	c := *m
	c.t = t
	return &c
}

// result is how one makemcp run ended.
type result struct {
	args           []string
	stdout, stderr string
	code           int
}

func (r result) String() string {
	return fmt.Sprintf("makemcp %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(r.args, " "), r.code, r.stdout, r.stderr)
}

// run runs makemcp with stdin and args and returns how it ended.
func (m *machine) run(stdin string, args ...string) result {
	m.t.Helper()
	r, err := m.runEnv(nil, stdin, args...)
	if err != nil {
		m.t.Fatal(err)
	}
	return r
}

// runEnv runs makemcp with extra environment. It does not end the test,
// so goroutines may call it. The outputs go to the leak check; so does the
// keychain's content afterwards.
func (m *machine) runEnv(extra []string, stdin string, args ...string) (result, error) {
	var r result
	var err error
	r.args = args
	r.stdout, r.stderr, r.code, err = testenv.Run(m.bin, append(slices.Clone(m.env), extra...), stdin, args...)
	m.record(r)
	if err != nil {
		return r, fmt.Errorf("%v:\n%s", err, r)
	}
	return r, nil
}

// record hands a run's outputs to the leak check, and with them every
// token now stored.
func (m *machine) record(r result) {
	m.leaks.Run(r.args, r.stdout, r.stderr)
	m.snapshotSecrets()
}

// snapshotSecrets tells the leak check every token now stored, in the
// keychain or in the --insecure-storage file, since tokens rotate and
// the ones stored at the end are not all there were.
func (m *machine) snapshotSecrets() {
	for _, profile := range []string{"default"} {
		if c, _ := m.keychainCredential(profile); c != nil {
			addCredential(m.leaks, c)
		}
		if c, _ := m.fileCredential(profile); c != nil {
			addCredential(m.leaks, c)
		}
	}
}

// ok runs makemcp and fails the test unless it exits 0.
func (m *machine) ok(stdin string, args ...string) result {
	m.t.Helper()
	r := m.run(stdin, args...)
	if r.code != 0 {
		m.t.Fatalf("want exit 0:\n%s", r)
	}
	return r
}

// loginNoBrowser runs `makemcp login --no-browser` and plays the browser
// with an HTTP client: it reads the URL makemcp prints on stderr and
// follows it (the OAuth server redirects straight to the callback). The
// OAuth server needs no login page, so the browser is not the point here.
func (m *machine) loginNoBrowser(extra []string, args ...string) result {
	m.t.Helper()
	stdout, stderr, code, err := testenv.LoginNoBrowser(m.bin, append(slices.Clone(m.env), extra...), m.oauth.URL, args...)
	r := result{args: append([]string{"login", "--no-browser"}, args...), stdout: stdout, stderr: stderr, code: code}
	m.record(r)
	if err != nil {
		m.t.Fatalf("%v\n%s", err, r)
	}
	return r
}

var httpClient = &http.Client{Timeout: 30 * time.Second}

// statusJSON runs `status --json` and decodes it.
func (m *machine) statusJSON() (map[string]any, result) {
	m.t.Helper()
	r := m.run("", "status", "--json")
	var v map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &v); err != nil {
		m.t.Fatalf("status --json printed no JSON object: %v\n%s", err, r)
	}
	return v, r
}

// configProfiles lists the profiles config.json holds.
func (m *machine) configProfiles() []string {
	m.t.Helper()
	data, err := os.ReadFile(filepath.Join(m.dir, "config.json"))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		m.t.Fatal(err)
	}
	var f struct {
		Profiles map[string]json.RawMessage `json:"profiles"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		m.t.Fatalf("config.json: %v", err)
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
func oneErrorLine(t *testing.T, r result, want string) {
	t.Helper()
	if r.code != 1 {
		t.Errorf("exit status %d, want 1:\n%s", r.code, r)
	}
	if !strings.HasPrefix(r.stderr, "Error: ") || strings.Count(r.stderr, "\n") != 1 || !strings.HasSuffix(r.stderr, "\n") {
		t.Errorf("want exactly one line \"Error: ...\" on stderr:\n%s", r)
	}
	if !strings.Contains(r.stderr, want) {
		t.Errorf("stderr does not say %q:\n%s", want, r)
	}
}

// endsWithErrorLine is oneErrorLine for commands that report progress
// before they fail (login prints the URL): the error is the last line,
// the only one that starts with "Error:".
func endsWithErrorLine(t *testing.T, r result, want string) {
	t.Helper()
	if r.code != 1 {
		t.Errorf("exit status %d, want 1:\n%s", r.code, r)
	}
	lines := strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n")
	last := lines[len(lines)-1]
	if !strings.HasPrefix(last, "Error: ") || strings.Count(r.stderr, "Error:") != 1 {
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
