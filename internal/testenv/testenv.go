// Package testenv lets tests find the real components they run against
// (the Secret Service, Chromium, Node and the npm packages under test/,
// OAuth servers) and decide what to do when one is missing: skip with the
// reason on a developer's laptop, fail when MAKEMCP_REQUIRE_REAL=1 (CI).
package testenv

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// RequireReal reports whether missing real components fail the run.
func RequireReal() bool { return os.Getenv("MAKEMCP_REQUIRE_REAL") == "1" }

// Missing ends the test because a real component is absent: a skip that
// says why and how to get it, or a failure under MAKEMCP_REQUIRE_REAL=1.
// scripts/test reads the skip back (ParseMissing) to list, at the end of
// a run, each missing component with how to install it.
func Missing(t testing.TB, component, why string) {
	t.Helper()
	if RequireReal() {
		t.Fatalf("real component %s is missing (MAKEMCP_REQUIRE_REAL=1): %s", component, why)
	}
	t.Skip(missingMessage(component, why))
}

func missingMessage(component, why string) string {
	return fmt.Sprintf("skipping: real component %s is missing: %s (get it: %s)", component, why, HowToGet(component))
}

var missingLine = regexp.MustCompile(`real component (.+?) is missing: (.*?) \(get it: (.*)\)\s*$`)

// ParseMissing reads back a skip message of Missing from a line of test
// output.
func ParseMissing(line string) (component, why, how string, ok bool) {
	m := missingLine.FindStringSubmatch(line)
	if m == nil {
		return "", "", "", false
	}
	return m[1], m[2], m[3], true
}

// howToGet says how each real component gets onto a Debian machine like
// CI's; .ci/run does all of it.
var howToGet = map[string]string{
	"Secret Service":                    "apt-get install gnome-keyring dbus, then run the tests through ./scripts/test",
	"gnome-keyring-daemon":              "apt-get install gnome-keyring",
	"dbus-daemon":                       "apt-get install dbus",
	"secret-tool":                       "apt-get install libsecret-tools",
	"chromium":                          "apt-get install chromium",
	"node":                              "install Node.js 20 or later",
	"npx":                               "install Node.js 20 or later, which brings npx",
	"npm packages":                      "npm ci --prefix test",
	"zitadel/oidc example server":       "go install " + zitadelModule + " (through the Go module proxy)",
	"xdg-open browser shim":             "run the test on Linux or a BSD",
	"a machine without a D-Bus session": "run the test where no session bus is at /run/user/<uid>/bus, as on CI",
}

// HowToGet says how to install a real component. An npm package
// (@scope/name) comes with the others that test/package.json pins.
func HowToGet(component string) string {
	if how, ok := howToGet[component]; ok {
		return how
	}
	if strings.HasPrefix(component, "@") {
		return howToGet["npm packages"]
	}
	return "bash .ci/run installs every component"
}

// LookPath returns the path of an executable, or ends the test through
// Missing.
func LookPath(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		Missing(t, name, name+" is not on PATH")
	}
	return p
}

// RepoRoot is the folder holding go.mod.
func RepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// NodeModules returns test/node_modules after checking that the npm
// packages the tests use are installed (npm ci in test/).
func NodeModules(t testing.TB) string {
	t.Helper()
	LookPath(t, "node")
	dir := filepath.Join(RepoRoot(), "test", "node_modules")
	if _, err := os.Stat(filepath.Join(dir, ".package-lock.json")); err != nil {
		Missing(t, "npm packages", "test/node_modules is not installed")
	}
	return dir
}

// TestScript returns the path of a script under test/ that a test hands
// to Node, after telling go test's cache about it (DependOn).
func TestScript(name string) string {
	path := filepath.Join(RepoRoot(), "test", name)
	DependOn(path)
	return path
}

// DependOn tells go test's cache that the test's result depends on
// files it does not open itself: a program the test runs reads them. The
// cache sees only the files the test process opens or stats, and of
// those only the ones inside the module; it compares their size and
// modification time on the next run.
func DependOn(paths ...string) {
	for _, p := range paths {
		_, _ = os.Stat(p)
	}
}

var build struct {
	once sync.Once
	dir  string
	path string
	out  []byte
	err  error
}

// Makemcp builds the makemcp binary once per test process and returns its
// path. Tests that drive the binary as a user would start from here. The
// package's TestMain must run its tests through Main, which removes the
// binary when they end.
func Makemcp(t testing.TB) string {
	t.Helper()
	build.once.Do(func() {
		build.dir, build.err = os.MkdirTemp("", "makemcp-bin-")
		if build.err != nil {
			return
		}
		name := "makemcp"
		if runtime.GOOS == "windows" {
			name += ".exe"
		}
		build.path = filepath.Join(build.dir, name)
		cmd := exec.Command("go", "build", "-o", build.path, "./cmd/makemcp")
		cmd.Dir = RepoRoot()
		if build.out, build.err = cmd.CombinedOutput(); build.err != nil {
			return
		}
		build.err = dependOnPackage("./cmd/makemcp")
	})
	if build.err != nil {
		t.Fatalf("build makemcp: %v\n%s", build.err, build.out)
	}
	return build.path
}

// dependOnPackage makes go test's cache rerun the test when the source
// of a package of this module, or of one it imports, changes: the test's
// binary does not import the package (a command), so the cache would not
// know. Modules from elsewhere are pinned by go.mod and go.sum.
func dependOnPackage(pkg string) error {
	const files = `{{if and .Module .Module.Main}}{{.Dir}}{{range .GoFiles}}{{"\t"}}{{.}}{{end}}` +
		`{{range .CgoFiles}}{{"\t"}}{{.}}{{end}}{{range .EmbedFiles}}{{"\t"}}{{.}}{{end}}{{"\n"}}{{end}}`
	cmd := exec.Command("go", "list", "-deps", "-f", files, pkg)
	cmd.Dir = RepoRoot()
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("go list %s: %w", pkg, err)
	}
	DependOn(filepath.Join(RepoRoot(), "go.mod"), filepath.Join(RepoRoot(), "go.sum"))
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		dir, names, _ := strings.Cut(line, "\t")
		DependOn(dir) // a file added or removed changes the folder
		for _, name := range strings.Split(names, "\t") {
			DependOn(filepath.Join(dir, name))
		}
	}
	return nil
}

// Main runs a package's tests, then removes what testenv made for the
// whole test process (the makemcp binary), and exits. Call it from
// TestMain.
func Main(m *testing.M) {
	code := m.Run()
	if build.dir != "" {
		os.RemoveAll(build.dir)
	}
	os.Exit(code)
}

// ChildEnv is the test's environment without anything that would make a
// makemcp child use the developer's own setup: their MAKEMCP_* settings,
// Make token, D-Bus session (and keyring), display or browser.
func ChildEnv() []string {
	return Environ("MAKEMCP_*", "MAKE_API_TOKEN", "DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR",
		"DISPLAY", "WAYLAND_DISPLAY", "BROWSER")
}

// RunGuard bounds every makemcp run a test makes: none comes near it
// unless it hangs.
const RunGuard = 60 * time.Second

// Run runs bin with args, the environment env and stdin, to its end or
// RunGuard, and returns what it printed and its exit status. The error
// says it hung or could not start; a non-zero exit is not an error.
func Run(bin string, env []string, stdin string, args ...string) (stdout, stderr string, code int, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), RunGuard)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = env
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	cmd.WaitDelay = 5 * time.Second
	runErr := cmd.Run()
	stdout, stderr, code = out.String(), errOut.String(), cmd.ProcessState.ExitCode()
	var exit *exec.ExitError
	switch {
	case ctx.Err() != nil:
		err = fmt.Errorf("makemcp %s did not end within %s", strings.Join(args, " "), RunGuard)
	case runErr != nil && !errors.As(runErr, &exit):
		err = fmt.Errorf("makemcp %s: %v", strings.Join(args, " "), runErr)
	}
	return stdout, stderr, code, err
}

// LoginNoBrowser runs `makemcp login --no-browser` with args and the
// environment env, and plays the browser: it follows the first line of
// standard error that is a URL under issuer (a server that needs no login
// page redirects it straight to makemcp's callback). It returns what Run
// returns; the error also says when following the URL failed.
func LoginNoBrowser(bin string, env []string, issuer string, args ...string) (stdout, stderr string, code int, err error) {
	args = append([]string{"login", "--no-browser"}, args...)
	ctx, cancel := context.WithTimeout(context.Background(), RunGuard)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = env
	var out bytes.Buffer
	cmd.Stdout = &out
	errPipe, err := cmd.StderrPipe()
	if err != nil {
		return "", "", -1, err
	}
	if err := cmd.Start(); err != nil {
		return "", "", -1, fmt.Errorf("makemcp %s: %v", strings.Join(args, " "), err)
	}
	var errOut strings.Builder
	var followed error
	sc := bufio.NewScanner(errPipe)
	for sc.Scan() {
		line := sc.Text()
		errOut.WriteString(line + "\n")
		if u := strings.TrimSpace(line); followed == nil && strings.HasPrefix(u, issuer+"/") {
			followed = Follow(u)
		}
	}
	_ = cmd.Wait()
	switch {
	case ctx.Err() != nil:
		err = fmt.Errorf("makemcp %s did not end within %s", strings.Join(args, " "), RunGuard)
	case followed != nil:
		err = fmt.Errorf("following the login URL: %w", followed)
	}
	return out.String(), errOut.String(), cmd.ProcessState.ExitCode(), err
}
