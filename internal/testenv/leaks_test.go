package testenv

import (
	"os"
	"path/filepath"
	"testing"
)

// errorRecorder stands in for a test to see whether a check fails.
type errorRecorder struct{ failed []string }

func (r *errorRecorder) Errorf(format string, args ...any) {
	r.failed = append(r.failed, format)
}

// TestLeakCheckFindsLeaks keeps the leak check honest: it finds a whole
// token, a token cut to its payload, a secret in a file and in a
// temporary file beside the credential, and leaves the credential file
// itself alone.
func TestLeakCheckFindsLeaks(t *testing.T) {
	jwt := "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJqb2huZG9lIiwianRpIjoiMSJ9.c2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJl"
	cases := []struct {
		name   string
		output string
		file   string // path under the config folder
		leaks  bool
	}{
		{"clean", "Logged in as Dana Demo", "", false},
		{"whole token", "Authorization: Bearer " + jwt, "", true},
		{"payload only", "token=eyJzdWIiOiJqb2huZG9lIiwianRpIjoiMSJ9", "", true},
		{"refresh token", "refresh_token=8f7e6d5c-4b3a-4291-8807-112233445566", "", true},
		{"in a file", "", "config.json", true},
		{"the credential file", "", "credentials/default.json", false},
		{"a temporary file beside it", "", "credentials/.default.json.tmp-123", true},
	}
	for _, c := range cases {
		dir := t.TempDir()
		if c.file != "" {
			name := filepath.Join(dir, c.file)
			if err := os.MkdirAll(filepath.Dir(name), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(name, []byte(`{"accessToken": "`+jwt+`"}`), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		l := &LeakCheck{secrets: map[string]bool{}, dirs: []string{dir}}
		l.Secret(jwt)
		l.Secret("8f7e6d5c-4b3a-4291-8807-112233445566")
		l.Secret("short") // too short to look for
		l.Output("stderr", c.output)
		var rec errorRecorder
		l.Check(&rec)
		if got := len(rec.failed) > 0; got != c.leaks {
			t.Errorf("%s: leak found = %v, want %v", c.name, got, c.leaks)
		}
	}
}

func TestCheckJSONRPC(t *testing.T) {
	for line, ok := range map[string]bool{
		`{"jsonrpc":"2.0","id":1,"result":{}}`:                   true,
		`{"jsonrpc":"2.0","id":1,"error":{"code":-1}}`:           true,
		`{"jsonrpc":"2.0","method":"notifications/initialized"}`: true,
		`{"jsonrpc":"2.0","id":2,"method":"ping"}`:               true,
		`{"jsonrpc":"1.0","id":1,"result":{}}`:                   false,
		`{"jsonrpc":"2.0","id":1,"result":{},"error":{}}`:        false,
		`{"jsonrpc":"2.0","id":1}`:                               false,
		`{"jsonrpc":"2.0","id":1,"result":{}} {}`:                false,
		`time=2025 level=INFO msg=serving`:                       false,
		``:                                                       false,
	} {
		if err := CheckJSONRPC(line); (err == nil) != ok {
			t.Errorf("CheckJSONRPC(%q) = %v, want ok %v", line, err, ok)
		}
	}
}
