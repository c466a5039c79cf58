package keychain

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestCredentialRedacts(t *testing.T) {
	c := Credential{
		Kind:         OAuth,
		AccessToken:  "ACCESS-SECRET",
		RefreshToken: "REFRESH-SECRET",
		Expiry:       time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC),
		TokenType:    "Bearer",
		Scopes:       []string{"scenarios:read", "user:read"},
		Issuer:       "https://www.make.com",
		ClientID:     "client-id",
		ClientSecret: "CLIENT-SECRET",
		Zone:         "eu1.make.com",
	}
	secrets := []string{"ACCESS-SECRET", "REFRESH-SECRET", "CLIENT-SECRET"}
	type holder struct {
		C   Credential
		P   *Credential
		Any any
	}
	var outputs []string
	for _, format := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T %v"} {
		outputs = append(outputs,
			fmt.Sprintf(format, c), fmt.Sprintf(format, &c),
			fmt.Sprintf(format, holder{c, &c, c}), fmt.Sprintf(format, []*Credential{&c}),
			fmt.Sprintf(format, map[string]Credential{"k": c}))
	}
	outputs = append(outputs, fmt.Sprint(c), fmt.Sprintln(&c), c.String(), c.GoString(),
		fmt.Errorf("wrapped: %v", c).Error())

	var logs bytes.Buffer
	for _, h := range []slog.Handler{slog.NewTextHandler(&logs, nil), slog.NewJSONHandler(&logs, nil)} {
		l := slog.New(h)
		l.Info("credential", "c", c, "p", &c)
		l.Info("credential", slog.Any("c", c))
	}
	outputs = append(outputs, logs.String())

	for _, out := range outputs {
		for _, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("output shows %s: %s", s, out)
			}
		}
	}

	// What is shown: enough to tell credentials apart.
	s := c.String()
	for _, want := range []string{"oauth", "eu1.make.com", "2030-01-02T03:04:05Z", "scenarios:read", "Refreshable:true", "AccessToken:[redacted]"} {
		if !strings.Contains(s, want) {
			t.Errorf("String() = %s, missing %s", s, want)
		}
	}
	if !strings.Contains(logs.String(), "refreshable=true") || !strings.Contains(logs.String(), `"zone":"eu1.make.com"`) {
		t.Errorf("logs lack the credential's public fields:\n%s", logs.String())
	}
	if got := (Credential{Kind: APIToken}).String(); !strings.Contains(got, "AccessToken:none") || !strings.Contains(got, "Refreshable:false") {
		t.Errorf("empty tokens shown as %s", got)
	}
}

func TestCredentialNilPointer(t *testing.T) {
	var c *Credential
	if got := fmt.Sprint(c); got != "<nil>" {
		t.Fatalf("fmt.Sprint(nil credential) = %q", got)
	}
	if err := c.check(); err == nil {
		t.Fatal("a nil credential passes check")
	}
}
