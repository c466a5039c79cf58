package keychain

import (
	"encoding/json"
	"errors"
	"maps"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/zalando/go-keyring"
)

// The platforms' documented limits on one keychain item, as go-keyring
// v0.2.8 reaches each keychain, written here from the platforms'
// documentation and go-keyring's source rather than from itemLimits.
const (
	// credMaxCredentialBlobSize is CRED_MAX_CREDENTIAL_BLOB_SIZE of the
	// Windows Credential Manager (wincred.h): 5*512 bytes of secret.
	credMaxCredentialBlobSize = 5 * 512
	// securityMaxLine is the longest line go-keyring writes to macOS's
	// `security -i` to store an item (it refuses longer ones with
	// ErrSetDataTooBig).
	securityMaxLine = 4096
	// dbusMaxMessage is the D-Bus specification's maximum message length,
	// 2^27 bytes: the Secret Service sets no smaller limit of its own.
	dbusMaxMessage = 1 << 27
)

// documentedLimits report whether a platform's keychain takes an item
// holding size bytes.
var documentedLimits = map[string]func(service, account string, size int) bool{
	"windows": func(_, _ string, size int) bool { return size <= credMaxCredentialBlobSize },
	"darwin": func(service, account string, size int) bool {
		return securityLineLen(service, account, size) <= securityMaxLine
	},
	"linux": func(_, _ string, size int) bool { return size <= dbusMaxMessage },
}

// securityLineLen is the length of the line go-keyring gives `security -i`:
//
//	add-generic-password -U -s SERVICE -a ACCOUNT -w go-keyring-base64:BASE64\n
//
// with each of the three words quoted for a shell if it holds a character
// outside [\w@%+=:,./-] (the secret never does).
func securityLineLen(service, account string, size int) int {
	const fixed = len("add-generic-password -U -s ") + len(" -a ") + len(" -w ") + len("go-keyring-base64:") + len("\n")
	return fixed + len(shellWord(service)) + len(shellWord(account)) + 4*((size+2)/3)
}

var shellUnsafe = regexp.MustCompile(`[^\w@%+=:,./-]`)

func shellWord(s string) string {
	if shellUnsafe.MatchString(s) {
		return "'" + strings.ReplaceAll(s, "'", `'"'"'`) + "'"
	}
	return s
}

// documentedMax is the most bytes goos's keychain takes in one item of
// this service and account.
func documentedMax(goos, service, account string) int {
	accepts := documentedLimits[goos]
	lo, hi := 0, dbusMaxMessage+1 // accepts(lo), not accepts(hi)
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if accepts(service, account, mid) {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo
}

// The longest accounts: a profile of maxProfileLen characters, and its
// parts up to part 99999 (a credential of hundreds of megabytes).
var (
	longestProfile = strings.Repeat("p", maxProfileLen)
	longestPart    = partAccount(longestProfile, "b", 99999)
)

func TestItemLimitsWithinPlatformLimits(t *testing.T) {
	if got := slices.Sorted(maps.Keys(itemLimits)); !slices.Equal(got, []string{"darwin", "linux", "windows"}) {
		t.Fatalf("itemLimits covers %v, want darwin, linux and windows", got)
	}
	for _, goos := range slices.Sorted(maps.Keys(itemLimits)) {
		limit := itemLimits[goos]
		for _, account := range []string{longestProfile, longestPart} {
			if max := documentedMax(goos, service, account); limit > max {
				t.Errorf("%s: items of %d bytes, but the keychain takes at most %d for account %s", goos, limit, max, account)
			} else {
				t.Logf("%s: items of %d bytes; the keychain takes %d for account %.10s...", goos, limit, max, account)
			}
		}
		if limit <= maxHeaderBytes+1 {
			t.Errorf("%s: items of %d bytes leave the head no room after its header", goos, limit)
		}
	}
	if maxItemBytes != slices.Min(slices.Collect(maps.Values(itemLimits))) {
		t.Errorf("maxItemBytes = %d, not the smallest limit", maxItemBytes)
	}
	if itemLimitFor("freebsd") != itemLimits["linux"] {
		t.Error("the other Secret Service systems do not get Linux's limit")
	}
	if k := NewKeyring(0); k.itemBytes != itemLimitFor(runtime.GOOS) {
		t.Errorf("NewKeyring splits at %d bytes on %s, want %d", k.itemBytes, runtime.GOOS, itemLimitFor(runtime.GOOS))
	}
}

// The documented limits above are real checks: one byte more is refused.
func TestDocumentedLimits(t *testing.T) {
	tests := []struct {
		goos    string
		account string
		max     int
	}{
		{"windows", longestPart, 2560},
		// The line's fixed words take 54 bytes, "makemcp" 7, the account
		// of 71 characters quoted for its '#' 73: 3962 bytes are left, 990
		// groups of 4 base64 bytes, which encode 2970 bytes.
		{"darwin", longestPart, 2970},
		// 4096-54-7-1 = 4034 bytes: 1008 groups, 3024 bytes.
		{"darwin", "p", 3024},
		{"linux", longestPart, 1 << 27},
	}
	for _, tt := range tests {
		if got := documentedMax(tt.goos, service, tt.account); got != tt.max {
			t.Errorf("%s, account %.10s: %d bytes fit, want %d", tt.goos, tt.account, got, tt.max)
		}
	}
	// The line for a 3-byte secret, in full.
	line := "add-generic-password -U -s makemcp -a 'p#a2' -w go-keyring-base64:YWJj\n"
	if got := securityLineLen(service, "p#a2", 3); got != len(line) {
		t.Errorf("securityLineLen = %d, want %d", got, len(line))
	}
}

// headItem is the longest head item split's first part allows: a header
// line of maxHeaderBytes, the newline, and the part.
func headItem(first string) int { return maxHeaderBytes + 1 + len(first) }

func TestSplitAtEachLimit(t *testing.T) {
	for goos, limit := range itemLimits {
		share := limit - maxHeaderBytes - 1 // the head's share of the data
		for _, size := range []int{1, share, share + 1, share + limit, share + limit + 1, share + 5*limit + 7} {
			for _, unit := range []string{"a", "é😀"} {
				data := textOfSize(unit, size)
				first, rest := split(data, limit)
				if first+strings.Join(rest, "") != string(data) {
					t.Fatalf("%s, %d bytes: the parts do not add up", goos, size)
				}
				if n := headItem(first); n > limit {
					t.Errorf("%s, %d bytes: the head item may hold %d bytes, over %d", goos, size, n, limit)
				}
				for i, p := range rest {
					if len(p) > limit || !utf8.ValidString(p) {
						t.Errorf("%s, %d bytes: part %d is %d bytes, valid UTF-8 %v", goos, size, i+2, len(p), utf8.ValidString(p))
					}
				}
				if unit == "a" {
					if want := partsFor(len(data), limit); 1+len(rest) != want {
						t.Errorf("%s, %d bytes: %d items, want %d", goos, size, 1+len(rest), want)
					}
				}
			}
		}
	}
}

// textOfSize repeats unit up to size bytes, ending on a whole character.
func textOfSize(unit string, size int) []byte {
	s := strings.Repeat(unit, size/len(unit)+1)
	for len(s) > size {
		_, n := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-n]
	}
	return []byte(s)
}

// partsFor is how many items size bytes of ASCII take at limit.
func partsFor(size, limit int) int {
	share := limit - maxHeaderBytes - 1
	if size <= share {
		return 1
	}
	return 1 + (size-share+limit-1)/limit
}

// documentedBackend refuses items as goos's keychain would.
type documentedBackend struct {
	backend
	goos string
}

func (d documentedBackend) Set(service, account, secret string) error {
	if !documentedLimits[d.goos](service, account, len(secret)) {
		return keyring.ErrSetDataTooBig
	}
	return d.backend.Set(service, account, secret)
}

// credentialOfSize returns a credential whose JSON is exactly size bytes
// (at least a few hundred), its token made of unit repeated.
func credentialOfSize(t *testing.T, size int, unit string) *Credential {
	t.Helper()
	c := &Credential{
		Kind: OAuth, AccessToken: "", RefreshToken: "refresh-token", TokenType: "Bearer",
		Expiry: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC), Scopes: []string{"scenarios:read"},
		Issuer: "https://www.make.com", ClientID: "client-id", Zone: "eu1.make.com",
	}
	base := jsonLen(t, c)
	if size < base+len(unit) {
		t.Fatalf("a credential has at least %d bytes, not %d", base+len(unit), size)
	}
	token := strings.Repeat(unit, (size-base)/len(unit))
	c.AccessToken = token + strings.Repeat("x", size-base-len(token))
	if n := jsonLen(t, c); n != size {
		t.Fatalf("credential of %d bytes, want %d", n, size)
	}
	return c
}

func jsonLen(t *testing.T, c *Credential) int {
	t.Helper()
	data, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return len(data)
}

// sizesAround are credential sizes at the edges of the items at limit:
// the head full, one byte more, a part full, one byte more, many parts.
func sizesAround(limit int) []int {
	share := limit - maxHeaderBytes - 1
	return []int{share, share + 1, share + limit, share + limit + 1, share + 40*limit}
}

// edge is a credential of size bytes whose token repeats unit.
type edge struct {
	size int
	unit string
}

// edgesAround are the credentials the real keychains store at limit: the
// edges of sizesAround but the many parts, which cost a keychain call
// each, and one of two- and four-byte characters, whose cuts fall
// between characters rather than at the limit.
func edgesAround(limit int) []edge {
	var edges []edge
	for _, size := range sizesAround(limit)[:4] {
		edges = append(edges, edge{size, "a"})
	}
	return append(edges, edge{sizesAround(limit)[3] + limit + 2, "é😀"})
}

// TestSaveWithinPlatformLimits saves, at each platform's limit and with
// the longest profile name, through go-keyring's mock refusing items as
// that platform's keychain would; and checks that splitting at one byte
// over the platform's maximum is refused, so the refusal is real.
func TestSaveWithinPlatformLimits(t *testing.T) {
	ctx := t.Context()
	for _, goos := range slices.Sorted(maps.Keys(itemLimits)) {
		t.Run(goos, func(t *testing.T) {
			k := &Keyring{timeout: time.Second, service: service, backend: documentedBackend{goKeyring{}, goos}, itemBytes: itemLimits[goos]}
			profile := longestProfile[:maxProfileLen-len(goos)] + goos
			t.Cleanup(func() { k.Delete(ctx, profile) })
			for _, size := range sizesAround(k.itemBytes) {
				want := credentialOfSize(t, size, "a")
				if err := k.Save(ctx, profile, want); err != nil {
					t.Fatalf("save %d bytes: %v", size, err)
				}
				got, err := k.Load(ctx, profile)
				if err != nil {
					t.Fatal(err)
				}
				assertSame(t, got, want)
			}

			over := documentedMax(goos, service, partAccount(profile, "a", 2)) + 1
			if over > 1<<20 {
				return // Linux: no limit worth storing a credential against
			}
			k.itemBytes = over
			err := k.Save(ctx, profile, credentialOfSize(t, 3*over, "a"))
			if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "too large") {
				t.Errorf("items of %d bytes: Save = %v, want the keychain to refuse them", over, err)
			}
		})
	}
}
