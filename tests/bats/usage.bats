#!/usr/bin/env bats
# usage: every tool's usage, as a usage error prints it, is the SYNOPSIS of its man page, and
# --help (where it prints more) starts with it. Compared form by form, words separated by one
# space (the line breaks differ: the man page is rendered one form per line).

bats_require_minimum_version 1.5.0

load helpers

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
}

# normalised forms: one per line, single spaces, "] ..." written "]..."
norm() { sed -E 's/[[:space:]]+/ /g; s/^ //; s/ $//; s/ \.\.\./.../g'; }

# synopsis_of PAGE: the forms of the SYNOPSIS of man/man1/PAGE.1
synopsis_of() {
	mandoc -T ascii -O width=1000 "$REPO_ROOT/man/man1/$1.1" | col -b |
		awk '/^SYNOPSIS$/ { on = 1; next } on && /^[A-Z]/ { exit } on && NF { print }' | norm
}

# usage_of NAME <TEXT: the forms of the usage block in TEXT: "usage: NAME ..." and the lines
# after it that start with spaces; a line "       NAME ..." starts another form
usage_of() {
	awk -v name="$1" '
		/^usage: / { on = 1; sub(/^usage: +/, ""); f[++n] = $0; next }
		!on { next }
		!/^ / { exit }
		{
			line = $0
			sub(/^ +/, "", line)
			if ($0 ~ /^       [^ ]/ && (index(line, name " ") == 1 || line == name))
				f[++n] = line
			else
				f[n] = f[n] " " line
		}
		END { for (i = 1; i <= n; i++) print f[i] }' | norm
}

# check NAME PROGRAM [STATUS]: PROGRAM's usage (on a bad option, exit STATUS, default 2) is the
# SYNOPSIS of NAME(1)
check() {
	local name=$1 prog=$2 status=${3:-2} want got
	want=$(synopsis_of "$name")
	[ -n "$want" ]
	run "-$status" --separate-stderr "$prog" --no-such-option
	got=$(usage_of "$name" <<<"$stderr")
	if [ "$got" != "$want" ]; then
		echo "$name: usage and SYNOPSIS differ"
		diff <(echo "$want") <(echo "$got") || true
		return 1
	fi
	# --help prints it too, first
	run -0 --separate-stderr "$prog" --help
	got=$(usage_of "$name" <<<"$output$stderr")
	if [ "$got" != "$want" ]; then
		echo "$name --help: usage and SYNOPSIS differ"
		diff <(echo "$want") <(echo "$got") || true
		return 1
	fi
}

@test "my-extract: usage is the SYNOPSIS" { check my-extract "$BIN/my-extract"; }
@test "row-convert: usage is the SYNOPSIS" { check row-convert "$BIN/row-convert"; }
@test "pg-load: usage is the SYNOPSIS" { check pg-load "$BIN/pg-load"; }
@test "my-schema: usage is the SYNOPSIS" { check my-schema "$BIN/my-schema"; }
@test "pg-extract: usage is the SYNOPSIS" { check pg-extract "$BIN/pg-extract"; }
@test "row-checksum: usage is the SYNOPSIS" { check row-checksum "$BIN/row-checksum"; }
@test "fk-check: usage is the SYNOPSIS" { check fk-check "$BIN/fk-check"; }
@test "row-cat: usage is the SYNOPSIS" { check row-cat "$BIN/row-cat"; }
@test "scripts/migrate: usage is the SYNOPSIS" { check migrate "$REPO_ROOT/scripts/migrate"; }
@test "scripts/verify: usage is the SYNOPSIS" { check verify "$REPO_ROOT/scripts/verify"; }
@test "scripts/query-report: usage is the SYNOPSIS" { check query-report "$REPO_ROOT/scripts/query-report"; }
@test "scripts/backup: usage is the SYNOPSIS" { check backup "$REPO_ROOT/scripts/backup"; }
@test "scripts/restore: usage is the SYNOPSIS" { check restore "$REPO_ROOT/scripts/restore"; }
@test "scripts/metrics: usage is the SYNOPSIS" { check metrics "$REPO_ROOT/scripts/metrics"; }
@test "scripts/dashboard: usage is the SYNOPSIS" { check dashboard "$REPO_ROOT/scripts/dashboard"; }
@test "scripts/hotel-demo: usage is the SYNOPSIS" { check hotel-demo "$REPO_ROOT/scripts/hotel-demo"; }
@test "scripts/test-servers: usage is the SYNOPSIS" { check test-servers "$REPO_ROOT/scripts/test-servers"; }
@test "scripts/bench-checksum: usage is the SYNOPSIS" { check bench-checksum "$REPO_ROOT/scripts/bench-checksum"; }
@test "scripts/install-deps: usage is the SYNOPSIS" { check install-deps "$REPO_ROOT/scripts/install-deps"; }
@test "scripts/bench: usage is the SYNOPSIS" { check bench "$REPO_ROOT/scripts/bench"; }
# health exits 3 on a usage error, as a monitoring plugin (UNKNOWN), as health(1) says
@test "scripts/health: usage is the SYNOPSIS" { check health "$REPO_ROOT/scripts/health" 3; }

@test "the check itself: a usage that differs from its SYNOPSIS is caught" {
	printf '#!/bin/sh\necho "usage: fk-check --pg [schema]" >&2\nexit 2\n' >fake
	chmod +x fake
	run -1 check fk-check ./fake
	assert_output --partial "usage and SYNOPSIS differ"
}
