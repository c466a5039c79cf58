package tools

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"github.com/makemcp/makemcp/makeapi"
	"github.com/makemcp/makemcp/makeapi/scope"
)

// The data toolset: data stores (a team's small databases), their
// records, and the data structures records follow.

func dataTools() []Tool {
	return []Tool{dataStoresList, dataStoresGet, dataStoresCreate, dataStoresUpdate, dataStoresDelete,
		recordsList, recordsCreate, recordsUpdate, recordsReplace, recordsDelete,
		dataStructuresList, dataStructuresGet, dataStructuresCreate, dataStructuresUpdate, dataStructuresDelete}
}

// dataStoresListArgs are the arguments of data-stores_list.
type dataStoresListArgs struct {
	TeamID int64 `json:"teamId,omitempty" default:"team" jsonschema:"The team whose data stores to list. Omit it to use the default team."`
	Paging
}

var dataStoresList = listTool[dataStoresListArgs, makeapi.DataStore](endpoint{
	Name: "data-stores_list", Title: "List data stores", Toolset: Data, Scope: scope.DataStoresRead, Kind: Read,
	Description: "List a team's data stores, each with its id, name, record count, size and limit, and the data structure its records follow. Returns a page: pass nextOffset as offset for more.",
	Method:      "GET", Path: "/data-stores?cols[]=*", Answer: "dataStores", Pages: true,
})

// dataStoreID is the argument of tools about one data store.
type dataStoreID struct {
	DataStoreID int64 `json:"dataStoreId" jsonschema:"The data store's id (data-stores_list shows them)."`
}

var dataStoresGet = endpointTool[dataStoreID, makeapi.DataStore](endpoint{
	Name: "data-stores_get", Title: "Get data store", Toolset: Data, Scope: scope.DataStoresRead, Kind: Read,
	Description: "Get a data store: its name, record count, size and size limit, and its data structure (data-structures_get shows the fields records have).",
	Method:      "GET", Path: "/data-stores/{dataStoreId}?cols[]=*", Answer: "dataStore",
})

// dataStoresCreateArgs are the arguments of data-stores_create.
type dataStoresCreateArgs struct {
	Name            string `json:"name" jsonschema:"The data store's name."`
	TeamID          int64  `json:"teamId,omitempty" default:"team" jsonschema:"The team to create it in. Omit it to use the default team."`
	MaxSizeMB       int    `json:"maxSizeMB" jsonschema:"Its size limit in megabytes, at least 1; it counts against the organization's data store allowance."`
	DataStructureID int64  `json:"datastructureId,omitempty" jsonschema:"The data structure its records must follow (data-structures_list shows them)."`
}

func (a dataStoresCreateArgs) validate() error {
	if strings.TrimSpace(a.Name) == "" || a.MaxSizeMB < 1 {
		return errors.New("give a name and a maxSizeMB of at least 1")
	}
	return nil
}

var dataStoresCreate = endpointTool[dataStoresCreateArgs, makeapi.DataStore](endpoint{
	Name: "data-stores_create", Title: "Create data store", Toolset: Data, Scope: scope.DataStoresWrite, Kind: Create,
	Description: "Create a data store in a team, with a size limit and optionally a data structure its records must follow. Returns the new data store.",
	Method:      "POST", Path: "/data-stores", Answer: "dataStore",
})

// dataStoresUpdateArgs are the arguments of data-stores_update.
type dataStoresUpdateArgs struct {
	DataStoreID     int64  `json:"dataStoreId" jsonschema:"The data store to change."`
	Name            string `json:"name,omitempty" jsonschema:"A new name."`
	MaxSizeMB       int    `json:"maxSizeMB,omitempty" jsonschema:"A new size limit in megabytes."`
	DataStructureID int64  `json:"datastructureId,omitempty" jsonschema:"A new data structure for its records."`
}

func (a dataStoresUpdateArgs) validate() error {
	if a.Name == "" && a.MaxSizeMB == 0 && a.DataStructureID == 0 {
		return errors.New("nothing to change: give name, maxSizeMB or datastructureId")
	}
	return nil
}

var dataStoresUpdate = endpointTool[dataStoresUpdateArgs, makeapi.DataStore](endpoint{
	Name: "data-stores_update", Title: "Update data store", Toolset: Data, Scope: scope.DataStoresWrite, Kind: Update,
	Description: "Rename a data store, change its size limit, or its data structure; what is not given stays as it is. Returns the data store afterwards.",
	Method:      "PATCH", Path: "/data-stores/{dataStoreId}", Answer: "dataStore",
})

// dataStoreDeleted is the result of data-stores_delete.
type dataStoreDeleted struct {
	DataStoreID int64 `json:"dataStoreId"`
	Deleted     bool  `json:"deleted"`
}

var dataStoresDelete = endpointTool[dataStoreID, dataStoreDeleted](endpoint{
	Name: "data-stores_delete", Title: "Delete data store", Toolset: Data, Scope: scope.DataStoresWrite, Kind: Delete,
	Description: "Delete a data store with all of its records. This cannot be undone; the user is asked to confirm.",
	Method:      "DELETE", Path: "/data-stores/{dataStoreId}?confirmed=true",
	AskPath: "/data-stores/{dataStoreId}?cols[]=*", AskAnswer: "dataStore",
	Ask: `Delete data store {{.id}} {{printf "%q" .name}} and its {{.records}} records? This cannot be undone.`,
})

// recordsListArgs are the arguments of data-store-records_list.
type recordsListArgs struct {
	DataStoreID int64 `json:"dataStoreId" jsonschema:"The data store whose records to list."`
	Paging
}

// record is a data store record as data-store-records_list shows it.
type record struct {
	Key  string          `json:"key"`
	Data json.RawMessage `json:"data,omitempty" jsonschema:"The record's fields. Left out of a list when larger than 4 KB."`
	// DataBytes is set when Data was left out.
	DataBytes int `json:"dataBytes,omitempty" jsonschema:"The size of a record left out, in bytes: list it alone (limit 1 at its offset) to see it."`
}

// recordList is the result of data-store-records_list.
type recordList struct {
	List[record]
	Note string `json:"note,omitempty"`
}

// Size bounds of data-store-records_list: one record's data, unless it
// is listed alone, and all records' data together, past which the page
// ends early.
const (
	maxRecordBytes = 4 << 10
	maxRecordsPage = 48 << 10
)

var recordsList = define(meta{
	Name:        "data-store-records_list",
	Title:       "List data store records",
	Description: "List the records of a data store, each with its key and fields. Returns a page: pass nextOffset as offset for more. A page ends early past 48 KB of data, and a record larger than 4 KB is left out with its size unless listed alone (limit 1).",
	Toolset:     Data, Scope: scope.DataStoresRead, Kind: Read,
},
	func(ctx context.Context, c *Call, in recordsListArgs) (*recordList, error) {
		recs, _, err := c.Client.ListRecords(ctx, in.DataStoreID, in.page())
		if err != nil {
			return nil, err
		}
		l := newList(recs, in.Paging, func(r makeapi.Record) record { return record{Key: r.Key, Data: r.Data} })
		out := &recordList{List: l}
		alone := len(l.Items) == 1
		total := 0
		for i := range l.Items {
			r := &l.Items[i]
			if n := len(r.Data); n > maxRecordBytes && !alone {
				r.Data, r.DataBytes = nil, n
				out.Note = "records larger than 4 KB were left out (see dataBytes): list each alone, with limit 1 and its offset"
			}
			total += len(r.Data)
			if total > maxRecordsPage && i > 0 {
				out.Items = l.Items[:i]
				out.HasMore = true
				out.NextOffset = max(in.Offset, 0) + i
				break
			}
		}
		return out, nil
	})

// recordWrite are the arguments of the record tools that write one
// record by its key.
type recordWrite struct {
	DataStoreID int64  `json:"dataStoreId" jsonschema:"The data store holding the record."`
	Key         string `json:"key" jsonschema:"The record's key."`
	Data        Object `json:"data" jsonschema:"The record's fields, as the store's data structure defines them."`
}

// recordsCreateArgs are the arguments of data-store-records_create.
type recordsCreateArgs struct {
	DataStoreID int64  `json:"dataStoreId" jsonschema:"The data store to add the record to."`
	Key         string `json:"key,omitempty" jsonschema:"The record's key; omit it to let Make choose one. A key in use is an error."`
	Data        Object `json:"data" jsonschema:"The record's fields, as the store's data structure defines them."`
}

var recordsCreate = endpointTool[recordsCreateArgs, makeapi.Record](endpoint{
	Name: "data-store-records_create", Title: "Create data store record", Toolset: Data, Scope: scope.DataStoresWrite, Kind: Create,
	Description: "Add a record to a data store, under a key of your choice or one Make picks. Fails if the key is in use (data-store-records_replace overwrites). Returns the record with its key.",
	Method:      "POST", Path: "/data-stores/{dataStoreId}/data",
})

var recordsUpdate = endpointTool[recordWrite, makeapi.Record](endpoint{
	Name: "data-store-records_update", Title: "Update data store record", Toolset: Data, Scope: scope.DataStoresWrite, Kind: Update,
	Description: "Change some fields of a record; the fields not given keep their values. Returns the whole record afterwards.",
	Method:      "PATCH", Path: "/data-stores/{dataStoreId}/data/{key}", Body: "data",
})

var recordsReplace = endpointTool[recordWrite, makeapi.Record](endpoint{
	Name: "data-store-records_replace", Title: "Replace data store record", Toolset: Data, Scope: scope.DataStoresWrite, Kind: Update,
	Description: "Replace a record whole, or create it under that key: fields not given are removed. To change some fields only, use data-store-records_update. Returns the record.",
	Method:      "PUT", Path: "/data-stores/{dataStoreId}/data/{key}", Body: "data",
})

// recordsDeleteArgs are the arguments of data-store-records_delete.
type recordsDeleteArgs struct {
	DataStoreID int64    `json:"dataStoreId" jsonschema:"The data store to delete records from."`
	Keys        []string `json:"keys" jsonschema:"The keys of the records to delete, at least one."`
}

func (a recordsDeleteArgs) validate() error {
	if len(a.Keys) == 0 || slices.Contains(a.Keys, "") {
		return errors.New("keys: give at least one record key, none empty")
	}
	return nil
}

// recordsDeleted is the result of data-store-records_delete.
type recordsDeleted struct {
	DataStoreID int64    `json:"dataStoreId"`
	Keys        []string `json:"keys" jsonschema:"The keys deleted; keys no record had are ignored."`
}

var recordsDelete = endpointTool[recordsDeleteArgs, recordsDeleted](endpoint{
	Name: "data-store-records_delete", Title: "Delete data store records", Toolset: Data, Scope: scope.DataStoresWrite, Kind: Delete,
	Description: "Delete records from a data store by key. This cannot be undone; the user is asked to confirm.",
	Method:      "DELETE", Path: "/data-stores/{dataStoreId}/data?confirmed=true",
	AskPath: "/data-stores/{dataStoreId}?cols[]=*", AskAnswer: "dataStore",
	Ask: `Delete {{$n := len .args.keys}}{{if eq $n 1}}record {{printf "%q" (index .args.keys 0)}}{{else}}{{$n}} records{{end}}` +
		` from data store {{.id}} {{printf "%q" .name}}? This cannot be undone.`,
})

// dataStructuresListArgs are the arguments of data-structures_list.
type dataStructuresListArgs struct {
	TeamID int64 `json:"teamId,omitempty" default:"team" jsonschema:"The team whose data structures to list. Omit it to use the default team."`
	Paging
}

var dataStructuresList = listTool[dataStructuresListArgs, makeapi.DataStructure](endpoint{
	Name: "data-structures_list", Title: "List data structures", Toolset: Data, Scope: scope.UDTsRead, Kind: Read,
	Description: "List a team's data structures (the record formats of data stores and of structured data in scenarios), each with its id and name. data-structures_get shows one's fields. Returns a page: pass nextOffset as offset for more.",
	Method:      "GET", Path: "/data-structures?cols[]=id&cols[]=name&cols[]=teamId", Answer: "dataStructures", Pages: true,
})

// dataStructureID is the argument of data-structures_get.
type dataStructureID struct {
	DataStructureID int64 `json:"dataStructureId" jsonschema:"The data structure's id (data-structures_list shows them)."`
}

var dataStructuresGet = endpointTool[dataStructureID, makeapi.DataStructure](endpoint{
	Name: "data-structures_get", Title: "Get data structure", Toolset: Data, Scope: scope.UDTsRead, Kind: Read,
	Description: "Get a data structure with its fields: each field's name, type, label, whether it is required, and its options or nested fields. Records of data stores using it must have these fields.",
	Method:      "GET", Path: "/data-structures/{dataStructureId}", Answer: "dataStructure",
})

// dataStructuresCreateArgs are the arguments of data-structures_create.
type dataStructuresCreateArgs struct {
	teamArg
	Name   string   `json:"name" jsonschema:"The data structure's name, at most 128 characters."`
	Strict bool     `json:"strict" jsonschema:"true: refuse data with fields the spec does not list."`
	Spec   []Object `json:"spec" jsonschema:"Its fields, each {name, type, label, required, default, ...}; types such as text, number, boolean, date, array, collection."`
}

func (a dataStructuresCreateArgs) validate() error {
	if strings.TrimSpace(a.Name) == "" {
		return errors.New("name: give the data structure a name")
	}
	return nil
}

var dataStructuresCreate = endpointTool[dataStructuresCreateArgs, Object](endpoint{
	Name: "data-structures_create", Title: "Create data structure", Toolset: Data, Scope: scope.UDTsWrite, Kind: Create,
	Description: "Create a data structure in a team: the fields records of a data store (or structured data in scenarios) must have. Returns it with its id.",
	Method:      "POST", Path: "/data-structures", Answer: "dataStructure",
})

// dataStructuresUpdateArgs are the arguments of data-structures_update.
type dataStructuresUpdateArgs struct {
	DataStructureID int64    `json:"dataStructureId" jsonschema:"The data structure to change."`
	Name            string   `json:"name,omitempty" jsonschema:"A new name."`
	Strict          *bool    `json:"strict,omitempty" jsonschema:"true: refuse data with fields the spec does not list."`
	Spec            []Object `json:"spec,omitempty" jsonschema:"All of its fields, replacing the current ones: each {name, type, ...}."`
}

var dataStructuresUpdate = endpointTool[dataStructuresUpdateArgs, Object](endpoint{
	Name: "data-structures_update", Title: "Update data structure", Toolset: Data, Scope: scope.UDTsWrite, Kind: Update,
	Description: "Rename a data structure, make it strict or not, or replace its fields (spec lists them all). Returns it afterwards.",
	Method:      "PATCH", Path: "/data-structures/{dataStructureId}", Answer: "dataStructure",
	Shape: needsOneOf("name", "strict", "spec"),
})

// dataStructureDeleted is the result of data-structures_delete.
type dataStructureDeleted struct {
	DataStructureID int64 `json:"dataStructureId"`
	Deleted         bool  `json:"deleted"`
}

var dataStructuresDelete = endpointTool[dataStructureID, dataStructureDeleted](endpoint{
	Name: "data-structures_delete", Title: "Delete data structure", Toolset: Data, Scope: scope.UDTsWrite, Kind: Delete,
	Description: "Delete a data structure. This cannot be undone; the user is asked to confirm.",
	Method:      "DELETE", Path: "/data-structures/{dataStructureId}?confirmed=true",
	AskAnswer: "dataStructure",
	Ask:       `Delete data structure {{.id}} {{printf "%q" .name}}? This cannot be undone.`,
})
