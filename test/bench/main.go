// Command bench measures makemcp side by side with Make's own local MCP
// server (@makehq/mcp-server), both started as MCP hosts start them and
// driven by the same Go MCP client over stdio, against the same fake Make
// (package makefake) served over https. It prints one Markdown table:
// cold start, a tool call's overhead, peak memory, scenario tools over a
// slow account, the size of the tool lists, and the token refresh path.
//
// Run it from the repository with scripts/bench; docs/performance.md says
// what each row measures and holds the latest table.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"
)

// config holds the sample sizes; the defaults keep a run under a minute
// on two cores.
type config struct {
	coldStarts   int
	calls        int
	warmup       int
	scenarios    int
	latency      time.Duration
	rounds       int
	laterLists   int
	refreshCalls int
	http2        bool
	only         string
}

func main() {
	var c config
	flag.IntVar(&c.coldStarts, "cold", 30, "cold starts per server, interleaved")
	flag.IntVar(&c.calls, "calls", 1000, "tool calls per server in one session, interleaved")
	flag.IntVar(&c.warmup, "warmup", 50, "leading calls left out of the latency figures (still counted in the 1,000 for memory)")
	flag.IntVar(&c.scenarios, "scenarios", 100, "on-demand scenarios behind the slow fake (makemcp lists at most 100)")
	flag.DurationVar(&c.latency, "latency", 50*time.Millisecond, "the slow fake's delay before every answer")
	flag.IntVar(&c.rounds, "rounds", 8, "server starts per server against the slow fake")
	flag.IntVar(&c.laterLists, "later-lists", 10, "tools/list calls after the first, per start")
	flag.IntVar(&c.refreshCalls, "refresh-calls", 100, "concurrent tool calls on an expired token")
	flag.BoolVar(&c.http2, "http2", true, "let the fake Make offer HTTP/2, as Make's API does (only makemcp's client uses it; Node's fetch stays on HTTP/1.1)")
	flag.StringVar(&c.only, "only", "", "run only these steps, comma-separated: cold, calls, scenarios, restart, context, refresh")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: scripts/bench [flags]\n\nMeasures makemcp against @makehq/mcp-server and prints a Markdown table.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, c)
	if ctx.Err() != nil {
		err = errors.New("interrupted")
	}
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "Error:", err)
		os.Exit(1)
	}
}

// step is one part of the benchmark; -only names them by key.
type step struct {
	key, name string
	do        func(context.Context, *bench, config) ([]row, error)
}

var steps = []step{
	{"cold", "cold start", coldStart},
	{"calls", "tool calls", toolCalls},
	{"scenarios", "scenario tools", scenarioTools},
	{"restart", "scenario tools across restarts", restart},
	{"context", "context cost", contextCost},
	{"refresh", "token refresh", tokenRefresh},
}

// chosenSteps are the steps -only names, all of them when it is empty.
func chosenSteps(only string) ([]step, error) {
	if only == "" {
		return steps, nil
	}
	var chosen []step
	for k := range strings.SplitSeq(only, ",") {
		i := slices.IndexFunc(steps, func(s step) bool { return s.key == strings.TrimSpace(k) })
		if i < 0 {
			return nil, fmt.Errorf("-only %s: no such step; use cold, calls, scenarios, restart, context or refresh", k)
		}
		chosen = append(chosen, steps[i])
	}
	return chosen, nil
}

func run(ctx context.Context, c config) error {
	chosen, err := chosenSteps(c.only)
	if err != nil {
		return err
	}
	// A run that hangs is a bug: nothing here should come near this.
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	env, err := setup(ctx, c)
	if err != nil {
		return err
	}
	defer env.cleanup()

	var rows []row
	for _, s := range chosen {
		progress("%s...", s.name)
		start := time.Now()
		r, err := s.do(ctx, env, c)
		if err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		progress("%s done in %s", s.name, time.Since(start).Round(100*time.Millisecond))
		rows = append(rows, r...)
	}
	env.machine.EndLoad = loadAverage()
	printReport(os.Stdout, env.machine, rows)
	return nil
}

// progress reports on stderr, so that stdout holds the table alone.
func progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
}
