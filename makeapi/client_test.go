package makeapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/makemcp/makemcp/makeapi"
	"github.com/makemcp/makemcp/makeapi/makefake"
	"golang.org/x/oauth2"
)

func TestAuthorizationScheme(t *testing.T) {
	f := newFake(t, makefake.Options{})
	f.AddToken("jwt-abc", makefake.OAuth, "scenarios:read")
	for _, tc := range []struct {
		tok        *tokens
		wantScheme string
		wantErr    string
	}{
		{&tokens{value: makefake.DemoToken, kind: "Token"}, "Token", ""},
		{&tokens{value: makefake.DemoToken, kind: "token"}, "Token", ""},
		{&tokens{value: "jwt-abc", kind: "Bearer"}, "Bearer", ""},
		{&tokens{value: "jwt-abc", kind: ""}, "Bearer", ""},
		{&tokens{value: "jwt-abc", kind: "MAC"}, "", `token type "MAC" is not supported`},
		{&tokens{value: "", kind: "Bearer"}, "", "no access token"},
		{&tokens{value: "a\r\nX-Evil: 1", kind: "Bearer"}, "", "white space"},
	} {
		f.ResetRequests()
		c := inProcess(t, f, func(o *makeapi.Options) { o.Tokens = tc.tok })
		_, err := c.GetScenario(t.Context(), 5001)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("token type %q: err = %v, want %q", tc.tok.kind, err, tc.wantErr)
			}
			if len(f.Requests()) != 0 {
				t.Errorf("token type %q: a request went out with a bad credential", tc.tok.kind)
			}
			continue
		}
		if err != nil {
			t.Errorf("token type %q: %v", tc.tok.kind, err)
			continue
		}
		if r := lastRequest(t, f); r.Auth != tc.wantScheme {
			t.Errorf("token type %q sent scheme %q, want %q", tc.tok.kind, r.Auth, tc.wantScheme)
		}
	}
}

func TestUserAgent(t *testing.T) {
	f := newFake(t, makefake.Options{})
	c := inProcess(t, f, func(o *makeapi.Options) { o.UserAgent = "makemcp/1.2.3" })
	if _, err := c.Me(t.Context()); err != nil {
		t.Fatal(err)
	}
	if ua := lastRequest(t, f).UserAgent; ua != "makemcp/1.2.3" {
		t.Fatalf("User-Agent %q", ua)
	}
	c = inProcess(t, f)
	if _, err := c.Me(t.Context()); err != nil {
		t.Fatal(err)
	}
	if ua := lastRequest(t, f).UserAgent; ua != makeapi.DefaultUserAgent {
		t.Fatalf("default User-Agent %q", ua)
	}
}

func TestErrorsAreOneClearLine(t *testing.T) {
	f := newFake(t, makefake.Options{})
	c := inProcess(t, f)
	ctx := t.Context()

	// Make's error shape, with suberrors: a run missing required inputs.
	_, err := c.RunScenario(ctx, 5002, makeapi.RunRequest{Data: json.RawMessage(`{"subject":"Printer on fire"}`), Responsive: true})
	const want = "Make API: 400 Invalid scenario inputs: Missing value of required parameter 'category'; Missing value of required parameter 'customer' (SC400)"
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v\nwant  %s", err, want)
	}
	var apiErr *makeapi.Error
	if !errors.As(err, &apiErr) || apiErr.Status != 400 || apiErr.Code != "SC400" || len(apiErr.Suberrors) != 2 {
		t.Fatalf("typed error = %+v", apiErr)
	}

	_, err = c.GetScenario(ctx, 424242)
	if !makeapi.IsNotFound(err) || err.Error() != "Make API: 404 Scenario not found. (SC404)" {
		t.Fatalf("missing scenario: %v", err)
	}

	// A proxy's HTML page still gives a useful line.
	f.Inject(makefake.Fault{Path: scenarioPath, Count: 1, Status: 502, ContentType: "text/html",
		Body: []byte("<html><body><h1>502 Bad Gateway</h1>\n</body></html>")})
	c1 := inProcess(t, f, func(o *makeapi.Options) { o.MaxAttempts = 1 })
	if _, err = c1.GetScenario(ctx, 5001); err == nil || err.Error() != "Make API: 502 Bad Gateway" {
		t.Fatalf("HTML 502: %v", err)
	}

	// A detail with line breaks stays on one line.
	f.Inject(makefake.Fault{Path: scenarioPath, Count: 1, Status: 400,
		Body: []byte(`{"detail":"Line one.\nLine two.","message":"Bad request","code":"SC400","suberrors":[{"message":"First\r\nproblem."},{"nope":1},{"message":"Second."}]}`)})
	_, err = c.GetScenario(ctx, 5001)
	if err == nil || err.Error() != "Make API: 400 Line one. Line two: First problem; Second (SC400)" {
		t.Fatalf("multi-line detail: %q", err)
	}
	// Without detail, message is used.
	f.Inject(makefake.Fault{Path: scenarioPath, Count: 1, Status: 409, Body: []byte(`{"message":"Conflict here","code":"IM009"}`)})
	if _, err = c.GetScenario(ctx, 5001); err == nil || err.Error() != "Make API: 409 Conflict here (IM009)" {
		t.Fatalf("message only: %q", err)
	}
}

func TestUnauthorizedAndForbidden(t *testing.T) {
	f := newFake(t, makefake.Options{})
	c := inProcess(t, f, func(o *makeapi.Options) { o.Tokens = &tokens{value: "revoked", kind: "Token"} })
	_, err := c.Me(t.Context())
	if !makeapi.IsUnauthorized(err) || err.Error() != "Make API: 401 Invalid credentials. (SC401)" {
		t.Fatalf("unknown token: %v", err)
	}

	// An API token presented as a Bearer token is refused, as by Make.
	c = inProcess(t, f, func(o *makeapi.Options) { o.Tokens = &tokens{value: makefake.DemoToken, kind: "Bearer"} })
	if _, err := c.Me(t.Context()); !makeapi.IsUnauthorized(err) {
		t.Fatalf("API token as Bearer: %v", err)
	}

	f.AddToken("read-only", makefake.OAuth, "scenarios:read")
	c = inProcess(t, f, func(o *makeapi.Options) { o.Tokens = &tokens{value: "read-only", kind: "Bearer"} })
	if _, err := c.GetScenario(t.Context(), 5001); err != nil {
		t.Fatalf("read with scenarios:read: %v", err)
	}
	_, err = c.RunScenario(t.Context(), 5001, makeapi.RunRequest{Data: json.RawMessage(`{"name":"Ada"}`)})
	if !makeapi.IsForbidden(err) || !strings.Contains(err.Error(), "scenarios:run") {
		t.Fatalf("run without scenarios:run: %v", err)
	}
	auth, err := c.CurrentAuthorization(t.Context())
	if err != nil || auth.AuthUsed != "oauth" || len(auth.Scopes) != 1 || auth.Scopes[0] != "scenarios:read" {
		t.Fatalf("current authorization = %+v, %v", auth, err)
	}
}

func TestResponseSizeIsLimited(t *testing.T) {
	f := newFake(t, makefake.Options{})
	big := `{"scenario":{"id":1,"name":"` + strings.Repeat("x", 3<<20) + `"}}`
	f.Inject(makefake.Fault{Path: scenarioPath, Count: 1, Body: []byte(big)})
	c := inProcess(t, f, func(o *makeapi.Options) { o.MaxResponseBytes = 2 << 20 })
	_, err := c.GetScenario(t.Context(), 5001)
	if err == nil || !strings.Contains(err.Error(), "larger than 2 MiB") {
		t.Fatalf("err = %v, want the size limit", err)
	}
	if n := f.Count("GET", scenarioPath); n != 1 {
		t.Fatalf("%d requests: an oversized answer must not be retried", n)
	}
}

func TestMalformedJSON(t *testing.T) {
	f := newFake(t, makefake.Options{})
	f.Inject(makefake.Fault{Path: scenarioPath, Count: 1, MalformedJSON: true})
	c := inProcess(t, f)
	_, err := c.GetScenario(t.Context(), 5001)
	if err == nil || !strings.Contains(err.Error(), "malformed JSON") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("err = %v, want one line about malformed JSON", err)
	}
}

func TestDebugLogNeverHoldsTheToken(t *testing.T) {
	f := newFake(t, makefake.Options{})
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := inProcess(t, f, func(o *makeapi.Options) { o.Logger = log })
	if _, err := c.GetScenario(t.Context(), 5001); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"method=GET", "path=/scenarios/5001", "status=200", "duration=", "attempt=1"} {
		if !strings.Contains(out, want) {
			t.Errorf("log %q lacks %q", out, want)
		}
	}
	if strings.Contains(out, makefake.DemoToken) || strings.Contains(out, "Token ") {
		t.Fatalf("log holds the credential: %q", out)
	}
}

func TestBaseURL(t *testing.T) {
	c, err := makeapi.New(makeapi.Options{Tokens: demoTokens()})
	if err != nil {
		t.Fatal(err)
	}
	if got := c.BaseURL(); got != "https://eu1.make.com/api/v2" {
		t.Fatalf("default BaseURL %q", got)
	}
}

// rotatingTokens stands for auth.Source: it hands out a token another
// process has since replaced until told the server refused it.
type rotatingTokens struct {
	current, next string
	invalidated   []string
	// why, when set, is Invalidate's answer: another token would not help.
	why error
}

func (r *rotatingTokens) Token(context.Context) (*oauth2.Token, error) {
	return &oauth2.Token{AccessToken: r.current, TokenType: "Bearer"}, nil
}

func (r *rotatingTokens) Invalidate(rejected string) error {
	r.invalidated = append(r.invalidated, rejected)
	if rejected == r.current {
		r.current = r.next
	}
	return r.why
}

func TestUnauthorizedInvalidatesAndRetriesOnce(t *testing.T) {
	f := newFake(t, makefake.Options{})
	f.AddToken("new-jwt", makefake.OAuth, makefake.AllScopes...)
	src := &rotatingTokens{current: "rotated-away", next: "new-jwt"}
	c := inProcess(t, f, func(o *makeapi.Options) { o.Tokens = src })
	if _, err := c.GetScenario(t.Context(), 5001); err != nil {
		t.Fatalf("after a 401 and a fresh token: %v", err)
	}
	if len(src.invalidated) != 1 || src.invalidated[0] != "rotated-away" {
		t.Fatalf("Invalidate calls = %q, want one for the refused token", src.invalidated)
	}
	if n := len(f.Requests()); n != 2 {
		t.Fatalf("requests = %d, want the refused one and one retry", n)
	}

	// A token the server keeps refusing is reported, not retried forever.
	f.ResetRequests()
	src = &rotatingTokens{current: "revoked", next: "revoked"}
	c = inProcess(t, f, func(o *makeapi.Options) { o.Tokens = src })
	_, err := c.GetScenario(t.Context(), 5001)
	if !makeapi.IsUnauthorized(err) {
		t.Fatalf("err = %v, want 401", err)
	}
	// Each refusal is reported, so that the source can tell a token
	// refused again from a stale one.
	if n := len(f.Requests()); n != 2 || len(src.invalidated) != 2 {
		t.Fatalf("requests = %d, Invalidate calls = %d; want 2 and 2", n, len(src.invalidated))
	}

	// A source that says another token would not help gets no retry,
	// and its reason reaches the caller.
	f.ResetRequests()
	why := errors.New("refreshed already")
	src = &rotatingTokens{current: "revoked", next: "other", why: why}
	c = inProcess(t, f, func(o *makeapi.Options) { o.Tokens = src })
	_, err = c.GetScenario(t.Context(), 5001)
	if !makeapi.IsUnauthorized(err) || !errors.Is(err, why) || !strings.Contains(err.Error(), "refreshed already") {
		t.Fatalf("err = %v, want the 401 with the source's reason", err)
	}
	if n := len(f.Requests()); n != 1 || len(src.invalidated) != 1 {
		t.Fatalf("requests = %d, Invalidate calls = %d; want 1 and 1", n, len(src.invalidated))
	}
}
