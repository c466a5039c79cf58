package makefake_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/makemcp/makemcp/makeapi/makefake"
)

// These tests speak to the fake with plain net/http, as any Make client
// would, and check the answers against Make's documented behaviour.

type answer struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

// do sends a request with the demo token (or auth, when given) and decodes
// the JSON answer.
func do(t *testing.T, hc *http.Client, method, url, body string, auth ...string) answer {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	a := "Token " + makefake.DemoToken
	if len(auth) > 0 {
		a = auth[0]
	}
	if a != "" {
		req.Header.Set("Authorization", a)
	}
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	out := answer{status: resp.StatusCode, header: resp.Header, raw: string(b)}
	_ = json.Unmarshal(b, &out.body)
	return out
}

// isMakeError checks Make's one error shape.
func isMakeError(t *testing.T, a answer, status int, detail string) {
	t.Helper()
	if a.status != status || a.body["detail"] != detail || a.body["message"] == nil || a.body["code"] == nil {
		t.Fatalf("answer %d %s, want %d with detail %q in Make's error shape", a.status, a.raw, status, detail)
	}
}

func demo(t *testing.T, o makefake.Options) (*makefake.Server, *http.Client, string) {
	t.Helper()
	f, err := makefake.New(o)
	if err != nil {
		t.Fatal(err)
	}
	f.Start()
	t.Cleanup(f.Close)
	return f, f.HTTPClient(), f.URL() + "/api/v2"
}

func TestCredentialsAreChecked(t *testing.T) {
	f, hc, api := demo(t, makefake.Options{})
	isMakeError(t, do(t, hc, "GET", api+"/users/me", "", ""), 401, "Invalid credentials.")
	isMakeError(t, do(t, hc, "GET", api+"/users/me", "", "Token wrong"), 401, "Invalid credentials.")
	isMakeError(t, do(t, hc, "GET", api+"/users/me", "", "Basic "+makefake.DemoToken), 401, "Invalid credentials.")
	if a := do(t, hc, "GET", api+"/users/me", ""); a.status != 200 || a.body["authUser"] == nil {
		t.Fatalf("demo token: %d %s", a.status, a.raw)
	}
	f.RemoveToken(makefake.DemoToken)
	isMakeError(t, do(t, hc, "GET", api+"/users/me", ""), 401, "Invalid credentials.")
}

func TestScopesAreEnforced(t *testing.T) {
	f, hc, api := demo(t, makefake.Options{})
	f.AddToken("jwt-read", makefake.OAuth, "scenarios:read", "datastores:read")
	bearer := "Bearer jwt-read"
	if a := do(t, hc, "GET", api+"/scenarios?teamId=3001", "", bearer); a.status != 200 {
		t.Fatalf("read with scenarios:read: %d %s", a.status, a.raw)
	}
	for _, tc := range []struct{ method, path, body, scope string }{
		{"POST", "/scenarios/5001/run", `{"data":{"name":"Ada"}}`, "scenarios:run"},
		{"POST", "/scenarios/5004/start", "", "scenarios:write"},
		{"GET", "/hooks?teamId=3001", "", "hooks:read"},
		{"GET", "/teams?organizationId=2001", "", "teams:read"},
		{"DELETE", "/data-stores/8001/data?confirmed=true", `{"keys":["a1c9e3f0b2d4"]}`, "datastores:write"},
		{"GET", "/data-structures/7001", "", "udts:read"},
		{"GET", "/dlqs?scenarioId=5003", "", "dlqs:read"},
	} {
		a := do(t, hc, tc.method, api+tc.path, tc.body, bearer)
		isMakeError(t, a, 403, "Access denied.")
		if !strings.Contains(a.raw, tc.scope) {
			t.Errorf("%s %s: 403 does not name the missing scope %s: %s", tc.method, tc.path, tc.scope, a.raw)
		}
	}
	// The token as an API token is another credential.
	isMakeError(t, do(t, hc, "GET", api+"/users/me", "", "Token jwt-read"), 401, "Invalid credentials.")
	a := do(t, hc, "GET", api+"/users/me/current-authorization", "", bearer)
	if got := a.body["authorization"]; !reflect.DeepEqual(got, map[string]any{"authUsed": "oauth", "scope": []any{"scenarios:read", "datastores:read"}}) {
		t.Fatalf("current authorization %v", got)
	}
}

func TestVerifyBearer(t *testing.T) {
	_, hc, api := demo(t, makefake.Options{VerifyBearer: func(token string) ([]string, error) {
		if token == "eyJ.valid.jwt" {
			return []string{"user:read"}, nil
		}
		return nil, errors.New("bad signature")
	}})
	if a := do(t, hc, "GET", api+"/users/me", "", "Bearer eyJ.valid.jwt"); a.status != 200 {
		t.Fatalf("verified JWT: %d %s", a.status, a.raw)
	}
	isMakeError(t, do(t, hc, "GET", api+"/users/me", "", "Bearer eyJ.forged.jwt"), 401, "Invalid credentials.")
	isMakeError(t, do(t, hc, "GET", api+"/scenarios?teamId=3001", "", "Bearer eyJ.valid.jwt"), 403, "Access denied.")
}

func TestOrganizationListingLeavesOutTheZoneUnlessAsked(t *testing.T) {
	_, hc, api := demo(t, makefake.Options{})
	a := do(t, hc, "GET", api+"/organizations", "")
	org := a.body["organizations"].([]any)[0].(map[string]any)
	if _, ok := org["zone"]; ok {
		t.Fatalf("default organization columns hold the zone: %v", org)
	}
	a = do(t, hc, "GET", api+"/organizations?cols[]=id&cols[]=name&cols[]=zone", "")
	org = a.body["organizations"].([]any)[0].(map[string]any)
	host := strings.TrimPrefix(api, "http://")
	host = strings.TrimSuffix(host, "/api/v2")
	if !reflect.DeepEqual(org, map[string]any{"id": 2001.0, "name": "Acme Sandbox", "zone": host}) {
		t.Fatalf("organization with cols id,name,zone = %v", org)
	}
	if pg := a.body["pg"].(map[string]any); pg["sortBy"] != "name" || pg["limit"] != 10000.0 {
		t.Fatalf("pg %v", pg)
	}
}

func TestScenarioBodiesFollowMakesRules(t *testing.T) {
	_, hc, api := demo(t, makefake.Options{})
	bp := `{"name":"X","flow":[],"metadata":{}}`
	// Make takes blueprint and scheduling as JSON strings, not objects.
	a := do(t, hc, "POST", api+"/scenarios", `{"teamId":3001,"blueprint":`+bp+`,"scheduling":"{\"type\":\"on-demand\"}"}`)
	isMakeError(t, a, 400, "Validation failed.")
	if !strings.Contains(a.raw, "must be a string") {
		t.Fatalf("no reason given: %s", a.raw)
	}
	a = do(t, hc, "POST", api+"/scenarios", `{"teamId":3001,"blueprint":"{\"name\":\"X\",\"flow\":[],\"metadata\":{}}","scheduling":{"type":"on-demand"}}`)
	isMakeError(t, a, 400, "Validation failed.")
	a = do(t, hc, "POST", api+"/scenarios", `{"teamId":3001,"blueprint":"{\"name\":\"X\",\"flow\":[],\"metadata\":{}}","scheduling":"{\"type\":\"sometimes\"}"}`)
	isMakeError(t, a, 400, "Invalid scheduling.")
	a = do(t, hc, "POST", api+"/scenarios", `{"teamId":3001,"blueprint":"{\"name\":\"X\",\"flow\":[],\"metadata\":{}}","scheduling":"{\"type\":\"on-demand\"}"}`)
	if a.status != 200 || a.body["scenario"].(map[string]any)["isActive"] != false {
		t.Fatalf("valid create: %d %s", a.status, a.raw)
	}
	isMakeError(t, do(t, hc, "GET", api+"/scenarios", ""), 400, "Missing required parameter teamId or organizationId")
	isMakeError(t, do(t, hc, "GET", api+"/scenarios?teamId=3001&organizationId=2001", ""), 400, "teamId and organizationId cannot be used together")
	isMakeError(t, do(t, hc, "GET", api+"/scenarios?teamId=abc", ""), 400, "Invalid key, not parsable to integer")
	isMakeError(t, do(t, hc, "GET", api+"/scenarios?teamId=3001&pg[limit]=zero", ""), 400, "Validation failed.")
	isMakeError(t, do(t, hc, "GET", api+"/scenarios?teamId=3001&pg[sortDir]=up", ""), 400, "Validation failed.")
	isMakeError(t, do(t, hc, "POST", api+"/scenarios/5001/start", ""), 400, "Scenario is already running.")
	isMakeError(t, do(t, hc, "POST", api+"/scenarios/5004/stop", ""), 400, "Scenario is not running.")
	isMakeError(t, do(t, hc, "POST", api+"/scenarios/5004/run", `{"responsive":true}`), 400, "Scenario is not activated.")
	isMakeError(t, do(t, hc, "GET", api+"/no/such/endpoint", ""), 404, "Endpoint GET /api/v2/no/such/endpoint not found.")
}

func TestColumnsAndPages(t *testing.T) {
	_, hc, api := demo(t, makefake.Options{})
	a := do(t, hc, "GET", api+"/scenarios?teamId=3001&cols[]=id&cols[]=isActive&pg[limit]=2&pg[offset]=1&pg[sortBy]=id&pg[sortDir]=desc", "")
	got := a.body["scenarios"]
	want := []any{map[string]any{"id": 5005.0, "isActive": false}, map[string]any{"id": 5004.0, "isActive": false}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("page %v, want %v", got, want)
	}
	if pg := a.body["pg"]; !reflect.DeepEqual(pg, map[string]any{"sortBy": "id", "sortDir": "desc", "limit": 2.0, "offset": 1.0}) {
		t.Fatalf("pg %v", pg)
	}
	// Data structures are listed without their spec unless asked.
	a = do(t, hc, "GET", api+"/data-structures?teamId=3001", "")
	if ds := a.body["dataStructures"].([]any)[0].(map[string]any); len(ds) != 3 {
		t.Fatalf("listed data structure %v", ds)
	}
	// Records page by 10 unless told otherwise, and report their total.
	a = do(t, hc, "GET", api+"/data-stores/8001/data?pg[limit]=2", "")
	if len(a.body["records"].([]any)) != 2 || a.body["count"] != 5.0 || len(a.body["spec"].([]any)) != 5 {
		t.Fatalf("records page %s", a.raw)
	}
}

func TestHooksAndDeletionsNeedWhatMakeNeeds(t *testing.T) {
	_, hc, api := demo(t, makefake.Options{})
	// Without useDefaults=requiredOnly, a gateway-webhook needs its settings.
	a := do(t, hc, "POST", api+"/hooks", `{"name":"H","teamId":3001,"typeName":"gateway-webhook"}`)
	isMakeError(t, a, 400, "Validation failed.")
	if !strings.Contains(a.raw, "'method'") {
		t.Fatalf("missing settings not named: %s", a.raw)
	}
	a = do(t, hc, "POST", api+"/hooks?useDefaults=requiredOnly", `{"name":"H","teamId":3001,"typeName":"gateway-webhook","headers":true}`)
	hook := a.body["hook"].(map[string]any)
	if a.status != 200 || !reflect.DeepEqual(hook["data"], map[string]any{"headers": true, "method": false, "stringify": false}) {
		t.Fatalf("hook with defaults: %d %s", a.status, a.raw)
	}
	for _, path := range []string{"/connections/9001", "/hooks/6001", "/data-stores/8001"} {
		isMakeError(t, do(t, hc, "DELETE", api+path, ""), 400, "Deletion needs confirmation.")
	}
	isMakeError(t, do(t, hc, "DELETE", api+"/data-stores/8001/data", `{"keys":["a1c9e3f0b2d4"]}`), 400, "Deletion needs confirmation.")
	if a := do(t, hc, "DELETE", api+"/data-stores/8001/data?confirmed=true", `{"keys":["a1c9e3f0b2d4","nope"]}`); !reflect.DeepEqual(a.body["keys"], []any{"a1c9e3f0b2d4"}) {
		t.Fatalf("delete records: %s", a.raw)
	}
}

func TestFaults(t *testing.T) {
	f, hc, api := demo(t, makefake.Options{})
	url := api + "/scenarios/5001"

	f.Inject(makefake.Fault{Method: "GET", Path: "/api/v2/scenarios/*", Count: 2, Status: 429, RetryAfter: "3"})
	for range 2 {
		a := do(t, hc, "GET", url, "")
		isMakeError(t, a, 429, "Requests limit for organization exceeded, please try again later.")
		if a.header.Get("Retry-After") != "3" {
			t.Fatalf("Retry-After %q", a.header.Get("Retry-After"))
		}
	}
	if a := do(t, hc, "GET", url, ""); a.status != 200 {
		t.Fatalf("after the burst: %d", a.status)
	}

	f.Inject(makefake.Fault{Host: "us1.make.com", Status: 500})
	if a := do(t, hc, "GET", url, ""); a.status != 200 {
		t.Fatalf("a fault for another host applied: %d", a.status)
	}
	f.ClearFaults()

	f.Inject(makefake.Fault{Path: "/api/v2/scenarios/5001", Count: 1, MalformedJSON: true})
	if a := do(t, hc, "GET", url, ""); a.status != 200 || json.Valid([]byte(a.raw)) {
		t.Fatalf("malformed JSON fault: %d %s", a.status, a.raw)
	}
	// (net/http repeats a GET once by itself when a reused connection
	// drops, so the fault lasts until cleared.)
	f.Inject(makefake.Fault{Path: "/api/v2/scenarios/5001", Reset: true})
	req, _ := http.NewRequestWithContext(t.Context(), "GET", url, nil)
	if resp, err := hc.Do(req); err == nil {
		resp.Body.Close()
		t.Fatal("a reset connection gave an answer")
	}
	f.ClearFaults()

	// A slow answer that the client gives up on.
	f.Inject(makefake.Fault{Path: "/api/v2/scenarios/5001", Count: 1, Delay: time.Hour})
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	req, _ = http.NewRequestWithContext(ctx, "GET", url, nil)
	if resp, err := hc.Do(req); !errors.Is(err, context.DeadlineExceeded) {
		if resp != nil {
			resp.Body.Close()
		}
		t.Fatalf("slow answer: %v", err)
	}

	// The request log holds what was sent, never the credential.
	f.ResetRequests()
	do(t, hc, "PATCH", api+"/connections/9001?cols[]=*", `{"name":"Mail"}`)
	r, ok := f.LastRequest()
	if !ok || r.Method != "PATCH" || r.Path != "/api/v2/connections/9001" || r.RawQuery != "cols[]=*" ||
		string(r.Body) != `{"name":"Mail"}` || r.Auth != "Token" || r.Query.Get("cols[]") != "*" {
		t.Fatalf("logged %+v", r)
	}
	if f.Count("PATCH", "/api/v2/connections/9001") != 1 || f.Count("", "/api/v2/connections/9001") != 1 {
		t.Fatal("Count")
	}
}

func TestInProcessClient(t *testing.T) {
	f, err := makefake.New(makefake.Options{Zones: []string{"eu1.make.com", "us1.make.com"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.AddOrganization(2101, "Acme US", "us1.make.com"); err != nil {
		t.Fatal(err)
	}
	if err := f.AddOrganization(2102, "Nowhere", "ap1.make.com"); err == nil {
		t.Fatal("an organization in a zone the fake does not serve")
	}
	hc := f.InProcessClient()
	if a := do(t, hc, "GET", "https://us1.make.com/api/v2/organizations/2101", ""); a.status != 200 {
		t.Fatalf("US organization at us1: %d %s", a.status, a.raw)
	}
	isMakeError(t, do(t, hc, "GET", "https://eu1.make.com/api/v2/organizations/2101", ""), 404, "Organization not found.")
	f.Inject(makefake.Fault{Count: 1, Reset: true})
	req, _ := http.NewRequestWithContext(t.Context(), "GET", "https://eu1.make.com/api/v2/users/me", nil)
	if _, err := hc.Do(req); err == nil || !strings.Contains(err.Error(), "connection reset") {
		t.Fatalf("reset in process: %v", err)
	}
}

func TestHandlerServesUnderAnyServer(t *testing.T) {
	f, err := makefake.New(makefake.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(f.Handler())
	defer srv.Close()
	if a := do(t, srv.Client(), "GET", srv.URL+"/api/v2/users/me", ""); a.status != 200 {
		t.Fatalf("GET /users/me through Handler: %d %s", a.status, a.raw)
	}
}

func TestTLSAndItsCA(t *testing.T) {
	f, err := makefake.New(makefake.Options{Zones: []string{"eu1.make.com"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.StartTLS(); err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pemBytes, err := f.CACertPEM()
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemBytes) {
		t.Fatal("CA PEM does not parse")
	}
	// A client that trusts only the CA reaches the listener by address.
	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	if a := do(t, hc, "GET", "https://"+f.Zone()+"/api/v2/users/me", ""); a.status != 200 {
		t.Fatalf("TLS by address: %d %s", a.status, a.raw)
	}
	// HTTPClient also reaches zone hosts, and nothing else.
	if a := do(t, f.HTTPClient(), "GET", "https://eu1.make.com/api/v2/users/me", ""); a.status != 200 {
		t.Fatalf("TLS by zone host: %d", a.status)
	}
	req, _ := http.NewRequestWithContext(t.Context(), "GET", "https://example.com/", nil)
	if _, err := f.HTTPClient().Do(req); err == nil || !strings.Contains(err.Error(), "not a zone of the fake") {
		t.Fatalf("request to a foreign host: %v", err)
	}
}

func TestDemoSeedIsABelievableAccount(t *testing.T) {
	_, hc, api := demo(t, makefake.Options{})
	scenarios := do(t, hc, "GET", api+"/scenarios?teamId=3001", "").body["scenarios"].([]any)
	types := map[string]bool{}
	withOutputs := 0
	for _, s := range scenarios {
		sc := s.(map[string]any)
		id := jsonID(sc["id"])
		if sc["isActive"] != true || sc["scheduling"].(map[string]any)["type"] != "on-demand" {
			continue
		}
		in := do(t, hc, "GET", api+"/scenarios/"+id+"/interface", "").body["interface"].(map[string]any)
		for _, f := range in["input"].([]any) {
			types[f.(map[string]any)["type"].(string)] = true
		}
		if len(in["output"].([]any)) > 0 {
			withOutputs++
		}
	}
	for _, want := range []string{"text", "number", "boolean", "select", "date", "array", "collection"} {
		if !types[want] {
			t.Errorf("no active on-demand scenario has a %s input", want)
		}
	}
	if withOutputs == 0 {
		t.Error("no active on-demand scenario has outputs")
	}
	if n := len(do(t, hc, "GET", api+"/hooks?teamId=3001", "").body["hooks"].([]any)); n != 1 {
		t.Errorf("%d hooks", n)
	}
	if n := len(do(t, hc, "GET", api+"/connections?teamId=3001", "").body["connections"].([]any)); n < 1 {
		t.Errorf("%d connections", n)
	}
	if n := do(t, hc, "GET", api+"/data-stores/8001", "").body["dataStore"].(map[string]any)["records"]; n != 5.0 {
		t.Errorf("%v records", n)
	}
}

func jsonID(v any) string { b, _ := json.Marshal(v); return string(b) }

func TestFixturesSeedServesMakesObjects(t *testing.T) {
	_, hc, api := demo(t, makefake.Options{Seed: makefake.Fixtures})
	for _, tc := range []struct{ fixture, key, path string }{
		{"scenarios/get.json", "scenario", "/scenarios/925"},
		{"connections/get.json", "connection", "/connections/93"},
		{"hooks/get.json", "hook", "/hooks/58"},
		{"data-structures/get.json", "dataStructure", "/data-structures/9"},
		{"teams/get.json", "team", "/teams/1"},
		{"incomplete-executions/get.json", "dlq", "/dlqs/a07e16f2ad134bf49cf83a00aa95c0a5"},
	} {
		b, err := fs.ReadFile(makefake.FixtureFS, tc.fixture)
		if err != nil {
			t.Fatal(err)
		}
		var want map[string]any
		if err := json.Unmarshal(b, &want); err != nil {
			t.Fatal(err)
		}
		a := do(t, hc, "GET", api+tc.path, "")
		if a.status != 200 || !reflect.DeepEqual(a.body[tc.key], want[tc.key]) {
			t.Errorf("GET %s = %d %s\nwant the fixture's %v", tc.path, a.status, a.raw, want[tc.key])
		}
	}
	// Large numbers keep every digit.
	a := do(t, hc, "GET", api+"/connections?teamId=22", "")
	if !strings.Contains(a.raw, "225874569526501080000") {
		t.Fatalf("connection uid lost digits: %s", a.raw)
	}
	// The fixtures' scenario carries their blueprint, interface and logs.
	bp := do(t, hc, "GET", api+"/scenarios/925/blueprint", "").body["response"].(map[string]any)
	if bp["blueprint"].(map[string]any)["name"] != "Empty integration" {
		t.Fatalf("blueprint %v", bp)
	}
	logs := do(t, hc, "GET", api+"/scenarios/925/logs", "").body["scenarioLogs"].([]any)
	if len(logs) != 2 {
		t.Fatalf("logs %v", logs)
	}
	ids := []string{}
	for _, l := range logs {
		ids = append(ids, l.(map[string]any)["id"].(string))
	}
	if !slices.Contains(ids, "cc1c49323b344687a324888762206003") {
		t.Fatalf("log ids %v", ids)
	}
}
