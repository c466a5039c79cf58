//go:build linux

package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/makemcp/makemcp/internal/testenv"
	"github.com/makemcp/makemcp/makeapi/makefake"
)

// TestInstallDocManualCheck runs the check docs/install.md asks of macOS
// and Windows testers before a release, here on Linux against the real
// GNOME Keyring and the fake Make, in a terminal as a person would (the
// token typed once echo is off), and checks that every command prints
// what the page shows, <...> standing for what differs between machines.
func TestInstallDocManualCheck(t *testing.T) {
	t.Parallel()
	steps := manualCheckSteps(t)
	m := newMachine(t, machineOptions{keychain: true})
	// The variables the page sets, and the zone of the fake Make.
	env := []string{"MAKEMCP_PROFILE=release-check",
		"MAKEMCP_CONFIG_DIR=" + filepath.Join(m.Dir, "release-check"), "MAKEMCP_ZONE=" + m.zone()}

	for _, s := range steps {
		term := m.OnTerminal(60, env, s.args...)
		if slices.Contains(s.args, "--with-token") {
			term.TypeWhenEchoOff(makefake.DemoToken + "\n")
		}
		code := term.Wait()
		out := strings.ReplaceAll(term.Shown(), "\r\n", "\n")
		if !s.matches(out) {
			t.Errorf("makemcp %s printed\n%s\ndocs/install.md shows\n%s", strings.Join(s.args, " "), out, s.want)
		}
		// The page says which runs end with exit status 1.
		want := 0
		if strings.Contains(s.want, "\nFAIL  ") || strings.HasPrefix(s.want, "Not logged in") {
			want = 1
		}
		if code != want {
			t.Errorf("makemcp %s: exit status %d, want %d", strings.Join(s.args, " "), code, want)
		}
		switch s.args[0] {
		case "login":
			if items := m.KeychainAccounts(); !slices.Contains(items, "release-check") {
				t.Errorf("after login the keychain holds %v, not release-check", items)
			}
		case "logout":
			if items := m.KeychainAccounts(); len(items) != 0 {
				t.Errorf("after logout the keychain holds %v", items)
			}
		}
	}
}

// docStep is one `$ makemcp ...` line of a console block and the output
// shown under it.
type docStep struct {
	args []string
	want string
	re   *regexp.Regexp
}

// placeholder is a <...> in the page's output.
var placeholder = regexp.MustCompile(`<[^>]+>`)

// matches compares output with the page: line by line, trailing spaces
// aside; a <...> within a line stands for any text, and a line that is
// only a <...> for one or more lines.
func (s docStep) matches(out string) bool {
	return s.re.MatchString(trimLines(out))
}

func trimLines(s string) string {
	var b strings.Builder
	for line := range strings.Lines(s) {
		b.WriteString(strings.TrimRight(line, " \t\r\n") + "\n")
	}
	return b.String()
}

func compileStep(want string) *regexp.Regexp {
	var expr strings.Builder
	expr.WriteString(`\A`)
	for line := range strings.Lines(trimLines(want)) {
		line = strings.TrimSuffix(line, "\n")
		if placeholder.FindString(line) == line {
			expr.WriteString(`(?:[^\n]*\n)+?`)
			continue
		}
		literal := placeholder.Split(line, -1)
		for i := range literal {
			literal[i] = regexp.QuoteMeta(literal[i])
		}
		expr.WriteString(strings.Join(literal, `[^\n]+?`) + `\n`)
	}
	expr.WriteString(`\z`)
	return regexp.MustCompile(expr.String())
}

// manualCheckSteps reads the console block of the page's manual check.
func manualCheckSteps(t *testing.T) []docStep {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(testenv.RepoRoot(), "docs", "install.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(data), "\n## Checking a macOS or Windows build by hand\n")
	if !ok {
		t.Fatal("docs/install.md has no section \"Checking a macOS or Windows build by hand\"")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	_, block, ok := strings.Cut(section, "\n```console\n")
	if !ok {
		t.Fatal("the manual check has no console block")
	}
	block, _, _ = strings.Cut(block, "\n```")
	var steps []docStep
	for line := range strings.Lines(block + "\n") {
		if cmd, ok := strings.CutPrefix(line, "$ makemcp "); ok {
			steps = append(steps, docStep{args: strings.Fields(cmd)})
		} else if len(steps) > 0 {
			steps[len(steps)-1].want += line
		}
	}
	for i := range steps {
		steps[i].re = compileStep(steps[i].want)
	}
	var commands []string
	for _, s := range steps {
		commands = append(commands, strings.Join(s.args, " "))
	}
	// The check the page promises: doctor, a token login, status, logout.
	for _, c := range []string{"doctor", "login --with-token", "status", "logout"} {
		if !slices.Contains(commands, c) {
			t.Errorf("the manual check does not run makemcp %s: %v", c, commands)
		}
	}
	return steps
}
