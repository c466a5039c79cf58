package tools

// The Organizations toolset. Its tools are rows of the endpoint table (see
// endpoint.go); the catalogue work fills it in.

func organizationTools() []Tool {
	return nil
}
