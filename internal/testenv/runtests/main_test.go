package main

import (
	"slices"
	"strings"
	"testing"
)

func TestGoTestArgs(t *testing.T) {
	for _, c := range []struct {
		args    []string
		want    []string
		verbose bool
	}{
		{nil, []string{"test", "-json", "./..."}, false},
		// Flags alone keep the default packages.
		{[]string{"-v"}, []string{"test", "-json", "./...", "-v"}, true},
		{[]string{"-run", "TestLogin/public", "-count=1"}, []string{"test", "-json", "./...", "-run", "TestLogin/public", "-count=1"}, false},
		{[]string{"./auth/..."}, []string{"test", "-json", "./auth/..."}, false},
		{[]string{"-v", "./test/e2e/", "-run", "X"}, []string{"test", "-json", "-v", "./test/e2e/", "-run", "X"}, true},
		{[]string{"github.com/makemcp/makemcp/auth"}, []string{"test", "-json", "github.com/makemcp/makemcp/auth"}, false},
		{[]string{"-args", "./x"}, []string{"test", "-json", "./...", "-args", "./x"}, false},
		// The caller reads the events itself.
		{[]string{"-json", "./tools/"}, []string{"test", "-json", "./tools/"}, false},
	} {
		got, o := goTestArgs(c.args)
		if !slices.Equal(got, c.want) || o.verbose != c.verbose {
			t.Errorf("goTestArgs(%q) = %q, verbose %v; want %q, verbose %v", c.args, got, o.verbose, c.want, c.verbose)
		}
	}
}

// events is what go test -json printed for a package with a passing, a
// skipped (a missing component), a failing and a parallel test, one whose
// component is missing in a child process, one skipped for another
// reason, and a package that did not build.
const events = `{"Action":"start","Package":"github.com/makemcp/makemcp/p"}
{"Action":"run","Package":"github.com/makemcp/makemcp/p","Test":"TestPass"}
{"Action":"output","Package":"github.com/makemcp/makemcp/p","Test":"TestPass","Output":"=== RUN   TestPass\n"}
{"Action":"output","Package":"github.com/makemcp/makemcp/p","Test":"TestPass","Output":"    p_test.go:3: fine\n"}
{"Action":"output","Package":"github.com/makemcp/makemcp/p","Test":"TestPass","Output":"--- PASS: TestPass (0.00s)\n"}
{"Action":"pass","Package":"github.com/makemcp/makemcp/p","Test":"TestPass","Elapsed":0}
{"Action":"run","Package":"github.com/makemcp/makemcp/p","Test":"TestSkip"}
{"Action":"output","Package":"github.com/makemcp/makemcp/p","Test":"TestSkip","Output":"=== RUN   TestSkip\n"}
{"Action":"output","Package":"github.com/makemcp/makemcp/p","Test":"TestSkip","Output":"    p_test.go:4: skipping: real component chromium is missing: no chromium on PATH (get it: apt-get install chromium)\n"}
{"Action":"output","Package":"github.com/makemcp/makemcp/p","Test":"TestSkip","Output":"--- SKIP: TestSkip (0.00s)\n"}
{"Action":"skip","Package":"github.com/makemcp/makemcp/p","Test":"TestSkip","Elapsed":0}
{"Action":"run","Package":"github.com/makemcp/makemcp/p","Test":"TestFail"}
{"Action":"output","Package":"github.com/makemcp/makemcp/p","Test":"TestFail","Output":"=== RUN   TestFail\n"}
{"Action":"run","Package":"github.com/makemcp/makemcp/p","Test":"TestFail/sub"}
{"Action":"output","Package":"github.com/makemcp/makemcp/p","Test":"TestFail/sub","Output":"=== RUN   TestFail/sub\n"}
{"Action":"output","Package":"github.com/makemcp/makemcp/p","Test":"TestFail/sub","Output":"    p_test.go:5: broken\n"}
{"Action":"output","Package":"github.com/makemcp/makemcp/p","Test":"TestFail/sub","Output":"--- FAIL: TestFail/sub (0.00s)\n"}
{"Action":"fail","Package":"github.com/makemcp/makemcp/p","Test":"TestFail/sub","Elapsed":0}
{"Action":"output","Package":"github.com/makemcp/makemcp/p","Test":"TestFail","Output":"--- FAIL: TestFail (0.00s)\n"}
{"Action":"fail","Package":"github.com/makemcp/makemcp/p","Test":"TestFail","Elapsed":0}
{"Action":"run","Package":"github.com/makemcp/makemcp/p","Test":"TestPar"}
{"Action":"output","Package":"github.com/makemcp/makemcp/p","Test":"TestPar","Output":"=== PAUSE TestPar\n"}
{"Action":"output","Package":"github.com/makemcp/makemcp/p","Test":"TestPar","Output":"    p_test.go:6: par\n"}
{"Action":"pass","Package":"github.com/makemcp/makemcp/p","Test":"TestPar","Elapsed":0}
{"Action":"output","Package":"github.com/makemcp/makemcp/p","Output":"FAIL\n"}
{"Action":"output","Package":"github.com/makemcp/makemcp/p","Output":"FAIL\tgithub.com/makemcp/makemcp/p\t0.003s\n"}
{"Action":"fail","Package":"github.com/makemcp/makemcp/p","Elapsed":0.003}
{"Action":"run","Package":"github.com/makemcp/makemcp/keychain","Test":"TestSecretService"}
{"Action":"output","Package":"github.com/makemcp/makemcp/keychain","Test":"TestSecretService","Output":"    main_test.go:75: child process skipped:\n"}
{"Action":"output","Package":"github.com/makemcp/makemcp/keychain","Test":"TestSecretService","Output":"        store_keyring_real_test.go:30: skipping: real component Secret Service is missing: DBUS_SESSION_BUS_ADDRESS is not set (get it: apt-get install gnome-keyring dbus, then run the tests through ./scripts/test)\n"}
{"Action":"skip","Package":"github.com/makemcp/makemcp/keychain","Test":"TestSecretService","Elapsed":0}
{"Action":"run","Package":"github.com/makemcp/makemcp/keychain","Test":"TestMode"}
{"Action":"output","Package":"github.com/makemcp/makemcp/keychain","Test":"TestMode","Output":"    store_file_test.go:78: Windows has no Unix permission bits\n"}
{"Action":"skip","Package":"github.com/makemcp/makemcp/keychain","Test":"TestMode","Elapsed":0}
{"Action":"run","Package":"github.com/makemcp/makemcp/keychain","Test":"TestBrowser"}
{"Action":"output","Package":"github.com/makemcp/makemcp/keychain","Test":"TestBrowser","Output":"    b_test.go:9: skipping: real component chromium is missing: no chromium on PATH (get it: apt-get install chromium)\n"}
{"Action":"skip","Package":"github.com/makemcp/makemcp/keychain","Test":"TestBrowser","Elapsed":0}
{"Action":"output","Package":"github.com/makemcp/makemcp/keychain","Output":"PASS\n"}
{"Action":"output","Package":"github.com/makemcp/makemcp/keychain","Output":"ok  \tgithub.com/makemcp/makemcp/keychain\t(cached)\n"}
{"Action":"pass","Package":"github.com/makemcp/makemcp/keychain","Elapsed":0}
{"ImportPath":"github.com/makemcp/makemcp/q [github.com/makemcp/makemcp/q.test]","Action":"build-output","Output":"# github.com/makemcp/makemcp/q\n"}
{"ImportPath":"github.com/makemcp/makemcp/q [github.com/makemcp/makemcp/q.test]","Action":"build-output","Output":"q/q_test.go:3:28: undefined: undefined\n"}
{"ImportPath":"github.com/makemcp/makemcp/q [github.com/makemcp/makemcp/q.test]","Action":"build-fail"}
{"Action":"output","Package":"github.com/makemcp/makemcp/q","Output":"FAIL\tgithub.com/makemcp/makemcp/q [build failed]\n"}
{"Action":"fail","Package":"github.com/makemcp/makemcp/q","Elapsed":0,"FailedBuild":"github.com/makemcp/makemcp/q [github.com/makemcp/makemcp/q.test]"}
`

// reportOf is what runtests prints for events.
func reportOf(t *testing.T, verbose bool) string {
	t.Helper()
	var out strings.Builder
	r := newReport(&out, verbose)
	if err := r.read(strings.NewReader(events)); err != nil {
		t.Fatal(err)
	}
	r.summary()
	return out.String()
}

func TestReport(t *testing.T) {
	// As go test prints it without -v: only what failed and the package
	// lines; then the skips, one line per missing component, and the
	// counts (the package that did not build counts as a failure).
	want := `    p_test.go:5: broken
--- FAIL: TestFail/sub (0.00s)
--- FAIL: TestFail (0.00s)
FAIL
FAIL	github.com/makemcp/makemcp/p	0.003s
ok  	github.com/makemcp/makemcp/keychain	(cached)
# github.com/makemcp/makemcp/q
q/q_test.go:3:28: undefined: undefined
FAIL	github.com/makemcp/makemcp/q [build failed]

Skipped tests: 4
  Secret Service is missing (1 test): DBUS_SESSION_BUS_ADDRESS is not set; install: apt-get install gnome-keyring dbus, then run the tests through ./scripts/test
  chromium is missing (2 tests): no chromium on PATH; install: apt-get install chromium
  keychain TestMode: Windows has no Unix permission bits
2 passed, 3 failed, 4 skipped
`
	if got := reportOf(t, false); got != want {
		t.Errorf("the report is\n%s\nwant\n%s", got, want)
	}
}

func TestReportVerbose(t *testing.T) {
	got := reportOf(t, true)
	for _, want := range []string{"=== RUN   TestPass\n", "    p_test.go:3: fine\n", "--- SKIP: TestSkip", "PASS\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("-v does not show %q:\n%s", want, got)
		}
	}
	if strings.Count(got, "broken") != 1 {
		t.Errorf("-v shows a failed test's output other than once:\n%s", got)
	}
}

// TestReportKeepsAPackageTogether interleaves two packages, as go test -json
// does when they run at once, and a package whose test process died in a
// test: each package's report comes out whole, with the dying test's
// output.
func TestReportKeepsAPackageTogether(t *testing.T) {
	const interleaved = `{"Action":"run","Package":"a","Test":"TestA"}
{"Action":"output","Package":"a","Test":"TestA","Output":"    a_test.go:1: wrong\n"}
{"Action":"output","Package":"a","Test":"TestA","Output":"--- FAIL: TestA (0.00s)\n"}
{"Action":"fail","Package":"a","Test":"TestA"}
{"Action":"run","Package":"b","Test":"TestB"}
{"Action":"output","Package":"b","Test":"TestB","Output":"panic: test timed out after 1s\n"}
{"Action":"output","Package":"c","Output":"ok  \tc\t0.1s\n"}
{"Action":"pass","Package":"c"}
{"Action":"output","Package":"a","Output":"FAIL\n"}
{"Action":"output","Package":"a","Output":"FAIL\ta\t0.1s\n"}
{"Action":"fail","Package":"a"}
{"Action":"output","Package":"b","Output":"FAIL\tb\t1.0s\n"}
{"Action":"fail","Package":"b"}
`
	var out strings.Builder
	r := newReport(&out, false)
	if err := r.read(strings.NewReader(interleaved)); err != nil {
		t.Fatal(err)
	}
	want := "ok  \tc\t0.1s\n" +
		"    a_test.go:1: wrong\n--- FAIL: TestA (0.00s)\nFAIL\nFAIL\ta\t0.1s\n" +
		"panic: test timed out after 1s\nFAIL\tb\t1.0s\n"
	if got := out.String(); got != want {
		t.Errorf("the report is\n%s\nwant\n%s", got, want)
	}
	if r.failed != 2 {
		t.Errorf("%d failures counted, want 2: TestA and package b", r.failed)
	}
}
