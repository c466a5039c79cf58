package reliability

import (
	"bytes"
	"encoding/json"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/makemcp/makemcp/internal/testenv"
)

// defaultSIGKILLRuns is how many times TestSIGKILLDuringRefresh kills
// `makemcp token` unless MAKEMCP_SIGKILL_RUNS says otherwise.
const defaultSIGKILLRuns = 60

// killPoint is the moment a run is killed: a delay after the process
// started, or a stage of its token request as the OAuth proxy sees it.
type killPoint struct {
	delay time.Duration
	stage tokenStage
	hook  bool
}

func (p killPoint) String() string {
	if p.hook {
		return "token request " + p.stage.String()
	}
	return "random delay"
}

// killTally counts what the runs of one kind of kill point did.
type killTally struct {
	runs int
	// finished: the process ended before the kill landed.
	finished int
	// beforeRotation and afterRotation: killed before or after the OAuth
	// server rotated the refresh token.
	beforeRotation, afterRotation int
	usable, lost                  int
}

// killReport gathers the tallies of every lane.
type killReport struct {
	mu      sync.Mutex
	byPoint map[string]*killTally
	byStore map[string]*killTally
	// stray files a killed save left in the credentials folder; those
	// holding a credential; those holding the live refresh token.
	stray, straySecret, strayLive int
	// windows are the spans of undisturbed refreshes, by store: from the
	// request to the server's answer, and from the answer to the end.
	windows map[string][]time.Duration
}

func (r *killReport) add(store string, p killPoint, f func(*killTally)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for m, key := range map[*map[string]*killTally]string{&r.byPoint: p.String(), &r.byStore: store} {
		if (*m)[key] == nil {
			(*m)[key] = &killTally{}
		}
		f((*m)[key])
	}
}

func (r *killReport) total() killTally {
	var t killTally
	for _, v := range r.byStore {
		t.runs += v.runs
		t.finished += v.finished
		t.beforeRotation += v.beforeRotation
		t.afterRotation += v.afterRotation
		t.usable += v.usable
		t.lost += v.lost
	}
	return t
}

// TestSIGKILLDuringRefresh kills `makemcp token` with SIGKILL at random
// moments of a token refresh (the access token has expired, the refresh
// token rotates), many times, and after each kill runs `makemcp token`
// again to see whether the session is still usable. A session may be lost
// only when the kill lands after the OAuth server rotated the refresh
// token and before the new credential was saved; the stored credential
// must load whole after every kill. Most runs use the file store, some the
// real keychain. The counts are logged (go test -v).
func TestSIGKILLDuringRefresh(t *testing.T) {
	t.Parallel()
	runs := defaultSIGKILLRuns
	if s := os.Getenv("MAKEMCP_SIGKILL_RUNS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			t.Fatalf("MAKEMCP_SIGKILL_RUNS=%q: want a positive number", s)
		}
		runs = n
	}
	// Lanes run at once, each with its own profile, OAuth server and
	// Make, since every run waits for an access token to expire.
	lanes := []bool{false, false, false, false, false, true} // keychain?
	report := &killReport{byPoint: map[string]*killTally{}, byStore: map[string]*killTally{}, windows: map[string][]time.Duration{}}
	var wg sync.WaitGroup
	for i, keychain := range lanes {
		n := runs / len(lanes)
		if i < runs%len(lanes) {
			n++
		}
		name := "file " + strconv.Itoa(i+1)
		if keychain {
			name = "keychain"
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			t.Run(name, func(t *testing.T) { killLane(t, keychain, n, report) })
		}()
	}
	wg.Wait()

	all := report.total()
	t.Logf("SIGKILL during a refresh: %d runs; %d ended before the kill; %d killed before the OAuth server rotated the refresh token, %d after; sessions usable afterwards: %d, lost: %d",
		all.runs, all.finished, all.beforeRotation, all.afterRotation, all.usable, all.lost)
	for _, group := range []map[string]*killTally{report.byStore, report.byPoint} {
		keys := make([]string, 0, len(group))
		for k := range group {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			v := group[k]
			t.Logf("  %-24s runs %3d  ended first %3d  killed before rotation %3d  after %3d  usable %3d  lost %3d",
				k, v.runs, v.finished, v.beforeRotation, v.afterRotation, v.usable, v.lost)
		}
	}
	for _, span := range slices.Sorted(maps.Keys(report.windows)) {
		w := report.windows[span]
		slices.Sort(w)
		t.Logf("  undisturbed refreshes, %s: median %s, max %s (%d runs)",
			span, w[len(w)/2].Round(10*time.Microsecond), w[len(w)-1].Round(10*time.Microsecond), len(w))
	}
	if report.stray > 0 {
		t.Logf("killed saves left %d temporary files in the credentials folder, %d holding a credential with its refresh token, %d the live one (removed before the leak check; logout would not remove them)",
			report.stray, report.straySecret, report.strayLive)
	}
	// The kills must cover the refresh: some before the server rotated,
	// some after (the hooks make sure of those).
	if all.runs >= 20 && (all.beforeRotation == 0 || all.afterRotation == 0) {
		t.Errorf("of %d runs, %d were killed before the rotation and %d after: the kill points miss the refresh", all.runs, all.beforeRotation, all.afterRotation)
	}
}

// killLane logs a machine in and kills `makemcp token` runs times.
func killLane(t *testing.T, keychain bool, runs int, report *killReport) {
	m := newMachine(t, machineOptions{accessTTL: time.Second, keychain: keychain})
	store := "file store"
	if keychain {
		store = "keychain"
	}
	m.login()
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 1))
	t.Logf("random seed %d", seed)

	// How long an undisturbed refresh usually takes sets the range of the
	// random delays. The time from the server's answer to the process's end
	// bounds the window: the save is the last thing a refresh does
	// before the token is printed.
	var took []time.Duration
	for range 3 {
		m.waitDue()
		var sent, answered time.Time
		m.proxy.setHook(func(s tokenStage) {
			switch s {
			case tokenSent:
				sent = time.Now()
			case tokenAnswered:
				answered = time.Now()
			}
		})
		start := time.Now()
		r, err := m.run(nil, "token")
		end := time.Now()
		m.proxy.settle() // the hook has run: sent and answered are set
		m.proxy.setHook(nil)
		if err != nil || r.Code != 0 || answered.IsZero() {
			t.Fatalf("an undisturbed refresh failed (%v, answered %v):\n%s", err, !answered.IsZero(), r)
		}
		took = append(took, end.Sub(start))
		report.mu.Lock()
		report.windows[store+": request sent to server answered"] = append(report.windows[store+": request sent to server answered"], answered.Sub(sent))
		report.windows[store+": server answered to process end"] = append(report.windows[store+": server answered to process end"], end.Sub(answered))
		report.mu.Unlock()
	}
	slices.Sort(took)
	delayRange := took[len(took)/2] * 5 / 4

	for range runs {
		m.waitDue()
		p := killPoint{delay: time.Duration(rng.Int64N(int64(delayRange)))}
		switch x := rng.IntN(10); {
		case x == 0:
			p = killPoint{hook: true, stage: tokenSent}
		case x == 1:
			p = killPoint{hook: true, stage: tokenAnswered}
		case x == 2:
			p = killPoint{hook: true, stage: tokenRelayed}
		}
		before := m.OAuth.Stats(t)
		killed := m.killToken(p)
		m.proxy.settle()
		after := m.OAuth.Stats(t)
		rotated := after.Refreshes-after.RefreshesRejected > before.Refreshes-before.RefreshesRejected

		// Whatever the moment, what is stored loads whole.
		m.Credential("default")
		stray, secret, live := m.removeStrayFiles()
		usable := m.sessionUsable()
		report.add(store, p, func(k *killTally) {
			k.runs++
			switch {
			case !killed:
				k.finished++
			case rotated:
				k.afterRotation++
			default:
				k.beforeRotation++
			}
			if usable {
				k.usable++
			} else {
				k.lost++
			}
		})
		report.mu.Lock()
		report.stray += stray
		report.straySecret += secret
		report.strayLive += live
		report.mu.Unlock()
		if !usable {
			if !killed || !rotated {
				t.Errorf("session lost after a run killed at %s (killed %v, server rotated %v): only a kill between the rotation and the save may lose it", p, killed, rotated)
			}
			m.login()
		}
	}
}

// waitDue waits until the stored access token is due for a refresh.
func (m *machine) waitDue() {
	m.T.Helper()
	c := m.Credential("default")
	if d := time.Until(c.Expiry); d > 0 {
		time.Sleep(d + 10*time.Millisecond)
	}
}

// killToken runs `makemcp token` and kills it with SIGKILL at p. It
// reports whether the kill landed (false: the run ended first).
func (m *machine) killToken(p killPoint) bool {
	m.T.Helper()
	cmd := exec.Command(m.Bin, "token")
	cmd.Env = m.Env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		m.T.Fatal(err)
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(exited)
	}()
	kill := sync.OnceFunc(func() { _ = cmd.Process.Signal(syscall.SIGKILL) })
	if p.hook {
		m.proxy.setHook(func(s tokenStage) {
			if s != p.stage {
				return
			}
			kill()
			select {
			case <-exited:
			case <-time.After(10 * time.Second):
			}
		})
		defer m.proxy.setHook(nil)
	} else {
		timer := time.AfterFunc(p.delay, kill)
		defer timer.Stop()
	}
	select {
	case <-exited:
	case <-time.After(testenv.RunGuard):
		kill()
		<-exited
		m.T.Fatalf("makemcp token did not end within %s", testenv.RunGuard)
	}
	m.Record(testenv.Result{Args: []string{"token"}, Stdout: stdout.String(), Stderr: stderr.String(), Code: cmd.ProcessState.ExitCode()})
	ws, _ := cmd.ProcessState.Sys().(syscall.WaitStatus)
	killed := ws.Signaled() && ws.Signal() == syscall.SIGKILL
	if !killed && cmd.ProcessState.ExitCode() != 0 {
		m.T.Errorf("makemcp token, not killed, failed:\n%s", stderr.String())
	}
	return killed
}

// sessionUsable runs `makemcp token`: a token the OAuth server calls live
// means the session survived, "session expired" that it is lost. Any
// other outcome fails the test.
func (m *machine) sessionUsable() bool {
	m.T.Helper()
	r, err := m.run(nil, "token")
	if err != nil {
		m.T.Fatal(err)
	}
	if r.Code == 0 {
		tok := strings.TrimSpace(r.Stdout)
		if st := m.OAuth.TokenStatus(m.T, tok); st != (testenv.TokenState{Kind: "access", Status: "active"}) {
			m.T.Errorf("makemcp token printed a token the OAuth server calls %+v", st)
		}
		return true
	}
	if !strings.Contains(r.Stderr, "session expired: run makemcp login") {
		m.T.Errorf("after a kill, makemcp token neither printed a token nor said the session expired:\n%s", r)
	}
	return false
}

// removeStrayFiles removes the files in the credentials folder other
// than the credential itself: temporary files a save killed before its
// rename left behind. It returns how many there were, how many held a
// credential with a refresh token, and how many of those held the
// session's live refresh token (the only copy of it, when the kill also
// lost the session).
func (m *machine) removeStrayFiles() (stray, secret, live int) {
	m.T.Helper()
	dir := filepath.Join(m.Dir, "credentials")
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, 0, 0
	}
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		if testenv.IsCredentialFile(path) {
			continue
		}
		stray++
		data, _ := os.ReadFile(path)
		var c testenv.StoredCredential
		if json.Unmarshal(data, &c) == nil && c.RefreshToken != "" {
			secret++
			if m.OAuth.TokenStatus(m.T, c.RefreshToken).Status == "active" {
				live++
			}
		}
		if err := os.Remove(path); err != nil {
			m.T.Fatal(err)
		}
	}
	return stray, secret, live
}
