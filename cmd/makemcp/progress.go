package main

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"sync"

	"github.com/makemcp/makemcp/internal/safetext"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"golang.org/x/term"
)

// progressLine shows a tool call's latest MCP progress on one line of a
// terminal, and erases it before the result prints, so that a long run
// (a scenario Make holds for 40 s and more) does not look hung.
type progressLine struct {
	mu    sync.Mutex
	w     io.Writer
	width int
	shown bool
	ended bool
}

// terminalWidth reports whether w is a terminal, and its width. Tests
// replace it.
var terminalWidth = func(w io.Writer) (int, bool) {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return 0, false
	}
	width, _, err := term.GetSize(int(f.Fd()))
	if err != nil || width <= 0 {
		width = 80
	}
	return width, true
}

// newProgressLine returns a progress line on w, or nil when w is not a
// terminal: a log or a pipe gets only the result. A nil line does
// nothing.
func newProgressLine(w io.Writer) *progressLine {
	width, ok := terminalWidth(w)
	if !ok {
		return nil
	}
	return &progressLine{w: w, width: width}
}

// eraseLine returns the cursor to the start of the line and clears it.
const eraseLine = "\r\x1b[K"

// show replaces the line with p's message, cut to the terminal's width
// so that it never wraps (a wrapped line could not be erased).
func (l *progressLine) show(p *mcp.ProgressNotificationParams) {
	if l == nil {
		return
	}
	msg := p.Message
	if msg == "" {
		msg = "progress " + strconv.FormatFloat(p.Progress, 'f', -1, 64)
		if p.Total > 0 {
			msg += " of " + strconv.FormatFloat(p.Total, 'f', -1, 64)
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ended {
		return
	}
	fmt.Fprint(l.w, eraseLine+"… "+safetext.Line(msg, max(l.width-3, 10)))
	l.shown = true
}

// clear erases the line for good: progress that arrives later is not
// shown.
func (l *progressLine) clear() {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ended = true
	if l.shown {
		fmt.Fprint(l.w, eraseLine)
		l.shown = false
	}
}
