package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/makemcp/makemcp/makeapi"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// Resources let a model (or its host) read objects too large for a tool
// result, whole, without a tool call.
const (
	blueprintTemplate = "make://scenarios/{scenarioId}/blueprint"
	executionTemplate = "make://scenarios/{scenarioId}/executions/{executionId}"
)

// BlueprintURI is the resource holding a scenario's whole blueprint.
func BlueprintURI(scenarioID int64) string {
	return fmt.Sprintf("make://scenarios/%d/blueprint", scenarioID)
}

// ExecutionURI is the resource holding an execution's whole detail.
func ExecutionURI(scenarioID int64, executionID string) string {
	return fmt.Sprintf("make://scenarios/%d/executions/%s", scenarioID, url.PathEscape(executionID))
}

func addResources(s *mcp.Server, d *Deps) {
	s.AddResourceTemplate(&mcp.ResourceTemplate{
		Name:        "scenario-blueprint",
		Title:       "Scenario blueprint",
		URITemplate: blueprintTemplate,
		Description: "A scenario's whole blueprint (its modules, their settings and how they connect), as JSON. scenarios_get cuts large blueprints; read them here.",
		MIMEType:    "application/json",
	}, func(ctx context.Context, req *mcp.ReadResourceRequest) (*mcp.ReadResourceResult, error) {
		parts, err := parseResource(req.Params.URI, "scenarios", "blueprint")
		if err != nil {
			return nil, err
		}
		id, err := strconv.ParseInt(parts[0], 10, 64)
		if err != nil {
			return nil, mcp.ResourceNotFoundError(req.Params.URI)
		}
		b, err := d.Client.ScenarioBlueprint(ctx, id)
		if err != nil {
			return nil, d.resourceError(req.Params.URI, err)
		}
		return jsonResource(req.Params.URI, b.Blueprint)
	})
	s.AddResourceTemplate(&mcp.ResourceTemplate{
		Name:        "execution-detail",
		Title:       "Execution detail",
		URITemplate: executionTemplate,
		Description: "An execution's status, error and whole outputs, as JSON. executions_get-detail cuts large outputs; read them here.",
		MIMEType:    "application/json",
	}, func(ctx context.Context, req *mcp.ReadResourceRequest) (*mcp.ReadResourceResult, error) {
		parts, err := parseResource(req.Params.URI, "scenarios", "executions", "")
		if err != nil {
			return nil, err
		}
		id, err := strconv.ParseInt(parts[0], 10, 64)
		if err != nil {
			return nil, mcp.ResourceNotFoundError(req.Params.URI)
		}
		det, err := d.Client.ExecutionDetail(ctx, id, parts[1])
		if err != nil {
			return nil, d.resourceError(req.Params.URI, err)
		}
		b, err := json.Marshal(det)
		if err != nil {
			return nil, err
		}
		return jsonResource(req.Params.URI, b)
	})
}

// resourceError is the answer to a failed read: "not found" when Make
// has no such scenario or execution, else the error as a tool would say
// it.
func (d *Deps) resourceError(uri string, err error) error {
	if makeapi.IsNotFound(err) {
		return mcp.ResourceNotFoundError(uri)
	}
	return d.toolError("scenarios:read", err)
}

// parseResource splits make://<collection>/{id}/<rest...> and returns the
// variable parts: the id, and for an empty element of rest, the value
// there.
func parseResource(uri, collection string, rest ...string) ([]string, error) {
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "make" || u.Host != collection {
		return nil, mcp.ResourceNotFoundError(uri)
	}
	segs := strings.Split(strings.TrimPrefix(u.EscapedPath(), "/"), "/")
	if len(segs) != 1+len(rest) || segs[0] == "" {
		return nil, mcp.ResourceNotFoundError(uri)
	}
	vars := []string{segs[0]}
	for i, want := range rest {
		seg, err := url.PathUnescape(segs[i+1])
		if err != nil {
			return nil, mcp.ResourceNotFoundError(uri)
		}
		switch {
		case want == "" && seg != "":
			vars = append(vars, seg)
		case want == "", want != seg: // an empty variable, or the wrong word
			return nil, mcp.ResourceNotFoundError(uri)
		}
	}
	return vars, nil
}

func jsonResource(uri string, b []byte) (*mcp.ReadResourceResult, error) {
	return &mcp.ReadResourceResult{Contents: []*mcp.ResourceContents{{
		URI: uri, MIMEType: "application/json", Text: string(b),
	}}}, nil
}
