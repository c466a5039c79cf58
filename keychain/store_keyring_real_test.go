//go:build linux

package keychain

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/makemcp/makemcp/internal/testenv"
	"github.com/zalando/go-keyring"
)

// The tests in this file run against the real Linux keychain: GNOME
// Keyring's Secret Service, reached through go-keyring and D-Bus.

// realKeyring returns a Keyring on the test process's Secret Service,
// after checking that one is reachable, under the service "makemcp-test"
// so that a developer's own credentials are never touched.
func realKeyring(t *testing.T) *Keyring {
	t.Helper()
	const why = "run the tests through ./scripts/test ./keychain/... (a private D-Bus session with an unlocked gnome-keyring)"
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		// Without an address godbus might autolaunch a bus that outlives the test.
		testenv.Missing(t, "Secret Service", "DBUS_SESSION_BUS_ADDRESS is not set; "+why)
	}
	k := NewKeyring(CallTimeout)
	k.service = testService
	probe := fmt.Sprintf("probe-%d", os.Getpid())
	if err := k.set(t.Context(), probe, "probe"); err != nil {
		testenv.Missing(t, "Secret Service", err.Error()+"; "+why)
	}
	if err := k.del(t.Context(), probe); err != nil {
		testenv.Missing(t, "Secret Service", err.Error()+"; "+why)
	}
	return k
}

func TestSecretService(t *testing.T) {
	if os.Getenv(childEnv) != childRealKeychain {
		runInChild(t)
		return
	}
	k := realKeyring(t)
	ctx := t.Context()
	// Profiles unique to this run, removed at the end even on failure.
	profile := func(name string) string {
		p := fmt.Sprintf("%s-%d", name, os.Getpid())
		t.Cleanup(func() { k.Delete(context.Background(), p) })
		return p
	}

	t.Run("save load delete", func(t *testing.T) {
		p := profile("basic")
		want := oauthCredential(64)
		if err := k.Save(ctx, p, want); err != nil {
			t.Fatal(err)
		}
		got, err := k.Load(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		assertSame(t, got, want)
		if err := k.Delete(ctx, p); err != nil {
			t.Fatal(err)
		}
		if _, err := k.Load(ctx, p); !errors.Is(err, ErrNotFound) {
			t.Fatalf("Load after Delete: %v, want ErrNotFound", err)
		}
		if err := k.Delete(ctx, p); err != nil {
			t.Fatalf("Delete of a deleted credential: %v", err)
		}
	})

	t.Run("16 KB credential", func(t *testing.T) {
		p := profile("big")
		want := oauthCredential(16 << 10)
		if err := k.Save(ctx, p, want); err != nil {
			t.Fatal(err)
		}
		got, err := k.Load(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		assertSame(t, got, want)
		// The items really are separate, and each within the limit.
		items := itemsOf(t, k, p)
		if len(items) < 9 {
			t.Fatalf("a 16 KB credential is in %d items, want at least 9", len(items))
		}
		for name, v := range items {
			if len(v) > maxItemBytes {
				t.Errorf("item %s holds %d bytes, more than %d", name, len(v), maxItemBytes)
			}
		}

		// A shorter credential replaces it and leaves no stale parts.
		short := oauthCredential(100)
		if err := k.Save(ctx, p, short); err != nil {
			t.Fatal(err)
		}
		if got, err := k.Load(ctx, p); err != nil {
			t.Fatal(err)
		} else {
			assertSame(t, got, short)
		}
		if items := itemsOf(t, k, p); len(items) != 1 {
			t.Fatalf("after saving a short credential over a long one, %d items remain, want 1", len(items))
		}

		if err := k.Delete(ctx, p); err != nil {
			t.Fatal(err)
		}
		if items := itemsOf(t, k, p); len(items) != 0 {
			t.Fatalf("after Delete, %d items remain: %v", len(items), keys(items))
		}
	})

	t.Run("two profiles side by side", func(t *testing.T) {
		work, home := profile("work"), profile("home")
		w, h := oauthCredential(5000), oauthCredential(3000)
		h.Zone = "us1.make.com"
		if err := k.Save(ctx, work, w); err != nil {
			t.Fatal(err)
		}
		if err := k.Save(ctx, home, h); err != nil {
			t.Fatal(err)
		}
		for p, want := range map[string]*Credential{work: w, home: h} {
			got, err := k.Load(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			assertSame(t, got, want)
		}
		if err := k.Delete(ctx, work); err != nil {
			t.Fatal(err)
		}
		got, err := k.Load(ctx, home)
		if err != nil {
			t.Fatalf("deleting one profile broke the other: %v", err)
		}
		assertSame(t, got, h)
	})
}

// itemsOf returns the profile's items in the keychain: the head and every
// part in both slots, as far as they go.
func itemsOf(t *testing.T, k *Keyring, profile string) map[string]string {
	t.Helper()
	items := map[string]string{}
	accounts := []string{profile}
	for _, slot := range []string{"a", "b"} {
		for i := 2; i <= 24; i++ { // a 16 KB credential needs 9 parts
			accounts = append(accounts, partAccount(profile, slot, i))
		}
	}
	for _, a := range accounts {
		v, err := keyring.Get(k.service, a)
		if errors.Is(err, keyring.ErrNotFound) {
			continue
		}
		if err != nil {
			t.Fatalf("get %s: %v", a, err)
		}
		items[a] = v
	}
	return items
}

// TestKeyringUnavailable runs keychain calls in child processes whose
// D-Bus environment is broken in one way each, and checks that every call
// fails with ErrUnavailable, a one-line message naming the way out, and
// the reason for that failure (not the timeout's, except where the
// keychain hangs: so the call returned before the timeout).
func TestKeyringUnavailable(t *testing.T) {
	tests := []struct {
		name    string
		env     func(t *testing.T) []string
		timeout string
		reason  string
	}{{
		name: "no D-Bus session bus at the address",
		env: func(t *testing.T) []string {
			return []string{"DBUS_SESSION_BUS_ADDRESS=unix:path=" + filepath.Join(t.TempDir(), "no-such-socket")}
		},
		reason: "cannot connect to the D-Bus session",
	}, {
		name: "no D-Bus session address",
		env: func(t *testing.T) []string {
			if _, err := os.Stat(fmt.Sprintf("/run/user/%d/bus", os.Getuid())); err == nil {
				t.Skip("this machine has a systemd user bus, which would be used")
			}
			// Should the check for a missing address break, godbus
			// must not find dbus-launch and leave a bus running.
			return []string{"PATH=" + t.TempDir()}
		},
		reason: "no D-Bus session: DBUS_SESSION_BUS_ADDRESS is not set",
	}, {
		name: "no Secret Service on the bus",
		env: func(t *testing.T) []string {
			return []string{"DBUS_SESSION_BUS_ADDRESS=" + testenv.SessionBus(t)}
		},
		reason: "no Secret Service on the D-Bus session",
	}, {
		name: "locked keyring",
		env: func(t *testing.T) []string {
			s := testenv.StartSecretService(t)
			s.Lock(t)
			return []string{"DBUS_SESSION_BUS_ADDRESS=" + s.BusAddress}
		},
		reason: "the keyring is locked",
	}, {
		name: "Secret Service that does not answer",
		env: func(t *testing.T) []string {
			s := testenv.StartSecretService(t)
			if err := s.Daemon.Signal(syscall.SIGSTOP); err != nil {
				t.Fatal(err)
			}
			return []string{"DBUS_SESSION_BUS_ADDRESS=" + s.BusAddress}
		},
		timeout: "300ms",
		reason:  "no answer within 300ms",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			timeout := tt.timeout
			if timeout == "" {
				timeout = CallTimeout.String()
			}
			env := append(testenv.Environ("DBUS_SESSION_BUS_ADDRESS", "DISPLAY", "WAYLAND_DISPLAY"), tt.env(t)...)
			out, err := childCommand(t, childKeychainOps, append(env, opsTimeoutEnv+"="+timeout)).Output()
			if err != nil {
				t.Fatalf("child: %v\n%s", err, out)
			}
			for _, r := range parseOps(t, out) {
				if !r.unavailable {
					t.Errorf("%s: error %q does not wrap ErrUnavailable", r.op, r.err)
				}
				if !strings.Contains(r.err, tt.reason) {
					t.Errorf("%s: error %q does not say %q", r.op, r.err, tt.reason)
				}
				if !strings.Contains(r.err, "--insecure-storage") || !strings.Contains(r.err, "MAKE_API_TOKEN") {
					t.Errorf("%s: error %q does not name --insecure-storage and MAKE_API_TOKEN", r.op, r.err)
				}
			}
		})
	}

	// The same child against a working private keyring: the harness
	// itself is sound, and the calls above failed because of the
	// environment.
	t.Run("working keyring", func(t *testing.T) {
		s := testenv.StartSecretService(t)
		env := append(testenv.Environ("DBUS_SESSION_BUS_ADDRESS", "DISPLAY", "WAYLAND_DISPLAY"),
			"DBUS_SESSION_BUS_ADDRESS="+s.BusAddress, opsTimeoutEnv+"="+CallTimeout.String())
		out, err := childCommand(t, childKeychainOps, env).Output()
		if err != nil {
			t.Fatalf("child: %v\n%s", err, out)
		}
		for _, r := range parseOps(t, out) {
			if r.err != "<nil>" {
				t.Errorf("%s: %s", r.op, r.err)
			}
		}
	})
}
