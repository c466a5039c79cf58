package auth

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"unicode"

	"github.com/makemcp/makemcp/keychain"
)

func TestParseCallback(t *testing.T) {
	const state = "s3cret-state"
	tests := []struct {
		name     string
		query    string
		wantCode string
		wantErr  error  // matched with errors.Is
		wantText string // substring of the error
	}{
		{name: "code", query: "code=abc&state=s3cret-state", wantCode: "abc"},
		{name: "missing state", query: "code=abc", wantErr: errWrongState},
		{name: "wrong state", query: "code=abc&state=other", wantErr: errWrongState},
		{name: "empty state", query: "code=abc&state=", wantErr: errWrongState},
		{name: "state prefix", query: "code=abc&state=s3cret", wantErr: errWrongState},
		{name: "two states", query: "code=abc&state=s3cret-state&state=s3cret-state", wantErr: errWrongState},
		{name: "error with wrong state is ignored", query: "error=access_denied&state=x", wantErr: errWrongState},
		{name: "access denied", query: "error=access_denied&state=s3cret-state", wantErr: ErrAccessDenied},
		{name: "other oauth error", query: "error=invalid_scope&error_description=bad+scope%0Aline2&state=s3cret-state", wantText: "the issuer refused the login (invalid_scope): bad scope line2"},
		{name: "no code", query: "state=s3cret-state", wantText: "without an authorization code"},
		{name: "empty code", query: "code=&state=s3cret-state", wantText: "without an authorization code"},
		{name: "two codes", query: "code=a&code=b&state=s3cret-state", wantText: "without an authorization code"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := url.ParseQuery(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			code, err := parseCallback(q, state)
			if code != tt.wantCode {
				t.Errorf("code = %q, want %q", code, tt.wantCode)
			}
			switch {
			case tt.wantErr != nil && !errors.Is(err, tt.wantErr):
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			case tt.wantText != "" && (err == nil || !strings.Contains(err.Error(), tt.wantText)):
				t.Errorf("err = %v, want it to contain %q", err, tt.wantText)
			case tt.wantErr == nil && tt.wantText == "" && err != nil:
				t.Errorf("err = %v, want nil", err)
			}
		})
	}
}

// FuzzParseCallback checks what must hold for any query: a code comes
// back only with the right state, and every error is one printable line.
func FuzzParseCallback(f *testing.F) {
	f.Add("code=abc&state=st", "st")
	f.Add("error=access_denied&state=st", "st")
	f.Add("error=x&error_description=%1b%5b31m%0d%0aevil&state=st", "st")
	f.Add("state=st&state=st", "st")
	f.Add("code=%ff%fe&state=st", "st")
	f.Fuzz(func(t *testing.T, rawQuery, state string) {
		if state == "" {
			return // Login's state is never empty
		}
		q, _ := url.ParseQuery(rawQuery)
		code, err := parseCallback(q, state)
		if code != "" && (len(q["state"]) != 1 || q.Get("state") != state) {
			t.Fatalf("code %q accepted with state %q, want state %q", code, q["state"], state)
		}
		if (code == "") == (err == nil) {
			t.Fatalf("code %q with err %v: want exactly one", code, err)
		}
		if err != nil {
			for _, r := range err.Error() {
				if unicode.IsControl(r) {
					t.Fatalf("error %q has control character %q", err, r)
				}
			}
		}
	})
}

func TestCallbackHandler(t *testing.T) {
	var exchanged []string
	cb := newCallback(context.Background(), "st", func(ctx context.Context, code string) (*keychain.Credential, error) {
		exchanged = append(exchanged, code)
		return &keychain.Credential{AccessToken: "at"}, nil
	}, func(string) {})
	srv := httptest.NewServer(cb)
	defer srv.Close()
	get := func(path string) (int, string) {
		t.Helper()
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}

	if status, _ := get("/favicon.ico"); status != http.StatusNotFound {
		t.Errorf("/favicon.ico: status %d, want 404", status)
	}
	status, body := get("/callback?code=evil&state=wrong")
	if status != http.StatusBadRequest || !strings.Contains(body, "does not belong to the current login") {
		t.Errorf("wrong state: %d %q", status, body)
	}
	if len(exchanged) != 0 || len(cb.done) != 0 {
		t.Fatalf("a wrong state ended the login: exchanged %v", exchanged)
	}
	status, body = get("/callback?code=good&state=st")
	if status != http.StatusOK || !strings.Contains(body, "You can close this tab") {
		t.Errorf("right state: %d %q", status, body)
	}
	if r := <-cb.done; r.err != nil || r.cred.AccessToken != "at" {
		t.Errorf("result = %+v", r)
	}
	status, body = get("/callback?code=again&state=st")
	if status != http.StatusConflict || !strings.Contains(body, "already finished") {
		t.Errorf("second request: %d %q", status, body)
	}
	if len(exchanged) != 1 || exchanged[0] != "good" {
		t.Errorf("exchanged %v, want [good]", exchanged)
	}
}

func TestCallbackPageEscapes(t *testing.T) {
	cb := newCallback(context.Background(), "st", nil, func(string) {})
	rec := httptest.NewRecorder()
	cb.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/callback?error=x&error_description=%3Cscript%3Ealert(1)%3C/script%3E&state=st", nil))
	if strings.Contains(rec.Body.String(), "<script>") {
		t.Fatalf("the page carries the issuer's markup:\n%s", rec.Body)
	}
	if !strings.Contains(rec.Body.String(), "&lt;script&gt;") {
		t.Fatalf("the page lost the description:\n%s", rec.Body)
	}
}
