//go:build unix

package e2e

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/makemcp/makemcp/makeapi/makefake"
)

// `makemcp tools call` on a real pseudo-terminal, as a person at a shell
// runs it: a long call shows its MCP progress on one line, erased when
// the answer prints.

// eraseLine is what makemcp writes to take a progress line away.
const eraseLine = "\r\x1b[K"

// terminal is makemcp running on a pseudo-terminal, and all it showed.
type terminal struct {
	t      testing.TB
	pty    *os.File
	cmd    *exec.Cmd
	mu     sync.Mutex
	screen strings.Builder
	exited chan struct{}
}

func (m *machine) onTerminal(env []string, args ...string) *terminal {
	m.T.Helper()
	cmd := exec.Command(m.Bin, args...)
	cmd.Env = append(slices.Clone(m.Env), env...)
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 24, Cols: 60})
	if err != nil {
		m.T.Skipf("no pseudo-terminal here: %v", err)
	}
	term := &terminal{t: m.T, pty: f, cmd: cmd, exited: make(chan struct{})}
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := f.Read(buf)
			term.mu.Lock()
			term.screen.Write(buf[:n])
			term.mu.Unlock()
			if err != nil {
				break
			}
		}
		cmd.Wait()
		close(term.exited)
	}()
	m.T.Cleanup(func() {
		cmd.Process.Kill()
		<-term.exited
		f.Close()
		m.Leaks.Output("makemcp "+strings.Join(args, " ")+" (terminal)", term.shown())
	})
	return term
}

func (term *terminal) shown() string {
	term.mu.Lock()
	defer term.mu.Unlock()
	return term.screen.String()
}

// waitFor waits until the terminal shows what matches re.
func (term *terminal) waitFor(re *regexp.Regexp, within time.Duration) {
	term.t.Helper()
	deadline := time.After(within)
	for !re.MatchString(term.shown()) {
		select {
		case <-deadline:
			term.t.Fatalf("the terminal did not show %s within %s:\n%q", re, within, term.shown())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func (term *terminal) wait() int {
	term.t.Helper()
	select {
	case <-term.exited:
	case <-time.After(60 * time.Second):
		term.t.Fatalf("makemcp did not exit within 60 s:\n%q", term.shown())
	}
	var exit *exec.ExitError
	if err := term.cmd.Wait(); errors.As(err, &exit) {
		return exit.ExitCode()
	}
	return term.cmd.ProcessState.ExitCode()
}

var progressLine = regexp.MustCompile(regexp.QuoteMeta(eraseLine) + `… scenario 5006 is running \(\d+s\)`)

// A run Make holds 7 s shows one progress line, then the result in its
// place.
func TestToolsCallProgressOnTerminal(t *testing.T) {
	t.Parallel()
	m := newMachine(t, machineOptions{})
	m.Leaks.Secret(makefake.DemoToken)
	m.Make.SetRunDuration(5006, 7*time.Second)
	term := m.onTerminal([]string{"MAKE_API_TOKEN=" + makefake.DemoToken}, "--zone", m.zone(),
		"tools", "call", "--team", "3001", "scenarios_run", `{"scenarioId": 5006, "data": {"quarter": "Q1", "year": 2025}}`)
	if code := term.wait(); code != 0 {
		t.Fatalf("exit %d:\n%q", code, term.shown())
	}
	screen := term.shown()
	shown := progressLine.FindStringIndex(screen)
	result := strings.Index(screen, "{\r\n")
	if shown == nil || result < 0 || !strings.HasSuffix(screen[:result], eraseLine) || strings.LastIndex(screen[:result], eraseLine) < shown[1] {
		t.Fatalf("the terminal showed %q; want a progress line, erased, then the result", screen)
	}
	for _, line := range strings.Split(screen[:result], eraseLine) {
		if n := len([]rune(line)); n > 60 {
			t.Errorf("the progress line %q is wider than the terminal's 60 columns", line)
		}
	}
	if !strings.Contains(screen[result:], `"reportUrl": "https://reports.example.com/2025-Q1.pdf"`) {
		t.Errorf("the result: %q", screen[result:])
	}
}

// The demo's slow scenario, interrupted with Ctrl-C at its first progress
// line: the line goes, and the answer says where the run went on.
func TestToolsCallInterruptedOnTerminal(t *testing.T) {
	t.Parallel()
	m := newMachine(t, machineOptions{})
	term := m.onTerminal(nil, "tools", "call", "--demo", "scenarios_run", `{"scenarioId": 5006, "data": {"quarter": "Q1", "year": 2025}}`)
	term.waitFor(progressLine, 20*time.Second)
	if _, err := io.WriteString(term.pty, "\x03"); err != nil { // Ctrl-C
		t.Fatal(err)
	}
	if code := term.wait(); code != 1 {
		t.Errorf("exit %d after Ctrl-C, want 1", code)
	}
	screen := term.shown()
	i := strings.Index(screen, "Error: cancelled before Make answered; the run may go on in Make: find it with executions_list for scenario 5006")
	if i < 0 || !strings.HasSuffix(screen[:i], eraseLine) && !strings.HasSuffix(screen[:i], eraseLine+"^C") {
		t.Errorf("the terminal showed %q; want the progress line erased, then the error", screen)
	}
}
