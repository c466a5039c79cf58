// Package filecache keeps data that can be rebuilt, such as the scenario
// tools, in a file of the user's cache folder: 0600 in a 0700 folder,
// written atomically, so a reader never sees half a file. It is never
// the place for a secret.
package filecache

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/makemcp/makemcp/internal/atomicfile"
)

// File is one cache file.
type File struct {
	Path string
}

// In returns the cache file name in the makemcp folder of the user's
// cache folder (os.UserCacheDir, which XDG_CACHE_HOME moves on Linux).
func In(name string) (File, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return File{}, fmt.Errorf("no cache folder: %w", err)
	}
	return File{Path: filepath.Join(dir, "makemcp", name)}, nil
}

// Load reads the file. A file open to others, or not a regular file, is
// not trusted.
func (f File) Load() ([]byte, error) {
	fi, err := os.Lstat(f.Path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() || fi.Mode().Perm()&0o077 != 0 {
		return nil, errors.New("cache file " + f.Path + " is not a private regular file")
	}
	return os.ReadFile(f.Path)
}

// Save replaces the file, making its folder (0700) as needed.
func (f File) Save(b []byte) error {
	if err := os.MkdirAll(filepath.Dir(f.Path), 0o700); err != nil {
		return err
	}
	return atomicfile.WriteFile(f.Path, b, 0o600)
}
