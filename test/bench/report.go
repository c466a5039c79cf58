package main

import (
	"fmt"
	"io"
	"strings"
)

// row is one line of the table. ok is nil where the row has no target.
type row struct {
	measure, makemcp, official, target string
	ok                                 *bool
}

func verdict(ok bool) *bool { return &ok }

func printReport(w io.Writer, m machine, rows []row) {
	fmt.Fprintf(w, "Machine: %s, %d cores, %s; %s, Node %s; %s; load average %s at the start, %s at the end\n\n",
		m.CPU, m.Cores, m.OS, m.Go, m.Node, m.Date, m.StartLoad, m.EndLoad)
	fmt.Fprintln(w, "| measure | makemcp | @makehq/mcp-server | target | met |")
	fmt.Fprintln(w, "| --- | --- | --- | --- | --- |")
	missed := 0
	for _, r := range rows {
		met := ""
		if r.ok != nil {
			met = "yes"
			if !*r.ok {
				met = "**no**"
				missed++
			}
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s |\n", cell(r.measure), cell(r.makemcp), cell(r.official), cell(r.target), met)
	}
	if missed > 0 {
		fmt.Fprintf(w, "\n%d target(s) missed.\n", missed)
	}
}

func cell(s string) string {
	if s == "" {
		return "–"
	}
	return strings.ReplaceAll(s, "|", `\|`)
}
