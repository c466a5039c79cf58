package makeapi

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
