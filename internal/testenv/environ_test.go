package testenv

import (
	"slices"
	"testing"
)

func TestEnviron(t *testing.T) {
	t.Setenv("MAKEMCP_PROFILE", "work")
	t.Setenv("MAKEMCP_ZONE", "eu1.make.com")
	t.Setenv("MAKE_API_TOKEN", "x")
	t.Setenv("MAKE", "kept")
	t.Setenv("DISPLAY", ":1")
	env := Environ("MAKEMCP_*", "MAKE_API_TOKEN", "DISPLAY")
	for _, gone := range []string{"MAKEMCP_PROFILE=work", "MAKEMCP_ZONE=eu1.make.com", "MAKE_API_TOKEN=x", "DISPLAY=:1"} {
		if slices.Contains(env, gone) {
			t.Errorf("%s kept", gone)
		}
	}
	if !slices.Contains(env, "MAKE=kept") {
		t.Error("MAKE left out: only the names given, and the names a * prefix begins, go")
	}
}
