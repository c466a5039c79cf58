package keychain

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/makemcp/makemcp/internal/atomicfile"
)

// File stores each profile's credential in its own file,
// <dir>/credentials/<profile>.json, for `login --insecure-storage` where no
// OS keychain works. The folder is 0700 and the files 0600, and File
// refuses to read or write them when other users could read them.
//
// On Windows the check is skipped: Go maps Windows ACLs onto only the
// read-only bit, so the mode bits say nothing there, and a folder under
// the user's profile (os.UserConfigDir) is private to that user by its
// inherited ACL.
type File struct {
	dir string
}

// NewFile returns the file store under the config folder dir.
func NewFile(dir string) *File { return &File{dir: filepath.Join(dir, "credentials")} }

// Name reports the storage as "file".
func (f *File) Name() string { return "file" }

func (f *File) path(profile string) string { return filepath.Join(f.dir, profile+".json") }

// Lock takes the profile's lock, <dir>/<profile>.lock in the config
// folder that holds the credential file: processes that share this config
// folder share the credential, and so the lock.
func (f *File) Lock(ctx context.Context, profile string) (unlock func(), err error) {
	if err := ValidateProfile(profile); err != nil {
		return nil, err
	}
	return lockFile(ctx, filepath.Join(filepath.Dir(f.dir), profile+".lock"), profile)
}

// Load reads the profile's credential file.
func (f *File) Load(_ context.Context, profile string) (*Credential, error) {
	data, err := f.read(profile)
	if err != nil {
		return nil, err
	}
	var c Credential
	if err := json.Unmarshal(data, &c); err != nil {
		// The JSON error could quote part of a token: leave it out.
		return nil, fmt.Errorf("credential file %s is damaged: run `makemcp login --insecure-storage` to replace it", f.path(profile))
	}
	return &c, nil
}

// Save writes the credential atomically and reads it back.
func (f *File) Save(_ context.Context, profile string, c *Credential) error {
	if err := ValidateProfile(profile); err != nil {
		return err
	}
	if err := c.check(); err != nil {
		return fmt.Errorf("save credential for profile %q: %w", profile, err)
	}
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return fmt.Errorf("save credential for profile %q: %w", profile, err)
	}
	if err := os.MkdirAll(f.dir, 0o700); err != nil {
		return fmt.Errorf("save credential: %w", err)
	}
	if err := checkPrivate(f.dir, "700"); err != nil {
		return err
	}
	if err := atomicfile.WriteFile(f.path(profile), data, 0o600); err != nil {
		return fmt.Errorf("save credential: %w", err)
	}
	got, err := f.read(profile)
	if err != nil {
		return fmt.Errorf("save credential for profile %q: reading it back: %w", profile, err)
	}
	if !bytes.Equal(got, data) {
		return fmt.Errorf("save credential for profile %q: %s does not hold what was written", profile, f.path(profile))
	}
	atomicfile.RemoveStale(f.path(profile), staleTemp)
	return nil
}

// staleTemp is how old a temporary file of an interrupted save must be
// before it is removed: no save takes that long.
const staleTemp = 30 * time.Second

// Delete removes the profile's credential file.
func (f *File) Delete(_ context.Context, profile string) error {
	if err := ValidateProfile(profile); err != nil {
		return err
	}
	if err := os.Remove(f.path(profile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("delete credential: %w", err)
	}
	// Logging out must leave no copy behind, not even from a save that
	// was interrupted.
	atomicfile.RemoveStale(f.path(profile), 0)
	return nil
}

// read returns the file's bytes after checking that only its owner can
// read the file and its folder.
func (f *File) read(profile string) ([]byte, error) {
	if err := ValidateProfile(profile); err != nil {
		return nil, err
	}
	name := f.path(profile)
	fi, err := os.Lstat(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w for profile %q", ErrNotFound, profile)
	}
	if err != nil {
		return nil, fmt.Errorf("read credential: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("credential file %s is not a regular file: remove it and log in again", name)
	}
	if err := checkPrivate(f.dir, "700"); err != nil {
		return nil, err
	}
	if err := checkPrivate(name, "600"); err != nil {
		return nil, err
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("read credential: %w", err)
	}
	return data, nil
}

// checkPrivate refuses a file or folder that users other than its owner
// can access; the error says the chmod that fixes it.
func checkPrivate(name, wantMode string) error {
	if runtime.GOOS == "windows" {
		return nil // see the File doc comment
	}
	fi, err := os.Stat(name)
	if err != nil {
		return fmt.Errorf("check permissions: %w", err)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return fmt.Errorf("refusing to use %s: other users can access it (mode %04o): run `chmod %s %s`", name, perm, wantMode, name)
	}
	return nil
}
