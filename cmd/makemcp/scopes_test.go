package main

import (
	"slices"
	"testing"
)

// The scopes a default login asks for are what the user sees on Make's
// consent screen. New tools in toolsets outside the default must never
// widen it silently: a change here is a decision, made in review.
func TestDefaultLoginScopes(t *testing.T) {
	want := []string{"openid", "dlqs:read", "dlqs:write", "organizations:read", "scenarios:read",
		"scenarios:run", "scenarios:write", "teams:read"}
	if got := defaultScopes(); !slices.Equal(got, want) {
		t.Errorf("a default login asks for %v\nwant %v", got, want)
	}
}
