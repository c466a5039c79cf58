package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// toolList is a tools/list result as the server wrote it.
type toolList struct {
	bytes int
	tools []json.RawMessage
	names []string
}

// largest returns the name and size of the largest tool.
func (l toolList) largest() (string, int) {
	name, size := "", 0
	for i, t := range l.tools {
		if len(t) > size {
			name, size = l.names[i], len(t)
		}
	}
	return name, size
}

// schemaBytes adds up the tools' input and output schemas.
func (l toolList) schemaBytes() (in, out int) {
	for _, t := range l.tools {
		var parts struct{ InputSchema, OutputSchema json.RawMessage }
		if json.Unmarshal(t, &parts) == nil {
			in += len(parts.InputSchema)
			out += len(parts.OutputSchema)
		}
	}
	return in, out
}

// describe reads "43.9 KB (43889 B), 22 tools: input schemas 13.2 KB,
// output schemas 21.5 KB".
func (l toolList) describe(what string) string {
	in, out := l.schemaBytes()
	return fmt.Sprintf("%s, %d %s: input schemas %.1f KB, output schemas %.1f KB", kb(l.bytes), len(l.tools), what, float64(in)/1000, float64(out)/1000)
}

// scenarioToolBytes is the mean size of the run_scenario_<id> tools.
func (l toolList) scenarioToolBytes() int {
	n, sum := 0, 0
	for i, t := range l.tools {
		if strings.HasPrefix(l.names[i], "run_scenario_") {
			n++
			sum += len(t)
		}
	}
	if n == 0 {
		return 0
	}
	return sum / n
}

// contextCost measures what the tool lists cost a model's context: the
// bytes of the tools/list result each server writes (the tool
// definitions a host hands to the model), and of the largest tool.
func contextCost(ctx context.Context, b *bench, _ config) ([]row, error) {
	f, err := startFake(b, benchScenarios, 0)
	if err != nil {
		return nil, err
	}
	defer f.close()
	def, err := listOnce(ctx, b.makemcpServer(), f)
	if err != nil {
		return nil, err
	}
	all, err := listOnce(ctx, b.makemcpServer("--toolsets", "all"), f)
	if err != nil {
		return nil, err
	}
	withScenarios, err := listOnce(ctx, b.makemcpServer(withScenarioTools...), f)
	if err != nil {
		return nil, err
	}
	off, err := listOnce(ctx, b.officialServer(), f)
	if err != nil {
		return nil, err
	}
	bigName, big := all.largest()
	offName, offBig := off.largest()
	return []row{
		{
			measure:  "context: default tools/list",
			makemcp:  def.describe("tools"),
			official: off.describe("scenario tools (all it has)"),
			target:   "makemcp < 24 KB",
			ok:       verdict(def.bytes < 24000),
		},
		{
			measure: "context: `--toolsets all` tools/list",
			makemcp: all.describe("tools"),
		},
		{
			measure: "context: `--toolsets all`, mean per tool",
			makemcp: kb(all.bytes / max(len(all.tools), 1)),
			target:  "< 1 KB",
			ok:      verdict(all.bytes < 1000*len(all.tools)),
		},
		{
			measure:  "context: largest single tool",
			makemcp:  fmt.Sprintf("%s: %s", bigName, kb(big)),
			official: fmt.Sprintf("%s: %s", offName, kb(offBig)),
		},
		{
			measure:  fmt.Sprintf("context: one scenario tool (mean of %d)", benchScenarios),
			makemcp:  kb(withScenarios.scenarioToolBytes()),
			official: kb(off.scenarioToolBytes()),
		},
	}, nil
}

// listOnce starts a server and returns its tools/list result as written.
func listOnce(ctx context.Context, s server, f *fakeMake) (toolList, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	sess, err := open(ctx, s, f)
	if err != nil {
		return toolList{}, err
	}
	defer sess.close()
	res, err := sess.ListTools(ctx, nil)
	if err != nil {
		return toolList{}, sess.failed(s.name+": tools/list", err)
	}
	raw := sess.lastResult()
	var l struct {
		Tools      []json.RawMessage `json:"tools"`
		NextCursor string            `json:"nextCursor"`
	}
	if err := json.Unmarshal(raw, &l); err != nil {
		return toolList{}, fmt.Errorf("%s: tools/list result: %v", s.name, err)
	}
	if l.NextCursor != "" || len(l.Tools) != len(res.Tools) {
		return toolList{}, fmt.Errorf("%s: tools/list came in pages or the recorded result is another: measure it by hand", s.name)
	}
	out := toolList{bytes: len(raw), tools: l.Tools}
	for _, t := range res.Tools {
		out.names = append(out.names, t.Name)
	}
	return out, nil
}
