# shellcheck shell=bash
# helpers.bash: loaded by every bats file with `load helpers`.
#
#   setup_file()    { servers_start; }
#   teardown_file() { servers_stop; }
#   setup()         { fresh_dbs; }          # optional: a private database on each side
#
#   my_sql "SQL"    run SQL on MariaDB (database $MYDB, else test); batch output, no column names
#   pg_sql "SQL"    run SQL on PostgreSQL (database $PGDB, else test): psql -XAtq -v ON_ERROR_STOP=1
#                   (several arguments run one after the other; no argument: SQL from stdin)
#   fresh_dbs       create an empty database with a unique name on both servers and set
#                   MYDB/PGDB (exported) to it; dropped by servers_stop
#
# Servers: when TEST_SERVERS_ENV names a file (tests/run writes one), the servers it describes
# are shared by all bats files; otherwise servers_start starts a private pair under
# $BATS_FILE_TMPDIR/srv with scripts/test-servers and servers_stop stops it.
# Exported for the tests: MYSQL_UNIX_PORT, MYSQL_TEST_SOCKET, MYSQL_HOST, MYSQL_USER, MYSQL_HOME,
# PGHOST, PGPORT, PGUSER, PGDATABASE, TEST_SERVERS_DIR, PARALLEL_HOME, and BIN (the tools under
# test: $BIN from the environment, relative to the repository root, default REPO_ROOT/bin).
# With an sshd on 127.0.0.1 (the shared servers of tests/run have one; for private servers:
# `TEST_SERVERS_SSHD=1 servers_start`) also TEST_SSH_HOST, TEST_SSH_PORT, TEST_SSH_CONFIG and
# TEST_SSH_LOGIN: `ssh -F "$TEST_SSH_CONFIG" "$TEST_SSH_HOST" CMD`, and
# `parallel --will-cite -S "$TEST_SSH_LOGIN" ...` runs jobs there with the PG* and MYSQL_*
# variables of the caller (see scripts/test-servers).

bats_require_minimum_version 1.5.0

REPO_ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
export REPO_ROOT

_helpers_lib=${BATS_HELPERS_LIB:-/usr/lib/bats}
if [ ! -r "$_helpers_lib/bats-support/load.bash" ] || [ ! -r "$_helpers_lib/bats-assert/load.bash" ]; then
	echo "helpers.bash: bats-support/bats-assert not found in $_helpers_lib (run scripts/install-deps)" >&2
	exit 1
fi
load "$_helpers_lib/bats-support/load"
load "$_helpers_lib/bats-assert/load"

BIN=${BIN:-bin}
case "$BIN" in /*) ;; *) BIN=$REPO_ROOT/$BIN ;; esac
export BIN

# servers_start: for setup_file; use the shared servers or start private ones
servers_start() {
	if [ -n "${TEST_SERVERS_ENV:-}" ]; then
		if [ ! -r "$TEST_SERVERS_ENV" ]; then
			echo "servers_start: TEST_SERVERS_ENV=$TEST_SERVERS_ENV is not readable" >&2
			return 1
		fi
		# shellcheck disable=SC1090
		source "$TEST_SERVERS_ENV"
		HELPERS_PRIVATE_SERVERS=
	else
		local dir=$BATS_FILE_TMPDIR/srv
		# fd 3 closed: a server holding bats' output descriptor would hang bats
		if ! "$REPO_ROOT/scripts/test-servers" start "$dir" >"$BATS_FILE_TMPDIR/servers-start.log" 3>&-; then
			echo "servers_start: scripts/test-servers start $dir failed" >&2
			return 1
		fi
		# shellcheck disable=SC1091
		source "$dir/env"
		HELPERS_PRIVATE_SERVERS=$dir
	fi
	export HELPERS_PRIVATE_SERVERS
	if ! MYDB="test" my_sql "SELECT 1" >/dev/null || ! PGDB="test" pg_sql "SELECT 1" >/dev/null; then
		echo "servers_start: the servers of $TEST_SERVERS_DIR do not answer" >&2
		return 1
	fi
	HELPERS_DBS_FILE=$BATS_FILE_TMPDIR/fresh_dbs
	export HELPERS_DBS_FILE
	: >"$HELPERS_DBS_FILE"
}

# servers_stop: for teardown_file; stop private servers, or drop this file's databases from the
# shared servers
servers_stop() {
	local rc=0 db
	if [ -n "${HELPERS_PRIVATE_SERVERS:-}" ]; then
		"$REPO_ROOT/scripts/test-servers" stop "$HELPERS_PRIVATE_SERVERS" 3>&- || rc=1
		HELPERS_PRIVATE_SERVERS=
	elif [ -n "${HELPERS_DBS_FILE:-}" ] && [ -r "$HELPERS_DBS_FILE" ]; then
		while IFS= read -r db; do
			[ -n "$db" ] || continue
			MYDB=mysql my_sql "DROP DATABASE IF EXISTS \`$db\`" || rc=1
			PGDB=postgres pg_sql "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" || rc=1
		done <"$HELPERS_DBS_FILE"
		: >"$HELPERS_DBS_FILE"
	fi
	return "$rc"
}

# my_sql [SQL...]: run SQL on MariaDB as $MYSQL_USER over the socket, in database $MYDB or test.
# Arguments are joined with ";" (run as one batch); without arguments the SQL is read from stdin.
# Output: tab-separated, no column names, special characters escaped as by `mariadb --batch`.
my_sql() {
	local sql
	local args=(--no-defaults --socket="$MYSQL_UNIX_PORT" --user="${MYSQL_USER:-root}"
		--batch --skip-column-names --default-character-set=utf8mb4 --database="${MYDB:-test}")
	if [ $# -eq 0 ]; then
		mariadb "${args[@]}"
	else
		sql=$(printf '%s;\n' "$@")
		mariadb "${args[@]}" -e "$sql"
	fi
}

# pg_sql [SQL...]: run SQL on PostgreSQL in database $PGDB or test (psql -XAtq, stop at the
# first error). Each argument is one -c command; without arguments the SQL is read from stdin.
pg_sql() {
	local args=(-X -A -t -q -v ON_ERROR_STOP=1 -d "${PGDB:-test}") c
	if [ $# -eq 0 ]; then
		psql "${args[@]}" -f -
	else
		for c in "$@"; do args+=(-c "$c"); done
		psql "${args[@]}"
	fi
}

# fresh_dbs [PREFIX]: create a new empty database on both sides (same name, lowercase, unique
# across concurrently running tests) and export MYDB and PGDB
fresh_dbs() {
	local stem name
	stem=${1:-${BATS_TEST_FILENAME##*/}}
	stem=${stem%.bats}
	stem=$(printf '%s' "$stem" | tr '[:upper:]' '[:lower:]' | tr -c 'a-z0-9' '_')
	stem=${stem:0:24}
	name="t_${stem}_${BATS_SUITE_TEST_NUMBER:-0}_${BASHPID}_${RANDOM}"
	MYDB=mysql my_sql "CREATE DATABASE \`$name\`" || return 1
	PGDB=postgres pg_sql "CREATE DATABASE \"$name\"" || return 1
	if [ -n "${HELPERS_DBS_FILE:-}" ]; then
		printf '%s\n' "$name" >>"$HELPERS_DBS_FILE"
	fi
	MYDB=$name
	PGDB=$name
	export MYDB PGDB
}

# Sessions held open, for tests that need a transaction, a lock or an exported snapshot to last
# while other commands run:
#   pg_session_open NAME     a psql session (database $PGDB, else test) fed through a fifo; its
#                            output (unaligned tuples, errors) goes to $BATS_TEST_TMPDIR/NAME.out
#   pg_session NAME SQL      send SQL to it (it runs at once, in that session)
#   pg_session_wait NAME RE  wait (up to 30 s) until a line of its output matches the regex RE
#   pg_session_close NAME    end it (psql exits at the end of its input) and wait for it
# my_session_open/my_session/my_session_wait/my_session_close: the same with mariadb on $MYDB.
_session_open() { # KIND NAME
	local f=$BATS_TEST_TMPDIR/$2
	rm -f "$f.fifo" "$f.out"
	mkfifo "$f.fifo" || return 1
	: >"$f.out"
	(
		# not the writing ends of the other sessions: they would never see the end of their input
		local o
		for o in "$BATS_TEST_TMPDIR"/*.fd; do
			[ -r "$o" ] && eval "exec $(cat "$o")>&-"
		done
		if [ "$1" = pg ]; then
			exec psql -X -A -t -q -d "${PGDB:-test}" <"$f.fifo" >"$f.out" 2>&1 3>&-
		else
			exec mariadb --no-defaults --socket="$MYSQL_UNIX_PORT" --user="${MYSQL_USER:-root}" --batch \
				--skip-column-names --unbuffered --database="${MYDB:-test}" <"$f.fifo" >"$f.out" 2>&1 3>&-
		fi
	) &
	printf '%s\n' "$!" >"$f.pid"
	# the writing end stays open in this shell (a descriptor per session, found by name)
	local fd
	exec {fd}>"$f.fifo"
	printf '%s\n' "$fd" >"$f.fd"
}
_session_send() { printf '%s\n' "$2" >&"$(cat "$BATS_TEST_TMPDIR/$1.fd")"; }
_session_wait() { # NAME RE
	local f=$BATS_TEST_TMPDIR/$1.out i
	for ((i = 0; i < 300; i++)); do
		if grep -Eq -- "$2" "$f"; then return 0; fi
		sleep 0.1
	done
	echo "session $1: no line matching $2 in 30 s; its output:" >&2
	cat "$f" >&2
	return 1
}
_session_close() {
	local f=$BATS_TEST_TMPDIR/$1 fd
	[ -r "$f.fd" ] || return 0
	fd=$(cat "$f.fd")
	exec {fd}>&-
	wait "$(cat "$f.pid")" 2>/dev/null || true
	rm -f "$f.fd" "$f.fifo"
}
pg_session_open() { _session_open pg "$1"; }
pg_session() { _session_send "$@"; }
pg_session_wait() { _session_wait "$@"; }
pg_session_close() { _session_close "$1"; }
my_session_open() { _session_open my "$1"; }
my_session() { _session_send "$@"; }
my_session_wait() { _session_wait "$@"; }
my_session_close() { _session_close "$1"; }
