# cluster — developer entry points. `make test` and `make demo` work on a fresh Debian machine.
GO        ?= go
BIN       := bin/cluster
PKGS      := ./...
DEMO_DIR  ?= $(CURDIR)/.lab
GOFLAGS   ?=

.PHONY: all build test unit lint fmt demo bench deps clean

all: build

build:
	$(GO) build -o $(BIN) ./cmd/cluster

# deps installs what the OpenSSH end-to-end tests need (Debian's openssh-server) when missing.
deps:
	@command -v /usr/sbin/sshd >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing openssh-server for the end-to-end tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssh-server >/dev/null; \
	  else \
	    echo "the end-to-end tests need sshd: run 'sudo apt-get install -y openssh-server'" >&2; exit 1; \
	  fi; }

test: deps
	$(GO) vet $(PKGS)
	$(GO) test -count=1 -timeout 30m $(PKGS)

unit:
	$(GO) test -short $(PKGS)

lint:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt needed" >&2; exit 1; }
	$(GO) vet $(PKGS)

fmt:
	gofmt -w $$(git ls-files '*.go')

# demo runs the main job end to end on the built-in lab: no real cluster needed.
demo: build
	./scripts/demo.sh $(BIN) $(DEMO_DIR)

bench: deps
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 3x $(PKGS)

clean:
	rm -rf bin .lab
