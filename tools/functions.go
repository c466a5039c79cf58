package tools

// The Functions toolset. Its tools are rows of the endpoint table (see
// endpoint.go); the catalogue work fills it in.

func functionTools() []Tool {
	return nil
}
