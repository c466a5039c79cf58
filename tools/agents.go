package tools

// The Agents toolset. Its tools are rows of the endpoint table (see
// endpoint.go); the catalogue work fills it in.

func agentTools() []Tool {
	return nil
}
