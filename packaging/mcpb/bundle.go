package main

import (
	"archive/zip"
	"bytes"
	"context"
	"debug/buildinfo"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

//go:embed manifest.json icon.png
var assets embed.FS

// options are the command's flags.
type options struct {
	binary  string // the makemcp binary to pack
	version string
	dir     string // where the bundle goes
	license string // the license file
	lister  string // a makemcp that runs here; "" means go run
}

// mainPackage is the import path every bundled binary is built from.
const mainPackage = "github.com/makemcp/makemcp/cmd/makemcp"

// platforms maps GOOS to the platform names MCPB manifests use, which are
// Node's process.platform.
var platforms = map[string]string{"darwin": "darwin", "linux": "linux", "windows": "win32"}

// build writes the bundle for o.binary and returns its path.
func build(o options) (string, error) {
	goos, goarch, err := target(o.binary)
	if err != nil {
		return "", err
	}
	m, err := loadManifest()
	if err != nil {
		return "", err
	}
	tools, err := defaultTools(o.lister)
	if err != nil {
		return "", err
	}
	if err := m.specialize(goos, o.version, tools); err != nil {
		return "", err
	}
	manifestJSON, err := m.encode()
	if err != nil {
		return "", err
	}
	bin, err := os.ReadFile(o.binary)
	if err != nil {
		return "", err
	}
	license, err := os.ReadFile(o.license)
	if err != nil {
		return "", err
	}
	icon, err := assets.ReadFile(m.Icon)
	if err != nil {
		return "", fmt.Errorf("manifest.json names icon %q: %w", m.Icon, err)
	}
	// goreleaser sets the binary's modification time to the commit's
	// (mod_timestamp): giving every entry that time makes the bundle as
	// reproducible as the binary.
	fi, err := os.Stat(o.binary)
	if err != nil {
		return "", err
	}
	files := []bundleFile{
		{"manifest.json", 0o644, manifestJSON},
		{m.Icon, 0o644, icon},
		{"LICENSE", 0o644, license},
		{m.Server.EntryPoint, 0o755, bin},
	}
	path := filepath.Join(o.dir, bundleName(o.version, goos, goarch))
	if err := writeFileAtomic(path, func(w io.Writer) error { return writeZip(w, files, fi.ModTime()) }); err != nil {
		return "", err
	}
	return path, nil
}

// bundleName is the bundle's file name on the releases page.
func bundleName(version, goos, goarch string) string {
	return fmt.Sprintf("makemcp-%s-%s-%s.mcpb", version, goos, goarch)
}

// target reads the platform a binary was built for from its build
// information, and checks that it is makemcp.
func target(binary string) (goos, goarch string, err error) {
	info, err := buildinfo.ReadFile(binary)
	if err != nil {
		return "", "", fmt.Errorf("%s: %w", binary, err)
	}
	if info.Path != mainPackage {
		return "", "", fmt.Errorf("%s is built from %s, not %s", binary, info.Path, mainPackage)
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "GOOS":
			goos = s.Value
		case "GOARCH":
			goarch = s.Value
		}
	}
	if _, ok := platforms[goos]; !ok || goarch == "" {
		return "", "", fmt.Errorf("%s is built for %s/%s: bundles are for darwin, linux and windows", binary, goos, goarch)
	}
	return goos, goarch, nil
}

// manifest is the part of the MCPB manifest makemcp uses. Decoding the
// template refuses any other field, so none is dropped on the way.
type manifest struct {
	ManifestVersion string          `json:"manifest_version"`
	Name            string          `json:"name"`
	DisplayName     string          `json:"display_name,omitempty"`
	Version         string          `json:"version"`
	Description     string          `json:"description"`
	LongDescription string          `json:"long_description,omitempty"`
	Author          json.RawMessage `json:"author"`
	Repository      json.RawMessage `json:"repository,omitempty"`
	Homepage        string          `json:"homepage,omitempty"`
	Documentation   string          `json:"documentation,omitempty"`
	Support         string          `json:"support,omitempty"`
	Icon            string          `json:"icon"`
	Server          server          `json:"server"`
	Tools           []tool          `json:"tools,omitempty"`
	ToolsGenerated  bool            `json:"tools_generated,omitempty"`
	Keywords        []string        `json:"keywords,omitempty"`
	License         string          `json:"license,omitempty"`
	PrivacyPolicies []string        `json:"privacy_policies,omitempty"`
	Compatibility   compatibility   `json:"compatibility"`
	// UserConfig stays raw to keep the template's order, which is the
	// order hosts show the settings in.
	UserConfig json.RawMessage `json:"user_config,omitempty"`
}

type server struct {
	Type       string    `json:"type"`
	EntryPoint string    `json:"entry_point"`
	MCPConfig  mcpConfig `json:"mcp_config"`
}

type mcpConfig struct {
	Command           string                      `json:"command"`
	Args              []string                    `json:"args,omitempty"`
	Env               map[string]string           `json:"env,omitempty"`
	PlatformOverrides map[string]platformOverride `json:"platform_overrides,omitempty"`
}

// platformOverride replaces the parts of mcp_config it sets on one
// platform.
type platformOverride struct {
	Command string            `json:"command,omitempty"`
	Args    []string          `json:"args,omitempty"`
	Env     map[string]string `json:"env,omitempty"`
}

type compatibility struct {
	Platforms []string `json:"platforms"`
}

type tool struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
}

// userOption is one entry of user_config: a setting the host asks for.
type userOption struct {
	Type        string `json:"type"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Required    bool   `json:"required,omitempty"`
	Default     any    `json:"default,omitempty"`
	Sensitive   bool   `json:"sensitive,omitempty"`
}

func loadManifest() (*manifest, error) {
	data, err := assets.ReadFile("manifest.json")
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var m manifest
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("manifest.json: %w", err)
	}
	return &m, nil
}

// userConfig decodes the settings the manifest asks for.
func (m *manifest) userConfig() (map[string]userOption, error) {
	var opts map[string]userOption
	if err := json.Unmarshal(m.UserConfig, &opts); err != nil {
		return nil, fmt.Errorf("manifest.json: user_config: %w", err)
	}
	return opts, nil
}

// specialize makes the manifest one platform's: its command (the
// template's, with that platform's override), its entry point, the one
// platform it is compatible with, the version and the tools.
func (m *manifest) specialize(goos, version string, tools []tool) error {
	p, ok := platforms[goos]
	if !ok {
		return fmt.Errorf("no bundle for %s: bundles are for darwin, linux and windows", goos)
	}
	cfg := &m.Server.MCPConfig
	if o, ok := cfg.PlatformOverrides[p]; ok {
		if o.Command != "" {
			cfg.Command = o.Command
		}
		if o.Args != nil {
			cfg.Args = o.Args
		}
		if cfg.Env == nil && len(o.Env) > 0 {
			cfg.Env = map[string]string{}
		}
		for k, v := range o.Env {
			cfg.Env[k] = v
		}
	}
	cfg.PlatformOverrides = nil
	m.Server.EntryPoint = "server/" + executable(goos)
	if want := "${__dirname}/" + m.Server.EntryPoint; cfg.Command != want {
		return fmt.Errorf("manifest.json: the %s command is %q, want %q", p, cfg.Command, want)
	}
	m.Compatibility.Platforms = []string{p}
	m.Version = version
	m.Tools = tools
	return nil
}

func executable(goos string) string {
	if goos == "windows" {
		return "makemcp.exe"
	}
	return "makemcp"
}

// encode is the manifest as people write it: indented, with <, > and &
// as they are.
func (m *manifest) encode() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// listTimeout bounds listing the tools; the first go run compiles makemcp.
const listTimeout = 5 * time.Minute

// defaultTools asks makemcp for the tools serve exposes by default, over
// the demo account so that no login, network or keychain is involved.
func defaultTools(lister string) ([]tool, error) {
	name, args := lister, []string{"tools", "list", "--demo", "--json"}
	if lister == "" {
		// -trimpath, with the CGO_ENABLED=0 of goreleaser's build
		// environment, builds the packages as goreleaser does for this
		// machine: its build and this one share them.
		name, args = "go", append([]string{"run", "-trimpath", mainPackage}, args...)
	}
	dir, err := os.MkdirTemp("", "makemcp-mcpb-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	ctx, cancel := context.WithTimeout(context.Background(), listTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(listerEnv(os.Environ()), "MAKEMCP_CONFIG_DIR="+dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("list the default tools (%s %s): %v\n%s", name, strings.Join(args, " "), err, stderr.String())
	}
	var list []tool
	if err := json.Unmarshal(out, &list); err != nil {
		return nil, fmt.Errorf("list the default tools: %v", err)
	}
	if len(list) == 0 {
		return nil, errors.New("list the default tools: makemcp listed none")
	}
	return list, nil
}

// listerEnv is the environment without what would change the listed
// tools (the releaser's own makemcp settings) or build makemcp for the
// target rather than for this machine.
func listerEnv(env []string) []string {
	var out []string
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasPrefix(k, "MAKEMCP_"), k == "MAKE_API_TOKEN",
			k == "GOOS", k == "GOARCH", k == "GOARM", k == "GOARM64", k == "GOAMD64", k == "GO386":
			continue
		}
		out = append(out, kv)
	}
	return out
}

type bundleFile struct {
	name string
	mode fs.FileMode
	data []byte
}

// writeZip writes the files, in order, all with the same time.
func writeZip(w io.Writer, files []bundleFile, modified time.Time) error {
	zw := zip.NewWriter(w)
	for _, f := range files {
		h := &zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: modified.UTC().Truncate(time.Second)}
		// The mode travels in the entry's Unix attributes, which MCPB
		// hosts restore: the binary stays executable.
		h.SetMode(f.mode)
		fw, err := zw.CreateHeader(h)
		if err != nil {
			return err
		}
		if _, err := fw.Write(f.data); err != nil {
			return err
		}
	}
	return zw.Close()
}

// writeFileAtomic writes a file through a temporary one beside it, so
// that a failed run leaves no half bundle for the release to upload.
func writeFileAtomic(path string, write func(io.Writer) error) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), ".mcpb-*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err := write(f); err != nil {
		return err
	}
	if err := f.Chmod(0o644); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
