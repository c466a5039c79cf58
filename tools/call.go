package tools

import (
	"context"
	"errors"

	"github.com/google/jsonschema-go/jsonschema"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// errDeclined is returned when the user said no to a destructive action.
var errDeclined = errors.New("the user declined: nothing was changed")

// confirmID names the confirmation among a call's input requests.
const confirmID = "confirm"

// inputRequired is returned by a handler that needs the user's answer
// before it can go on; define turns it into an input-required result.
type inputRequired struct {
	requests mcp.InputRequestMap
}

func (e *inputRequired) Error() string { return "waiting for the user's answer" }

// confirm asks the user to approve a destructive action, through MCP
// elicitation, when the client declared that capability. Without it,
// confirm approves: the host's own approval prompt, which destructiveHint
// drives, is the safeguard then.
//
// The question goes out as a multi round-trip input request: the handler
// returns it, the client asks the user and calls the tool again with the
// answer, and confirm then reads that answer. Protocol 2026-07-28 forbids
// a server-initiated elicitation during a call; for older clients the SDK
// turns the input request into one. question is called only when the user
// is about to be asked, so that looking up a name for it costs nothing
// otherwise; an error from it ends the call.
func (c *Call) confirm(ctx context.Context, question func() (string, error)) error {
	if !c.canConfirm() {
		return nil
	}
	if answer, ok := c.Request.Params.InputResponses[confirmID]; ok {
		res, ok := answer.(*mcp.ElicitResult)
		if !ok || res.Action != "accept" || res.Content["confirm"] != true {
			return errDeclined
		}
		return nil
	}
	q, err := question()
	if err != nil {
		return err
	}
	return &inputRequired{requests: mcp.InputRequestMap{confirmID: &mcp.ElicitParams{
		Message: q,
		RequestedSchema: &jsonschema.Schema{
			Type: "object",
			Properties: map[string]*jsonschema.Schema{
				"confirm": {Type: "boolean", Title: "Yes, go ahead", Description: q},
			},
			Required: []string{"confirm"},
		},
	}}}
}

// canConfirm reports whether the client can put a form question to the
// user.
func (c *Call) canConfirm() bool {
	if c.Request == nil || c.Request.Params == nil {
		return false
	}
	caps := c.Request.ClientCapabilities()
	if caps == nil || caps.Elicitation == nil {
		return false
	}
	// A client that declares only URL elicitation cannot show a form; one
	// that declares neither mode predates modes and shows forms.
	e := caps.Elicitation
	return e.Form != nil || e.URL == nil
}

// progress reports how a long call is going, when the client asked for
// progress by sending a token. Progress is best effort: a failure to send
// it must not fail the call. A report that would not advance on the last
// one, as two reports at the same moment would not, is dropped.
func (c *Call) progress(ctx context.Context, done, total float64, message string) {
	if c.Request == nil || c.Request.Session == nil {
		return
	}
	token := c.Request.Params.GetProgressToken()
	if token == nil {
		return
	}
	c.progressMu.Lock()
	defer c.progressMu.Unlock()
	if done <= c.lastProgress {
		return
	}
	c.lastProgress = done
	_ = c.Request.Session.NotifyProgress(ctx, &mcp.ProgressNotificationParams{
		ProgressToken: token, Progress: done, Total: total, Message: message,
	})
}
