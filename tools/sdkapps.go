package tools

import (
	"bytes"
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"image/png"
	"mime"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/makemcp/makemcp/makeapi/scope"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// The SDKApps toolset: custom apps, which developers build on Make's
// platform (Make's SDK apps), and their parts. An app is named by its
// name and version; its modules, RPCs, functions and endpoints belong to
// one version; its connections and webhooks belong to the app and have
// names of their own. Each part keeps its definition in sections: JSON
// (written as JSONC, so comments are allowed), the readme as markdown, a
// function's code and test as JavaScript.

func sdkAppTools() []Tool {
	return []Tool{
		sdkAppsList, sdkAppsGet, sdkAppsCreate, sdkAppsUpdate, sdkAppsDelete,
		sdkAppsGetSection, sdkAppsSetSection, sdkAppsGetDocs, sdkAppsSetDocs,
		sdkAppsGetCommon, sdkAppsSetCommon, sdkAppsSetIcon, sdkAppsGetIcon,
		sdkAppsSetPublic, sdkAppsSetPrivate,

		sdkConnectionsList, sdkConnectionsGet, sdkConnectionsCreate, sdkConnectionsUpdate,
		sdkConnectionsDelete, sdkConnectionsGetSection, sdkConnectionsSetSection,
		sdkConnectionsGetCommon, sdkConnectionsSetCommon,

		sdkWebhooksList, sdkWebhooksGet, sdkWebhooksCreate, sdkWebhooksUpdate,
		sdkWebhooksDelete, sdkWebhooksGetSection, sdkWebhooksSetSection,

		sdkModulesList, sdkModulesGet, sdkModulesCreate, sdkModulesUpdate, sdkModulesDelete,
		sdkModulesGetSection, sdkModulesSetSection, sdkModulesSetPublic, sdkModulesSetPrivate,

		sdkRPCsList, sdkRPCsGet, sdkRPCsCreate, sdkRPCsUpdate, sdkRPCsDelete, sdkRPCsTest,
		sdkRPCsGetSection, sdkRPCsSetSection,

		sdkFunctionsList, sdkFunctionsGet, sdkFunctionsCreate, sdkFunctionsDelete,
		sdkFunctionsGetCode, sdkFunctionsSetCode, sdkFunctionsGetTest, sdkFunctionsSetTest,

		sdkEndpointsList, sdkEndpointsGet, sdkEndpointsCreate, sdkEndpointsUpdate, sdkEndpointsDelete,
		sdkEndpointsGetSection, sdkEndpointsSetSection, sdkEndpointsSetPublic, sdkEndpointsSetPrivate,
	}
}

// The sections each part of an app keeps its definition in.
var (
	sdkAppSections        = []string{"base", "groups", "install", "installSpec"}
	sdkConnectionSections = []string{"api", "parameters", "scopes", "scope", "install", "installSpec"}
	sdkWebhookSections    = []string{"api", "parameters", "attach", "detach", "scope"}
	sdkModuleSections     = []string{"api", "epoch", "parameters", "expect", "interface", "samples", "scope"}
	sdkRPCSections        = []string{"api", "parameters"}
	sdkEndpointSections   = []string{"api", "scope", "inputParameters", "outputParameters"}
)

// checkSDKSection refuses a section the part does not have before it reaches
// a path, where "modules" would turn a section's read into a listing.
func checkSDKSection(section string, of string, allowed []string) error {
	if slices.Contains(allowed, section) {
		return nil
	}
	return fmt.Errorf("section %q is not a section of %s: use one of %s", section, of, strings.Join(allowed, ", "))
}

// checkSDKBody refuses an empty section or document: Make would store it and
// the part would lose its definition.
func checkSDKBody(name, body string) error {
	if strings.TrimSpace(body) == "" {
		return fmt.Errorf("%s is empty: give the whole new content", name)
	}
	return nil
}

// SDKSection is a section of a custom app's definition: its JSON, or its
// text when Make sends something that is not JSON (JSONC with comments).
type SDKSection struct {
	Section     string          `json:"section"`
	ContentType string          `json:"contentType"`
	Data        json.RawMessage `json:"data,omitempty"`
	Text        string          `json:"text,omitempty"`
}

// sdkSectionTool makes the tool that reads one section of a part of an app.
// The section comes back as Make sent it, so a definition kept as JSONC
// keeps its comments.
func sdkSectionTool[In any](e endpoint) Tool {
	e.check()
	e.Doc = cmp.Or(e.Doc, "Make's SDK returns the section bare; here it comes as {section, contentType, data}, "+
		"data being its JSON, or as {section, contentType, text} when Make sends it as text (JSONC with comments), "+
		"since a section may be a list and a tool's result is an object.")
	return define(e.meta(), func(ctx context.Context, c *Call, in In) (*SDKSection, error) {
		args, err := e.arguments(ctx, c, &in)
		if err != nil {
			return nil, err
		}
		r, err := e.request(args)
		if err != nil {
			return nil, err
		}
		d, err := c.Client.DoDocument(ctx, r, "application/json")
		if err != nil {
			return nil, err
		}
		s := &SDKSection{Section: r.Params["section"], ContentType: d.ContentType}
		media, _, _ := mime.ParseMediaType(d.ContentType)
		switch {
		case (media == "application/json" || strings.HasSuffix(media, "+json")) && json.Valid(d.Body):
			s.Data = d.Body
		case utf8.Valid(d.Body):
			s.Text = string(d.Body)
		default:
			return nil, fmt.Errorf("Make API %s %s: the section (%s) is not text", r.Method, r.Path, d.ContentType)
		}
		return s, nil
	})
}

// ---- Apps ----

// sdkAppID names one version of a custom app.
type sdkAppID struct {
	Name    string `json:"name" jsonschema:"The app's name (sdk-apps_list shows them)."`
	Version int64  `json:"version" jsonschema:"The app's version, such as 1."`
}

type sdkAppsListArgs struct {
	Paging
}

var sdkAppsList = listTool[sdkAppsListArgs, Object](endpoint{
	Name: "sdk-apps_list", Title: "List custom apps", Toolset: SDKApps, Scope: scope.SDKAppsRead, Kind: Read,
	Description: "List the custom apps you develop, each with its name, label and version.",
	Method:      "GET", Path: "/sdk/apps?cols[]=*", Answer: "apps",
})

var sdkAppsGet = endpointTool[sdkAppID, Object](endpoint{
	Name: "sdk-apps_get", Title: "Get custom app", Toolset: SDKApps, Scope: scope.SDKAppsRead, Kind: Read,
	Description: "Get a custom app version: its label, description, theme, language, audience and whether it is public.",
	Method:      "GET", Path: "/sdk/apps/{name}/{version}?cols[]=*", Answer: "app",
})

type sdkAppsCreateArgs struct {
	Name        string   `json:"name" jsonschema:"The app's name in URLs: lowercase letters, digits and hyphens. Make adds a suffix."`
	Label       string   `json:"label" jsonschema:"The name people see in the scenario builder."`
	Description string   `json:"description,omitempty" jsonschema:"What the app does."`
	Theme       string   `json:"theme" jsonschema:"The colour of its logo, such as #FF5733."`
	Language    string   `json:"language" jsonschema:"Its language, such as en."`
	Countries   []string `json:"countries,omitempty" jsonschema:"Country codes where it is offered, for audience countries."`
	Private     *bool    `json:"private,omitempty" jsonschema:"Whether it is private."`
	Audience    string   `json:"audience" jsonschema:"Who may use it, such as global or countries."`
}

func (a sdkAppsCreateArgs) validate() error {
	if strings.TrimSpace(a.Name) == "" || strings.TrimSpace(a.Label) == "" {
		return errors.New("give the app a name and a label")
	}
	return nil
}

var sdkAppsCreate = endpointTool[sdkAppsCreateArgs, Object](endpoint{
	Name: "sdk-apps_create", Title: "Create custom app", Toolset: SDKApps, Scope: scope.SDKAppsWrite, Kind: Create,
	Description: "Create a custom app (version 1). Returns it with the name Make gave it.",
	Method:      "POST", Path: "/sdk/apps", Answer: "app",
})

type sdkAppsUpdateArgs struct {
	sdkAppID
	Label       string   `json:"label,omitempty" jsonschema:"A new label."`
	Description string   `json:"description,omitempty" jsonschema:"A new description."`
	Theme       string   `json:"theme,omitempty" jsonschema:"A new logo colour, such as #FF5733."`
	Language    string   `json:"language,omitempty" jsonschema:"A new language."`
	Countries   []string `json:"countries,omitempty" jsonschema:"New country codes where it is offered."`
	Audience    string   `json:"audience,omitempty" jsonschema:"A new audience, such as global or countries."`
}

func (a sdkAppsUpdateArgs) validate() error {
	if a.Label == "" && a.Description == "" && a.Theme == "" && a.Language == "" && a.Countries == nil && a.Audience == "" {
		return errors.New("nothing to change: give label, description, theme, language, countries or audience")
	}
	return nil
}

var sdkAppsUpdate = endpointTool[sdkAppsUpdateArgs, Object](endpoint{
	Name: "sdk-apps_update", Title: "Update custom app", Toolset: SDKApps, Scope: scope.SDKAppsWrite, Kind: Update,
	Description: "Change a custom app version's label, description, theme, language or audience.",
	Method:      "PATCH", Path: "/sdk/apps/{name}/{version}", Answer: "app",
})

var sdkAppsDelete = endpointTool[sdkAppID, Object](endpoint{
	Name: "sdk-apps_delete", Title: "Delete custom app", Toolset: SDKApps, Scope: scope.SDKAppsWrite, Kind: Delete,
	Description: "Delete a custom app version. The user is asked to confirm.",
	Method:      "DELETE", Path: "/sdk/apps/{name}/{version}",
	AskAnswer: "app",
	Ask:       `Delete custom app {{printf "%q" .label}} ({{.name}} version {{.version}})? This cannot be undone.`,
})

type sdkAppSectionArgs struct {
	sdkAppID
	Section string `json:"section" jsonschema:"base, groups, install or installSpec."`
}

func (a sdkAppSectionArgs) validate() error {
	return checkSDKSection(a.Section, "an app", sdkAppSections)
}

var sdkAppsGetSection = sdkSectionTool[sdkAppSectionArgs](endpoint{
	Name: "sdk-apps_get-section", Title: "Get custom app section", Toolset: SDKApps, Scope: scope.SDKAppsRead, Kind: Read,
	Description: "Read a section of a custom app's definition: base (base URL, shared request settings), groups, install or installSpec.",
	Method:      "GET", Path: "/sdk/apps/{name}/{version}/{section}",
})

type sdkAppSetSectionArgs struct {
	sdkAppID
	Section string `json:"section" jsonschema:"base, groups, install or installSpec."`
	Body    string `json:"body" jsonschema:"The section's new content as JSONC (JSON, comments allowed)."`
}

func (a sdkAppSetSectionArgs) validate() error {
	return errors.Join(checkSDKSection(a.Section, "an app", sdkAppSections), checkSDKBody("body", a.Body))
}

var sdkAppsSetSection = endpointTool[sdkAppSetSectionArgs, Object](endpoint{
	Name: "sdk-apps_set-section", Title: "Set custom app section", Toolset: SDKApps, Scope: scope.SDKAppsWrite, Kind: Update,
	Description: "Replace a section of a custom app's definition (base, groups, install or installSpec).",
	Method:      "PUT", Path: "/sdk/apps/{name}/{version}/{section}", Body: "body", ContentType: "application/jsonc",
})

var sdkAppsGetDocs = endpointTool[sdkAppID, TextDocument](endpoint{
	Name: "sdk-apps_get-docs", Title: "Get custom app readme", Toolset: SDKApps, Scope: scope.SDKAppsRead, Kind: Read,
	Description: "Read a custom app's readme, in markdown.",
	Method:      "GET", Path: "/sdk/apps/{name}/{version}/readme", Accept: "text/markdown, text/plain;q=0.9, */*;q=0.1",
})

type sdkAppDocsArgs struct {
	sdkAppID
	Docs string `json:"docs" jsonschema:"The whole new readme, in markdown."`
}

func (a sdkAppDocsArgs) validate() error { return checkSDKBody("docs", a.Docs) }

var sdkAppsSetDocs = endpointTool[sdkAppDocsArgs, Object](endpoint{
	Name: "sdk-apps_set-docs", Title: "Set custom app readme", Toolset: SDKApps, Scope: scope.SDKAppsWrite, Kind: Update,
	Description: "Replace a custom app's readme (markdown).",
	Method:      "PUT", Path: "/sdk/apps/{name}/{version}/readme", Body: "docs", ContentType: "text/markdown",
})

var sdkAppsGetCommon = endpointTool[sdkAppID, Object](endpoint{
	Name: "sdk-apps_get-common", Title: "Get custom app common data", Toolset: SDKApps, Scope: scope.SDKAppsRead, Kind: Read,
	Description: "Read a custom app's common data: values all its parts share, such as an OAuth client id and secret.",
	Method:      "GET", Path: "/sdk/apps/{name}/{version}/common",
})

type sdkAppCommonArgs struct {
	sdkAppID
	Common Object `json:"common" jsonschema:"The whole new common data, such as {\"clientId\": ..., \"clientSecret\": ...}."`
}

var sdkAppsSetCommon = endpointTool[sdkAppCommonArgs, Object](endpoint{
	Name: "sdk-apps_set-common", Title: "Set custom app common data", Toolset: SDKApps, Scope: scope.SDKAppsWrite, Kind: Update,
	Description: "Replace a custom app's common data (values all its parts share, such as client credentials).",
	Method:      "PUT", Path: "/sdk/apps/{name}/{version}/common", Body: "common",
})

var sdkAppsSetPublic = endpointTool[sdkAppID, Object](endpoint{
	Name: "sdk-apps_set-public", Title: "Make custom app public", Toolset: SDKApps, Scope: scope.SDKAppsWrite, Kind: Switch,
	Description: "Make a custom app version public: anyone with its link can install it.",
	Method:      "POST", Path: "/sdk/apps/{name}/{version}/public",
})

var sdkAppsSetPrivate = endpointTool[sdkAppID, Object](endpoint{
	Name: "sdk-apps_set-private", Title: "Make custom app private", Toolset: SDKApps, Scope: scope.SDKAppsWrite, Kind: Switch,
	Description: "Make a custom app version private again: only its developers' organization can use it.",
	Method:      "POST", Path: "/sdk/apps/{name}/{version}/private",
})

// The icon Make takes: a 512x512 PNG.
const sdkIconSize = 512

type sdkAppIconSetArgs struct {
	sdkAppID
	DataBase64 string `json:"dataBase64" jsonschema:"The icon: a 512x512 PNG, base64-encoded."`
}

// SDKAppIconSet is the result of sdk-apps_set-icon.
type SDKAppIconSet struct {
	Name    string `json:"name"`
	Version int64  `json:"version"`
	Bytes   int    `json:"bytes"`
}

var sdkAppsSetIcon = define(meta{
	Name: "sdk-apps_set-icon", Title: "Set custom app icon", Toolset: SDKApps, Scope: scope.SDKAppsWrite, Kind: Update,
	Description: "Upload a custom app's icon: a 512x512 PNG, base64-encoded.",
	Doc: "The image is checked before it is sent, as Make's SDK does: a PNG signature, its header (IHDR) and " +
		"512x512 pixels; anything else is refused with the reason. A data: URL prefix is dropped.",
},
	func(ctx context.Context, c *Call, in sdkAppIconSetArgs) (*SDKAppIconSet, error) {
		icon, err := decodeSDKIcon(in.DataBase64)
		if err != nil {
			return nil, err
		}
		e := endpoint{Name: "sdk-apps_set-icon", Method: "PUT", Path: "/sdk/apps/{name}/{version}/icon", Kind: Update}
		r, err := e.request(sdkAppArgs(in.sdkAppID))
		if err != nil {
			return nil, err
		}
		r.Text, r.ContentType = icon, "image/png"
		if _, err := c.Client.Do(ctx, r); err != nil {
			return nil, err
		}
		return &SDKAppIconSet{Name: in.Name, Version: in.Version, Bytes: len(icon)}, nil
	})

var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// decodeSDKIcon reads a base64 icon and checks that it is the PNG Make takes,
// so a wrong image is refused with its reason rather than sent.
func decodeSDKIcon(data string) ([]byte, error) {
	if _, b64, ok := strings.Cut(data, ";base64,"); ok && strings.HasPrefix(data, "data:") {
		data = b64
	}
	data = strings.Join(strings.Fields(data), "")
	icon, err := base64.StdEncoding.DecodeString(data)
	if err != nil {
		if icon, err = base64.RawStdEncoding.DecodeString(data); err != nil {
			return nil, fmt.Errorf("dataBase64 is not base64 (%v): give the PNG's bytes in standard base64", err)
		}
	}
	if !bytes.HasPrefix(icon, pngSignature) {
		return nil, fmt.Errorf("the icon is not a PNG image: give a %dx%d PNG", sdkIconSize, sdkIconSize)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(icon))
	if err != nil {
		return nil, fmt.Errorf("the icon is not a valid PNG image (%v): give a %dx%d PNG", err, sdkIconSize, sdkIconSize)
	}
	if cfg.Width != sdkIconSize || cfg.Height != sdkIconSize {
		return nil, fmt.Errorf("the icon is %dx%d: Make takes a %dx%d PNG, resize it first", cfg.Width, cfg.Height, sdkIconSize, sdkIconSize)
	}
	return icon, nil
}

// sdkAppArgs are an app's name and version as a call's path arguments.
func sdkAppArgs(a sdkAppID) map[string]json.RawMessage {
	return map[string]json.RawMessage{"name": mustJSON(a.Name), "version": mustJSON(a.Version)}
}

type sdkAppIconGetArgs struct {
	sdkAppID
	Size int `json:"size,omitempty" jsonschema:"The size in pixels to render it at; default 512."`
}

func (a sdkAppIconGetArgs) validate() error {
	if a.Size < 0 {
		return errors.New("size must be a positive number of pixels, such as 512")
	}
	return nil
}

// SDKAppIcon describes the icon sdk-apps_get-icon returns as an image.
type SDKAppIcon struct {
	ContentType string `json:"contentType"`
	Bytes       int    `json:"bytes"`
	Width       int    `json:"width,omitempty"`
	Height      int    `json:"height,omitempty"`
	image       []byte
}

// content is the image itself, for a model to look at, when it is of a
// kind models read.
func (a *SDKAppIcon) content() []mcp.Content {
	media, _, _ := mime.ParseMediaType(a.ContentType)
	switch media {
	case "image/png", "image/jpeg", "image/gif", "image/webp":
		return []mcp.Content{&mcp.ImageContent{Data: a.image, MIMEType: media}}
	}
	return nil
}

var sdkAppsGetIcon = define(meta{
	Name: "sdk-apps_get-icon", Title: "Get custom app icon", Toolset: SDKApps, Scope: scope.SDKAppsRead, Kind: Read,
	Description: "Get a custom app's icon as an image, with its media type and size.",
	Doc: "Make's SDK returns the icon as a base64 string; here it comes as MCP image content, which " +
		"clients show and models can look at, and the structured result gives its media type, size in bytes " +
		"and, for a PNG, its width and height.",
},
	func(ctx context.Context, c *Call, in sdkAppIconGetArgs) (*SDKAppIcon, error) {
		if err := in.validate(); err != nil {
			return nil, err
		}
		args := sdkAppArgs(in.sdkAppID)
		args["size"] = mustJSON(cmp.Or(in.Size, sdkIconSize))
		e := endpoint{Name: "sdk-apps_get-icon", Method: "GET", Path: "/sdk/apps/{name}/{version}/icon/{size}", Kind: Read}
		r, err := e.request(args)
		if err != nil {
			return nil, err
		}
		d, err := c.Client.DoDocument(ctx, r, "image/png, image/*;q=0.8")
		if err != nil {
			return nil, err
		}
		icon := &SDKAppIcon{ContentType: d.ContentType, Bytes: len(d.Body), image: d.Body}
		if cfg, err := png.DecodeConfig(bytes.NewReader(d.Body)); err == nil {
			icon.Width, icon.Height = cfg.Width, cfg.Height
		}
		return icon, nil
	})

// ---- Connections ----

type sdkAppNameArg struct {
	AppName string `json:"appName" jsonschema:"The app's name (sdk-apps_list shows them)."`
}

type sdkConnectionsListArgs struct {
	sdkAppNameArg
	Paging
}

var sdkConnectionsList = listTool[sdkConnectionsListArgs, Object](endpoint{
	Name: "sdk-connections_list", Title: "List custom app connections", Toolset: SDKApps, Scope: scope.SDKAppsRead, Kind: Read,
	Description: "List a custom app's connections (how it signs in to its service), each with its name, label and type.",
	Method:      "GET", Path: "/sdk/apps/{appName}/connections", Answer: "appConnections",
})

type sdkConnectionName struct {
	ConnectionName string `json:"connectionName" jsonschema:"The connection's name (sdk-connections_list shows them)."`
}

var sdkConnectionsGet = endpointTool[sdkConnectionName, Object](endpoint{
	Name: "sdk-connections_get", Title: "Get custom app connection", Toolset: SDKApps, Scope: scope.SDKAppsRead, Kind: Read,
	Description: "Get a custom app connection's label and type.",
	Method:      "GET", Path: "/sdk/apps/connections/{connectionName}", Answer: "appConnection",
})

type sdkConnectionsCreateArgs struct {
	sdkAppNameArg
	Type  string `json:"type" jsonschema:"The connection's type, such as basic or oauth."`
	Label string `json:"label" jsonschema:"The name people see in the scenario builder."`
}

func (a sdkConnectionsCreateArgs) validate() error {
	if strings.TrimSpace(a.Type) == "" || strings.TrimSpace(a.Label) == "" {
		return errors.New("give the connection a type and a label")
	}
	return nil
}

var sdkConnectionsCreate = endpointTool[sdkConnectionsCreateArgs, Object](endpoint{
	Name: "sdk-connections_create", Title: "Create custom app connection", Toolset: SDKApps, Scope: scope.SDKAppsWrite, Kind: Create,
	Description: "Create a connection for a custom app. Returns it with the name Make gave it.",
	Method:      "POST", Path: "/sdk/apps/{appName}/connections", Answer: "appConnection",
})

type sdkConnectionsUpdateArgs struct {
	sdkConnectionName
	Label string `json:"label,omitempty" jsonschema:"A new label."`
}

func (a sdkConnectionsUpdateArgs) validate() error {
	if strings.TrimSpace(a.Label) == "" {
		return errors.New("nothing to change: give a label")
	}
	return nil
}

var sdkConnectionsUpdate = endpointTool[sdkConnectionsUpdateArgs, Object](endpoint{
	Name: "sdk-connections_update", Title: "Update custom app connection", Toolset: SDKApps, Scope: scope.SDKAppsWrite, Kind: Update,
	Description: "Change a custom app connection's label.",
	Method:      "PATCH", Path: "/sdk/apps/connections/{connectionName}", Answer: "appConnection",
})

var sdkConnectionsDelete = endpointTool[sdkConnectionName, Object](endpoint{
	Name: "sdk-connections_delete", Title: "Delete custom app connection", Toolset: SDKApps, Scope: scope.SDKAppsWrite, Kind: Delete,
	Description: "Delete a custom app connection. The user is asked to confirm.",
	Method:      "DELETE", Path: "/sdk/apps/connections/{connectionName}",
	AskAnswer: "appConnection",
	Ask:       `Delete connection {{printf "%q" .label}} ({{.name}}) of a custom app? This cannot be undone.`,
})

type sdkConnectionSectionArgs struct {
	sdkConnectionName
	Section string `json:"section" jsonschema:"api, parameters, scopes, scope, install or installSpec."`
}

func (a sdkConnectionSectionArgs) validate() error {
	return checkSDKSection(a.Section, "a connection", sdkConnectionSections)
}

var sdkConnectionsGetSection = sdkSectionTool[sdkConnectionSectionArgs](endpoint{
	Name: "sdk-connections_get-section", Title: "Get custom app connection section", Toolset: SDKApps, Scope: scope.SDKAppsRead, Kind: Read,
	Description: "Read a section of a custom app connection: api (how it signs in), parameters, scopes, scope, install or installSpec.",
	Method:      "GET", Path: "/sdk/apps/connections/{connectionName}/{section}",
})

type sdkConnectionSetSectionArgs struct {
	sdkConnectionName
	Section string `json:"section" jsonschema:"api, parameters, scopes, scope, install or installSpec."`
	Body    string `json:"body" jsonschema:"The section's new content as JSONC (JSON, comments allowed)."`
}

func (a sdkConnectionSetSectionArgs) validate() error {
	return errors.Join(checkSDKSection(a.Section, "a connection", sdkConnectionSections), checkSDKBody("body", a.Body))
}

var sdkConnectionsSetSection = endpointTool[sdkConnectionSetSectionArgs, Object](endpoint{
	Name: "sdk-connections_set-section", Title: "Set custom app connection section", Toolset: SDKApps, Scope: scope.SDKAppsWrite, Kind: Update,
	Description: "Replace a section of a custom app connection (api, parameters, scopes, scope, install or installSpec).",
	Method:      "PUT", Path: "/sdk/apps/connections/{connectionName}/{section}", Body: "body", ContentType: "application/jsonc",
})

var sdkConnectionsGetCommon = endpointTool[sdkConnectionName, Object](endpoint{
	Name: "sdk-connections_get-common", Title: "Get custom app connection common data", Toolset: SDKApps, Scope: scope.SDKAppsRead, Kind: Read,
	Description: "Read a custom app connection's common data, such as its OAuth client id and secret.",
	Method:      "GET", Path: "/sdk/apps/connections/{connectionName}/common",
})

type sdkConnectionCommonArgs struct {
	sdkConnectionName
	Common Object `json:"common" jsonschema:"The whole new common data, such as {\"clientId\": ..., \"clientSecret\": ...}."`
}

var sdkConnectionsSetCommon = endpointTool[sdkConnectionCommonArgs, Object](endpoint{
	Name: "sdk-connections_set-common", Title: "Set custom app connection common data", Toolset: SDKApps, Scope: scope.SDKAppsWrite, Kind: Update,
	Description: "Replace a custom app connection's common data, such as its client credentials.",
	Method:      "PUT", Path: "/sdk/apps/connections/{connectionName}/common", Body: "common",
})

// ---- Webhooks ----

type sdkWebhooksListArgs struct {
	sdkAppNameArg
	Paging
}

var sdkWebhooksList = listTool[sdkWebhooksListArgs, Object](endpoint{
	Name: "sdk-webhooks_list", Title: "List custom app webhooks", Toolset: SDKApps, Scope: scope.SDKAppsRead, Kind: Read,
	Description: "List a custom app's webhooks (what its instant triggers listen on), each with its name, label and type.",
	Method:      "GET", Path: "/sdk/apps/{appName}/webhooks", Answer: "appWebhooks",
})

type sdkWebhookName struct {
	WebhookName string `json:"webhookName" jsonschema:"The webhook's name (sdk-webhooks_list shows them)."`
}

var sdkWebhooksGet = endpointTool[sdkWebhookName, Object](endpoint{
	Name: "sdk-webhooks_get", Title: "Get custom app webhook", Toolset: SDKApps, Scope: scope.SDKAppsRead, Kind: Read,
	Description: "Get a custom app webhook's label, type and connections.",
	Method:      "GET", Path: "/sdk/apps/webhooks/{webhookName}", Answer: "appWebhook",
})

type sdkWebhooksCreateArgs struct {
	sdkAppNameArg
	Type  string `json:"type" jsonschema:"The webhook's type, such as web or web-shared."`
	Label string `json:"label" jsonschema:"The name people see in the scenario builder."`
}

func (a sdkWebhooksCreateArgs) validate() error {
	if strings.TrimSpace(a.Type) == "" || strings.TrimSpace(a.Label) == "" {
		return errors.New("give the webhook a type and a label")
	}
	return nil
}

var sdkWebhooksCreate = endpointTool[sdkWebhooksCreateArgs, Object](endpoint{
	Name: "sdk-webhooks_create", Title: "Create custom app webhook", Toolset: SDKApps, Scope: scope.SDKAppsWrite, Kind: Create,
	Description: "Create a webhook for a custom app. Returns it with the name Make gave it.",
	Method:      "POST", Path: "/sdk/apps/{appName}/webhooks", Answer: "appWebhook",
})

type sdkWebhooksUpdateArgs struct {
	sdkWebhookName
	Label string `json:"label,omitempty" jsonschema:"A new label."`
}

func (a sdkWebhooksUpdateArgs) validate() error {
	if strings.TrimSpace(a.Label) == "" {
		return errors.New("nothing to change: give a label")
	}
	return nil
}

var sdkWebhooksUpdate = endpointTool[sdkWebhooksUpdateArgs, Object](endpoint{
	Name: "sdk-webhooks_update", Title: "Update custom app webhook", Toolset: SDKApps, Scope: scope.SDKAppsWrite, Kind: Update,
	Description: "Change a custom app webhook's label.",
	Method:      "PATCH", Path: "/sdk/apps/webhooks/{webhookName}", Answer: "appWebhook",
})

var sdkWebhooksDelete = endpointTool[sdkWebhookName, Object](endpoint{
	Name: "sdk-webhooks_delete", Title: "Delete custom app webhook", Toolset: SDKApps, Scope: scope.SDKAppsWrite, Kind: Delete,
	Description: "Delete a custom app webhook. The user is asked to confirm.",
	Method:      "DELETE", Path: "/sdk/apps/webhooks/{webhookName}",
	AskAnswer: "appWebhook",
	Ask:       `Delete webhook {{printf "%q" .label}} ({{.name}}) of a custom app? This cannot be undone.`,
})

type sdkWebhookSectionArgs struct {
	sdkWebhookName
	Section string `json:"section" jsonschema:"api, parameters, attach, detach or scope."`
}

func (a sdkWebhookSectionArgs) validate() error {
	return checkSDKSection(a.Section, "a webhook", sdkWebhookSections)
}

var sdkWebhooksGetSection = sdkSectionTool[sdkWebhookSectionArgs](endpoint{
	Name: "sdk-webhooks_get-section", Title: "Get custom app webhook section", Toolset: SDKApps, Scope: scope.SDKAppsRead, Kind: Read,
	Description: "Read a section of a custom app webhook: api, parameters, attach, detach or scope.",
	Method:      "GET", Path: "/sdk/apps/webhooks/{webhookName}/{section}",
})

type sdkWebhookSetSectionArgs struct {
	sdkWebhookName
	Section string `json:"section" jsonschema:"api, parameters, attach, detach or scope."`
	Body    string `json:"body" jsonschema:"The section's new content as JSONC (JSON, comments allowed)."`
}

func (a sdkWebhookSetSectionArgs) validate() error {
	return errors.Join(checkSDKSection(a.Section, "a webhook", sdkWebhookSections), checkSDKBody("body", a.Body))
}

var sdkWebhooksSetSection = endpointTool[sdkWebhookSetSectionArgs, Object](endpoint{
	Name: "sdk-webhooks_set-section", Title: "Set custom app webhook section", Toolset: SDKApps, Scope: scope.SDKAppsWrite, Kind: Update,
	Description: "Replace a section of a custom app webhook (api, parameters, attach, detach or scope).",
	Method:      "PUT", Path: "/sdk/apps/webhooks/{webhookName}/{section}", Body: "body", ContentType: "application/jsonc",
})

// ---- The parts of one app version: modules, RPCs, functions, endpoints ----

// sdkAppVersionArg names the app version a module, RPC, function or
// endpoint belongs to.
type sdkAppVersionArg struct {
	AppName    string `json:"appName" jsonschema:"The app's name (sdk-apps_list shows them)."`
	AppVersion int64  `json:"appVersion" jsonschema:"The app's version, such as 1."`
}

type sdkPartsListArgs struct {
	sdkAppVersionArg
	Paging
}

// ---- Modules ----

var sdkModulesList = listTool[sdkPartsListArgs, Object](endpoint{
	Name: "sdk-modules_list", Title: "List custom app modules", Toolset: SDKApps, Scope: scope.SDKAppsRead, Kind: Read,
	Description: "List a custom app's modules (its triggers, actions and searches), each with its name, label and type.",
	Method:      "GET", Path: "/sdk/apps/{appName}/{appVersion}/modules", Answer: "appModules",
})

type sdkModuleID struct {
	sdkAppVersionArg
	ModuleName string `json:"moduleName" jsonschema:"The module's name (sdk-modules_list shows them)."`
}

var sdkModulesGet = endpointTool[sdkModuleID, Object](endpoint{
	Name: "sdk-modules_get", Title: "Get custom app module", Toolset: SDKApps, Scope: scope.SDKAppsRead, Kind: Read,
	Description: "Get a custom app module's label, description, type and connection.",
	Method:      "GET", Path: "/sdk/apps/{appName}/{appVersion}/modules/{moduleName}", Answer: "appModule",
})

type sdkModulesCreateArgs struct {
	sdkAppVersionArg
	Name           string `json:"name" jsonschema:"The module's name, unique in the app."`
	TypeID         int    `json:"typeId" jsonschema:"Its type: 1 trigger, 4 action, 9 search, 10 instant trigger, 11 responder, 12 universal."`
	Label          string `json:"label" jsonschema:"The name people see in the scenario builder."`
	Description    string `json:"description" jsonschema:"What it does."`
	ModuleInitMode string `json:"moduleInitMode,omitempty" jsonschema:"How to start its sections: blank, example or module."`
}

func (a sdkModulesCreateArgs) validate() error {
	if strings.TrimSpace(a.Name) == "" || strings.TrimSpace(a.Label) == "" {
		return errors.New("give the module a name and a label")
	}
	return nil
}

var sdkModulesCreate = endpointTool[sdkModulesCreateArgs, Object](endpoint{
	Name: "sdk-modules_create", Title: "Create custom app module", Toolset: SDKApps, Scope: scope.SDKAppsWrite, Kind: Create,
	Description: "Create a module (a trigger, action or search) in a custom app.",
	Method:      "POST", Path: "/sdk/apps/{appName}/{appVersion}/modules", Answer: "appModule",
})

type sdkModulesUpdateArgs struct {
	sdkModuleID
	Label       string `json:"label,omitempty" jsonschema:"A new label."`
	Description string `json:"description,omitempty" jsonschema:"A new description."`
	Connection  string `json:"connection,omitempty" jsonschema:"The name of the connection it uses."`
}

func (a sdkModulesUpdateArgs) validate() error {
	if a.Label == "" && a.Description == "" && a.Connection == "" {
		return errors.New("nothing to change: give label, description or connection")
	}
	return nil
}

var sdkModulesUpdate = endpointTool[sdkModulesUpdateArgs, Object](endpoint{
	Name: "sdk-modules_update", Title: "Update custom app module", Toolset: SDKApps, Scope: scope.SDKAppsWrite, Kind: Update,
	Description: "Change a custom app module's label, description or connection.",
	Method:      "PATCH", Path: "/sdk/apps/{appName}/{appVersion}/modules/{moduleName}", Answer: "appModule",
})

var sdkModulesDelete = endpointTool[sdkModuleID, Object](endpoint{
	Name: "sdk-modules_delete", Title: "Delete custom app module", Toolset: SDKApps, Scope: scope.SDKAppsWrite, Kind: Delete,
	Description: "Delete a custom app module. The user is asked to confirm.",
	Method:      "DELETE", Path: "/sdk/apps/{appName}/{appVersion}/modules/{moduleName}",
	AskAnswer: "appModule",
	Ask:       `Delete module {{printf "%q" .label}} ({{.name}}) of custom app {{.args.appName}}? This cannot be undone.`,
})

type sdkModuleSectionArgs struct {
	sdkModuleID
	Section string `json:"section" jsonschema:"api, epoch, parameters, expect, interface, samples or scope."`
}

func (a sdkModuleSectionArgs) validate() error {
	return checkSDKSection(a.Section, "a module", sdkModuleSections)
}

var sdkModulesGetSection = sdkSectionTool[sdkModuleSectionArgs](endpoint{
	Name: "sdk-modules_get-section", Title: "Get custom app module section", Toolset: SDKApps, Scope: scope.SDKAppsRead, Kind: Read,
	Description: "Read a section of a custom app module: api (its request), epoch, parameters, expect (mappable parameters), interface (output), samples or scope.",
	Method:      "GET", Path: "/sdk/apps/{appName}/{appVersion}/modules/{moduleName}/{section}",
})

type sdkModuleSetSectionArgs struct {
	sdkModuleID
	Section string `json:"section" jsonschema:"api, epoch, parameters, expect, interface, samples or scope."`
	Body    string `json:"body" jsonschema:"The section's new content as JSONC (JSON, comments allowed)."`
}

func (a sdkModuleSetSectionArgs) validate() error {
	return errors.Join(checkSDKSection(a.Section, "a module", sdkModuleSections), checkSDKBody("body", a.Body))
}

var sdkModulesSetSection = endpointTool[sdkModuleSetSectionArgs, Object](endpoint{
	Name: "sdk-modules_set-section", Title: "Set custom app module section", Toolset: SDKApps, Scope: scope.SDKAppsWrite, Kind: Update,
	Description: "Replace a section of a custom app module (api, epoch, parameters, expect, interface, samples or scope).",
	Method:      "PUT", Path: "/sdk/apps/{appName}/{appVersion}/modules/{moduleName}/{section}", Body: "body", ContentType: "application/jsonc",
})

var sdkModulesSetPublic = endpointTool[sdkModuleID, Object](endpoint{
	Name: "sdk-modules_set-public", Title: "Make custom app module public", Toolset: SDKApps, Scope: scope.SDKAppsWrite, Kind: Switch,
	Description: "Make a custom app module public, so that users of the app see it.",
	Method:      "POST", Path: "/sdk/apps/{appName}/{appVersion}/modules/{moduleName}/public",
})

var sdkModulesSetPrivate = endpointTool[sdkModuleID, Object](endpoint{
	Name: "sdk-modules_set-private", Title: "Make custom app module private", Toolset: SDKApps, Scope: scope.SDKAppsWrite, Kind: Switch,
	Description: "Make a custom app module private again, hidden from the app's users.",
	Method:      "POST", Path: "/sdk/apps/{appName}/{appVersion}/modules/{moduleName}/private",
})

// ---- RPCs ----

var sdkRPCsList = listTool[sdkPartsListArgs, Object](endpoint{
	Name: "sdk-rpcs_list", Title: "List custom app RPCs", Toolset: SDKApps, Scope: scope.SDKAppsRead, Kind: Read,
	Description: "List a custom app's RPCs (calls that fill its modules' fields and options), each with its name and label.",
	Method:      "GET", Path: "/sdk/apps/{appName}/{appVersion}/rpcs", Answer: "appRpcs",
})

type sdkRPCID struct {
	sdkAppVersionArg
	RPCName string `json:"rpcName" jsonschema:"The RPC's name (sdk-rpcs_list shows them)."`
}

var sdkRPCsGet = endpointTool[sdkRPCID, Object](endpoint{
	Name: "sdk-rpcs_get", Title: "Get custom app RPC", Toolset: SDKApps, Scope: scope.SDKAppsRead, Kind: Read,
	Description: "Get a custom app RPC's label and connections.",
	Method:      "GET", Path: "/sdk/apps/{appName}/{appVersion}/rpcs/{rpcName}", Answer: "appRpc",
})

type sdkRPCsCreateArgs struct {
	sdkAppVersionArg
	Name  string `json:"name" jsonschema:"The RPC's name, unique in the app."`
	Label string `json:"label" jsonschema:"Its label."`
}

func (a sdkRPCsCreateArgs) validate() error {
	if strings.TrimSpace(a.Name) == "" || strings.TrimSpace(a.Label) == "" {
		return errors.New("give the RPC a name and a label")
	}
	return nil
}

var sdkRPCsCreate = endpointTool[sdkRPCsCreateArgs, Object](endpoint{
	Name: "sdk-rpcs_create", Title: "Create custom app RPC", Toolset: SDKApps, Scope: scope.SDKAppsWrite, Kind: Create,
	Description: "Create an RPC in a custom app.",
	Method:      "POST", Path: "/sdk/apps/{appName}/{appVersion}/rpcs", Answer: "appRpc",
})

type sdkRPCsUpdateArgs struct {
	sdkRPCID
	Label         string `json:"label,omitempty" jsonschema:"A new label."`
	Connection    string `json:"connection,omitempty" jsonschema:"The name of the connection it uses."`
	AltConnection string `json:"altConnection,omitempty" jsonschema:"The name of its alternative connection."`
}

func (a sdkRPCsUpdateArgs) validate() error {
	if a.Label == "" && a.Connection == "" && a.AltConnection == "" {
		return errors.New("nothing to change: give label, connection or altConnection")
	}
	return nil
}

var sdkRPCsUpdate = endpointTool[sdkRPCsUpdateArgs, Object](endpoint{
	Name: "sdk-rpcs_update", Title: "Update custom app RPC", Toolset: SDKApps, Scope: scope.SDKAppsWrite, Kind: Update,
	Description: "Change a custom app RPC's label or connections.",
	Method:      "PATCH", Path: "/sdk/apps/{appName}/{appVersion}/rpcs/{rpcName}", Answer: "appRpc",
})

var sdkRPCsDelete = endpointTool[sdkRPCID, Object](endpoint{
	Name: "sdk-rpcs_delete", Title: "Delete custom app RPC", Toolset: SDKApps, Scope: scope.SDKAppsWrite, Kind: Delete,
	Description: "Delete a custom app RPC. The user is asked to confirm.",
	Method:      "DELETE", Path: "/sdk/apps/{appName}/{appVersion}/rpcs/{rpcName}",
	AskAnswer: "appRpc",
	Ask:       `Delete RPC {{printf "%q" .label}} ({{.name}}) of custom app {{.args.appName}}? This cannot be undone.`,
})

// sdkRPCParameter defines one parameter of an RPC's test call.
type sdkRPCParameter struct {
	Name     string `json:"name" jsonschema:"The parameter's name."`
	Type     string `json:"type" jsonschema:"Its type, such as number or text."`
	Required bool   `json:"required" jsonschema:"Whether it is required."`
}

type sdkRPCsTestArgs struct {
	sdkRPCID
	Data   Object            `json:"data" jsonschema:"The parameters' values, such as {\"connectionId\": 2}."`
	Schema []sdkRPCParameter `json:"schema" jsonschema:"The parameters' definitions."`
}

// SDKRPCTest is the result of sdk-rpcs_test: what the RPC returned.
type SDKRPCTest struct {
	Result json.RawMessage `json:"result"`
}

var sdkRPCsTest = define(meta{
	Name: "sdk-rpcs_test", Title: "Test custom app RPC", Toolset: SDKApps, Scope: scope.SDKAppsWrite, Kind: Run,
	Description: "Run a custom app RPC against its service with the given parameters, and return what it returned.",
	Doc:         "What the RPC returned comes under result, as Make sent it: a list of options, or any other JSON.",
},
	func(ctx context.Context, c *Call, in sdkRPCsTestArgs) (*SDKRPCTest, error) {
		e := endpoint{Name: "sdk-rpcs_test", Method: "POST", Path: "/sdk/apps/{appName}/{appVersion}/rpcs/{rpcName}", Kind: Run}
		args, err := e.arguments(ctx, c, &in)
		if err != nil {
			return nil, err
		}
		r, err := e.request(args)
		if err != nil {
			return nil, err
		}
		v, err := c.Client.Do(ctx, r)
		if err != nil {
			return nil, err
		}
		return &SDKRPCTest{Result: v}, nil
	})

type sdkRPCSectionArgs struct {
	sdkRPCID
	Section string `json:"section" jsonschema:"api or parameters."`
}

func (a sdkRPCSectionArgs) validate() error {
	return checkSDKSection(a.Section, "an RPC", sdkRPCSections)
}

var sdkRPCsGetSection = sdkSectionTool[sdkRPCSectionArgs](endpoint{
	Name: "sdk-rpcs_get-section", Title: "Get custom app RPC section", Toolset: SDKApps, Scope: scope.SDKAppsRead, Kind: Read,
	Description: "Read a section of a custom app RPC: api (its request) or parameters.",
	Method:      "GET", Path: "/sdk/apps/{appName}/{appVersion}/rpcs/{rpcName}/{section}",
})

type sdkRPCSetSectionArgs struct {
	sdkRPCID
	Section string `json:"section" jsonschema:"api or parameters."`
	Body    string `json:"body" jsonschema:"The section's new content as JSONC (JSON, comments allowed)."`
}

func (a sdkRPCSetSectionArgs) validate() error {
	return errors.Join(checkSDKSection(a.Section, "an RPC", sdkRPCSections), checkSDKBody("body", a.Body))
}

var sdkRPCsSetSection = endpointTool[sdkRPCSetSectionArgs, Object](endpoint{
	Name: "sdk-rpcs_set-section", Title: "Set custom app RPC section", Toolset: SDKApps, Scope: scope.SDKAppsWrite, Kind: Update,
	Description: "Replace a section of a custom app RPC (api or parameters).",
	Method:      "PUT", Path: "/sdk/apps/{appName}/{appVersion}/rpcs/{rpcName}/{section}", Body: "body", ContentType: "application/jsonc",
})

// ---- Functions ----

var sdkFunctionsList = listTool[sdkPartsListArgs, Object](endpoint{
	Name: "sdk-functions_list", Title: "List custom app functions", Toolset: SDKApps, Scope: scope.SDKAppsRead, Kind: Read,
	Description: "List a custom app's functions (JavaScript its sections call), each with its name and arguments.",
	Method:      "GET", Path: "/sdk/apps/{appName}/{appVersion}/functions", Answer: "appFunctions",
})

type sdkFunctionID struct {
	sdkAppVersionArg
	FunctionName string `json:"functionName" jsonschema:"The function's name (sdk-functions_list shows them)."`
}

var sdkFunctionsGet = endpointTool[sdkFunctionID, Object](endpoint{
	Name: "sdk-functions_get", Title: "Get custom app function", Toolset: SDKApps, Scope: scope.SDKAppsRead, Kind: Read,
	Description: "Get a custom app function's name and arguments; sdk-functions_get-code reads its code.",
	Method:      "GET", Path: "/sdk/apps/{appName}/{appVersion}/functions/{functionName}", Answer: "appFunction",
})

type sdkFunctionsCreateArgs struct {
	sdkAppVersionArg
	Name string `json:"name" jsonschema:"The function's name, as its code calls it."`
}

func (a sdkFunctionsCreateArgs) validate() error {
	if strings.TrimSpace(a.Name) == "" {
		return errors.New("give the function a name")
	}
	return nil
}

var sdkFunctionsCreate = endpointTool[sdkFunctionsCreateArgs, Object](endpoint{
	Name: "sdk-functions_create", Title: "Create custom app function", Toolset: SDKApps, Scope: scope.SDKAppsWrite, Kind: Create,
	Description: "Create a function in a custom app; sdk-functions_set-code then gives it its code.",
	Method:      "POST", Path: "/sdk/apps/{appName}/{appVersion}/functions", Answer: "appFunction",
})

var sdkFunctionsDelete = endpointTool[sdkFunctionID, Object](endpoint{
	Name: "sdk-functions_delete", Title: "Delete custom app function", Toolset: SDKApps, Scope: scope.SDKAppsWrite, Kind: Delete,
	Description: "Delete a custom app function with its code and test. The user is asked to confirm.",
	Method:      "DELETE", Path: "/sdk/apps/{appName}/{appVersion}/functions/{functionName}",
	AskAnswer: "appFunction",
	Ask:       `Delete function {{.name}} of custom app {{.args.appName}} with its code and test? This cannot be undone.`,
})

var sdkFunctionsGetCode = endpointTool[sdkFunctionID, TextDocument](endpoint{
	Name: "sdk-functions_get-code", Title: "Get custom app function code", Toolset: SDKApps, Scope: scope.SDKAppsRead, Kind: Read,
	Description: "Read a custom app function's code (JavaScript).",
	Method:      "GET", Path: "/sdk/apps/{appName}/{appVersion}/functions/{functionName}/code", Accept: "text/plain",
})

type sdkFunctionCodeArgs struct {
	sdkFunctionID
	Code string `json:"code" jsonschema:"The function's whole new code (JavaScript)."`
}

func (a sdkFunctionCodeArgs) validate() error { return checkSDKBody("code", a.Code) }

var sdkFunctionsSetCode = endpointTool[sdkFunctionCodeArgs, Object](endpoint{
	Name: "sdk-functions_set-code", Title: "Set custom app function code", Toolset: SDKApps, Scope: scope.SDKAppsWrite, Kind: Update,
	Description: "Replace a custom app function's code (JavaScript).",
	Method:      "PUT", Path: "/sdk/apps/{appName}/{appVersion}/functions/{functionName}/code", Body: "code", ContentType: "application/javascript",
})

var sdkFunctionsGetTest = endpointTool[sdkFunctionID, TextDocument](endpoint{
	Name: "sdk-functions_get-test", Title: "Get custom app function test", Toolset: SDKApps, Scope: scope.SDKAppsRead, Kind: Read,
	Description: "Read a custom app function's test (JavaScript).",
	Method:      "GET", Path: "/sdk/apps/{appName}/{appVersion}/functions/{functionName}/test", Accept: "text/plain",
})

type sdkFunctionTestArgs struct {
	sdkFunctionID
	Test string `json:"test" jsonschema:"The function's whole new test (JavaScript)."`
}

func (a sdkFunctionTestArgs) validate() error { return checkSDKBody("test", a.Test) }

var sdkFunctionsSetTest = endpointTool[sdkFunctionTestArgs, Object](endpoint{
	Name: "sdk-functions_set-test", Title: "Set custom app function test", Toolset: SDKApps, Scope: scope.SDKAppsWrite, Kind: Update,
	Description: "Replace a custom app function's test (JavaScript).",
	Method:      "PUT", Path: "/sdk/apps/{appName}/{appVersion}/functions/{functionName}/test", Body: "test", ContentType: "application/javascript",
})

// ---- Endpoints ----

var sdkEndpointsList = listTool[sdkPartsListArgs, Object](endpoint{
	Name: "sdk-endpoints_list", Title: "List custom app endpoints", Toolset: SDKApps, Scope: scope.SDKAppsRead, Kind: Read,
	Description: "List a custom app's endpoints (calls it offers to AI agents), each with its name, label and hints.",
	Method:      "GET", Path: "/sdk/apps/{appName}/{appVersion}/endpoints", Answer: "appEndpoints",
})

type sdkEndpointID struct {
	sdkAppVersionArg
	EndpointName string `json:"endpointName" jsonschema:"The endpoint's name (sdk-endpoints_list shows them)."`
}

var sdkEndpointsGet = endpointTool[sdkEndpointID, Object](endpoint{
	Name: "sdk-endpoints_get", Title: "Get custom app endpoint", Toolset: SDKApps, Scope: scope.SDKAppsRead, Kind: Read,
	Description: "Get a custom app endpoint's label, description, context, hints and connections.",
	Method:      "GET", Path: "/sdk/apps/{appName}/{appVersion}/endpoints/{endpointName}", Answer: "appEndpoint",
})

type sdkEndpointsCreateArgs struct {
	sdkAppVersionArg
	Name             string   `json:"name" jsonschema:"The endpoint's name, unique in the app."`
	Label            string   `json:"label" jsonschema:"Its label."`
	Description      string   `json:"description,omitempty" jsonschema:"What it does."`
	AttachedAccounts []string `json:"attachedAccounts,omitempty" jsonschema:"Names of the connections it uses."`
}

func (a sdkEndpointsCreateArgs) validate() error {
	if strings.TrimSpace(a.Name) == "" || strings.TrimSpace(a.Label) == "" {
		return errors.New("give the endpoint a name and a label")
	}
	return nil
}

var sdkEndpointsCreate = endpointTool[sdkEndpointsCreateArgs, Object](endpoint{
	Name: "sdk-endpoints_create", Title: "Create custom app endpoint", Toolset: SDKApps, Scope: scope.SDKAppsWrite, Kind: Create,
	Description: "Create an endpoint in a custom app.",
	Method:      "POST", Path: "/sdk/apps/{appName}/{appVersion}/endpoints", Answer: "appEndpoint",
})

// sdkEndpointHints are the hints an endpoint gives the agents that call it.
type sdkEndpointHints struct {
	ReadOnlyHint    *bool `json:"readOnlyHint,omitempty" jsonschema:"It changes nothing."`
	DestructiveHint *bool `json:"destructiveHint,omitempty" jsonschema:"It may destroy data."`
	IdempotentHint  *bool `json:"idempotentHint,omitempty" jsonschema:"Calling it again changes nothing more."`
	OpenWorldHint   *bool `json:"openWorldHint,omitempty" jsonschema:"It reaches beyond the app's service."`
}

type sdkEndpointsUpdateArgs struct {
	sdkEndpointID
	Label            string            `json:"label,omitempty" jsonschema:"A new label."`
	Description      string            `json:"description,omitempty" jsonschema:"A new description."`
	Context          string            `json:"context,omitempty" jsonschema:"When and how to use it."`
	Annotations      *sdkEndpointHints `json:"annotations,omitempty" jsonschema:"Hints about what it does."`
	AttachedAccounts []string          `json:"attachedAccounts,omitempty" jsonschema:"Names of the connections it uses, replacing the list."`
}

func (a sdkEndpointsUpdateArgs) validate() error {
	if a.Label == "" && a.Description == "" && a.Context == "" && a.Annotations == nil && a.AttachedAccounts == nil {
		return errors.New("nothing to change: give label, description, context, annotations or attachedAccounts")
	}
	return nil
}

var sdkEndpointsUpdate = endpointTool[sdkEndpointsUpdateArgs, Object](endpoint{
	Name: "sdk-endpoints_update", Title: "Update custom app endpoint", Toolset: SDKApps, Scope: scope.SDKAppsWrite, Kind: Update,
	Description: "Change a custom app endpoint's label, description, context, hints or connections.",
	Method:      "PATCH", Path: "/sdk/apps/{appName}/{appVersion}/endpoints/{endpointName}", Answer: "appEndpoint",
})

var sdkEndpointsDelete = endpointTool[sdkEndpointID, Object](endpoint{
	Name: "sdk-endpoints_delete", Title: "Delete custom app endpoint", Toolset: SDKApps, Scope: scope.SDKAppsWrite, Kind: Delete,
	Description: "Delete a custom app endpoint. The user is asked to confirm.",
	Method:      "DELETE", Path: "/sdk/apps/{appName}/{appVersion}/endpoints/{endpointName}",
	AskAnswer: "appEndpoint",
	Ask:       `Delete endpoint {{printf "%q" .label}} ({{.name}}) of custom app {{.args.appName}}? This cannot be undone.`,
})

type sdkEndpointSectionArgs struct {
	sdkEndpointID
	Section string `json:"section" jsonschema:"api, scope, inputParameters or outputParameters."`
}

func (a sdkEndpointSectionArgs) validate() error {
	return checkSDKSection(a.Section, "an endpoint", sdkEndpointSections)
}

var sdkEndpointsGetSection = sdkSectionTool[sdkEndpointSectionArgs](endpoint{
	Name: "sdk-endpoints_get-section", Title: "Get custom app endpoint section", Toolset: SDKApps, Scope: scope.SDKAppsRead, Kind: Read,
	Description: "Read a section of a custom app endpoint: api (its request), scope, inputParameters or outputParameters.",
	Method:      "GET", Path: "/sdk/apps/{appName}/{appVersion}/endpoints/{endpointName}/{section}",
})

type sdkEndpointSetSectionArgs struct {
	sdkEndpointID
	Section string `json:"section" jsonschema:"api, scope, inputParameters or outputParameters."`
	Body    string `json:"body" jsonschema:"The section's new content as JSONC (JSON, comments allowed)."`
}

func (a sdkEndpointSetSectionArgs) validate() error {
	return errors.Join(checkSDKSection(a.Section, "an endpoint", sdkEndpointSections), checkSDKBody("body", a.Body))
}

var sdkEndpointsSetSection = endpointTool[sdkEndpointSetSectionArgs, Object](endpoint{
	Name: "sdk-endpoints_set-section", Title: "Set custom app endpoint section", Toolset: SDKApps, Scope: scope.SDKAppsWrite, Kind: Update,
	Description: "Replace a section of a custom app endpoint (api, scope, inputParameters or outputParameters).",
	Method:      "PUT", Path: "/sdk/apps/{appName}/{appVersion}/endpoints/{endpointName}/{section}", Body: "body", ContentType: "application/jsonc",
})

var sdkEndpointsSetPublic = endpointTool[sdkEndpointID, Object](endpoint{
	Name: "sdk-endpoints_set-public", Title: "Make custom app endpoint public", Toolset: SDKApps, Scope: scope.SDKAppsWrite, Kind: Switch,
	Description: "Make a custom app endpoint public, so that users of the app can call it.",
	Method:      "POST", Path: "/sdk/apps/{appName}/{appVersion}/endpoints/{endpointName}/public",
})

var sdkEndpointsSetPrivate = endpointTool[sdkEndpointID, Object](endpoint{
	Name: "sdk-endpoints_set-private", Title: "Make custom app endpoint private", Toolset: SDKApps, Scope: scope.SDKAppsWrite, Kind: Switch,
	Description: "Make a custom app endpoint private again, hidden from the app's users.",
	Method:      "POST", Path: "/sdk/apps/{appName}/{appVersion}/endpoints/{endpointName}/private",
})
