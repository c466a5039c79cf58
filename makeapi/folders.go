package makeapi

import (
	"context"
	"errors"
	"net/url"
)

// Folder is a scenario folder of a team. Folders nest.
type Folder struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	// Path is the slash-separated path, such as "CRM/cleanup".
	Path   string `json:"path"`
	TeamID int64  `json:"teamId,omitempty"`
	// ParentID is the enclosing folder, 0 for a top-level folder.
	ParentID int64 `json:"parentId,omitempty"`
	// ScenariosTotal counts the scenarios in the folder itself, and
	// ScenariosSubtreeTotal those in it and all folders below.
	ScenariosTotal        int  `json:"scenariosTotal"`
	ScenariosSubtreeTotal int  `json:"scenariosSubtreeTotal"`
	HasChildren           bool `json:"hasChildren"`
	// Children are the folders directly inside, or all folders below when
	// asked for.
	Children []Folder `json:"children,omitempty"`
}

// FolderQuery selects the folders to list.
type FolderQuery struct {
	// TeamID is required.
	TeamID int64
	// ParentID lists the folders inside this one; 0 lists top-level
	// folders.
	ParentID int64
	// AllDescendants fills Children with every folder below, not only the
	// direct children (childrenDepth=all).
	AllDescendants bool
}

// ListFolders lists a team's scenario folders:
// GET /scenarios-folders?teamId=&cols[]=*. Make does not page them.
func (c *Client) ListFolders(ctx context.Context, q FolderQuery) ([]Folder, error) {
	if q.TeamID == 0 {
		return nil, errors.New("makeapi: list folders: a team id is required")
	}
	v := url.Values{}
	setID(v, "teamId", q.TeamID)
	setID(v, "parentId", q.ParentID)
	if q.AllDescendants {
		v.Set("childrenDepth", "all")
	}
	setCols(v, nil)
	var out struct {
		Folders []Folder `json:"scenariosFolders"`
	}
	if err := c.do(ctx, &call{method: "GET", path: "/scenarios-folders", query: v, route: byTeam(q.TeamID), out: &out}); err != nil {
		return nil, err
	}
	return out.Folders, nil
}
