package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/makemcp/makemcp/makeapi/makefake"
)

// The bench account: an organization whose plan allows 10,000 API
// requests a minute, so that makemcp's pacing of interface fetches
// (tools/scenariotools.go paces them to the organization's apiLimit) is
// not what gets measured, and one team of on-demand scenarios, all
// active, so that both servers list the same ones.
const (
	benchOrg  = 9001
	benchTeam = 9101
	apiLimit  = 10000
)

// fakeMake is the fake Make over https, served through a handler that
// adds up the time the fake spends answering, so that a tool call's
// overhead can be told from the fake's own work.
type fakeMake struct {
	*makefake.Server
	srv       *httptest.Server
	zoneHost  string // 127.0.0.1:port, as MAKE_ZONE takes it
	caFile    string
	scenarios []int64
	busy      atomic.Int64 // nanoseconds spent in the fake's handler
}

// startFake starts a fake holding the bench account with n on-demand
// scenarios. A positive latency holds back every answer that long. It
// offers HTTP/2 unless -http2=false; Node's fetch speaks HTTP/1.1 to it anyway.
func startFake(b *bench, n int, latency time.Duration) (*fakeMake, error) {
	s, err := makefake.New(makefake.Options{Seed: makefake.Demo})
	if err != nil {
		return nil, err
	}
	f := &fakeMake{Server: s}
	if err := s.AddOrganization(benchOrg, "Bench", ""); err != nil {
		return nil, err
	}
	if err := s.SetAPILimit(benchOrg, apiLimit); err != nil {
		return nil, err
	}
	if err := s.AddTeam(benchTeam, benchOrg, "Bench"); err != nil {
		return nil, err
	}
	if f.scenarios, err = s.AddOnDemandScenarios(benchTeam, n); err != nil {
		return nil, err
	}
	if latency > 0 {
		s.Inject(makefake.Fault{Delay: latency})
	}
	cfg, err := s.TLSConfig()
	if err != nil {
		return nil, err
	}
	ca, err := s.CACertPEM()
	if err != nil {
		return nil, err
	}
	f.caFile = filepath.Join(b.tmp, fmt.Sprintf("fake-ca-%d.pem", time.Now().UnixNano()))
	if err := os.WriteFile(f.caFile, ca, 0o600); err != nil {
		return nil, err
	}
	f.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		s.ServeHTTP(w, r)
		f.busy.Add(int64(time.Since(start)))
	}))
	f.srv.TLS = cfg
	f.srv.Config.ErrorLog = quietLog
	f.srv.EnableHTTP2 = b.http2
	f.srv.StartTLS()
	f.zoneHost = strings.TrimPrefix(f.srv.URL, "https://")
	return f, nil
}

func (f *fakeMake) close() {
	f.srv.CloseClientConnections()
	f.srv.Close()
	_ = os.Remove(f.caFile)
}

// busyTime is the fake's handler time so far.
func (f *fakeMake) busyTime() time.Duration { return time.Duration(f.busy.Load()) }
