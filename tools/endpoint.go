package tools

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"sync"
	"text/template"
	"unicode/utf8"

	"github.com/makemcp/makemcp/makeapi"
	"github.com/makemcp/makemcp/makeapi/scope"
)

// endpoint is a thin tool: one call of Make's API, declared as data. Most
// of Make's catalogue is that thin, so a tool is this row plus the struct
// of its arguments (whose tags give the schema the model sees):
//
//	endpointTool[KeyID, Object](endpoint{
//		Name: "keys_get", Title: "Get key", Description: "...",
//		Toolset: Keys, Scope: scope.KeysRead, Kind: Read,
//		Method: "GET", Path: "/keys/{keyId}?cols[]=*", Answer: "key",
//	})
//
// The call carries the arguments the model gave, as it gave them: each
// {name} in the path takes that argument's value; without a body (GET)
// every other argument goes into the query, with one (POST, PUT, PATCH,
// or a DELETE that has body arguments) into the body, except those the row
// names in Query. A teamId or organizationId argument tagged
// `default:"team"` or `default:"organization"` that the model left out is
// the server's default.
type endpoint struct {
	Name, Title, Description string
	// Doc is more about the tool for docs/tools.md: what a model need not
	// read on every tools/list, such as where makemcp differs from Make's
	// own SDK, and why.
	Doc     string
	Toolset Toolset
	Scope   scope.Scope
	Kind    Kind

	// Method and Path are the call: Path is under /api/v2, with {arg}
	// for each argument that goes into the path, and may end in a fixed
	// query ("?confirmed=true").
	Method, Path string
	// Query names the arguments a request with a body sends in its
	// query instead.
	Query []string
	// Body names the one argument whose value is the whole body (a
	// record's fields, a hook's settings). With ContentType, that
	// argument is text sent as that media type (an app's readme, a
	// function's code).
	Body        string
	ContentType string
	// Answer is the key of the object or list Make's answer holds, such
	// as "dataStore"; empty for the whole answer.
	Answer string
	// Accept, when set, asks for a document of that media type instead
	// of JSON (an app's readme, a function's code): the result is a
	// TextDocument.
	Accept string
	// Pages says Make pages the list (pg[limit], pg[offset]); other lists
	// come whole and are paged here.
	Pages bool
	// Shape, when set, rewrites the arguments before they are sent, for
	// the calls whose body Make wants in another shape than the
	// arguments (a hook's settings beside its name).
	Shape func(args map[string]json.RawMessage) error
	// Ask is the question a Delete puts to the user: a text/template
	// over the object a GET of AskPath holds under AskAnswer (defaults:
	// the endpoint's own path, without its query, and answer). Without
	// it the question names the tool and the ids.
	Ask, AskPath, AskAnswer string
	// Result, when set, is the tool's result instead of Make's answer: the
	// arguments with these fields added (a JSON object), for calls whose
	// answer says no more than that they worked. A Delete without an
	// Answer has the Result {"deleted": true}.
	Result string
	// ChangesScenario says a successful call changed the scenario its
	// scenarioId names, so scenario tools are refreshed.
	ChangesScenario bool
}

func (e endpoint) meta() meta {
	return meta{Name: e.Name, Title: e.Title, Description: e.Description, Toolset: e.Toolset, Scope: e.Scope, Kind: e.Kind, Doc: e.Doc}
}

// endpointTool makes the tool of an endpoint whose answer is one object,
// shown as Out.
func endpointTool[In, Out any](e endpoint) Tool {
	e.check()
	return define(e.meta(), func(ctx context.Context, c *Call, in In) (*Out, error) {
		args, err := e.arguments(ctx, c, &in)
		if err != nil {
			return nil, err
		}
		if err := e.confirm(ctx, c, args); err != nil {
			return nil, err
		}
		r, err := e.request(args)
		if err != nil {
			return nil, err
		}
		var v json.RawMessage
		if e.Accept != "" {
			v, err = textDocument(ctx, c, r, e.Accept)
		} else {
			v, err = c.Client.Do(ctx, r)
		}
		if err != nil {
			return nil, err
		}
		if e.ChangesScenario {
			c.scenariosChanged(int64Arg(args, "scenarioId"))
		}
		out := new(Out)
		return out, e.result(r, args, v, out)
	})
}

// listTool makes the tool of an endpoint whose answer is a list, shown a
// page at a time as items of type Item.
func listTool[In, Item any](e endpoint) Tool {
	e.check()
	return define(e.meta(), func(ctx context.Context, c *Call, in In) (List[Item], error) {
		args, err := e.arguments(ctx, c, &in)
		if err != nil {
			return List[Item]{}, err
		}
		p := pagingOf(&in)
		delete(args, "limit")
		delete(args, "offset")
		r, err := e.request(args)
		if err != nil {
			return List[Item]{}, err
		}
		if e.Pages {
			pg := p.page()
			r.Query = cloneValues(r.Query)
			r.Query.Set("pg[limit]", fmt.Sprint(pg.Limit))
			if pg.Offset > 0 {
				r.Query.Set("pg[offset]", fmt.Sprint(pg.Offset))
			}
		}
		v, err := c.Client.Do(ctx, r)
		if err != nil {
			return List[Item]{}, err
		}
		var items []Item
		if err := json.Unmarshal(v, &items); err != nil {
			return List[Item]{}, fmt.Errorf("Make API %s %s: the answer's %q is not a list: %v", r.Method, r.Path, e.Answer, err)
		}
		if !e.Pages {
			items = window(items, p)
		}
		return newList(items, p, same), nil
	})
}

// TextDocument is the result of a tool that reads a document, such as
// an app's readme or a function's code.
type TextDocument struct {
	ContentType string `json:"contentType"`
	Text        string `json:"text"`
}

// textDocument fetches a document and encodes it as a TextDocument.
func textDocument(ctx context.Context, c *Call, r makeapi.Request, accept string) (json.RawMessage, error) {
	d, err := c.Client.DoDocument(ctx, r, accept)
	if err != nil {
		return nil, err
	}
	if !utf8.Valid(d.Body) {
		return nil, fmt.Errorf("Make API %s %s: the answer (%s) is not text", r.Method, r.Path, d.ContentType)
	}
	return json.Marshal(TextDocument{ContentType: d.ContentType, Text: string(d.Body)})
}

// check catches a malformed row when the package loads: the tests load
// every tool, so a mistake fails them rather than a user's call.
func (e endpoint) check() {
	if e.Name == "" || e.Method == "" || !strings.HasPrefix(e.Path, "/") {
		panic(fmt.Sprintf("tools: endpoint %q: name, method and path are required", e.Name))
	}
	if e.Ask != "" {
		template.Must(template.New(e.Name).Parse(e.Ask))
	}
	if e.Result != "" && !json.Valid([]byte(e.Result)) {
		panic(fmt.Sprintf("tools: endpoint %q: Result is not JSON", e.Name))
	}
}

// arguments are the call's arguments as the model sent them, after the
// schema check, with the default team and organization filled in where
// the arguments' struct asks for them.
func (e endpoint) arguments(ctx context.Context, c *Call, in any) (map[string]json.RawMessage, error) {
	if v, ok := in.(validator); ok {
		if err := v.validate(); err != nil {
			return nil, err
		}
	}
	args := map[string]json.RawMessage{}
	if c.Request != nil && c.Request.Params != nil && len(c.Request.Params.Arguments) > 0 {
		if err := json.Unmarshal(c.Request.Params.Arguments, &args); err != nil {
			return nil, fmt.Errorf("arguments are not a JSON object: %v", err)
		}
		if args == nil { // "arguments": null
			args = map[string]json.RawMessage{}
		}
	}
	for name, which := range defaultedArgs(reflect.TypeOf(in).Elem()) {
		if v, ok := args[name]; ok && string(v) != "null" {
			continue
		}
		var id int64
		var err error
		switch which {
		case "team":
			id, err = c.team(ctx, 0)
		case "organization":
			id, err = c.organization(ctx, 0)
		default:
			panic(fmt.Sprintf("tools: %s: default:%q is neither team nor organization", e.Name, which))
		}
		if err != nil {
			return nil, err
		}
		args[name] = json.RawMessage(fmt.Sprint(id))
	}
	if e.Shape != nil {
		if err := e.Shape(args); err != nil {
			return nil, err
		}
	}
	return args, nil
}

// validator is implemented by arguments that check themselves beyond
// what their schema can say (a name that is not blank, something to
// change), so that a call Make would refuse is not sent.
type validator interface{ validate() error }

// defaultedArgs maps each argument of an arguments struct that has a
// server default to "team" or "organization", from its `default` tag.
var defaultedArgs = func() func(reflect.Type) map[string]string {
	var cache sync.Map
	return func(t reflect.Type) map[string]string {
		if m, ok := cache.Load(t); ok {
			return m.(map[string]string)
		}
		m := map[string]string{}
		var walk func(reflect.Type)
		walk = func(t reflect.Type) {
			if t.Kind() != reflect.Struct {
				return
			}
			for f := range t.Fields() {
				if f.Anonymous {
					walk(f.Type)
					continue
				}
				if which := f.Tag.Get("default"); which != "" {
					name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
					m[name] = which
				}
			}
		}
		walk(t)
		cache.Store(t, m)
		return m
	}
}()

// request lays the arguments out as the endpoint's call.
func (e endpoint) request(args map[string]json.RawMessage) (makeapi.Request, error) {
	r := makeapi.Request{Method: e.Method, Path: e.Path, Answer: e.Answer, Effect: e.Kind.effect(),
		Params: map[string]string{}, Query: url.Values{}}
	rest := maps.Clone(args)
	for _, name := range pathParams(e.Path) {
		v, ok := rest[name]
		if !ok {
			return r, fmt.Errorf("%s is required", name)
		}
		s, err := scalarText(v)
		if err != nil {
			return r, fmt.Errorf("%s: %v", name, err)
		}
		r.Params[name] = s
		delete(rest, name)
	}
	if e.Body != "" {
		v, ok := rest[e.Body]
		delete(rest, e.Body)
		switch {
		case !ok:
			return r, fmt.Errorf("%s is required", e.Body)
		case e.ContentType != "":
			var text string
			if err := json.Unmarshal(v, &text); err != nil {
				return r, fmt.Errorf("%s must be a string", e.Body)
			}
			r.Text, r.ContentType = []byte(text), e.ContentType
		default:
			r.Body = v
		}
	}
	body := map[string]json.RawMessage{}
	for name, v := range rest {
		if e.Method == http.MethodGet || e.Body != "" || slices.Contains(e.Query, name) {
			addQuery(r.Query, name, v)
		} else {
			body[name] = v
		}
	}
	if len(body) > 0 {
		b, err := json.Marshal(body)
		if err != nil {
			return r, err
		}
		r.Body = b
	}
	return r, nil
}

// pathParams lists the {names} of a path template.
func pathParams(path string) []string {
	path, _, _ = strings.Cut(path, "?")
	var names []string
	for _, seg := range strings.Split(path, "/") {
		if name, ok := strings.CutPrefix(seg, "{"); ok {
			names = append(names, strings.TrimSuffix(name, "}"))
		}
	}
	return names
}

// scalarText is a string or number argument as text, for a path.
func scalarText(v json.RawMessage) (string, error) {
	var s string
	if json.Unmarshal(v, &s) == nil {
		return s, nil
	}
	var n json.Number
	if json.Unmarshal(v, &n) == nil {
		return n.String(), nil
	}
	return "", fmt.Errorf("must be a string or a number, not %s", v)
}

// addQuery adds an argument to a query as Make's SDK sends it: a list as
// name[]=item for each item, an object as name[key]=value for each key,
// anything else as its text; null and absent values are left out.
func addQuery(q url.Values, name string, v json.RawMessage) {
	var val any
	d := json.NewDecoder(bytes.NewReader(v))
	d.UseNumber()
	if d.Decode(&val) != nil {
		return
	}
	switch x := val.(type) {
	case nil:
	case []any:
		for _, item := range x {
			if item != nil {
				q.Add(name+"[]", queryText(item))
			}
		}
	case map[string]any:
		for _, k := range sortedKeys(x) {
			if x[k] != nil {
				q.Add(name+"["+k+"]", queryText(x[k]))
			}
		}
	default:
		q.Add(name, queryText(x))
	}
}

func queryText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		return fmt.Sprint(x)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// result decodes Make's answer into the tool's result, or makes the
// result of an endpoint whose answer says nothing (see Result).
func (e endpoint) result(r makeapi.Request, args map[string]json.RawMessage, v json.RawMessage, out any) error {
	fixed := e.Result
	if fixed == "" && e.Kind == Delete && e.Answer == "" {
		fixed = `{"deleted": true}`
	}
	if fixed != "" {
		done := maps.Clone(args)
		_ = json.Unmarshal([]byte(fixed), &done) // checked when the row loaded

		v, _ = json.Marshal(done)
	}
	if string(bytes.TrimSpace(v)) == "null" {
		return fmt.Errorf("Make API %s %s: the answer holds no %q", r.Method, r.Path, e.Answer)
	}
	if err := json.Unmarshal(v, out); err != nil {
		return fmt.Errorf("Make API %s %s: unexpected answer: %v", r.Method, r.Path, err)
	}
	return nil
}

// confirm asks the user before a Delete, naming what is about to go.
func (e endpoint) confirm(ctx context.Context, c *Call, args map[string]json.RawMessage) error {
	if !e.Kind.asks() {
		return nil
	}
	return c.confirm(ctx, func() (string, error) {
		if e.Ask == "" {
			var ids []string
			for _, name := range pathParams(e.Path) {
				s, _ := scalarText(args[name])
				ids = append(ids, s)
			}
			return fmt.Sprintf("%s %s? This cannot be undone.", e.Title, strings.Join(ids, " ")), nil
		}
		path, _, _ := strings.Cut(e.Path, "?")
		path, answer := cmp.Or(e.AskPath, path), cmp.Or(e.AskAnswer, e.Answer)
		look := endpoint{Name: e.Name, Method: http.MethodGet, Path: path, Answer: answer, Kind: Read}
		r, err := look.request(onlyPath(args, path))
		if err != nil {
			return "", err
		}
		v, err := c.Client.Do(ctx, r)
		if err != nil {
			return "", err
		}
		var obj map[string]any
		d := json.NewDecoder(bytes.NewReader(v))
		d.UseNumber()
		if err := d.Decode(&obj); err != nil {
			return "", fmt.Errorf("Make API GET %s: unexpected answer: %v", r.Path, err)
		}
		var given map[string]any
		b, _ := json.Marshal(args)
		_ = json.Unmarshal(b, &given)
		obj["args"] = given
		var q strings.Builder
		if err := template.Must(template.New(e.Name).Parse(e.Ask)).Execute(&q, obj); err != nil {
			return "", err
		}
		return q.String(), nil
	})
}

// flatten moves the fields of an object argument up beside the others.
func flatten(name string) func(map[string]json.RawMessage) error {
	return func(args map[string]json.RawMessage) error {
		v, ok := args[name]
		if !ok {
			return nil
		}
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(v, &fields); err != nil {
			return fmt.Errorf("%s must be an object", name)
		}
		delete(args, name)
		for k, f := range fields {
			if _, taken := args[k]; !taken {
				args[k] = f
			}
		}
		return nil
	}
}

// onlyPath keeps the arguments a path template takes.
func onlyPath(args map[string]json.RawMessage, path string) map[string]json.RawMessage {
	out := map[string]json.RawMessage{}
	for _, name := range pathParams(path) {
		if v, ok := args[name]; ok {
			out[name] = v
		}
	}
	return out
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}

// int64Arg reads a numeric argument; 0 when it is not one.
func int64Arg(args map[string]json.RawMessage, name string) int64 {
	var n int64
	_ = json.Unmarshal(args[name], &n)
	return n
}

// pagingOf finds the Paging an arguments struct embeds; the zero Paging
// when it has none.
func pagingOf(in any) Paging {
	if p, ok := in.(interface{ paging() Paging }); ok {
		return p.paging()
	}
	return Paging{}
}
