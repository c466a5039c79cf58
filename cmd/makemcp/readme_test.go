package main

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestReadmeTranscript runs every `$ makemcp ...` command shown in the
// README's console blocks against the demo account and checks that it
// prints what the README shows, so the transcript stays a real session.
func TestReadmeTranscript(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	type step struct {
		args  []string
		stdin string
		want  string
	}
	var steps []step
	in := false
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "```console":
			in = true
		case in && line == "```":
			in = false
		case in && strings.HasPrefix(line, "$ makemcp "):
			steps = append(steps, step{args: shellWords(t, strings.TrimPrefix(line, "$ makemcp "))})
		case in && strings.HasPrefix(line, "$ printf "):
			steps = append(steps, pipedStep(t, strings.TrimPrefix(line, "$ ")))
		case in && len(steps) > 0:
			steps[len(steps)-1].want += line + "\n"
		}
	}
	if len(steps) == 0 {
		t.Fatal("the README shows no makemcp session")
	}
	// Execution ids are new on every run.
	ids := regexp.MustCompile(`"executionId": "[0-9a-f]{32}"`)
	for _, s := range steps {
		r := runMain(t, nil, s.stdin, s.args...)
		if r.code != 0 {
			t.Errorf("makemcp %s: %+v", strings.Join(s.args, " "), r)
			continue
		}
		got := ids.ReplaceAllString(r.stdout, `"executionId": "…"`)
		want := ids.ReplaceAllString(s.want, `"executionId": "…"`)
		if got != want {
			t.Errorf("makemcp %s printed\n%s\nthe README shows\n%s", strings.Join(s.args, " "), r.stdout, s.want)
		}
	}
}

// pipedStep reads `printf '%s\n' LINE... | makemcp ARGS 2>/dev/null`: the
// lines are makemcp's stdin.
func pipedStep(t *testing.T, line string) (s struct {
	args  []string
	stdin string
	want  string
}) {
	printf, cmd, ok := strings.Cut(line, " | makemcp ")
	words := shellWords(t, printf)
	if !ok || len(words) < 2 || words[1] != `%s\n` {
		t.Fatalf("README command %q: only printf '%%s\\n' ... | makemcp ... is understood", line)
	}
	for _, w := range words[2:] {
		s.stdin += w + "\n"
	}
	s.args = shellWords(t, strings.TrimSuffix(cmd, " 2>/dev/null"))
	return s
}

// shellWords splits a command line the way a POSIX shell would for the
// simple quoting the README uses: single quotes and plain words.
func shellWords(t *testing.T, line string) []string {
	var words []string
	var cur strings.Builder
	quoted, inWord := false, false
	for _, r := range line {
		switch {
		case r == '\'':
			quoted = !quoted
			inWord = true
		case r == ' ' && !quoted:
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if quoted {
		t.Fatalf("unbalanced quote in README command %q", line)
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}
