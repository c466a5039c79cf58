//go:build unix

// These tests drive the built binary on a pseudo-terminal, as a person at
// a shell, and need the Secret Service.

package main

import (
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/makemcp/makemcp/internal/config"
	"github.com/makemcp/makemcp/internal/testenv"
	"github.com/makemcp/makemcp/makeapi/makefake"
)

// terminalDesk is a first-day user's machine: the built binary, a private
// gnome-keyring, no OAuth client, and several fake Make zones, which are
// the zones login knows (MAKEMCP_KNOWN_ZONES).
type terminalDesk struct {
	t     *testing.T
	bin   string
	env   []string
	dir   string
	zones []*makefake.Server
	leaks *testenv.LeakCheck
}

func newTerminalDesk(t *testing.T, n int) *terminalDesk {
	t.Helper()
	d := &terminalDesk{t: t, bin: testenv.Makemcp(t), dir: t.TempDir()}
	keys := testenv.StartSecretService(t)
	d.zones = zones(t, n)
	d.env = append(testenv.ChildEnv(), "DBUS_SESSION_BUS_ADDRESS="+keys.BusAddress, "XDG_CACHE_HOME="+t.TempDir(),
		"MAKEMCP_CONFIG_DIR="+d.dir, "MAKEMCP_KNOWN_ZONES="+strings.Join(zoneURLs(d.zones), " "))
	d.leaks = testenv.NewLeakCheck(t, d.dir)
	return d
}

// screen is makemcp running on a pseudo-terminal, and all it showed.
type screen struct {
	t      *testing.T
	pty    *os.File
	cmd    *exec.Cmd
	mu     sync.Mutex
	shown  strings.Builder
	exited chan struct{}
}

func (d *terminalDesk) onTerminal(args ...string) *screen {
	d.t.Helper()
	cmd := exec.Command(d.bin, args...)
	cmd.Env = slices.Clone(d.env)
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 200})
	if err != nil {
		d.t.Skipf("no pseudo-terminal here: %v", err)
	}
	s := &screen{t: d.t, pty: f, cmd: cmd, exited: make(chan struct{})}
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := f.Read(buf)
			s.mu.Lock()
			s.shown.Write(buf[:n])
			s.mu.Unlock()
			if err != nil {
				break
			}
		}
		cmd.Wait()
		close(s.exited)
	}()
	d.t.Cleanup(func() {
		cmd.Process.Kill()
		<-s.exited
		f.Close()
		d.leaks.Output("makemcp "+strings.Join(args, " ")+" (terminal)", s.text())
	})
	return s
}

func (s *screen) text() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.shown.String()
}

// waitFor waits until the screen shows want.
func (s *screen) waitFor(want string) {
	s.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(s.text(), want) {
		if time.Now().After(deadline) {
			s.t.Fatalf("the terminal did not show %q within 30 s:\n%s", want, s.text())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// typeLine types text and Enter.
func (s *screen) typeLine(text string) {
	s.t.Helper()
	if _, err := io.WriteString(s.pty, text+"\r"); err != nil {
		s.t.Fatal(err)
	}
}

func (s *screen) wait() int {
	s.t.Helper()
	select {
	case <-s.exited:
	case <-time.After(60 * time.Second):
		s.t.Fatalf("makemcp did not exit within 60 s:\n%s", s.text())
	}
	var exit *exec.ExitError
	if err := s.cmd.Wait(); errors.As(err, &exit) {
		return exit.ExitCode()
	}
	return s.cmd.ProcessState.ExitCode()
}

func (d *terminalDesk) checkShows(screen string, want ...string) {
	d.t.Helper()
	for _, w := range want {
		if !strings.Contains(screen, w) {
			d.t.Errorf("the terminal did not show %q:\n%s", w, screen)
		}
	}
}

// A new user with no OAuth client runs makemcp login at a terminal: it
// says why it takes a token, where to create it and which scopes to tick,
// reads the pasted token without showing it, finds the zone that knows
// it among several, and stores it in the keychain.
func TestLoginOnTerminalWithoutClient(t *testing.T) {
	t.Parallel()
	d := newTerminalDesk(t, 3)
	home := d.zones[2]
	home.AddToken(makefake.DemoToken, makefake.APIToken, makefake.AllScopes...)
	d.leaks.Secret(makefake.DemoToken)

	s := d.onTerminal("login")
	s.waitFor("Paste the token")
	d.checkShows(s.text(),
		noClientLine,
		"https://eu1.make.com/user/api",
		"Tick the scopes of the default tools: dlqs:read dlqs:write organizations:read scenarios:read scenarios:run scenarios:write teams:read\r\n",
		"For every tool (serve --toolsets all), tick all of: "+allToolScopes()+"\r\n")
	s.typeLine(makefake.DemoToken)
	if code := s.wait(); code != 0 {
		t.Fatalf("login exited %d:\n%s", code, s.text())
	}
	d.checkShows(s.text(),
		"Found your Make account on "+zoneHost(home.Zone())+".",
		"Logged in to "+zoneHost(home.Zone())+" as Dana Demo (dana@example.com), profile \"default\", credential in the OS keychain.")
	if strings.Contains(s.text(), makefake.DemoToken) {
		t.Error("the terminal showed the pasted token")
	}

	c := keychainCredential(t, d.env)
	if c.AccessToken != makefake.DemoToken || c.Zone != home.Zone() || !slices.Contains(c.Scopes, "teams:read") {
		t.Errorf("the keychain holds %v; want the pasted token, for the zone found", c)
	}
	file, err := config.Load(d.dir)
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
	d := newTerminalDesk(t, 2)
	home := d.zones[0]
	home.AddToken(narrowToken, makefake.APIToken, "scenarios:read", "scenarios:write", "scenarios:run")
	d.leaks.Secret(narrowToken)

	s := d.onTerminal("login")
	s.waitFor("Paste the token")
	s.typeLine(narrowToken)
	s.waitFor("Default team for tools")
	d.checkShows(s.text(),
		"Warning: the token lacks organizations:read: makemcp cannot list your organizations",
		"Warning: the token lacks teams:read: makemcp cannot list teams",
		"serve leaves out teams_list, teams_get")
	s.typeLine("3001")
	if code := s.wait(); code != 0 {
		t.Fatalf("login exited %d:\n%s", code, s.text())
	}
	d.checkShows(s.text(), "Logged in to "+zoneHost(home.Zone()))
	if c := keychainCredential(t, d.env); c.AccessToken != narrowToken || c.Zone != home.Zone() {
		t.Errorf("the keychain holds %v; want the narrow token", c)
	}

	// The zone login found is a host the user named through
	// MAKEMCP_KNOWN_ZONES, so later commands may send the token there.
	stdout, stderr, code, err := testenv.Run(d.bin, d.env, "", "tools", "call", "scenarios_list")
	d.leaks.Run([]string{"tools", "call", "scenarios_list"}, stdout, stderr)
	if err != nil || code != 0 {
		t.Fatalf("tools call scenarios_list after the login: exit %d, %v\n%s", code, err, stderr)
	}
	var page struct{ Items []struct{ TeamID int64 } }
	if json.Unmarshal([]byte(stdout), &page) != nil || len(page.Items) == 0 || page.Items[0].TeamID != 3001 {
		t.Errorf("scenarios_list: %s", stdout)
	}
}

// Not on a terminal, login without a client still says what to do, on
// one line, and asks nothing.
func TestLoginWithoutClientOrTerminal(t *testing.T) {
	t.Parallel()
	d := newTerminalDesk(t, 1)
	stdout, stderr, code, err := testenv.Run(d.bin, d.env, "", "login")
	if err != nil || code != 1 || stdout != "" || strings.Count(stderr, "\n") != 1 ||
		!strings.HasPrefix(stderr, "Error: no OAuth client ID") || !strings.Contains(stderr, "--with-token") {
		t.Errorf("login from a pipe without a client: exit %d, %v, stderr %q", code, err, stderr)
	}
}
