package keychain

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
)

// The test binary also plays child processes, chosen by childEnv: the
// tests against the real keychain (go-keyring's mock, which the unit tests
// use, replaces the OS keychain for the whole process, and cannot be
// undone), keychain calls in a crafted D-Bus environment (godbus caches
// its session bus per process), and the processes contending for a lock.
const childEnv = "MAKEMCP_KEYCHAIN_TEST_CHILD"

const (
	childRealKeychain = "real-keychain" // run the test named by -test.run
	childKeychainOps  = "keychain-ops"  // runKeychainOps
	childCounter      = "counter"       // runCounter
)

func TestMain(m *testing.M) {
	switch role := os.Getenv(childEnv); role {
	case "":
		keyring.MockInit()
	case childRealKeychain:
	case childKeychainOps:
		os.Exit(runKeychainOps())
	case childCounter:
		os.Exit(runCounter())
	default:
		fmt.Fprintf(os.Stderr, "unknown %s=%q\n", childEnv, role)
		os.Exit(2)
	}
	os.Exit(m.Run())
}

// childTimeout bounds every child process, so a hang fails the test
// instead of stalling the suite.
const childTimeout = 2 * time.Minute

// childCommand returns a command that runs this test binary in a child
// role with the given environment. The child is killed if the test ends
// first.
func childCommand(t *testing.T, role string, env []string, args ...string) *exec.Cmd {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), childTimeout)
	t.Cleanup(cancel)
	cmd := exec.CommandContext(ctx, os.Args[0], args...)
	// Under -race, a process sleeps a second at exit by default.
	race := strings.TrimSpace(os.Getenv("GORACE") + " atexit_sleep_ms=0")
	cmd.Env = append(env, childEnv+"="+role, "GORACE="+race)
	return cmd
}

// runInChild runs the calling test again in a child process where the OS
// keychain is real, and reports its outcome as this test's.
func runInChild(t *testing.T) {
	t.Helper()
	cmd := childCommand(t, childRealKeychain, os.Environ(), "-test.run=^"+t.Name()+"$", "-test.v")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s in a child process: %v\n%s", t.Name(), err, out)
	}
	if bytes.Contains(out, []byte("--- SKIP: "+t.Name())) {
		t.Skipf("child process skipped:\n%s", out)
	}
	if !bytes.Contains(out, []byte("--- PASS: "+t.Name())) {
		t.Fatalf("%s did not run in the child process:\n%s", t.Name(), out)
	}
	t.Logf("child process:\n%s", out)
}

// Environment of the keychain-ops child.
const (
	opsTimeoutEnv = "MAKEMCP_KEYCHAIN_TEST_TIMEOUT"
	testService   = "makemcp-test"
)

// runKeychainOps saves, loads and deletes a credential through the OS
// keychain and prints one line per call: the call, whether the error
// wraps ErrUnavailable, and the error.
func runKeychainOps() int {
	timeout, err := time.ParseDuration(os.Getenv(opsTimeoutEnv))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	k := NewKeyring(timeout)
	k.service = testService
	ctx := context.Background()
	c := &Credential{Kind: APIToken, AccessToken: "ops-secret-token"}
	report := func(op string, err error) {
		fmt.Printf("%s\t%t\t%v\n", op, errors.Is(err, ErrUnavailable), err)
	}
	report("save", k.Save(ctx, "ops", c))
	_, err = k.Load(ctx, "ops")
	report("load", err)
	report("delete", k.Delete(ctx, "ops"))
	return 0
}

// opResult is one line of runKeychainOps.
type opResult struct {
	op          string
	unavailable bool
	err         string
}

func parseOps(t *testing.T, out []byte) []opResult {
	t.Helper()
	var results []opResult
	for line := range strings.Lines(string(out)) {
		f := strings.SplitN(strings.TrimSuffix(line, "\n"), "\t", 3)
		if len(f) != 3 {
			t.Fatalf("unexpected line from the child: %q", line)
		}
		unavailable, _ := strconv.ParseBool(f[1])
		results = append(results, opResult{f[0], unavailable, f[2]})
	}
	if len(results) != 3 {
		t.Fatalf("child reported %d calls, want 3:\n%s", len(results), out)
	}
	return results
}

// Environment of the counter child.
const (
	counterDirEnv = "MAKEMCP_KEYCHAIN_TEST_DIR"
	counterNEnv   = "MAKEMCP_KEYCHAIN_TEST_N"
	counterName   = "counter"
)

// runCounter adds one to the counter kept as the access token of the
// "counter" profile in a File store, n times, each a read-modify-write
// under the profile's lock through Update.
func runCounter() int {
	dir := os.Getenv(counterDirEnv)
	n, err := strconv.Atoi(os.Getenv(counterNEnv))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	store := NewFile(dir)
	for range n {
		_, err := Update(ctx, store, counterName, func(c *Credential) (*Credential, error) {
			v, err := strconv.Atoi(c.AccessToken)
			if err != nil {
				return nil, err
			}
			// Give the other processes time to read the same value,
			// which they would without the lock.
			time.Sleep(time.Millisecond)
			next := *c
			next.AccessToken = strconv.Itoa(v + 1)
			return &next, nil
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	return 0
}
