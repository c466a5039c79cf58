package testenv

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// HeadlessBrowser is a real Chromium that pkg/browser reaches through an
// xdg-open shim first on PATH. Each URL opened is loaded in a fresh
// headless profile, and the page it ends on is kept for the test.
type HeadlessBrowser struct {
	dir string
}

// chromiumFlags keep headless Chromium quiet, offline and quick: no
// sandbox (tests run as root), no GPU, no first-run work, no background
// traffic. --dump-dom prints the final page and exits.
var chromiumFlags = []string{
	"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
	"--disable-background-networking", "--disable-component-update", "--disable-sync",
}

// Browser puts an xdg-open shim that runs headless Chromium first on
// PATH for the rest of the test (so the test cannot be parallel). It ends
// the test through Missing where Chromium is absent, and on systems
// where pkg/browser does not use xdg-open.
func Browser(t testing.TB) *HeadlessBrowser {
	t.Helper()
	if runtime.GOOS != "linux" && runtime.GOOS != "freebsd" && runtime.GOOS != "openbsd" && runtime.GOOS != "netbsd" {
		Missing(t, "xdg-open browser shim", "pkg/browser uses xdg-open only on Linux and the BSDs")
	}
	var chromium string
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			chromium = p
			break
		}
	}
	if chromium == "" {
		Missing(t, "chromium", "no chromium on PATH (apt-get install chromium)")
	}
	dir := t.TempDir()
	pages := filepath.Join(dir, "pages")
	if err := os.Mkdir(pages, 0o700); err != nil {
		t.Fatal(err)
	}
	// The page is written to a temporary name and renamed, so a test
	// never reads half a page. The profile is removed when Chromium exits.
	// Chromium is kept off the test's D-Bus session, where it would start
	// an accessibility bus that outlives it.
	script := fmt.Sprintf(`#!/bin/sh
profile=$(mktemp -d)
out=%[1]s/$$.html
env -u DBUS_SESSION_BUS_ADDRESS %[2]s %[3]s --user-data-dir="$profile" --dump-dom "$1" >"$out.tmp" 2>>%[4]s
rc=$?
rm -rf "$profile"
mv "$out.tmp" "$out"
exit $rc
`, shellQuote(pages), shellQuote(chromium), strings.Join(chromiumFlags, " "), shellQuote(filepath.Join(dir, "chromium.log")))
	bin := filepath.Join(dir, "bin")
	if err := os.Mkdir(bin, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bin, "xdg-open"), []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	return &HeadlessBrowser{dir: dir}
}

// WaitPage waits until the browser has finished loading n URLs and
// returns the page (the final DOM) of each, in no particular order. It
// fails the test after 30 s, which no healthy load comes near.
func (b *HeadlessBrowser) WaitPage(t testing.TB, n int) []string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		names, _ := filepath.Glob(filepath.Join(b.dir, "pages", "*.html"))
		if len(names) >= n {
			slices.Sort(names)
			var pages []string
			for _, name := range names {
				data, err := os.ReadFile(name)
				if err != nil {
					t.Fatal(err)
				}
				pages = append(pages, string(data))
			}
			return pages
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(b.dir, "chromium.log"))
			t.Fatalf("the browser loaded %d of %d pages within 30 s; chromium log:\n%s", len(names), n, log)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
