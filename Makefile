# dobrobot — one non-recursive GNU Makefile.
#
#   make            build build/dobrobot (needs only what pkg-config finds)
#   make deps       install the missing Debian packages for building, testing
#                   and the demo (fuzz-deps: clang for the fuzz targets)
#   make test       format-check, include-check, i18n-check, unit +
#                   integration tests, the same under ASan/UBSan, fuzz-smoke
#   make demo       a scripted day of the bot against the bundled fake Bot API
#   make site-shots screenshots of the public website (docs/img/site-*.png)
#   make run        run the daemon with config/dobrobot.json and $DOBROBOT_TOKEN
#   make bench      throughput / latency / memory figures (README)
#   make fuzz       libFuzzer targets (FUZZ_SECONDS each, default 60)
#   make fuzz-smoke every fuzz target for 20 s (part of make test)
#   make i18n-check every formatted text's arguments against its conversions
#                   (clang; part of make test)
#   make include-check  circles between handler files, layers calling up
#                   (from the objects and from the #include lines; part of
#                   make test)
#   make format / format-check  clang-format 14 over src/, include/ and the
#                   C tests (format-check is part of make test)
#   make install (PREFIX, DESTDIR), make clean
#   make compose-check  config/compose.yaml built and run with podman-compose
#                   (root; the bot, nginx, the site through it; not in make test)

PREFIX ?= /usr/local
BUILD ?= build
CC ?= cc
PKGS := libcurl jansson sqlite3
# The PDF renderer's libraries: only dobrobot-pdf.so links them (see
# PDF_LIB below).
DOC_PKGS := pangocairo fontconfig libqrencode
TEST_PKGS := libmicrohttpd cmocka

# Debian packages the build, the tests and the demo need; `make deps`
# installs the missing ones (as root) or prints the command to run. Plain
# `make` never asks dpkg: it needs only the libraries pkg-config finds, on any
# system. The fuzz targets alone need clang and its runtime (fuzz-deps).
DEB_PACKAGES := gcc libc6-dev make pkg-config libcurl4-openssl-dev \
	libjansson-dev libsqlite3-dev libmicrohttpd-dev libcmocka-dev \
	python3 tzdata ca-certificates tidy chromium \
	libpango1.0-dev libcairo2-dev libfontconfig-dev libqrencode-dev \
	fonts-paratype poppler-utils zbar-tools clang-format
FUZZ_DEB_PACKAGES := clang libclang-rt-14-dev
# make compose-check alone: podman without a daemon, podman-compose, the
# bridge network (netavark, aardvark-dns for the service names, iptables),
# runc (crun fails on hybrid cgroup hosts), debootstrap for the base image.
COMPOSE_DEB_PACKAGES := podman podman-compose runc netavark aardvark-dns \
	iptables debootstrap curl

WARNINGS := -Wall -Wextra -Wpedantic -Wformat=2 -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wvla -Wimplicit-fallthrough -Werror
OPT ?= -O2
CFLAGS ?= $(OPT) -g
# CPPFLAGS and LDFLAGS are the builder's (distribution hardening such as
# dpkg-buildflags gives: -D_FORTIFY_SOURCE=2, -Wl,-z,relro); they go on every
# compile and link line, ours after theirs.
ALL_CFLAGS := -std=c11 -D_GNU_SOURCE $(CPPFLAGS) $(WARNINGS) $(CFLAGS) \
	-Iinclude -include dobrobot/core/prelude.h -MMD -MP
ifdef SANITIZE
ALL_CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined
SAN_LDFLAGS := -fsanitize=address,undefined
endif

# The recognition documents' renderer (src/doc/pdf.c) is a shared object of
# its own, $(BUILD)/dobrobot-pdf.so, which the daemon opens (doc/loader.c)
# when it makes its first document: until then pango, cairo, fontconfig,
# glib and libqrencode (some thirty libraries, 4 MiB of resident set) are
# not mapped. It carries its own copies of the two helpers it uses. `make
# install` puts it in PKGLIBDIR, where the loader looks after the running
# program's own directory.
PDF_SRC := src/doc/pdf.c
PDF_LIB := $(BUILD)/dobrobot-pdf.so
PDF_OBJ := $(addprefix $(BUILD)/pic/,$(PDF_SRC:%.c=%.o) src/core/buf.o \
	src/core/xalloc.o)
PKGLIBDIR ?= $(PREFIX)/lib/dobrobot
LIB_SRC := $(filter-out src/main.c $(PDF_SRC),$(sort $(wildcard src/*/*.c)))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
MAIN_OBJ := $(BUILD)/src/main.o
# The test build: the same objects, except that the files with test hooks
# (fault injection a test sets through the environment, such as
# DOBROBOT_TEST_CRASH_ON) are compiled again with -DDOBROBOT_TEST_HOOKS into
# $(BUILD)/test-hooks. Only build/dobrobot-test has the hooks; what make
# install, make run and the Dockerfile ship (build/dobrobot) does not.
HOOK_SRC := $(shell grep -l DOBROBOT_TEST_HOOKS $(LIB_SRC))
HOOK_OBJ := $(HOOK_SRC:%.c=$(BUILD)/test-hooks/%.o)
TEST_BIN_OBJ := $(MAIN_OBJ) $(filter-out $(HOOK_SRC:%.c=$(BUILD)/%.o),$(LIB_OBJ)) \
	$(HOOK_OBJ)
FAKE_SRC := $(sort $(wildcard tests/fake/*.c))
FAKE_OBJ := $(FAKE_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
DEPS_STAMP := build/.deps-ok
FUZZ_DEPS_STAMP := build/.fuzz-deps-ok
COMPOSE_DEPS_STAMP := build/.compose-deps-ok
LIBS_STAMP := $(BUILD)/.libs-ok
TEST_LIBS_STAMP := $(BUILD)/.test-libs-ok

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
DOC_CFLAGS = $(shell pkg-config --cflags $(DOC_PKGS) 2>/dev/null)
DOC_LIBS = $(shell pkg-config --libs $(DOC_PKGS) 2>/dev/null)
TEST_CFLAGS = $(shell pkg-config --cflags $(TEST_PKGS) 2>/dev/null)
TEST_LIBS = $(shell pkg-config --libs $(TEST_PKGS) 2>/dev/null)

.PHONY: all deps fuzz-deps include-check i18n-check test test-suite unit \
	integration asan bench demo demo-run site-shots run fuzz fuzz-smoke \
	fuzz-build format format-check install clean docker-check \
	compose-deps compose-check
.DEFAULT_GOAL := all

all: $(BUILD)/dobrobot $(PDF_LIB)

# $(call install_debs,packages): installs the missing ones as root, or says
# which command to run.
define install_debs
	@missing=""; \
	for p in $(1); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		if ! command -v apt-get >/dev/null; then \
			echo "dobrobot needs:$$missing (Debian names); install them and run make again"; exit 1; \
		elif [ "$$(id -u)" = 0 ]; then \
			echo "installing:$$missing"; \
			{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; } >/dev/null || exit 1; \
		else \
			echo "missing packages:$$missing"; \
			echo "run: sudo apt-get install -y$$missing"; exit 1; \
		fi; \
	fi
	@mkdir -p $(@D) && touch $@
endef

deps: $(DEPS_STAMP)
$(DEPS_STAMP): Makefile
	$(call install_debs,$(DEB_PACKAGES))

fuzz-deps: $(FUZZ_DEPS_STAMP)
$(FUZZ_DEPS_STAMP): Makefile
	$(call install_debs,$(FUZZ_DEB_PACKAGES))

compose-deps: $(COMPOSE_DEPS_STAMP)
$(COMPOSE_DEPS_STAMP): Makefile
	$(call install_debs,$(COMPOSE_DEB_PACKAGES))

# $(call need_libs,pkg-config names): fails, naming what pkg-config does
# not find, with the way to get it.
define need_libs
	@missing=""; \
	for p in $(1); do pkg-config --exists $$p 2>/dev/null || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "pkg-config does not find:$$missing"; \
		echo "install their development packages (on Debian: make deps) and run make again"; \
		exit 1; \
	fi
	@mkdir -p $(@D) && touch $@
endef

$(LIBS_STAMP):
	$(call need_libs,$(PKGS) $(DOC_PKGS))

$(TEST_LIBS_STAMP):
	$(call need_libs,$(PKGS) $(DOC_PKGS) $(TEST_PKGS))

$(BUILD)/dobrobot: $(MAIN_OBJ) $(LIB_OBJ) | $(LIBS_STAMP)
	@echo "  CC $@"; $(CC) $(LDFLAGS) $(SAN_LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

# The test build: the same program with the test hooks compiled in
# (DOBROBOT_TEST_HOOKS: a crash on a given text, a clock offset file), for
# the integration tests only; build/dobrobot, what ships, has none.
$(BUILD)/dobrobot-test: $(TEST_BIN_OBJ) | $(LIBS_STAMP)
	@echo "  CC $@"; $(CC) $(LDFLAGS) $(SAN_LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

$(BUILD)/fakeapi: $(FAKE_OBJ) | $(TEST_LIBS_STAMP)
	@echo "  CC $@"; $(CC) $(LDFLAGS) $(SAN_LDFLAGS) -o $@ $^ $(TEST_LIBS) $(PKG_LIBS) -lpthread -lm

$(BUILD)/src/%.o: src/%.c | $(LIBS_STAMP)
	@mkdir -p $(@D)
	@echo "  CC $@"; $(CC) $(ALL_CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

# The installed directory is compiled into the loader.
$(BUILD)/src/doc/loader.o: ALL_CFLAGS += -DDOBROBOT_PKGLIBDIR='"$(PKGLIBDIR)"'

$(PDF_LIB): $(PDF_OBJ) | $(LIBS_STAMP)
	@echo "  CC $@"; $(CC) $(LDFLAGS) $(SAN_LDFLAGS) -shared -o $@ $^ $(DOC_LIBS) -lm

$(BUILD)/pic/src/%.o: src/%.c | $(LIBS_STAMP)
	@mkdir -p $(@D)
	@echo "  CC $@"; $(CC) $(ALL_CFLAGS) -fPIC -fvisibility=hidden $(DOC_CFLAGS) -c -o $@ $<

$(BUILD)/test-hooks/src/%.o: src/%.c | $(LIBS_STAMP)
	@mkdir -p $(@D)
	@echo "  CC $@"; $(CC) $(ALL_CFLAGS) -DDOBROBOT_TEST_HOOKS $(PKG_CFLAGS) -c -o $@ $<

$(BUILD)/tests/fake/%.o: tests/fake/%.c | $(TEST_LIBS_STAMP)
	@mkdir -p $(@D)
	@echo "  CC $@"; $(CC) $(ALL_CFLAGS) $(PKG_CFLAGS) $(TEST_CFLAGS) -c -o $@ $<

# Each tests/unit/test_*.c is a program of its own, linked with the library
# and the shared helpers of tests/unit (fixture.c: the temporary database).
UNIT_HELPER_SRC := $(filter-out $(UNIT_SRC),$(wildcard tests/unit/*.c))
UNIT_HELPER_OBJ := $(UNIT_HELPER_SRC:tests/unit/%.c=$(BUILD)/tests/unit/%.o)
.SECONDARY: $(UNIT_HELPER_OBJ)

$(BUILD)/tests/unit/%.o: tests/unit/%.c | $(TEST_LIBS_STAMP)
	@mkdir -p $(@D)
	@echo "  CC $@"; $(CC) $(ALL_CFLAGS) $(PKG_CFLAGS) $(TEST_CFLAGS) -c -o $@ $<

$(BUILD)/tests/test_%: tests/unit/test_%.c $(UNIT_HELPER_OBJ) $(LIB_OBJ) | $(TEST_LIBS_STAMP)
	@mkdir -p $(@D)
	@echo "  CC $@"; $(CC) $(ALL_CFLAGS) $(PKG_CFLAGS) $(TEST_CFLAGS) -o $@ $(filter-out %.h,$^) \
		$(LDFLAGS) $(SAN_LDFLAGS) $(TEST_LIBS) $(PKG_LIBS) -lm

# The suite for one build directory: unit tests, then integration scenarios
# against the fake Bot API server. They run the test build (DOBROBOT_BIN);
# DOBROBOT_RELEASE_BIN is there for the test that checks it has no hooks.
test-suite: unit integration

unit: $(UNIT_BIN) $(PDF_LIB)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; \
		DOBROBOT_PDF_LIB=$(abspath $(PDF_LIB)) $$t; done

integration: $(BUILD)/dobrobot $(BUILD)/dobrobot-test $(BUILD)/fakeapi $(PDF_LIB)
	DOBROBOT_BIN=$(abspath $(BUILD)/dobrobot-test) \
		DOBROBOT_RELEASE_BIN=$(abspath $(BUILD)/dobrobot) FAKEAPI_BIN=$(abspath $(BUILD)/fakeapi) \
		python3 -m unittest discover -s tests/integration -t tests -v $(if $(TESTS),-k $(TESTS))

# The whole suite twice: as built for production, and under AddressSanitizer
# and UndefinedBehaviorSanitizer (leak checking on); then a short run of
# every fuzz target.
test: deps fuzz-deps
	$(MAKE) --no-print-directory format-check
	$(MAKE) --no-print-directory include-check
	$(MAKE) --no-print-directory i18n-check
	$(MAKE) --no-print-directory test-suite
	$(MAKE) --no-print-directory asan
	$(MAKE) --no-print-directory fuzz-smoke

asan: deps
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		$(MAKE) --no-print-directory BUILD=build/asan SANITIZE=1 OPT=-O1 test-suite

bench: $(BUILD)/dobrobot $(BUILD)/fakeapi $(PDF_LIB) $(BUILD)/http_floor
	DOBROBOT_BIN=$(abspath $(BUILD)/dobrobot) FAKEAPI_BIN=$(abspath $(BUILD)/fakeapi) \
		HTTP_FLOOR_BIN=$(abspath $(BUILD)/http_floor) \
		python3 tests/bench/bench.py $(BENCH_ARGS)

# What libcurl alone costs per request (tests/bench/http_floor.c): the
# peers benchmark runs it beside the bots.
$(BUILD)/http_floor: tests/bench/http_floor.c | $(LIBS_STAMP)
	@mkdir -p $(@D)
	@echo "  CC $@"; $(CC) $(ALL_CFLAGS) $(PKG_CFLAGS) $(LDFLAGS) -o $@ $< \
		$(PKG_LIBS)

# The public website's screenshots for the README (docs/img/site-*.png),
# taken by headless Chromium.
site-shots: $(BUILD)/dobrobot $(BUILD)/fakeapi $(PDF_LIB)
	DOBROBOT_BIN=$(abspath $(BUILD)/dobrobot) FAKEAPI_BIN=$(abspath $(BUILD)/fakeapi) \
		python3 tests/demo/site_shots.py

demo: deps
	$(MAKE) --no-print-directory demo-run

demo-run: $(BUILD)/dobrobot $(BUILD)/fakeapi $(PDF_LIB)
	DOBROBOT_BIN=$(abspath $(BUILD)/dobrobot) FAKEAPI_BIN=$(abspath $(BUILD)/fakeapi) \
		python3 tests/demo/demo.py

# The example's db_path is the systemd state directory; a first `make run`
# from a clone keeps its database beside the clone instead. Without a token
# (DOBROBOT_TOKEN or token_file) the daemon says how to give it one.
run: $(BUILD)/dobrobot $(PDF_LIB)
	@[ -f config/dobrobot.json ] || { \
		sed 's#"db_path": *"[^"]*"#"db_path": "dobrobot.db"#' \
			config/dobrobot.example.json > config/dobrobot.json; \
		echo "created config/dobrobot.json from the example (database: ./dobrobot.db); edit admins and leaders_chat_id"; }
	$(BUILD)/dobrobot run --config config/dobrobot.json

# libFuzzer targets (tests/fuzz/fuzz_<name>.c), built with clang against the
# library compiled with the same instrumentation (AddressSanitizer,
# UndefinedBehaviorSanitizer, coverage) in build/fuzz. Each runs FUZZ_SECONDS
# from its seed corpus tests/fuzz/corpus/<name>/ (and tests/fuzz/<name>.dict
# when there is one); what it learns goes to build/fuzz/corpus/<name>/, and a
# crash leaves build/fuzz/crash-* to reproduce with build/fuzz/fuzz_<name>
# FILE.
FUZZ_CC ?= clang
FUZZ_BUILD := build/fuzz
FUZZ_SECONDS ?= 60
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer
# Warnings are gcc's business (make all); here clang only instruments.
FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE $(CPPFLAGS) -w -O1 -g -Iinclude \
	-include dobrobot/core/prelude.h -MMD -MP $(FUZZ_SAN) -fsanitize=fuzzer-no-link
FUZZ_NAMES := $(sort $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_BIN := $(FUZZ_NAMES:%=$(FUZZ_BUILD)/fuzz_%)
FUZZ_LIB_OBJ := $(LIB_SRC:%.c=$(FUZZ_BUILD)/%.o)
.SECONDARY: $(FUZZ_LIB_OBJ)

$(FUZZ_BUILD)/src/%.o: src/%.c | $(FUZZ_DEPS_STAMP) $(LIBS_STAMP)
	@mkdir -p $(@D)
	@echo "  CC $@"; $(FUZZ_CC) $(FUZZ_CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIB_OBJ) | $(FUZZ_DEPS_STAMP) $(LIBS_STAMP)
	@mkdir -p $(@D)
	@echo "  CC $@"; $(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(PKG_CFLAGS) \
		-o $@ $< $(FUZZ_LIB_OBJ) $(LDFLAGS) $(PKG_LIBS) -lm

fuzz-build: fuzz-deps $(FUZZ_BIN)

fuzz: fuzz-build
	@set -e; for n in $(FUZZ_NAMES); do \
		mkdir -p $(FUZZ_BUILD)/corpus/$$n; \
		dict=""; [ -f tests/fuzz/$$n.dict ] && dict="-dict=tests/fuzz/$$n.dict"; \
		log=$(FUZZ_BUILD)/fuzz_$$n.log; \
		echo "== fuzz_$$n for $(FUZZ_SECONDS) s (log: $$log)"; \
		if ASAN_OPTIONS=detect_leaks=1 \
		    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		    $(FUZZ_BUILD)/fuzz_$$n -max_total_time=$(FUZZ_SECONDS) \
		    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		    -artifact_prefix=$(FUZZ_BUILD)/ $$dict \
		    $(FUZZ_BUILD)/corpus/$$n tests/fuzz/corpus/$$n >$$log 2>&1; then \
			grep -E '^(#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|stat::peak_rss_mb)' $$log; \
		else \
			tail -n 60 $$log; echo "fuzz_$$n FAILED"; exit 1; \
		fi; \
	done

# What CI runs: every target briefly.
fuzz-smoke:
	$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=20

# The dependency graph between source files, read from the objects (who uses
# a symbol whom defines): fails on a circle between handler files or a layer
# calling up, and on includes that cross the layers the wrong way
# (docs/ARCHITECTURE.md). Part of `make test`.
include-check: $(LIB_OBJ) $(MAIN_OBJ)
	python3 tests/tools/include_graph.py --build $(BUILD)

# Each call that formats a feature text (I18N pair or MSG_*) checked by
# clang's parse against the text's printf conversions, as -Wformat would.
i18n-check: fuzz-deps
	python3 tests/tools/check_i18n_formats.py

# One style (.clang-format, clang-format 14): every C file of src/, include/
# and the C tests (unit, fake, fuzz), found by find so that subfolders count.
# make test runs format-check first: it is cheap and fails fast.
FORMAT_FILES = $(shell find src include tests/unit tests/fake tests/fuzz \
	-name '*.[ch]' | sort)

format:
	clang-format -i $(FORMAT_FILES)

format-check:
	@clang-format --dry-run -Werror $(FORMAT_FILES) && \
		echo "format-check: $(words $(FORMAT_FILES)) files as .clang-format says"

install: $(BUILD)/dobrobot $(PDF_LIB)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PKGLIBDIR)
	install -m 755 $(BUILD)/dobrobot $(DESTDIR)$(PREFIX)/bin/dobrobot
	install -m 644 $(PDF_LIB) $(DESTDIR)$(PKGLIBDIR)/dobrobot-pdf.so

# The Dockerfile built and run, with the workplace's check-dockerfile.sh
# (podman on a locally made Debian 12 base, no Docker engine; needs root;
# BUILDAH_FORMAT=docker because podman's default OCI format drops HEALTHCHECK):
# it builds the image (the build stage runs the unit and integration tests),
# runs `check-config` in it, checks the user is not root and /data is
# writable; then tests/integration/test_operations.py (OperationsDocker) runs
# the image against the fake Bot API: a reply, the HEALTHCHECK, SIGTERM.
CHECK_DOCKERFILE ?= ../shared/tools/check-dockerfile.sh
DOCKCHECK_WORK ?= /var/tmp/dockcheck
DOCKER_TAG ?= localhost/dobrobot:check
docker-check: $(BUILD)/dobrobot $(BUILD)/fakeapi $(PDF_LIB)
	@if [ ! -f "$(CHECK_DOCKERFILE)" ]; then \
		echo "docker-check: SKIPPED: $(CHECK_DOCKERFILE) is not here (set CHECK_DOCKERFILE=...)."; \
		echo "With Docker, check by hand: docker build -t dobrobot . &&"; \
		echo "  docker run --rm dobrobot check-config --config /etc/dobrobot/dobrobot.json"; \
		exit 0; \
	fi
	BUILDAH_FORMAT=docker bash $(CHECK_DOCKERFILE) --nonroot -w $(DOCKCHECK_WORK) \
		-t $(DOCKER_TAG) --expect 'configuration OK' . \
		-- check-config --config /etc/dobrobot/dobrobot.json
	DOBROBOT_DOCKER_IMAGE=$(DOCKER_TAG) DOCKCHECK_WORK=$(DOCKCHECK_WORK) \
		DOBROBOT_BIN=$(abspath $(BUILD)/dobrobot) FAKEAPI_BIN=$(abspath $(BUILD)/fakeapi) \
		python3 -m unittest discover -s tests/integration -t tests -v -k OperationsDocker

# config/compose.yaml proven (docs/OPERATIONS.md 6b), with nothing from
# outside the repository but Debian's mirror: tests/tools/compose-check.sh
# makes the Debian 12 base image (debootstrap, cached in DOCKCHECK_WORK with
# the container storage, shared with docker-check), then podman-compose
# builds both images and starts the bot against the fake Bot API and nginx;
# an action announced, a document issued, the pages fetched through nginx
# with curl; `down -v`. Root only; minutes, so not part of make test.
compose-check: compose-deps $(BUILD)/fakeapi
	bash tests/tools/compose-check.sh $(DOCKCHECK_WORK)

clean:
	rm -rf build

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
ifneq ($(BUILD),$(FUZZ_BUILD))
-include $(shell find $(FUZZ_BUILD) -name '*.d' 2>/dev/null)
endif
