# The README's two fresh-machine commands are `make book` and `make test`.
GO ?= go
BIN := bin/handbook
SOURCE ?=
HANDBOOK_SOURCE ?= ../shared/handbook

.PHONY: all build book test bench fuzz a11y clean

all: build

build:
	$(GO) build -o $(BIN) ./cmd/handbook

# Build the books of the bundled example (or SOURCE=DIR) into dist/.
book: build
	./$(BIN) build $(if $(SOURCE),--source $(SOURCE)) --out dist

test:
	$(GO) vet ./...
	$(GO) test ./...

# Benchmarks on the bundled example and the real handbook (HANDBOOK_SOURCE).
bench:
	HANDBOOK_SOURCE=$(HANDBOOK_SOURCE) $(GO) test -run '^$$' -bench . -benchmem -count 5 ./... | tee bench.txt

FUZZTIME ?= 60s
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzCompile$$' -fuzztime $(FUZZTIME) ./compile/
	$(GO) test -run '^$$' -fuzz '^FuzzLoad$$' -fuzztime $(FUZZTIME) ./content/

clean:
	rm -rf bin dist bench.txt
