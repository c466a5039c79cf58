package keychain

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"
)

// Several processes (not goroutines: the lock must hold across processes)
// each add to a counter many times, every addition a read-modify-write
// under the profile's lock. A lost update, which two holders at once
// would cause, leaves the final count short.
func TestLockAcrossProcesses(t *testing.T) {
	const procs, each = 4, 25
	dir := t.TempDir()
	store := NewFile(dir)
	if err := store.Save(t.Context(), counterName, &Credential{Kind: APIToken, AccessToken: "0"}); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), counterDirEnv+"="+dir, counterNEnv+"="+strconv.Itoa(each))
	var cmds []*exec.Cmd
	t.Cleanup(func() {
		// Kill whatever still runs after a failure.
		for _, cmd := range cmds {
			if cmd.ProcessState == nil {
				cmd.Process.Kill()
				cmd.Wait()
			}
		}
	})
	for range procs {
		cmd := childCommand(t, childCounter, env)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	for _, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("counter process: %v", err)
		}
	}
	c, err := store.Load(t.Context(), counterName)
	if err != nil {
		t.Fatal(err)
	}
	if want := strconv.Itoa(procs * each); c.AccessToken != want {
		t.Fatalf("counter = %s, want %s: updates were lost, so two processes held the lock at once", c.AccessToken, want)
	}
}

func TestLockWaitsForHolder(t *testing.T) {
	dir := t.TempDir()
	store := NewFile(dir)
	unlock, err := Lock(t.Context(), store, "default")
	if err != nil {
		t.Fatal(err)
	}
	// Another lock on the same file (flock locks are per open file, so
	// this contends like another process) waits until its context ends,
	// whichever File value takes it.
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	if _, err := Lock(ctx, NewFile(dir), "default"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("second Lock while held: %v, want DeadlineExceeded", err)
	}
	// Other profiles, and the same profile in another folder's file
	// store, are independent.
	unlockOther, err := Lock(t.Context(), store, "other")
	if err != nil {
		t.Fatalf("lock another profile: %v", err)
	}
	unlockOther()
	unlockElsewhere, err := Lock(t.Context(), NewFile(t.TempDir()), "default")
	if err != nil {
		t.Fatalf("lock the profile in another folder: %v", err)
	}
	unlockElsewhere()

	// Released, it can be taken again.
	unlock()
	unlock2, err := Lock(t.Context(), store, "default")
	if err != nil {
		t.Fatalf("Lock after unlock: %v", err)
	}
	unlock2()

	if _, err := Lock(t.Context(), store, "../x"); err == nil {
		t.Fatal("Lock with profile ../x succeeded")
	}
	// A store that lives in one process needs no lock.
	unlockEnv, err := Lock(t.Context(), NewEnv("t"), "default")
	if err != nil {
		t.Fatal(err)
	}
	unlockEnv()
}

// The OS keychain is the user's, whatever config folder a process uses:
// its lock is the same for every Keyring of one service, where the old
// lock in the config folder let two processes with different folders
// refresh one keychain item at once.
func TestKeyringLockIsTheUsers(t *testing.T) {
	a, b := NewKeyring(0), NewKeyring(0)
	a.service, b.service = testService, testService
	a.lockDir, b.lockDir = "", ""
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	unlock, err := a.Lock(t.Context(), "default")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	if _, err := b.Lock(ctx, "default"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a second Keyring locked the profile while the first held it: %v", err)
	}
	unlock()
	unlock, err = b.Lock(t.Context(), "default")
	if err != nil {
		t.Fatal(err)
	}
	unlock()
}

func TestUpdate(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	store := NewFile(dir)
	if _, err := Update(ctx, store, "default", func(*Credential) (*Credential, error) {
		t.Fatal("change called without a stored credential")
		return nil, nil
	}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Update without a credential: %v, want ErrNotFound", err)
	}

	first, second := oauthCredential(100), oauthCredential(100)
	if err := store.Save(ctx, "default", first); err != nil {
		t.Fatal(err)
	}
	// change returning nil keeps the stored credential.
	got, err := Update(ctx, store, "default", func(c *Credential) (*Credential, error) {
		assertSame(t, c, first)
		return nil, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	assertSame(t, got, first)

	// change returning an error saves nothing.
	boom := errors.New("refresh failed")
	if _, err := Update(ctx, store, "default", func(*Credential) (*Credential, error) { return second, boom }); !errors.Is(err, boom) {
		t.Fatalf("Update: %v, want the change's error", err)
	}
	if c, _ := store.Load(ctx, "default"); c.AccessToken != first.AccessToken {
		t.Fatal("a failed change was saved")
	}

	// change returning a credential saves it; the lock is released after.
	got, err = Update(ctx, store, "default", func(*Credential) (*Credential, error) { return second, nil })
	if err != nil {
		t.Fatal(err)
	}
	assertSame(t, got, second)
	if c, _ := store.Load(ctx, "default"); c.AccessToken != second.AccessToken {
		t.Fatal("the changed credential was not saved")
	}
	unlock, err := Lock(ctx, store, "default")
	if err != nil {
		t.Fatalf("lock after Update: %v", err)
	}
	unlock()
}
