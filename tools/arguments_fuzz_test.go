package tools_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/makemcp/makemcp/makeapi"
	"github.com/makemcp/makemcp/makeapi/makefake"
	"github.com/makemcp/makemcp/tools"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// fuzzSession is an MCP client session with every tool, scenario tools
// included, over the fake Make's demo account, reached in process.
type fuzzSession struct {
	cs    *mcp.ClientSession
	names []string // every tool the server lists, sorted
}

func newFuzzSession(f *testing.F) *fuzzSession {
	f.Helper()
	fake, err := makefake.New(makefake.Options{})
	if err != nil {
		f.Fatal(err)
	}
	api, err := makeapi.New(makeapi.Options{Zone: "eu1.make.com", HTTPClient: fake.InProcessClient(),
		Tokens: makeapi.StaticToken(demoToken, "Token"), MaxAttempts: 1})
	if err != nil {
		f.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	srv := tools.NewServer(tools.Options{
		Deps:          tools.Deps{Client: api, OrganizationID: demoOrg, TeamID: demoTeam, PollEvery: time.Millisecond, RunWait: time.Second},
		Tools:         tools.All(),
		ScenarioTools: true,
		Version:       "fuzz",
	})
	st, ct := mcp.NewInMemoryTransports()
	ss, err := srv.Connect(ctx, st)
	if err != nil {
		f.Fatal(err)
	}
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "fuzz", Version: "1"}, nil).Connect(ctx, ct, nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() {
		_ = cs.Close()
		_ = ss.Close()
		cancel()
	})
	s := &fuzzSession{cs: cs}
	for tl, err := range cs.Tools(ctx, nil) {
		if err != nil {
			f.Fatal(err)
		}
		s.names = append(s.names, tl.Name)
	}
	slices.Sort(s.names)
	if len(s.names) < len(tools.All())+1 {
		f.Fatalf("the server lists %d tools, want every tool and the scenario tools", len(s.names))
	}
	return s
}

// lists reports whether the server lists a tool now.
func (s *fuzzSession) lists(ctx context.Context, name string) bool {
	for tl, err := range s.cs.Tools(ctx, nil) {
		if err == nil && tl.Name == name {
			return true
		}
	}
	return false
}

// FuzzToolArguments calls every tool (tools.All() and the scenario tools)
// through an MCP session with any JSON value as its arguments (MCP wants
// an object; an array or a string must still be a tool error). Whatever
// the arguments, the call ends in a result, never a protocol error or a
// panic: a success, or a tool error whose message is one non-empty line. The fake Make account changes as the fuzzer goes on
// (it may delete what it later asks for), which only widens what is
// tried. The seeds are under testdata/fuzz/FuzzToolArguments.
func FuzzToolArguments(f *testing.F) {
	s := newFuzzSession(f)
	seeds := []string{
		`{}`,
		`{"scenarioId": 5001}`,
		`{"scenarioId": "5001"}`,
		`{"scenarioId": -1, "teamId": 1e308}`,
		`{"scenarioId": 5001, "data": {"a": [1, {"b": null}]}, "responsive": true}`,
		`{"teamId": 3001, "limit": -5, "offset": 99999999999}`,
		`{"dataStoreId": 8001, "keys": ["", "\u0000"], "data": {}}`,
		`{"blueprint": {"name": "x", "flow": []}, "scheduling": {"type": "on-demand"}, "teamId": 3001}`,
		`{"hookId": 6001, "name": "\ud800"}`,
		`{"executionId": "../../../etc/passwd", "scenarioId": 5001}`,
		`{"organizationId": 2001, "cols": ["id", "name"]}`,
		`{"input": 1, "unknown": true}`,
		`[1, 2]`,
		`"scenarioId"`,
		`null`,
	}
	for i, name := range s.names {
		f.Add(name, seeds[i%len(seeds)])
	}
	f.Fuzz(func(t *testing.T, name, args string) {
		if !json.Valid([]byte(args)) {
			return // the client cannot send it: not a call with bad arguments
		}
		if !slices.Contains(s.names, name) {
			// Keep the fuzzer on real tools: map any name onto one.
			name = s.names[int(crc(name))%len(s.names)]
		}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		res, err := s.cs.CallTool(ctx, &mcp.CallToolParams{Name: name, Arguments: json.RawMessage(args)})
		if ctx.Err() != nil {
			t.Fatalf("%s(%s) did not answer within 20 s", name, args)
		}
		if err != nil {
			if strings.HasPrefix(name, tools.RunScenarioPrefix) && !s.lists(ctx, name) {
				return // an earlier call deactivated or deleted the scenario: its tool is gone
			}
			t.Fatalf("%s(%s): protocol error %v, want a result", name, args, err)
		}
		if !res.IsError {
			return
		}
		msg := text(res)
		if strings.TrimSpace(msg) == "" {
			t.Fatalf("%s(%s): tool error without a message", name, args)
		}
		if strings.ContainsFunc(msg, breaksLine) {
			t.Fatalf("%s(%s): tool error %q is not one line", name, args, msg)
		}
	})
}

// breaksLine reports the runes that end a line: CR, LF, VT, FF, NEL and
// the Unicode line and paragraph separators.
func breaksLine(r rune) bool {
	switch r {
	case '\r', '\n', '\v', '\f', '\u0085', '\u2028', '\u2029':
		return true
	}
	return false
}

// crc is a small stable hash of a string.
func crc(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint32(s[i])) * 16777619
	}
	return h
}
