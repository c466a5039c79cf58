package keychain

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/gofrs/flock"
)

// Locker is a Store that several processes share. Lock takes the
// cross-process lock of one profile's credential in that store, waiting
// until it is free or ctx ends, and returns the function that releases it.
//
// Whoever holds the lock may change the profile's credential: refresh and
// rotate it, replace it at login, delete it at logout. The lock belongs to
// where the credential lives, not to a process's config folder: two
// processes with different config folders share one OS keychain item, and
// so one lock.
type Locker interface {
	Lock(ctx context.Context, profile string) (unlock func(), err error)
}

// Lock takes the profile's lock in s (see Locker). A store that is not a
// Locker lives in one process only (MAKE_API_TOKEN, which is read-only,
// or a test's store in memory) and needs no lock.
func Lock(ctx context.Context, s Store, profile string) (unlock func(), err error) {
	if err := ValidateProfile(profile); err != nil {
		return nil, err
	}
	if l, ok := s.(Locker); ok {
		return l.Lock(ctx, profile)
	}
	return func() {}, nil
}

// lockRetry is how often a lock is tried again while another process
// holds it.
const lockRetry = 20 * time.Millisecond

// lockFile takes the lock file name, waiting until it is free or ctx
// ends. The lock is an flock(2) on Unix and LockFileEx on Windows: the OS
// releases it when the process dies, so a crash never leaves it stuck.
func lockFile(ctx context.Context, name, profile string) (unlock func(), err error) {
	if err := os.MkdirAll(filepath.Dir(name), 0o700); err != nil {
		return nil, fmt.Errorf("lock profile %q: %w", profile, err)
	}
	l := flock.New(name, flock.SetPermissions(0o600))
	ok, err := l.TryLockContext(ctx, lockRetry)
	if err == nil && !ok {
		err = ctx.Err()
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return nil, fmt.Errorf("lock profile %q: another makemcp process is still changing its credential: %w", profile, err)
	}
	if err != nil {
		return nil, fmt.Errorf("lock profile %q: %w", profile, err)
	}
	return func() { l.Unlock() }, nil
}

// Update changes the profile's stored credential safely across processes:
// it takes the profile's lock in s, loads the credential as stored now
// (another process may have just rotated it, or logged out), and passes
// it to change. If change returns a credential, Update saves it. It
// returns the credential that is stored when it is done.
//
// change runs under the lock, so it is the place for a token refresh: it
// can return nil, nil when the current credential turns out to be fresh
// enough, and other processes wait instead of spending the same
// single-use refresh token. A credential that is gone (ErrNotFound) is
// never brought back: change is not called.
func Update(ctx context.Context, s Store, profile string, change func(current *Credential) (*Credential, error)) (*Credential, error) {
	unlock, err := Lock(ctx, s, profile)
	if err != nil {
		return nil, err
	}
	defer unlock()
	current, err := s.Load(ctx, profile)
	if err != nil {
		return nil, err
	}
	next, err := change(current)
	if err != nil {
		return nil, err
	}
	if next == nil {
		return current, nil
	}
	if err := s.Save(ctx, profile, next); err != nil {
		return nil, err
	}
	return next, nil
}
