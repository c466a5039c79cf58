package config

import (
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

func TestLoadMissingIsEmpty(t *testing.T) {
	f, err := Load(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Profiles) != 0 {
		t.Fatalf("profiles = %v, want none", f.Profiles)
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "makemcp")
	f := &File{Profiles: map[string]Profile{
		"default": {Zone: "eu1.make.com", Storage: "keychain", Organization: 5, Team: 18,
			User: &User{ID: 1, Name: "Maker", Email: "m@example.com"}, Organizations: []Organization{{ID: 5, Name: "Org", Zone: "eu1.make.com"}}},
		"work": {Zone: "http://127.0.0.1:8080", Issuer: "http://127.0.0.1:9000", ClientID: "cli"},
	}}
	if err := f.Save(dir); err != nil {
		t.Fatal(err)
	}
	got, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Profiles, f.Profiles) {
		t.Fatalf("round trip = %+v, want %+v", got.Profiles, f.Profiles)
	}
	if runtime.GOOS != "windows" {
		for _, p := range []string{dir, filepath.Join(dir, FileName)} {
			fi, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode().Perm()&0o077 != 0 {
				t.Errorf("%s mode = %v, want no access for group or others", p, fi.Mode().Perm())
			}
		}
	}
}

func TestLoadCorruptSaysWhatToDo(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, FileName), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Load(dir)
	if err == nil || !strings.Contains(err.Error(), "fix or delete") {
		t.Fatalf("Load(corrupt) error = %v, want one that says to fix or delete the file", err)
	}
}

func TestDir(t *testing.T) {
	env := map[string]string{"MAKEMCP_CONFIG_DIR": "/tmp/x"}
	if d, _ := Dir(func(k string) string { return env[k] }); d != "/tmp/x" {
		t.Fatalf("Dir with MAKEMCP_CONFIG_DIR = %q", d)
	}
	d, err := Dir(func(string) string { return "" })
	if err == nil && filepath.Base(d) != "makemcp" {
		t.Fatalf("default Dir = %q, want .../makemcp", d)
	}
}
