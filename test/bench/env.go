package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/makemcp/makemcp/internal/testenv"
)

// bench is what every measurement needs: the two servers' programs and a
// scratch folder.
type bench struct {
	root     string // the repository
	tmp      string
	makemcp  string // the built binary
	node     string
	official string // @makehq/mcp-server's entry point
	machine  machine
	// http2 lets the fake offer HTTP/2 (makemcp's client takes it; Node's
	// fetch stays on HTTP/1.1).
	http2 bool
}

// machine describes where the numbers came from.
type machine struct {
	CPU   string
	Cores int
	Go    string
	Node  string
	OS    string
	Date  string
	// StartLoad and EndLoad are the 1-minute load average when the run
	// began and ended: other work on the machine skews every row.
	StartLoad, EndLoad string
}

func setup(ctx context.Context, c config) (*bench, error) {
	root, err := repoRoot()
	if err != nil {
		return nil, err
	}
	b := &bench{root: root, http2: c.http2}
	if b.node, err = exec.LookPath("node"); err != nil {
		return nil, errors.New("node is not on PATH: install Node 20 (bash .ci/run does)")
	}
	b.official = filepath.Join(root, "test", "node_modules", "@makehq", "mcp-server", "build", "index.js")
	if _, err := os.Stat(b.official); err != nil {
		return nil, errors.New("@makehq/mcp-server is not installed: run `npm ci --prefix test`")
	}
	if _, err := os.Stat(filepath.Join(root, "test", "node_modules", "oauth2-mock-server")); err != nil {
		return nil, errors.New("oauth2-mock-server is not installed: run `npm ci --prefix test`")
	}
	if b.tmp, err = os.MkdirTemp("", "makemcp-bench-"); err != nil {
		return nil, err
	}
	progress("building makemcp...")
	b.makemcp = filepath.Join(b.tmp, "makemcp")
	// Built as .goreleaser.yaml builds releases: without cgo (a static
	// binary that loads no C library), and stripped.
	build := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags=-s -w", "-o", b.makemcp, "./cmd/makemcp")
	build.Dir = root
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		b.cleanup()
		return nil, fmt.Errorf("go build ./cmd/makemcp: %v\n%s", err, out)
	}
	b.machine = describeMachine(ctx, b.node)
	return b, nil
}

func (b *bench) cleanup() { _ = os.RemoveAll(b.tmp) }

// repoRoot walks up from the working folder to the one holding makemcp's
// go.mod.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		mod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && strings.HasPrefix(string(mod), "module github.com/makemcp/makemcp\n") {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("run from inside the makemcp repository (scripts/bench does)")
		}
		dir = parent
	}
}

func describeMachine(ctx context.Context, node string) machine {
	m := machine{CPU: cpuModel(), Cores: runtime.NumCPU(), Go: runtime.Version(),
		OS: runtime.GOOS + "/" + runtime.GOARCH, Date: time.Now().UTC().Format("2006-01-02")}
	if b, err := os.ReadFile("/etc/os-release"); err == nil {
		for line := range strings.SplitSeq(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "PRETTY_NAME="); ok {
				m.OS = strings.Trim(v, `"`) + " " + runtime.GOARCH
			}
		}
	}
	m.StartLoad = loadAverage()
	if out, err := exec.CommandContext(ctx, node, "--version").Output(); err == nil {
		m.Node = strings.TrimSpace(string(out))
	}
	return m
}

// loadAverage is the 1-minute load average, or "?" where /proc has none.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	l, _, _ := strings.Cut(string(b), " ")
	return l
}

// cpuModel is the first "model name" of /proc/cpuinfo.
func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if k, v, ok := strings.Cut(s.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}

// baseEnv is this process's environment without anything that would make
// either server use the developer's own Make setup.
func baseEnv() []string {
	return testenv.Environ("MAKEMCP_*", "MAKE_*", "SSL_CERT_FILE", "SSL_CERT_DIR", "NODE_EXTRA_CA_CERTS",
		"NODE_OPTIONS", "GODEBUG", "GOGC", "GOMEMLIMIT", "XDG_CACHE_HOME")
}
