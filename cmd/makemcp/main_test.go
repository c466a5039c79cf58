package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/makemcp/makemcp/internal/config"
)

// result is what a makemcp invocation printed and returned.
type result struct {
	stdout, stderr string
	code           int
}

// noZone is a zone where nothing answers: port 9 (discard) on this
// machine.
const noZone = "http://127.0.0.1:9"

// runMain runs makemcp in-process with the given environment (nothing is
// inherited from the real one) and stdin.
func runMain(t *testing.T, env map[string]string, stdin string, args ...string) result {
	t.Helper()
	if env == nil {
		env = map[string]string{}
	}
	if _, ok := env["MAKEMCP_CONFIG_DIR"]; !ok {
		env["MAKEMCP_CONFIG_DIR"] = t.TempDir()
	}
	if _, ok := env["MAKEMCP_KNOWN_ZONES"]; !ok {
		// A login that finds its zone asks nobody: tests never reach Make.
		env["MAKEMCP_KNOWN_ZONES"] = noZone
	}
	var out, errOut bytes.Buffer
	f := newFactory(ioStreams{In: strings.NewReader(stdin), Out: &out, Err: &errOut}, func(k string) string { return env[k] })
	code := Main(context.Background(), f, args)
	return result{out.String(), errOut.String(), code}
}

func TestUnknownCommandIsOneLineWithHint(t *testing.T) {
	r := runMain(t, nil, "", "nosuchcmd")
	if r.code == 0 {
		t.Fatal("makemcp nosuchcmd exited 0")
	}
	if r.stdout != "" {
		t.Errorf("stdout = %q, want nothing", r.stdout)
	}
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	if len(lines) != 1 || !strings.HasPrefix(lines[0], "Error: unknown command \"nosuchcmd\"") || !strings.Contains(lines[0], "--help") {
		t.Fatalf("stderr = %q, want one Error: line with a --help hint", r.stderr)
	}
}

func TestUnknownCommandSuggests(t *testing.T) {
	r := runMain(t, nil, "", "versoin")
	if !strings.Contains(r.stderr, "did you mean version?") {
		t.Fatalf("stderr = %q, want a suggestion", r.stderr)
	}
}

func TestBadFlagIsOneLine(t *testing.T) {
	r := runMain(t, nil, "", "version", "--bogus")
	if r.code == 0 || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 || !strings.Contains(r.stderr, "--help") {
		t.Fatalf("got %+v, want exit 1 with one line naming --help", r)
	}
}

func TestVersion(t *testing.T) {
	defer func(v, c, d string) { version, commit, date = v, c, d }(version, commit, date)
	version, commit, date = "v1.2.3", "abc123", "2026-11-27T00:00:00Z"
	r := runMain(t, nil, "", "version")
	for _, want := range []string{"makemcp v1.2.3", "abc123", "2026-11-27T00:00:00Z"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("version output %q lacks %q", r.stdout, want)
		}
	}
	r = runMain(t, nil, "", "--version")
	if !strings.HasPrefix(r.stdout, "makemcp v1.2.3 (commit abc123") {
		t.Errorf("--version = %q", r.stdout)
	}
}

func TestSettingsPrecedence(t *testing.T) {
	dir := t.TempDir()
	f := &config.File{Profiles: map[string]config.Profile{
		"default": {Zone: "us1.make.com", ClientID: "from-file"},
		"work":    {Zone: "eu2.make.com"},
	}}
	if err := f.Save(dir); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		env      map[string]string
		args     []string
		wantZone string
		wantID   string
	}{
		{"config file", nil, nil, "us1.make.com", "from-file"},
		{"variable beats file", map[string]string{"MAKEMCP_ZONE": "eu1.make.com"}, nil, "eu1.make.com", "from-file"},
		{"flag beats variable", map[string]string{"MAKEMCP_ZONE": "eu1.make.com"}, []string{"--zone", "http://127.0.0.1:9"}, "http://127.0.0.1:9", "from-file"},
		{"short name", map[string]string{"MAKEMCP_ZONE": "us2"}, nil, "us2.make.com", "from-file"},
		{"other profile by variable", map[string]string{"MAKEMCP_PROFILE": "work"}, nil, "eu2.make.com", ""},
		{"unknown profile gets defaults", nil, []string{"--profile", "new"}, defaultZone, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{"MAKEMCP_CONFIG_DIR": dir}
			for k, v := range tt.env {
				env[k] = v
			}
			f := newFactory(ioStreams{In: strings.NewReader(""), Out: &bytes.Buffer{}, Err: &bytes.Buffer{}}, func(k string) string { return env[k] })
			root := newRootCmd(f)
			root.SetArgs(append(tt.args, "version"))
			if err := root.Execute(); err != nil {
				t.Fatal(err)
			}
			if s := f.Settings(); s.Zone != tt.wantZone || s.ClientID != tt.wantID {
				t.Fatalf("zone, client = %q, %q; want %q, %q", s.Zone, s.ClientID, tt.wantZone, tt.wantID)
			}
		})
	}
}

func TestBadLogLevel(t *testing.T) {
	r := runMain(t, map[string]string{"MAKEMCP_LOG_LEVEL": "loud"}, "", "version")
	if r.code == 0 || !strings.Contains(r.stderr, "use debug, info, warn or error") {
		t.Fatalf("got %+v", r)
	}
}

// The profile name is checked once, when the global settings are
// resolved, for every command.
func TestBadProfileIsOneLine(t *testing.T) {
	for _, args := range [][]string{{"status"}, {"token"}, {"logout"}, {"login", "--with-token"}, {"tools", "list"}} {
		r := runMain(t, nil, "", append(args, "--profile", "../x")...)
		if r.code != 1 || !strings.HasPrefix(r.stderr, "Error: --profile: ") || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
			t.Errorf("%v --profile ../x: %+v; want one line about --profile", args, r)
		}
	}
}
