package tools

// The SDKApps toolset. Its tools are rows of the endpoint table (see
// endpoint.go); the catalogue work fills it in.

func sdkAppTools() []Tool {
	return nil
}
