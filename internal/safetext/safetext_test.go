package safetext

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestLine(t *testing.T) {
	for _, tc := range []struct {
		in   string
		max  int
		want string
	}{
		{"plain", 0, "plain"},
		{"  two\r\nlines\t ", 0, "two lines"},
		{"esc \x1b[31mred\x1b[0m", 0, "esc [31mred [0m"},
		{"back\bspace and\vtab", 0, "back space and tab"},
		{"line\u2028separator", 0, "line separator"},
		{"bad \xff byte", 0, "bad byte"},
		{"ééééé", 3, "ééé…"},
		{"abc", 3, "abc"},
		{"", 5, ""},
	} {
		if got := Line(tc.in, tc.max); got != tc.want {
			t.Errorf("Line(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
		}
	}
}

func FuzzLine(f *testing.F) {
	for _, s := range []string{"a\nb", "\x1b[2J", "é\u2028", strings.Repeat("x", 300)} {
		f.Add(s, 10)
	}
	f.Fuzz(func(t *testing.T, s string, max int) {
		max = max % 1000
		got := Line(s, max)
		if !utf8.ValidString(got) || strings.ContainsAny(got, "\r\n\t\x1b\x00") {
			t.Fatalf("Line(%q) = %q: not one clean line", s, got)
		}
		if max > 0 && utf8.RuneCountInString(got) > max+1 {
			t.Fatalf("Line(%q, %d) has %d runes", s, max, utf8.RuneCountInString(got))
		}
	})
}

func TestURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://user:secret@example.com/path": "https://…@example.com/path",
		"http://a:b@c@127.0.0.1:80":            "http://…@127.0.0.1:80",
		"https://x:pw%zz@host":                 "https://…@host",
		"user:pw@host":                         "…@host",
		"https://example.com/a@b":              "https://example.com/a@b",
		"eu1.make.com":                         "eu1.make.com",
	} {
		if got := URL(in); got != want || strings.Contains(got, "secret") {
			t.Errorf("URL(%q) = %q, want %q", in, got, want)
		}
	}
}
