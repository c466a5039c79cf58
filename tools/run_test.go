package tools_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/makemcp/makemcp/makeapi/makefake"
	"github.com/makemcp/makemcp/tools"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// Runs of scenario 5006, "Build quarterly report", take 75 s in the demo
// account: past Make's 40 s responsive limit. These tests run in a
// synctest bubble, so the fake's clock and makemcp's waits are the
// bubble's and take no real time.

// quarterly are inputs of scenario 5006.
var quarterly = map[string]any{"quarter": "Q1", "year": 2025}

// progressLog is a client's progress handler that keeps what it got.
type progressLog struct {
	mu    sync.Mutex
	notes []*mcp.ProgressNotificationParams
}

func (p *progressLog) handle(_ context.Context, req *mcp.ProgressNotificationClientRequest) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.notes = append(p.notes, req.Params)
}

func (p *progressLog) all() []*mcp.ProgressNotificationParams {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]*mcp.ProgressNotificationParams(nil), p.notes...)
}

// runEnv is an environment in a bubble, polling every second.
func runEnv(t *testing.T, runWait time.Duration, progress *progressLog) *env {
	o := options{inProcess: true, deps: func(d *tools.Deps) {
		d.PollEvery = time.Second
		d.RunWait = runWait
	}}
	if progress != nil {
		o.client.ProgressNotificationHandler = progress.handle
	}
	return newEnv(t, o)
}

// runWithProgress calls scenarios_run asking for progress.
func runWithProgress(ctx context.Context, e *env, args map[string]any) (*mcp.CallToolResult, error) {
	p := &mcp.CallToolParams{Name: "scenarios_run", Arguments: args}
	p.SetProgressToken("run-1")
	return e.cs.CallTool(ctx, p)
}

// executionPolls counts the fake's reads of scenario 5006's executions.
func executionPolls(f *makefake.Server) int {
	n := 0
	for _, r := range f.Requests() {
		if r.Method == "GET" && strings.HasPrefix(r.Path, "/api/v2/scenarios/5006/executions/") {
			n++
		}
	}
	return n
}

func TestRunWithinResponsiveLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := runEnv(t, time.Minute, nil)
		e.fake.SetRunDuration(5001, 30*time.Second)
		start := time.Now()
		res := e.ok("scenarios_run", map[string]any{"scenarioId": 5001, "data": map[string]any{"name": "Ada", "language": "de"}})
		wantJSON(t, res, `{"status": "success", "outputs": {"greeting": "Hello, Ada! Thanks for being with us.", "language": "de"}}`)
		if waited := time.Since(start); waited != 30*time.Second {
			t.Errorf("the run returned after %s of the bubble's time, want the run's 30 s", waited)
		}
		e.wantRequests(req{method: "POST", path: "/scenarios/5001/run", body: `{"data": {"name": "Ada", "language": "de"}, "responsive": true}`})
	})
}

func TestRunPastResponsiveLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		progress := &progressLog{}
		e := runEnv(t, 2*time.Minute, progress)
		res, err := runWithProgress(t.Context(), e, map[string]any{"scenarioId": 5006, "data": quarterly})
		if err != nil || res.IsError {
			t.Fatalf("run: %v %s", err, text(res))
		}
		out := mustJSON(res.StructuredContent)
		wantJSON(t, out, `{"status": "success", "outputs": {"reportUrl": "https://reports.example.com/2025-Q1.pdf"}}`)
		id := decode[struct{ ExecutionID string }](t, out).ExecutionID
		if id == "" {
			t.Fatalf("no executionId in %s", out)
		}
		if n := e.fake.Count("POST", "/api/v2/scenarios/5006/run"); n != 1 {
			t.Errorf("%d runs, want 1", n)
		}
		if n := executionPolls(e.fake); n < 30 || n > 40 {
			t.Errorf("%d polls of the execution between 40 s and 75 s, one a second: want about 35", n)
		}

		synctest.Wait() // let the client take in the last notifications
		notes := progress.all()
		if len(notes) < 10 {
			t.Fatalf("%d progress notifications, want one every 5 s while Make holds the run and one a poll after", len(notes))
		}
		last := -1.0
		for _, n := range notes {
			if n.ProgressToken != "run-1" || n.Progress <= last || n.Message == "" {
				t.Errorf("progress %+v after %v: want the call's token, rising progress and a message", n, last)
			}
			last = n.Progress
		}
		if m := notes[len(notes)-1].Message; !strings.Contains(m, "execution "+id+" is still running") {
			t.Errorf("last progress message %q", m)
		}
	})
}

func TestRunOutlivesRunWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := runEnv(t, 50*time.Second, nil)
		res := e.ok("scenarios_run", map[string]any{"scenarioId": 5006, "data": quarterly})
		r := decode[struct{ ExecutionID, Status, Note string }](t, res)
		if r.Status != "running" || r.ExecutionID == "" || !strings.Contains(r.Note, "executions_get-detail with scenarioId 5006 and executionId "+r.ExecutionID) {
			t.Fatalf("result %s: want running, the executionId and how to follow it", res)
		}
		// The run goes on in Make; its result comes later.
		time.Sleep(30 * time.Second)
		wantJSON(t, e.ok("executions_get-detail", map[string]any{"scenarioId": 5006, "executionId": r.ExecutionID}),
			`{"status": "success", "outputs": {"reportUrl": "https://reports.example.com/2025-Q1.pdf"}}`)
	})
}

func TestRunCancelled(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := runEnv(t, 2*time.Minute, nil)
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error, 1)
		go func() {
			_, err := runWithProgress(ctx, e, map[string]any{"scenarioId": 5006, "data": quarterly})
			done <- err
		}()
		time.Sleep(45 * time.Second) // past the responsive limit: polling
		synctest.Wait()
		if executionPolls(e.fake) == 0 {
			t.Fatal("not polling yet after 45 s")
		}
		cancel()
		if err := <-done; err == nil {
			t.Fatal("cancelled call returned no error")
		}
		synctest.Wait() // the server has taken in the cancellation
		polls := executionPolls(e.fake)
		time.Sleep(20 * time.Second)
		synctest.Wait()
		if n := executionPolls(e.fake); n != polls {
			t.Errorf("%d more polls after the call was cancelled", n-polls)
		}
		if n := e.fake.Count("POST", "/api/v2/scenarios/5006/run"); n != 1 {
			t.Errorf("%d runs, want 1", n)
		}
	})
}

// A run is never sent twice, whatever Make answers.
func TestRunNeverRetried(t *testing.T) {
	for _, status := range []int{500, 502, 503, 429} {
		e := newEnv(t, options{})
		e.fake.Inject(makefake.Fault{Method: "POST", Path: "/api/v2/scenarios/5001/run", Status: status})
		got := e.fails("scenarios_run", map[string]any{"scenarioId": 5001, "data": map[string]any{"name": "Ada"}})
		if !strings.Contains(got, "Make API: "+itoa(status)) {
			t.Errorf("%d: error %q", status, got)
		}
		if n := e.fake.Count("POST", "/api/v2/scenarios/5001/run"); n != 1 {
			t.Errorf("%d: the run was sent %d times", status, n)
		}
	}
	// A gateway timeout that names no execution: the run may go on.
	e := newEnv(t, options{})
	e.fake.Inject(makefake.Fault{Method: "POST", Path: "/api/v2/scenarios/5001/run", Status: 504})
	res := decode[struct{ Status, Note string }](t, e.ok("scenarios_run", map[string]any{"scenarioId": 5001, "data": map[string]any{"name": "Ada"}}))
	if res.Status != "running" || !strings.Contains(res.Note, "executions_list for scenario 5001") {
		t.Errorf("504 without an execution: %+v", res)
	}
	if n := e.fake.Count("POST", "/api/v2/scenarios/5001/run"); n != 1 {
		t.Errorf("504: the run was sent %d times", n)
	}
}
