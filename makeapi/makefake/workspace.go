package makefake

// The generic resources of functions, devices, credential requests, public templates, and the writes of connections, folders and data structures.
var workspaceResources = []*resource{}
