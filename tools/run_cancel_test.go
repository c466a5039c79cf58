package tools_test

import (
	"bufio"
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/makemcp/makemcp/makeapi"
	"github.com/makemcp/makemcp/makeapi/makefake"
	"github.com/makemcp/makemcp/tools"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// wireLog keeps what a client read off the wire, including the answer to
// a call it had already given up on.
type wireLog struct {
	mu sync.Mutex
	b  strings.Builder
}

func (w *wireLog) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

// answers returns the tool results the client read.
func (w *wireLog) answers() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []string
	sc := bufio.NewScanner(strings.NewReader(w.b.String()))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if line, ok := strings.CutPrefix(sc.Text(), "read: "); ok && strings.Contains(line, `"result"`) {
			out = append(out, line)
		}
	}
	return out
}

// cancelRun starts scenarios_run of the demo's 75 s scenario, cancels the
// call after the given time, and returns the server's answer to it.
func cancelRun(t *testing.T, after time.Duration) (res struct {
	ExecutionID, Status, Note string
	IsError                   bool
	Text                      string
}) {
	fake, err := makefake.New(makefake.Options{})
	if err != nil {
		t.Fatal(err)
	}
	api, err := makeapi.New(makeapi.Options{Zone: "eu1.make.com", HTTPClient: fake.InProcessClient(), Tokens: makeapi.StaticToken(demoToken, "Token")})
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	srv := tools.NewServer(tools.Options{Tools: tools.All(), Deps: tools.Deps{Client: api,
		OrganizationID: demoOrg, TeamID: demoTeam, PollEvery: time.Second, RunWait: 2 * time.Minute}})
	st, ct := mcp.NewInMemoryTransports()
	ss, err := srv.Connect(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	defer ss.Close()
	wire := &wireLog{}
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "test", Version: "1"}, nil).
		Connect(ctx, &mcp.LoggingTransport{Transport: ct, Writer: wire}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()

	call, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		_, err := cs.CallTool(call, &mcp.CallToolParams{Name: "scenarios_run", Arguments: map[string]any{"scenarioId": 5006, "data": quarterly}})
		done <- err
	}()
	time.Sleep(after)
	synctest.Wait()
	cancel()
	if err := <-done; err == nil {
		t.Fatal("the cancelled call returned no error to the client")
	}
	synctest.Wait() // the server has answered the cancelled call
	answers := wire.answers()
	var last struct {
		Result struct {
			IsError           bool
			Content           []struct{ Text string }
			StructuredContent json.RawMessage
		}
	}
	if len(answers) == 0 || json.Unmarshal([]byte(answers[len(answers)-1]), &last) != nil {
		t.Fatalf("the server did not answer the cancelled call; the client read %q", answers)
	}
	if len(last.Result.StructuredContent) > 0 {
		json.Unmarshal(last.Result.StructuredContent, &res)
	}
	res.IsError = last.Result.IsError
	if len(last.Result.Content) > 0 {
		res.Text = last.Result.Content[0].Text
	}
	return res
}

// A call cancelled while makemcp polls a run that goes on in Make answers
// with the execution id, so the run can still be followed.
func TestRunCancelledWhilePollingGivesExecutionID(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		res := cancelRun(t, 50*time.Second)
		if res.IsError || res.Status != "running" || res.ExecutionID == "" ||
			!strings.Contains(res.Note, "executions_get-detail with scenarioId 5006 and executionId "+res.ExecutionID) {
			t.Errorf("answer to the cancelled call: %+v; want running, the executionId and how to follow it", res)
		}
	})
}

// Cancelled before Make named the execution: say where to find it.
func TestRunCancelledBeforeMakeAnswered(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		res := cancelRun(t, 10*time.Second)
		if !res.IsError || !strings.Contains(res.Text, "may go on in Make") || !strings.Contains(res.Text, "executions_list for scenario 5006") {
			t.Errorf("answer to the cancelled call: %+v; want where to find the run", res)
		}
	})
}
