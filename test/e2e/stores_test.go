package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/makemcp/makemcp/internal/testenv"
)

// Reading what makemcp stored, as a user would: secret-tool for the
// keychain, the file for --insecure-storage.

// storedCredential is the part of a stored credential tests look at.
type storedCredential struct {
	Kind         string    `json:"kind"`
	AccessToken  string    `json:"accessToken"`
	RefreshToken string    `json:"refreshToken"`
	ClientSecret string    `json:"clientSecret"`
	Expiry       time.Time `json:"expiry"`
	Scopes       []string  `json:"scopes"`
}

// keychainItems lists the accounts of makemcp's items in the machine's
// keychain, as `secret-tool search --all service makemcp` shows them.
func (m *machine) keychainItems() []string {
	m.t.Helper()
	if m.keyring == nil {
		return nil
	}
	// secret-tool prints the secrets on stdout and the attributes on
	// stderr.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "secret-tool", "search", "--all", "service", "makemcp")
	cmd.Env = append(testenv.ChildEnv(), "DBUS_SESSION_BUS_ADDRESS="+m.keyring.BusAddress)
	out, err := cmd.CombinedOutput()
	if err != nil && len(out) > 0 {
		m.t.Fatalf("secret-tool search: %v\n%s", err, out)
	}
	var accounts []string
	for _, line := range strings.Split(string(out), "\n") {
		if a, ok := strings.CutPrefix(line, "attribute.username = "); ok {
			accounts = append(accounts, a)
		}
	}
	slices.Sort(accounts)
	return accounts
}

// keychainCredential reads a profile's credential from the keychain with
// secret-tool, putting its parts together the way package keychain
// documents them: a head item "<profile>" with a header line, then items
// "<profile>#<slot>2"... Nil when there is none.
func (m *machine) keychainCredential(profile string) (*storedCredential, error) {
	if m.keyring == nil {
		return nil, nil
	}
	head, err := m.secretTool("lookup", "service", "makemcp", "username", profile)
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
		part, err := m.secretTool("lookup", "service", "makemcp", "username", profile+"#"+h.Slot+strconv.Itoa(i))
		if err != nil {
			return nil, fmt.Errorf("keychain item %q part %d: %v", profile, i, err)
		}
		data += part
	}
	var c storedCredential
	if err := json.Unmarshal([]byte(data), &c); err != nil {
		return nil, fmt.Errorf("keychain credential %q: %v", profile, err)
	}
	return &c, nil
}

func (m *machine) secretTool(args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "secret-tool", args...)
	cmd.Env = append(testenv.ChildEnv(), "DBUS_SESSION_BUS_ADDRESS="+m.keyring.BusAddress)
	out, err := cmd.Output()
	return string(out), err
}

// fileCredential reads a profile's --insecure-storage credential file.
func (m *machine) fileCredential(profile string) (*storedCredential, error) {
	data, err := os.ReadFile(m.credentialFile(profile))
	if err != nil {
		return nil, nil
	}
	var c storedCredential
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, err
	}
	return &c, nil
}

func (m *machine) credentialFile(profile string) string {
	return filepath.Join(m.dir, "credentials", profile+".json")
}

// mustCredential reads the profile's credential from the keychain.
func (m *machine) mustCredential(profile string) *storedCredential {
	m.t.Helper()
	c, err := m.keychainCredential(profile)
	if err != nil {
		m.t.Fatal(err)
	}
	if c == nil {
		m.t.Fatalf("no credential for profile %q in the keychain (items: %v)", profile, m.keychainItems())
	}
	return c
}
