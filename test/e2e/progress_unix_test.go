//go:build unix

package e2e

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/makemcp/makemcp/makeapi/makefake"
)

// `makemcp tools call` on a real pseudo-terminal, as a person at a shell
// runs it: a long call shows its MCP progress on one line, erased when
// the answer prints.

// eraseLine is what makemcp writes to take a progress line away.
const eraseLine = "\r\x1b[K"

var progressLine = regexp.MustCompile(regexp.QuoteMeta(eraseLine) + `… scenario 5006 is running \(\d+s\)`)

// A run Make holds 7 s shows one progress line, then the result in its
// place.
func TestToolsCallProgressOnTerminal(t *testing.T) {
	t.Parallel()
	m := newMachine(t, machineOptions{})
	m.Leaks.Secret(makefake.DemoToken)
	m.Make.SetRunDuration(5006, 7*time.Second)
	term := m.OnTerminal(60, []string{"MAKE_API_TOKEN=" + makefake.DemoToken}, "--zone", m.zone(),
		"tools", "call", "--team", "3001", "scenarios_run", `{"scenarioId": 5006, "data": {"quarter": "Q1", "year": 2025}}`)
	if code := term.Wait(); code != 0 {
		t.Fatalf("exit %d:\n%q", code, term.Shown())
	}
	screen := term.Shown()
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
	term := m.OnTerminal(60, nil, "tools", "call", "--demo", "scenarios_run", `{"scenarioId": 5006, "data": {"quarter": "Q1", "year": 2025}}`)
	term.WaitFor(progressLine, 20*time.Second)
	term.Type("\x03") // Ctrl-C
	if code := term.Wait(); code != 1 {
		t.Errorf("exit %d after Ctrl-C, want 1", code)
	}
	screen := term.Shown()
	i := strings.Index(screen, "Error: cancelled before Make answered; the run may go on in Make: find it with executions_list for scenario 5006")
	if i < 0 || !strings.HasSuffix(screen[:i], eraseLine) && !strings.HasSuffix(screen[:i], eraseLine+"^C") {
		t.Errorf("the terminal showed %q; want the progress line erased, then the error", screen)
	}
}
