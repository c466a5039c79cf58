package tools

// The Users toolset. Its tools are rows of the endpoint table (see
// endpoint.go); the catalogue work fills it in.

func userTools() []Tool {
	return nil
}
