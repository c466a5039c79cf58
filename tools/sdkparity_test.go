package tools_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/makemcp/makemcp/internal/testenv"
	"github.com/makemcp/makemcp/makeapi/makefake"
	"github.com/makemcp/makemcp/tools"
)

// sdkTool is one tool of Make's own catalogue (@makehq/sdk) as
// test/sdk-requests.mjs reports it: its scope and annotations, and for
// each documented example the requests the SDK sends.
type sdkTool struct {
	Name        string `json:"name"`
	Scope       string `json:"scope"`
	Annotations struct {
		ReadOnly bool `json:"readOnlyHint"`
	} `json:"annotations"`
	Examples []struct {
		Args     json.RawMessage `json:"args"`
		Requests []sdkRequest    `json:"requests"`
		Error    string          `json:"error"`
	} `json:"examples"`
}

type sdkRequest struct {
	Method      string  `json:"method"`
	Path        string  `json:"path"`
	Query       string  `json:"query"`
	Body        *string `json:"body"`
	ContentType string  `json:"contentType"`
	Accept      string  `json:"accept"`
}

// sdkVersion is the version of Make's SDK whose catalogue makemcp covers.
const sdkVersion = "1.6.10"

var sdk struct {
	once  sync.Once
	tools []sdkTool
	err   error
}

// sdkCatalogue runs Make's SDK (installed under test/node_modules) on its
// own examples. The script and the SDK's package.json are read here, so
// that Go's test cache notices when either changes.
func sdkCatalogue(t *testing.T) []sdkTool {
	t.Helper()
	modules := testenv.NodeModules(t)
	manifest, err := os.ReadFile(filepath.Join(modules, "@makehq", "sdk", "package.json"))
	if err != nil {
		testenv.Missing(t, "@makehq/sdk", "run `npm ci --prefix test`")
	}
	var pkg struct{ Version string }
	if json.Unmarshal(manifest, &pkg) != nil || pkg.Version != sdkVersion {
		t.Fatalf("test/node_modules holds @makehq/sdk %q, want %s: run `npm ci --prefix test`", pkg.Version, sdkVersion)
	}
	script, err := os.ReadFile(filepath.Join(testenv.RepoRoot(), "test", "sdk-requests.mjs"))
	if err != nil {
		t.Fatal(err)
	}
	sdk.once.Do(func() {
		cmd := exec.Command("node", "--input-type=module", "-")
		cmd.Dir = filepath.Dir(modules)
		cmd.Stdin = bytes.NewReader(script)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			sdk.err = fmt.Errorf("node test/sdk-requests.mjs: %v: %s", err, stderr.Bytes())
			return
		}
		sdk.err = json.Unmarshal(out, &sdk.tools)
	})
	if sdk.err != nil {
		t.Fatal(sdk.err)
	}
	return sdk.tools
}

// deviation is where makemcp's request for a tool differs from the
// SDK's on purpose; docs/tools.md says why to users.
type deviation struct {
	// query lists query keys whose values may differ or be added.
	query []string
	// body allows a different body.
	body bool
}

// paged lists add pg[limit] and pg[offset]: makemcp returns lists a page
// at a time, asking Make for one item more than it shows, so that
// hasMore is exact.
var paged = deviation{query: []string{"pg[limit]", "pg[offset]"}}

var deviations = map[string]deviation{
	// organizations_list asks for the columns it shows and reads every
	// page, learning each organization's zone on the way.
	"organizations_list":      {query: []string{"cols[]", "pg[limit]", "pg[offset]"}},
	"scenarios_list":          {query: []string{"pg[limit]", "pg[offset]", "cols[]"}}, // summary columns only
	"connections_list":        {query: []string{"cols[]"}},                            // summary columns only
	"data-structures_list":    {query: []string{"pg[limit]", "pg[offset]", "cols[]"}}, // summary columns only
	"data-stores_list":        paged,
	"hooks_list":              paged,
	"teams_list":              paged,
	"executions_list":         paged,
	"data-store-records_list": paged,
	// Make's SDK takes a limit but sends no paging: only Make's first
	// page of runs.
	"executions_list-for-incomp-exec": paged,
	// Make's SDK sends an empty interface with every blueprint, which
	// wipes the scenario's inputs and outputs; makemcp sends the current
	// one instead (see docs/tools.md).
	"scenarios_create": {body: true},
	"scenarios_update": {body: true},

	// Make pages these lists too; the SDK's examples ask for the first
	// page only.
	"private-spaces_list":                  paged,
	"custom-property-structure-items_list": paged,
}

// For every tool of Make's catalogue, makemcp has a tool of that name,
// with Make's scope, read-only where Make's is, which sends the requests
// Make's SDK sends for each of the SDK's documented examples: method,
// path, query, body and media types. Where makemcp differs on purpose
// (deviations), only the differences named there are allowed; any request
// of makemcp's own beyond the SDK's (reading a name for a question, the
// blueprint beside a scenario) must be a read.
func TestRequestsMatchMakesSDK(t *testing.T) {
	catalogue := sdkCatalogue(t)
	ours := map[string]tools.Tool{}
	for _, tool := range tools.All() {
		ours[tool.Def.Name] = tool
	}
	var missing []string
	for _, st := range catalogue {
		tool, ok := ours[st.Name]
		if !ok {
			missing = append(missing, st.Name)
			continue
		}
		t.Run(st.Name, func(t *testing.T) {
			t.Parallel()
			if string(tool.Scope) != st.Scope && (st.Scope != "undefined" || tool.Scope != "") {
				t.Errorf("scope %q, Make's is %q", tool.Scope, st.Scope)
			}
			if tool.ReadOnly() != st.Annotations.ReadOnly {
				t.Errorf("read-only %v, Make's %v", tool.ReadOnly(), st.Annotations.ReadOnly)
			}
			for i, ex := range st.Examples {
				if len(ex.Requests) == 0 {
					t.Logf("example %d sends nothing in Make's SDK (%s): nothing to compare", i, ex.Error)
					continue
				}
				e := newEnv(t, options{fake: makefake.Options{Seed: makefake.Fixtures}, tools: []tools.Tool{tool}})
				res := e.call(st.Name, ex.Args)
				got := e.takeRequests()
				if err := sameRequests(ex.Requests, got, deviations[st.Name]); err != nil {
					t.Errorf("example %d %s: %v\nMake's SDK sends:\n%smakemcp sent:\n%s(result: %s)",
						i, ex.Args, err, describeSDK(ex.Requests), describe(got), text(res))
				}
			}
		})
	}
	if len(missing) > 0 {
		t.Errorf("%d tools of Make's catalogue are missing: %s", len(missing), strings.Join(missing, " "))
	}
}

// sameRequests checks that got holds want in order, with only reads
// between and after them.
func sameRequests(want []sdkRequest, got []makefake.Request, dev deviation) error {
	i := 0
	for _, g := range got {
		if i < len(want) && matches(want[i], g, dev) == nil {
			i++
			continue
		}
		if g.Method != "GET" {
			if i < len(want) {
				return fmt.Errorf("request %s %s: %v", g.Method, g.Path, matches(want[i], g, dev))
			}
			return fmt.Errorf("a write of makemcp's own: %s %s", g.Method, g.Path)
		}
	}
	if i < len(want) {
		return fmt.Errorf("makemcp never sent %s %s", want[i].Method, want[i].Path)
	}
	return nil
}

func matches(w sdkRequest, g makefake.Request, dev deviation) error {
	if g.Method != w.Method || g.Path != "/api/v2"+w.Path {
		return fmt.Errorf("want %s %s", w.Method, w.Path)
	}
	wq, err := url.ParseQuery(w.Query)
	if err != nil {
		return err
	}
	gq := url.Values{}
	for k, v := range g.Query {
		gq[k] = v
	}
	for _, k := range dev.query {
		delete(wq, k)
		delete(gq, k)
	}
	if len(wq) == 0 && len(gq) == 0 {
		wq, gq = nil, nil
	}
	if !reflect.DeepEqual(wq, gq) {
		return fmt.Errorf("query %v, want %v", gq, wq)
	}
	if mediaType(g.ContentType) != mediaType(w.ContentType) && !(w.ContentType == "" && w.Body == nil) {
		return fmt.Errorf("content type %q, want %q", g.ContentType, w.ContentType)
	}
	if w.Accept != "" && mediaType(g.Accept) != mediaType(w.Accept) {
		return fmt.Errorf("accept %q, want %q", g.Accept, w.Accept)
	}
	switch {
	case dev.body:
	case w.Body == nil:
		if len(g.Body) > 0 {
			return fmt.Errorf("body %s, want none", g.Body)
		}
	case mediaType(w.ContentType) == "application/json":
		if !jsonEqual(g.Body, []byte(*w.Body)) {
			return fmt.Errorf("body %s, want %s", g.Body, *w.Body)
		}
	case !bytes.Equal(g.Body, []byte(*w.Body)):
		return fmt.Errorf("body %q, want %q", g.Body, *w.Body)
	}
	return nil
}

func mediaType(v string) string {
	t, _, err := mime.ParseMediaType(v)
	if err != nil {
		return v
	}
	return t
}

func describeSDK(rs []sdkRequest) string {
	var b strings.Builder
	for _, r := range rs {
		b.WriteString("  " + r.Method + " /api/v2" + r.Path)
		if r.Query != "" {
			b.WriteString("?" + r.Query)
		}
		if r.Body != nil {
			b.WriteString(" " + *r.Body)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// Every tool of Make's catalogue has its name here, and makemcp's own
// additions are few and named.
func TestCatalogueNames(t *testing.T) {
	catalogue := sdkCatalogue(t)
	var names []string
	for _, st := range catalogue {
		names = append(names, st.Name)
	}
	var extra []string
	for _, tool := range tools.All() {
		if !slices.Contains(names, tool.Def.Name) {
			extra = append(extra, tool.Def.Name)
		}
	}
	// hooks_enable, hooks_disable and incomplete-executions_retry are
	// Make API calls the SDK's catalogue lacks.
	want := []string{"hooks_enable", "hooks_disable", "incomplete-executions_retry"}
	slices.Sort(extra)
	slices.Sort(want)
	if !slices.Equal(extra, want) {
		t.Errorf("tools beyond Make's catalogue: %v, want %v", extra, want)
	}
}
