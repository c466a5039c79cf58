package makeapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/url"
	"strconv"
	"time"
)

// Scenario is a Make scenario. Fields Make did not send are zero; ids that
// Make sends as null (no folder, no hook) are 0.
type Scenario struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	TeamID      int64  `json:"teamId"`
	Description string `json:"description"`
	FolderID    int64  `json:"folderId,omitempty"`
	// HookID is the webhook or mailhook that triggers the scenario.
	HookID     int64      `json:"hookId,omitempty"`
	IsActive   bool       `json:"isActive"`
	IsPaused   bool       `json:"isPaused"`
	IsInvalid  bool       `json:"isinvalid"`
	IsLinked   bool       `json:"islinked"`
	IsLocked   bool       `json:"islocked"`
	IsWaiting  bool       `json:"iswaiting"`
	Concept    bool       `json:"concept"`
	Scheduling Scheduling `json:"scheduling"`
	// UsedPackages are the apps the scenario's modules come from.
	UsedPackages []string `json:"usedPackages,omitempty"`
	// DLQCount is the number of incomplete executions.
	DLQCount int `json:"dlqCount"`
	// Operations and Transfer are what the scenario consumed this period.
	Operations    int64     `json:"operations"`
	Transfer      int64     `json:"transfer"`
	CreatedByUser *UserRef  `json:"createdByUser,omitempty"`
	UpdatedByUser *UserRef  `json:"updatedByUser,omitempty"`
	Created       time.Time `json:"created,omitzero"`
	LastEdit      time.Time `json:"lastEdit,omitzero"`
	NextExec      time.Time `json:"nextExec,omitzero"`
	// CustomProperties are the organization's custom fields, as raw JSON.
	CustomProperties json.RawMessage `json:"customProperties,omitempty"`
}

// OnDemand reports whether the scenario runs only when asked to: such
// scenarios, when active, are the ones that can be run as tools.
func (s *Scenario) OnDemand() bool { return s.Scheduling.Type == SchedulingOnDemand }

// UserRef names a user.
type UserRef struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

// Scheduling types.
const (
	SchedulingOnDemand     = "on-demand"
	SchedulingImmediately  = "immediately"
	SchedulingIndefinitely = "indefinitely"
	SchedulingOnce         = "once"
	SchedulingDaily        = "daily"
	SchedulingWeekly       = "weekly"
	SchedulingMonthly      = "monthly"
	SchedulingYearly       = "yearly"
)

// Scheduling says when a scenario runs.
type Scheduling struct {
	// Type is one of the Scheduling* constants.
	Type string `json:"type"`
	// Interval is the seconds between runs for "indefinitely".
	Interval int `json:"interval,omitempty"`
	// Date is the moment of a "once" run.
	Date string `json:"date,omitempty"`
	// Days are days of the week (0 is Sunday) for "weekly", or of the
	// month for "monthly" and "yearly".
	Days []int `json:"days,omitempty"`
	// Months are the months (1-12) for "yearly".
	Months []int `json:"months,omitempty"`
	// Time is the time of day, "HH:MM", for daily and longer schedules.
	Time string `json:"time,omitempty"`
	// Between bounds the schedule to a date range.
	Between  []string                `json:"between,omitempty"`
	Restrict []SchedulingRestriction `json:"restrict,omitempty"`
}

// SchedulingRestriction limits when a scheduled scenario may run.
type SchedulingRestriction struct {
	Days   []int    `json:"days,omitempty"`
	Months []int    `json:"months,omitempty"`
	Time   []string `json:"time,omitempty"`
}

// ScenarioQuery selects the scenarios to list: those of a team or of a
// whole organization (one of the two ids is required).
type ScenarioQuery struct {
	TeamID         int64
	OrganizationID int64
	// FolderID keeps the scenarios of one folder.
	FolderID int64
	// IsActive, when set, keeps active or inactive scenarios only.
	IsActive *bool
	// Cols selects columns; empty asks for all.
	Cols []string
}

// ListScenarios lists one page of scenarios: GET /scenarios, at the zone
// of the team or organization.
func (c *Client) ListScenarios(ctx context.Context, q ScenarioQuery, p Page) ([]Scenario, PageInfo, error) {
	r, err := teamOrOrg("list scenarios", q.TeamID, q.OrganizationID)
	if err != nil {
		return nil, PageInfo{}, err
	}
	v := url.Values{}
	setID(v, "teamId", q.TeamID)
	setID(v, "organizationId", q.OrganizationID)
	setID(v, "folderId", q.FolderID)
	if q.IsActive != nil {
		v.Set("isActive", strconv.FormatBool(*q.IsActive))
	}
	setCols(v, q.Cols)
	setPage(v, p)
	var out struct {
		Scenarios []Scenario `json:"scenarios"`
		Pg        PageInfo   `json:"pg"`
	}
	if err := c.do(ctx, &call{method: "GET", path: "/scenarios", query: v, route: r, out: &out}); err != nil {
		return nil, PageInfo{}, err
	}
	for _, s := range out.Scenarios {
		c.zones.learnOwner(scenarioKind, itoa(s.ID), s.TeamID)
	}
	return out.Scenarios, out.Pg, nil
}

// teamOrOrg routes a list that takes a team or an organization.
func teamOrOrg(what string, teamID, orgID int64) (route, error) {
	switch {
	case teamID != 0 && orgID != 0:
		return route{}, fmt.Errorf("makeapi: %s: give a team id or an organization id, not both", what)
	case teamID != 0:
		return byTeam(teamID), nil
	case orgID != 0:
		return byOrg(orgID), nil
	}
	return route{}, fmt.Errorf("makeapi: %s: a team id or an organization id is required", what)
}

// AllScenarios iterates over all scenarios that match q.
func (c *Client) AllScenarios(ctx context.Context, q ScenarioQuery) iter.Seq2[Scenario, error] {
	return all(ctx, func(ctx context.Context, p Page) ([]Scenario, PageInfo, error) { return c.ListScenarios(ctx, q, p) })
}

// GetScenario returns a scenario: GET /scenarios/{id}?cols[]=*.
func (c *Client) GetScenario(ctx context.Context, id int64) (*Scenario, error) {
	var out struct {
		Scenario Scenario `json:"scenario"`
	}
	if err := c.do(ctx, &call{method: "GET", path: idPath("/scenarios", id, ""), rawQuery: colsAll, route: byScenario(id), out: &out}); err != nil {
		return nil, err
	}
	c.zones.learnOwner(scenarioKind, itoa(out.Scenario.ID), out.Scenario.TeamID)
	return &out.Scenario, nil
}

// ScenarioCreate is a new scenario.
type ScenarioCreate struct {
	TeamID   int64
	FolderID int64
	// Blueprint is the scenario's blueprint, a JSON object with name, flow
	// and metadata (a JSON string holding one is accepted too). Like
	// Make's SDK, the client moves a "scheduling" key out of it into
	// Scheduling, and an "interface" (or legacy "io") key into the
	// interface Make stores beside the blueprint.
	Blueprint json.RawMessage
	// Scheduling is required unless the blueprint carries it. It wins over
	// the blueprint's.
	Scheduling *Scheduling
	// Interface, when set, wins over one in the blueprint.
	Interface *Interface
	// BasedOn names a template to start from.
	BasedOn string
	// Confirmed installs apps the blueprint uses that the organization
	// does not have yet.
	Confirmed bool
}

// ScenarioUpdate changes a scenario; zero fields are left unchanged.
type ScenarioUpdate struct {
	Name        string
	Description *string
	FolderID    int64
	Scheduling  *Scheduling
	// Blueprint replaces the whole blueprint; see ScenarioCreate.Blueprint.
	Blueprint json.RawMessage
	// Interface is sent with a Blueprint; to change the interface alone
	// use SetScenarioInterface.
	Interface *Interface
	Confirmed bool
}

// scenarioBody is what POST and PATCH /scenarios take: blueprint and
// scheduling as JSON strings, as Make requires, and the interface as
// metadata {input_spec, output_spec} (the SDK's normalizePayload).
type scenarioBody struct {
	TeamID      int64             `json:"teamId,omitempty"`
	FolderID    int64             `json:"folderId,omitempty"`
	Name        string            `json:"name,omitempty"`
	Description *string           `json:"description,omitempty"`
	Blueprint   string            `json:"blueprint,omitempty"`
	Scheduling  string            `json:"scheduling,omitempty"`
	BasedOn     string            `json:"basedon,omitempty"`
	Metadata    *scenarioMetadata `json:"metadata,omitempty"`
}

type scenarioMetadata struct {
	InputSpec  FieldList `json:"input_spec"`
	OutputSpec FieldList `json:"output_spec"`
}

// CreateScenario creates a scenario: POST /scenarios?cols[]=*. New
// scenarios are inactive.
func (c *Client) CreateScenario(ctx context.Context, s ScenarioCreate) (*Scenario, error) {
	if s.TeamID == 0 {
		return nil, errors.New("makeapi: create scenario: a team id is required")
	}
	if len(bytes.TrimSpace(s.Blueprint)) == 0 {
		return nil, errors.New("makeapi: create scenario: a blueprint is required")
	}
	body := scenarioBody{TeamID: s.TeamID, FolderID: s.FolderID, BasedOn: s.BasedOn}
	if err := body.setBlueprint(s.Blueprint, s.Scheduling, s.Interface); err != nil {
		return nil, fmt.Errorf("makeapi: create scenario: %w", err)
	}
	if body.Scheduling == "" {
		return nil, errors.New("makeapi: create scenario: a scheduling is required (in Scheduling or in the blueprint)")
	}
	q := url.Values{"cols[]": allCols}
	if s.Confirmed {
		q.Set("confirmed", "true")
	}
	var out struct {
		Scenario Scenario `json:"scenario"`
	}
	err := c.do(ctx, &call{method: "POST", path: "/scenarios", query: q, body: body,
		route: byTeam(s.TeamID), retry: retryRateLimited, out: &out})
	if err != nil {
		return nil, err
	}
	c.zones.learnOwner(scenarioKind, itoa(out.Scenario.ID), out.Scenario.TeamID)
	return &out.Scenario, nil
}

// UpdateScenario changes a scenario: PATCH /scenarios/{id}?cols[]=*.
// Setting fields is repeatable, so it is retried like a read.
func (c *Client) UpdateScenario(ctx context.Context, id int64, u ScenarioUpdate) (*Scenario, error) {
	body := scenarioBody{Name: u.Name, Description: u.Description, FolderID: u.FolderID}
	if len(bytes.TrimSpace(u.Blueprint)) > 0 {
		if err := body.setBlueprint(u.Blueprint, u.Scheduling, u.Interface); err != nil {
			return nil, fmt.Errorf("makeapi: update scenario %d: %w", id, err)
		}
	} else {
		// Unlike Make's SDK, which sends empty input/output specs with
		// every update, send the interface only with a blueprint: an
		// update of the name must not wipe the scenario's interface.
		if u.Interface != nil {
			return nil, fmt.Errorf("makeapi: update scenario %d: an interface goes with a blueprint; use SetScenarioInterface to change it alone", id)
		}
		if u.Scheduling != nil {
			b, err := json.Marshal(u.Scheduling)
			if err != nil {
				return nil, err
			}
			body.Scheduling = string(b)
		}
	}
	q := url.Values{"cols[]": allCols}
	if u.Confirmed {
		q.Set("confirmed", "true")
	}
	var out struct {
		Scenario Scenario `json:"scenario"`
	}
	if err := c.do(ctx, &call{method: "PATCH", path: idPath("/scenarios", id, ""), query: q, body: body,
		route: byScenario(id), out: &out}); err != nil {
		return nil, err
	}
	c.zones.learnOwner(scenarioKind, itoa(out.Scenario.ID), out.Scenario.TeamID)
	return &out.Scenario, nil
}

// setBlueprint fills blueprint, scheduling and metadata the way Make's
// SDK does (normalizePayload): the blueprint's own "scheduling",
// "interface" and "io" keys are taken out of it, and metadata is always
// sent with a blueprint, with empty specs when there is no interface.
func (b *scenarioBody) setBlueprint(raw json.RawMessage, sched *Scheduling, iface *Interface) error {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return fmt.Errorf("blueprint: %w", err)
		}
		raw = bytes.TrimSpace([]byte(s))
	}
	var bp map[string]json.RawMessage
	if err := json.Unmarshal(raw, &bp); err != nil || bp == nil {
		return errors.New("the blueprint is not a JSON object")
	}
	meta := &scenarioMetadata{InputSpec: []Field{}, OutputSpec: []Field{}}
	changed := false
	if v, ok := bp["scheduling"]; ok {
		if sched == nil && !isNull(v) {
			sched = new(Scheduling)
			if err := json.Unmarshal(v, sched); err != nil {
				return fmt.Errorf("blueprint scheduling: %w", err)
			}
		}
		delete(bp, "scheduling")
		changed = true
	}
	if v, ok := bp["interface"]; ok {
		var in Interface
		if !isNull(v) {
			if err := json.Unmarshal(v, &in); err != nil {
				return fmt.Errorf("blueprint interface: %w", err)
			}
		}
		meta.set(in.Input, in.Output)
		delete(bp, "interface")
		changed = true
	}
	if v, ok := bp["io"]; ok {
		var io scenarioMetadata
		if !isNull(v) {
			if err := json.Unmarshal(v, &io); err != nil {
				return fmt.Errorf("blueprint io: %w", err)
			}
		}
		meta.set(io.InputSpec, io.OutputSpec)
		delete(bp, "io")
		changed = true
	}
	if iface != nil {
		meta.set(iface.Input, iface.Output)
	}
	var buf bytes.Buffer
	if changed {
		enc, err := json.Marshal(bp)
		if err != nil {
			return err
		}
		buf.Write(enc)
	} else if err := json.Compact(&buf, raw); err != nil {
		return fmt.Errorf("blueprint: %w", err)
	}
	b.Blueprint = buf.String()
	b.Metadata = meta
	if sched != nil {
		s, err := json.Marshal(sched)
		if err != nil {
			return err
		}
		b.Scheduling = string(s)
	}
	return nil
}

func (m *scenarioMetadata) set(in, out []Field) {
	if in != nil {
		m.InputSpec = in
	}
	if out != nil {
		m.OutputSpec = out
	}
}

func isNull(b json.RawMessage) bool { return bytes.Equal(bytes.TrimSpace(b), []byte("null")) }

// ActivateScenario activates a scenario: POST /scenarios/{id}/start. It
// reports whether the scenario is active afterwards. Make answers an error
// ("Scenario is already running") when it was active already.
func (c *Client) ActivateScenario(ctx context.Context, id int64) (bool, error) {
	return c.setActive(ctx, id, "/start")
}

// DeactivateScenario deactivates a scenario: POST /scenarios/{id}/stop. It
// reports whether the scenario is still active afterwards.
func (c *Client) DeactivateScenario(ctx context.Context, id int64) (bool, error) {
	return c.setActive(ctx, id, "/stop")
}

// setActive starts or stops a scenario. Both set a state, so both are
// retried like reads.
func (c *Client) setActive(ctx context.Context, id int64, action string) (bool, error) {
	var out struct {
		Scenario struct {
			IsActive bool `json:"isActive"`
		} `json:"scenario"`
	}
	err := c.do(ctx, &call{method: "POST", path: idPath("/scenarios", id, action), route: byScenario(id), out: &out})
	return out.Scenario.IsActive, err
}

// ScenarioInterface returns a scenario's inputs and outputs:
// GET /scenarios/{id}/interface. Missing lists come back empty.
func (c *Client) ScenarioInterface(ctx context.Context, id int64) (*Interface, error) {
	var out struct {
		Interface Interface `json:"interface"`
	}
	if err := c.do(ctx, &call{method: "GET", path: idPath("/scenarios", id, "/interface"), route: byScenario(id), out: &out}); err != nil {
		return nil, err
	}
	out.Interface.fill()
	return &out.Interface, nil
}

// SetScenarioInterface replaces a scenario's interface:
// PATCH /scenarios/{id}/interface with body {interface: {input, output}}.
func (c *Client) SetScenarioInterface(ctx context.Context, id int64, in Interface) (*Interface, error) {
	in.fill()
	body := struct {
		Interface Interface `json:"interface"`
	}{in}
	var out struct {
		Interface Interface `json:"interface"`
	}
	if err := c.do(ctx, &call{method: "PATCH", path: idPath("/scenarios", id, "/interface"), body: body,
		route: byScenario(id), out: &out}); err != nil {
		return nil, err
	}
	out.Interface.fill()
	return &out.Interface, nil
}

// fill turns missing (null) lists into empty ones, as Make's SDK does.
func (in *Interface) fill() {
	if in.Input == nil {
		in.Input = []Field{}
	}
	if in.Output == nil {
		in.Output = []Field{}
	}
}
