package makeapi

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
