package keychain

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/zalando/go-keyring"
)

// These tests run on go-keyring's in-memory mock (see TestMain), each
// under its own service name, so they share no items.

func mockKeyring(t *testing.T) *Keyring {
	return &Keyring{timeout: time.Second, service: "makemcp-unit/" + t.Name(), backend: goKeyring{}}
}

// oauthCredential returns a credential whose access token is n bytes of
// JWT-like text, unique to the call.
func oauthCredential(n int) *Credential {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."
	token := make([]byte, n)
	for i := range token {
		token[i] = alphabet[rand.IntN(len(alphabet))]
	}
	return &Credential{
		Kind:         OAuth,
		AccessToken:  string(token),
		RefreshToken: "refresh-" + string(token[:min(n, 16)]),
		Expiry:       time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC),
		IssuedAt:     time.Date(2030, 1, 2, 2, 4, 5, 0, time.UTC),
		TokenType:    "Bearer",
		Scopes:       []string{"scenarios:read", "user:read"},
		Issuer:       "https://www.make.com",
		ClientID:     "client-id",
		Zone:         "eu1.make.com",
	}
}

func assertSame(t *testing.T, got, want *Credential) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("loaded credential differs from the saved one:\n got %v (token %d bytes)\nwant %v (token %d bytes)",
			got, len(got.AccessToken), want, len(want.AccessToken))
	}
}

func keys(m map[string]string) []string { return slices.Sorted(maps.Keys(m)) }

func TestNewKeyring(t *testing.T) {
	k := NewKeyring(0)
	if k.Name() != "keychain" || k.service != "makemcp" || k.timeout != CallTimeout {
		t.Fatalf("NewKeyring(0) = name %q, service %q, timeout %v; want keychain, makemcp, %v", k.Name(), k.service, k.timeout, CallTimeout)
	}
	if k := NewKeyring(PromptTimeout); k.timeout != PromptTimeout {
		t.Fatalf("NewKeyring(PromptTimeout).timeout = %v", k.timeout)
	}
}

func TestKeyringRoundTrip(t *testing.T) {
	ctx := t.Context()
	for _, size := range []int{1, 1500, maxItemBytes, 3 * maxItemBytes, 16 << 10, 100 << 10} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			k := mockKeyring(t)
			want := oauthCredential(size)
			if err := k.Save(ctx, "default", want); err != nil {
				t.Fatal(err)
			}
			got, err := k.Load(ctx, "default")
			if err != nil {
				t.Fatal(err)
			}
			assertSame(t, got, want)
		})
	}
}

func TestKeyringNotFound(t *testing.T) {
	k := mockKeyring(t)
	if _, err := k.Load(t.Context(), "default"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Load of a missing profile: %v, want ErrNotFound", err)
	}
	if err := k.Delete(t.Context(), "default"); err != nil {
		t.Fatalf("Delete of a missing profile: %v", err)
	}
}

func TestKeyringRejectsBadInput(t *testing.T) {
	k := mockKeyring(t)
	ctx := t.Context()
	for _, c := range []*Credential{nil, {AccessToken: "x"}, {Kind: "password", AccessToken: "x"}, {Kind: OAuth}} {
		if err := k.Save(ctx, "default", c); err == nil {
			t.Errorf("Save(%v) succeeded", c)
		}
	}
	if err := k.Save(ctx, "../x", oauthCredential(10)); err == nil {
		t.Error("Save with profile ../x succeeded")
	}
	if _, err := k.Load(ctx, "a/b"); err == nil {
		t.Error("Load with profile a/b succeeded")
	}
	if err := k.Delete(ctx, ".x"); err == nil {
		t.Error("Delete with profile .x succeeded")
	}
}

// limitedBackend refuses items the way go-keyring does on Windows and
// macOS, so the tests prove that no item reaches those limits.
type limitedBackend struct {
	backend
	limit func(service, account, secret string) bool
}

func (l limitedBackend) Set(service, account, secret string) error {
	if !l.limit(service, account, secret) {
		return keyring.ErrSetDataTooBig
	}
	return l.backend.Set(service, account, secret)
}

// Limits copied from go-keyring v0.2.8 (keyring_windows.go, keyring_darwin.go).
var platformLimits = map[string]func(service, account, secret string) bool{
	"windows": func(_, _, secret string) bool { return len(secret) <= 2560 },
	"darwin": func(service, account, secret string) bool {
		secret = "go-keyring-base64:" + base64.StdEncoding.EncodeToString([]byte(secret))
		command := fmt.Sprintf("add-generic-password -U -s %s -a %s -w %s\n", shellQuote(service), shellQuote(account), shellQuote(secret))
		return len(command) <= 4096
	},
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'"'"'`) + "'" }

func TestKeyringWithinPlatformLimits(t *testing.T) {
	longProfile := strings.Repeat("p", maxProfileLen)
	for goos, limit := range platformLimits {
		t.Run(goos, func(t *testing.T) {
			k := mockKeyring(t)
			k.service = "makemcp" // the real name, as long as the limits see it
			k.backend = limitedBackend{goKeyring{}, limit}
			// The limit is real: one item of the whole credential is refused.
			if err := k.set(t.Context(), "probe", strings.Repeat("x", 3100)); !errors.Is(err, keyring.ErrSetDataTooBig) {
				t.Fatalf("the %s limit let a 3100-byte item through: %v", goos, err)
			}
			for _, size := range []int{100, 2500, 16 << 10} {
				want := oauthCredential(size)
				if err := k.Save(t.Context(), longProfile, want); err != nil {
					t.Fatalf("save %d bytes: %v", size, err)
				}
				got, err := k.Load(t.Context(), longProfile)
				if err != nil {
					t.Fatal(err)
				}
				assertSame(t, got, want)
			}
			if err := k.Delete(t.Context(), longProfile); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// recorder remembers every account written, to check what remains.
type recorder struct {
	backend
	mu       sync.Mutex
	accounts map[string]bool
}

func (r *recorder) Set(service, account, secret string) error {
	r.mu.Lock()
	if r.accounts == nil {
		r.accounts = map[string]bool{}
	}
	r.accounts[account] = true
	r.mu.Unlock()
	return r.backend.Set(service, account, secret)
}

// remaining returns the recorded accounts that still hold an item.
func (r *recorder) remaining(t *testing.T, service string) map[string]string {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	items := map[string]string{}
	for a := range r.accounts {
		v, err := keyring.Get(service, a)
		if errors.Is(err, keyring.ErrNotFound) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		items[a] = v
	}
	return items
}

func TestKeyringItems(t *testing.T) {
	ctx := t.Context()
	k := mockKeyring(t)
	rec := &recorder{backend: goKeyring{}}
	k.backend = rec

	// A typical credential is one item, named after the profile.
	if err := k.Save(ctx, "work", oauthCredential(1000)); err != nil {
		t.Fatal(err)
	}
	if items := rec.remaining(t, k.service); len(items) != 1 || items["work"] == "" {
		t.Fatalf("a 1 KB credential is in items %v, want only \"work\"", keys(items))
	}

	// A long one is split, no item over the limit.
	if err := k.Save(ctx, "work", oauthCredential(16<<10)); err != nil {
		t.Fatal(err)
	}
	items := rec.remaining(t, k.service)
	if len(items) < 9 {
		t.Fatalf("a 16 KB credential is in %d items, want at least 9", len(items))
	}
	for a, v := range items {
		if len(v) > maxItemBytes {
			t.Errorf("item %s holds %d bytes, over %d", a, len(v), maxItemBytes)
		}
		if a != "work" && !strings.HasPrefix(a, "work#") {
			t.Errorf("item %s is not named after the profile", a)
		}
	}

	// A shorter one over it leaves no stale parts.
	if err := k.Save(ctx, "work", oauthCredential(3000)); err != nil {
		t.Fatal(err)
	}
	if items := rec.remaining(t, k.service); len(items) != 2 {
		t.Fatalf("a 3 KB credential saved over a 16 KB one leaves items %v, want 2", keys(items))
	}

	// Delete removes everything.
	if err := k.Delete(ctx, "work"); err != nil {
		t.Fatal(err)
	}
	if items := rec.remaining(t, k.service); len(items) != 0 {
		t.Fatalf("Delete left items %v", keys(items))
	}
}

func TestKeyringProfilesDoNotCollide(t *testing.T) {
	// "x#a2" is not a valid profile, so no profile's head can be
	// another's part; check that dotted names stay apart too.
	ctx := t.Context()
	k := mockKeyring(t)
	creds := map[string]*Credential{"x": oauthCredential(5000), "x.a2": oauthCredential(5000), "x.2": oauthCredential(10)}
	for p, c := range creds {
		if err := k.Save(ctx, p, c); err != nil {
			t.Fatal(err)
		}
	}
	for p, want := range creds {
		got, err := k.Load(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		assertSame(t, got, want)
	}
}

// failingBackend fails the nth write (Set or Delete), counting from 1,
// as a crash, timeout or full disk would in the middle of a Save.
type failingBackend struct {
	backend
	n, writes int
}

var errInjected = errors.New("injected failure")

func (f *failingBackend) Set(service, account, secret string) error {
	if f.writes++; f.writes == f.n {
		return errInjected
	}
	return f.backend.Set(service, account, secret)
}

func (f *failingBackend) Delete(service, account string) error {
	if f.writes++; f.writes == f.n {
		return errInjected
	}
	return f.backend.Delete(service, account)
}

// An interrupted Save must leave the old credential or the new one, never
// something else, and never an error on Load: whatever step fails.
func TestKeyringInterruptedSave(t *testing.T) {
	sizes := []struct{ old, new int }{{100, 100}, {100, 16 << 10}, {16 << 10, 100}, {9000, 11000}}
	for _, sz := range sizes {
		// One earlier Save leaves the credential in slot a, two in slot b.
		for _, saves := range []int{1, 2} {
			t.Run(fmt.Sprintf("%d over %d after %d saves", sz.new, sz.old, saves), func(t *testing.T) {
				testInterruptedSave(t, sz.old, sz.new, saves)
			})
		}
	}
}

func testInterruptedSave(t *testing.T, oldSize, newSize, saves int) {
	ctx := t.Context()
	for n := 1; ; n++ {
		k := mockKeyring(t)
		k.service += fmt.Sprint("/", n)
		rec := &recorder{backend: goKeyring{}}
		k.backend = rec
		old, next := oauthCredential(oldSize), oauthCredential(newSize)
		for range saves {
			if err := k.Save(ctx, "p", old); err != nil {
				t.Fatal(err)
			}
		}
		k.backend = &failingBackend{backend: rec, n: n}
		saveErr := k.Save(ctx, "p", next)
		k.backend = rec
		got, err := k.Load(ctx, "p")
		if err != nil {
			t.Fatalf("failure at write %d: Load: %v", n, err)
		}
		if !reflect.DeepEqual(got, old) && !reflect.DeepEqual(got, next) {
			t.Fatalf("failure at write %d: Load returned neither the old nor the new credential: %v", n, got)
		}
		// The next Save and Delete clean up whatever was left.
		if err := k.Save(ctx, "p", next); err != nil {
			t.Fatal(err)
		}
		if err := k.Delete(ctx, "p"); err != nil {
			t.Fatal(err)
		}
		if items := rec.remaining(t, k.service); len(items) != 0 {
			t.Fatalf("failure at write %d: after Save and Delete, items %v remain", n, keys(items))
		}
		if saveErr == nil {
			return // n is past the last write: every step was interrupted once
		}
		if !errors.Is(saveErr, errInjected) {
			t.Fatalf("failure at write %d: Save: %v", n, saveErr)
		}
	}
}

// An interrupted Delete leaves the credential or nothing loadable, and
// the next Delete removes the rest.
func TestKeyringInterruptedDelete(t *testing.T) {
	ctx := t.Context()
	for n := 1; ; n++ {
		k := mockKeyring(t)
		k.service += fmt.Sprint("/", n)
		rec := &recorder{backend: goKeyring{}}
		k.backend = rec
		want := oauthCredential(9000)
		if err := k.Save(ctx, "p", want); err != nil {
			t.Fatal(err)
		}
		k.backend = &failingBackend{backend: rec, n: n}
		delErr := k.Delete(ctx, "p")
		k.backend = rec
		got, err := k.Load(ctx, "p")
		switch {
		case errors.Is(err, ErrNotFound):
		case err != nil:
			t.Fatalf("failure at write %d: Load: %v", n, err)
		default:
			assertSame(t, got, want)
		}
		if err := k.Delete(ctx, "p"); err != nil {
			t.Fatal(err)
		}
		if items := rec.remaining(t, k.service); len(items) != 0 {
			t.Fatalf("failure at write %d: after Delete, items %v remain", n, keys(items))
		}
		if delErr == nil {
			return
		}
	}
}

// Items that do not belong together are reported as damaged, never
// returned as a truncated or mixed credential.
func TestKeyringDetectsDamage(t *testing.T) {
	ctx := t.Context()
	secret := oauthCredential(9000)
	tests := []struct {
		name   string
		damage func(k *Keyring)
		want   string
	}{
		{"part replaced", func(k *Keyring) {
			keyring.Set(k.service, "p#a3", strings.Repeat("x", maxItemBytes))
		}, "checksum mismatch"},
		{"part shortened", func(k *Keyring) {
			v, _ := keyring.Get(k.service, "p#a3")
			keyring.Set(k.service, "p#a3", v[:100])
		}, "bytes"},
		{"part missing", func(k *Keyring) { keyring.Delete(k.service, "p#a4") }, "part 4 of 5 is missing"},
		{"head replaced", func(k *Keyring) { keyring.Set(k.service, "p", secret.AccessToken) }, "no makemcp header"},
		{"newer format", func(k *Keyring) {
			v, _ := keyring.Get(k.service, "p")
			keyring.Set(k.service, "p", strings.Replace(v, `"format":1`, `"format":2`, 1))
		}, "format 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := mockKeyring(t)
			if err := k.Save(ctx, "p", secret); err != nil {
				t.Fatal(err)
			}
			tt.damage(k)
			c, err := k.Load(ctx, "p")
			if err == nil {
				t.Fatalf("Load of a damaged credential returned %v", c)
			}
			if !errors.Is(err, errDamaged) || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "makemcp login") {
				t.Fatalf("Load: %v; want a damaged error saying %q and naming makemcp login", err, tt.want)
			}
			if strings.Contains(err.Error(), secret.AccessToken[:20]) {
				t.Fatal("the error quotes the token")
			}
			// Saving over the damage repairs it.
			if err := k.Save(ctx, "p", secret); err != nil {
				t.Fatal(err)
			}
			got, err := k.Load(ctx, "p")
			if err != nil {
				t.Fatal(err)
			}
			assertSame(t, got, secret)
		})
	}
}

// truncatingBackend is a keychain that silently cuts long items.
type truncatingBackend struct{ backend }

func (b truncatingBackend) Set(service, account, secret string) error {
	return b.backend.Set(service, account, secret[:min(len(secret), 1000)])
}

func TestKeyringSaveReadsBack(t *testing.T) {
	k := mockKeyring(t)
	k.backend = truncatingBackend{goKeyring{}}
	if err := k.Save(t.Context(), "p", oauthCredential(1500)); err == nil {
		t.Fatal("Save into a keychain that truncates succeeded")
	}
}

// racingBackend runs a whole Save of another credential the first time a
// Load reads a part, as another process might.
type racingBackend struct {
	backend
	once  sync.Once
	other func()
}

func (r *racingBackend) Get(service, account string) (string, error) {
	if strings.Contains(account, "#") {
		r.once.Do(r.other)
	}
	return r.backend.Get(service, account)
}

func TestKeyringLoadRacingSave(t *testing.T) {
	ctx := t.Context()
	k := mockKeyring(t)
	first, second := oauthCredential(9000), oauthCredential(7000)
	if err := k.Save(ctx, "p", first); err != nil {
		t.Fatal(err)
	}
	writer := mockKeyring(t)
	race := &racingBackend{backend: goKeyring{}, other: func() {
		if err := writer.Save(ctx, "p", second); err != nil {
			t.Error(err)
		}
	}}
	k.backend = race
	got, err := k.Load(ctx, "p")
	if err != nil {
		t.Fatalf("Load racing a Save: %v", err)
	}
	assertSame(t, got, second)
}

// hangingBackend never answers until the test ends, like a Secret Service
// waiting on a prompt nobody sees.
type hangingBackend struct{ release chan struct{} }

func (h hangingBackend) Get(string, string) (string, error) { <-h.release; return "", errInjected }
func (h hangingBackend) Set(string, string, string) error   { <-h.release; return errInjected }
func (h hangingBackend) Delete(string, string) error        { <-h.release; return errInjected }

func TestKeyringTimeout(t *testing.T) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	k := &Keyring{timeout: 50 * time.Millisecond, service: "makemcp-unit", backend: hangingBackend{release}}
	ctx := t.Context()

	_, loadErr := k.Load(ctx, "p")
	for op, err := range map[string]error{
		"Load":   loadErr,
		"Save":   k.Save(ctx, "p", oauthCredential(10)),
		"Delete": k.Delete(ctx, "p"),
	} {
		if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "no answer within 50ms") {
			t.Errorf("%s: %v; want ErrUnavailable saying no answer within 50ms", op, err)
		}
		if strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), "--insecure-storage") || !strings.Contains(err.Error(), "MAKE_API_TOKEN") {
			t.Errorf("%s: %q is not one line naming --insecure-storage and MAKE_API_TOKEN", op, err)
		}
	}

	// A cancelled context is the caller's doing, not the keychain's.
	k.timeout = time.Hour
	cctx, cancel := context.WithCancel(ctx)
	time.AfterFunc(10*time.Millisecond, cancel)
	if _, err := k.Load(cctx, "p"); !errors.Is(err, context.Canceled) || errors.Is(err, ErrUnavailable) {
		t.Errorf("Load with a cancelled context: %v; want context.Canceled", err)
	}
	if _, err := k.Load(cctx, "p"); !errors.Is(err, context.Canceled) {
		t.Errorf("Load with a context cancelled before: %v", err)
	}
}

// erringBackend fails every call with err.
type erringBackend struct{ err error }

func (e erringBackend) Get(string, string) (string, error) { return "", e.err }
func (e erringBackend) Set(string, string, string) error   { return e.err }
func (e erringBackend) Delete(string, string) error        { return e.err }

func TestKeyringErrorsAreUnavailable(t *testing.T) {
	k := &Keyring{timeout: time.Second, service: "makemcp-unit", backend: erringBackend{errors.New("exit status 36")}}
	_, err := k.Load(t.Context(), "p")
	if !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Load: %v; want ErrUnavailable", err)
	}
	if msg := err.Error(); !strings.HasPrefix(msg, "OS keychain unavailable (") || strings.Contains(msg, "\n") {
		t.Fatalf("Load: %q is not the one-line unavailable message", msg)
	}
}

func TestSplit(t *testing.T) {
	// Cuts fall between UTF-8 characters, and the parts add up.
	data := []byte(strings.Repeat("é€😀a", 2000))
	first, rest := split(data, maxItemBytes)
	joined := first + strings.Join(rest, "")
	if joined != string(data) {
		t.Fatal("parts do not add up to the data")
	}
	for i, p := range append([]string{first}, rest...) {
		if !utf8.ValidString(p) {
			t.Fatalf("part %d is cut inside a character", i)
		}
		if len(p) > maxItemBytes {
			t.Fatalf("part %d is %d bytes", i, len(p))
		}
	}
}
