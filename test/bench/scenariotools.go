package main

import (
	"context"
	"fmt"
	"runtime"
	"time"
)

// scenarioTools measures the tool list over an account with many
// on-demand scenarios and a slow API: the first tools/list, from process
// start (it needs every scenario's interface), and the ones after it.
// Each round starts each server once, in turn.
func scenarioTools(ctx context.Context, b *bench, c config) ([]row, error) {
	f, err := startFake(b, c.scenarios, c.latency)
	if err != nil {
		return nil, err
	}
	defer f.close()
	servers := []server{b.makemcpServer(withScenarioTools...), b.officialServer()}
	first := make([]listTimes, len(servers))
	later := make([]listTimes, len(servers))
	for range c.rounds {
		for k, s := range servers {
			if err := listRound(ctx, s, f, c, &first[k], &later[k]); err != nil {
				return nil, err
			}
		}
	}
	what := fmt.Sprintf("%d on-demand scenarios, fake answers after %s", c.scenarios, c.latency)
	return []row{
		{
			measure:  "scenario tools: first tools/list from process start (" + what + ")",
			makemcp:  first[0].String(),
			official: first[1].String(),
			target:   "makemcp median < 400 ms",
			ok:       verdict(first[0].read.median() < 400*time.Millisecond),
		},
		{
			measure:  "scenario tools: later tools/list (same session)",
			makemcp:  later[0].String(),
			official: later[1].String(),
			target:   "makemcp p95 < 5 ms",
			ok:       verdict(later[0].read.p95() < 5*time.Millisecond),
		},
	}, nil
}

// listTimes are tools/list times: until the answer was all on the pipe
// (read), which is what a server can answer for and what the targets are
// judged on, and until the go-sdk client had decoded it (done), which
// adds the client's own work: it grows with the size of the list, and
// differs from one MCP host to the next.
type listTimes struct{ done, read samples }

func (l *listTimes) add(start, read, done time.Time) {
	l.done = append(l.done, done.Sub(start))
	l.read = append(l.read, read.Sub(start))
}

func (l listTimes) String() string {
	return fmt.Sprintf("answer on the pipe: %s; decoded by the go-sdk client: median %s, p95 %s", l.read.summary(), ms(l.done.median()), ms(l.done.p95()))
}

// timeList lists a session's tools, checks that want of them are scenario
// tools, and adds the times from start to times.
func timeList(ctx context.Context, sess *session, name string, start time.Time, want int, times *listTimes) error {
	res, err := sess.ListTools(ctx, nil)
	done := time.Now()
	if err != nil {
		return sess.failed(name+": tools/list", err)
	}
	if n := countScenarioTools(res.Tools); n != want {
		return sess.failed(name+": tools/list", fmt.Errorf("%d scenario tools, want %d", n, want))
	}
	times.add(start, sess.lastRead(), done)
	return nil
}

// listRound starts a server, times its first tools/list from the process
// start, then times c.laterLists more.
func listRound(ctx context.Context, s server, f *fakeMake, c config, first, later *listTimes) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	start := time.Now()
	sess, err := open(ctx, s, f)
	if err != nil {
		return err
	}
	defer sess.close()
	if err := timeList(ctx, sess, s.name, start, c.scenarios, first); err != nil {
		return err
	}
	for range c.laterLists {
		// Hosts list the tools seconds apart, not back to back: collect
		// the garbage the client made decoding the last list (7 MB with the
		// go-sdk client and 200 scenario tools) now, rather than while the
		// server writes the next answer on the same two cores.
		runtime.GC()
		if err := timeList(ctx, sess, s.name, time.Now(), c.scenarios, later); err != nil {
			return err
		}
	}
	return nil
}
