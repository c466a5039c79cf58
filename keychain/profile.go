package keychain

import "fmt"

// maxProfileLen keeps a profile's file names and keychain accounts short
// on every OS.
const maxProfileLen = 64

// ValidateProfile checks a profile name before it becomes a file name and a
// keychain account: 1 to 64 letters, digits, '-', '_' or '.', not starting
// with '.' (no hidden files, no "..", no path separators).
func ValidateProfile(name string) error {
	if name == "" {
		return fmt.Errorf("profile name is empty: use letters, digits, '-', '_' or '.'")
	}
	if len(name) > maxProfileLen {
		return fmt.Errorf("profile name is longer than %d characters", maxProfileLen)
	}
	if name[0] == '.' {
		return fmt.Errorf("profile name %q starts with '.': start with a letter or digit", name)
	}
	for _, r := range name {
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9', r == '-', r == '_', r == '.':
		default:
			return fmt.Errorf("profile name %q contains %q: use letters, digits, '-', '_' or '.'", name, r)
		}
	}
	return nil
}
