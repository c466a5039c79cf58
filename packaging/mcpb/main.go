// Command mcpb packs one makemcp binary into an MCP Bundle (.mcpb), the
// one-click install of Claude Desktop and other MCPB hosts: a zip holding
// the manifest that tells the host how to run the server, the icon, the
// license and the binary.
//
// goreleaser runs it after building each binary (see .goreleaser.yaml):
//
//	go run ./packaging/mcpb -version 1.2.0 -dir dist dist/makemcp_darwin_arm64_v8.0/makemcp
//
// writes dist/makemcp-1.2.0-darwin-arm64.mcpb. The platform comes from the
// binary's own build information, so a bundle cannot name another
// platform than the binary inside it.
//
// The manifest is manifest.json in this folder, made specific to the
// platform: the command that runs the binary, the platform it is
// compatible with, the version. Its list of tools is what `makemcp tools
// list --demo --json` of this checkout prints, the tools serve exposes
// without --toolsets, so it cannot drift from the code.
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	var o options
	flag.StringVar(&o.version, "version", "", "the release version, as goreleaser's {{ .Version }}")
	flag.StringVar(&o.dir, "dir", ".", "folder for the bundle")
	flag.StringVar(&o.license, "license", "LICENSE", "license file to put into the bundle")
	flag.StringVar(&o.lister, "lister", "", "a makemcp binary that runs here, to list the default tools (default: go run of this checkout's cmd/makemcp)")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: go run ./packaging/mcpb -version VERSION [-dir DIR] [-license FILE] [-lister MAKEMCP] BINARY")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 || o.version == "" {
		flag.Usage()
		os.Exit(2)
	}
	o.binary = flag.Arg(0)
	path, err := build(o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "mcpb:", err)
		os.Exit(1)
	}
	fmt.Println(path)
}
