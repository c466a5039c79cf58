package keychain

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestFileRoundTrip(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	f := NewFile(dir)
	if f.Name() != "file" {
		t.Fatalf("Name() = %q", f.Name())
	}
	if _, err := f.Load(ctx, "default"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Load before Save: %v, want ErrNotFound", err)
	}
	work, home := oauthCredential(16<<10), oauthCredential(100)
	if err := f.Save(ctx, "work", work); err != nil {
		t.Fatal(err)
	}
	if err := f.Save(ctx, "home", home); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]*Credential{"work": work, "home": home} {
		got, err := f.Load(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		assertSame(t, got, want)
	}
	name := filepath.Join(dir, "credentials", "work.json")
	if runtime.GOOS != "windows" {
		for path, want := range map[string]os.FileMode{filepath.Dir(name): 0o700, name: 0o600} {
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode().Perm() != want {
				t.Errorf("%s has mode %04o, want %04o", path, fi.Mode().Perm(), want)
			}
		}
	}

	// Saving over replaces; Delete removes the file and only that one.
	if err := f.Save(ctx, "work", home); err != nil {
		t.Fatal(err)
	}
	if got, err := f.Load(ctx, "work"); err != nil {
		t.Fatal(err)
	} else {
		assertSame(t, got, home)
	}
	if err := f.Delete(ctx, "work"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(name); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("after Delete, %s: %v", name, err)
	}
	if err := f.Delete(ctx, "work"); err != nil {
		t.Fatalf("Delete of a missing credential: %v", err)
	}
	if _, err := f.Load(ctx, "home"); err != nil {
		t.Fatalf("deleting work broke home: %v", err)
	}
	entries, _ := os.ReadDir(filepath.Dir(name))
	if len(entries) != 1 {
		t.Fatalf("credentials folder holds %d entries, want only home.json", len(entries))
	}
}

func TestFileRefusesSharedPermissions(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows has no Unix permission bits; see the File doc comment")
	}
	ctx := t.Context()
	for _, tt := range []struct {
		name   string
		damage func(dir, file string) error
		want   string
	}{
		{"folder readable by others", func(dir, _ string) error { return os.Chmod(dir, 0o755) }, "chmod 700"},
		{"folder open to the group", func(dir, _ string) error { return os.Chmod(dir, 0o770) }, "chmod 700"},
		{"file readable by others", func(_, file string) error { return os.Chmod(file, 0o644) }, "chmod 600"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			f := NewFile(dir)
			c := oauthCredential(100)
			if err := f.Save(ctx, "default", c); err != nil {
				t.Fatal(err)
			}
			credDir := filepath.Join(dir, "credentials")
			if err := tt.damage(credDir, filepath.Join(credDir, "default.json")); err != nil {
				t.Fatal(err)
			}
			_, err := f.Load(ctx, "default")
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "other users") {
				t.Fatalf("Load: %v; want a refusal saying %q", err, tt.want)
			}
			if strings.Contains(tt.want, "700") {
				if err := f.Save(ctx, "default", c); err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("Save: %v; want a refusal saying %q", err, tt.want)
				}
			}
		})
	}
}

func TestFileRefusesSymlink(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symlinks need privileges on Windows")
	}
	dir := t.TempDir()
	f := NewFile(dir)
	if err := f.Save(t.Context(), "real", oauthCredential(10)); err != nil {
		t.Fatal(err)
	}
	credDir := filepath.Join(dir, "credentials")
	if err := os.Symlink(filepath.Join(credDir, "real.json"), filepath.Join(credDir, "link.json")); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Load(t.Context(), "link"); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Fatalf("Load through a symlink: %v", err)
	}
}

func TestFileDamaged(t *testing.T) {
	dir := t.TempDir()
	f := NewFile(dir)
	if err := f.Save(t.Context(), "default", oauthCredential(10)); err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(dir, "credentials", "default.json")
	if err := os.WriteFile(name, []byte(`{"kind":"oauth","accessToken":"SECRET-TOKEN`), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := f.Load(t.Context(), "default")
	if err == nil || !strings.Contains(err.Error(), "damaged") || strings.Contains(err.Error(), "SECRET") {
		t.Fatalf("Load of a damaged file: %v; want a damaged error without the content", err)
	}
}

func TestFileRejectsBadInput(t *testing.T) {
	f := NewFile(t.TempDir())
	ctx := t.Context()
	if err := f.Save(ctx, "../escape", oauthCredential(10)); err == nil {
		t.Error("Save with profile ../escape succeeded")
	}
	if err := f.Save(ctx, "default", &Credential{Kind: OAuth}); err == nil {
		t.Error("Save of a credential without a token succeeded")
	}
	if _, err := f.Load(ctx, "a/b"); err == nil {
		t.Error("Load with profile a/b succeeded")
	}
	if err := f.Delete(ctx, ".."); err == nil {
		t.Error("Delete with profile .. succeeded")
	}
}
