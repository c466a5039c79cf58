package tools

import "github.com/makemcp/makemcp/makeapi"

// teamArg is the teamId of a tool about a team's things; omitted, it is
// the server's default team.
type teamArg struct {
	TeamID int64 `json:"teamId,omitempty" default:"team" jsonschema:"The team. Omit it to use the default team."`
}

// organizationArg is the organizationId of a tool about an
// organization's things; omitted, it is the server's default
// organization.
type organizationArg struct {
	OrganizationID int64 `json:"organizationId,omitempty" default:"organization" jsonschema:"The organization. Omit it to use the default organization."`
}

// Paging are the arguments of every list tool.
type Paging struct {
	Limit  int `json:"limit,omitempty" jsonschema:"Items to return (default 20, max 100)."`
	Offset int `json:"offset,omitempty" jsonschema:"Items to skip: the previous page's nextOffset."`
}

// paging lets a list tool find the Paging its arguments embed.
func (p Paging) paging() Paging { return p }

const (
	defaultLimit = 20
	maxLimit     = 100
)

func (p Paging) limit() int {
	switch {
	case p.Limit <= 0:
		return defaultLimit
	case p.Limit > maxLimit:
		return maxLimit
	}
	return p.Limit
}

// page asks Make for one item more than the caller wants: whether it comes
// back says exactly whether there is a next page.
func (p Paging) page() makeapi.Page {
	return makeapi.Page{Limit: p.limit() + 1, Offset: max(p.Offset, 0)}
}

// List is the result of every list tool.
type List[T any] struct {
	Items []T `json:"items"`
	// HasMore says whether more items follow; NextOffset is then the
	// offset of the next page.
	HasMore    bool `json:"hasMore"`
	NextOffset int  `json:"nextOffset,omitempty"`
}

// newList trims the extra item page asked for and says whether there is
// more. convert turns each of Make's items into the tool's view of it.
func newList[A, B any](items []A, p Paging, convert func(A) B) List[B] {
	l := List[B]{Items: make([]B, 0, min(len(items), p.limit()))}
	if len(items) > p.limit() {
		items = items[:p.limit()]
		l.HasMore = true
		l.NextOffset = max(p.Offset, 0) + len(items)
	}
	for _, it := range items {
		l.Items = append(l.Items, convert(it))
	}
	return l
}

// same is the convert of newList for items shown as Make sent them.
func same[T any](v T) T { return v }
