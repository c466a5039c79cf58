package makeapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"iter"
	"net/url"
)

// Record is one record of a data store.
type Record struct {
	Key string `json:"key"`
	// Data is the record, a JSON object shaped by the store's data
	// structure.
	Data json.RawMessage `json:"data"`
}

// ListRecords lists one page of a data store's records:
// GET /data-stores/{id}/data (pg[limit] and pg[offset] only).
func (c *Client) ListRecords(ctx context.Context, dataStoreID int64, p Page) ([]Record, PageInfo, error) {
	v := url.Values{}
	setPage(v, Page{Limit: p.Limit, Offset: p.Offset})
	var out struct {
		Records []Record `json:"records"`
		Pg      PageInfo `json:"pg"`
	}
	err := c.do(ctx, &call{method: "GET", path: idPath("/data-stores", dataStoreID, "/data"), query: v,
		route: dataStoreRoute(dataStoreID), out: &out})
	return out.Records, out.Pg, err
}

// AllRecords iterates over all records of a data store.
func (c *Client) AllRecords(ctx context.Context, dataStoreID int64) iter.Seq2[Record, error] {
	return all(ctx, func(ctx context.Context, p Page) ([]Record, PageInfo, error) {
		return c.ListRecords(ctx, dataStoreID, p)
	})
}

// CreateRecord adds a record: POST /data-stores/{id}/data {key, data}.
// An empty key lets Make choose one.
func (c *Client) CreateRecord(ctx context.Context, dataStoreID int64, key string, data json.RawMessage) (*Record, error) {
	if err := recordData("create record", data); err != nil {
		return nil, err
	}
	body := struct {
		Key  string          `json:"key,omitempty"`
		Data json.RawMessage `json:"data"`
	}{key, data}
	return c.recordAnswer(ctx, &call{method: "POST", path: idPath("/data-stores", dataStoreID, "/data"), body: body,
		route: dataStoreRoute(dataStoreID), retry: retryRateLimited})
}

// UpdateRecord changes the given fields of a record, keeping the others:
// PATCH /data-stores/{id}/data/{key} with the fields as the body.
func (c *Client) UpdateRecord(ctx context.Context, dataStoreID int64, key string, data json.RawMessage) (*Record, error) {
	return c.writeRecord(ctx, "PATCH", "update record", dataStoreID, key, data)
}

// ReplaceRecord replaces a record, or creates it under that key:
// PUT /data-stores/{id}/data/{key} with the record as the body.
func (c *Client) ReplaceRecord(ctx context.Context, dataStoreID int64, key string, data json.RawMessage) (*Record, error) {
	return c.writeRecord(ctx, "PUT", "replace record", dataStoreID, key, data)
}

func (c *Client) writeRecord(ctx context.Context, method, what string, dataStoreID int64, key string, data json.RawMessage) (*Record, error) {
	if key == "" {
		return nil, errors.New("makeapi: " + what + ": a key is required")
	}
	if err := recordData(what, data); err != nil {
		return nil, err
	}
	return c.recordAnswer(ctx, &call{method: method, path: keyPath(idPath("/data-stores", dataStoreID, "/data"), key, ""),
		body: data, route: dataStoreRoute(dataStoreID)})
}

// DeleteRecords deletes records by key:
// DELETE /data-stores/{id}/data?confirmed=true with body {keys}.
func (c *Client) DeleteRecords(ctx context.Context, dataStoreID int64, keys []string) error {
	if len(keys) == 0 {
		return errors.New("makeapi: delete records: no keys given")
	}
	body := struct {
		Keys []string `json:"keys"`
	}{keys}
	return c.do(ctx, &call{method: "DELETE", path: idPath("/data-stores", dataStoreID, "/data"), query: confirmed(),
		body: body, route: dataStoreRoute(dataStoreID)})
}

func (c *Client) recordAnswer(ctx context.Context, k *call) (*Record, error) {
	var out Record
	k.out = &out
	if err := c.do(ctx, k); err != nil {
		return nil, err
	}
	return &out, nil
}

func recordData(what string, data json.RawMessage) error {
	if d := bytes.TrimSpace(data); len(d) == 0 || d[0] != '{' || !json.Valid(d) {
		return errors.New("makeapi: " + what + ": the record data must be a JSON object")
	}
	return nil
}
