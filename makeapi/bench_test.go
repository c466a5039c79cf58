package makeapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/makemcp/makemcp/makeapi"
	"github.com/makemcp/makemcp/makeapi/makefake"
)

// The benchmarks measure the client's own cost per call. Each pair runs
// the same request once through the client and once through a bare
// http.Client that sets the same headers and decodes into the same type:
// the difference is what makeapi adds (token, URL, routing, retry loop,
// per-request timeout, size limit).
//
//	go test -run '^$' -bench . -benchmem ./makeapi/

// BenchmarkClientGetScenario is a whole call against the fake over HTTP on
// 127.0.0.1.
func BenchmarkClientGetScenario(b *testing.B) {
	f := newFake(b, makefake.Options{}).Start()
	defer f.Close()
	c, err := makeapi.New(makeapi.Options{Zone: f.Zone(), AllowedHosts: []string{f.Zone()}, Tokens: demoTokens(),
		HTTPClient: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.GetScenario(ctx, 5001); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRawGetScenario is the same request with net/http alone.
func BenchmarkRawGetScenario(b *testing.B) {
	f := newFake(b, makefake.Options{}).Start()
	defer f.Close()
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	url := f.URL() + "/api/v2/scenarios/5001?cols%5B%5D=%2A"
	b.ReportAllocs()
	for b.Loop() {
		if err := rawGet(hc, url); err != nil {
			b.Fatal(err)
		}
	}
}

// cannedTransport answers every request with the same scenario, without
// a network or a server, so that the client's own work is all there is.
type cannedTransport struct{ body []byte }

func (t cannedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	return &http.Response{
		StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader(t.body)), ContentLength: int64(len(t.body)), Request: req,
	}, nil
}

var cannedScenario = []byte(`{"scenario":{"id":5001,"name":"Greet a customer","teamId":3001,"hookId":null,"description":"","folderId":4001,` +
	`"isinvalid":false,"islinked":true,"isActive":true,"islocked":false,"isPaused":false,"usedPackages":["scenario-service"],` +
	`"lastEdit":"2025-02-11T10:02:31.118Z","scheduling":{"type":"on-demand"},"iswaiting":false,"dlqCount":0,` +
	`"createdByUser":{"id":1001,"name":"Dana Demo","email":"dana@example.com"},"nextExec":null,"created":"2025-02-11T09:47:05.902Z",` +
	`"operations":12,"transfer":2048}}`)

// BenchmarkClientOverhead is a call through the client with a canned
// transport.
func BenchmarkClientOverhead(b *testing.B) {
	c, err := makeapi.New(makeapi.Options{Tokens: demoTokens(), HTTPClient: &http.Client{Transport: cannedTransport{cannedScenario}}})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.GetScenario(ctx, 5001); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRawOverhead is the same with net/http alone.
func BenchmarkRawOverhead(b *testing.B) {
	hc := &http.Client{Transport: cannedTransport{cannedScenario}}
	b.ReportAllocs()
	for b.Loop() {
		if err := rawGet(hc, "https://eu1.make.com/api/v2/scenarios/5001?cols%5B%5D=%2A"); err != nil {
			b.Fatal(err)
		}
	}
}

func rawGet(hc *http.Client, url string) error {
	req, err := http.NewRequestWithContext(context.Background(), "GET", url, nil)
	if err != nil {
		return err
	}
	req.Header["Authorization"] = []string{"Token " + makefake.DemoToken}
	req.Header["User-Agent"] = []string{"makemcp/dev"}
	req.Header["Accept"] = []string{"application/json"}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var out struct {
		Scenario makeapi.Scenario `json:"scenario"`
	}
	return json.NewDecoder(resp.Body).Decode(&out)
}
