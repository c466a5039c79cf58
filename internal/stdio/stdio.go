// Package stdio is the MCP stdio transport, one JSON-RPC message per line,
// made to outlive a bad line. The MCP SDK's own stdio transport ends the
// connection at the first line it cannot decode, so one stray line from a
// host, or from a person typing into `makemcp serve`, ended the server and
// every call in flight. Here a line that is not a message the server can
// take is answered with the JSON-RPC error it deserves, logged once, and
// skipped; the next line is read as if nothing had happened.
package stdio

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/makemcp/makemcp/internal/safetext"
	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// DefaultMaxLine is the longest line read, newline excluded: the MCP
// SDK's own limit. Longer lines are skipped to their end unread, so a
// runaway client cannot make the server hold more than this in memory.
const DefaultMaxLine = 16 << 20

// Transport connects an MCP server to a client over In and Out (standard
// input and output for `makemcp serve`).
type Transport struct {
	In  io.Reader
	Out io.Writer
	// MaxLine bounds one line; 0 means DefaultMaxLine.
	MaxLine int
	// Logger gets one line per bad line; nil logs nothing.
	Logger *slog.Logger
}

// Connect starts reading In. It implements mcp.Transport.
func (t *Transport) Connect(context.Context) (mcp.Connection, error) {
	max := t.MaxLine
	if max <= 0 {
		max = DefaultMaxLine
	}
	logger := t.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	c := &conn{in: t.In, out: t.Out, log: logger, incoming: make(chan jsonrpc.Message), closed: make(chan struct{}),
		unanswered: map[jsonrpc.ID]bool{}, answered: make(chan struct{}, 1)}
	// Reading in a goroutine of its own lets Read return as soon as the
	// connection closes, whatever In is doing.
	go c.readLoop(bufio.NewReaderSize(t.In, 64<<10), max)
	return c, nil
}

type conn struct {
	in  io.Reader
	out io.Writer
	log *slog.Logger

	// writeMu keeps each line whole when the server answers and a bad
	// line is refused at the same time.
	writeMu sync.Mutex

	incoming chan jsonrpc.Message

	// unanswered are the calls read and not answered yet; answered is
	// signalled whenever one is answered.
	mu         sync.Mutex
	unanswered map[jsonrpc.ID]bool
	answered   chan struct{}

	closeOnce sync.Once
	closed    chan struct{}
}

func (c *conn) SessionID() string { return "" }

func (c *conn) Read(ctx context.Context) (jsonrpc.Message, error) {
	select {
	case msg := <-c.incoming:
		return msg, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-c.closed:
		return nil, io.EOF
	}
}

func (c *conn) Write(ctx context.Context, msg jsonrpc.Message) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	data, err := jsonrpc.EncodeMessage(msg)
	if err != nil {
		return err
	}
	err = c.writeLine(data)
	if resp, ok := msg.(*jsonrpc.Response); ok {
		c.mu.Lock()
		delete(c.unanswered, resp.ID)
		c.mu.Unlock()
		select {
		case c.answered <- struct{}{}:
		default:
		}
	}
	return err
}

// drainWait bounds how long the end of the input waits for the answers to
// the calls read before it. A script that pipes requests into serve gets
// its answers; a call that takes longer (a scenario run) is cancelled, as
// a host that closes stdin wants the server gone.
const drainWait = time.Second

// drain waits until every call read has been answered, drainWait passes
// or the connection closes: the SDK cancels the calls in flight and
// writes nothing more once Read reports the end of the input.
func (c *conn) drain() {
	timeout := time.After(drainWait)
	for {
		c.mu.Lock()
		n := len(c.unanswered)
		c.mu.Unlock()
		if n == 0 {
			return
		}
		select {
		case <-c.answered:
		case <-timeout:
			return
		case <-c.closed:
			return
		}
	}
}

func (c *conn) writeLine(data []byte) error {
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	_, err := c.out.Write(append(data, '\n'))
	return err
}

// Close stops the connection. It closes In when In can be closed, which
// ends the read loop; standard input usually cannot be interrupted, and
// its reader ends with the process.
func (c *conn) Close() error {
	c.closeOnce.Do(func() {
		close(c.closed)
		if cl, ok := c.in.(io.Closer); ok {
			cl.Close()
		}
	})
	return nil
}

// readLoop hands each good message to Read and answers each bad line,
// until In ends.
func (c *conn) readLoop(r *bufio.Reader, max int) {
	defer c.Close()
	for n := 1; ; n++ {
		line, size, err := readLine(r, max)
		if size > max {
			c.refuse(n, nil, jsonrpc.CodeInvalidRequest, fmt.Sprintf("the message is %d bytes, more than the %d MiB makemcp reads: it was skipped", size, max>>20))
		} else if line = bytes.TrimSpace(line); len(line) > 0 {
			msg, id, code, why := parse(line)
			if msg == nil {
				c.refuse(n, id, code, why)
			} else {
				if req, ok := msg.(*jsonrpc.Request); ok && req.IsCall() {
					c.mu.Lock()
					c.unanswered[req.ID] = true
					c.mu.Unlock()
				}
				select {
				case c.incoming <- msg:
				case <-c.closed:
					return
				}
			}
		}
		if err != nil {
			c.drain()
			return
		}
	}
}

// readLine reads one line, without its newline, and its size. A line
// longer than max is read to its end but not kept: line is nil and size
// is more than max. err is io.EOF (or a read error) after the last line.
func readLine(r *bufio.Reader, max int) (line []byte, size int, err error) {
	for {
		chunk, err := r.ReadSlice('\n')
		size += len(chunk)
		if err == nil {
			chunk = chunk[:len(chunk)-1]
			size--
		}
		if size <= max {
			line = append(line, chunk...)
		} else {
			line = nil
		}
		if err != bufio.ErrBufferFull {
			return line, size, err
		}
	}
}

// refuse answers a bad line and logs it. The log names the line's number
// and what was wrong, never its content, which may hold a secret.
func (c *conn) refuse(lineNo int, id json.RawMessage, code int, why string) {
	if id == nil {
		id = json.RawMessage("null")
	}
	answer, _ := json.Marshal(struct {
		JSONRPC string          `json:"jsonrpc"`
		ID      json.RawMessage `json:"id"`
		Error   jsonrpc.Error   `json:"error"`
	}{"2.0", id, jsonrpc.Error{Code: int64(code), Message: why}})
	c.log.Warn("answered a bad line from the client with an error, and went on", "line", lineNo, "code", code, "id", string(id), "error", safetext.Line(why, 300))
	if err := c.writeLine(answer); err != nil {
		c.log.Warn("could not answer the bad line", "line", lineNo, "error", err)
	}
}

// parse reads one line as a JSON-RPC 2.0 message. When the line is not
// one, msg is nil and id, code and why are the error to answer it with:
// the line's id where one can be read (else nil, for null), -32700 for a
// line that is not JSON and -32600 for JSON that is not a message MCP
// takes, with a message that says what was wrong.
func parse(line []byte) (msg jsonrpc.Message, id json.RawMessage, code int, why string) {
	line = bytes.TrimSpace(line)
	if !json.Valid(line) {
		return nil, nil, jsonrpc.CodeParseError, "Parse error: " + syntaxError(line) + "; send one JSON-RPC message per line"
	}
	invalid := func(format string, args ...any) (jsonrpc.Message, json.RawMessage, int, string) {
		return nil, id, jsonrpc.CodeInvalidRequest, "Invalid Request: " + fmt.Sprintf(format, args...)
	}
	switch line[0] {
	case '{':
	case '[':
		if bytes.Equal(bytes.Join(bytes.Fields(line), nil), []byte("[]")) {
			return invalid("an empty batch; send one JSON-RPC message per line")
		}
		return invalid("a JSON-RPC batch, which MCP no longer has; send one message per line")
	default:
		return invalid("a JSON-RPC message is a JSON object, not %s", kind(line))
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(line, &m); err != nil {
		return invalid("%v", err)
	}
	rawID, hasID := m["id"]
	if hasID {
		if !validID(rawID) {
			return invalid(`"id" must be a string or an integer, not %s`, kind(rawID))
		}
		id = rawID
	}
	method, hasMethod := m["method"]
	_, hasResult := m["result"]
	_, hasError := m["error"]
	if !hasMethod && !hasID && !hasResult && !hasError {
		return invalid(`not a JSON-RPC message: a request needs "jsonrpc": "2.0", "id" and "method"`)
	}
	if v := m["jsonrpc"]; string(v) != `"2.0"` {
		if v == nil {
			return invalid(`"jsonrpc" is missing; it must be "2.0"`)
		}
		return invalid(`"jsonrpc" must be "2.0", not %s`, safetext.Line(string(v), 40))
	}
	switch {
	case hasMethod && (len(method) == 0 || method[0] != '"'):
		return invalid(`"method" must be a string`)
	case hasMethod && (hasResult || hasError):
		return invalid(`a message has either "method" or "result"/"error", not both`)
	case !hasMethod && !hasID:
		return invalid(`a request needs "method" and "id", a notification "method"`)
	case !hasMethod && !hasResult && !hasError:
		return invalid(`no "method": a request needs one`)
	}
	msg, err := jsonrpc.DecodeMessage(line)
	if err != nil {
		return invalid("%v", err)
	}
	return msg, nil, 0, ""
}

// validID reports whether v can be a request's id: MCP allows a string or
// an integer (JSON-RPC's null and fractions are not).
func validID(v json.RawMessage) bool {
	var x any
	d := json.NewDecoder(bytes.NewReader(v))
	d.UseNumber()
	if d.Decode(&x) != nil {
		return false
	}
	switch x := x.(type) {
	case string:
		return true
	case json.Number:
		_, err := x.Int64()
		return err == nil
	}
	return false
}

// kind names the JSON type of a valid value.
func kind(v []byte) string {
	switch v = bytes.TrimSpace(v); {
	case v[0] == '{':
		return "an object"
	case v[0] == '[':
		return "an array"
	case v[0] == '"':
		return "a string"
	case v[0] == 't' || v[0] == 'f':
		return "a boolean"
	case v[0] == 'n':
		return "null"
	}
	return "a number"
}

// syntaxError says why line is not one JSON value.
func syntaxError(line []byte) string {
	d := json.NewDecoder(bytes.NewReader(line))
	var v json.RawMessage
	err := d.Decode(&v)
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "the line ends inside a JSON value (cut off?)"
	case err != nil:
		return err.Error()
	case d.More():
		return "more than one JSON value on the line"
	}
	if _, err := d.Token(); err != nil && !errors.Is(err, io.EOF) {
		return err.Error()
	}
	return "not JSON"
}
