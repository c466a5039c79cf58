package makeapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"sync/atomic"
	"testing"

	"golang.org/x/oauth2"

	"github.com/makemcp/makemcp/makeapi"
	"github.com/makemcp/makemcp/makeapi/makefake"
)

// tokens is a TokenSource that counts how often it is asked.
type tokens struct {
	value, kind string
	err         error
	calls       atomic.Int32
}

func (s *tokens) Token(context.Context) (*oauth2.Token, error) {
	s.calls.Add(1)
	if s.err != nil {
		return nil, s.err
	}
	return &oauth2.Token{AccessToken: s.value, TokenType: s.kind}, nil
}

// demoTokens is the Demo seed's API token.
func demoTokens() *tokens { return &tokens{value: makefake.DemoToken, kind: "Token"} }

// newFake returns a fake with the given options, failing the test on error.
func newFake(t testing.TB, o makefake.Options) *makefake.Server {
	t.Helper()
	f, err := makefake.New(o)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// inProcess returns a client that reaches f without a network, as the
// primary zone eu1.make.com, with the demo token. Its options may be
// adjusted by edit.
func inProcess(t testing.TB, f *makefake.Server, edit ...func(*makeapi.Options)) *makeapi.Client {
	t.Helper()
	o := makeapi.Options{Zone: "eu1.make.com", Tokens: demoTokens(), HTTPClient: f.InProcessClient()}
	for _, e := range edit {
		e(&o)
	}
	c, err := makeapi.New(o)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// lastRequest returns the fake's last request.
func lastRequest(t testing.TB, f *makefake.Server) makefake.Request {
	t.Helper()
	r, ok := f.LastRequest()
	if !ok {
		t.Fatal("the fake received no request")
	}
	return r
}

// jsonEqual reports whether two JSON texts hold the same value.
func jsonEqual(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return bytes.Equal(a, b)
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return bytes.Equal(xa, ya)
}

func ptr[T any](v T) *T { return &v }

// send makes one call through Client.Do: method, a path with any query,
// a JSON body ("" for none), and the key of the answer's object.
func send(c *makeapi.Client, method, path, body, answer string) (json.RawMessage, error) {
	r := makeapi.Request{Method: method, Path: path, Answer: answer}
	if body != "" {
		r.Body = json.RawMessage(body)
	}
	return c.Do(context.Background(), r)
}

// call makes one call that must succeed and decodes its answer into T.
func call[T any](t testing.TB, c *makeapi.Client, method, path, body, answer string) T {
	t.Helper()
	v, err := send(c, method, path, body, answer)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	var out T
	if err := json.Unmarshal(v, &out); err != nil {
		t.Fatalf("%s %s: %v: %s", method, path, err, v)
	}
	return out
}
