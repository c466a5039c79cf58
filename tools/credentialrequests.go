package tools

// The CredentialRequests toolset. Its tools are rows of the endpoint table (see
// endpoint.go); the catalogue work fills it in.

func credentialRequestTools() []Tool {
	return nil
}
