package stdio

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// pipeServer is an MCP SDK server on a Transport, fed and read through
// pipes as a host would.
type pipeServer struct {
	t     *testing.T
	in    *io.PipeWriter
	lines chan string
	log   *lockedBuffer
	ss    *mcp.ServerSession
}

func startServer(t *testing.T, maxLine int) *pipeServer {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	log := &lockedBuffer{}
	srv := mcp.NewServer(&mcp.Implementation{Name: "test", Version: "1"}, nil)
	ss, err := srv.Connect(t.Context(), &Transport{In: inR, Out: outW, MaxLine: maxLine,
		Logger: slog.New(slog.NewTextHandler(log, nil))}, nil)
	if err != nil {
		t.Fatal(err)
	}
	s := &pipeServer{t: t, in: inW, lines: make(chan string, 100), log: log, ss: ss}
	go func() {
		sc := bufio.NewScanner(outR)
		for sc.Scan() {
			s.lines <- sc.Text()
		}
		close(s.lines)
	}()
	t.Cleanup(func() {
		inW.Close()
		ss.Close()
		outW.Close()
	})
	return s
}

func (s *pipeServer) send(line string) {
	s.t.Helper()
	if _, err := io.WriteString(s.in, line); err != nil {
		s.t.Fatalf("write: %v", err)
	}
}

// next returns the next line the server wrote.
func (s *pipeServer) next() map[string]any {
	s.t.Helper()
	select {
	case line, ok := <-s.lines:
		if !ok {
			s.t.Fatal("the server closed its output")
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			s.t.Fatalf("output line is not JSON: %v: %s", err, line)
		}
		return m
	case <-time.After(10 * time.Second):
		s.t.Fatal("no answer within 10 s")
	}
	return nil
}

// ping sends a ping and checks that the next line answers it.
func (s *pipeServer) ping(id int) {
	s.t.Helper()
	s.send(fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"ping"}`+"\n", id))
	got := s.next()
	if got["id"] != float64(id) || got["result"] == nil {
		s.t.Fatalf("ping %d answered with %v", id, got)
	}
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// badLines are lines that are not a message the server takes, with the
// error each deserves: its code, and its id (nil for null).
var badLines = []struct {
	name, line string
	code       float64
	id         any
	says       string
}{
	{"a word", "hello", -32700, nil, "invalid character 'h'"},
	{"broken JSON", "{not json", -32700, nil, "invalid character 'n'"},
	{"empty object", "{}", -32600, nil, `a request needs "jsonrpc": "2.0", "id" and "method"`},
	{"a number", "123", -32600, nil, "not a number"},
	{"null", "null", -32600, nil, "not null"},
	{"a string", `"ping"`, -32600, nil, "not a string"},
	{"empty batch", "[]", -32600, nil, "empty batch"},
	{"empty batch with space", "[ ]", -32600, nil, "empty batch"},
	{"a batch", `[{"jsonrpc":"2.0","id":90,"method":"ping"},{"jsonrpc":"2.0","id":91,"method":"ping"}]`, -32600, nil, "batch"},
	{"JSON-RPC 1.0", `{"jsonrpc":"1.0","id":92,"method":"ping"}`, -32600, float64(92), `"jsonrpc" must be "2.0"`},
	{"no version", `{"id":93,"method":"ping"}`, -32600, float64(93), `"jsonrpc" is missing`},
	{"an object id", `{"jsonrpc":"2.0","id":{"n":94},"method":"ping"}`, -32600, nil, `"id" must be a string or an integer, not an object`},
	{"a null id", `{"jsonrpc":"2.0","id":null,"method":"ping"}`, -32600, nil, `not null`},
	{"a fractional id", `{"jsonrpc":"2.0","id":1.5,"method":"ping"}`, -32600, nil, `not a number`},
	{"a string id without method", `{"jsonrpc":"2.0","id":"abc"}`, -32600, "abc", `no "method"`},
	{"cut off", `{"jsonrpc":"2.0","id":95,"method":"pi`, -32700, nil, "cut off"},
	{"two messages on one line", `{"jsonrpc":"2.0","id":96,"method":"ping"}{"jsonrpc":"2.0","id":97,"method":"ping"}`, -32700, nil, "more than one JSON value"},
	{"a request with no method", `{"jsonrpc":"2.0","id":98,"params":{}}`, -32600, float64(98), `no "method"`},
	{"a method that is not a string", `{"jsonrpc":"2.0","id":99,"method":7}`, -32600, float64(99), `"method" must be a string`},
	{"method and result", `{"jsonrpc":"2.0","id":100,"method":"ping","result":{}}`, -32600, float64(100), "not both"},
}

func TestBadLinesAreAnsweredAndServingGoesOn(t *testing.T) {
	s := startServer(t, 0)
	s.ping(1)
	for i, tc := range badLines {
		t.Run(tc.name, func(t *testing.T) {
			s.t = t
			s.send(tc.line + "\n")
			got := s.next()
			e, _ := got["error"].(map[string]any)
			if got["jsonrpc"] != "2.0" || e == nil || e["code"] != tc.code || got["id"] != tc.id {
				t.Errorf("answer %v, want error %v with id %v", got, tc.code, tc.id)
			}
			if _, ok := got["id"]; !ok {
				t.Errorf("answer %v has no id; want null when none can be read", got)
			}
			if msg, _ := e["message"].(string); !strings.Contains(msg, tc.says) || strings.Contains(msg, "\n") {
				t.Errorf("message %q does not say %q on one line", msg, tc.says)
			}
			s.ping(1000 + i)
		})
	}
	s.t = t
	// One log line per bad line, none quoting the line.
	logged := strings.Count(s.log.String(), "answered a bad line")
	if logged != len(badLines) {
		t.Errorf("%d log lines for %d bad lines:\n%s", logged, len(badLines), s.log)
	}
	if strings.Contains(s.log.String(), "hello") {
		t.Errorf("the log quotes a line:\n%s", s.log)
	}
}

func TestLongLines(t *testing.T) {
	const max = 1000
	s := startServer(t, max)
	pad := func(n int) string {
		// A ping of exactly n bytes.
		head, tail := `{"jsonrpc":"2.0","id":7,"method":"ping","params":{"_meta":{"pad":"`, `"}}}`
		return head + strings.Repeat("x", n-len(head)-len(tail)) + tail
	}
	s.send(pad(max) + "\n")
	if got := s.next(); got["id"] != float64(7) || got["result"] == nil {
		t.Fatalf("a line of exactly the limit: %v", got)
	}
	s.send(pad(max+1) + "\n")
	got := s.next()
	if e, _ := got["error"].(map[string]any); e == nil || e["code"] != float64(-32600) || got["id"] != nil {
		t.Fatalf("a line over the limit: %v, want -32600 with id null", got)
	}
	s.ping(8)
	// Windows line ends and blank lines.
	s.send(`{"jsonrpc":"2.0","id":9,"method":"ping"}` + "\r\n\n   \n")
	if got := s.next(); got["id"] != float64(9) {
		t.Fatalf("a CRLF line: %v", got)
	}
	s.ping(10)
}

// TestLineOverSDKLimit sends a line of 16 MiB and one byte, as a client
// with a huge blueprint might: it is skipped to its end, unread.
func TestLineOverSDKLimit(t *testing.T) {
	s := startServer(t, 0)
	big := `{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"x","arguments":{"blob":"` +
		strings.Repeat("A", DefaultMaxLine) + `"}}}` + "\n"
	go s.send(big)
	got := s.next()
	e, _ := got["error"].(map[string]any)
	if e == nil || e["code"] != float64(-32600) || !strings.Contains(e["message"].(string), "16 MiB") {
		t.Fatalf("a 16 MiB line: %v", got)
	}
	s.ping(6)
}

func TestEOFEndsTheSession(t *testing.T) {
	s := startServer(t, 0)
	s.ping(1)
	s.send("hello") // a last line without its newline
	s.in.Close()
	if e, _ := s.next()["error"].(map[string]any); e == nil || e["code"] != float64(-32700) {
		t.Fatalf("the last line was not answered")
	}
	done := make(chan error, 1)
	go func() { done <- s.ss.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("session ended with %v, want a clean end", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the session did not end when its input did")
	}
}

func TestCloseEndsRead(t *testing.T) {
	inR, _ := io.Pipe()
	c, err := (&Transport{In: inR, Out: io.Discard}).Connect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := c.Read(context.Background())
		done <- err
	}()
	c.Close()
	select {
	case err := <-done:
		if err != io.EOF {
			t.Errorf("Read after Close: %v, want io.EOF", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not end a waiting Read")
	}
}

// FuzzParse checks that no line crashes the parser, that a refused line
// always gets a code and a one-line reason, and that an accepted one is
// a JSON-RPC 2.0 object.
func FuzzParse(f *testing.F) {
	for _, tc := range badLines {
		f.Add([]byte(tc.line))
	}
	f.Add([]byte(`{"jsonrpc":"2.0","id":1,"method":"ping"}`))
	f.Add([]byte(`{"jsonrpc":"2.0","method":"notifications/initialized"}`))
	f.Add([]byte(`{"jsonrpc":"2.0","id":"x","result":{}}`))
	f.Fuzz(func(t *testing.T, line []byte) {
		msg, id, code, why := parse(line)
		if msg == nil {
			if code != -32700 && code != -32600 || why == "" || strings.ContainsAny(why, "\r\n") {
				t.Fatalf("refused %q with %d %q", line, code, why)
			}
			if id != nil && !validID(id) {
				t.Fatalf("refused %q with id %s", line, id)
			}
			return
		}
		var m map[string]json.RawMessage
		if json.Unmarshal(line, &m) != nil || string(m["jsonrpc"]) != `"2.0"` {
			t.Fatalf("accepted %q", line)
		}
	})
}

// The end of the input waits for the answers to the calls read before it
// (a script that pipes requests in gets them all), but not for long.
func TestEndOfInputWaitsForAnswers(t *testing.T) {
	for _, answer := range []bool{true, false} {
		c, err := (&Transport{In: strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"ping"}` + "\n"), Out: io.Discard}).Connect(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		msg, err := c.Read(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		ended := make(chan error, 1)
		start := time.Now()
		go func() {
			_, err := c.Read(context.Background())
			ended <- err
		}()
		select {
		case err := <-ended:
			t.Fatalf("Read returned %v before the call read was answered", err)
		case <-time.After(200 * time.Millisecond):
		}
		if answer {
			resp := &jsonrpc.Response{ID: msg.(*jsonrpc.Request).ID, Result: json.RawMessage("{}")}
			if err := c.Write(context.Background(), resp); err != nil {
				t.Fatal(err)
			}
		}
		select {
		case err := <-ended:
			if err != io.EOF {
				t.Errorf("Read: %v, want io.EOF", err)
			}
			if waited := time.Since(start); answer && waited > drainWait/2 || !answer && waited < drainWait {
				t.Errorf("answered=%v: the end came after %s", answer, waited)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("the end of the input was never reported")
		}
		c.Close()
	}
}
