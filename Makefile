# The two commands the README promises: `make demo` and `make test`.
.PHONY: build demo test vet

build:
	go build -o makemcp ./cmd/makemcp

demo: build
	./makemcp serve --demo

test:
	./scripts/test

vet:
	gofmt -l . | (! grep .)
	go vet ./...
