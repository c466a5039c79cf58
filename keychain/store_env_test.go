package keychain

import (
	"errors"
	"strings"
	"testing"
)

func TestEnv(t *testing.T) {
	ctx := t.Context()
	e := NewEnv(" 0f1e2d3c-uuid-token\n")
	if e.Name() != "env" {
		t.Fatalf("Name() = %q", e.Name())
	}
	for _, profile := range []string{"default", "work"} {
		c, err := e.Load(ctx, profile)
		if err != nil {
			t.Fatal(err)
		}
		if c.Kind != APIToken || c.AccessToken != "0f1e2d3c-uuid-token" {
			t.Fatalf("Load = %v with token %q, want an API token without the white space", c, c.AccessToken)
		}
	}
	for op, err := range map[string]error{"Save": e.Save(ctx, "default", oauthCredential(10)), "Delete": e.Delete(ctx, "default")} {
		if !errors.Is(err, ErrReadOnly) || !strings.Contains(err.Error(), "unset") || !strings.Contains(err.Error(), "MAKE_API_TOKEN") {
			t.Errorf("%s: %v; want ErrReadOnly saying to unset MAKE_API_TOKEN", op, err)
		}
	}
	if _, err := NewEnv("").Load(ctx, "default"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Load of an empty token: %v, want ErrNotFound", err)
	}
	if _, err := e.Load(ctx, "../x"); err == nil {
		t.Error("Load with profile ../x succeeded")
	}
}
