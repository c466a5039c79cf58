package keychain

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/zalando/go-keyring"
)

// Timeouts for each call into the OS keychain. A locked or absent Secret
// Service can block forever, so every call has one.
const (
	// CallTimeout bounds a keychain call that nobody is there to answer
	// an unlock prompt for (serve, token, status): fail quickly and say
	// what to do.
	CallTimeout = 5 * time.Second
	// PromptTimeout bounds a keychain call that may show an unlock prompt
	// a person answers (login, logout).
	PromptTimeout = 30 * time.Second
)

const (
	// service is the keychain service name of every makemcp item.
	service = "makemcp"

	// maxHeaderBytes bounds the header line at the start of the head item
	// (its JSON is about 130 bytes), so the head's share of the data is
	// known before the header is written.
	maxHeaderBytes = 256

	headFormat = 1

	// loadAttempts: a Load that races a Save can see the new head with the
	// old parts gone, or the reverse; the checksum catches it, and reading
	// again finds the new credential whole.
	loadAttempts = 3
)

var errDamaged = errors.New("damaged")

// Keyring stores credentials in the OS keychain through go-keyring: the
// macOS keychain, Windows Credential Manager, or the Secret Service
// (GNOME Keyring, KWallet) on Linux.
//
// A credential is split across items so that no item exceeds the
// platform's limit (see itemLimits), and a long token never fails to save
// or saves truncated. All items have the service "makemcp":
//
//   - The head item, account "<profile>", holds a one-line JSON header
//     (format, slot, number of parts, total size, SHA-256) followed by
//     the first part of the credential's JSON.
//   - Further parts have the accounts "<profile>#a2", "<profile>#a3"... or
//     "<profile>#b2", "<profile>#b3"..., as the header's slot says. '#'
//     cannot occur in a profile name, so no part collides with another
//     profile's head.
//
// Save writes the parts into the slot the head does not name, then
// replaces the head (one atomic item write), then removes the previous
// slot's parts, then reads everything back. An interrupted Save therefore
// leaves the previous credential loadable, and a Load that races a Save
// sees a size or checksum mismatch, never a truncated token: it reads again
// or reports the credential as damaged. Saves of one profile must not run
// concurrently; processes serialize them with LockProfile.
//
// Each keychain call runs in its own goroutine and is abandoned when the
// timeout passes or ctx ends: go-keyring has no cancellation, and a call
// blocked inside D-Bus or the macOS `security` tool may never return, so
// that goroutine leaks until the process exits.
type Keyring struct {
	timeout time.Duration
	service string
	backend backend
	// lockDir holds the lock files (see Lock); empty means the user's
	// lock folder, found when a lock is first taken.
	lockDir string
	// itemBytes is the most one item holds (see itemLimit).
	itemBytes int
}

// backend is the part of go-keyring that Keyring uses.
type backend interface {
	Get(service, account string) (string, error)
	Set(service, account, secret string) error
	Delete(service, account string) error
}

// NewKeyring returns the OS keychain store; each keychain call fails with
// ErrUnavailable after timeout (CallTimeout if timeout is not positive).
func NewKeyring(timeout time.Duration) *Keyring {
	if timeout <= 0 {
		timeout = CallTimeout
	}
	return &Keyring{timeout: timeout, service: service, backend: goKeyring{precheck: platformCheck}, itemBytes: itemLimitFor(runtime.GOOS)}
}

// itemLimit is the most one item holds: the platform's, or for a Keyring
// not made by NewKeyring, the size every platform accepts.
func (k *Keyring) itemLimit() int {
	if k.itemBytes > 0 {
		return k.itemBytes
	}
	return maxItemBytes
}

// Name reports the storage as "keychain".
func (k *Keyring) Name() string { return "keychain" }

// Lock takes the profile's lock. The keychain is the OS user's, whatever
// config folder a process uses (MAKEMCP_CONFIG_DIR), so its lock files
// are the user's too: in a folder under the user's cache folder, named
// after the service and the profile.
func (k *Keyring) Lock(ctx context.Context, profile string) (unlock func(), err error) {
	if err := ValidateProfile(profile); err != nil {
		return nil, err
	}
	dir := k.lockDir
	if dir == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			return nil, fmt.Errorf("lock profile %q: no folder for the keychain's lock files (%v): set HOME", profile, err)
		}
		dir = filepath.Join(cache, "makemcp", "keychain-locks")
	}
	return lockFile(ctx, filepath.Join(dir, k.service+"."+profile+".lock"), profile)
}

// head is the header line of the head item.
type head struct {
	Format int    `json:"format"`
	Slot   string `json:"slot"`
	Parts  int    `json:"parts"`
	Size   int    `json:"size"`
	SHA256 string `json:"sha256"`
}

// Load reads the profile's credential and checks it is whole.
func (k *Keyring) Load(ctx context.Context, profile string) (*Credential, error) {
	if err := ValidateProfile(profile); err != nil {
		return nil, err
	}
	var data []byte
	var err error
	for range loadAttempts {
		if data, err = k.read(ctx, profile); !errors.Is(err, errDamaged) {
			break
		}
	}
	if err != nil {
		return nil, err
	}
	var c Credential
	if err := json.Unmarshal(data, &c); err != nil {
		// The JSON error could quote part of a token: leave it out.
		return nil, damaged(profile, "not a credential")
	}
	return &c, nil
}

// Save stores the credential over any earlier one and reads it back.
func (k *Keyring) Save(ctx context.Context, profile string, c *Credential) error {
	if err := ValidateProfile(profile); err != nil {
		return err
	}
	if err := c.check(); err != nil {
		return fmt.Errorf("save credential for profile %q: %w", profile, err)
	}
	data, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("save credential for profile %q: %w", profile, err)
	}

	// Write into the slot the current head does not name. A damaged or
	// foreign head names no slot: use "a", and clear both below.
	next := "a"
	s, found, err := k.get(ctx, profile)
	if err != nil {
		return err
	}
	if found {
		if h, _, err := parseHead(s); err == nil && h.Slot == "a" {
			next = "b"
		}
	}
	if err := k.clearSlot(ctx, profile, next); err != nil {
		return err
	}
	first, rest := split(data, k.itemLimit())
	for i, part := range rest {
		if err := k.set(ctx, partAccount(profile, next, i+2), part); err != nil {
			return err
		}
	}
	sum := sha256.Sum256(data)
	h := head{Format: headFormat, Slot: next, Parts: 1 + len(rest), Size: len(data), SHA256: hex.EncodeToString(sum[:])}
	line, err := json.Marshal(h)
	if err != nil {
		return err
	}
	if err := k.set(ctx, profile, string(line)+"\n"+first); err != nil {
		return err
	}
	if err := k.clearSlot(ctx, profile, otherSlot(next)); err != nil {
		return err
	}

	got, err := k.read(ctx, profile)
	if err != nil {
		return fmt.Errorf("save credential for profile %q: reading it back: %w", profile, err)
	}
	if !bytes.Equal(got, data) {
		return fmt.Errorf("save credential for profile %q: the OS keychain did not keep it intact: use `makemcp login --insecure-storage`", profile)
	}
	return nil
}

// Delete removes every item of the profile's credential. The head goes
// first, so an interrupted Delete leaves nothing that loads.
func (k *Keyring) Delete(ctx context.Context, profile string) error {
	if err := ValidateProfile(profile); err != nil {
		return err
	}
	if err := k.del(ctx, profile); err != nil {
		return err
	}
	if err := k.clearSlot(ctx, profile, "a"); err != nil {
		return err
	}
	return k.clearSlot(ctx, profile, "b")
}

// read returns the credential's JSON after checking its size and checksum.
func (k *Keyring) read(ctx context.Context, profile string) ([]byte, error) {
	s, found, err := k.get(ctx, profile)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, fmt.Errorf("%w for profile %q", ErrNotFound, profile)
	}
	h, first, err := parseHead(s)
	if err != nil {
		return nil, damaged(profile, err.Error())
	}
	var b bytes.Buffer
	b.WriteString(first)
	for i := 2; i <= h.Parts; i++ {
		part, found, err := k.get(ctx, partAccount(profile, h.Slot, i))
		if err != nil {
			return nil, err
		}
		if !found {
			return nil, damaged(profile, fmt.Sprintf("part %d of %d is missing", i, h.Parts))
		}
		b.WriteString(part)
	}
	if b.Len() != h.Size {
		return nil, damaged(profile, fmt.Sprintf("%d of %d bytes", b.Len(), h.Size))
	}
	sum := sha256.Sum256(b.Bytes())
	if hex.EncodeToString(sum[:]) != h.SHA256 {
		return nil, damaged(profile, "checksum mismatch")
	}
	return b.Bytes(), nil
}

// clearSlot deletes a slot's parts. Parts are written in ascending order
// and deleted in descending order, so a slot always holds parts 2..n with
// no gap, even after an interrupted Save or Delete: counting up to the
// first missing part finds them all.
func (k *Keyring) clearSlot(ctx context.Context, profile, slot string) error {
	n := 1
	for {
		_, found, err := k.get(ctx, partAccount(profile, slot, n+1))
		if err != nil {
			return err
		}
		if !found {
			break
		}
		n++
	}
	for i := n; i >= 2; i-- {
		if err := k.del(ctx, partAccount(profile, slot, i)); err != nil {
			return err
		}
	}
	return nil
}

func (k *Keyring) get(ctx context.Context, account string) (secret string, found bool, err error) {
	secret, err = call(ctx, k.timeout, func() (string, error) { return k.backend.Get(k.service, account) })
	if errors.Is(err, keyring.ErrNotFound) {
		return "", false, nil
	}
	if err != nil {
		return "", false, classify(err)
	}
	return secret, true, nil
}

func (k *Keyring) set(ctx context.Context, account, secret string) error {
	_, err := call(ctx, k.timeout, func() (struct{}, error) { return struct{}{}, k.backend.Set(k.service, account, secret) })
	if err != nil {
		return classify(err)
	}
	return nil
}

// del deletes one item; a missing item is not an error.
func (k *Keyring) del(ctx context.Context, account string) error {
	_, err := call(ctx, k.timeout, func() (struct{}, error) { return struct{}{}, k.backend.Delete(k.service, account) })
	if err != nil && !errors.Is(err, keyring.ErrNotFound) {
		return classify(err)
	}
	return nil
}

// call runs op in a goroutine and stops waiting for it when ctx ends or
// timeout passes; op cannot be cancelled, so it may go on (and leak) in
// the background.
func call[T any](ctx context.Context, timeout time.Duration, op func() (T, error)) (T, error) {
	var zero T
	if err := ctx.Err(); err != nil {
		return zero, ended(ctx)
	}
	type result struct {
		v   T
		err error
	}
	// Buffered, so a call that answers after we stopped waiting can finish.
	done := make(chan result, 1)
	go func() {
		v, err := op()
		done <- result{v, err}
	}()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		return zero, ended(ctx)
	case <-timer.C:
		return zero, unavailable(fmt.Sprintf("no answer within %v; is it locked, or waiting for a password?", timeout), nil)
	}
}

// ended is the error of a keychain call whose context ended first. A
// deadline (login --timeout) passed while waiting for the keychain says
// so, like the call's own timeout; a cancellation is the caller's own.
func ended(ctx context.Context) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return unavailable("no answer before the deadline; is it locked, or waiting for a password?", ctx.Err())
	}
	return ctx.Err()
}

// classify turns a keychain error into an ErrUnavailable error that says
// why, unless it already is one or is a context error.
func classify(err error) error {
	if errors.Is(err, ErrUnavailable) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if errors.Is(err, keyring.ErrSetDataTooBig) {
		return unavailable("it refused an item as too large", err)
	}
	return unavailable(platformReason(err), err)
}

func damaged(profile, why string) error {
	return fmt.Errorf("stored credential for profile %q is %w (%s): run `makemcp login` to replace it", profile, errDamaged, why)
}

// parseHead splits a head item into its header and the first part.
func parseHead(s string) (head, string, error) {
	line, first, ok := strings.Cut(s, "\n")
	var h head
	if !ok || len(line) > maxHeaderBytes || json.Unmarshal([]byte(line), &h) != nil {
		return head{}, "", errors.New("no makemcp header")
	}
	if h.Format != headFormat {
		return head{}, "", fmt.Errorf("format %d is not %d; was it written by another makemcp version?", h.Format, headFormat)
	}
	if (h.Slot != "a" && h.Slot != "b") || h.Parts < 1 || h.Size < 0 {
		return head{}, "", errors.New("invalid header")
	}
	return h, first, nil
}

// split cuts data into the head's part and the further parts, so that
// each item holds at most limit bytes (the head's header line and newline
// included), cutting between UTF-8 characters so that every item is
// valid text for keychains that expect it.
func split(data []byte, limit int) (first string, rest []string) {
	n := cutAt(data, limit-maxHeaderBytes-1)
	first, data = string(data[:n]), data[n:]
	for len(data) > 0 {
		n := cutAt(data, limit)
		rest, data = append(rest, string(data[:n])), data[n:]
	}
	return first, rest
}

// cutAt returns where to cut data to keep at most max bytes, backing up to
// the start of a UTF-8 character.
func cutAt(data []byte, max int) int {
	if len(data) <= max {
		return len(data)
	}
	for i := max; i > max-utf8.UTFMax && i > 0; i-- {
		if utf8.RuneStart(data[i]) {
			return i
		}
	}
	return max
}

func partAccount(profile, slot string, i int) string {
	return profile + "#" + slot + strconv.Itoa(i)
}

func otherSlot(slot string) string {
	if slot == "a" {
		return "b"
	}
	return "a"
}

// goKeyring is the OS keychain through go-keyring (or go-keyring's mock,
// in tests).
type goKeyring struct {
	// precheck refuses early what go-keyring handles badly (see
	// platformCheck); nil means no check.
	precheck func() error
}

func (g goKeyring) Get(service, account string) (string, error) {
	if err := g.check(); err != nil {
		return "", err
	}
	return keyring.Get(service, account)
}

func (g goKeyring) Set(service, account, secret string) error {
	if err := g.check(); err != nil {
		return err
	}
	return keyring.Set(service, account, secret)
}

func (g goKeyring) Delete(service, account string) error {
	if err := g.check(); err != nil {
		return err
	}
	return keyring.Delete(service, account)
}

func (g goKeyring) check() error {
	if g.precheck == nil {
		return nil
	}
	return g.precheck()
}
