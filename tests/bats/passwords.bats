#!/usr/bin/env bats
# shellcheck disable=SC2154 # $stderr is set by bats' run --separate-stderr
# passwords: a password given on the command line of a PostgreSQL-side tool (-d conninfo,
# key=value or URI) is overwritten in its argv before it connects, so that ps(1) and
# /proc/PID/cmdline show x's while it runs; error messages mask it in any case.
#
# Each tool is caught while it runs: a background session holds an ACCESS EXCLUSIVE lock on
# the table the tool reads or writes, the tool waits for it (pg_stat_activity says so), and
# its /proc/PID/cmdline is read then. The test servers trust every local connection, so any
# password is accepted and ignored.

bats_require_minimum_version 1.5.0

load helpers
load tools

SECRET=s3cretPW
ALSO=an0therPW

setup_file() {
	servers_start
	tools_build
}

teardown_file() {
	servers_stop
}

setup() {
	fresh_dbs
	export PGDATABASE=$PGDB
	cd "$BATS_TEST_TMPDIR" || return 1
}

teardown() {
	unlock_table
	if [ -n "${TOOL_PID:-}" ]; then
		kill "$TOOL_PID" 2>/dev/null || true
		wait "$TOOL_PID" 2>/dev/null || true
	fi
}

wait_for() {
	local _
	for _ in $(seq 600); do
		"$@" && return 0
		sleep 0.1
	done
	echo "wait_for: gave up waiting for: $*" >&2
	return 1
}

table_locked() { # TABLE
	[ "$(pg_sql "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
	             WHERE c.relname = '$1' AND l.mode = 'AccessExclusiveLock' AND l.granted")" = 1 ]
}

# lock_table TABLE: a background session holds an ACCESS EXCLUSIVE lock on TABLE until
# unlock_table
lock_table() {
	pg_sql "BEGIN" "LOCK TABLE $1 IN ACCESS EXCLUSIVE MODE" "SELECT pg_sleep(300) /* locker */" \
		>/dev/null 2>&1 3>&- &
	LOCKER_PID=$!
	wait_for table_locked "$1"
}

unlock_table() {
	[ -n "${LOCKER_PID:-}" ] || return 0
	pg_sql "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
	        WHERE query LIKE '%/* locker */%' AND pid <> pg_backend_pid()" >/dev/null
	wait "$LOCKER_PID" 2>/dev/null || true
	LOCKER_PID=
}

waits_for_lock() { # APPLICATION-NAME
	[ "$(pg_sql "SELECT count(*) FROM pg_stat_activity
	             WHERE datname = current_database() AND application_name = '$1' AND wait_event_type = 'Lock'")" -ge 1 ]
}

# cmdline_clean PID: the command line of PID (as ps shows it) holds neither password, and
# the conninfo is still there with x's in their place
cmdline_clean() {
	local cmdline
	cmdline=$(tr '\0' ' ' <"/proc/$1/cmdline")
	echo "cmdline: $cmdline" >&3
	[[ $cmdline != *"$SECRET"* ]]
	[[ $cmdline != *"$ALSO"* ]]
	[[ $cmdline == *xxxxxxxx* ]]
	cmdline=$(ps -o args= -p "$1")
	[[ $cmdline == *xxxxxxxx* && $cmdline != *"$SECRET"* ]]
}

@test "pg-load: the password of a key=value -d is not in /proc/PID/cmdline or ps while it loads" {
	pg_sql "CREATE TABLE gen (id int8 PRIMARY KEY, t text, b bytea, n int4)"
	"$TOOLS/rs-gen" --rows 1000 >s.rs
	lock_table gen
	"$BIN/pg-load" -q -d "dbname=$PGDB password=$SECRET" gen <s.rs 3>&- &
	TOOL_PID=$!
	wait_for waits_for_lock pg-load
	cmdline_clean "$TOOL_PID"
	unlock_table
	local rc=0
	wait "$TOOL_PID" || rc=$?
	TOOL_PID=
	assert_equal "$rc" 0
	assert_equal "$(pg_sql "SELECT count(*) FROM gen")" 1000
}

@test "pg-extract: the passwords of a URI -d (user:pass@ and ?password=) are not in /proc/PID/cmdline" {
	pg_sql "CREATE TABLE big (id int PRIMARY KEY, v text)" "INSERT INTO big SELECT i, 'v' || i FROM generate_series(1, 1000) i"
	lock_table big
	"$BIN/pg-extract" -q --dbname="postgresql://$PGUSER:$SECRET@/$PGDB?password=$ALSO&application_name=pg-extract" \
		big >big.rs 3>&- &
	TOOL_PID=$!
	wait_for waits_for_lock pg-extract
	cmdline_clean "$TOOL_PID"
	grep -q "postgresql://$PGUSER:${SECRET//?/x}@/$PGDB?password=${ALSO//?/x}&application_name=pg-extract" "/proc/$TOOL_PID/cmdline"
	unlock_table
	local rc=0
	wait "$TOOL_PID" || rc=$?
	TOOL_PID=
	assert_equal "$rc" 0
	[ "$("$BIN/row-checksum" big.rs)" = "$("$BIN/pg-extract" big | "$BIN/row-checksum")" ]
}

@test "fk-check --pg: a quoted password with spaces in -d is not in /proc/PID/cmdline" {
	pg_sql "CREATE TABLE p (id int PRIMARY KEY)" "CREATE TABLE c (id int PRIMARY KEY, p int REFERENCES p)" \
		"INSERT INTO p VALUES (1)" "INSERT INTO c VALUES (1, 1)"
	lock_table c
	"$BIN/fk-check" --pg -d "dbname=$PGDB password='$SECRET with $ALSO'" public >fk.out 3>&- &
	TOOL_PID=$!
	wait_for waits_for_lock fk-check
	cmdline_clean "$TOOL_PID"
	unlock_table
	local rc=0
	wait "$TOOL_PID" || rc=$?
	TOOL_PID=
	assert_equal "$rc" 0
}

@test "error messages mask passwords whatever the key's case, and where libpq quotes them" {
	run -5 --separate-stderr "$BIN/pg-load" -d "PASSWORD=$SECRET dbname=$PGDB" --checkpoint t
	assert_equal "$stderr" "pg-load: [target] unable to connect to 'PASSWORD=******** dbname=$PGDB': invalid connection option \"PASSWORD\""
	run -4 --separate-stderr "$BIN/pg-extract" -d "postgresql://u:$SECRET%zz@/x" t
	[[ $stderr == *'invalid percent-encoded token: "********"'* ]]
	[[ $stderr != *"$SECRET"* ]]
	# not a URI for libpq (upper case): taken as a database name, which the server quotes back
	run -5 --separate-stderr "$BIN/fk-check" --pg -d "POSTGRESQL://u:$SECRET@/x" public
	[[ $stderr == *'database "POSTGRESQL://u:********@/x" does not exist'* ]]
	[[ $stderr != *"$SECRET"* ]]
}
