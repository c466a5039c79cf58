package keychain

import (
	"strings"
	"testing"
)

func TestValidateProfile(t *testing.T) {
	for _, name := range []string{"default", "work", "Work-2", "a.b_c", "x", strings.Repeat("p", 64), "0"} {
		if err := ValidateProfile(name); err != nil {
			t.Errorf("ValidateProfile(%q) = %v", name, err)
		}
	}
	for _, name := range []string{"", ".hidden", "..", "a/b", `a\b`, "a b", "a#2", "a:b", "é", "a\nb", strings.Repeat("p", 65)} {
		err := ValidateProfile(name)
		if err == nil {
			t.Errorf("ValidateProfile(%q) accepted it", name)
			continue
		}
		if strings.Contains(err.Error(), "\n") {
			t.Errorf("ValidateProfile(%q) error is not one line: %q", name, err)
		}
	}
}
