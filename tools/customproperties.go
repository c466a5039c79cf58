package tools

// The CustomProperties toolset. Its tools are rows of the endpoint table (see
// endpoint.go); the catalogue work fills it in.

func customPropertyTools() []Tool {
	return nil
}
