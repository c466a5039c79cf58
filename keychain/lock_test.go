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
func TestLockProfileAcrossProcesses(t *testing.T) {
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

func TestLockProfileWaitsForHolder(t *testing.T) {
	dir := t.TempDir()
	unlock, err := LockProfile(t.Context(), dir, "default")
	if err != nil {
		t.Fatal(err)
	}
	// Another lock on the same file (flock locks are per open file, so
	// this contends like another process) waits until its context ends.
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	if _, err := LockProfile(ctx, dir, "default"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("second LockProfile while held: %v, want DeadlineExceeded", err)
	}
	// Other profiles are independent.
	unlockOther, err := LockProfile(t.Context(), dir, "other")
	if err != nil {
		t.Fatalf("lock another profile: %v", err)
	}
	unlockOther()

	// Released, it can be taken again.
	unlock()
	unlock2, err := LockProfile(t.Context(), dir, "default")
	if err != nil {
		t.Fatalf("LockProfile after unlock: %v", err)
	}
	unlock2()

	if _, err := LockProfile(t.Context(), dir, "../x"); err == nil {
		t.Fatal("LockProfile with profile ../x succeeded")
	}
}

func TestUpdate(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	store := NewFile(dir)
	if _, err := Update(ctx, store, dir, "default", func(*Credential) (*Credential, error) {
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
	got, err := Update(ctx, store, dir, "default", func(c *Credential) (*Credential, error) {
		assertSame(t, c, first)
		return nil, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	assertSame(t, got, first)

	// change returning an error saves nothing.
	boom := errors.New("refresh failed")
	if _, err := Update(ctx, store, dir, "default", func(*Credential) (*Credential, error) { return second, boom }); !errors.Is(err, boom) {
		t.Fatalf("Update: %v, want the change's error", err)
	}
	if c, _ := store.Load(ctx, "default"); c.AccessToken != first.AccessToken {
		t.Fatal("a failed change was saved")
	}

	// change returning a credential saves it; the lock is released after.
	got, err = Update(ctx, store, dir, "default", func(*Credential) (*Credential, error) { return second, nil })
	if err != nil {
		t.Fatal(err)
	}
	assertSame(t, got, second)
	if c, _ := store.Load(ctx, "default"); c.AccessToken != second.AccessToken {
		t.Fatal("the changed credential was not saved")
	}
	unlock, err := LockProfile(ctx, dir, "default")
	if err != nil {
		t.Fatalf("lock after Update: %v", err)
	}
	unlock()
}
