package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/makemcp/makemcp/internal/testenv"
)

// userVar matches a ${user_config.KEY} variable.
var userVar = regexp.MustCompile(`\$\{user_config\.([^}]*)\}`)

// TestManifestSettings checks that every setting the manifest asks for
// reaches makemcp, and that hosts never pass one unset: an optional
// setting without a default reaches the server as the literal
// "${user_config.KEY}" in some hosts, which makemcp would take for a value.
func TestManifestSettings(t *testing.T) {
	m, err := loadManifest()
	if err != nil {
		t.Fatal(err)
	}
	opts, err := m.userConfig()
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]int{}
	for name, value := range m.Server.MCPConfig.Env {
		if name != "MAKE_API_TOKEN" && !strings.HasPrefix(name, "MAKEMCP_") {
			t.Errorf("env %s is not a makemcp variable", name)
		}
		for _, v := range userVar.FindAllStringSubmatch(value, -1) {
			if _, ok := opts[v[1]]; !ok {
				t.Errorf("env %s uses ${user_config.%s}, which user_config does not define", name, v[1])
			}
			used[v[1]]++
		}
	}
	for key, o := range opts {
		if used[key] != 1 {
			t.Errorf("user_config.%s reaches makemcp %d times, want once", key, used[key])
		}
		if !o.Required && o.Default == nil {
			t.Errorf("user_config.%s is optional without a default", key)
		}
		if o.Title == "" || o.Description == "" {
			t.Errorf("user_config.%s has no title or description", key)
		}
	}
	for _, key := range []string{"api_token", "zone", "profile", "team", "toolsets", "read_only", "scenario_tools"} {
		if _, ok := opts[key]; !ok {
			t.Errorf("user_config offers no %s", key)
		}
	}
	if tok := opts["api_token"]; !tok.Sensitive || tok.Required || m.Server.MCPConfig.Env["MAKE_API_TOKEN"] != "${user_config.api_token}" {
		t.Errorf("the API token must be optional, sensitive and MAKE_API_TOKEN: %+v", tok)
	}
	if m.Server.Type != "binary" || !slices.Equal(m.Server.MCPConfig.Args, []string{"serve"}) {
		t.Errorf("server = %+v, want the binary run as makemcp serve", m.Server)
	}
	if m.Icon == "" || m.Support == "" || len(m.PrivacyPolicies) == 0 {
		t.Errorf("icon %q, support %q, privacy policies %v: all must be set", m.Icon, m.Support, m.PrivacyPolicies)
	}
}

func TestSpecialize(t *testing.T) {
	tools := []tool{{"users_me", "Get the current user."}}
	tests := []struct {
		goos, platform, command, entry string
	}{
		{"darwin", "darwin", "${__dirname}/server/makemcp", "server/makemcp"},
		{"linux", "linux", "${__dirname}/server/makemcp", "server/makemcp"},
		{"windows", "win32", "${__dirname}/server/makemcp.exe", "server/makemcp.exe"},
	}
	for _, tt := range tests {
		t.Run(tt.goos, func(t *testing.T) {
			m, err := loadManifest()
			if err != nil {
				t.Fatal(err)
			}
			env := m.Server.MCPConfig.Env
			if err := m.specialize(tt.goos, "1.2.3", tools); err != nil {
				t.Fatal(err)
			}
			cfg := m.Server.MCPConfig
			if cfg.Command != tt.command || m.Server.EntryPoint != tt.entry || cfg.PlatformOverrides != nil {
				t.Errorf("command %q, entry point %q, overrides %v; want %q, %q, none", cfg.Command, m.Server.EntryPoint, cfg.PlatformOverrides, tt.command, tt.entry)
			}
			if !slices.Equal(cfg.Args, []string{"serve"}) || len(cfg.Env) != len(env) {
				t.Errorf("args %v, env %v: the platform changed them", cfg.Args, cfg.Env)
			}
			if !slices.Equal(m.Compatibility.Platforms, []string{tt.platform}) {
				t.Errorf("platforms %v, want [%s]", m.Compatibility.Platforms, tt.platform)
			}
			if m.Version != "1.2.3" || !slices.Equal(m.Tools, tools) {
				t.Errorf("version %q, tools %v", m.Version, m.Tools)
			}
		})
	}

	t.Run("other systems", func(t *testing.T) {
		m, _ := loadManifest()
		if err := m.specialize("freebsd", "1.2.3", tools); err == nil {
			t.Error("a bundle for freebsd was made")
		}
	})
	t.Run("command that does not run the binary", func(t *testing.T) {
		m, _ := loadManifest()
		delete(m.Server.MCPConfig.PlatformOverrides, "win32")
		if err := m.specialize("windows", "1.2.3", tools); err == nil || !strings.Contains(err.Error(), "makemcp.exe") {
			t.Errorf("a Windows command without .exe: %v, want an error", err)
		}
	})
}

func TestWriteZip(t *testing.T) {
	files := []bundleFile{
		{"manifest.json", 0o644, []byte(`{"name": "makemcp"}`)},
		{"server/makemcp", 0o755, bytes.Repeat([]byte("binary "), 1000)},
	}
	when := time.Date(2026, 3, 4, 5, 6, 7, 0, time.FixedZone("CET", 3600))
	var a, b bytes.Buffer
	if err := writeZip(&a, files, when); err != nil {
		t.Fatal(err)
	}
	if err := writeZip(&b, files, when.Add(999*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two bundles of the same files at the same second differ")
	}
	zr, err := zip.NewReader(bytes.NewReader(a.Bytes()), int64(a.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if len(zr.File) != len(files) {
		t.Fatalf("%d entries, want %d", len(zr.File), len(files))
	}
	for i, f := range zr.File {
		want := files[i]
		if f.Name != want.name || f.Mode() != want.mode || !f.Modified.Equal(when) {
			t.Errorf("entry %d: %s %v %v, want %s %v %v", i, f.Name, f.Mode(), f.Modified, want.name, want.mode, when)
		}
		data := readEntry(t, f)
		if !bytes.Equal(data, want.data) {
			t.Errorf("%s: content differs", f.Name)
		}
	}
}

func readEntry(t *testing.T, f *zip.File) []byte {
	t.Helper()
	r, err := f.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	data, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestBuild packs a makemcp built here and checks the bundle's name,
// entries and manifest, and that its tools are those makemcp lists.
func TestBuild(t *testing.T) {
	bin := testenv.Makemcp(t)
	dir := t.TempDir()
	path, err := build(options{binary: bin, version: "1.2.3", dir: dir, license: filepath.Join(testenv.RepoRoot(), "LICENSE"), lister: bin})
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "makemcp-1.2.3-"+runtime.GOOS+"-"+runtime.GOARCH+".mcpb"); path != want {
		t.Errorf("bundle at %s, want %s", path, want)
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var names []string
	entries := map[string]*zip.File{}
	for _, f := range zr.File {
		names = append(names, f.Name)
		entries[f.Name] = f
	}
	entry := "server/" + executable(runtime.GOOS)
	if want := []string{"manifest.json", "icon.png", "LICENSE", entry}; !slices.Equal(names, want) {
		t.Fatalf("entries %v, want %v", names, want)
	}
	if f := entries[entry]; f.Mode() != 0o755 {
		t.Errorf("%s has mode %v, want 0755", entry, f.Mode())
	}
	binData, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(readEntry(t, entries[entry]), binData) {
		t.Errorf("%s is not the binary", entry)
	}
	var m manifest
	if err := json.Unmarshal(readEntry(t, entries["manifest.json"]), &m); err != nil {
		t.Fatal(err)
	}
	if m.Version != "1.2.3" || m.Server.EntryPoint != entry {
		t.Errorf("manifest version %q, entry point %q", m.Version, m.Server.EntryPoint)
	}

	out, stderr, code, err := testenv.Run(bin, append(testenv.ChildEnv(), "MAKEMCP_CONFIG_DIR="+t.TempDir()), "", "tools", "list", "--demo", "--json")
	if err != nil || code != 0 {
		t.Fatalf("tools list: %v, exit %d: %s", err, code, stderr)
	}
	var listed []tool
	if err := json.Unmarshal([]byte(out), &listed); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(m.Tools, listed) {
		t.Errorf("the manifest's tools differ from those makemcp lists:\n got %v\nwant %v", toolNames(m.Tools), toolNames(listed))
	}
}

func toolNames(tools []tool) []string {
	var names []string
	for _, t := range tools {
		names = append(names, t.Name)
	}
	return names
}

func TestTargetRefusesOtherPrograms(t *testing.T) {
	// The test binary is a Go program, but not makemcp.
	if _, _, err := target(os.Args[0]); err == nil || !strings.Contains(err.Error(), mainPackage) {
		t.Errorf("target of the test binary: %v, want an error naming %s", err, mainPackage)
	}
	if _, _, err := target("manifest.json"); err == nil {
		t.Error("target of a JSON file succeeded")
	}
}

func TestListerEnv(t *testing.T) {
	got := listerEnv([]string{"PATH=/bin", "GOOS=windows", "GOARCH=arm64", "MAKEMCP_TOOLSETS=all", "MAKE_API_TOKEN=x", "GOFLAGS=-mod=mod", "HOME=/h"})
	if want := []string{"PATH=/bin", "GOFLAGS=-mod=mod", "HOME=/h"}; !slices.Equal(got, want) {
		t.Errorf("listerEnv = %v, want %v", got, want)
	}
}
