package makeapi_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/makemcp/makemcp/makeapi"
	"github.com/makemcp/makemcp/makeapi/makefake"
)

// The hot paths of serving scenario tools, each with a canned answer
// (cannedTransport) so that no network or server is measured: building a
// request, decoding a page of scenarios and an interface (the scenario
// tools' load), and a run (every scenario tool call). The answers are the
// fake's, as Make shapes them.
//
//	go test -run '^$' -bench 'Request|Decode|Run' -benchmem ./makeapi/

// fakeAnswer returns the body the fake answers a GET with.
func fakeAnswer(b *testing.B, f *makefake.Server, path string) []byte {
	b.Helper()
	req, err := http.NewRequest(http.MethodGet, "https://eu1.make.com/api/v2"+path, nil)
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Authorization", "Token "+makefake.DemoToken)
	resp, err := f.InProcessClient().Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		b.Fatalf("GET %s: %d %s %v", path, resp.StatusCode, body, err)
	}
	return body
}

func cannedClient(b *testing.B, body []byte) *makeapi.Client {
	b.Helper()
	c, err := makeapi.New(makeapi.Options{Tokens: demoTokens(), HTTPClient: &http.Client{Transport: cannedTransport{body}}})
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// scenarioToolsQuery is the query the scenario tools list with.
var scenarioToolsQuery = makeapi.ScenarioQuery{TeamID: 3001, IsActive: new(true),
	Cols: []string{"id", "name", "description", "teamId", "isActive", "scheduling", "lastEdit"}}

// BenchmarkRequestBuilding lists scenarios with the scenario tools' query
// and an empty answer: the URL, query, headers and request, with next to
// nothing to decode.
func BenchmarkRequestBuilding(b *testing.B) {
	c := cannedClient(b, []byte(`{"scenarios":[],"pg":{"limit":500,"offset":0}}`))
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := c.ListScenarios(ctx, scenarioToolsQuery, makeapi.Page{Limit: 500}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeScenarioPage decodes a page of 100 whole scenarios.
func BenchmarkDecodeScenarioPage(b *testing.B) {
	f := newFake(b, makefake.Options{})
	if _, err := f.AddOnDemandScenarios(3001, 100); err != nil {
		b.Fatal(err)
	}
	body := fakeAnswer(b, f, "/scenarios?teamId=3001&pg%5Blimit%5D=100")
	c := cannedClient(b, body)
	ctx := context.Background()
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		s, _, err := c.ListScenarios(ctx, makeapi.ScenarioQuery{TeamID: 3001}, makeapi.Page{Limit: 100})
		if err != nil || len(s) != 100 {
			b.Fatalf("%d scenarios, %v", len(s), err)
		}
	}
}

// BenchmarkDecodeInterface decodes the interface of the demo's support
// ticket scenario: eight inputs of every field type, nested ones included.
func BenchmarkDecodeInterface(b *testing.B) {
	body := fakeAnswer(b, newFake(b, makefake.Options{}), "/scenarios/5002/interface")
	c := cannedClient(b, body)
	ctx := context.Background()
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		in, err := c.ScenarioInterface(ctx, 5002)
		if err != nil || len(in.Input) != 8 {
			b.Fatalf("interface %+v, %v", in, err)
		}
	}
}

// BenchmarkRunScenario is a responsive run: the inputs encoded into the
// request, the execution and outputs decoded from the answer.
func BenchmarkRunScenario(b *testing.B) {
	answer := []byte(`{"executionId":"5c7b3a1e9d2f4e8a8b6c0d1e2f3a4b5c","status":1,` +
		`"outputs":{"greeting":"Hello, Ada! Thanks for being with us.","language":"en"}}`)
	c := cannedClient(b, answer)
	ctx := context.Background()
	run := makeapi.RunRequest{Data: json.RawMessage(`{"name":"Ada","language":"en"}`)}
	b.ReportAllocs()
	for b.Loop() {
		res, err := c.RunScenario(ctx, 5001, run)
		if err != nil || res.Status != makeapi.ExecutionOK {
			b.Fatalf("run %+v, %v", res, err)
		}
	}
}
