package testenv

import (
	"bytes"
	"os"
	"os/exec"
	"regexp"
	"testing"
)

func TestMain(m *testing.M) { Main(m) }

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

// TestMainRemovesTheBinary runs a test process that builds makemcp, and
// checks that the binary is gone once the process has ended.
func TestMainRemovesTheBinary(t *testing.T) {
	if os.Getenv(helperEnv) == "build" {
		t.Logf("built %s", Makemcp(t))
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestMainRemovesTheBinary$", "-test.v")
	cmd.Env = append(os.Environ(), helperEnv+"=build")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the test process failed: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`built (\S+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("the test process built nothing:\n%s", out)
	}
	if _, err := os.Stat(string(m[1])); !os.IsNotExist(err) {
		t.Errorf("%s is still there after its test process ended (%v)", m[1], err)
	}
	if !bytes.Contains(out, []byte("PASS")) {
		t.Errorf("the test process did not pass:\n%s", out)
	}
}
