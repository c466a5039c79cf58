package hosts

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteMergesAndKeepsEverythingElse(t *testing.T) {
	h, _ := Lookup("claude-desktop")
	path := filepath.Join(t.TempDir(), "claude_desktop_config.json")
	orig := `{"globalShortcut": "Ctrl+Space", "mcpServers": {"github": {"command": "gh-mcp", "args": ["stdio"], "env": {"X": "1"}}}}`
	if err := os.WriteFile(path, []byte(orig), 0o640); err != nil {
		t.Fatal(err)
	}
	outcome, backup, err := h.Write(path, "make", h.Entry("/opt/makemcp", []string{"serve"}))
	if err != nil {
		t.Fatal(err)
	}
	if outcome != Added {
		t.Errorf("outcome %v for a new entry, want Added", outcome)
	}
	if b, _ := os.ReadFile(backup); string(b) != orig {
		t.Errorf("backup holds %q, want the original", b)
	}
	var got struct {
		GlobalShortcut string           `json:"globalShortcut"`
		MCPServers     map[string]Entry `json:"mcpServers"`
	}
	data, _ := os.ReadFile(path)
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	if got.GlobalShortcut != "Ctrl+Space" || got.MCPServers["github"].Env["X"] != "1" || got.MCPServers["github"].Args[0] != "stdio" {
		t.Errorf("other settings changed: %s", data)
	}
	if e := got.MCPServers["make"]; e.Command != "/opt/makemcp" || len(e.Args) != 1 || e.Type != "" {
		t.Errorf("make entry = %+v", e)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o640 {
		t.Errorf("mode = %v, want the original 0640", fi.Mode().Perm())
	}

	outcome, _, err = h.Write(path, "make", h.Entry("/usr/local/bin/makemcp", []string{"serve"}))
	if err != nil || outcome != Replaced {
		t.Fatalf("second write: outcome=%v err=%v, want Replaced", outcome, err)
	}
	servers, err := h.Servers(path)
	if err != nil || servers["make"].Command != "/usr/local/bin/makemcp" || len(servers) != 2 {
		t.Fatalf("servers = %+v, %v", servers, err)
	}
}

func TestWriteCreatesMissingFile(t *testing.T) {
	h, _ := Lookup("vscode")
	path := filepath.Join(t.TempDir(), "Code", "User", "mcp.json")
	if _, backup, err := h.Write(path, "make", h.Entry("/bin/makemcp", []string{"serve"})); err != nil || backup != "" {
		t.Fatalf("err=%v backup=%q", err, backup)
	}
	servers, err := h.Servers(path)
	if err != nil || servers["make"].Type != "stdio" {
		t.Fatalf("servers = %+v, %v; VS Code entries need type stdio", servers, err)
	}
}

func TestWriteRefusesWhatItCannotParse(t *testing.T) {
	h, _ := Lookup("vscode")
	for name, content := range map[string]string{
		"comments":     "// my servers\n{\"servers\": {}}",
		"array":        `[1, 2]`,
		"null":         `null`,
		"servers list": `{"servers": [1]}`,
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "mcp.json")
			os.WriteFile(path, []byte(content), 0o600)
			_, _, err := h.Write(path, "make", h.Entry("/bin/makemcp", nil))
			if !errors.Is(err, ErrUnparsable) {
				t.Fatalf("err = %v, want ErrUnparsable", err)
			}
			if b, _ := os.ReadFile(path); string(b) != content {
				t.Fatalf("file changed to %q", b)
			}
			if _, err := os.Stat(path + ".bak"); err == nil {
				t.Fatal("a backup was written for a refused file")
			}
		})
	}
}

func TestLookupAndPaths(t *testing.T) {
	if _, err := Lookup("notepad"); err == nil {
		t.Fatal("Lookup(notepad) succeeded")
	}
	e := Env{Home: "/home/u", ConfigDir: "/home/u/.config", GOOS: "linux"}
	want := map[string]string{
		"claude-desktop": "/home/u/.config/Claude/claude_desktop_config.json",
		"claude-code":    "/home/u/.claude.json",
		"vscode":         "/home/u/.config/Code/User/mcp.json",
		"cursor":         "/home/u/.cursor/mcp.json",
	}
	for _, h := range All {
		p, err := h.Path(e)
		if err != nil || filepath.ToSlash(p) != want[h.Name] {
			t.Errorf("%s path = %q, %v; want %q", h.Name, p, err, want[h.Name])
		}
	}
}
