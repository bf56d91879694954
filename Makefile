# The two commands of the README: `make demo` and `make test`. Both set up a fresh Debian machine first.
SWIFT ?= swift
BIN := .build/debug/wsinspect

.PHONY: setup build demo test release clean

setup:
	@./scripts/setup.sh

build: setup
	$(SWIFT) build

# Runs wsinspect on a shipped capture, then on a pasted frame.
demo: build
	$(BIN) Samples/python-echo.pcap
	$(BIN) frame 81 86 af 87 53 b4 4b 3a f3 51 0a 3a

# The release build is part of the tests: ReleaseBuildTests compares its output with the debug build's.
test: setup
	$(SWIFT) build
	$(SWIFT) build -c release
	$(SWIFT) test

release: setup
	$(SWIFT) build -c release

clean:
	rm -rf .build
