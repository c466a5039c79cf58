package makefake_test

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/makemcp/makemcp/makeapi/makefake"
)

func TestAddOnDemandScenarios(t *testing.T) {
	f, hc, api := demo(t, makefake.Options{})
	if err := f.AddOrganization(9001, "Bench", ""); err != nil {
		t.Fatal(err)
	}
	if err := f.AddTeam(9101, 9001, "Bench team"); err != nil {
		t.Fatal(err)
	}
	ids, err := f.AddOnDemandScenarios(9101, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 3 || ids[0] == ids[1] || ids[1] == ids[2] {
		t.Fatalf("ids %v, want three distinct", ids)
	}

	a := do(t, hc, "GET", api+"/scenarios?teamId=9101&isActive=true", "")
	list, _ := a.body["scenarios"].([]any)
	if a.status != 200 || len(list) != 3 {
		t.Fatalf("active scenarios of the team: %d %s", a.status, a.raw)
	}
	for i, v := range list {
		sc := v.(map[string]any)
		sched, _ := sc["scheduling"].(map[string]any)
		if sc["id"] != float64(ids[i]) || sched["type"] != "on-demand" || sc["name"] != fmt.Sprintf("Bench scenario %d", i+1) {
			t.Errorf("scenario %d: %v", i, sc)
		}
	}
	// They take the demo's interfaces in turn: greeting, ticket, report.
	for i, want := range []int{2, 8, 3} {
		a := do(t, hc, "GET", fmt.Sprintf("%s/scenarios/%d/interface", api, ids[i]), "")
		in, _ := a.body["interface"].(map[string]any)["input"].([]any)
		if len(in) != want {
			t.Errorf("scenario %d has %d inputs, want %d: %s", ids[i], len(in), want, a.raw)
		}
	}
	a = do(t, hc, "POST", fmt.Sprintf("%s/scenarios/%d/run", api, ids[0]), `{"data":{"name":"Ada"},"responsive":true}`)
	if out, _ := a.body["outputs"].(map[string]any); a.status != 200 || out["greeting"] != "Hello, Ada! Thanks for being with us." {
		t.Fatalf("run: %d %s", a.status, a.raw)
	}

	if _, err := f.AddOnDemandScenarios(424242, 1); err == nil {
		t.Error("AddOnDemandScenarios to a team that does not exist: no error")
	}
}

func TestSetAPILimit(t *testing.T) {
	f, hc, api := demo(t, makefake.Options{})
	if err := f.SetAPILimit(2001, 10000); err != nil {
		t.Fatal(err)
	}
	a := do(t, hc, "GET", api+"/organizations/2001", "")
	lic, _ := a.body["organization"].(map[string]any)["license"].(map[string]any)
	if lic["apiLimit"] != float64(10000) {
		t.Fatalf("license after SetAPILimit: %s", a.raw)
	}
	if err := f.SetAPILimit(424242, 10); err == nil {
		t.Error("SetAPILimit of an organization that does not exist: no error")
	}
	if err := f.SetAPILimit(2001, 0); err == nil {
		t.Error("SetAPILimit 0: no error")
	}
}

func TestTLSConfigServesHandler(t *testing.T) {
	f, err := makefake.New(makefake.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := f.TLSConfig()
	if err != nil {
		t.Fatal(err)
	}
	var served atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		served.Add(1)
		f.ServeHTTP(w, r)
	}))
	srv.TLS = cfg
	srv.StartTLS()
	defer srv.Close()

	ca, err := f.CACertPEM()
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(ca) {
		t.Fatal("CACertPEM holds no certificate")
	}
	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	if a := do(t, hc, "GET", srv.URL+"/api/v2/users/me", ""); a.status != 200 || served.Load() != 1 {
		t.Fatalf("through the wrapped handler: %d %s (served %d)", a.status, a.raw, served.Load())
	}
}
