package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/makemcp/makemcp/internal/testenv"
	"github.com/makemcp/makemcp/makeapi/makefake"
)

// distEnv names a folder of bundles to check, such as goreleaser's dist/;
// without it the test checks a bundle of this platform that it packs
// itself.
const distEnv = "MAKEMCP_MCPB_DIST"

// releasePlatforms are the bundles a release has (see .goreleaser.yaml).
var releasePlatforms = []string{"darwin-amd64", "darwin-arm64", "linux-amd64", "linux-arm64", "windows-amd64", "windows-arm64"}

// TestBundles checks bundles the way an MCPB host sees them, with the
// official mcpb CLI (npm @anthropic-ai/mcpb): the manifest template and
// every bundle's manifest validate, every bundle reads (mcpb info) and
// unpacks. Then it starts the binary unpacked from this platform's bundle
// with the manifest's own command, arguments and environment, settings
// filled in as a host would, and drives it over stdio with the official
// TypeScript MCP SDK client.
func TestBundles(t *testing.T) {
	cli := newMCPBCLI(t)

	t.Run("template", func(t *testing.T) {
		cli.validate(t, "manifest.json")
		m, err := loadManifest()
		if err != nil {
			t.Fatal(err)
		}
		// The version the CLI writes into new manifests: hosts that
		// support bundles at all read it.
		if want := cli.defaultManifestVersion(t); m.ManifestVersion != want {
			t.Errorf("manifest_version %q, but the mcpb CLI's current one is %q", m.ManifestVersion, want)
		}
	})

	bundles := bundlesToCheck(t)
	unpacked := map[string]string{}
	for _, name := range slices.Sorted(maps.Keys(bundles)) {
		// The parent's folder: the serve test below runs what it unpacked.
		dir := t.TempDir()
		if t.Run(name, func(t *testing.T) { cli.check(t, bundles[name], name, dir) }) {
			unpacked[name] = dir
		}
	}

	host := runtime.GOOS + "-" + runtime.GOARCH
	dir, ok := unpacked[host]
	if _, built := bundles[host]; !built {
		testenv.Missing(t, "a bundle for "+host, "none among "+strings.Join(slices.Sorted(maps.Keys(bundles)), ", "))
	}
	if !ok {
		t.Fatalf("the %s bundle failed its checks: not starting it", host)
	}
	t.Run("serve over stdio", func(t *testing.T) { checkServe(t, dir) })
}

// bundleFile matches a bundle's name: makemcp-<version>-<os>-<arch>.mcpb.
var bundleFileName = regexp.MustCompile(`^makemcp-(.+)-([a-z0-9]+)-([a-z0-9]+)\.mcpb$`)

// bundlesToCheck returns the bundles by platform ("linux-amd64"): the ones
// in $MAKEMCP_MCPB_DIST, which under MAKEMCP_REQUIRE_REAL=1 must be a
// release's, or one for this platform packed here.
func bundlesToCheck(t *testing.T) map[string]string {
	t.Helper()
	bundles := map[string]string{}
	dist := os.Getenv(distEnv)
	if dist == "" {
		bin := testenv.Makemcp(t)
		path, err := build(options{binary: bin, version: "0.0.0-test", dir: t.TempDir(), license: filepath.Join(testenv.RepoRoot(), "LICENSE"), lister: bin})
		if err != nil {
			t.Fatal(err)
		}
		bundles[runtime.GOOS+"-"+runtime.GOARCH] = path
		return bundles
	}
	paths, err := filepath.Glob(filepath.Join(dist, "*.mcpb"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		m := bundleFileName.FindStringSubmatch(filepath.Base(p))
		if m == nil {
			t.Errorf("%s is not named makemcp-<version>-<os>-<arch>.mcpb", p)
			continue
		}
		bundles[m[2]+"-"+m[3]] = p
	}
	if len(bundles) == 0 {
		testenv.Missing(t, "bundles", "no makemcp-*.mcpb in "+dist+" (goreleaser release --snapshot makes them)")
	}
	if got := slices.Sorted(maps.Keys(bundles)); testenv.RequireReal() && !slices.Equal(got, releasePlatforms) {
		t.Fatalf("%s holds bundles for %v, want %v", dist, got, releasePlatforms)
	}
	return bundles
}

// mcpbCLI runs the official mcpb CLI from test/node_modules.
type mcpbCLI struct{ script string }

func newMCPBCLI(t *testing.T) mcpbCLI {
	t.Helper()
	script := filepath.Join(testenv.NodeModules(t), "@anthropic-ai", "mcpb", "dist", "cli", "cli.js")
	if _, err := os.Stat(script); err != nil {
		testenv.Missing(t, "npm @anthropic-ai/mcpb", "run `npm ci --prefix test`")
	}
	return mcpbCLI{script}
}

// run runs mcpb and returns its output; it fails the test unless mcpb
// exits 0.
func (c mcpbCLI) run(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, "node", append([]string{c.script}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("mcpb %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func (c mcpbCLI) validate(t *testing.T, manifest string) {
	t.Helper()
	if out := c.run(t, "validate", manifest); !strings.Contains(out, "Manifest schema validation passes!") || strings.Contains(out, "ERROR") {
		t.Fatalf("mcpb validate %s:\n%s", manifest, out)
	}
}

func (c mcpbCLI) defaultManifestVersion(t *testing.T) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	index := filepath.Join(filepath.Dir(filepath.Dir(c.script)), "index.js")
	src := fmt.Sprintf("import(%q).then((m) => console.log(m.DEFAULT_MANIFEST_VERSION))", "file://"+filepath.ToSlash(index))
	out, err := exec.CommandContext(ctx, "node", "--input-type=module", "-e", src).CombinedOutput()
	if err != nil || len(bytes.TrimSpace(out)) == 0 {
		t.Fatalf("ask mcpb for its manifest version: %v\n%s", err, out)
	}
	return string(bytes.TrimSpace(out))
}

// check reads, unpacks into dir and validates one bundle for platform
// ("linux-amd64").
func (c mcpbCLI) check(t *testing.T, bundle, platform, dir string) {
	t.Helper()
	out := c.run(t, "info", bundle)
	if !strings.Contains(out, "File: "+filepath.Base(bundle)) {
		t.Fatalf("mcpb info %s:\n%s", bundle, out)
	}
	t.Logf("mcpb info:\n%s", out)
	c.run(t, "unpack", bundle, dir)
	c.validate(t, filepath.Join(dir, "manifest.json"))

	m := readManifest(t, dir)
	goos, _, _ := strings.Cut(platform, "-")
	if want := []string{platforms[goos]}; !slices.Equal(m.Compatibility.Platforms, want) {
		t.Errorf("compatible with %v, want %v", m.Compatibility.Platforms, want)
	}
	if v := bundleFileName.FindStringSubmatch(filepath.Base(bundle)); v != nil && v[1] != m.Version {
		t.Errorf("manifest version %q, file name says %q", m.Version, v[1])
	}
	if want := "server/" + executable(goos); m.Server.EntryPoint != want || m.Server.MCPConfig.Command != "${__dirname}/"+want {
		t.Errorf("entry point %q, command %q; want %s", m.Server.EntryPoint, m.Server.MCPConfig.Command, want)
	}
	fi, err := os.Stat(filepath.Join(dir, filepath.FromSlash(m.Server.EntryPoint)))
	if err != nil {
		t.Fatalf("the entry point is not in the bundle: %v", err)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm()&0o111 == 0 {
		t.Errorf("%s unpacked with mode %v: not executable", m.Server.EntryPoint, fi.Mode())
	}
	if len(m.Tools) == 0 {
		t.Error("the manifest lists no tools")
	}
}

func readManifest(t *testing.T, dir string) *manifest {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m manifest
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return &m
}

// checkServe runs the unpacked bundle in dir as an MCPB host would, with
// the settings pointing at the fake Make's sandbox account (what serve
// --demo serves): the API token, zone and team given in the settings.
func checkServe(t *testing.T, dir string) {
	fake, err := makefake.StartDemo()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fake.Close)
	m := readManifest(t, dir)
	account := map[string]string{"api_token": makefake.DemoToken, "zone": fake.Zone(), "team": "3001"}

	t.Run("default settings", func(t *testing.T) {
		s := runHost(t, dir, m, account, step{Op: "listTools"}, step{Op: "callTool", Name: "scenarios_list"})
		listed := s.tools(t, 0)
		var names []string
		for _, tl := range listed {
			names = append(names, tl.Name)
			if i := slices.IndexFunc(m.Tools, func(d tool) bool { return d.Name == tl.Name }); i >= 0 && m.Tools[i].Description != tl.Description {
				t.Errorf("%s: the manifest's description differs from the server's", tl.Name)
			}
		}
		var declared []string
		for _, d := range m.Tools {
			declared = append(declared, d.Name)
		}
		slices.Sort(names)
		slices.Sort(declared)
		if !slices.Equal(names, declared) {
			t.Errorf("tools/list gave\n%v\nthe manifest lists\n%v", names, declared)
		}
		// No teamId: the team comes from the settings.
		if text := s.callText(t, 1); !strings.Contains(text, "Greet a customer") {
			t.Errorf("scenarios_list of team 3001 = %s", text)
		}
	})

	t.Run("all toolsets, read-only", func(t *testing.T) {
		settings := with(account, map[string]string{"toolsets": "all", "read_only": "true"})
		listed := runHost(t, dir, m, settings, step{Op: "listTools"}).tools(t, 0)
		var names []string
		for _, tl := range listed {
			names = append(names, tl.Name)
			if !tl.Annotations.ReadOnlyHint {
				t.Errorf("%s is listed in read-only mode", tl.Name)
			}
		}
		if !slices.Contains(names, "hooks_list") || slices.Contains(names, "scenarios_run") {
			t.Errorf("all toolsets, read-only: %v; want hooks_list, not scenarios_run", names)
		}
	})

	t.Run("scenario tools", func(t *testing.T) {
		settings := with(account, map[string]string{"scenario_tools": "true"})
		listed := runHost(t, dir, m, settings, step{Op: "listTools"}).tools(t, 0)
		if !slices.ContainsFunc(listed, func(tl listedTool) bool { return strings.HasPrefix(tl.Name, "run_scenario_") }) {
			t.Errorf("scenario tools on, but no run_scenario_ tool among %d", len(listed))
		}
	})
}

func with(base, more map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range more {
		out[k] = v
	}
	return out
}

// step is one step of a test/mcp-client.mjs plan.
type step struct {
	Op        string         `json:"op"`
	Name      string         `json:"name,omitempty"`
	Arguments map[string]any `json:"arguments,omitempty"`
}

// session is what the SDK client saw.
type session struct {
	Steps []struct {
		Result json.RawMessage `json:"result"`
		Error  *struct {
			Message string `json:"message"`
		} `json:"error"`
	} `json:"steps"`
	Stderr string `json:"stderr"`
	Fatal  string `json:"fatal"`
}

type listedTool struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Annotations struct {
		ReadOnlyHint bool `json:"readOnlyHint"`
	} `json:"annotations"`
}

func (s *session) result(t *testing.T, i int, v any) {
	t.Helper()
	if e := s.Steps[i].Error; e != nil {
		t.Fatalf("step %d: %s\nserver stderr: %s", i, e.Message, s.Stderr)
	}
	if err := json.Unmarshal(s.Steps[i].Result, v); err != nil {
		t.Fatalf("step %d: %v", i, err)
	}
}

func (s *session) tools(t *testing.T, i int) []listedTool {
	t.Helper()
	var r struct{ Tools []listedTool }
	s.result(t, i, &r)
	if len(r.Tools) == 0 {
		t.Fatalf("tools/list is empty\nserver stderr: %s", s.Stderr)
	}
	return r.Tools
}

func (s *session) callText(t *testing.T, i int) string {
	t.Helper()
	var r struct {
		IsError bool `json:"isError"`
		Content []struct{ Text string }
	}
	s.result(t, i, &r)
	var text strings.Builder
	for _, c := range r.Content {
		text.WriteString(c.Text)
	}
	if r.IsError {
		t.Fatalf("step %d is a tool error: %s", i, text.String())
	}
	return text.String()
}

// runHost starts the server as an MCPB host does, from the manifest's
// mcp_config with its variables replaced, the settings given over the
// defaults, and plays steps with the SDK client.
func runHost(t *testing.T, dir string, m *manifest, settings map[string]string, steps ...step) *session {
	t.Helper()
	opts, err := m.userConfig()
	if err != nil {
		t.Fatal(err)
	}
	values := map[string]string{}
	for key, o := range opts {
		values[key] = settingText(o.Default)
	}
	for key, v := range settings {
		if _, ok := opts[key]; !ok {
			t.Fatalf("the manifest has no setting %s", key)
		}
		values[key] = v
	}
	cfg := m.Server.MCPConfig
	command := expand(t, cfg.Command, dir, values)
	var args []string
	for _, a := range cfg.Args {
		args = append(args, expand(t, a, dir, values))
	}
	// The SDK starts the server with a few variables of this process
	// (HOME, PATH...) and these; the config folder keeps it off the
	// developer's own.
	env := map[string]string{"MAKEMCP_CONFIG_DIR": t.TempDir()}
	for k, v := range cfg.Env {
		env[k] = expand(t, v, dir, values)
	}
	plan, err := json.Marshal(map[string]any{
		"command": command, "args": args, "env": env, "steps": steps,
		"timeoutMs": 30000, "deadlineMs": 90000,
	})
	if err != nil {
		t.Fatal(err)
	}
	planFile := filepath.Join(t.TempDir(), "plan.json")
	if err := os.WriteFile(planFile, plan, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", filepath.Join(testenv.RepoRoot(), "test", "mcp-client.mjs"), planFile)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	var s session
	if jerr := json.Unmarshal(stdout.Bytes(), &s); jerr != nil || err != nil || s.Fatal != "" {
		t.Fatalf("mcp-client.mjs: %v %v %s\nstdout: %s\nstderr: %s", err, jerr, s.Fatal, stdout.String(), stderr.String())
	}
	if len(s.Steps) != len(steps) {
		t.Fatalf("mcp-client.mjs ran %d of %d steps", len(s.Steps), len(steps))
	}
	return &s
}

// settingText is a setting's value as hosts put it into mcp_config.
func settingText(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case bool:
		return strconv.FormatBool(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

var hostVar = regexp.MustCompile(`\$\{([^}]*)\}`)

// expand replaces the variables MCPB hosts replace in mcp_config, and
// fails the test on any other: a host would not know it either.
func expand(t *testing.T, s, dir string, values map[string]string) string {
	t.Helper()
	return hostVar.ReplaceAllStringFunc(s, func(v string) string {
		name := v[2 : len(v)-1]
		switch {
		case name == "__dirname":
			return dir
		case name == "/" || name == "pathSeparator":
			return string(filepath.Separator)
		case strings.HasPrefix(name, "user_config."):
			if value, ok := values[strings.TrimPrefix(name, "user_config.")]; ok {
				return value
			}
		}
		t.Fatalf("mcp_config uses %s, which no host replaces", v)
		return v
	})
}
