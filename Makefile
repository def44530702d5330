# mysql2pg row-stream toolkit
# make            build every tool into bin/
# make check      install missing packages, build, run all test suites
# make install PREFIX=/usr/local   (also the backup schedule: share/rowstream/{systemd,cron.d,default})
# make sanitize-check, make fuzz, make bench

CC ?= cc
PREFIX ?= /usr/local
BUILD ?= build
BIN ?= bin
CFLAGS ?= -O2 -g
PKGS = libmariadb libpq libzstd libxxhash
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Icommon $(PKG_CFLAGS) $(CFLAGS)
LDLIBS = $(PKG_LIBS) -lcsv -lm

COMMON_SRC := $(wildcard common/*.c)
COMMON_OBJ := $(COMMON_SRC:%.c=$(BUILD)/%.o)
TOOLS := $(notdir $(patsubst %/,%,$(wildcard cmd/*/)))
BINS := $(TOOLS:%=$(BIN)/%)
UNIT_SRC := $(wildcard tests/unit/*_test.c)
UNIT_BINS := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
# a tool's unit tests mirror its tree: tests/unit/<tool>/NAME_test.c, linked with the tool's
# objects but main.o (-Icmd/<tool> for its internal header), built as $(BUILD)/tests/<tool>/NAME_test
TOOL_UNIT_SRC := $(wildcard tests/unit/*/*_test.c)
TOOL_UNIT_BINS := $(TOOL_UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
UNIT_TOOLS := $(sort $(patsubst tests/unit/%/,%,$(dir $(TOOL_UNIT_SRC))))
TOOL_SRC := $(wildcard tests/tools/*.c)
TEST_TOOLS := $(TOOL_SRC:tests/tools/%.c=$(BUILD)/tools/%)
MAN1 := $(wildcard man/man1/*.1)
# the pages of the scripts that run from the source tree only (not installed)
MAN1_DEV := man/man1/bench.1 man/man1/bench-checksum.1 man/man1/install-deps.1 man/man1/test-servers.1
MAN5 := $(wildcard man/man5/*.5)
MAN7 := $(wildcard man/man7/*.7)

.PHONY: all check unit install install-metrics install-schedule sanitize-check fuzz bench demo clean lint
all: $(BINS)

define tool_rule
$(BIN)/$(1): $(patsubst %.c,$(BUILD)/%.o,$(wildcard cmd/$(1)/*.c)) $(BUILD)/libcommon.a
	@mkdir -p $(BIN)
	$$(CC) $$(ALL_CFLAGS) $$(LDFLAGS) -o $$@ $$(filter %.o,$$^) $(BUILD)/libcommon.a $$(LDLIBS)
endef
$(foreach t,$(TOOLS),$(eval $(call tool_rule,$(t))))

$(BUILD)/libcommon.a: $(COMMON_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(BUILD)/libcommon.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libcommon.a $(LDLIBS)

define tool_unit_rule
$(BUILD)/tests/unit/$(1)/%.o: ALL_CFLAGS += -Icmd/$(1) -Itests/unit
$(BUILD)/tests/$(1)/%_test: $(BUILD)/tests/unit/$(1)/%_test.o \
		$(patsubst %.c,$(BUILD)/%.o,$(filter-out cmd/$(1)/main.c,$(wildcard cmd/$(1)/*.c))) $(BUILD)/libcommon.a
	@mkdir -p $$(dir $$@)
	$$(CC) $$(ALL_CFLAGS) $$(LDFLAGS) -o $$@ $$(filter %.o,$$^) $(BUILD)/libcommon.a $$(LDLIBS)
endef
$(foreach t,$(UNIT_TOOLS),$(eval $(call tool_unit_rule,$(t))))

$(BUILD)/tools/%: $(BUILD)/tests/tools/%.o $(BUILD)/libcommon.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libcommon.a $(LDLIBS)

# unit tests and the test-only programs the bats suites use
unit: $(UNIT_BINS) $(TOOL_UNIT_BINS) $(TEST_TOOLS)

# make demo [SCALE=1] [SEED=1] [KEEP=1]: the hotel application's migration from start to finish
# on throwaway servers (scripts/hotel-demo)
demo:
	scripts/install-deps
	$(MAKE) all
	SCALE="$(or $(SCALE),1)" SEED="$(or $(SEED),1)" KEEP="$(KEEP)" scripts/hotel-demo

check:
	scripts/install-deps
	$(MAKE) all unit
	TEST_TOOLS_DIR=$(abspath $(BUILD))/tools tests/run

sanitize-check:
	scripts/install-deps
	$(MAKE) BUILD=build/san CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
		LDFLAGS="-fsanitize=address,undefined" unit
	UNIT_DIR=build/san/tests tests/run --unit-only

FUZZ_SECONDS ?= 60
FUZZ_SAN = -fsanitize=address,undefined
FUZZ_FLAGS = -std=c11 -D_GNU_SOURCE -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION -g -O1 -Icommon $(PKG_CFLAGS) \
	-fsanitize=fuzzer $(FUZZ_SAN)
# each target runs FUZZ_SECONDS: the stream reader (seeded with the golden streams), then the
# value converters and the JSON parser. The common modules are compiled once for both, with
# clang and the same checks as every build (-Werror).
fuzz:
	scripts/install-deps
	@mkdir -p $(BUILD)/fuzz/corpus $(BUILD)/fuzz/corpus-convert
	$(MAKE) CC=clang BUILD=$(BUILD)/fuzz/obj LDFLAGS= \
		CFLAGS="-DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION -g -O1 -fsanitize=fuzzer-no-link $(FUZZ_SAN)" \
		$(BUILD)/fuzz/obj/libcommon.a
	clang $(FUZZ_FLAGS) -o $(BUILD)/fuzz/fuzz_reader tests/fuzz/fuzz_reader.c $(BUILD)/fuzz/obj/libcommon.a $(LDLIBS)
	clang $(FUZZ_FLAGS) -o $(BUILD)/fuzz/fuzz_convert tests/fuzz/fuzz_convert.c $(BUILD)/fuzz/obj/libcommon.a $(LDLIBS)
	cp tests/unit/golden/*.rs $(BUILD)/fuzz/corpus/
	$(BUILD)/fuzz/fuzz_reader -max_total_time=$(FUZZ_SECONDS) -max_len=65536 $(BUILD)/fuzz/corpus
	$(BUILD)/fuzz/fuzz_convert -max_total_time=$(FUZZ_SECONDS) -max_len=4096 $(BUILD)/fuzz/corpus-convert

# make bench [SCALE=1] [REPEAT=3] [BENCH_JSON=file] [BENCH_BASELINE=file]: see scripts/bench --help
bench: all
	SCALE="$(or $(SCALE),1)" REPEAT="$(or $(REPEAT),3)" BENCH_JSON="$(BENCH_JSON)" \
		BENCH_BASELINE="$(BENCH_BASELINE)" scripts/bench
	scripts/bench-checksum

install: all install-metrics
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man5 \
		$(DESTDIR)$(PREFIX)/share/man/man7
	install -m 755 $(BINS) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(filter-out $(MAN1_DEV),$(MAN1)) $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 $(MAN5) $(DESTDIR)$(PREFIX)/share/man/man5/
	install -m 644 $(MAN7) $(DESTDIR)$(PREFIX)/share/man/man7/
	install -d $(DESTDIR)$(PREFIX)/share/rowstream
	install -m 644 scripts/lib.bash $(DESTDIR)$(PREFIX)/share/rowstream/
	install -m 755 scripts/migrate $(DESTDIR)$(PREFIX)/bin/migrate
	install -m 755 scripts/verify $(DESTDIR)$(PREFIX)/bin/verify
	install -m 755 scripts/query-report $(DESTDIR)$(PREFIX)/bin/query-report
	install -d $(DESTDIR)$(PREFIX)/share/rowstream/queries
	install -m 644 schema/queries/*.sql $(DESTDIR)$(PREFIX)/share/rowstream/queries/
	install -m 755 scripts/backup scripts/restore scripts/health $(DESTDIR)$(PREFIX)/bin/
	$(MAKE) --no-print-directory install-schedule SCHEDULE="$(BACKUP_SCHEDULE)"

# the metrics collector and dashboard, their man pages, the 5-minute timer, service and cron line
install-metrics:
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 scripts/metrics scripts/dashboard $(DESTDIR)$(PREFIX)/bin/
	install -m 644 man/man1/metrics.1 man/man1/dashboard.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	$(MAKE) --no-print-directory install-schedule SCHEDULE="$(METRICS_SCHEDULE)"

# the schedules (etc/): into share/rowstream, with the path of the installed commands filled in
BACKUP_SCHEDULE := systemd/rowstream-backup.service systemd/rowstream-backup.timer \
	cron.d/rowstream-backup default/rowstream-backup
METRICS_SCHEDULE := systemd/rowstream-metrics.service systemd/rowstream-metrics.timer \
	cron.d/rowstream-metrics default/rowstream-metrics
# make install-schedule [PREFIX=...] alone: both schedules (the runbook's monitoring checklist)
SCHEDULE ?= $(BACKUP_SCHEDULE) $(METRICS_SCHEDULE)
install-schedule:
	install -d $(DESTDIR)$(PREFIX)/share/rowstream/systemd $(DESTDIR)$(PREFIX)/share/rowstream/cron.d \
		$(DESTDIR)$(PREFIX)/share/rowstream/default
	for f in $(SCHEDULE); do \
		sed 's|@BINDIR@|$(PREFIX)/bin|g' etc/$$f >$(DESTDIR)$(PREFIX)/share/rowstream/$$f || exit 1; \
		chmod 644 $(DESTDIR)$(PREFIX)/share/rowstream/$$f; \
	done

lint:
	shellcheck scripts/* tests/run tests/bats/*.bash .ci/run
	mandoc -Tlint -W warning $(MAN1) $(MAN5) $(MAN7)

clean:
	rm -rf build bin

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
