# cluster — developer entry points. `make test` and `make demo` work on a fresh Debian machine.
GO        ?= go
BIN       := bin/cluster
PKGS      := ./...
DEMO_DIR  ?= $(CURDIR)/.lab
GOFLAGS   ?=
# The commit `cluster version` reports. Go stamps none in a git worktree or with -buildvcs=false,
# so the build passes it; VERSION (e.g. v1.2.0) is set by releases (see .goreleaser.yaml).
COMMIT    ?= $(shell git rev-parse HEAD 2>/dev/null)
VERSION   ?=
LDFLAGS   := -X main.commit=$(COMMIT) $(if $(VERSION),-X main.version=$(VERSION))
# make install puts the binary in $(GOBIN) when it is set, else in /usr/local/bin.
GOBIN     ?= $(shell $(GO) env GOBIN)
BINDIR    ?= $(if $(GOBIN),$(GOBIN),/usr/local/bin)
MANDIR    ?= man
# The HCL directories kept in canonical format (testdata/invalid holds broken files on purpose).
HCLFMT_DIRS := examples testdata/valid
TOUR_DIR  ?= $(CURDIR)/.tour

.PHONY: all build install man test unit lint fmt fmt-check tour demo bench deps clean

all: build

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/cluster

install: build
	install -d $(DESTDIR)$(BINDIR)
	install -m 0755 $(BIN) $(DESTDIR)$(BINDIR)/cluster

# man generates one page per command from the cobra command tree into $(MANDIR)/ (not committed):
# man -l man/cluster-plan.1
man:
	rm -rf $(MANDIR)
	$(GO) run -tags mangen -ldflags "$(LDFLAGS)" ./cmd/cluster gen-man $(MANDIR)

# deps installs what the OpenSSH end-to-end tests and the tour need when missing: Debian's
# openssh-server, and jq (scripts/tour.sh reads JSON output with it).
deps:
	@missing=""; \
	command -v /usr/sbin/sshd >/dev/null 2>&1 || missing="$$missing openssh-server"; \
	command -v jq >/dev/null 2>&1 || missing="$$missing jq"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "the end-to-end tests need$$missing: run 'sudo apt-get install -y$$missing'" >&2; exit 1; \
	  fi; \
	fi

test: deps fmt-check
	$(GO) vet $(PKGS)
	$(GO) test -count=1 -timeout 30m $(PKGS)

# fmt-check fails when an example or a valid test configuration is not in canonical format.
fmt-check: build
	$(BIN) fmt --check --recursive $(HCLFMT_DIRS)

unit:
	$(GO) test -short $(PKGS)

lint:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt needed" >&2; exit 1; }
	$(GO) vet $(PKGS)

fmt:
	gofmt -w $$(git ls-files '*.go')

# tour runs every command of the README tour, each example on a fresh lab (scripts/tour.sh).
tour: build deps
	PATH="$(CURDIR)/bin:$$PATH" ./scripts/tour.sh $(TOUR_DIR)

# demo runs the main job end to end on the built-in lab: no real cluster needed.
demo: build
	./scripts/demo.sh $(BIN) $(DEMO_DIR)

bench: deps
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 3x $(PKGS)

clean:
	rm -rf bin .lab .tour $(MANDIR) dist
