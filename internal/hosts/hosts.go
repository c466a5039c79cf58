// Package hosts knows the MCP hosts makemcp is usually run from (Claude
// Desktop, Claude Code, VS Code, Cursor): where each keeps its list of MCP
// servers, what an entry for makemcp looks like there, and how to add one
// without disturbing anything else in the file.
package hosts

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/makemcp/makemcp/internal/atomicfile"
)

// Host is one MCP host.
type Host struct {
	// Name is what `makemcp client-config` takes.
	Name string
	// Title is the host's own name.
	Title string
	// serversKey is the top-level key holding the servers map.
	serversKey string
	// stdioType is the "type" an entry needs, if the host wants one.
	stdioType string
	// path returns the user-level config file the host reads.
	path func(Env) (string, error)
	// Notes are the pitfalls worth printing with the snippet.
	Notes []string
}

// Env is where a host's files are found: the user's home and config
// folders, and the OS, so tests can point them at a temporary folder.
type Env struct {
	Home      string // os.UserHomeDir()
	ConfigDir string // os.UserConfigDir()
	GOOS      string
}

// CurrentEnv returns the running user's Env.
func CurrentEnv() (Env, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return Env{}, fmt.Errorf("find the home folder: %w", err)
	}
	cfg, err := os.UserConfigDir()
	if err != nil {
		return Env{}, fmt.Errorf("find the config folder: %w", err)
	}
	return Env{Home: home, ConfigDir: cfg, GOOS: runtime.GOOS}, nil
}

// All lists the known hosts.
var All = []Host{
	{
		Name: "claude-desktop", Title: "Claude Desktop", serversKey: "mcpServers",
		// Claude Desktop keeps its config in the OS's per-user config
		// folder (~/Library/Application Support on macOS, %APPDATA% on
		// Windows; the same layout under ~/.config on Linux builds).
		path: func(e Env) (string, error) {
			return filepath.Join(e.ConfigDir, "Claude", "claude_desktop_config.json"), nil
		},
		Notes: []string{
			"Quit and reopen Claude Desktop after changing its config.",
			"Claude Desktop does not read your shell's PATH, so the command is the binary's absolute path.",
		},
	},
	{
		Name: "claude-code", Title: "Claude Code", serversKey: "mcpServers", stdioType: "stdio",
		// User-scope servers live in ~/.claude.json, as `claude mcp add
		// --scope user` writes them.
		path: func(e Env) (string, error) { return filepath.Join(e.Home, ".claude.json"), nil },
		Notes: []string{
			"Or add it with Claude Code's own command: claude mcp add --scope user make -- <command> serve",
		},
	},
	{
		Name: "vscode", Title: "VS Code", serversKey: "servers", stdioType: "stdio",
		// VS Code's user-level MCP servers are in mcp.json beside its
		// settings.json.
		path: func(e Env) (string, error) { return filepath.Join(e.ConfigDir, "Code", "User", "mcp.json"), nil },
		Notes: []string{
			"For one workspace only, put the same entry in .vscode/mcp.json there.",
			"--write refuses a mcp.json with comments in it; add the entry by hand then.",
		},
	},
	{
		Name: "cursor", Title: "Cursor", serversKey: "mcpServers",
		path: func(e Env) (string, error) { return filepath.Join(e.Home, ".cursor", "mcp.json"), nil },
		Notes: []string{
			"For one project only, put the same entry in .cursor/mcp.json there.",
		},
	},
}

// Lookup returns the host with the given name.
func Lookup(name string) (Host, error) {
	for _, h := range All {
		if h.Name == name {
			return h, nil
		}
	}
	return Host{}, fmt.Errorf("unknown MCP host %q: use one of %s", name, Names())
}

// Names lists the hosts' names, comma separated.
func Names() string {
	names := make([]string, len(All))
	for i, h := range All {
		names[i] = h.Name
	}
	return strings.Join(names, ", ")
}

// Path returns the user-level config file of the host.
func (h Host) Path(e Env) (string, error) { return h.path(e) }

// Entry is one MCP server in a host's config.
type Entry struct {
	Type    string            `json:"type,omitempty"`
	Command string            `json:"command"`
	Args    []string          `json:"args,omitempty"`
	Env     map[string]string `json:"env,omitempty"`
}

// Entry returns the entry that runs command with args on this host.
func (h Host) Entry(command string, args []string) Entry {
	return Entry{Type: h.stdioType, Command: command, Args: args}
}

// Snippet is the JSON to merge into the host's config: the servers map
// holding one entry named name.
func (h Host) Snippet(name string, e Entry) ([]byte, error) {
	return json.MarshalIndent(map[string]any{h.serversKey: map[string]Entry{name: e}}, "", "  ")
}

// ErrUnparsable means a host's config file is not a JSON object, so it is
// left alone.
var ErrUnparsable = errors.New("not a JSON object")

// Servers reads the servers named in a host's config file; a missing file
// has none.
func (h Host) Servers(path string) (map[string]Entry, error) {
	doc, err := readObject(path)
	if err != nil {
		return nil, err
	}
	out := map[string]Entry{}
	raw, ok := doc[h.serversKey]
	if !ok {
		return out, nil
	}
	var servers map[string]json.RawMessage
	if err := json.Unmarshal(raw, &servers); err != nil {
		return nil, fmt.Errorf("%s: %q is %w", path, h.serversKey, ErrUnparsable)
	}
	for name, r := range servers {
		var e Entry
		if json.Unmarshal(r, &e) == nil {
			out[name] = e
		}
	}
	return out, nil
}

// Write merges the entry into the host's config file at path under name,
// keeping every other key and server as it was, byte for byte (see
// setServer). An existing file is copied to path+".bak" first; a file
// that is not a JSON object is refused. When the entry is there already,
// as it is, nothing is written, and the backup of an earlier change is
// left alone. A symbolic link (a config kept in a dotfiles repository) is
// written through: the file it points to changes, the link stays.
func (h Host) Write(path, name string, e Entry) (outcome Outcome, backup string, err error) {
	target, err := resolveLink(path)
	if err != nil {
		return 0, "", err
	}
	perm := os.FileMode(0o600)
	old, err := os.ReadFile(target)
	exists := err == nil
	switch {
	case exists:
		if fi, err := os.Stat(target); err == nil {
			perm = fi.Mode().Perm()
		}
	case errors.Is(err, fs.ErrNotExist):
	default:
		return 0, "", err
	}
	out, outcome, err := setServer(old, h.serversKey, name, e)
	if err != nil {
		return 0, "", fmt.Errorf("%s is %w (%v); fix it or add the entry by hand", path, ErrUnparsable, err)
	}
	if outcome == Unchanged {
		return Unchanged, "", nil
	}
	if exists {
		backup = path + ".bak"
		if err := atomicfile.WriteFile(backup, old, perm); err != nil {
			return 0, "", fmt.Errorf("back up %s: %w", path, err)
		}
	} else if err := os.MkdirAll(filepath.Dir(target), 0o700); err != nil {
		return 0, "", err
	}
	if err := atomicfile.WriteFile(target, out, perm); err != nil {
		return 0, "", err
	}
	return outcome, backup, nil
}

// resolveLink returns the file path names, following symbolic links; a
// path that is not a link, or does not exist, is itself.
func resolveLink(path string) (string, error) {
	fi, err := os.Lstat(path)
	if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		return path, nil
	}
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return "", fmt.Errorf("%s is a symbolic link that leads nowhere (%w): fix the link or remove it", path, err)
	}
	return target, nil
}

// readObject reads a JSON object from path, keeping each value raw so that
// what makemcp does not touch is written back as it was. A missing or
// empty file is an empty object.
func readObject(path string) (map[string]json.RawMessage, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]json.RawMessage{}, nil
	}
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return map[string]json.RawMessage{}, nil
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(data, &doc); err != nil || doc == nil {
		return nil, fmt.Errorf("%s is %w (%v); fix it or add the entry by hand", path, ErrUnparsable, errOrNull(err))
	}
	return doc, nil
}

func errOrNull(err error) error {
	if err == nil {
		return errors.New("null")
	}
	return err
}
