package filecache

import (
	"os"
	"path/filepath"
	"testing"
)

func TestSaveLoad(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	f, err := In(filepath.Join("scenario-tools", "x.json"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Load(); err == nil {
		t.Fatal("a cache that was never saved loads")
	}
	if err := f.Save([]byte("data")); err != nil {
		t.Fatal(err)
	}
	b, err := f.Load()
	if err != nil || string(b) != "data" {
		t.Fatalf("load = %q, %v", b, err)
	}
	fi, _ := os.Stat(f.Path)
	di, _ := os.Stat(filepath.Dir(f.Path))
	if fi.Mode().Perm() != 0o600 || di.Mode().Perm() != 0o700 {
		t.Errorf("file %v, folder %v; want 0600 and 0700", fi.Mode().Perm(), di.Mode().Perm())
	}
	// A file others can read is not trusted.
	if err := os.Chmod(f.Path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Load(); err == nil {
		t.Error("a cache file open to others was loaded")
	}
}
