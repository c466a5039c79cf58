// Package config reads and writes makemcp's non-secret settings: one
// config.json in the config folder, with a section per profile. Secrets
// never go here; they live in the keychain package's stores.
package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/makemcp/makemcp/internal/atomicfile"
)

// FileName is the name of the config file inside the config folder.
const FileName = "config.json"

// Profile is what login learned and later commands reuse.
type Profile struct {
	// Zone is the Make zone host or base URL the profile talks to.
	Zone string `json:"zone,omitempty"`
	// Issuer and ClientID are the OAuth server and client used at login.
	Issuer   string `json:"issuer,omitempty"`
	ClientID string `json:"clientId,omitempty"`
	// Storage is where the credential lives: "keychain" or "file".
	Storage string `json:"storage,omitempty"`
	// Organization and Team are the ids tools use when a call omits them.
	Organization int64 `json:"organizationId,omitempty"`
	Team         int64 `json:"teamId,omitempty"`
	// User and Organizations are who logged in and where, as Make said at
	// login, so that status can answer without the network.
	User          *User          `json:"user,omitempty"`
	Organizations []Organization `json:"organizations,omitempty"`
}

// User names the person a profile belongs to.
type User struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

// Organization names one of the user's organizations and its zone.
type Organization struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Zone string `json:"zone,omitempty"`
}

// File is the whole config file.
type File struct {
	Profiles map[string]Profile `json:"profiles"`
}

// Dir returns the config folder: $MAKEMCP_CONFIG_DIR, else
// os.UserConfigDir()/makemcp.
func Dir(getenv func(string) string) (string, error) {
	if d := getenv("MAKEMCP_CONFIG_DIR"); d != "" {
		return d, nil
	}
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find the config folder: %w (set MAKEMCP_CONFIG_DIR)", err)
	}
	return filepath.Join(base, "makemcp"), nil
}

// Load reads the config file in dir. A missing file is an empty config.
func Load(dir string) (*File, error) {
	f := &File{Profiles: map[string]Profile{}}
	name := filepath.Join(dir, FileName)
	data, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return f, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	if err := json.Unmarshal(data, f); err != nil {
		return nil, fmt.Errorf("read config %s: %v (fix or delete the file)", name, err)
	}
	if f.Profiles == nil {
		f.Profiles = map[string]Profile{}
	}
	return f, nil
}

// Save writes the config file into dir atomically, readable only by the
// user: it names accounts and organizations, which are nobody else's
// business.
func (f *File) Save(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("save config: %w", err)
	}
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return fmt.Errorf("save config: %w", err)
	}
	return atomicfile.WriteFile(filepath.Join(dir, FileName), append(data, '\n'), 0o600)
}
