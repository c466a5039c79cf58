package makeapi

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

// maxErrorLineBytes bounds Error() for any answer: Make's text is cut to
// maxErrorLine per piece, and the whole line must stay short enough for a
// log line, a terminal and a model's context, however many suberrors
// Make sends.
const maxErrorLineBytes = maxErrorBytes

// FuzzNewError decodes any error answer (status, Retry-After, body) the
// way the client does, and checks the error that results: one printable
// line in valid UTF-8, never empty, bounded, starting with the status; a
// Retry-After that is never negative. The seeds are under
// testdata/fuzz/FuzzNewError.
func FuzzNewError(f *testing.F) {
	f.Add(400, "", []byte(`{"detail": "Validation failed.", "code": "IM005", "suberrors": [{"message": "First\nproblem."}, {"message": "Second."}]}`))
	f.Add(429, "7", []byte(`{"message": "Too many requests", "code": "SC429"}`))
	f.Add(429, "Wed, 21 Oct 2015 07:28:30 GMT", []byte(`{}`))
	f.Add(502, "", []byte("<html>\r\n<body>Bad Gateway</body></html>"))
	f.Add(504, "", []byte(`{"detail": "Timeout", "executionId": "abc"}`))
	f.Add(400, "-1", []byte(`{"detail": 5, "message": ["x"], "code": 1e300, "suberrors": [1, null, {"message": 2}, {"message": ""}]}`))
	f.Add(999, "", []byte(`{"detail": " \t "}`))
	f.Fuzz(func(t *testing.T, status int, retry string, body []byte) {
		if status < 100 || status > 999 {
			return // net/http never hands out such a status
		}
		now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
		e := newError(status, http.Header{"Retry-After": {retry}}, body, now)
		msg := e.Error()
		want := "Make API: " + strconv.Itoa(status)
		if !strings.HasPrefix(msg, want) {
			t.Fatalf("error %q does not start with %q", msg, want)
		}
		if len(msg) > maxErrorLineBytes {
			t.Fatalf("error is %d bytes, want at most %d: %.200q...", len(msg), maxErrorLineBytes, msg)
		}
		if !utf8.ValidString(msg) {
			t.Fatalf("error is not valid UTF-8: %q", msg)
		}
		if i := strings.IndexFunc(msg, notPrintableLine); i >= 0 {
			r, _ := utf8.DecodeRuneInString(msg[i:])
			t.Fatalf("error has %U at byte %d, want one printable line: %q", r, i, msg)
		}
		if e.RetryAfter < 0 {
			t.Fatalf("Retry-After %q gave %v", retry, e.RetryAfter)
		}
	})
}

// notPrintableLine reports the runes that break a line or drive a
// terminal: control characters (CR, LF, ESC...) and the Unicode line and
// paragraph separators.
func notPrintableLine(r rune) bool {
	return unicode.IsControl(r) || r == '\u2028' || r == '\u2029'
}
