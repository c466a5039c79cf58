package makeapi

import (
	"context"
	"time"
)

// User is the person a credential belongs to (Make's "authUser").
type User struct {
	ID         int64     `json:"id"`
	Name       string    `json:"name"`
	Email      string    `json:"email"`
	Language   string    `json:"language,omitempty"`
	Locale     string    `json:"locale,omitempty"`
	Timezone   string    `json:"timezone,omitempty"`
	TimezoneID int64     `json:"timezoneId,omitempty"`
	LocaleID   int64     `json:"localeId,omitempty"`
	CountryID  int64     `json:"countryId,omitempty"`
	Avatar     string    `json:"avatar,omitempty"`
	LastLogin  time.Time `json:"lastLogin,omitzero"`
}

// Authorization describes the credential a call was made with.
type Authorization struct {
	// AuthUsed is how the caller authenticated, such as "token".
	AuthUsed string `json:"authUsed"`
	// Scopes are the scopes the credential actually has.
	Scopes []string `json:"scope"`
}

// Me returns the user the credential belongs to: GET /users/me.
func (c *Client) Me(ctx context.Context) (*User, error) {
	var out struct {
		User User `json:"authUser"`
	}
	if err := c.do(ctx, &call{method: "GET", path: "/users/me", out: &out}); err != nil {
		return nil, err
	}
	return &out.User, nil
}

// CurrentAuthorization returns the scopes the credential has:
// GET /users/me/current-authorization.
func (c *Client) CurrentAuthorization(ctx context.Context) (*Authorization, error) {
	var out struct {
		Authorization Authorization `json:"authorization"`
	}
	if err := c.do(ctx, &call{method: "GET", path: "/users/me/current-authorization", out: &out}); err != nil {
		return nil, err
	}
	return &out.Authorization, nil
}
