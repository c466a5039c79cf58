package testenv

import "testing"

func TestParseMissing(t *testing.T) {
	for _, c := range []struct{ component, why, how string }{
		{"chromium", "no chromium on PATH (apt-get install chromium)", "apt-get install chromium"},
		{"Secret Service", "failed to unlock correct collection: (run ./scripts/test ./auth/...)", howToGet["Secret Service"]},
		{"zitadel/oidc example server", "go install: no network (proxy.golang.org)", howToGet["zitadel/oidc example server"]},
		{"@makehq/sdk", "run `npm ci --prefix test`", "npm ci --prefix test"},
		{"something new", "it is not there", "bash .ci/run installs every component"},
	} {
		line := "    helpers_test.go:26: " + missingMessage(c.component, c.why)
		component, why, how, ok := ParseMissing(line)
		if !ok || component != c.component || why != c.why || how != c.how {
			t.Errorf("ParseMissing(%q) = %q, %q, %q, %v", line, component, why, how, ok)
		}
	}
	if _, _, _, ok := ParseMissing("    x_test.go:12: this machine has a systemd user bus"); ok {
		t.Error("ParseMissing read a skip that names no component")
	}
}

// helperEnv makes the test binary play a test process of its own for a
// test that needs one.
const helperEnv = "MAKEMCP_TESTENV_HELPER"
