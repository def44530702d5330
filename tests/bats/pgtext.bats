#!/usr/bin/env bats
# pgtext (common/pgtext.c) against a live PostgreSQL 15: for every value of the queries in
# tests/tools/pgtext-check.queries (every type row-convert produces, edge cases and thousands
# of random values), the binary COPY form rendered by pgtext_format() must equal the server's
# own text output, byte for byte.

bats_require_minimum_version 1.5.0

load helpers
load tools

setup_file() {
	servers_start
	tools_build
}

teardown_file() {
	servers_stop
}

@test "pgtext renders every value exactly as PostgreSQL prints it" {
	run -0 "$TOOLS/pgtext-check" -d "dbname=${PGDB:-test}" <"$REPO_ROOT/tests/tools/pgtext-check.queries"
	# the last line counts the values; there must be many and no mismatch
	[[ "${lines[-1]}" =~ ^([0-9]+)\ values\ compared,\ 0\ mismatches$ ]]
	[ "${BASH_REMATCH[1]}" -gt 100000 ]
}

@test "pgtext-check catches a wrong rendering (the comparison can fail)" {
	# int4 -1 rendered as an oid prints 4294967295, not -1
	run -1 "$TOOLS/pgtext-check" -d "dbname=${PGDB:-test}" -t 26 <<<"SELECT v::int4 FROM (VALUES (-1), (7)) s(v)"
	assert_line --index 0 "mismatch (type 26) in: SELECT v::int4 FROM (VALUES (-1), (7)) s(v)"
	assert_line '  pgtext: "4294967295"'
	assert_line '  server: "-1"'
	assert_line "2 values compared, 1 mismatches"
}
