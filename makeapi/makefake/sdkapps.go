package makefake

// The generic resources of custom apps (Make's SDK apps) and their parts.
var sdkAppResources = []*resource{}
