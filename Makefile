# The README's two fresh-machine commands are `make book` and `make test`.
# A failing command anywhere in a pipeline fails the target.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -ec
GO ?= go
BIN := bin/handbook
SOURCE ?=
HANDBOOK_SOURCE ?= ../shared/handbook

.PHONY: all build book test test-short bench fuzz a11y clean docs

all: build

# -buildvcs=auto: the binary names its commit (handbook --version) even
# where GOFLAGS turns VCS stamping off.
build:
	$(GO) build -buildvcs=auto -o $(BIN) ./cmd/handbook

# Build the books of the bundled example (or SOURCE=DIR) into dist/.
book: build
	./$(BIN) build $(if $(SOURCE),$(SOURCE),--example) -o dist

# The full suite, as CI runs it (validators included). Its last lines list
# every skipped test and why; under CI=true a missing validator fails it.
# TESTFLAGS=-short gives the quick loop (test-short). Each package's tests
# must end within TEST_TIMEOUT: the slowest takes about 2.5 minutes on a
# quiet 2-core machine and twice that beside another run, so 15 minutes
# is a hang, and testsum then prints the timeout's panic, which names the
# test that hung. (./... leaves out .ci, whose testsum has tests too.)
TESTFLAGS ?=
TEST_TIMEOUT ?= 15m
test:
	$(GO) vet ./... ./.ci/testsum
	$(GO) test -json -timeout $(TEST_TIMEOUT) $(TESTFLAGS) ./... ./.ci/testsum | $(GO) run ./.ci/testsum

# The quick loop: no validators, no full builds of the real handbook.
test-short:
	$(MAKE) test TESTFLAGS=-short

# Benchmarks: every stage (load, compile, epub, pdf, and the whole build as a
# process with its peak RSS) on the bundled example, the real handbook
# (HANDBOOK_SOURCE) and synthetic handbooks of BENCH_SIZES times its size.
# bench.txt is benchstat input; the table shows medians, stage × size.
BENCH_SIZES ?= 1,10,50
BENCH_COUNT ?= 5
BENCHSTAT := golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da
bench:
	HANDBOOK_SOURCE=$(abspath $(HANDBOOK_SOURCE)) BENCH_SIZES=$(BENCH_SIZES) \
	  $(GO) test -run '^$$' -bench 'Stages' -benchmem -benchtime 1x -count $(BENCH_COUNT) -timeout 60m ./cmd/handbook/ | tee bench.txt
	$(GO) run $(BENCHSTAT) -col /size -row /stage bench.txt

# Fuzz targets: the Liquid/include reader, the compiler (markdown + HTML
# lowering), the line breaker, the typesetter's layout and the EPUB's
# printers on small trees (hundreds of inputs a second), and the EPUB and
# PDF writers whole (they write files: slower). Crashers land in each
# package's testdata/fuzz/ and are committed as regression seeds.
# Minimisation is capped at 5 s per new input: at the default 60 s a
# target spends most of a run minimising.
FUZZTIME ?= 60s
FUZZ = $(GO) test -run '^$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 5s -fuzz
fuzz:
	$(FUZZ) '^FuzzLoad$$' ./content/
	$(FUZZ) '^FuzzCompile$$' ./compile/
	$(FUZZ) '^FuzzBreak$$' ./pdf/linebreak/
	$(FUZZ) '^FuzzLayout$$' ./pdf/edition/
	$(FUZZ) '^FuzzRender$$' ./epub/
	$(FUZZ) '^FuzzWrite$$' ./epub/
	$(FUZZ) '^FuzzWrite$$' ./pdf/
	$(FUZZ) '^FuzzWritePrint$$' ./pdf/

clean:
	rm -rf bin dist bench.txt

# Accessibility: DAISY Ace on the EPUB (SOURCE=DIR for another handbook).
# Needs Node.js/npm and Debian's chromium; Ace's own browser download is
# skipped. Exits non-zero on any violation. Not part of CI.
ACE_DIR ?= .ace
a11y: build
	rm -rf dist/a11y && ./$(BIN) build $(if $(SOURCE),$(SOURCE),--example) -o dist/a11y --format epub --checksums=false --quiet
	command -v chromium >/dev/null || (SUDO=$$(test "$$(id -u)" = 0 || echo sudo); $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium)
	test -x $(ACE_DIR)/node_modules/.bin/ace-puppeteer || (mkdir -p $(ACE_DIR) && cd $(ACE_DIR) && \
	  PUPPETEER_SKIP_DOWNLOAD=1 ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm install --no-audit --no-fund @daisy/ace@1.4.6)
	for f in dist/a11y/*.epub; do \
	  PUPPETEER_EXECUTABLE_PATH=/usr/bin/chromium $(ACE_DIR)/node_modules/.bin/ace-puppeteer -E -f -o "$${f%.epub}-ace" "$$f" || exit 1; \
	  grep -o '"earl:outcome": *"[a-z]*"' "$${f%.epub}-ace/report.json" | sort | uniq -c; \
	done
