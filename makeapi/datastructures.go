package makeapi

import (
	"context"
	"errors"
	"iter"
	"net/url"
)

// DataStructure describes the fields of data store records (and of other
// structured data). Listings leave Spec empty; GetDataStructure fills it.
type DataStructure struct {
	ID     int64     `json:"id"`
	Name   string    `json:"name"`
	TeamID int64     `json:"teamId"`
	Spec   FieldList `json:"spec,omitempty"`
	// Strict rejects data with fields the spec does not list.
	Strict bool `json:"strict,omitempty"`
}

// DataStructureQuery selects the data structures to list.
type DataStructureQuery struct {
	// TeamID is required.
	TeamID int64
	// Cols selects columns; empty asks for all.
	Cols []string
}

// ListDataStructures lists one page of a team's data structures:
// GET /data-structures?teamId=.
func (c *Client) ListDataStructures(ctx context.Context, q DataStructureQuery, p Page) ([]DataStructure, PageInfo, error) {
	if q.TeamID == 0 {
		return nil, PageInfo{}, errors.New("makeapi: list data structures: a team id is required")
	}
	v := url.Values{}
	setID(v, "teamId", q.TeamID)
	setCols(v, q.Cols)
	setPage(v, p)
	var out struct {
		DataStructures []DataStructure `json:"dataStructures"`
		Pg             PageInfo        `json:"pg"`
	}
	if err := c.do(ctx, &call{method: "GET", path: "/data-structures", query: v, route: byTeam(q.TeamID), out: &out}); err != nil {
		return nil, PageInfo{}, err
	}
	for _, d := range out.DataStructures {
		c.zones.learnOwner(dataStructureKind, itoa(d.ID), d.TeamID)
	}
	return out.DataStructures, out.Pg, nil
}

// AllDataStructures iterates over all of a team's data structures.
func (c *Client) AllDataStructures(ctx context.Context, q DataStructureQuery) iter.Seq2[DataStructure, error] {
	return all(ctx, func(ctx context.Context, p Page) ([]DataStructure, PageInfo, error) {
		return c.ListDataStructures(ctx, q, p)
	})
}

// GetDataStructure returns a data structure with its fields:
// GET /data-structures/{id}.
func (c *Client) GetDataStructure(ctx context.Context, id int64) (*DataStructure, error) {
	var out struct {
		DataStructure DataStructure `json:"dataStructure"`
	}
	if err := c.do(ctx, &call{method: "GET", path: idPath("/data-structures", id, ""),
		route: route{dataStructureKind, itoa(id)}, out: &out}); err != nil {
		return nil, err
	}
	c.zones.learnOwner(dataStructureKind, itoa(out.DataStructure.ID), out.DataStructure.TeamID)
	return &out.DataStructure, nil
}
