// Package safetext makes text from outside (Make's error messages, an
// OAuth server's error_description, a URL the user typed) safe to put on
// one line of a terminal, a log or a tool result: no line breaks, no
// control or escape sequences, a bounded length, and no password.
package safetext

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Line folds s onto one line: every run of white space, control or
// unprintable characters becomes one space, and the ends are trimmed. When
// max > 0 the result is cut to at most max runes, on a character boundary,
// ending in "…". Invalid UTF-8 is replaced.
func Line(s string, max int) string {
	var b strings.Builder
	b.Grow(min(len(s), 256))
	space := false
	n := 0
	for _, r := range s {
		if r == utf8.RuneError || unicode.IsSpace(r) || unicode.IsControl(r) || !unicode.IsPrint(r) {
			space = b.Len() > 0
			continue
		}
		if max > 0 && n == max {
			b.WriteString("…")
			break
		}
		if space {
			b.WriteByte(' ')
			space = false
			n++
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

// URL hides the user information of a URL-like string (anything between
// "://" and the last "@" before the host ends) so that an error quoting a
// mistyped URL never repeats a password. It works on strings url.Parse
// rejects, too.
func URL(s string) string {
	start := strings.Index(s, "://")
	if start < 0 {
		start = 0
	} else {
		start += 3
	}
	end := len(s)
	if i := strings.IndexAny(s[start:], "/?#"); i >= 0 {
		end = start + i
	}
	at := strings.LastIndex(s[start:end], "@")
	if at < 0 {
		return s
	}
	return s[:start] + "…@" + s[start+at+1:]
}
