package makefake

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Scenario runs, execution logs and incomplete executions.

// pendingRun is a responsive run whose answer waits for its end.
type pendingRun struct {
	exec *execution
}

func newExecutionID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// runScenario starts a run. Like Make, it needs the scenario active and
// not already running, and its required inputs present.
func (s *Server) runScenario(c *call) (any, *apiError) {
	sc, id, err := c.owned(c.w.scenarios, "Scenario")
	if err != nil {
		return nil, err
	}
	var b struct {
		Data        any    `json:"data"`
		Responsive  bool   `json:"responsive"`
		CallbackURL string `json:"callbackUrl"`
	}
	if len(c.body) > 0 {
		if err := c.decode(&b); err != nil {
			return nil, err
		}
	}
	data, ok := b.Data.(map[string]any)
	if b.Data != nil && !ok {
		return nil, errBadRequest("Validation failed.", "Parameter 'data' must be an object.")
	}
	if !truthy(sc["isActive"]) {
		return nil, errBadRequest("Scenario is not activated.")
	}
	t := now()
	for _, e := range c.w.executions {
		if e.scenarioID == id && e.running(t) {
			return nil, errBadRequest("Scenario is already being executed.")
		}
	}
	in := c.w.scenarioInterface(id)
	if problems := checkInputs(in["input"], data); len(problems) > 0 {
		return nil, errBadRequest("Invalid scenario inputs.", problems...)
	}
	data = withDefaults(in["input"], data)
	d, ok := c.w.runDuration[id]
	if !ok {
		d = s.opts.RunDuration
	}
	e := &execution{id: newExecutionID(), scenarioID: id, started: t, done: t.Add(d), status: 1}
	modules := int64(0)
	if bp := c.w.blueprints[id]; bp != nil {
		e.outputs = runOutputs(bp["blueprint"], data)
		if b, ok := bp["blueprint"].(map[string]any); ok {
			walkModules(b["flow"], func(obj) { modules++ })
		}
	}
	c.w.executions[e.id] = e
	sc["operations"] = jsonNumber(num(sc["operations"]) + max(modules, 1))
	if !b.Responsive {
		return obj{"executionId": e.id}, nil
	}
	return &pendingRun{exec: e}, nil
}

// finishRun answers a responsive run: with its result when it ends within
// Make's limit, else with a timeout naming the execution, which goes on.
func (s *Server) finishRun(w http.ResponseWriter, r *http.Request, p *pendingRun) {
	if wait := p.exec.done.Sub(now()); wait > 0 {
		t := time.NewTimer(min(wait, ResponsiveLimit))
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e := p.exec
	if e.running(now()) {
		writeError(w, &apiError{status: http.StatusGatewayTimeout,
			Detail:  fmt.Sprintf("Scenario execution did not finish within %d seconds. It continues in the background.", int(ResponsiveLimit/time.Second)),
			Message: "Gateway Timeout", Code: "SC504", ExecutionID: e.id})
		return
	}
	out := obj{"executionId": e.id, "status": e.status}
	if e.outputs != nil {
		out["outputs"] = e.outputs
	}
	writeJSON(w, http.StatusOK, out)
}

// withDefaults adds the interface's default values for inputs the run
// leaves out.
func withDefaults(spec any, data map[string]any) map[string]any {
	out := obj{}
	merge(out, data)
	fields, _ := spec.([]any)
	for _, f := range fields {
		field, _ := f.(map[string]any)
		name := str(field["name"])
		if _, ok := out[name]; !ok && field["default"] != nil {
			out[name] = field["default"]
		}
	}
	return out
}

// checkInputs lists what is wrong with a run's inputs: missing required
// fields, values of the wrong type, select values not among the options.
func checkInputs(spec any, data map[string]any) []string {
	fields, _ := spec.([]any)
	var problems []string
	for _, f := range fields {
		field, ok := f.(map[string]any)
		if !ok {
			continue
		}
		name := str(field["name"])
		v, present := data[name]
		if !present || v == nil {
			if truthy(field["required"]) {
				problems = append(problems, "Missing value of required parameter '"+name+"'.")
			}
			continue
		}
		if p := checkValue(field, v); p != "" {
			problems = append(problems, "Parameter '"+name+"' "+p+".")
		}
	}
	return problems
}

func checkValue(field map[string]any, v any) string {
	switch str(field["type"]) {
	case "text", "date", "json":
		if _, ok := v.(string); !ok {
			return "must be a string"
		}
	case "number":
		if !isNumber(v) {
			return "must be a number"
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			return "must be a boolean"
		}
	case "select":
		opts, _ := field["options"].([]any)
		for _, o := range opts {
			if om, ok := o.(map[string]any); ok && fmt.Sprint(om["value"]) == fmt.Sprint(v) {
				return ""
			}
		}
		return "must be one of the options"
	case "array":
		if _, ok := v.([]any); !ok {
			return "must be an array"
		}
	case "collection":
		if _, ok := v.(map[string]any); !ok {
			return "must be an object"
		}
	}
	return ""
}

// inputRef matches Make's reference to a scenario input in a mapping.
var inputRef = regexp.MustCompile(`\{\{\s*var\.input\.([A-Za-z0-9_.]+)\s*\}\}`)

// runOutputs computes a run's outputs the way Make's "Return output"
// module (scenario-service:ReturnData) does: its mapper, with references
// to the inputs ({{var.input.name}}) filled in. Nil when the blueprint
// returns nothing.
func runOutputs(blueprint any, data map[string]any) any {
	bp, _ := blueprint.(map[string]any)
	var out obj
	walkModules(bp["flow"], func(m obj) {
		if str(m["module"]) != "scenario-service:ReturnData" {
			return
		}
		mapper, _ := m["mapper"].(map[string]any)
		if out == nil {
			out = obj{}
		}
		for k, v := range mapper {
			out[k] = fillInputs(v, data)
		}
	})
	if out == nil {
		return nil
	}
	return out
}

// fillInputs replaces input references in a mapped value. A value that is
// one reference takes the input's own type.
func fillInputs(v any, data map[string]any) any {
	switch x := v.(type) {
	case string:
		if m := inputRef.FindStringSubmatch(x); m != nil && m[0] == strings.TrimSpace(x) {
			return lookup(data, m[1])
		}
		return inputRef.ReplaceAllStringFunc(x, func(ref string) string {
			val := lookup(data, inputRef.FindStringSubmatch(ref)[1])
			if val == nil {
				return ""
			}
			return fmt.Sprint(val)
		})
	case map[string]any:
		out := obj{}
		for k, e := range x {
			out[k] = fillInputs(e, data)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = fillInputs(e, data)
		}
		return out
	}
	return v
}

// lookup follows a dotted path into the inputs.
func lookup(data map[string]any, path string) any {
	var cur any = data
	for part := range strings.SplitSeq(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[part]
	}
	return cur
}

// logEntry is an execution as the scenario's log shows it; a run still
// going has status 0.
func (c *call) logEntry(e *execution) obj {
	if e.log != nil {
		return e.log
	}
	sc := c.w.scenarios.get(e.scenarioID)
	teamID := num(sc["teamId"])
	status, dur := e.status, e.done.Sub(e.started)
	if t := now(); e.running(t) {
		status, dur = 0, t.Sub(e.started)
	}
	return obj{
		"imtId":          fmt.Sprintf("%d_scenario.%d.manual.%s", e.started.UnixMilli(), e.scenarioID, e.id),
		"duration":       dur.Milliseconds(),
		"operations":     1,
		"centicredits":   100,
		"transfer":       0,
		"organizationId": c.w.orgOfTeam(teamID),
		"teamId":         teamID,
		"id":             e.id,
		"type":           "manual",
		"authorId":       c.w.user["id"],
		"instant":        true,
		"timestamp":      stamp(e.started),
		"status":         status,
	}
}

func (s *Server) listLogs(c *call) (any, *apiError) {
	_, id, err := c.owned(c.w.scenarios, "Scenario")
	if err != nil {
		return nil, err
	}
	q := c.r.URL.Query()
	var status, from, to int64
	for name, dst := range map[string]*int64{"status": &status, "from": &from, "to": &to} {
		if v := q.Get(name); v != "" {
			n, perr := strconv.ParseInt(v, 10, 64)
			if perr != nil {
				return nil, errBadRequest("Validation failed.", "Parameter '"+name+"' must be an integer.")
			}
			*dst = n
		}
	}
	var logs []obj
	for _, e := range c.w.executions {
		if e.scenarioID != id {
			continue
		}
		l := c.logEntry(e)
		ts := stampMillis(str(l["timestamp"]))
		if status != 0 && num(l["status"]) != status || from != 0 && ts < from || to != 0 && ts > to {
			continue
		}
		logs = append(logs, l)
	}
	slices.SortFunc(logs, func(a, b obj) int { return compare(b["imtId"], a["imtId"]) })
	items, pg, err := c.page(logs, "imtId", "desc", 50)
	if err != nil {
		return nil, err
	}
	if items == nil {
		items = []obj{}
	}
	return obj{"scenarioLogs": items, "pg": pg}, nil
}

// stampMillis reads a Make timestamp as Unix milliseconds.
func stampMillis(s string) int64 {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return 0
	}
	return t.UnixMilli()
}

// execution finds a scenario's execution by the path's execution id.
func (c *call) execution() (*execution, *apiError) {
	_, id, err := c.owned(c.w.scenarios, "Scenario")
	if err != nil {
		return nil, err
	}
	e := c.w.executions[c.r.PathValue("execution")]
	if e == nil || e.scenarioID != id {
		return nil, errNotFound("Execution")
	}
	return e, nil
}

func (s *Server) getLog(c *call) (any, *apiError) {
	e, err := c.execution()
	if err != nil {
		return nil, err
	}
	return obj{"scenarioLog": c.logEntry(e)}, nil
}

// getExecution answers the state of an execution: RUNNING until it ends,
// then its result.
func (s *Server) getExecution(c *call) (any, *apiError) {
	e, err := c.execution()
	if err != nil {
		return nil, err
	}
	if e.running(now()) {
		return obj{"status": "RUNNING"}, nil
	}
	out := obj{}
	switch num(c.logEntry(e)["status"]) {
	case 2:
		out["status"] = "WARNING"
	case 3:
		out["status"] = "ERROR"
		out["error"] = obj{"name": "RuntimeError", "message": "An error occurred while executing the scenario."}
	default:
		out["status"] = "SUCCESS"
	}
	if e.outputs != nil {
		out["outputs"] = e.outputs
	}
	return out, nil
}

// dlqScenario checks that an incomplete execution's scenario is in this
// zone.
func (c *call) dlq() (obj, *apiError) {
	id := c.r.PathValue("id")
	d := c.w.dlqs[id]
	if d == nil {
		return nil, errNotFound("Incomplete execution")
	}
	sc := c.w.scenarios.get(c.w.dlqScen[id])
	if sc != nil && c.w.zoneOfTeam(num(sc["teamId"])) != c.zone {
		return nil, errNotFound("Incomplete execution")
	}
	return d, nil
}

func (s *Server) listDLQs(c *call) (any, *apiError) {
	scID, err := c.queryID("scenarioId")
	if err != nil {
		return nil, err
	}
	if scID == 0 {
		return nil, errBadRequest("Validation failed.", "Missing value of required parameter 'scenarioId'.")
	}
	sc := c.w.scenarios.get(scID)
	if sc == nil || c.w.zoneOfTeam(num(sc["teamId"])) != c.zone {
		return nil, errNotFound("Scenario")
	}
	out := []obj{}
	for _, id := range c.w.dlqOrder {
		if c.w.dlqScen[id] == scID {
			out = append(out, c.w.dlqs[id])
		}
	}
	return obj{"dlqs": out}, nil
}

func (s *Server) getDLQ(c *call) (any, *apiError) {
	d, err := c.dlq()
	if err != nil {
		return nil, err
	}
	return obj{"dlq": d}, nil
}

func (s *Server) retryDLQ(c *call) (any, *apiError) {
	d, err := c.dlq()
	if err != nil {
		return nil, err
	}
	if truthy(d["resolved"]) {
		return nil, errBadRequest("Incomplete execution is already resolved.")
	}
	d["retry"] = true
	d["attempts"] = jsonNumber(num(d["attempts"]) + 1)
	return obj{}, nil
}
