package makefake

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/makemcp/makemcp/makeapi/scope"
)

// What a team keeps beside its scenarios: custom functions, devices,
// credential requests and Make's public templates; and the writes of
// folders, data structures and connections, and the runs of incomplete
// executions, whose reads the fake served before.

// The collections the generic resource serves in part; the calls that
// check or shape more than it does have handlers below.
var (
	functionsResource = &resource{path: "/functions", one: "function", many: "functions",
		read: scope.FunctionsRead, write: scope.FunctionsWrite, owner: "teamId",
		fixtures: []string{"functions/list.json", "functions/get.json"}, only: []string{"list", "get", "delete"}}
	credentialRequestsResource = &resource{path: "/credential-requests/requests", one: "request", many: "requests",
		read: scope.CredentialRequestsRead, write: scope.CredentialRequestsWrite, owner: "teamId", confirm: true,
		fixtures: []string{"credential-requests/list.json", "credential-requests/get.json"}, only: []string{"get"}}
	publicTemplatesResource = &resource{path: "/templates/public", key: "url", one: "templatePublic", many: "templatesPublic",
		read: scope.TemplatesRead, write: scope.TemplatesWrite,
		fixtures: []string{"public-templates/list.json", "public-templates/get.json"}, only: []string{"get"}}
)

var workspaceResources = []*resource{
	functionsResource,
	{path: "/devices", one: "device", many: "devices", read: scope.DevicesRead, write: scope.DevicesWrite, owner: "teamId",
		fixtures: []string{"devices/list.json"}, only: []string{"list"}},
	credentialRequestsResource,
	publicTemplatesResource,
}

// routeWorkspace registers the handlers of these areas.
func (s *Server) routeWorkspace() {
	h := s.handle
	h("GET /dlqs/{id}/logs", scope.DLQsRead, s.listDLQLogs)
	h("GET /dlqs/{id}/logs/{execution}", scope.DLQsRead, s.getDLQLog)

	h("POST /scenarios-folders", scope.ScenariosWrite, s.createFolder)
	h("PATCH /scenarios-folders/{id}", scope.ScenariosWrite, s.updateFolder)
	h("DELETE /scenarios-folders/{id}", scope.ScenariosWrite, s.deleteFolder)

	h("POST /data-structures", scope.UDTsWrite, s.createDataStructure)
	h("PATCH /data-structures/{id}", scope.UDTsWrite, s.updateDataStructure)
	h("DELETE /data-structures/{id}", scope.UDTsWrite, s.deleteDataStructure)

	h("POST /connections", scope.ConnectionsWrite, s.createConnection)
	h("POST /connections/{id}/set-data", scope.ConnectionsWrite, s.setConnectionData)

	h("POST /functions", scope.FunctionsWrite, s.createFunction)
	h("PATCH /functions/{id}", scope.FunctionsWrite, s.updateFunction)
	h("POST /functions/eval", scope.FunctionsWrite, s.evalFunction)

	h("GET /credential-requests/requests", scope.CredentialRequestsRead, s.listCredentialRequests)
	h("GET /credential-requests/requests/{id}/detail", scope.CredentialRequestsRead, s.getCredentialRequestDetail)
	h("DELETE /credential-requests/requests/{id}", scope.CredentialRequestsWrite, s.deleteCredentialRequest)
	h("POST /credential-requests/actions/create", scope.CredentialRequestsWrite, s.createCredentialRequest)
	h("POST /credential-requests/actions/create-by-credentials", scope.CredentialRequestsWrite, s.createCredentialRequestByCredentials)
	h("POST /credential-requests/actions/extend", scope.CredentialRequestsWrite, s.extendConnection)
	h("POST /credential-requests/credentials/{id}/decline", scope.CredentialRequestsWrite, s.declineCredential)
	h("POST /credential-requests/credentials/{id}/delete-remote", scope.CredentialRequestsWrite, s.deleteRemoteCredential)
	h("GET /credential-requests/apps/{app}/{version}/modules-with-credentials", scope.AppsRead, s.listAppModulesWithCredentials)

	h("GET /templates/public", scope.TemplatesRead, s.listPublicTemplates)
	h("GET /templates/public/{id}/blueprint", scope.TemplatesRead, s.getPublicTemplateBlueprint)
}

// required answers Make's 400 for the fields of a body that are missing
// or null.
func required(body obj, names ...string) *apiError {
	var missing []string
	for _, k := range names {
		if body[k] == nil {
			missing = append(missing, "Missing value of required parameter '"+k+"'.")
		}
	}
	if len(missing) > 0 {
		return errBadRequest("Validation failed.", missing...)
	}
	return nil
}

// listing answers a page of a filtered list under the key many, with the
// columns asked for.
func (c *call) listing(many string, items []obj, sortBy, sortDir string) (any, *apiError) {
	page, pg, err := c.page(items, sortBy, sortDir, c.s.opts.MaxPageSize)
	if err != nil {
		return nil, err
	}
	return obj{many: projectAll(page, c.cols(nil)), "pg": pg}, nil
}

// nonEmptyName checks a name a body gives, if it gives one.
func nonEmptyName(body obj, max int) *apiError {
	v, ok := body["name"]
	if !ok {
		return nil
	}
	name, isText := v.(string)
	if !isText || strings.TrimSpace(name) == "" || len(name) > max {
		return errBadRequest("Validation failed.", "Parameter 'name' must be a non-empty string of at most "+itoa(int64(max))+" characters.")
	}
	return nil
}

// Incomplete executions: the runs of each are the run that stopped and
// one per retry, derived from its attempts, so a retry shows up as a run.

func (c *call) dlqLogs(d obj) []obj {
	id := str(d["id"])
	scID := c.w.dlqScen[id]
	teamID := num(c.w.scenarios.get(scID)["teamId"])
	created, _ := time.Parse(time.RFC3339Nano, str(d["created"]))
	entry := func(execID, kind string, at time.Time, status int) obj {
		return obj{
			"imtId":          itoa(at.UnixMilli()) + "_scenario." + itoa(scID) + "." + kind + "." + execID,
			"id":             execID,
			"type":           kind,
			"duration":       0,
			"operations":     1,
			"transfer":       0,
			"organizationId": c.w.orgOfTeam(teamID),
			"teamId":         teamID,
			"timestamp":      stamp(at),
			"status":         status,
		}
	}
	first := str(d["executionId"])
	if first == "" {
		first = runID(id, 0)
	}
	logs := []obj{entry(first, "auto", created, 3)}
	if e := c.w.executions[first]; e != nil && e.log != nil {
		logs[0] = e.log
	}
	attempts := int(num(d["attempts"]))
	for i := 1; i <= attempts; i++ {
		status := 3
		if i == attempts && truthy(d["resolved"]) {
			status = 1
		}
		logs = append(logs, entry(runID(id, i), "retry", created.Add(time.Duration(i)*time.Minute), status))
	}
	slices.Reverse(logs) // newest first, as scenario logs are
	return logs
}

// runID is the id of an incomplete execution's nth run: 32 hexadecimal
// digits, the same every time.
func runID(dlqID string, n int) string {
	sum := sha256.Sum256([]byte(dlqID + "/" + itoa(int64(n))))
	return hex.EncodeToString(sum[:16])
}

func (s *Server) listDLQLogs(c *call) (any, *apiError) {
	d, err := c.dlq()
	if err != nil {
		return nil, err
	}
	items, pg, err := c.page(c.dlqLogs(d), "", "", 50)
	if err != nil {
		return nil, err
	}
	return obj{"dlqLogs": items, "pg": pg}, nil
}

func (s *Server) getDLQLog(c *call) (any, *apiError) {
	d, err := c.dlq()
	if err != nil {
		return nil, err
	}
	want := c.r.PathValue("execution")
	for _, l := range c.dlqLogs(d) {
		if str(l["id"]) == want {
			return obj{"dlqLog": l}, nil
		}
	}
	return nil, errNotFound("Execution")
}

// Folders. A folder's path is its ancestors' names and its own, so a
// rename or a move changes the paths of everything under it.

func (s *Server) createFolder(c *call) (any, *apiError) {
	var b obj
	if err := c.decode(&b); err != nil {
		return nil, err
	}
	if err := required(b, "name", "teamId"); err != nil {
		return nil, err
	}
	if err := nonEmptyName(b, 128); err != nil {
		return nil, err
	}
	teamID := num(b["teamId"])
	if err := c.teamHere(teamID); err != nil {
		return nil, err
	}
	parent := num(b["parentId"])
	if parent != 0 && (c.w.folders.get(parent) == nil || c.w.folderTeam[parent] != teamID) {
		return nil, errBadRequest("Validation failed.", "Parent folder not found in the team.")
	}
	f := obj{"id": c.w.newID(), "name": b["name"], "parentId": nil, "position": nil}
	if parent != 0 {
		f["parentId"] = parent
	}
	c.w.folders.put(f)
	c.w.folderTeam[num(f["id"])] = teamID
	c.w.setFolderPaths()
	return obj{"scenarioFolder": c.w.folder(f, teamID, false, false)}, nil
}

// updateFolder renames a folder or moves it: a parentId of null moves it
// to the top.
func (s *Server) updateFolder(c *call) (any, *apiError) {
	f, id, err := c.ownedFolder()
	if err != nil {
		return nil, err
	}
	var b obj
	if err := c.decode(&b); err != nil {
		return nil, err
	}
	if err := nonEmptyName(b, 128); err != nil {
		return nil, err
	}
	teamID := c.w.folderTeam[id]
	if v, ok := b["parentId"]; ok {
		parent := num(v)
		switch {
		case v == nil:
		case c.w.folders.get(parent) == nil || c.w.folderTeam[parent] != teamID:
			return nil, errBadRequest("Validation failed.", "Parent folder not found in the team.")
		case c.w.folderWithin(parent, id):
			return nil, errBadRequest("Validation failed.", "A folder cannot be moved into itself or its subfolders.")
		}
		if v == nil {
			f["parentId"] = nil
		} else {
			f["parentId"] = parent
		}
	}
	if name, ok := b["name"]; ok {
		f["name"] = name
	}
	c.w.setFolderPaths()
	return obj{"scenarioFolder": project(c.w.folder(f, teamID, false, false), c.cols(nil))}, nil
}

// deleteFolder deletes an empty folder; the fake refuses one that holds
// scenarios or subfolders rather than guess where they would go.
func (s *Server) deleteFolder(c *call) (any, *apiError) {
	_, id, err := c.ownedFolder()
	if err != nil {
		return nil, err
	}
	inside := c.w.scenarios.list(func(s obj) bool { return num(s["folderId"]) == id })
	if len(inside) > 0 || len(c.w.childFolders(c.w.folderTeam[id], id)) > 0 {
		return nil, errBadRequest("Folder is not empty.", "Move its scenarios and subfolders out first.")
	}
	c.w.folders.del(id)
	delete(c.w.folderTeam, id)
	return obj{"scenarioFolder": id}, nil
}

func (c *call) ownedFolder() (obj, int64, *apiError) {
	id, err := c.pathID("id", "Folder")
	if err != nil {
		return nil, 0, err
	}
	f := c.w.folders.get(id)
	if f == nil || c.w.zoneOfTeam(c.w.folderTeam[id]) != c.zone {
		return nil, 0, errNotFound("Folder")
	}
	return f, id, nil
}

// folderWithin reports whether folder id is root or lies under it.
func (w *world) folderWithin(id, root int64) bool {
	for seen := 0; id != 0 && seen <= len(w.folders.order); seen++ {
		if id == root {
			return true
		}
		id = num(w.folders.get(id)["parentId"])
	}
	return false
}

// setFolderPaths sets every folder's path from its ancestors' names.
func (w *world) setFolderPaths() {
	var path func(f obj, depth int) string
	path = func(f obj, depth int) string {
		p := w.folders.get(num(f["parentId"]))
		if p == nil || depth > len(w.folders.order) {
			return str(f["name"])
		}
		return path(p, depth+1) + "/" + str(f["name"])
	}
	for _, f := range w.folders.list(nil) {
		f["path"] = path(f, 0)
	}
}

// Data structures.

func (s *Server) createDataStructure(c *call) (any, *apiError) {
	var b obj
	if err := c.decode(&b); err != nil {
		return nil, err
	}
	if err := required(b, "name", "teamId", "spec"); err != nil {
		return nil, err
	}
	teamID := num(b["teamId"])
	if err := c.teamHere(teamID); err != nil {
		return nil, err
	}
	d := obj{"id": c.w.newID(), "teamId": teamID, "strict": false}
	if err := setDataStructure(d, b); err != nil {
		return nil, err
	}
	c.w.dataStructures.put(d)
	return obj{"dataStructure": d}, nil
}

func (s *Server) updateDataStructure(c *call) (any, *apiError) {
	d, _, err := c.owned(c.w.dataStructures, "Data structure")
	if err != nil {
		return nil, err
	}
	var b obj
	if err := c.decode(&b); err != nil {
		return nil, err
	}
	if err := setDataStructure(d, b); err != nil {
		return nil, err
	}
	return obj{"dataStructure": d}, nil
}

// setDataStructure checks and sets the name, strict and spec a body
// gives: each field of the spec needs a name and a type.
func setDataStructure(d, b obj) *apiError {
	if err := nonEmptyName(b, 128); err != nil {
		return err
	}
	if v, ok := b["strict"]; ok {
		if _, isBool := v.(bool); !isBool {
			return errBadRequest("Validation failed.", "Parameter 'strict' must be a boolean.")
		}
	}
	if v, ok := b["spec"]; ok {
		spec, isList := v.([]any)
		if !isList {
			return errBadRequest("Validation failed.", "Parameter 'spec' must be an array of fields.")
		}
		for i, f := range spec {
			field, _ := f.(map[string]any)
			if str(field["name"]) == "" || str(field["type"]) == "" {
				return errBadRequest("Validation failed.", "Field "+itoa(int64(i))+" of 'spec' needs a name and a type.")
			}
		}
	}
	for _, k := range []string{"name", "strict", "spec"} {
		if v, ok := b[k]; ok {
			d[k] = v
		}
	}
	return nil
}

func (s *Server) deleteDataStructure(c *call) (any, *apiError) {
	_, out, err := c.deleteOwned(c.w.dataStructures, "Data structure", "dataStructure")
	return out, err
}

// Connections. Make takes a new connection's name as accountName and its
// type as accountType, beside the settings its type needs (an API key, a
// client id); the settings are kept but never shown.

func (s *Server) createConnection(c *call) (any, *apiError) {
	teamID, err := c.requiredTeam()
	if err != nil {
		return nil, err
	}
	var b obj
	if err := c.decode(&b); err != nil {
		return nil, err
	}
	if err := required(b, "accountName", "accountType"); err != nil {
		return nil, err
	}
	name, typ := str(b["accountName"]), str(b["accountType"])
	if strings.TrimSpace(name) == "" || len(name) > 128 || typ == "" {
		return nil, errBadRequest("Validation failed.", "Parameters 'accountName' (at most 128 characters) and 'accountType' must be non-empty strings.")
	}
	var scopes []any
	given, _ := b["scopes"].([]any)
	for _, v := range given {
		if id, ok := v.(string); ok {
			scopes = append(scopes, obj{"id": id, "account": typ})
		}
	}
	settings := obj{}
	for k, v := range b {
		if k != "accountName" && k != "accountType" && k != "scopes" {
			settings[k] = v
		}
	}
	conn := obj{
		"id": c.w.newID(), "name": name, "accountName": typ, "accountLabel": strings.ToUpper(typ[:1]) + typ[1:],
		"packageName": nil, "expire": nil, "metadata": nil, "teamId": teamID, "upgradeable": false,
		"scopesCnt": len(scopes), "scoped": true, "accountType": "basic", "editable": true,
		"organizationId": c.w.orgOfTeam(teamID),
	}
	if len(scopes) > 0 {
		conn["accountType"], conn["scopes"] = "oauth", scopes
	}
	c.w.connections.put(conn)
	c.w.connectionData[num(conn["id"])] = settings
	return obj{"connection": conn}, nil
}

// setConnectionData changes the settings of a connection; Make answers
// whether anything changed.
func (s *Server) setConnectionData(c *call) (any, *apiError) {
	o, _, err := c.owned(c.w.connections, "Connection")
	if err != nil {
		return nil, err
	}
	if !truthy(o["editable"]) {
		return nil, errBadRequest("Cannot edit this connection.")
	}
	var patch obj
	if err := c.decode(&patch); err != nil {
		return nil, err
	}
	if patch == nil {
		return nil, errBadRequest("Validation failed.", "The connection's data must be an object.")
	}
	data := c.w.connectionData[num(o["id"])]
	if data == nil {
		data = obj{}
	}
	changed := false
	for k, v := range patch {
		if compare(data[k], v) != 0 {
			changed = true
		}
		data[k] = v
	}
	c.w.connectionData[num(o["id"])] = data
	return obj{"changed": changed}, nil
}

// Custom functions: JavaScript, one named function each. The fake checks
// the declaration and that the braces balance; Make runs the code.

var functionDecl = regexp.MustCompile(`^\s*function\s+[A-Za-z_$][\w$]*\s*\(([^)]*)\)\s*\{`)

// checkCode returns a function's argument list as Make shows it, such as
// "(array1, array2)", or what is wrong with the code.
func checkCode(code string) (args, problem string) {
	m := functionDecl.FindStringSubmatch(code)
	if m == nil {
		return "", "SyntaxError: the code must declare one named function: function name(args) { ... }"
	}
	depth := 0
	for _, r := range code {
		switch r {
		case '{':
			depth++
		case '}':
			depth--
		}
		if depth < 0 {
			return "", "SyntaxError: Unexpected token '}'"
		}
	}
	if depth != 0 || !strings.HasSuffix(strings.TrimSpace(code), "}") {
		return "", "SyntaxError: Unexpected end of input"
	}
	var names []string
	for _, a := range strings.Split(m[1], ",") {
		if a = strings.TrimSpace(a); a != "" {
			names = append(names, a)
		}
	}
	return "(" + strings.Join(names, ", ") + ")", ""
}

// setFunction checks and sets the name, code and description a body
// gives.
func setFunction(f, b obj) *apiError {
	if err := nonEmptyName(b, 128); err != nil {
		return err
	}
	if v, ok := b["code"]; ok {
		code, _ := v.(string)
		args, problem := checkCode(code)
		if problem != "" {
			return errBadRequest("Invalid function code.", problem)
		}
		f["code"], f["args"] = code, args
	}
	if v, ok := b["description"]; ok {
		if _, isText := v.(string); !isText {
			return errBadRequest("Validation failed.", "Parameter 'description' must be a string.")
		}
		f["description"] = v
	}
	if v, ok := b["name"]; ok {
		f["name"] = v
	}
	f["updatedAt"] = stamp(now())
	return nil
}

// createFunction takes the team in the query, as Make's SDK sends it.
func (s *Server) createFunction(c *call) (any, *apiError) {
	teamID, err := c.requiredTeam()
	if err != nil {
		return nil, err
	}
	var b obj
	if err := c.decode(&b); err != nil {
		return nil, err
	}
	if err := required(b, "name", "code"); err != nil {
		return nil, err
	}
	id := c.w.newID()
	f := obj{"id": id, "teamId": teamID, "description": "", "scenarios": []any{},
		"createdAt": stamp(now()), "createdByUser": c.userRef()}
	if err := setFunction(f, b); err != nil {
		return nil, err
	}
	functionsResource.collectionOf(c).put(itoa(id), f)
	return obj{"function": f}, nil
}

func (s *Server) updateFunction(c *call) (any, *apiError) {
	f, _, err := functionsResource.member(c)
	if err != nil {
		return nil, err
	}
	var b obj
	if err := c.decode(&b); err != nil {
		return nil, err
	}
	if err := setFunction(f, b); err != nil {
		return nil, err
	}
	return obj{"function": f}, nil
}

// evalFunction checks code without keeping it.
func (s *Server) evalFunction(c *call) (any, *apiError) {
	if _, err := c.requiredTeam(); err != nil {
		return nil, err
	}
	var b obj
	if err := c.decode(&b); err != nil {
		return nil, err
	}
	if err := required(b, "code"); err != nil {
		return nil, err
	}
	code, _ := b["code"].(string)
	if _, problem := checkCode(code); problem != "" {
		return obj{"success": false, "error": problem}, nil
	}
	return obj{"success": true, "error": nil}, nil
}

// Credential requests: a request asks someone to authorize connections
// and keys; each of its credentials is one of them, pending, authorized
// or declined.

// credentials holds the credentials of every request, by id. The account
// starts with those of Make's fixture of a request's detail.
func (w *world) credentials() *collection {
	const path = "/credential-requests/credentials"
	if c := w.collections[path]; c != nil {
		return c
	}
	c := w.collectionAt(path)
	if answer, err := readFixture("credential-requests/get-detail.json"); err == nil {
		detail, _ := answer["requestDetail"].(map[string]any)
		for _, cr := range list(detail["credentials"]) {
			c.put(str(cr["id"]), cr)
		}
	}
	return c
}

func (s *Server) listCredentialRequests(c *call) (any, *apiError) {
	teamID, err := c.requiredTeam()
	if err != nil {
		return nil, err
	}
	q := c.r.URL.Query()
	name := strings.ToLower(q.Get("name"))
	items := slices.DeleteFunc(credentialRequestsResource.collectionOf(c).list(), func(r obj) bool {
		return num(r["teamId"]) != teamID ||
			q.Has("userId") && keyText(r["userId"]) != q.Get("userId") ||
			q.Has("makeProviderId") && keyText(r["makeProviderId"]) != q.Get("makeProviderId") ||
			q.Has("status") && str(r["status"]) != q.Get("status") ||
			name != "" && !strings.Contains(strings.ToLower(str(r["name"])), name)
	})
	return c.listing("requests", items, "", "")
}

// getCredentialRequestDetail answers a request with its credentials and
// the users it names.
func (s *Server) getCredentialRequestDetail(c *call) (any, *apiError) {
	r, key, err := credentialRequestsResource.member(c)
	if err != nil {
		return nil, err
	}
	d := clone(r)
	d["user"] = c.userNamed(r["userId"])
	d["makeProvider"] = c.userNamed(r["makeProviderId"])
	creds := []obj{}
	for _, cr := range c.w.credentials().list() {
		if str(cr["requestId"]) == key {
			creds = append(creds, cr)
		}
	}
	d["credentials"] = creds
	return obj{"requestDetail": d}, nil
}

// userNamed is the account's user as a request names it, or just the id.
func (c *call) userNamed(id any) obj {
	if keyText(id) == keyText(c.w.user["id"]) {
		return c.userRef()
	}
	return obj{"id": id}
}

func (s *Server) deleteCredentialRequest(c *call) (any, *apiError) {
	_, key, err := credentialRequestsResource.member(c)
	if err != nil {
		return nil, err
	}
	if !c.confirmed() {
		return nil, errNotConfirmed()
	}
	creds := c.w.credentials()
	for _, cr := range creds.list() {
		if str(cr["requestId"]) == key {
			creds.del(str(cr["id"]))
		}
	}
	credentialRequestsResource.collectionOf(c).del(key)
	return obj{"request": key}, nil
}

// newRequest makes a pending credential request in a team, with its
// credentials, and answers it with the address where the user authorizes
// them.
func (c *call) newRequest(teamID int64, b obj, creds []obj) obj {
	t := now()
	id := newHexID()
	r := obj{
		"id": id, "organizationId": c.w.orgOfTeam(teamID), "teamId": teamID, "userId": c.w.user["id"],
		"name": cmpOr(str(b["name"]), "Credential request"), "description": b["description"],
		"externalProviderId": nil, "makeProviderId": keyText(c.w.user["id"]),
		"createdAt": stamp(t), "updatedAt": stamp(t), "expiresAt": stamp(t.AddDate(0, 1, 0)),
		"status": "pending", "shouldSendEmail": false, "emailSentAt": nil,
	}
	credentialRequestsResource.collectionOf(c).put(id, r)
	for _, cr := range creds {
		cr["id"], cr["requestId"], cr["state"] = newHexID(), id, "pending"
		cr["remoteId"], cr["tokenId"], cr["declineReason"] = nil, nil, nil
		cr["createdAt"], cr["updatedAt"] = stamp(t), stamp(t)
		c.w.credentials().put(str(cr["id"]), cr)
	}
	return obj{"request": r, "credentials": creds,
		"publicUri": "https://" + c.s.zoneName(c.zone, c.host) + "/credential-requests/" + id + "/authorize"}
}

// newHexID makes a request's or credential's id: 32 hexadecimal digits.
func newHexID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// requestTeam reads and checks the team a request is made in.
func (c *call) requestTeam(b obj) (int64, *apiError) {
	if err := required(b, "teamId"); err != nil {
		return 0, err
	}
	teamID := num(b["teamId"])
	return teamID, c.teamHere(teamID)
}

// createCredentialRequest asks for the credentials that modules or
// endpoints of apps need.
func (s *Server) createCredentialRequest(c *call) (any, *apiError) {
	var b obj
	if err := c.decode(&b); err != nil {
		return nil, err
	}
	teamID, err := c.requestTeam(b)
	if err != nil {
		return nil, err
	}
	sel := list(b["credentials"])
	if len(sel) == 0 || len(sel) > 64 {
		return nil, errBadRequest("Validation failed.", "Parameter 'credentials' must list 1 to 64 apps.")
	}
	var creds []obj
	for i, a := range sel {
		if str(a["appName"]) == "" || len(values(a["appModules"]))+len(values(a["appEndpoints"])) == 0 {
			return nil, errBadRequest("Validation failed.", "Credential "+itoa(int64(i))+" needs an appName and appModules or appEndpoints.")
		}
		creds = append(creds, obj{"component": "account", "type": "oauth", "name": a["appName"],
			"label": cmpOr(str(a["nameOverride"]), ""), "description": cmpOr(str(a["description"]), ""),
			"scope": []any{}, "remoteScope": []any{}, "appName": a["appName"],
			"appModules": orEmpty(a["appModules"]), "appVersion": cmpOr(keyText(a["appVersion"]), "latest")})
	}
	out := c.newRequest(teamID, b, creds)
	delete(out, "credentials")
	return out, nil
}

// createCredentialRequestByCredentials asks for connections and keys by
// their types.
func (s *Server) createCredentialRequestByCredentials(c *call) (any, *apiError) {
	var b obj
	if err := c.decode(&b); err != nil {
		return nil, err
	}
	teamID, err := c.requestTeam(b)
	if err != nil {
		return nil, err
	}
	conns, keys := list(b["connections"]), list(b["keys"])
	if len(conns)+len(keys) == 0 || len(conns) > 32 || len(keys) > 32 {
		return nil, errBadRequest("Validation failed.", "Give at least one connection or key, and at most 32 of each.")
	}
	var creds []obj
	for _, group := range []struct {
		items     []obj
		component string
	}{{conns, "account"}, {keys, "keychain"}} {
		for _, it := range group.items {
			if str(it["type"]) == "" {
				return nil, errBadRequest("Validation failed.", "Each connection and key needs a type.")
			}
			creds = append(creds, obj{"component": group.component, "type": it["type"], "name": it["type"],
				"label": cmpOr(str(it["nameOverride"]), ""), "description": cmpOr(str(it["description"]), ""),
				"scope": orEmpty(it["scope"]), "remoteScope": []any{}, "appName": nil, "appModules": []any{}, "appVersion": nil})
		}
	}
	return c.newRequest(teamID, b, creds), nil
}

// extendConnection asks the user to grant a connection more OAuth
// scopes; Make refuses when it has them all.
func (s *Server) extendConnection(c *call) (any, *apiError) {
	var b obj
	if err := c.decode(&b); err != nil {
		return nil, err
	}
	if err := required(b, "connectionId", "scopes"); err != nil {
		return nil, err
	}
	conn := c.w.connections.get(num(b["connectionId"]))
	if conn == nil || c.w.zoneOfTeam(num(conn["teamId"])) != c.zone {
		return nil, errNotFound("Connection")
	}
	var granted, missing []any
	for _, sc := range list(conn["scopes"]) {
		granted = append(granted, sc["id"])
	}
	for _, sc := range values(b["scopes"]) {
		if !slices.Contains(granted, sc) {
			missing = append(missing, sc)
		}
	}
	if len(missing) == 0 {
		return nil, errBadRequest("The connection already has all the requested scopes.")
	}
	cred := obj{"component": "account", "type": conn["accountType"], "name": conn["accountName"],
		"label": conn["name"], "description": "", "scope": missing, "remoteScope": granted,
		"appName": conn["accountName"], "appModules": []any{}, "appVersion": nil}
	out := c.newRequest(num(conn["teamId"]), obj{"name": "Scope extension: " + str(conn["name"])}, []obj{cred})
	cred["remoteId"] = conn["id"]
	delete(out, "credentials")
	return out, nil
}

// credential finds a credential by the path's id, in this zone.
func (c *call) credential() (obj, *apiError) {
	cr := c.w.credentials().byKey[c.r.PathValue("id")]
	if cr == nil {
		return nil, errNotFound("Credential")
	}
	r := credentialRequestsResource.collectionOf(c).byKey[str(cr["requestId"])]
	if r == nil || c.w.zoneOfTeam(num(r["teamId"])) != c.zone {
		return nil, errNotFound("Credential")
	}
	return cr, nil
}

func (s *Server) declineCredential(c *call) (any, *apiError) {
	cr, err := c.credential()
	if err != nil {
		return nil, err
	}
	var b obj
	if len(strings.TrimSpace(string(c.body))) > 0 {
		if err := c.decode(&b); err != nil {
			return nil, err
		}
	}
	cr["state"], cr["declineReason"], cr["updatedAt"] = "declined", b["reason"], stamp(now())
	return obj{"credential": cr}, nil
}

// deleteRemoteCredential removes what the user authorized (the tokens or
// the key) and sets the credential pending again.
func (s *Server) deleteRemoteCredential(c *call) (any, *apiError) {
	cr, err := c.credential()
	if err != nil {
		return nil, err
	}
	cr["state"], cr["remoteId"], cr["tokenId"], cr["declineReason"] = "pending", nil, nil, nil
	cr["remoteScope"], cr["updatedAt"] = []any{}, stamp(now())
	return obj{"credential": cr}, nil
}

// appModules are the modules needing credentials of the apps the fake
// knows, by app name: Make's fixture of Slack's.
func appModules(app string) []obj {
	if app != "slack" {
		return nil
	}
	answer, err := readFixture("credential-requests/list-app-modules-with-credentials.json")
	if err != nil {
		return nil
	}
	return list(answer["appModules"])
}

func (s *Server) listAppModulesWithCredentials(c *call) (any, *apiError) {
	version := c.r.PathValue("version")
	if n := num(version); version != "latest" && (n <= 0 || itoa(n) != version) {
		return nil, errBadRequest("Validation failed.", "The app version must be a positive integer or latest.")
	}
	mods := appModules(c.r.PathValue("app"))
	if mods == nil {
		return nil, errNotFound("App")
	}
	return obj{"appModules": mods}, nil
}

// Public templates: Make's approved scenario templates, the same for
// everyone.

func (s *Server) listPublicTemplates(c *call) (any, *apiError) {
	q := c.r.URL.Query()
	name := strings.ToLower(q.Get("name"))
	apps := q["usedApps[]"]
	items := slices.DeleteFunc(publicTemplatesResource.collectionOf(c).list(), func(t obj) bool {
		used := values(t["usedApps"])
		return name != "" && !strings.Contains(strings.ToLower(str(t["name"])), name) ||
			slices.ContainsFunc(apps, func(a string) bool { return !slices.Contains(used, any(a)) })
	})
	return c.listing("templatesPublic", items, "usage", "desc")
}

// getPublicTemplateBlueprint answers Make's fixture blueprint under the
// template's name.
func (s *Server) getPublicTemplateBlueprint(c *call) (any, *apiError) {
	t, _, err := publicTemplatesResource.member(c)
	if err != nil {
		return nil, err
	}
	answer, rerr := readFixture("public-templates/blueprint.json")
	if rerr != nil {
		return nil, errNotFound("Blueprint")
	}
	for _, k := range []string{"blueprint", "controller"} {
		if part, ok := answer[k].(map[string]any); ok {
			part["name"] = t["name"]
		}
	}
	return answer, nil
}

// values reads a JSON array of any values.
func values(v any) []any {
	arr, _ := v.([]any)
	return arr
}
