package makeapi

import (
	"context"
	"fmt"
	"iter"
	"net/url"
	"strconv"
)

// Page selects one page of a list: Make's pg[limit], pg[offset],
// pg[sortBy] and pg[sortDir]. The zero Page asks for Make's defaults.
type Page struct {
	// Limit is the most items to return; 0 leaves it to Make.
	Limit int
	// Offset is how many items to skip.
	Offset int
	// SortBy names the field to sort by, such as "name".
	SortBy string
	// SortDir is "asc" or "desc".
	SortDir string
}

// PageInfo is Make's account of the page it returned (its "pg" object).
// Make may return fewer items than asked for; Limit is the limit it
// applied.
type PageInfo struct {
	Limit   int    `json:"limit"`
	Offset  int    `json:"offset"`
	SortBy  string `json:"sortBy"`
	SortDir string `json:"sortDir"`
}

// setPage adds p to a query.
func setPage(q url.Values, p Page) {
	if p.Limit > 0 {
		q.Set("pg[limit]", strconv.Itoa(p.Limit))
	}
	if p.Offset > 0 {
		q.Set("pg[offset]", strconv.Itoa(p.Offset))
	}
	if p.SortBy != "" {
		q.Set("pg[sortBy]", p.SortBy)
	}
	if p.SortDir != "" {
		q.Set("pg[sortDir]", p.SortDir)
	}
}

// setCols adds column selection. With no columns it asks for all of them
// ("cols[]=*"), as the tools of Make's SDK do, so that every field of the
// typed results is filled.
func setCols(q url.Values, cols []string) {
	if len(cols) == 0 {
		q["cols[]"] = allCols
		return
	}
	q["cols[]"] = cols
}

var allCols = []string{"*"}

// colsAll is "cols[]=*" encoded, for calls whose only query it is.
const colsAll = "cols%5B%5D=%2A"

func setID(q url.Values, key string, id int64) {
	if id != 0 {
		q.Set(key, strconv.FormatInt(id, 10))
	}
}

// Iteration bounds for All* iterators: pages of allPageSize items, and a
// stop after maxPages pages in case an endpoint ignored pg[offset] and
// kept returning the first page.
const (
	allPageSize = 500
	maxPages    = 2_000
)

// all walks every page of a list, asking for allPageSize items at a time
// and stopping after a short page. It yields an error, then stops, when a
// page fails.
func all[T any](ctx context.Context, list func(context.Context, Page) ([]T, PageInfo, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		p := Page{Limit: allPageSize}
		for range maxPages {
			items, info, err := list(ctx, p)
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			limit := p.Limit
			if info.Limit > 0 && info.Limit < limit {
				limit = info.Limit
			}
			if len(items) == 0 || len(items) < limit {
				return
			}
			p.Offset += len(items)
		}
		var zero T
		yield(zero, fmt.Errorf("makeapi: more than %d pages of %d items: stopped", maxPages, allPageSize))
	}
}

// idPath joins a collection path and a numeric id.
func idPath(prefix string, id int64, suffix string) string {
	return prefix + "/" + strconv.FormatInt(id, 10) + suffix
}

// keyPath joins a collection path and a string id, escaped, after
// checking the id cannot change the path.
func keyPath(prefix, name, key, suffix string) (string, error) {
	if err := checkPathValue(name, key); err != nil {
		return "", err
	}
	return prefix + "/" + url.PathEscape(key) + suffix, nil
}
