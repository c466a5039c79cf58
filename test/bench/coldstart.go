package main

import (
	"context"
	"fmt"
	"time"
)

// benchScenarios is how many on-demand scenarios the bench team holds for
// the rows that are not about many scenarios.
const benchScenarios = 10

// coldStart measures process start to the first tools/list result, the
// MCP handshake included, starting the servers in turn (makemcp with
// scenario tools, official, makemcp without, and again), after one round
// that is not counted.
func coldStart(ctx context.Context, b *bench, c config) ([]row, error) {
	f, err := startFake(b, benchScenarios, 0)
	if err != nil {
		return nil, err
	}
	defer f.close()
	// The third is makemcp without scenario tools, its default: no Make
	// request stands between its start and its tool list.
	servers := []server{b.makemcpServer(withScenarioTools...), b.officialServer(), b.makemcpServer()}
	times := make([]listTimes, len(servers))
	for i := -1; i < c.coldStarts; i++ {
		for k, s := range servers {
			if err := startToList(ctx, s, f, &times[k]); err != nil {
				return nil, err
			}
		}
		if i < 0 { // the first round only warms the caches
			times = make([]listTimes, len(servers))
		}
	}
	mk, off := times[0].read, times[1].read
	ratio := float64(off.median()) / float64(mk.median())
	decoded := float64(times[1].done.median()) / float64(times[0].done.median())
	return []row{
		{
			measure:  "cold start: process start to tools/list result",
			makemcp:  times[0].String(),
			official: times[1].String(),
			target:   "makemcp median < 25 ms",
			ok:       verdict(mk.median() < 25*time.Millisecond),
		},
		{
			measure: "cold start without --scenario-tools (makemcp's default)",
			makemcp: times[2].String(),
		},
		{
			measure: "cold start: official ÷ makemcp (medians)",
			makemcp: fmt.Sprintf("%.1f× faster (answers on the pipe); %.1f× with the go-sdk client's decoding", ratio, decoded),
			target:  "≥ 10× faster",
			ok:      verdict(ratio >= 10),
		},
	}, nil
}

// startToList starts a server, lists its tools and stops it; it adds the
// time from just before the process started to the tools/list result.
func startToList(ctx context.Context, s server, f *fakeMake, times *listTimes) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	start := time.Now()
	sess, err := open(ctx, s, f)
	if err != nil {
		return err
	}
	defer sess.close()
	want := 0
	if s.scenarioTools {
		want = benchScenarios
	}
	return timeList(ctx, sess, s.name, start, want, times)
}
