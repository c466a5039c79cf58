package makefake

// The generic resources of organizations and teams, enums, roles, private spaces, custom properties, on-premise agents and connected systems.
var adminResources = []*resource{}
