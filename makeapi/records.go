package makeapi

import (
	"context"
	"encoding/json"
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
		route: route{dataStoreKind, itoa(dataStoreID)}, out: &out})
	return out.Records, out.Pg, err
}
