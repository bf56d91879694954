# The two commands of the README: `make demo` and `make test`. Both set up a fresh Debian machine first.
SWIFT ?= swift
BIN := .build/debug/wsinspect

.PHONY: setup build demo test release man install install-files uninstall clean

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
	$(MAKE) man
	$(SWIFT) test

release: setup
	$(SWIFT) build -c release

# The man page: generated from the ArgumentParser definitions by the package's generate-manual plugin, then given
# its EXAMPLES and EXIT STATUS sections (scripts/manpage.py).
MAN := .build/wsinspect.1
man: setup
	$(SWIFT) package --allow-writing-to-package-directory generate-manual
	python3 scripts/manpage.py .build/plugins/GenerateManual/outputs/wsinspect/wsinspect.1 > $(MAN)

# make install [PREFIX=/usr/local] [DESTDIR=]: the release binary, the man page, bash/zsh/fish completions.
PREFIX ?= /usr/local
install: release man install-files

# Copies what `release` and `man` built (the install test runs this alone, into a temporary PREFIX).
install-files:
	install -D -m 755 .build/release/wsinspect $(DESTDIR)$(PREFIX)/bin/wsinspect
	install -D -m 644 $(MAN) $(DESTDIR)$(PREFIX)/share/man/man1/wsinspect.1
	mkdir -p $(DESTDIR)$(PREFIX)/share/bash-completion/completions $(DESTDIR)$(PREFIX)/share/zsh/site-functions \
		$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	.build/release/wsinspect --generate-completion-script bash > $(DESTDIR)$(PREFIX)/share/bash-completion/completions/wsinspect
	.build/release/wsinspect --generate-completion-script zsh > $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_wsinspect
	.build/release/wsinspect --generate-completion-script fish > $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/wsinspect.fish
	@echo "installed $(DESTDIR)$(PREFIX)/bin/wsinspect; to capture without root: sudo setcap cap_net_raw,cap_net_admin=eip $(DESTDIR)$(PREFIX)/bin/wsinspect"

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/wsinspect $(DESTDIR)$(PREFIX)/share/man/man1/wsinspect.1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/wsinspect $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_wsinspect \
		$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/wsinspect.fish

clean:
	rm -rf .build
