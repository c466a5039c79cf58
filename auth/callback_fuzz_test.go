package auth

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"unicode"

	"github.com/makemcp/makemcp/keychain"
)

// FuzzCallbackHandler sends any request to the login callback, as anyone
// on this machine can, and checks what must hold whatever it carries: the
// answer is one of the handler's statuses, a code is exchanged only for a
// GET /callback with exactly this login's state, and what the page repeats
// from the request is escaped. The seeds are under
// testdata/fuzz/FuzzCallbackHandler.
func FuzzCallbackHandler(f *testing.F) {
	f.Add("GET", "/callback", "code=abc&state=st")
	f.Add("GET", "/callback", "error=x&error_description=%3Cscript%3Ealert(1)%3C%2Fscript%3E&state=st")
	f.Add("POST", "/callback", "code=abc&state=st")
	f.Add("GET", "/callback/", "code=abc&state=st")
	f.Add("GET", "/favicon.ico", "")
	f.Fuzz(func(t *testing.T, method, path, rawQuery string) {
		const state = "st"
		var exchanged []string
		cb := newCallback(context.Background(), state, func(_ context.Context, code string) (*keychain.Credential, error) {
			exchanged = append(exchanged, code)
			if strings.Contains(code, "fail") {
				// What the token endpoint's errors look like once
				// tokenError has made them one line.
				return nil, errors.New("exchange the authorization code: " + oneLine(code))
			}
			return &keychain.Credential{AccessToken: "at"}, nil
		}, func(string) {})
		rec := httptest.NewRecorder()
		req := &http.Request{Method: method, URL: &url.URL{Path: path, RawQuery: rawQuery}, Header: http.Header{}}
		cb.ServeHTTP(rec, req)

		switch rec.Code {
		case http.StatusOK, http.StatusBadRequest, http.StatusNotFound, http.StatusMethodNotAllowed, http.StatusConflict:
		default:
			t.Fatalf("%s %s?%s: status %d", method, path, rawQuery, rec.Code)
		}
		q, _ := url.ParseQuery(rawQuery)
		rightState := len(q["state"]) == 1 && q["state"][0] == state
		if len(exchanged) > 0 {
			if method != http.MethodGet || path != "/callback" || !rightState {
				t.Fatalf("%s %s?%s exchanged a code", method, path, rawQuery)
			}
			if len(exchanged) != 1 || len(q["code"]) != 1 || exchanged[0] != q["code"][0] || q.Has("error") {
				t.Fatalf("%s?%s exchanged %q", path, rawQuery, exchanged)
			}
		}
		select {
		case r := <-cb.done:
			if method != http.MethodGet || path != "/callback" || !rightState {
				t.Fatalf("%s %s?%s ended the login", method, path, rawQuery)
			}
			if (r.err == nil) == (r.cred == nil) {
				t.Fatalf("login ended with cred %v and err %v: want exactly one", r.cred, r.err)
			}
			if r.err != nil {
				if msg := r.err.Error(); msg == "" || hasControl(msg) {
					t.Fatalf("login error %q is not one printable line", msg)
				}
			}
		default:
			if rec.Code == http.StatusOK {
				t.Fatalf("%s?%s: 200 without ending the login", path, rawQuery)
			}
		}
		if rec.Code == http.StatusNotFound || rec.Code == http.StatusMethodNotAllowed {
			return
		}
		body := rec.Body.String()
		for _, id := range []string{"title", "detail"} {
			open := `id="` + id + `">`
			_, rest, ok := strings.Cut(body, open)
			text, _, closed := strings.Cut(rest, "</")
			if !ok || !closed {
				t.Fatalf("the page has no %s element:\n%s", id, body)
			}
			if strings.ContainsAny(text, "<>") {
				t.Fatalf("the page's %s carries markup from the request: %q", id, text)
			}
		}
	})
}

func hasControl(s string) bool {
	return strings.ContainsFunc(s, unicode.IsControl)
}
