# phasec: the two commands a fresh clone needs are `make build` and `make test`.

GO ?= go

.PHONY: build test golden bench vet fmt cfn-lint nag ct

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

## cfn-lint: check the golden templates with cfn-lint (settings in .cfnlintrc)
cfn-lint:
	cfn-lint

## bench: benchmarks of loading, compiling and rendering, of the whole phasec build, and of the
## structural checks (shipped specs, 100 services x 3 environments); compare runs with benchstat
bench:
	$(GO) test ./compiler ./cmd/phasec ./templatecheck -run '^$$' -bench . -benchmem -count 6

fmt:
	gofmt -w $$(git ls-files '*.go')

## nag: check the golden templates with the real cdk-nag AwsSolutions rules (needs node 20 and npm;
## npm ci runs only when tools/cdknag/node_modules is missing, so later runs work offline). The
## catalogue's phasec-to-AwsSolutions mapping, through which the templates' suppressions are
## honoured, is printed afresh from rules/ on every run (git-ignored).
nag:
	test -d tools/cdknag/node_modules || (cd tools/cdknag && npm ci --no-audit --no-fund)
	$(GO) run ./tools/cdknag/catalogue > tools/cdknag/.catalogue.json
	node tools/cdknag/check.js --catalogue tools/cdknag/.catalogue.json golden/*/*.json

## ct: check the golden templates with the AWS Control Tower proactive controls' own Guard rules, run
## as Control Tower runs them, as a CloudFormation hook (needs npm once: npm ci runs only when
## tools/ctguard/node_modules is missing; the package ships the rules and the cfn-guard binary, so
## later runs work offline). Suppressions are honoured through each rule's Controls in rules/.
ct:
	test -d tools/ctguard/node_modules || (cd tools/ctguard && npm ci --no-audit --no-fund)
	$(GO) run ./tools/ctguard golden/*/*.json
