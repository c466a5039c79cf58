package keychain

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/makemcp/makemcp/internal/testenv"
	"github.com/zalando/go-keyring"
)

// osKeychainEnv opts in to TestItemLimitsOnOSKeychain on macOS and
// Windows, where it writes into the user's own keychain: the release
// checklist in docs/install.md runs it there.
const osKeychainEnv = "MAKEMCP_TEST_OS_KEYCHAIN"

// TestItemLimitsOnOSKeychain saves and loads credentials split at every
// platform's limit in the real OS keychain, at the edges of its items
// (see edgesAround), with the longest profile name, and checks what lands in the keychain:
// how many items, none over the limit, each valid UTF-8, and nothing left
// after Delete. Where the keychain is documented to take less than a
// limit (Windows takes 2560 bytes, less than macOS's 2944), it checks that
// Save is refused.
//
// On Linux it runs against GNOME Keyring (./scripts/test ./keychain/...);
// on macOS and Windows against the login keychain or Credential Manager,
// with MAKEMCP_TEST_OS_KEYCHAIN=1.
func TestItemLimitsOnOSKeychain(t *testing.T) {
	switch runtime.GOOS {
	case "darwin", "windows":
		if os.Getenv(osKeychainEnv) != "1" {
			t.Skipf("it writes test items (service %q) into your own keychain: set %s=1 to run it", testService, osKeychainEnv)
		}
	}
	if os.Getenv(childEnv) != childRealKeychain {
		runInChild(t)
		return
	}
	k := osKeychain(t)
	ctx := t.Context()
	// The documented limits of this keychain: other systems have the
	// Secret Service, as Linux does.
	here := runtime.GOOS
	if _, ok := documentedLimits[here]; !ok {
		here = "linux"
	}
	for _, goos := range slices.Sorted(maps.Keys(itemLimits)) {
		limit := itemLimits[goos]
		t.Run(fmt.Sprintf("%s %d bytes", goos, limit), func(t *testing.T) {
			k := *k
			k.itemBytes = limit
			// A profile of the longest length, unique to this run.
			profile := fmt.Sprintf("limits-%s-%d-", goos, os.Getpid())
			profile += strings.Repeat("x", maxProfileLen-len(profile))
			t.Cleanup(func() { k.Delete(context.Background(), profile) })

			if takes := documentedMax(here, k.service, partAccount(profile, "a", 2)); limit > takes {
				err := k.Save(ctx, profile, credentialOfSize(t, 3*limit, "a"))
				if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "too large") {
					t.Errorf("the %s keychain took items of %d bytes (documented: %d): Save = %v", runtime.GOOS, limit, takes, err)
				}
				return
			}
			for _, e := range edgesAround(limit) {
				want := credentialOfSize(t, e.size, e.unit)
				if err := k.Save(ctx, profile, want); err != nil {
					t.Fatalf("save %d bytes of %q: %v", e.size, e.unit, err)
				}
				got, err := k.Load(ctx, profile)
				if err != nil {
					t.Fatalf("load %d bytes of %q: %v", e.size, e.unit, err)
				}
				assertSame(t, got, want)
				items := storedItems(t, &k, profile)
				for account, v := range items {
					if len(v) > limit || !utf8.ValidString(v) {
						t.Errorf("%d bytes of %q: item %s holds %d bytes (valid UTF-8: %v), limit %d", e.size, e.unit, account, len(v), utf8.ValidString(v), limit)
					}
				}
				if want := partsFor(e.size, limit); e.unit == "a" && len(items) != want {
					t.Errorf("%d bytes: %d items %v, want %d", e.size, len(items), slices.Sorted(maps.Keys(items)), want)
				}
			}
			if err := k.Delete(ctx, profile); err != nil {
				t.Fatal(err)
			}
			if left := storedItems(t, &k, profile); len(left) != 0 {
				t.Errorf("after Delete, items %v remain", slices.Sorted(maps.Keys(left)))
			}
		})
	}
}

// osKeychain returns a Keyring on this process's real OS keychain under
// the service "makemcp-test", after a probe shows it works.
func osKeychain(t *testing.T) *Keyring {
	t.Helper()
	const why = "on Linux, run the tests through ./scripts/test ./keychain/... (a private D-Bus session with an unlocked gnome-keyring)"
	if runtime.GOOS != "darwin" && runtime.GOOS != "windows" && os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		// Without an address godbus might autolaunch a bus that outlives the test.
		testenv.Missing(t, "Secret Service", "DBUS_SESSION_BUS_ADDRESS is not set; "+why)
	}
	k := NewKeyring(CallTimeout)
	k.service = testService
	probe := fmt.Sprintf("probe-%d", os.Getpid())
	if err := k.set(t.Context(), probe, "probe"); err != nil {
		testenv.Missing(t, "OS keychain", err.Error()+"; "+why)
	}
	if err := k.del(t.Context(), probe); err != nil {
		testenv.Missing(t, "OS keychain", err.Error()+"; "+why)
	}
	return k
}

// storedItems reads the profile's items straight from the keychain: the
// head and the parts of both slots, as far as each goes.
func storedItems(t *testing.T, k *Keyring, profile string) map[string]string {
	t.Helper()
	items := map[string]string{}
	get := func(account string) bool {
		v, err := keyring.Get(k.service, account)
		if errors.Is(err, keyring.ErrNotFound) {
			return false
		}
		if err != nil {
			t.Fatalf("get %s: %v", account, err)
		}
		items[account] = v
		return true
	}
	get(profile)
	for _, slot := range []string{"a", "b"} {
		for i := 2; get(partAccount(profile, slot, i)); i++ {
		}
	}
	return items
}
