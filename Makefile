# phasec: the two commands a fresh clone needs are `make build` and `make test`.

GO ?= go

.PHONY: build test golden bench vet fmt

## build: compile the shipped specs into out/<service>/<env>.json
build:
	$(GO) run ./cmd/phasec build --specs specs --out out

## test: go vet plus every test (golden lock, CLI scripts, deploy fake)
test:
	$(GO) vet ./...
	$(GO) test ./...

## golden: rewrite golden/ from the shipped specs; review the diff before committing
golden:
	PHASEC_UPDATE_GOLDEN=1 $(GO) test ./compiler -run 'TestGolden' -count=1

## bench: benchmarks of loading, compiling and rendering, of the whole phasec build, and of the
## structural checks (shipped specs, 100 services x 3 environments); compare runs with benchstat
bench:
	$(GO) test ./compiler ./cmd/phasec ./templatecheck -run '^$$' -bench . -benchmem -count 6

fmt:
	gofmt -w $$(git ls-files '*.go')
