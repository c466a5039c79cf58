package testenv

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Reading what makemcp stored on a machine, as a user would: secret-tool
// for the keychain, the file for --insecure-storage.

// StoredCredential is the part of a stored credential tests look at.
type StoredCredential struct {
	Kind         string    `json:"kind"`
	AccessToken  string    `json:"accessToken"`
	RefreshToken string    `json:"refreshToken"`
	ClientSecret string    `json:"clientSecret"`
	Expiry       time.Time `json:"expiry"`
	Issuer       string    `json:"issuer"`
	ClientID     string    `json:"clientId"`
	Zone         string    `json:"zone"`
	Scopes       []string  `json:"scopes"`
	// RefreshRejected: the issuer refused the refresh token.
	RefreshRejected bool `json:"refreshRejected"`
}

// CredentialFile is where --insecure-storage keeps a profile's credential.
func (m *Machine) CredentialFile(profile string) string {
	return filepath.Join(m.Dir, "credentials", profile+".json")
}

// FileCredential reads a profile's --insecure-storage credential file;
// nil when there is none.
func (m *Machine) FileCredential(profile string) (*StoredCredential, error) {
	return parsed(m.fileBytes(profile))
}

// KeychainCredential reads a profile's credential from the keychain with
// secret-tool; nil when there is none, or no keychain.
func (m *Machine) KeychainCredential(profile string) (*StoredCredential, error) {
	return parsed(m.keychainBytes(profile))
}

func (m *Machine) fileBytes(profile string) ([]byte, error) {
	data, err := os.ReadFile(m.CredentialFile(profile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	return data, err
}

// keychainBytes puts a profile's keychain items together the way package
// keychain documents them: a head item "<profile>" with a header line,
// then items "<profile>#<slot>2"...
func (m *Machine) keychainBytes(profile string) ([]byte, error) {
	if m.Keyring == nil {
		return nil, nil
	}
	head, _, err := m.secretTool("lookup", "service", "makemcp", "username", profile)
	if errors.Is(err, errSecretToolHung) {
		return nil, err
	}
	if err != nil || head == "" {
		return nil, nil // secret-tool lookup exits 1 when nothing matches
	}
	line, data, ok := strings.Cut(head, "\n")
	var h struct {
		Slot  string `json:"slot"`
		Parts int    `json:"parts"`
	}
	if !ok || json.Unmarshal([]byte(line), &h) != nil {
		return nil, fmt.Errorf("keychain item %q has no header line", profile)
	}
	for i := 2; i <= h.Parts; i++ {
		part, _, err := m.secretTool("lookup", "service", "makemcp", "username", profile+"#"+h.Slot+strconv.Itoa(i))
		if err != nil {
			return nil, fmt.Errorf("keychain item %q part %d of %d: %v", profile, i, h.Parts, err)
		}
		data += part
	}
	return []byte(data), nil
}

// KeychainAccounts lists the accounts of makemcp's items in the keychain,
// as `secret-tool search --all service makemcp` shows them.
func (m *Machine) KeychainAccounts() []string {
	m.T.Helper()
	if m.Keyring == nil {
		return nil
	}
	// secret-tool prints the secrets on stdout and the attributes on
	// stderr; it exits 1, saying nothing, when nothing matches.
	stdout, stderr, err := m.secretTool("search", "--all", "service", "makemcp")
	if err != nil && stdout+stderr != "" {
		m.T.Fatalf("secret-tool search: %v\n%s%s", err, stdout, stderr)
	}
	var accounts []string
	for _, line := range strings.Split(stderr, "\n") {
		if a, ok := strings.CutPrefix(line, "attribute.username = "); ok {
			accounts = append(accounts, a)
		}
	}
	slices.Sort(accounts)
	return accounts
}

// Stored returns a profile's credential as stored, byte for byte: in the
// keychain where the machine has one, else in the file store. Nil when
// there is none.
func (m *Machine) Stored(profile string) []byte {
	m.T.Helper()
	read := m.fileBytes
	if m.Keyring != nil {
		read = m.keychainBytes
	}
	data, err := read(profile)
	if err != nil {
		m.T.Fatal(err)
	}
	return data
}

// Credential parses a profile's stored credential (Stored) and gives its
// secrets to the leak check; the test fails without one.
func (m *Machine) Credential(profile string) *StoredCredential {
	m.T.Helper()
	c, err := parsed(m.Stored(profile), nil)
	if err != nil {
		m.T.Fatal(err)
	}
	if c == nil {
		m.T.Fatalf("no stored credential for profile %q (keychain items: %v)", profile, m.KeychainAccounts())
	}
	m.NoteCredential(c)
	return c
}

// parsed parses a stored credential; nil for none.
func parsed(raw []byte, err error) (*StoredCredential, error) {
	if raw == nil || err != nil {
		return nil, err
	}
	var c StoredCredential
	if err := json.Unmarshal(raw, &c); err != nil {
		return nil, fmt.Errorf("the stored credential is not JSON: %v", err)
	}
	return &c, nil
}

// NoteCredential gives a stored credential's secrets to the leak check.
func (m *Machine) NoteCredential(c *StoredCredential) {
	m.Leaks.Secret(c.AccessToken)
	m.Leaks.Secret(c.RefreshToken)
	m.Leaks.Secret(c.ClientSecret)
}

var errSecretToolHung = errors.New("secret-tool did not answer within 10 s")

// secretTool runs secret-tool on the machine's keychain, as a user
// would, within 10 s.
func (m *Machine) secretTool(args ...string) (stdout, stderr string, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "secret-tool", args...)
	cmd.Env = append(ChildEnv(), "DBUS_SESSION_BUS_ADDRESS="+m.Keyring.BusAddress)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	if ctx.Err() != nil {
		err = fmt.Errorf("secret-tool %s: %w", strings.Join(args, " "), errSecretToolHung)
	}
	return out.String(), errOut.String(), err
}
