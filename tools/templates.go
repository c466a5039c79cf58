package tools

// The Templates toolset. Its tools are rows of the endpoint table (see
// endpoint.go); the catalogue work fills it in.

func templateTools() []Tool {
	return nil
}
