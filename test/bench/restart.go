package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// The restart step measures what a user of scenario tools waits for when
// their MCP host starts the server: process start to a tools/list that
// holds every scenario tool, against an account of restartScenarios
// on-demand scenarios behind a fake that answers after restartLatency,
// over TLS. makemcp runs three ways: restarted with its cache of the
// scenario tools warm, started with no cache, and restarted on an
// organization whose plan allows 60 requests a minute (Make's smallest),
// where it may not fire one request per scenario.
const (
	restartScenarios = 50
	restartLatency   = 20 * time.Millisecond
	// slowOrg and slowTeam are the organization at 60 requests a minute.
	slowOrg, slowTeam = 9002, 9102
)

func restart(ctx context.Context, b *bench, c config) ([]row, error) {
	f, err := startFake(b, restartScenarios, restartLatency)
	if err != nil {
		return nil, err
	}
	defer f.close()
	if err := f.AddOrganization(slowOrg, "Core plan", ""); err != nil {
		return nil, err
	}
	if err := f.SetAPILimit(slowOrg, 60); err != nil {
		return nil, err
	}
	if err := f.AddTeam(slowTeam, slowOrg, "Core plan team"); err != nil {
		return nil, err
	}
	if _, err := f.AddOnDemandScenarios(slowTeam, restartScenarios); err != nil {
		return nil, err
	}
	slowFlags := []string{"--scenario-tools", "--team", strconv.Itoa(slowTeam), "--org", strconv.Itoa(slowOrg)}

	warm := filepath.Join(b.tmp, "cache-warm")
	slowWarm := filepath.Join(b.tmp, "cache-slow")
	progress("filling the caches (the 60-a-minute organization's takes about 40 s)...")
	if err := fillCache(ctx, b.makemcpServerCached(warm, withScenarioTools...), f, warm); err != nil {
		return nil, err
	}
	if err := fillCache(ctx, b.makemcpServerCached(slowWarm, slowFlags...), f, slowWarm); err != nil {
		return nil, err
	}

	var warmTimes, coldTimes, offTimes, slowTimes listTimes
	for i := range c.rounds {
		if err := startToAll(ctx, b.makemcpServerCached(warm, withScenarioTools...), f, &warmTimes); err != nil {
			return nil, err
		}
		empty := filepath.Join(b.tmp, fmt.Sprintf("cache-empty-%d", i))
		if err := startToAll(ctx, b.makemcpServerCached(empty, withScenarioTools...), f, &coldTimes); err != nil {
			return nil, err
		}
		if err := startToAll(ctx, b.officialServer(), f, &offTimes); err != nil {
			return nil, err
		}
		before := f.Count("GET", "/api/v2/scenarios/*/interface")
		if err := startToAll(ctx, b.makemcpServerCached(slowWarm, slowFlags...), f, &slowTimes); err != nil {
			return nil, err
		}
		if n := f.Count("GET", "/api/v2/scenarios/*/interface") - before; n > 0 {
			return nil, fmt.Errorf("a restart on the 60-a-minute organization fetched %d interfaces of unchanged scenarios", n)
		}
	}
	off := offTimes.read.median()
	warmRatio := float64(off) / float64(warmTimes.read.median())
	coldRatio := float64(off) / float64(coldTimes.read.median())
	what := fmt.Sprintf("%d on-demand scenarios, fake answers after %s, TLS", restartScenarios, restartLatency)
	return []row{
		{
			measure:  "scenario tools: restart with a warm cache to a tools/list holding all (" + what + ")",
			makemcp:  warmTimes.String(),
			official: "cold start every time: " + offTimes.String(),
		},
		{
			measure: "scenario tools: official cold start ÷ makemcp warm restart (medians)",
			makemcp: fmt.Sprintf("%.1f× faster", warmRatio),
			target:  "≥ 10×",
			ok:      verdict(warmRatio >= 10),
		},
		{
			measure:  "scenario tools: first start without a cache to a tools/list holding all",
			makemcp:  coldTimes.String(),
			official: offTimes.String(),
		},
		{
			measure: "scenario tools: official cold start ÷ makemcp first start (medians)",
			makemcp: fmt.Sprintf("%.1f× faster", coldRatio),
			target:  "≥ 5×",
			ok:      verdict(coldRatio >= 5),
		},
		{
			measure:  fmt.Sprintf("scenario tools: restart on an organization allowed 60 requests a minute (%d scenarios)", restartScenarios),
			makemcp:  "all listed in the first tools/list, no interface fetched: " + slowTimes.String(),
			official: fmt.Sprintf("one interface request per scenario at every tools/list: %d of the 60 a minute", restartScenarios),
			target:   "all at once",
			ok:       verdict(len(slowTimes.read) == c.rounds),
		},
	}, nil
}

// startToAll starts a server and times, from just before the process
// started, the first tools/list that holds every scenario tool.
func startToAll(ctx context.Context, s server, f *fakeMake, times *listTimes) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	start := time.Now()
	sess, err := open(ctx, s, f)
	if err != nil {
		return err
	}
	defer sess.close()
	return timeList(ctx, sess, s.name, start, restartScenarios, times)
}

// fillCache runs makemcp until its cache in dir holds every scenario tool.
func fillCache(ctx context.Context, s server, f *fakeMake, dir string) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	sess, err := open(ctx, s, f)
	if err != nil {
		return err
	}
	defer sess.close()
	if _, err := sess.ListTools(ctx, nil); err != nil {
		return sess.failed("tools/list", err)
	}
	for {
		if n := cachedScenarios(dir); n == restartScenarios {
			return nil
		}
		select {
		case <-ctx.Done():
			return sess.failed("filling the cache", fmt.Errorf("it holds %d of %d scenario tools", cachedScenarios(dir), restartScenarios))
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// cachedScenarios counts the scenarios in makemcp's cache files in dir.
func cachedScenarios(dir string) int {
	files, _ := filepath.Glob(filepath.Join(dir, "makemcp", "scenario-tools", "*.json"))
	n := 0
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			continue
		}
		var c struct{ Scenarios []json.RawMessage }
		if json.Unmarshal(b, &c) == nil {
			n += len(c.Scenarios)
		}
	}
	return n
}
