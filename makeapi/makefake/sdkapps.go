package makefake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io/fs"
	"mime"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/makemcp/makemcp/makeapi/scope"
)

// Custom apps (Make's SDK apps): an app is named by its name and version;
// its modules, RPCs, functions and endpoints belong to one version and
// are generic resources; its connections and webhooks belong to the app,
// have names of their own, and are served here. Every part keeps its
// definition in documents (sections as JSONC, the readme as markdown, code
// as JavaScript, the icon as PNG), which the fake stores as sent.

// sdkAppResources are the parts of one app version.
var sdkAppResources = []*resource{
	{path: "/sdk/apps/{appName}/{appVersion}/modules", key: "name", one: "appModule", many: "appModules",
		read: scope.SDKAppsRead, write: scope.SDKAppsWrite, fixtures: []string{"sdk/modules/list.json", "sdk/modules/get.json"}},
	{path: "/sdk/apps/{appName}/{appVersion}/rpcs", key: "name", one: "appRpc", many: "appRpcs",
		read: scope.SDKAppsRead, write: scope.SDKAppsWrite, fixtures: []string{"sdk/rpcs/list.json", "sdk/rpcs/get.json"}},
	{path: "/sdk/apps/{appName}/{appVersion}/functions", key: "name", one: "appFunction", many: "appFunctions",
		read: scope.SDKAppsRead, write: scope.SDKAppsWrite, fixtures: []string{"sdk/functions/list.json", "sdk/functions/get.json"},
		only: []string{"list", "get", "create", "delete"}},
	{path: "/sdk/apps/{appName}/{appVersion}/endpoints", key: "name", one: "appEndpoint", many: "appEndpoints",
		read: scope.SDKAppsRead, write: scope.SDKAppsWrite, fixtures: []string{"sdk/endpoints/list.json", "sdk/endpoints/get.json"}},
}

// sdkPart finds a row of sdkAppResources by its last path segment.
func sdkPart(kind string) *resource {
	for _, r := range sdkAppResources {
		if strings.HasSuffix(r.path, "/"+kind) {
			return r
		}
	}
	panic("makefake: no custom app part " + kind)
}

// sdkNamedPart is a part of an app that has a name of its own: connections
// and webhooks are listed and created under their app
// (/sdk/apps/{app}/connections) but read and changed by their name alone
// (/sdk/apps/connections/{name}).
type sdkNamedPart struct {
	kind, one, many, what string
	sections              []string
	fixtures              []string
	// extra are the fields a new one starts with besides name, label and
	// type.
	extra obj
}

var (
	sdkConnections = &sdkNamedPart{kind: "connections", one: "appConnection", many: "appConnections", what: "Connection",
		sections: []string{"api", "parameters", "scopes", "scope", "install", "installSpec"},
		fixtures: []string{"sdk/connections/list.json", "sdk/connections/get.json"}}
	sdkWebhooks = &sdkNamedPart{kind: "webhooks", one: "appWebhook", many: "appWebhooks", what: "Webhook",
		sections: []string{"api", "parameters", "attach", "detach", "scope"},
		fixtures: []string{"sdk/webhooks/list.json", "sdk/webhooks/get.json"},
		extra:    obj{"connection": nil, "altConnection": nil}}
)

// The sections of an app, and of its modules, RPCs and endpoints.
var (
	sdkAppSections  = []string{"base", "groups", "install", "installSpec"}
	sdkPartSections = map[string][]string{
		"modules":   {"api", "epoch", "parameters", "expect", "interface", "samples", "scope"},
		"rpcs":      {"api", "parameters"},
		"endpoints": {"api", "scope", "inputParameters", "outputParameters"},
	}
)

// The media types each kind of document is written as.
const (
	sdkJSONC      = "application/jsonc"
	sdkMarkdown   = "text/markdown"
	sdkJavaScript = "application/javascript"
	sdkPNG        = "image/png"
)

// sdkIconSize is the size of the icons Make takes.
const sdkIconSize = 512

// routeSDKApps registers the calls of custom apps beyond their generic
// parts.
func (s *Server) routeSDKApps() {
	h, read, write := s.handle, scope.SDKAppsRead, scope.SDKAppsWrite

	h("GET /sdk/apps", read, listSDKApps)
	h("POST /sdk/apps", write, createSDKApp)
	// /sdk/apps/connections/{name} and /sdk/apps/{app}/connections both
	// match /sdk/apps/connections/connections, as /sdk/apps/{app}/{version}
	// matches both: one handler tells them apart as Make does.
	h("GET /sdk/apps/{first}/{second}", read, getAppOrNamedPart)
	h("PATCH /sdk/apps/{name}/{version}", write, updateSDKApp)
	h("DELETE /sdk/apps/{name}/{version}", write, deleteSDKApp)
	h("POST /sdk/apps/{name}/{version}/public", write, publishSDKApp(true))
	h("POST /sdk/apps/{name}/{version}/private", write, publishSDKApp(false))
	for _, section := range sdkAppSections {
		h("GET /sdk/apps/{name}/{version}/"+section, read, sdkAppDoc(section, sdkJSONC, false))
		h("PUT /sdk/apps/{name}/{version}/"+section, write, sdkAppDoc(section, sdkJSONC, true))
	}
	h("GET /sdk/apps/{name}/{version}/readme", read, sdkAppDoc("readme", sdkMarkdown, false))
	h("PUT /sdk/apps/{name}/{version}/readme", write, sdkAppDoc("readme", sdkMarkdown, true))
	h("GET /sdk/apps/{name}/{version}/common", read, sdkAppDoc("common", "application/json", false))
	h("PUT /sdk/apps/{name}/{version}/common", write, sdkAppDoc("common", "application/json", true))
	h("PUT /sdk/apps/{name}/{version}/icon", write, setSDKAppIcon)
	h("GET /sdk/apps/{name}/{version}/icon/{size}", read, getSDKAppIcon)

	for _, p := range []*sdkNamedPart{sdkConnections, sdkWebhooks} {
		h("POST /sdk/apps/{appName}/"+p.kind, write, p.create)
		h("PATCH /sdk/apps/"+p.kind+"/{name}", write, p.update)
		h("DELETE /sdk/apps/"+p.kind+"/{name}", write, p.delete)
		for _, section := range p.sections {
			h("GET /sdk/apps/"+p.kind+"/{name}/"+section, read, p.doc(section, sdkJSONC, false))
			h("PUT /sdk/apps/"+p.kind+"/{name}/"+section, write, p.doc(section, sdkJSONC, true))
		}
	}
	h("GET /sdk/apps/connections/{name}/common", read, sdkConnections.doc("common", "application/json", false))
	h("PUT /sdk/apps/connections/{name}/common", write, sdkConnections.doc("common", "application/json", true))

	for kind := range sdkPartSections {
		member := "/sdk/apps/{appName}/{appVersion}/" + kind + "/{id}"
		h("GET "+member+"/{section}", read, sdkPartDoc(kind, false))
		h("PUT "+member+"/{section}", write, sdkPartDoc(kind, true))
	}
	for _, kind := range []string{"modules", "endpoints"} {
		member := "/sdk/apps/{appName}/{appVersion}/" + kind + "/{id}"
		h("POST "+member+"/public", write, publishSDKPart(kind, true))
		h("POST "+member+"/private", write, publishSDKPart(kind, false))
	}
	functions := "/sdk/apps/{appName}/{appVersion}/functions/{id}"
	h("GET "+functions+"/code", read, sdkFunctionDoc("code", false))
	h("PUT "+functions+"/code", write, sdkFunctionDoc("code", true))
	h("GET "+functions+"/test", read, sdkFunctionDoc("test", false))
	h("PUT "+functions+"/test", write, sdkFunctionDoc("test", true))
	h("POST /sdk/apps/{appName}/{appVersion}/rpcs/{id}", write, testSDKRPC)
}

// ---- Apps ----

// The apps live in one collection, keyed by name and version.
const sdkAppsPath = "/sdk/apps"

func sdkAppKey(name, version string) string { return name + "/" + version }

// app finds the app version a request's path names.
func (c *call) sdkApp(name, version string) (obj, *apiError) {
	if o := c.w.collectionAt(sdkAppsPath).byKey[sdkAppKey(name, version)]; o != nil {
		return o, nil
	}
	return nil, errNotFound("App")
}

// sdkAppNamed reports whether some version of an app exists.
func (w *world) sdkAppNamed(name string) bool {
	return slices.ContainsFunc(w.collectionAt(sdkAppsPath).list(), func(o obj) bool { return str(o["name"]) == name })
}

func listSDKApps(c *call) (any, *apiError) {
	return obj{"apps": projectAll(c.w.collectionAt(sdkAppsPath).list(), c.cols(nil))}, nil
}

func getAppOrNamedPart(c *call) (any, *apiError) {
	first, second := c.r.PathValue("first"), c.r.PathValue("second")
	for _, p := range []*sdkNamedPart{sdkConnections, sdkWebhooks} {
		switch {
		case first == p.kind:
			return p.get(c, second)
		case second == p.kind:
			return p.list(c, first)
		}
	}
	o, err := c.sdkApp(first, second)
	if err != nil {
		return nil, err
	}
	return obj{"app": project(o, c.cols(nil))}, nil
}

var sdkAppNamePattern = regexp.MustCompile(`^[a-z][a-z0-9-]*[a-z0-9]$`)

// createSDKApp makes version 1 of an app. Make keeps app names unique by
// adding a number: my-app becomes my-app-1.
func createSDKApp(c *call) (any, *apiError) {
	var body obj
	if err := c.decode(&body); err != nil {
		return nil, err
	}
	for _, field := range []string{"name", "label", "theme", "language", "audience"} {
		if strings.TrimSpace(str(body[field])) == "" {
			return nil, errBadRequest("Validation failed.", "Missing value of required parameter '"+field+"'.")
		}
	}
	name := str(body["name"])
	if !sdkAppNamePattern.MatchString(name) {
		return nil, errBadRequest("Validation failed.", "The name may hold lowercase letters, digits and hyphens, starting with a letter.")
	}
	for n := 1; ; n++ {
		if candidate := name + "-" + strconv.Itoa(n); !c.w.sdkAppNamed(candidate) {
			name = candidate
			break
		}
	}
	app := obj{"name": name, "version": jsonNumber(1), "public": false, "approved": false, "beta": true,
		"created": stamp(now()), "manifestVersion": jsonNumber(2)}
	for k, v := range body {
		if k != "name" && k != "version" {
			app[k] = v
		}
	}
	c.w.collectionAt(sdkAppsPath).put(sdkAppKey(name, "1"), app)
	return obj{"app": app}, nil
}

func updateSDKApp(c *call) (any, *apiError) {
	name, version := c.r.PathValue("name"), c.r.PathValue("version")
	app, err := c.sdkApp(name, version)
	if err != nil {
		return nil, err
	}
	var body obj
	if err := c.decode(&body); err != nil {
		return nil, err
	}
	for k, v := range body {
		if k != "name" && k != "version" {
			app[k] = v
		}
	}
	return obj{"app": app}, nil
}

// deleteSDKApp removes an app version with its parts and documents; its
// connections and webhooks go with its last version.
func deleteSDKApp(c *call) (any, *apiError) {
	name, version := c.r.PathValue("name"), c.r.PathValue("version")
	if _, err := c.sdkApp(name, version); err != nil {
		return nil, err
	}
	c.w.collectionAt(sdkAppsPath).del(sdkAppKey(name, version))
	c.w.forgetSDK(sdkAppsPath + "/" + name + "/" + version + "/")
	if !c.w.sdkAppNamed(name) {
		for _, p := range []*sdkNamedPart{sdkConnections, sdkWebhooks} {
			for _, o := range p.of(c.w, name).list() {
				c.w.forgetSDK(p.path(str(o["name"])) + "/")
			}
			c.w.forgetSDK(sdkAppsPath + "/" + name + "/" + p.kind)
		}
	}
	return obj{"app": name}, nil
}

// forgetSDK drops the collections and documents under a path prefix.
func (w *world) forgetSDK(prefix string) {
	for path := range w.collections {
		if strings.HasPrefix(path, prefix) {
			delete(w.collections, path)
		}
	}
	docs := w.sdkDocs()
	for _, path := range slices.Clone(docs.order) {
		if strings.HasPrefix(path, prefix) {
			docs.del(path)
		}
	}
}

func publishSDKApp(public bool) handler {
	return func(c *call) (any, *apiError) {
		app, err := c.sdkApp(c.r.PathValue("name"), c.r.PathValue("version"))
		if err != nil {
			return nil, err
		}
		app["public"] = public
		return obj{"app": app}, nil
	}
}

// sdkAppDoc reads or writes a document of an app version.
func sdkAppDoc(section, media string, write bool) handler {
	return func(c *call) (any, *apiError) {
		name, version := c.r.PathValue("name"), c.r.PathValue("version")
		if _, err := c.sdkApp(name, version); err != nil {
			return nil, err
		}
		return c.sdkDoc(sdkAppsPath+"/"+name+"/"+version+"/"+section, section, media, write)
	}
}

// ---- Documents ----

// sdkDocs holds the documents of custom apps by the path they are read
// and written at, each as {contentType, body}.
func (w *world) sdkDocs() *collection { return w.collectionAt("sdk documents") }

func (w *world) putSDKDoc(path, media string, body []byte) {
	w.sdkDocs().put(path, obj{"contentType": media, "body": body})
}

// sdkDoc serves a document: a write stores the body as sent, in the media
// type the document takes; a read answers what was stored, or what Make
// starts a part with. JSON sections read back as JSON when they are JSON,
// and as JSONC text when they hold comments.
func (c *call) sdkDoc(path, section, media string, write bool) (any, *apiError) {
	docs := c.w.sdkDocs()
	if write {
		sent, _, _ := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
		if !sdkMediaAccepted(media, sent) {
			return nil, errBadRequest("Unsupported content type.", "The "+section+" is sent as "+media+", not "+cmpOr(sent, "nothing")+".")
		}
		if len(bytes.TrimSpace(c.body)) == 0 {
			return nil, errBadRequest("Validation failed.", "The "+section+" must not be empty.")
		}
		if media == "application/json" {
			var o map[string]any
			if decode(c.body, &o) != nil || o == nil {
				return nil, errBadRequest("Validation failed.", "The "+section+" must be a JSON object.")
			}
		}
		c.w.putSDKDoc(path, media, bytes.Clone(c.body))
		return obj{"changed": true}, nil
	}
	body := []byte(nil)
	if d := docs.byKey[path]; d != nil {
		body, _ = d["body"].([]byte)
	} else {
		body = sdkStartingDoc(section, media)
	}
	switch {
	case media == sdkJSONC && json.Valid(body):
		return &document{contentType: "application/json", body: body}, nil
	case media == sdkJavaScript:
		return &document{contentType: "text/plain; charset=utf-8", body: body}, nil
	case media == sdkMarkdown:
		return &document{contentType: "text/markdown; charset=utf-8", body: body}, nil
	}
	return &document{contentType: media, body: body}, nil
}

// sdkMediaAccepted reports whether a document of media may be sent as sent: a
// JSONC document may also come as plain JSON.
func sdkMediaAccepted(media, sent string) bool {
	return sent == media || (media == sdkJSONC && sent == "application/json")
}

// sdkStartingDoc is what a part's document holds before anything is written
// to it: lists for the sections that list things, objects for the rest,
// empty text for code and the readme.
func sdkStartingDoc(section, media string) []byte {
	switch {
	case media == sdkMarkdown || media == sdkJavaScript:
		return []byte{}
	case slices.Contains([]string{"groups", "parameters", "expect", "interface", "scope", "inputParameters", "outputParameters"}, section):
		return []byte("[]")
	}
	return []byte("{}")
}

// ---- The icon ----

func setSDKAppIcon(c *call) (any, *apiError) {
	name, version := c.r.PathValue("name"), c.r.PathValue("version")
	if _, err := c.sdkApp(name, version); err != nil {
		return nil, err
	}
	if sent, _, _ := mime.ParseMediaType(c.r.Header.Get("Content-Type")); sent != sdkPNG {
		return nil, errBadRequest("Unsupported content type.", "The icon is sent as image/png.")
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(c.body))
	if err != nil || cfg.Width != sdkIconSize || cfg.Height != sdkIconSize {
		return nil, errBadRequest("Validation failed.", "The icon must be a 512x512 PNG.")
	}
	c.w.putSDKDoc(sdkAppsPath+"/"+name+"/"+version+"/icon", sdkPNG, bytes.Clone(c.body))
	return obj{"changed": true}, nil
}

// getSDKAppIcon renders the app's icon at the size asked for.
func getSDKAppIcon(c *call) (any, *apiError) {
	name, version := c.r.PathValue("name"), c.r.PathValue("version")
	if _, err := c.sdkApp(name, version); err != nil {
		return nil, err
	}
	size, err := strconv.Atoi(c.r.PathValue("size"))
	if err != nil || size < 1 || size > sdkIconSize {
		return nil, errBadRequest("Validation failed.", "The size is a number of pixels from 1 to 512.")
	}
	d := c.w.sdkDocs().byKey[sdkAppsPath+"/"+name+"/"+version+"/icon"]
	if d == nil {
		return nil, errNotFound("Icon")
	}
	body, _ := d["body"].([]byte)
	if size != sdkIconSize {
		body = scaledPNG(body, size)
	}
	return &document{contentType: sdkPNG, body: body}, nil
}

// scaledPNG renders a PNG at another size, nearest pixel first.
func scaledPNG(b []byte, size int) []byte {
	src, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return b
	}
	sb := src.Bounds()
	dst := image.NewNRGBA(image.Rect(0, 0, size, size))
	for y := range size {
		for x := range size {
			dst.Set(x, y, src.At(sb.Min.X+x*sb.Dx()/size, sb.Min.Y+y*sb.Dy()/size))
		}
	}
	var out bytes.Buffer
	_ = png.Encode(&out, dst)
	return out.Bytes()
}

// solidPNG is an icon of one colour, given as #RRGGBB: the fake's
// starting icon for an app, in its theme.
func solidPNG(theme string) []byte {
	var r, g, b uint8
	if _, err := fmt.Sscanf(strings.TrimPrefix(theme, "#"), "%02x%02x%02x", &r, &g, &b); err != nil {
		r, g, b = 0x6d, 0x00, 0xcc
	}
	img := image.NewNRGBA(image.Rect(0, 0, sdkIconSize, sdkIconSize))
	for y := range sdkIconSize {
		for x := range sdkIconSize {
			img.SetNRGBA(x, y, color.NRGBA{r, g, b, 0xff})
		}
	}
	var out bytes.Buffer
	_ = png.Encode(&out, img)
	return out.Bytes()
}

// ---- Connections and webhooks ----

// of is the collection of an app's connections or webhooks.
func (p *sdkNamedPart) of(w *world, app string) *collection {
	return w.collectionAt(sdkAppsPath + "/" + app + "/" + p.kind)
}

// path is where one is read and changed.
func (p *sdkNamedPart) path(name string) string { return sdkAppsPath + "/" + p.kind + "/" + name }

// find looks a connection or webhook up by its name, in every app.
func (p *sdkNamedPart) find(w *world, name string) (*collection, obj) {
	for path, coll := range w.collections {
		if strings.HasPrefix(path, sdkAppsPath+"/") && strings.HasSuffix(path, "/"+p.kind) && strings.Count(path, "/") == 4 {
			if o := coll.byKey[name]; o != nil {
				return coll, o
			}
		}
	}
	return nil, nil
}

func (p *sdkNamedPart) list(c *call, app string) (any, *apiError) {
	if !c.w.sdkAppNamed(app) {
		return nil, errNotFound("App")
	}
	return obj{p.many: p.of(c.w, app).list()}, nil
}

func (p *sdkNamedPart) get(c *call, name string) (any, *apiError) {
	if _, o := p.find(c.w, name); o != nil {
		return obj{p.one: o}, nil
	}
	return nil, errNotFound(p.what)
}

// create adds one to an app. Make names the first after the app and the
// next ones with a number added: my-app-1, my-app-12, my-app-13.
func (p *sdkNamedPart) create(c *call) (any, *apiError) {
	app := c.r.PathValue("appName")
	if !c.w.sdkAppNamed(app) {
		return nil, errNotFound("App")
	}
	var body obj
	if err := c.decode(&body); err != nil {
		return nil, err
	}
	for _, field := range []string{"type", "label"} {
		if strings.TrimSpace(str(body[field])) == "" {
			return nil, errBadRequest("Validation failed.", "Missing value of required parameter '"+field+"'.")
		}
	}
	name := app
	for n := 2; ; n++ {
		if _, taken := p.find(c.w, name); taken == nil {
			break
		}
		name = app + strconv.Itoa(n)
	}
	o := obj{"name": name, "label": body["label"], "type": body["type"]}
	merge(o, clone(p.extra))
	p.of(c.w, app).put(name, o)
	return obj{p.one: o}, nil
}

func (p *sdkNamedPart) update(c *call) (any, *apiError) {
	_, o := p.find(c.w, c.r.PathValue("name"))
	if o == nil {
		return nil, errNotFound(p.what)
	}
	var body obj
	if err := c.decode(&body); err != nil {
		return nil, err
	}
	for k, v := range body {
		if k != "name" && k != "type" {
			o[k] = v
		}
	}
	return obj{p.one: o}, nil
}

func (p *sdkNamedPart) delete(c *call) (any, *apiError) {
	name := c.r.PathValue("name")
	coll, o := p.find(c.w, name)
	if o == nil {
		return nil, errNotFound(p.what)
	}
	coll.del(name)
	c.w.forgetSDK(p.path(name) + "/")
	return obj{p.one: name}, nil
}

// doc reads or writes a document of a connection or webhook.
func (p *sdkNamedPart) doc(section, media string, write bool) handler {
	return func(c *call) (any, *apiError) {
		name := c.r.PathValue("name")
		if _, o := p.find(c.w, name); o == nil {
			return nil, errNotFound(p.what)
		}
		return c.sdkDoc(p.path(name)+"/"+section, section, media, write)
	}
}

// ---- Modules, RPCs, functions and endpoints ----

// sdkPartDoc reads or writes a section of a module, RPC or endpoint.
func sdkPartDoc(kind string, write bool) handler {
	r := sdkPart(kind)
	return func(c *call) (any, *apiError) {
		section := c.r.PathValue("section")
		if !slices.Contains(sdkPartSections[kind], section) {
			return nil, errNotFound("Section")
		}
		if _, _, err := r.member(c); err != nil {
			return nil, err
		}
		return c.sdkDoc(strings.TrimPrefix(c.r.URL.Path, "/api/v2"), section, sdkJSONC, write)
	}
}

// sdkFunctionDoc reads or writes a function's code or test.
func sdkFunctionDoc(which string, write bool) handler {
	r := sdkPart("functions")
	return func(c *call) (any, *apiError) {
		if _, _, err := r.member(c); err != nil {
			return nil, err
		}
		return c.sdkDoc(strings.TrimPrefix(c.r.URL.Path, "/api/v2"), which, sdkJavaScript, write)
	}
}

func publishSDKPart(kind string, public bool) handler {
	r := sdkPart(kind)
	return func(c *call) (any, *apiError) {
		o, _, err := r.member(c)
		if err != nil {
			return nil, err
		}
		o["public"] = public
		return obj{r.one: o}, nil
	}
}

// testSDKRPC checks the data against the schema given, as Make does before
// it calls the RPC. The fake reaches no service: it answers the data as
// the options an RPC gives, {label, value} for each parameter.
func testSDKRPC(c *call) (any, *apiError) {
	if _, _, err := sdkPart("rpcs").member(c); err != nil {
		return nil, err
	}
	var body struct {
		Data   map[string]any `json:"data"`
		Schema []struct {
			Name     string `json:"name"`
			Required bool   `json:"required"`
		} `json:"schema"`
	}
	if err := c.decode(&body); err != nil {
		return nil, err
	}
	if body.Data == nil || body.Schema == nil {
		return nil, errBadRequest("Validation failed.", "Missing value of required parameter 'data' or 'schema'.")
	}
	options := []obj{}
	for _, p := range body.Schema {
		v, ok := body.Data[p.Name]
		if p.Required && !ok {
			return nil, errBadRequest("Validation failed.", "Missing value of required parameter '"+p.Name+"'.")
		}
		if ok {
			options = append(options, obj{"label": p.Name, "value": v})
		}
	}
	return options, nil
}

// ---- The starting apps ----

// seedSDKApps starts the account with the apps of Make's fixtures. The
// app of sdk/apps/get.json holds every other part the fixtures show, with
// the fixtures' sections, readme and common data, and an icon in its
// theme.
func (w *world) seedSDKApps() error {
	listing, err := readFixture("sdk/apps/list.json")
	if err != nil {
		return err
	}
	got, err := readFixture("sdk/apps/get.json")
	if err != nil {
		return err
	}
	apps := w.collectionAt(sdkAppsPath)
	main, _ := got["app"].(map[string]any)
	for _, a := range append(list(listing["apps"]), main) {
		key := sdkAppKey(str(a["name"]), keyText(a["version"]))
		if apps.byKey[key] == nil {
			apps.put(key, a)
		} else {
			merge(apps.byKey[key], a)
		}
	}
	name, version := str(main["name"]), keyText(main["version"])
	base := sdkAppsPath + "/" + name + "/" + version

	for _, r := range sdkAppResources {
		if err := w.seedNamed(w.collectionAt(strings.NewReplacer("{appName}", name, "{appVersion}", version).Replace(r.path)), r.fixtures, r.one, r.many); err != nil {
			return err
		}
	}
	for _, p := range []*sdkNamedPart{sdkConnections, sdkWebhooks} {
		if err := w.seedNamed(p.of(w, name), p.fixtures, p.one, p.many); err != nil {
			return err
		}
	}

	docs := []struct{ fixture, path, media string }{
		{"sdk/apps/get-section.json", base + "/base", sdkJSONC},
		{"sdk/apps/get-common.json", base + "/common", "application/json"},
		{"sdk/apps/get-docs.txt", base + "/readme", sdkMarkdown},
	}
	for fixture, kind := range map[string]string{"sdk/modules/get.json": "modules", "sdk/rpcs/get.json": "rpcs"} {
		o, err := readFixture(fixture)
		if err != nil {
			return err
		}
		one := sdkPart(kind).one
		part, _ := o[one].(map[string]any)
		docs = append(docs, struct{ fixture, path, media string }{
			"sdk/" + kind + "/get-section.json", base + "/" + kind + "/" + str(part["name"]) + "/api", sdkJSONC})
	}
	for _, p := range []*sdkNamedPart{sdkConnections, sdkWebhooks} {
		o, err := readFixture(p.fixtures[1])
		if err != nil {
			return err
		}
		part, _ := o[p.one].(map[string]any)
		docs = append(docs, struct{ fixture, path, media string }{
			"sdk/" + p.kind + "/get-section.json", p.path(str(part["name"])) + "/api", sdkJSONC})
		if p == sdkConnections {
			docs = append(docs, struct{ fixture, path, media string }{
				"sdk/connections/get-common.json", p.path(str(part["name"])) + "/common", "application/json"})
		}
	}
	for _, d := range docs {
		b, err := fs.ReadFile(FixtureFS, d.fixture)
		if err != nil {
			return err
		}
		w.putSDKDoc(d.path, d.media, b)
	}
	w.putSDKDoc(base+"/icon", sdkPNG, solidPNG(str(main["theme"])))
	return nil
}

// seedNamed puts the objects of a listing and a get into a collection by
// name; the get's object, the fuller one, wins.
func (w *world) seedNamed(c *collection, fixtures []string, one, many string) error {
	for _, name := range fixtures {
		objs, err := fixtureListed(name, one, many)
		if err != nil {
			return err
		}
		for _, o := range objs {
			key := str(o["name"])
			if c.byKey[key] == nil {
				c.put(key, o)
			} else {
				merge(c.byKey[key], o)
			}
		}
	}
	return nil
}
