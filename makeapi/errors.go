package makeapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/makemcp/makemcp/internal/safetext"
)

// Error is an error response from Make's API. Make answers every error in
// one shape, {"detail", "message", "code", "suberrors": [{"message"}]};
// bodies that are not in that shape (an HTML page from a proxy) still give
// an Error, with Message set to the HTTP status text.
type Error struct {
	// Status is the HTTP status code.
	Status int
	// Code is Make's error code, such as "SC403"; empty when Make gave none.
	Code string
	// Message is Make's "detail", else its "message", else the HTTP status
	// text.
	Message string
	// Suberrors are the messages of Make's "suberrors", in order.
	Suberrors []string
	// RetryAfter is how long Make asked the caller to wait (Retry-After),
	// zero when it did not say.
	RetryAfter time.Duration

	// executionID is set when Make named an execution in the error body,
	// as it may when a responsive run outlives its limit.
	executionID string
}

// Bounds on how much of Make's text one error line repeats: the message,
// each suberror, how many suberrors, and the whole line in bytes.
const (
	maxErrorText    = 300
	maxSuberrorText = 200
	maxSuberrors    = 5
	maxErrorBytes   = 2048
)

// Error returns one line: the status, Make's message, its suberrors and
// Make's error code, and for a 429 how long to wait, for example
//
//	Make API: 400 Validation failed: Missing value of required parameter 'email'; Invalid scope (SC400)
//	Make API: 502 Bad Gateway
//	Make API: 429 Too Many Requests: wait 2m0s and try again
//
// Make's text is folded onto one line without control characters, and the
// line is bounded: at most five suberrors ("and N more") and 2 KiB.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("Make API: ")
	b.WriteString(strconv.Itoa(e.Status))
	msg := oneLine(e.Message, maxErrorText)
	if msg == "" {
		msg = http.StatusText(e.Status)
	}
	if len(e.Suberrors) > 0 {
		msg = strings.TrimSuffix(msg, ".")
	}
	if msg != "" {
		b.WriteByte(' ')
		b.WriteString(msg)
	}
	for i, s := range e.Suberrors {
		if i == maxSuberrors {
			fmt.Fprintf(&b, "; and %d more", len(e.Suberrors)-i)
			break
		}
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(strings.TrimSuffix(oneLine(s, maxSuberrorText), "."))
	}
	if e.Code != "" {
		b.WriteString(" (")
		b.WriteString(oneLine(e.Code, 40))
		b.WriteByte(')')
	}
	if e.Status == http.StatusTooManyRequests {
		// Whoever reads this (a model, a person) should wait, not retry
		// at once: the client has already retried what it could.
		if e.RetryAfter > 0 {
			fmt.Fprintf(&b, ": wait %s and try again", e.RetryAfter.Round(time.Second))
		} else {
			b.WriteString(": wait a minute and try again")
		}
	}
	return cutBytes(b.String(), maxErrorBytes)
}

// oneLine folds Make's text onto one bounded line, so that it never
// breaks a log line or an error message, nor carries escape sequences.
func oneLine(s string, max int) string { return safetext.Line(s, max) }

// cutBytes cuts s, which is valid UTF-8, to at most n bytes on a
// character boundary.
func cutBytes(s string, n int) string {
	const ellipsis = "…"
	if len(s) <= n {
		return s
	}
	s = s[:n-len(ellipsis)]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s + ellipsis
}

// wireError is Make's error body.
type wireError struct {
	Detail    any    `json:"detail"`
	Message   any    `json:"message"`
	Code      any    `json:"code"`
	Suberrors []any  `json:"suberrors"`
	Execution string `json:"executionId"`
}

// newError builds an Error from a response status, headers and (a prefix
// of) its body.
func newError(status int, h http.Header, body []byte, now time.Time) *Error {
	e := &Error{Status: status, RetryAfter: retryAfter(h.Get("Retry-After"), now)}
	var w wireError
	if json.Unmarshal(body, &w) == nil {
		detail, _ := w.Detail.(string)
		message, _ := w.Message.(string)
		e.Message = detail
		if e.Message == "" {
			e.Message = message
		}
		switch c := w.Code.(type) {
		case string:
			e.Code = c
		case float64:
			e.Code = strconv.FormatFloat(c, 'f', -1, 64)
		}
		for _, s := range w.Suberrors {
			if m, ok := s.(map[string]any); ok {
				if msg, ok := m["message"].(string); ok && msg != "" {
					e.Suberrors = append(e.Suberrors, msg)
				}
			}
		}
		e.executionID = w.Execution
	}
	if e.Message == "" {
		e.Message = http.StatusText(status)
	}
	return e
}

// errorStatus reports the HTTP status of an *Error in err's chain.
func errorStatus(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.Status
	}
	return 0
}

// IsNotFound reports whether Make answered 404: the resource does not
// exist, or not in this zone.
func IsNotFound(err error) bool { return errorStatus(err) == http.StatusNotFound }

// IsUnauthorized reports whether Make answered 401: the credential is
// missing, expired or revoked.
func IsUnauthorized(err error) bool { return errorStatus(err) == http.StatusUnauthorized }

// IsForbidden reports whether Make answered 403: the credential lacks a
// scope, or the user lacks a permission.
func IsForbidden(err error) bool { return errorStatus(err) == http.StatusForbidden }

// IsRateLimited reports whether Make answered 429 (its per-organization
// request limit) and retries did not get past it.
func IsRateLimited(err error) bool { return errorStatus(err) == http.StatusTooManyRequests }
