package makeapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Request is one call of Make's API described as data: most of Make's API
// is a method, a path with ids, some query and body fields, and the key
// under which the answer holds its object. Do sends it, routes it to the
// zone of the ids it carries, and learns from the answer where the objects
// it names live.
type Request struct {
	Method string
	// Path is under /api/v2, with a {name} for each value of Params, such
	// as "/data-stores/{dataStoreId}/data/{key}". It may end in a fixed
	// query, such as "?confirmed=true".
	Path   string
	Params map[string]string
	// Query is added to the path's fixed query.
	Query url.Values
	// Body is sent as JSON when not nil. Text, when not nil, is sent
	// instead, as ContentType (an app's readme, a function's code).
	Body        json.RawMessage
	Text        []byte
	ContentType string
	// Answer is the key of the object or list the answer holds, such as
	// "dataStore"; empty for the whole answer.
	Answer string
	// Effect decides when the call may be sent again.
	Effect Effect
}

// Effect is what a call does to Make's state, which decides whether it
// may be repeated after a failure that left its outcome unknown.
type Effect uint8

const (
	// Reads change nothing: repeated after any transient failure.
	Reads Effect = iota
	// Sets put state to a value, so a repeat changes nothing more:
	// updates, switches, deletes. Repeated like reads.
	Sets
	// Creates make something new each time: repeated only after a 429,
	// which Make answers before doing any work.
	Creates
	// Runs start work beyond Make (a scenario run): never repeated.
	Runs
)

func (e Effect) retry() retryPolicy {
	switch e {
	case Creates:
		return retryRateLimited
	case Runs:
		return retryNever
	}
	return retryIdempotent
}

// Do sends r and returns the JSON value its answer holds under r.Answer,
// or the whole answer when r.Answer is empty. An answer without that key
// is an error from Make: a call that succeeded must say what it did.
func (c *Client) Do(ctx context.Context, r Request) (json.RawMessage, error) {
	k, err := c.requestCall(r)
	if err != nil {
		return nil, err
	}
	var whole json.RawMessage
	k.out, k.want = &whole, r.Answer
	if err := c.do(ctx, k); err != nil {
		return nil, err
	}
	v := whole
	if r.Answer != "" {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(whole, &obj); err != nil || obj[r.Answer] == nil {
			return nil, fmt.Errorf("Make API %s %s: the answer holds no %q", r.Method, k.path, r.Answer)
		}
		v = obj[r.Answer]
	}
	c.learnFrom(answerKind(r.Path), v)
	return v, nil
}

// Document is an answer that is not JSON: text or an image.
type Document struct {
	Body        []byte
	ContentType string
}

// DoDocument sends r and returns its answer as it came, for the calls
// Make answers with a document (an app's readme or icon, a function's
// code). accept is the media type asked for.
func (c *Client) DoDocument(ctx context.Context, r Request, accept string) (*Document, error) {
	k, err := c.requestCall(r)
	if err != nil {
		return nil, err
	}
	d := &Document{}
	k.out, k.accept = d, accept
	if err := c.do(ctx, k); err != nil {
		return nil, err
	}
	return d, nil
}

// requestCall turns a Request into the client's call.
func (c *Client) requestCall(r Request) (*call, error) {
	tmpl, fixed, _ := strings.Cut(r.Path, "?")
	path, first, err := fillPath(tmpl, r.Params)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", r.Method, tmpl, err)
	}
	q, err := url.ParseQuery(fixed)
	if err != nil {
		return nil, fmt.Errorf("makeapi: %s %s: fixed query: %w", r.Method, r.Path, err)
	}
	for key, vs := range r.Query {
		q[key] = append(q[key], vs...)
	}
	k := &call{method: r.Method, path: path, query: q, retry: r.Effect.retry()}
	switch {
	case r.Text != nil:
		k.text, k.contentType = r.Text, r.ContentType
	case r.Body != nil:
		k.body = r.Body
	}
	k.route = first
	if ids := idsRoute(q, r.Body); first.kind == "" || (ids.kind != "" && !c.placed(first)) {
		// An object the client cannot place (an on-premise agent, a
		// custom role: their answers name no team) is in the zone of the
		// organization or team the call names beside it.
		k.route = ids
	}
	return k, nil
}

// placed reports whether the client can tell the zone of the object a
// route names: an organization or a team, or an object whose team an
// answer named.
func (c *Client) placed(r route) bool {
	if r.kind == organizationKind || r.kind == teamKind {
		return true
	}
	_, ok := c.zones.teamOf(r)
	return ok
}

// fillPath puts params into a path template, and returns the route of the
// first id it fills: the zone of the object the path is about. An id that
// is empty, "." or "..", or that would change the path (a slash, a
// question mark, a percent sign, a control character) is refused before
// any request: a model's "key": ".." must not turn /data/.. into a call
// about the whole data store. A "#" is sent escaped, as Make's SDK sends
// it: Make names a custom app "app#name" where it takes any app.
func fillPath(tmpl string, params map[string]string) (string, route, error) {
	var b strings.Builder
	var first route
	segs := strings.Split(tmpl, "/")
	for i, seg := range segs {
		if i > 0 {
			b.WriteByte('/')
		}
		name, ok := strings.CutPrefix(seg, "{")
		if !ok {
			b.WriteString(seg)
			continue
		}
		name = strings.TrimSuffix(name, "}")
		v, ok := params[name]
		if !ok {
			return "", route{}, fmt.Errorf("makeapi: no value for {%s}", name)
		}
		if err := checkPathValue(name, v); err != nil {
			return "", route{}, err
		}
		if first.kind == "" && i > 0 {
			first = route{kind: segs[i-1], key: v}
		}
		b.WriteString(url.PathEscape(v))
	}
	return b.String(), first, nil
}

func checkPathValue(name, v string) error {
	switch {
	case v == "":
		return fmt.Errorf("%s must not be empty", name)
	case v == "." || v == "..":
		return fmt.Errorf("%s %q is not an id: give the id itself", name, v)
	case strings.ContainsAny(v, "/\\?%"):
		return fmt.Errorf("%s %q cannot hold / \\ ? or %%: give the id itself", name, v)
	}
	for _, r := range v {
		if r < 0x20 || r == 0x7f {
			return fmt.Errorf("%s %q holds a control character: give the id itself", name, v)
		}
	}
	return nil
}

// answerKind is the kind of object a path's answer holds: the collection
// it names ("/hooks"), or whose member it names ("/hooks/{hookId}").
func answerKind(path string) string {
	path, _, _ = strings.Cut(path, "?")
	segs := strings.Split(strings.TrimSuffix(path, "/"), "/")
	last := segs[len(segs)-1]
	if strings.HasPrefix(last, "{") && len(segs) > 1 {
		return segs[len(segs)-2]
	}
	return last
}

// idsRoute routes a call whose path names no object by the scenario,
// team or organization it carries in its query or body.
func idsRoute(q url.Values, body json.RawMessage) route {
	if id, err := strconv.ParseInt(q.Get("scenarioId"), 10, 64); err == nil && id > 0 {
		return byScenario(id)
	}
	team, org := q.Get("teamId"), q.Get("organizationId")
	if team == "" && org == "" && len(body) > 0 && body[0] == '{' {
		var ids struct {
			TeamID         json.Number `json:"teamId"`
			OrganizationID json.Number `json:"organizationId"`
		}
		if json.Unmarshal(body, &ids) == nil {
			team, org = ids.TeamID.String(), ids.OrganizationID.String()
		}
	}
	if id, err := strconv.ParseInt(team, 10, 64); err == nil && id > 0 {
		return byTeam(id)
	}
	if id, err := strconv.ParseInt(org, 10, 64); err == nil && id > 0 {
		return byOrg(id)
	}
	return route{}
}

// learnFrom notes the team of every object of kind an answer holds (one
// object, or a list of them), and the organization of every team: later
// calls about them then go straight to their zone.
func (c *Client) learnFrom(kind string, v json.RawMessage) {
	if kind == "" {
		return
	}
	v = bytes.TrimSpace(v)
	if len(v) == 0 || (v[0] != '{' && v[0] != '[') {
		return
	}
	type owned struct {
		ID             json.RawMessage `json:"id"`
		TeamID         int64           `json:"teamId"`
		OrganizationID int64           `json:"organizationId"`
	}
	var items []owned
	if v[0] == '{' {
		var o owned
		if json.Unmarshal(v, &o) != nil {
			return
		}
		items = []owned{o}
	} else if json.Unmarshal(v, &items) != nil {
		return
	}
	for _, o := range items {
		id := strings.Trim(string(o.ID), `"`)
		switch kind {
		case teamKind:
			if n, err := strconv.ParseInt(id, 10, 64); err == nil {
				c.zones.learnTeam(n, o.OrganizationID)
			}
		default:
			c.zones.learnOwner(kind, id, o.TeamID)
		}
	}
}

// readDocument reads an answer as it came, within the client's bound.
func (c *Client) readDocument(resp *http.Response, d *Document) error {
	lr := &limitedReader{r: resp.Body, n: c.maxBody}
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(lr); err != nil {
		return err
	}
	d.Body, d.ContentType = buf.Bytes(), resp.Header.Get("Content-Type")
	return nil
}
