//go:build linux

// These tests drive the built binary on a pseudo-terminal, as a person at
// a shell, with a private gnome-keyring.

package main

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/makemcp/makemcp/internal/config"
	"github.com/makemcp/makemcp/internal/testenv"
	"github.com/makemcp/makemcp/makeapi/makefake"
)

// firstDay is a new user's machine: the built binary, a private
// gnome-keyring, no OAuth client, and several fake Make zones, which are
// the zones login knows (MAKEMCP_KNOWN_ZONES). None of them knows a token
// until the test says so.
func firstDay(t *testing.T, n int) (*testenv.Machine, []*makefake.Server) {
	t.Helper()
	fakes := zones(t, n)
	m := testenv.NewMachine(t, testenv.MachineOptions{Keychain: true,
		Env: []string{"MAKEMCP_KNOWN_ZONES=" + strings.Join(zoneURLs(fakes), " ")}})
	return m, fakes
}

// shows waits until the terminal shows text.
func shows(term *testenv.Terminal, text string) {
	term.WaitFor(regexp.MustCompile(regexp.QuoteMeta(text)), 30*time.Second)
}

func checkShown(t *testing.T, term *testenv.Terminal, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(term.Shown(), w) {
			t.Errorf("the terminal did not show %q:\n%s", w, term.Shown())
		}
	}
}

// A new user with no OAuth client runs makemcp login at a terminal: it
// says why it takes a token, where to create it and which scopes to tick,
// reads the pasted token without showing it, finds the zone that knows
// it among several, and stores it in the keychain.
func TestLoginOnTerminalWithoutClient(t *testing.T) {
	t.Parallel()
	m, fakes := firstDay(t, 3)
	home := fakes[2]
	home.AddToken(makefake.DemoToken, makefake.APIToken, makefake.AllScopes...)

	term := m.OnTerminal(200, nil, "login")
	term.TypeWhenEchoOff(makefake.DemoToken + "\r")
	if code := term.Wait(); code != 0 {
		t.Fatalf("login exited %d:\n%s", code, term.Shown())
	}
	checkShown(t, term,
		noClientLine,
		"https://eu1.make.com/user/api",
		"Tick the scopes of the default tools: dlqs:read dlqs:write organizations:read scenarios:read scenarios:run scenarios:write teams:read\r\n",
		"For every tool (serve --toolsets all), tick all of: "+allToolScopes()+"\r\n",
		"Paste the token (it does not show), then press Enter: ",
		"Found your Make account on "+zoneHost(home.Zone())+".",
		"Logged in to "+zoneHost(home.Zone())+" as Dana Demo (dana@example.com), profile \"default\", credential in the OS keychain.")
	if strings.Contains(term.Shown(), makefake.DemoToken) {
		t.Error("the terminal showed the pasted token")
	}

	c, err := m.KeychainCredential("default")
	if err != nil || c == nil || c.AccessToken != makefake.DemoToken || c.Zone != home.Zone() || !slices.Contains(c.Scopes, "teams:read") {
		t.Errorf("the keychain holds %+v (%v); want the pasted token, for the zone found", c, err)
	}
	file, err := config.Load(m.Dir)
	if err != nil {
		t.Fatal(err)
	}
	if p := file.Profiles["default"]; p.Zone != home.Zone() || p.Team != 3001 || p.Storage != "keychain" {
		t.Errorf("profile %+v", p)
	}
}

// A token without organizations:read and teams:read is accepted with a
// warning for each; the default team is asked for, and the tools then
// work without ids.
func TestLoginOnTerminalNarrowToken(t *testing.T) {
	t.Parallel()
	m, fakes := firstDay(t, 2)
	home := fakes[0]
	home.AddToken(narrowToken, makefake.APIToken, "scenarios:read", "scenarios:write", "scenarios:run")
	m.Leaks.Secret(narrowToken)

	term := m.OnTerminal(200, nil, "login")
	term.TypeWhenEchoOff(narrowToken + "\r")
	shows(term, "Default team for tools (its id; Enter for none): ")
	checkShown(t, term,
		"Warning: the token lacks organizations:read: makemcp cannot list your organizations",
		"serve leaves out organizations_list, organizations_get",
		"Warning: the token lacks teams:read: makemcp cannot list teams",
		"serve leaves out teams_list, teams_get")
	term.Type("3001\r")
	if code := term.Wait(); code != 0 {
		t.Fatalf("login exited %d:\n%s", code, term.Shown())
	}
	checkShown(t, term, "Logged in to "+zoneHost(home.Zone()))
	if c, err := m.KeychainCredential("default"); err != nil || c == nil || c.AccessToken != narrowToken || c.Zone != home.Zone() {
		t.Errorf("the keychain holds %+v (%v); want the narrow token", c, err)
	}

	r, err := m.Run(nil, "", "tools", "call", "scenarios_list")
	if err != nil || r.Code != 0 {
		t.Fatalf("tools call scenarios_list after the login: %v\n%s", err, r)
	}
	var page struct{ Items []struct{ TeamID int64 } }
	if json.Unmarshal([]byte(r.Stdout), &page) != nil || len(page.Items) == 0 || page.Items[0].TeamID != 3001 {
		t.Errorf("scenarios_list: %s", r.Stdout)
	}
}

// Not on a terminal, login without a client still says what to do, on
// one line, and asks nothing.
func TestLoginWithoutClientOrTerminal(t *testing.T) {
	t.Parallel()
	m, _ := firstDay(t, 1)
	r, err := m.Run(nil, "", "login")
	if err != nil || r.Code != 1 || r.Stdout != "" || strings.Count(r.Stderr, "\n") != 1 ||
		!strings.HasPrefix(r.Stderr, "Error: no OAuth client ID") || !strings.Contains(r.Stderr, "--with-token") {
		t.Errorf("login from a pipe without a client: %v\n%s", err, r)
	}
}
