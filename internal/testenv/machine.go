package testenv

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/makemcp/makemcp/makeapi/makefake"
)

// Machine is one user's computer for one test of the built binary: a
// config folder, the environment makemcp runs in, the fake Make, maybe an
// OAuth server and an OS keychain (a private gnome-keyring), and a leak
// check over everything makemcp printed or left behind. The test suites
// (test/e2e, test/reliability) wrap it with the helpers their tests share.
type Machine struct {
	T   testing.TB
	Bin string   // the makemcp binary
	Dir string   // MAKEMCP_CONFIG_DIR
	Env []string // makemcp's environment
	// Make is the fake Make makemcp talks to.
	Make *FakeMake
	// OAuth is the OAuth server; nil without one.
	OAuth *OAuthServer
	// Keyring is the Secret Service makemcp stores in; nil: no D-Bus
	// session at all.
	Keyring *SecretService
	// Leaks searches, when the test ends, everything makemcp printed and
	// left in Dir for every secret the test met.
	Leaks *LeakCheck
}

// MachineOptions configure NewMachine.
type MachineOptions struct {
	// Keychain starts a private Secret Service for makemcp, and needs
	// secret-tool to read it as a user would.
	Keychain bool
	// OAuth starts test/oauth-server.mjs with these options.
	OAuth *OAuthServerOptions
	// Env is added to makemcp's environment (KEY=VALUE), after (and so
	// over) the machine's own.
	Env []string
	// SearchDirs are more folders the leak check searches (log folders).
	// Make them with t.TempDir before NewMachine, so that they are still
	// there when the check runs.
	SearchDirs []string
	// MinSecrets and MinOutputs are what the leak check must have held
	// when a test that ran makemcp ends (see LeakCheck.Require); at least
	// what the machine knows from the start, and one output.
	MinSecrets, MinOutputs int
}

// NewMachine sets up a machine. Its folders are removed, its processes
// stopped and its outputs checked for secrets when the test ends.
func NewMachine(t testing.TB, o MachineOptions) *Machine {
	t.Helper()
	m := &Machine{T: t, Bin: Makemcp(t), Dir: t.TempDir()}
	// Registered after TempDir, so that it runs before the folders go.
	m.Leaks = NewLeakCheck(t, append([]string{m.Dir}, o.SearchDirs...)...)
	// Every fake Make accepts it, and serve --demo uses it.
	m.Leaks.Secret(makefake.DemoToken)
	if o.OAuth != nil {
		m.OAuth = StartOAuthServer(t, *o.OAuth)
		m.Leaks.Secret(m.OAuth.ClientSecret)
	}
	if o.Keychain {
		LookPath(t, "secret-tool")
		m.Keyring = StartSecretService(t)
	}
	m.Make = StartMake(t, m.OAuth, m.Leaks)
	// The fake Make's zone is saved in config.json at login, and a zone
	// read from there must be Make's own or allowed.
	// A login with an API token and no zone tries the known zones: here
	// one where nothing answers, never Make's.
	m.Env = append(ChildEnv(), "MAKEMCP_CONFIG_DIR="+m.Dir, "MAKEMCP_ALLOWED_HOSTS=127.0.0.1",
		"MAKEMCP_KNOWN_ZONES=http://127.0.0.1:9")
	if m.Keyring != nil {
		m.Env = append(m.Env, "DBUS_SESSION_BUS_ADDRESS="+m.Keyring.BusAddress)
	}
	m.Env = append(m.Env, o.Env...)
	// Registered last, so that it runs before the servers stop.
	m.Leaks.Require(t, LeakMinimum{Secrets: o.MinSecrets, Outputs: o.MinOutputs, Issued: m.issuedTokens})
	return m
}

// issuedTokens reports whether the OAuth server gave out any token.
func (m *Machine) issuedTokens() bool {
	if m.OAuth == nil {
		return false
	}
	st, err := m.OAuth.ReadStats()
	return err == nil && st.CodeExchanges+st.Refreshes-st.TokenRejected > 0
}

// With returns the machine for a subtest, which must report its own
// failures.
func (m *Machine) With(t testing.TB) *Machine {
	c := *m
	c.T = t
	return &c
}

// Result is how one makemcp run ended.
type Result struct {
	Args           []string
	Stdout, Stderr string
	Code           int
}

func (r Result) String() string {
	return fmt.Sprintf("makemcp %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(r.Args, " "), r.Code, r.Stdout, r.Stderr)
}

// Run runs makemcp with the machine's environment and extra, stdin and
// args, to its end, and hands its outputs to the leak check. It does not
// end the test, so goroutines may call it; the error says it hung or
// could not start.
func (m *Machine) Run(extra []string, stdin string, args ...string) (Result, error) {
	stdout, stderr, code, err := Run(m.Bin, append(slices.Clone(m.Env), extra...), stdin, args...)
	return m.recorded(Result{args, stdout, stderr, code}, err)
}

// LoginNoBrowser runs `makemcp login --no-browser` with args and plays
// the browser: it follows the URL makemcp prints under issuer (an OAuth
// server that needs no login page redirects straight to the callback).
// The outputs go to the leak check; the error says the run hung or the
// URL could not be followed.
func (m *Machine) LoginNoBrowser(issuer string, extra []string, args ...string) (Result, error) {
	stdout, stderr, code, err := LoginNoBrowser(m.Bin, append(slices.Clone(m.Env), extra...), issuer, args...)
	return m.recorded(Result{append([]string{"login", "--no-browser"}, args...), stdout, stderr, code}, err)
}

func (m *Machine) recorded(r Result, err error) (Result, error) {
	m.Record(r)
	if err != nil {
		return r, fmt.Errorf("%v:\n%s", err, r)
	}
	return r, nil
}

// Record hands the outputs of a makemcp run the test made itself to the
// leak check.
func (m *Machine) Record(r Result) { m.Leaks.Run(r.Args, r.Stdout, r.Stderr) }
