package makeapi

import (
	"context"
	"errors"
	"iter"
	"net/url"
)

// DataStore is a team's small database of records.
type DataStore struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	TeamID int64  `json:"teamId"`
	// DataStructureID is the data structure its records follow, 0 when
	// none.
	DataStructureID int64 `json:"datastructureId,omitempty"`
	// Records is the number of records.
	Records int64 `json:"records"`
	// Size and MaxSize are in bytes, as Make sends them: decimal strings.
	Size    string `json:"size"`
	MaxSize string `json:"maxSize"`
}

// DataStoreQuery selects the data stores to list.
type DataStoreQuery struct {
	// TeamID is required.
	TeamID int64
	// Cols selects columns; empty asks for all.
	Cols []string
}

// ListDataStores lists one page of a team's data stores:
// GET /data-stores?teamId=.
func (c *Client) ListDataStores(ctx context.Context, q DataStoreQuery, p Page) ([]DataStore, PageInfo, error) {
	if q.TeamID == 0 {
		return nil, PageInfo{}, errors.New("makeapi: list data stores: a team id is required")
	}
	v := url.Values{}
	setID(v, "teamId", q.TeamID)
	setCols(v, q.Cols)
	setPage(v, p)
	var out struct {
		DataStores []DataStore `json:"dataStores"`
		Pg         PageInfo    `json:"pg"`
	}
	if err := c.do(ctx, &call{method: "GET", path: "/data-stores", query: v, route: byTeam(q.TeamID), out: &out}); err != nil {
		return nil, PageInfo{}, err
	}
	for _, d := range out.DataStores {
		c.zones.learnOwner(dataStoreKind, itoa(d.ID), d.TeamID)
	}
	return out.DataStores, out.Pg, nil
}

// AllDataStores iterates over all of a team's data stores.
func (c *Client) AllDataStores(ctx context.Context, q DataStoreQuery) iter.Seq2[DataStore, error] {
	return all(ctx, func(ctx context.Context, p Page) ([]DataStore, PageInfo, error) { return c.ListDataStores(ctx, q, p) })
}

// GetDataStore returns a data store: GET /data-stores/{id}?cols[]=*.
func (c *Client) GetDataStore(ctx context.Context, id int64) (*DataStore, error) {
	return c.dataStoreAnswer(ctx, &call{method: "GET", path: idPath("/data-stores", id, ""),
		rawQuery: colsAll, route: dataStoreRoute(id)})
}

// DataStoreCreate is a new data store.
type DataStoreCreate struct {
	Name   string `json:"name"`
	TeamID int64  `json:"teamId"`
	// DataStructureID is the data structure records must follow; 0 for
	// none.
	DataStructureID int64 `json:"datastructureId,omitempty"`
	// MaxSizeMB is the store's size limit in megabytes; required.
	MaxSizeMB int `json:"maxSizeMB"`
}

// CreateDataStore creates a data store: POST /data-stores.
func (c *Client) CreateDataStore(ctx context.Context, d DataStoreCreate) (*DataStore, error) {
	if d.TeamID == 0 || d.Name == "" || d.MaxSizeMB <= 0 {
		return nil, errors.New("makeapi: create data store: a team id, a name and a size in MB are required")
	}
	return c.dataStoreAnswer(ctx, &call{method: "POST", path: "/data-stores", body: d,
		route: byTeam(d.TeamID), retry: retryRateLimited})
}

// DataStoreUpdate changes a data store; zero fields are left unchanged.
type DataStoreUpdate struct {
	Name            string `json:"name,omitempty"`
	DataStructureID int64  `json:"datastructureId,omitempty"`
	MaxSizeMB       int    `json:"maxSizeMB,omitempty"`
}

// UpdateDataStore changes a data store: PATCH /data-stores/{id}.
func (c *Client) UpdateDataStore(ctx context.Context, id int64, u DataStoreUpdate) (*DataStore, error) {
	return c.dataStoreAnswer(ctx, &call{method: "PATCH", path: idPath("/data-stores", id, ""), body: u, route: dataStoreRoute(id)})
}

// DeleteDataStore deletes a data store and its records:
// DELETE /data-stores/{id}?confirmed=true.
func (c *Client) DeleteDataStore(ctx context.Context, id int64) error {
	return c.do(ctx, &call{method: "DELETE", path: idPath("/data-stores", id, ""), query: confirmed(), route: dataStoreRoute(id)})
}

// dataStoreAnswer performs a call answered with {dataStore}.
func (c *Client) dataStoreAnswer(ctx context.Context, k *call) (*DataStore, error) {
	var out struct {
		DataStore DataStore `json:"dataStore"`
	}
	k.out = &out
	if err := c.do(ctx, k); err != nil {
		return nil, err
	}
	c.zones.learnOwner(dataStoreKind, itoa(out.DataStore.ID), out.DataStore.TeamID)
	return &out.DataStore, nil
}

func dataStoreRoute(id int64) route { return route{dataStoreKind, itoa(id)} }
