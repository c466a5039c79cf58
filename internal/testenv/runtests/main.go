// Command runtests runs go test for scripts/test and tells what was not
// tested: it prints what go test prints (-v: everything), and then one
// line per real component whose tests skipped because it is missing, with
// how to install it, and the count of passed, failed and skipped tests.
//
//	runtests [go test flags] [packages]
//
// The packages default to ./..., also when only flags are given.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"

	"github.com/makemcp/makemcp/internal/testenv"
)

func main() {
	args, o := goTestArgs(os.Args[1:])
	cmd := exec.Command("go", args...)
	cmd.Stdin, cmd.Stderr = os.Stdin, os.Stderr
	if o.json {
		cmd.Stdout = os.Stdout
		os.Exit(exitCode(cmd.Run()))
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		fail(err)
	}
	if err := cmd.Start(); err != nil {
		fail(err)
	}
	r := newReport(os.Stdout, o.verbose)
	if err := r.read(stdout); err != nil {
		fail(err)
	}
	code := exitCode(cmd.Wait())
	r.summary()
	if code == 0 && r.failed > 0 {
		code = 1
	}
	os.Exit(code)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "runtests:", err)
	os.Exit(2)
}

func exitCode(err error) int {
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit):
		return exit.ExitCode()
	}
	fmt.Fprintln(os.Stderr, "runtests:", err)
	return 2
}

type options struct {
	verbose bool // -v: print every test's output
	json    bool // -json: the caller reads go test's events itself
}

// goTestArgs returns the go command's arguments for the caller's: go test
// with -json (unless the caller asked for it, and gets it as it is), and
// ./... unless the arguments name packages. Arguments after -args belong
// to the test binaries.
func goTestArgs(args []string) ([]string, options) {
	var o options
	packages := false
	for _, a := range args {
		if a == "-args" || a == "--args" {
			break
		}
		switch strings.TrimLeft(a, "-") {
		case "v", "v=true", "test.v", "test.v=true":
			o.verbose = true
		case "json", "json=true":
			o.json = true
		}
		if isPackage(a) {
			packages = true
		}
	}
	out := []string{"test"}
	if !o.json {
		out = append(out, "-json")
	}
	if !packages {
		out = append(out, "./...")
	}
	return append(out, args...), o
}

// isPackage reports whether an argument is a package pattern: a relative
// path, or an import path in this module. A flag's value, such as the
// TestName/sub of -run, is neither.
func isPackage(a string) bool {
	return a == "." || a == ".." || strings.HasPrefix(a, "./") || strings.HasPrefix(a, "../") ||
		a == module || strings.HasPrefix(a, module+"/")
}

const module = "github.com/makemcp/makemcp"

// event is one line of go test -json (see go doc test2json).
type event struct {
	Action  string
	Package string
	Test    string
	Output  string
}

// report prints go test's events as go test would, and keeps what the
// summary needs.
type report struct {
	w       io.Writer
	verbose bool
	// output holds each running test's output until it ends: shown if it
	// fails, read for the reason if it skips.
	output map[string][]string
	// Without -v a package's report is printed whole when it ends, as go
	// test does: the output of its failed tests (shown), then its own lines
	// (tail: ok, FAIL).
	shown, tail map[string][]string
	// failedTests counts the failed tests of each package.
	failedTests map[string]int

	passed, failed, skipped int
	skips                   []skip
}

// skip is one skipped test and why.
type skip struct {
	test string // package and test
	// component, why and how are set when a real component is missing
	// (testenv.Missing); reason otherwise.
	component, why, how string
	reason              string
}

func newReport(w io.Writer, verbose bool) *report {
	return &report{w: w, verbose: verbose, output: map[string][]string{},
		shown: map[string][]string{}, tail: map[string][]string{}, failedTests: map[string]int{}}
}

// read reads events to the end of r, and prints the packages that did not
// end there.
func (r *report) read(in io.Reader) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		var e event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil || e.Action == "" {
			// Not an event: pass it on as it is.
			fmt.Fprintln(r.w, sc.Text())
			continue
		}
		r.event(e)
	}
	for _, pkg := range slices.Sorted(maps.Keys(r.tail)) {
		r.packageDone(pkg, false)
	}
	return sc.Err()
}

func (r *report) event(e event) {
	key := e.Package + " " + e.Test
	switch {
	case e.Action == "build-output":
		fmt.Fprint(r.w, e.Output)
	case e.Action == "output":
		if r.verbose {
			fmt.Fprint(r.w, e.Output)
		}
		if e.Test != "" {
			r.output[key] = append(r.output[key], e.Output)
		} else if !r.verbose && e.Output != "PASS\n" {
			r.tail[e.Package] = append(r.tail[e.Package], e.Output)
		}
	case e.Test == "":
		if e.Action == "pass" || e.Action == "fail" || e.Action == "skip" {
			r.packageDone(e.Package, e.Action == "fail")
		}
	case e.Action == "pass":
		r.passed++
		delete(r.output, key)
	case e.Action == "fail":
		r.failed++
		r.failedTests[e.Package]++
		r.show(e.Package, key)
	case e.Action == "skip":
		r.skipped++
		r.skips = append(r.skips, skipOf(shortPackage(e.Package)+" "+e.Test, r.output[key]))
		delete(r.output, key)
	}
}

// show keeps a failed test's output for its package's report (under -v
// it is shown already).
func (r *report) show(pkg, key string) {
	if !r.verbose {
		for _, line := range r.output[key] {
			if !strings.HasPrefix(line, "=== ") {
				r.shown[pkg] = append(r.shown[pkg], line)
			}
		}
	}
	delete(r.output, key)
}

// packageDone prints a package's report. A package that failed without a
// failing test (it did not build, or its test process died) counts as one
// failure, and shows the output of the tests that were running.
func (r *report) packageDone(pkg string, failed bool) {
	if failed {
		if r.failedTests[pkg] == 0 {
			r.failed++
		}
		var running []string
		for key := range r.output {
			if strings.HasPrefix(key, pkg+" ") {
				running = append(running, key)
			}
		}
		slices.Sort(running)
		for _, key := range running {
			r.show(pkg, key)
		}
	}
	for _, line := range append(r.shown[pkg], r.tail[pkg]...) {
		fmt.Fprint(r.w, line)
	}
	delete(r.shown, pkg)
	delete(r.tail, pkg)
}

// logLine is a line a test logged: "    file_test.go:12: message".
var logLine = regexp.MustCompile(`^\s+\S+\.go:\d+: (.*)`)

// skipOf reads why a test skipped from its output.
func skipOf(test string, output []string) skip {
	s := skip{test: test}
	for _, line := range output {
		if c, why, how, ok := testenv.ParseMissing(line); ok {
			s.component, s.why, s.how = c, why, how
			return s
		}
		if m := logLine.FindStringSubmatch(line); m != nil && s.reason == "" {
			s.reason = strings.TrimSpace(m[1])
		}
	}
	if s.reason == "" {
		s.reason = "(no reason given)"
	}
	return s
}

func shortPackage(pkg string) string {
	return strings.TrimPrefix(strings.TrimPrefix(pkg, module), "/")
}

// summary prints the skipped tests, one line per missing component and
// one per test skipped for another reason, and the counts.
func (r *report) summary() {
	type group struct {
		component, why, how string
		tests               int
	}
	var missing []*group
	var other []skip
	for _, s := range r.skips {
		if s.component == "" {
			other = append(other, s)
			continue
		}
		i := slices.IndexFunc(missing, func(g *group) bool { return g.component == s.component })
		if i < 0 {
			missing = append(missing, &group{component: s.component, why: s.why, how: s.how})
			i = len(missing) - 1
		}
		missing[i].tests++
	}
	if len(r.skips) > 0 {
		fmt.Fprintf(r.w, "\nSkipped tests: %d\n", len(r.skips))
	}
	slices.SortFunc(missing, func(a, b *group) int { return strings.Compare(a.component, b.component) })
	for _, g := range missing {
		fmt.Fprintf(r.w, "  %s is missing (%s): %s; install: %s\n", g.component, plural(g.tests, "test"), g.why, g.how)
	}
	for _, s := range other {
		fmt.Fprintf(r.w, "  %s: %s\n", s.test, s.reason)
	}
	fmt.Fprintf(r.w, "%d passed, %d failed, %d skipped\n", r.passed, r.failed, r.skipped)
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
