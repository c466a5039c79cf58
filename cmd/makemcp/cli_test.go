package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/makemcp/makemcp/keychain"
	"github.com/makemcp/makemcp/makeapi/makefake"
)

// Every mistake in a command line is one line that says what the command
// wants, with an example, and exit status 2.
func TestUsageErrorsSayWhatIsWanted(t *testing.T) {
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"tools", "call"}, []string{"makemcp tools call wants NAME [ARGUMENTS-JSON|-|@FILE]", "for example makemcp tools call users_me"}},
		{[]string{"tools", "call", "a", "b", "c"}, []string{"makemcp tools call wants NAME"}},
		{[]string{"client-config"}, []string{"makemcp client-config wants HOST", "for example makemcp client-config claude-desktop"}},
		{[]string{"resources", "read"}, []string{"makemcp resources read wants URI", "for example makemcp resources read --demo make://scenarios/5001/blueprint"}},
		{[]string{"status", "extra"}, []string{"makemcp status takes no arguments", "for example makemcp status"}},
		{[]string{"serve", "--team", "abc"}, []string{"--team wants a whole number", "for example makemcp serve --team 123", "makemcp serve --help"}},
		{[]string{"serve", "--team"}, []string{"--team needs a value", "for example makemcp serve --team 123"}},
		{[]string{"serve", "--read-only=maybe"}, []string{"--read-only wants true or false"}},
		{[]string{"version", "--bogus"}, []string{"unknown flag: --bogus", "makemcp version --help"}},
		{[]string{"completion", "tcsh"}, []string{`not "tcsh"`, "bash", "zsh", "fish", "powershell", "for example makemcp completion bash"}},
		{[]string{"tools", "bogus"}, []string{`unknown command "bogus" for "makemcp tools"`}},
		{[]string{"resources", "bogus"}, []string{`unknown command "bogus" for "makemcp resources"`}},
		{[]string{"nosuchcmd"}, []string{`unknown command "nosuchcmd"`}},
		{[]string{"login", "x"}, []string{"login takes no arguments", "--with-token"}},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			r := runMain(t, nil, "", tc.args...)
			if r.code != 2 || r.stdout != "" {
				t.Errorf("exit %d, stdout %q; want exit 2 and nothing on stdout", r.code, r.stdout)
			}
			if !strings.HasPrefix(r.stderr, "Error: ") || strings.Count(r.stderr, "\n") != 1 {
				t.Errorf("stderr %q, want one Error: line", r.stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr %q does not say %q", r.stderr, w)
				}
			}
			if strings.Contains(r.stderr, "arg(s)") {
				t.Errorf("stderr %q is cobra's bare message", r.stderr)
			}
		})
	}
}

// A value typed in the wrong place may be a secret: errors do not repeat it.
func TestUsageErrorsDoNotRepeatValues(t *testing.T) {
	const secret = "0123456789abcdef-secret"
	for _, args := range [][]string{
		{"serve", "--team", secret},
		{"status", secret},
		{"login", secret},
		{"tools", "list", secret},
	} {
		r := runMain(t, nil, "", args...)
		if r.code != 2 || strings.Contains(r.stderr, secret) {
			t.Errorf("makemcp %s: exit %d, stderr %q", strings.Join(args, " "), r.code, r.stderr)
		}
	}
}

func TestCompletionKnownShell(t *testing.T) {
	r := runMain(t, nil, "", "completion", "bash")
	if r.code != 0 || !strings.Contains(r.stdout, "bash completion") {
		t.Fatalf("completion bash: %+v", r)
	}
}

// A tool outside the toolsets served is not "unknown": the error names
// the toolset that has it and the flag that adds it, and that flag works.
func TestToolsCallNamesTheToolsetOfAToolNotServed(t *testing.T) {
	r := runMain(t, nil, "", "tools", "call", "--demo", "hooks_list")
	if r.code != 2 || !strings.Contains(r.stderr, `hooks_list is in the toolset "hooks"`) ||
		!strings.Contains(r.stderr, "--toolsets default,hooks") || !strings.Contains(r.stderr, "--tools hooks_list") {
		t.Fatalf("hooks_list without its toolset: %+v", r)
	}
	if r := runMain(t, nil, "", "tools", "call", "--demo", "--toolsets", "default,hooks", "hooks_list"); r.code != 0 || !strings.Contains(r.stdout, `"items"`) {
		t.Fatalf("with the flag the error named: %+v", r)
	}
	if r := runMain(t, nil, "", "tools", "call", "--demo", "--toolsets", "scenarios", "hooks_list"); !strings.Contains(r.stderr, "--toolsets scenarios,hooks") {
		t.Errorf("with --toolsets scenarios: %+v", r)
	}
	if r := runMain(t, nil, "", "tools", "call", "--demo", "--read-only", "scenarios_run"); r.code != 2 || !strings.Contains(r.stderr, "--read-only") {
		t.Errorf("a write tool with --read-only: %+v", r)
	}
	if r := runMain(t, nil, "", "tools", "call", "--demo", "nosuch"); r.code != 2 || !strings.Contains(r.stderr, `makemcp has no tool "nosuch"`) {
		t.Errorf("an unknown tool: %+v", r)
	}
	if r := runMain(t, nil, "", "tools", "call", "--demo", "run_scenario_5001"); r.code != 2 || !strings.Contains(r.stderr, "--scenario-tools") {
		t.Errorf("a scenario tool without --scenario-tools: %+v", r)
	}
}

// bigBlueprintArgs are scenarios_create's arguments with a blueprint of
// about 2 MB, more than a command line may hold.
func bigBlueprintArgs() string {
	big := strings.Repeat("x", 2<<20)
	return `{"scheduling": {"type": "on-demand"}, "blueprint": {"name": "Big one", "flow": [{"id": 1, "module": "json:ParseJSON", "version": 1, "mapper": {"json": "` +
		big + `"}}], "metadata": {}}}`
}

// Arguments come from standard input (-) or a file (@FILE) too.
func TestToolsCallArgumentsFromStdinAndFile(t *testing.T) {
	f := fakeMake(t)
	env := func() map[string]string {
		return map[string]string{"MAKE_API_TOKEN": makefake.DemoToken, "MAKEMCP_ZONE": f.Zone(), "MAKEMCP_TEAM": "3001", "MAKEMCP_ORG": "2001"}
	}
	args := bigBlueprintArgs()
	file := filepath.Join(t.TempDir(), "args.json")
	if err := os.WriteFile(file, []byte(args), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, stdin, arg string }{
		{"stdin", args, "-"},
		{"file", "", "@" + file},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f.ResetRequests()
			r := runMain(t, env(), tc.stdin, "tools", "call", "--tools", "scenarios_create", "scenarios_create", tc.arg)
			if r.code != 0 || !strings.Contains(r.stdout, `"name": "Big one"`) {
				t.Fatalf("scenarios_create with a 2 MB blueprint from %s: exit %d, stderr %s", tc.name, r.code, r.stderr)
			}
			sent := false
			for _, req := range f.Requests() {
				sent = sent || req.Method == "POST" && req.Path == "/api/v2/scenarios" && len(req.Body) > 2<<20
			}
			if !sent {
				t.Error("Make did not receive the whole blueprint")
			}
		})
	}

	for _, tc := range []struct{ name, stdin, arg, want string }{
		{"empty stdin", "", "-", "standard input must be one JSON object"},
		{"an array", "[1]", "-", "must be one JSON object"},
		{"two objects", "{} {}", "-", "more than one JSON value"},
		{"null", "null", "-", "must be one JSON object"},
		{"missing file", "", "@" + filepath.Join(t.TempDir(), "none.json"), "read the arguments from"},
		{"bad inline", "", `{"limit":`, "the arguments must be one JSON object"},
	} {
		r := runMain(t, env(), tc.stdin, "tools", "call", "scenarios_list", tc.arg)
		if r.code != 1 || !strings.Contains(r.stderr, tc.want) || strings.Count(r.stderr, "\n") != 1 {
			t.Errorf("%s: %+v, want one error line saying %q", tc.name, r, tc.want)
		}
	}
}

// Large ids survive the trip through the arguments unrounded.
func TestReadArgumentsKeepsNumbers(t *testing.T) {
	got, err := readArguments(nil, []string{`{"id": 9007199254740993}`})
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := json.Marshal(got); string(b) != `{"id":9007199254740993}` {
		t.Errorf("arguments re-encode as %s", b)
	}
}

func TestResourcesListAndRead(t *testing.T) {
	r := runMain(t, nil, "", "resources", "list", "--demo")
	if r.code != 0 || !strings.Contains(r.stdout, "make://scenarios/{scenarioId}/blueprint") || !strings.Contains(r.stdout, "make://scenarios/{scenarioId}/executions/{executionId}") {
		t.Fatalf("resources list: %+v", r)
	}
	r = runMain(t, nil, "", "resources", "list", "--demo", "--json")
	var list struct {
		ResourceTemplates []struct{ URITemplate string }
	}
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &list) != nil || len(list.ResourceTemplates) != 2 {
		t.Fatalf("resources list --json: %+v", r)
	}

	r = runMain(t, nil, "", "resources", "read", "--demo", "make://scenarios/5001/blueprint")
	var bp struct {
		Name string
		Flow []json.RawMessage
	}
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &bp) != nil || len(bp.Flow) == 0 || !strings.HasPrefix(r.stdout, "{\n  ") {
		t.Fatalf("resources read: %+v; want the blueprint, indented", r)
	}
	r = runMain(t, nil, "", "resources", "read", "--demo", "make://scenarios/424242/blueprint")
	if r.code != 1 || !strings.HasPrefix(r.stderr, "Error: read make://scenarios/424242/blueprint: ") || strings.Contains(r.stderr, "calling") {
		t.Errorf("resources read of a missing scenario: %+v", r)
	}
}

// A tool result that names a resource leads somewhere from a shell: read
// the resource it names.
func TestResourcesReadWhatAResultNames(t *testing.T) {
	r := runMain(t, nil, "", "tools", "call", "--demo", "executions_list", `{"scenarioId": 5003, "limit": 1}`)
	var page struct{ Items []struct{ ID string } }
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &page) != nil || len(page.Items) != 1 {
		t.Fatalf("executions_list: %+v", r)
	}
	r = runMain(t, nil, "", "resources", "read", "--demo", "make://scenarios/5003/executions/"+page.Items[0].ID)
	if r.code != 0 || !strings.Contains(r.stdout, `"status"`) {
		t.Fatalf("resources read of an execution: %+v", r)
	}
}

// status --json speaks JSON when it fails too.
func TestStatusJSONErrorIsJSON(t *testing.T) {
	for _, asJSON := range []bool{true, false} {
		var out, errOut bytes.Buffer
		env := map[string]string{"MAKEMCP_CONFIG_DIR": t.TempDir()}
		f := newFactory(ioStreams{In: strings.NewReader(""), Out: &out, Err: &errOut}, func(k string) string { return env[k] })
		f.Keyring = func(time.Duration) keychain.Store { return &brokenStore{} }
		args := []string{"status"}
		if asJSON {
			args = append(args, "--json")
		}
		code := Main(context.Background(), f, args)
		if code != 1 {
			t.Errorf("%v: exit %d, want 1", args, code)
		}
		if !asJSON {
			if !strings.HasPrefix(errOut.String(), "Error: OS keychain unavailable") {
				t.Errorf("status: stderr %q", errOut.String())
			}
			continue
		}
		var v struct{ Error string }
		dec := json.NewDecoder(&out)
		if err := dec.Decode(&v); err != nil || !strings.Contains(v.Error, "OS keychain unavailable") || !strings.Contains(v.Error, "--insecure-storage") {
			t.Errorf("status --json printed %q (%v), want {\"error\": ...}", out.String(), err)
		}
		if _, err := dec.Token(); err != io.EOF {
			t.Errorf("status --json printed more than one JSON value: %q", out.String())
		}
	}
}

// On a terminal, tools call shows the call's progress on one line of
// stderr and erases it before the result prints; elsewhere it shows none.
func TestToolsCallShowsProgressOnATerminal(t *testing.T) {
	var screen syncBuffer // what a terminal shows: stdout and stderr both
	was := terminalWidth
	t.Cleanup(func() { terminalWidth = was }) // after the parallel subtests
	terminalWidth = func(w io.Writer) (int, bool) { return 40, w == &screen }

	run := func(t *testing.T, out, errOut io.Writer) int {
		f := fakeMake(t)
		// Make holds a run 40 s before it answers; progress comes every 5 s.
		f.SetRunDuration(5006, 6*time.Second)
		env := map[string]string{"MAKEMCP_CONFIG_DIR": t.TempDir(), "MAKE_API_TOKEN": makefake.DemoToken, "MAKEMCP_ZONE": f.Zone(), "MAKEMCP_TEAM": "3001", "MAKEMCP_ORG": "2001"}
		return Main(context.Background(), newFactory(ioStreams{In: strings.NewReader(""), Out: out, Err: errOut}, func(k string) string { return env[k] }), []string{"tools", "call", "scenarios_run", `{"scenarioId": 5006, "data": {"quarter": "Q1", "year": 2025}}`})
	}
	t.Run("terminal", func(t *testing.T) {
		t.Parallel()
		if code := run(t, &screen, &screen); code != 0 {
			t.Fatalf("exit %d: %q", code, screen.String())
		}
		got := screen.String()
		shown := strings.Index(got, eraseLine+"… scenario 5006 is running (5s)")
		erased := strings.LastIndex(got, eraseLine)
		result := strings.Index(got, "{\n")
		if shown < 0 || erased <= shown || result != erased+len(eraseLine) {
			t.Fatalf("the terminal got %q; want a progress line, erased, then the result", got)
		}
		for _, line := range strings.Split(got[:erased], eraseLine) {
			if n := len([]rune(line)); n > 40 {
				t.Errorf("progress %q is %d columns, wider than the terminal's 40", line, n)
			}
		}
	})
	t.Run("not a terminal", func(t *testing.T) {
		t.Parallel()
		var out, errOut syncBuffer
		if code := run(t, &out, &errOut); code != 0 {
			t.Fatalf("exit %d: %s", code, errOut.String())
		}
		if errOut.String() != "" || !strings.HasPrefix(out.String(), "{\n") {
			t.Errorf("stdout %q, stderr %q; want the result alone", out.String(), errOut.String())
		}
	})
}

// A log file someone else could read becomes the owner's alone.
func TestLogFileIsPrivate(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows has no group and other permission bits")
	}
	log := filepath.Join(t.TempDir(), "makemcp.log")
	if err := os.WriteFile(log, []byte("earlier\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chmod(log, 0o644) // whatever the umask
	if r := runMain(t, nil, "", "--log-file", log, "--log-level", "debug", "version"); r.code != 0 {
		t.Fatalf("version: %+v", r)
	}
	if fi, _ := os.Stat(log); fi.Mode().Perm() != 0o600 {
		t.Errorf("an existing --log-file has mode %v, want 0600", fi.Mode().Perm())
	}
	if b, _ := os.ReadFile(log); !strings.HasPrefix(string(b), "earlier\n") {
		t.Errorf("the log lost what it held: %q", b)
	}
	// A device is not a file to tighten.
	before, err := os.Stat(os.DevNull)
	if err != nil {
		t.Skip(err)
	}
	if r := runMain(t, nil, "", "--log-file", os.DevNull, "version"); r.code != 0 {
		t.Fatalf("--log-file %s: %+v", os.DevNull, r)
	}
	if after, _ := os.Stat(os.DevNull); after.Mode() != before.Mode() {
		t.Errorf("%s changed mode to %v", os.DevNull, after.Mode())
	}
}
