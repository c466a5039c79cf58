package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/makemcp/makemcp/internal/testenv"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// toolCalls runs the same scenario tool on both servers, one call at a
// time, alternating between them, in one session each. A call's
// overhead is its round trip minus the time the fake spent answering
// the Make request it caused. Peak memory is read after the last call.
func toolCalls(ctx context.Context, b *bench, c config) ([]row, error) {
	if c.warmup >= c.calls {
		return nil, fmt.Errorf("-warmup %d leaves no calls of -calls %d to measure", c.warmup, c.calls)
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	f, err := startFake(b, benchScenarios, 0)
	if err != nil {
		return nil, err
	}
	defer f.close()
	servers := []server{b.makemcpServer(withScenarioTools...), b.officialServer()}
	sessions := make([]*session, len(servers))
	startRSS := make([]int, len(servers))
	for k, s := range servers {
		sess, err := open(ctx, s, f)
		if err != nil {
			return nil, err
		}
		defer sess.close()
		if _, err := sess.ListTools(ctx, nil); err != nil {
			return nil, sess.failed(s.name+": tools/list", err)
		}
		if startRSS[k], err = peakRSS(sess.pid()); err != nil {
			return nil, err
		}
		sessions[k] = sess
	}

	params := &mcp.CallToolParams{Name: "run_scenario_" + strconv.FormatInt(f.scenarios[0], 10), Arguments: map[string]any{"name": "Ada"}}
	rtt := make([]samples, len(servers))
	overhead := make([]samples, len(servers))
	var fakeTime samples
	for i := range c.calls {
		for k, sess := range sessions {
			busy := f.busyTime()
			start := time.Now()
			res, err := sess.CallTool(ctx, params)
			d := time.Since(start)
			inFake := f.busyTime() - busy
			if err == nil {
				err = checkGreeting(res)
			}
			if err != nil {
				return nil, sess.failed(fmt.Sprintf("%s: call %d", servers[k].name, i+1), err)
			}
			if i >= c.warmup {
				rtt[k] = append(rtt[k], d)
				overhead[k] = append(overhead[k], d-inFake)
				fakeTime = append(fakeTime, inFake)
			}
		}
	}
	peak := make([]int, len(servers))
	for k, sess := range sessions {
		if peak[k], err = peakRSS(sess.pid()); err != nil {
			return nil, err
		}
	}
	progress("fake's own time per call: %s", fakeTime.summary())
	mk, off := overhead[0], overhead[1]
	return []row{
		{
			measure:  fmt.Sprintf("tool call overhead over stdio (round trip − fake's time), after %d warm-up calls", c.warmup),
			makemcp:  mk.summary(),
			official: off.summary(),
			target:   "makemcp p50 < 1 ms",
			ok:       verdict(mk.median() < time.Millisecond),
		},
		{
			measure:  "tool call round trip, fake's time included",
			makemcp:  rtt[0].summary(),
			official: rtt[1].summary(),
		},
		{
			measure:  "peak RSS after start and first tools/list",
			makemcp:  mb(startRSS[0]),
			official: mb(startRSS[1]),
		},
		{
			measure:  fmt.Sprintf("peak RSS after %d tool calls", c.calls),
			makemcp:  mb(peak[0]),
			official: mb(peak[1]),
			target:   "makemcp < 30 MB",
			ok:       verdict(float64(peak[0])*1024 < 30e6),
		},
	}, nil
}

// checkGreeting checks that a call of the greeting scenario returned its
// outputs.
func checkGreeting(res *mcp.CallToolResult) error {
	if res.IsError || len(res.Content) == 0 {
		return fmt.Errorf("tool error: %s", testenv.ToolText(res))
	}
	if t := testenv.ToolText(res); !strings.Contains(t, "Hello, Ada!") {
		return fmt.Errorf("the result holds no greeting: %.300s", t)
	}
	return nil
}

// peakRSS is a process's peak resident set size (VmHWM) in KiB.
func peakRSS(pid int) (int, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, fmt.Errorf("peak memory needs Linux's /proc: %w", err)
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			return strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
		}
	}
	return 0, errors.New("no VmHWM in /proc/<pid>/status")
}

// countScenarioTools counts the run_scenario_<id> tools of a list.
func countScenarioTools(tools []*mcp.Tool) int {
	n := 0
	for _, t := range tools {
		if strings.HasPrefix(t.Name, "run_scenario_") {
			n++
		}
	}
	return n
}
