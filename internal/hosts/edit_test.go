package hosts

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

var entry = Entry{Type: "stdio", Command: "/opt/makemcp", Args: []string{"serve"}}

// Each case is a config as a person or a host left it, and the file after
// the entry "make" is set: only the entry's bytes differ.
func TestSetServerKeepsTheRestByteForByte(t *testing.T) {
	cases := []struct {
		name, in, want string
		outcome        Outcome
	}{
		{
			name: "keys out of order, a new server",
			in: `{
  "numStartups": 412,
  "theme": "dark",
  "mcpServers": {
    "zeta": {"command": "z"},
    "alpha": {
      "command": "a"
    }
  },
  "autoUpdates": false,
  "tipsHistory": {"memory-command": 1.0, "emoji": "\u00e9"}
}
`,
			want: `{
  "numStartups": 412,
  "theme": "dark",
  "mcpServers": {
    "zeta": {"command": "z"},
    "alpha": {
      "command": "a"
    },
    "make": {
      "type": "stdio",
      "command": "/opt/makemcp",
      "args": [
        "serve"
      ]
    }
  },
  "autoUpdates": false,
  "tipsHistory": {"memory-command": 1.0, "emoji": "\u00e9"}
}
`,
			outcome: Added,
		},
		{
			name: "an entry replaced in place",
			in: `{"b": 1,
    "mcpServers": {
        "make": {"command": "/old/makemcp", "args": ["serve"]},
        "other": {"command": "o"}
    },
    "a": [1,2,3]
}`,
			want: `{"b": 1,
    "mcpServers": {
        "make": {
            "type": "stdio",
            "command": "/opt/makemcp",
            "args": [
                "serve"
            ]
        },
        "other": {"command": "o"}
    },
    "a": [1,2,3]
}`,
			outcome: Replaced,
		},
		{
			name:    "no servers map yet, tab indents",
			in:      "{\n\t\"z\": true,\n\t\"a\": null\n}\n",
			want:    "{\n\t\"z\": true,\n\t\"a\": null,\n\t\"mcpServers\": {\n\t\t\"make\": {\n\t\t\t\"type\": \"stdio\",\n\t\t\t\"command\": \"/opt/makemcp\",\n\t\t\t\"args\": [\n\t\t\t\t\"serve\"\n\t\t\t]\n\t\t}\n\t}\n}\n",
			outcome: Added,
		},
		{
			name:    "an empty servers map",
			in:      "{\n  \"mcpServers\": {},\n  \"x\": 1\n}\n",
			want:    "{\n  \"mcpServers\": {\n    \"make\": {\n      \"type\": \"stdio\",\n      \"command\": \"/opt/makemcp\",\n      \"args\": [\n        \"serve\"\n      ]\n    }\n  },\n  \"x\": 1\n}\n",
			outcome: Added,
		},
		{
			name:    "an empty file",
			in:      "{}",
			want:    "{\n  \"mcpServers\": {\n    \"make\": {\n      \"type\": \"stdio\",\n      \"command\": \"/opt/makemcp\",\n      \"args\": [\n        \"serve\"\n      ]\n    }\n  }\n}",
			outcome: Added,
		},
		{
			name:    "one line",
			in:      `{"y":2,"mcpServers":{"gh":{"command":"gh"}},"x":1}`,
			want:    `{"y":2,"mcpServers":{"gh":{"command":"gh"}, "make": {"type":"stdio","command":"/opt/makemcp","args":["serve"]}},"x":1}`,
			outcome: Added,
		},
		{
			name:    "Windows line ends",
			in:      "{\r\n  \"mcpServers\": {\r\n    \"gh\": {}\r\n  }\r\n}\r\n",
			want:    "{\r\n  \"mcpServers\": {\r\n    \"gh\": {},\r\n    \"make\": {\r\n      \"type\": \"stdio\",\r\n      \"command\": \"/opt/makemcp\",\r\n      \"args\": [\r\n        \"serve\"\r\n      ]\r\n    }\r\n  }\r\n}\r\n",
			outcome: Added,
		},
		{
			name:    "the same entry, laid out otherwise",
			in:      `{"mcpServers": {"make": {"args": ["serve"], "command": "/opt/makemcp", "type": "stdio"}}}`,
			want:    `{"mcpServers": {"make": {"args": ["serve"], "command": "/opt/makemcp", "type": "stdio"}}}`,
			outcome: Unchanged,
		},
		{
			name:    "a duplicate key: the last one counts, as for a JSON decoder",
			in:      `{"mcpServers": {"make": {"command": "x"}}, "mcpServers": {"gh": {}}}`,
			want:    `{"mcpServers": {"make": {"command": "x"}}, "mcpServers": {"gh": {}, "make": {"type":"stdio","command":"/opt/makemcp","args":["serve"]}}}`,
			outcome: Added,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, outcome, err := setServer([]byte(tc.in), "mcpServers", "make", entry)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want || outcome != tc.outcome {
				t.Errorf("got (%v)\n%s\nwant (%v)\n%s", outcome, got, tc.outcome, tc.want)
			}
		})
	}
}

func TestSetServerRefuses(t *testing.T) {
	for _, in := range []string{`[]`, `null`, `"x"`, `{"mcpServers": null}`, `{"mcpServers": [1]}`, `{"a": 1} {"b": 2}`, `{"a": 1`, "// c\n{}", `{"a": 1,}`} {
		if _, _, err := setServer([]byte(in), "mcpServers", "make", entry); err == nil {
			t.Errorf("%s: no error", in)
		}
	}
}

// Running client-config --write again changes nothing: not the file, not
// its backup of the change before.
func TestWriteUnchangedLeavesFileAndBackup(t *testing.T) {
	h, _ := Lookup("claude-code")
	path := filepath.Join(t.TempDir(), ".claude.json")
	os.WriteFile(path, []byte(`{"projects": {}}`), 0o600)
	if outcome, _, err := h.Write(path, "make", h.Entry("/opt/makemcp", []string{"serve"})); err != nil || outcome != Added {
		t.Fatalf("first write: %v %v", outcome, err)
	}
	before, _ := os.ReadFile(path)
	bak, _ := os.ReadFile(path + ".bak")
	old := time.Now().Add(-time.Hour)
	os.Chtimes(path, old, old)
	os.Chtimes(path+".bak", old, old)

	outcome, backup, err := h.Write(path, "make", h.Entry("/opt/makemcp", []string{"serve"}))
	if err != nil || outcome != Unchanged || backup != "" {
		t.Fatalf("second write: %v %q %v; want Unchanged and no backup", outcome, backup, err)
	}
	after, _ := os.ReadFile(path)
	bakAfter, _ := os.ReadFile(path + ".bak")
	if string(after) != string(before) || string(bakAfter) != string(bak) || string(bak) != `{"projects": {}}` {
		t.Errorf("file %q, backup %q; want both as they were", after, bakAfter)
	}
	for _, p := range []string{path, path + ".bak"} {
		if fi, _ := os.Stat(p); !fi.ModTime().Equal(old) {
			t.Errorf("%s was rewritten", p)
		}
	}
}

// A config kept elsewhere and linked into place stays linked.
func TestWriteThroughSymlink(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	h, _ := Lookup("cursor")
	dir := t.TempDir()
	real := filepath.Join(dir, "dotfiles", "cursor-mcp.json")
	os.MkdirAll(filepath.Dir(real), 0o700)
	orig := `{"mcpServers": {"gh": {"command": "gh"}}}`
	os.WriteFile(real, []byte(orig), 0o640)
	link := filepath.Join(dir, "home", ".cursor", "mcp.json")
	os.MkdirAll(filepath.Dir(link), 0o700)
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	outcome, backup, err := h.Write(link, "make", h.Entry("/opt/makemcp", []string{"serve"}))
	if err != nil || outcome != Added {
		t.Fatalf("write: %v %v", outcome, err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("%s is no longer a link", link)
	}
	data, _ := os.ReadFile(real)
	if !strings.Contains(string(data), `"make"`) || !strings.Contains(string(data), `"gh": {"command": "gh"}`) {
		t.Errorf("the linked file holds %s", data)
	}
	if fi, _ := os.Stat(real); fi.Mode().Perm() != 0o640 {
		t.Errorf("the linked file's mode is %v, want 0640 as it was", fi.Mode().Perm())
	}
	if b, _ := os.ReadFile(backup); backup != link+".bak" || string(b) != orig {
		t.Errorf("backup %s holds %q", backup, b)
	}
	entries, _ := os.ReadDir(filepath.Dir(real))
	if len(entries) != 1 {
		t.Errorf("the dotfiles folder holds %d files, want only the config", len(entries))
	}

	dangling := filepath.Join(dir, "home", "dangling.json")
	os.Symlink(filepath.Join(dir, "nowhere", "x.json"), dangling)
	if _, _, err := h.Write(dangling, "make", h.Entry("/opt/makemcp", nil)); err == nil || !strings.Contains(err.Error(), "leads nowhere") {
		t.Errorf("a dangling link: %v", err)
	}
}
