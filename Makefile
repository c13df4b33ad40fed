# kaohe — plain Makefile (GNU make).
#
#   make            build ./kaohe
#   make demo       install what is missing, build, run the sample month
#   make check      install what is missing, build, run every test
#                   (unit + golden, then again under ASan/UBSan)
#   make bench      print performance figures
#   make install PREFIX=/usr/local
#
# Every module in src/ goes into build/libkaohe.a; ./kaohe and each test
# link that library (src/main.c is the thin command layer).

VERSION	= 0.1.0
MAKEFLAGS += --no-print-directory
PREFIX	?= /usr/local
BUILD	?= build
CC	?= cc

# Debian 12 packages the project needs; `make deps` installs the missing ones.
DEB_PACKAGES = gcc make pkg-config libxml2-dev libsqlite3-dev libhpdf-dev \
	libcmocka-dev libharfbuzz-dev libunibreak-dev libssl-dev \
	fonts-wqy-microhei icc-profiles-free poppler-utils python3

PKGS	= libxml-2.0 sqlite3 harfbuzz harfbuzz-subset libunibreak libcrypto
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lhpdf -lm

WARN	= -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	  -Wno-missing-field-initializers
CSTD	= -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
OPT	?= -O2 -g
SAN	?=
CFLAGS_ALL = $(CSTD) $(OPT) $(WARN) $(SAN) -DKH_VERSION='"$(VERSION)"' \
	  -DKH_DATADIR='"$(PREFIX)/share/kaohe"' \
	  -Isrc $(PKG_CFLAGS) $(CFLAGS)
LDFLAGS_ALL = $(SAN) $(LDFLAGS)

LIB_SRC	= $(filter-out src/main.c,$(wildcard src/*.c))
LIB_OBJ	= $(LIB_SRC:src/%.c=$(BUILD)/%.o)
LIB	= $(BUILD)/libkaohe.a
TEST_SRC = $(wildcard tests/unit/test_*.c)
TEST_BIN = $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TOOL_SRC = $(wildcard tests/tools/*.c)
TOOL_BIN = $(TOOL_SRC:tests/tools/%.c=$(BUILD)/tools/%)

.PHONY: all deps demo check test unit golden regress crash san fuzz bench install clean sample tools

all: kaohe

kaohe: $(BUILD)/kaohe
	@cp $< $@.tmp && mv -f $@.tmp $@

$(BUILD)/kaohe: $(BUILD)/main.o $(LIB)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS_ALL) -o $@ $^ $(PKG_LIBS)

$(BUILD)/%.o: src/%.c $(wildcard src/*.h) | $(BUILD)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS_ALL) -c -o $@ $<

$(LIB): $(LIB_OBJ)
	@rm -f $@
	@echo "  AR      $@"
	@ar rcs $@ $^

$(BUILD):
	mkdir -p $(BUILD)/tests $(BUILD)/tools

$(BUILD)/tests/%: tests/unit/%.c $(LIB) $(wildcard tests/unit/*.h) | $(BUILD)
	@echo "  TEST    $<"
	@$(CC) $(CFLAGS_ALL) -Itests/unit -o $@ $< $(LIB) $(LDFLAGS_ALL) $(PKG_LIBS) -lcmocka

$(BUILD)/tools/%: tests/tools/%.c $(LIB) | $(BUILD)
	@echo "  TOOL    $<"
	@$(CC) $(CFLAGS_ALL) -o $@ $< $(LIB) $(LDFLAGS_ALL) $(PKG_LIBS)

tools: $(TOOL_BIN)

# ---- set-up ---------------------------------------------------------------

SUDO = $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null || exit 1; \
	fi

# The main job on the bundled sample: April and May closed as at each
# month end, then the year.  Rerunning it changes nothing (same bytes).
DEMO = ./kaohe --db output/demo.db
demo: deps
	@$(MAKE) --no-print-directory kaohe
	@mkdir -p output
	$(DEMO) run --month 2013-04 --final
	$(DEMO) run --month 2013-05 --final
	$(DEMO) annual 2013
	@echo "demo: see output/2013-04/, output/2013-05/ and output/2013/"

# ---- tests ----------------------------------------------------------------

check: deps
	$(MAKE) test
	$(MAKE) san

test: kaohe $(TEST_BIN) tools
	@tests/run-unit.sh $(BUILD)
	@tests/golden/run.sh ./kaohe $(BUILD)
	@tests/regress/run.sh ./kaohe
	@tests/crash/run.sh ./kaohe

# one script per reported attack or operator mistake (tests/regress/cases)
regress: kaohe
	@tests/regress/run.sh ./kaohe

# kill -9 during runs: nothing half-written in the database or output/
crash: kaohe
	@tests/crash/run.sh ./kaohe

unit: $(TEST_BIN)
	@tests/run-unit.sh $(BUILD)

golden: kaohe tools
	@tests/golden/run.sh ./kaohe $(BUILD)

# Same suite, AddressSanitizer + UndefinedBehaviorSanitizer, separate build dir.
san:
	$(MAKE) BUILD=build/san OPT="-O1 -g -fno-omit-frame-pointer" \
	  SAN="-fsanitize=address,undefined -fno-sanitize-recover=all" \
	  build/san/kaohe build/san/tests-all build/san/tools-all
	@ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  tests/run-unit.sh build/san
	@ASAN_OPTIONS=detect_leaks=1 tests/golden/run.sh build/san/kaohe build/san
	@ASAN_OPTIONS=detect_leaks=1 tests/regress/run.sh build/san/kaohe
	@ASAN_OPTIONS=detect_leaks=1 tests/crash/run.sh build/san/kaohe

$(BUILD)/tests-all: $(TEST_BIN)
	@touch $@
$(BUILD)/tools-all: $(TOOL_BIN)
	@touch $@

# Mutation smoke test of the importer and scheme loader, and hostile names
# through a whole run, under ASan/UBSan (not part of check).
fuzz:
	$(MAKE) BUILD=build/san OPT="-O1 -g -fno-omit-frame-pointer" \
	  SAN="-fsanitize=address,undefined -fno-sanitize-recover=all" build/san/kaohe
	tests/fuzz/mutate.py build/san/kaohe $${SEED:-1} $${N:-300}

bench: kaohe tools
	@tests/bench/run.sh ./kaohe $(BUILD)

# Regenerate the bundled sample from its seeded generator.
sample: tools
	$(BUILD)/tools/gen --seed 20130501 --out input

# ---- install --------------------------------------------------------------

install: kaohe
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/kaohe/templates \
	  $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 kaohe $(DESTDIR)$(PREFIX)/bin/kaohe
	cp -R templates/. $(DESTDIR)$(PREFIX)/share/kaohe/templates/
	install -m 644 src/kaohe.1 $(DESTDIR)$(PREFIX)/share/man/man1/kaohe.1

clean:
	rm -rf build kaohe
