package makefake

// StartDemo starts the sandbox account `makemcp serve --demo` uses: the
// Demo seed over plain http on 127.0.0.1 at a free port, accepting
// DemoToken as a Make API token. Configure a client with Zone() and
// DemoToken. Runs of "Build quarterly report" take 75 s, past Make's
// 40 s limit, so the demo shows how a long run is followed up.
func StartDemo() (*Server, error) {
	s, err := New(Options{Seed: Demo})
	if err != nil {
		return nil, err
	}
	return s.Start(), nil
}
