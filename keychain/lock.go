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

// lockRetry is how often LockProfile tries again while another process
// holds the lock.
const lockRetry = 20 * time.Millisecond

// LockProfile takes the profile's cross-process lock, a lock file in dir,
// waiting until it is free or ctx ends. Whoever holds it may refresh and
// rotate the profile's credential; it must re-read the stored credential
// after taking the lock, because another process may have rotated it
// (Update does both). The returned function releases the lock.
//
// The lock is an flock(2) on Unix and LockFileEx on Windows: the OS
// releases it when the process dies, so a crash never leaves it stuck.
func LockProfile(ctx context.Context, dir, profile string) (unlock func(), err error) {
	if err := ValidateProfile(profile); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("lock profile %q: %w", profile, err)
	}
	l := flock.New(filepath.Join(dir, profile+".lock"), flock.SetPermissions(0o600))
	ok, err := l.TryLockContext(ctx, lockRetry)
	if err == nil && !ok {
		err = ctx.Err()
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return nil, fmt.Errorf("lock profile %q: another makemcp process is still refreshing its credential: %w", profile, err)
	}
	if err != nil {
		return nil, fmt.Errorf("lock profile %q: %w", profile, err)
	}
	return func() { l.Unlock() }, nil
}

// Update changes the profile's stored credential safely across processes:
// it takes the profile's lock in dir, loads the credential as stored now
// (another process may have just rotated it), and passes it to change. If
// change returns a credential, Update saves it. It returns the credential
// that is stored when it is done.
//
// change runs under the lock, so it is the place for a token refresh: it
// can return nil, nil when the current credential turns out to be fresh
// enough, and other processes wait instead of spending the same
// single-use refresh token.
func Update(ctx context.Context, s Store, dir, profile string, change func(current *Credential) (*Credential, error)) (*Credential, error) {
	unlock, err := LockProfile(ctx, dir, profile)
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
