#!/usr/bin/env bats
# Tests of the test harness itself: scripts/test-servers and helpers.bash.

load helpers

setup_file() {
	servers_start
}

teardown_file() {
	servers_stop
}

TS=$BATS_TEST_DIRNAME/../../scripts/test-servers

# pids of live processes whose command line contains $1 (no procps needed)
procs_matching() {
	local p cmd
	for p in /proc/[0-9]*; do
		cmd=$({ tr '\0' ' ' <"$p/cmdline"; } 2>/dev/null) || continue
		case "$cmd" in *"$1"*) echo "${p#/proc/} $cmd" ;; esac
	done
}

# the process $1 is gone (a zombie counts as gone: init may be slow to reap it)
dead() {
	local st
	st=$({ cat "/proc/$1/stat"; } 2>/dev/null) || return 0
	st=${st##*) }
	[ "${st%% *}" = Z ]
}

mariadb_pid() { head -n 1 "$1/my/pid"; }
postgres_pid() { head -n 1 "$1/pg/data/postmaster.pid"; }

# run SQL against the servers described by the env file $1
sql_via_env() {
	(
		# shellcheck disable=SC1090
		source "$1"
		mariadb -N -e 'SELECT @@socket'
		psql -XAt -d test -c 'SHOW unix_socket_directories'
	)
}

@test "both servers answer through their unix sockets" {
	[ -S "$MYSQL_UNIX_PORT" ]
	[ -S "$PGHOST/.s.PGSQL.$PGPORT" ]
	run -0 my_sql "SELECT @@socket, DATABASE()"
	assert_output "$MYSQL_UNIX_PORT	test"
	run -0 pg_sql "SELECT current_setting('unix_socket_directories'), current_database()"
	assert_output "$PGHOST|test"
}

@test "the plain mariadb and psql clients find the servers from the environment" {
	# MYSQL_HOME overrides the socket of /etc/mysql/my.cnf; libpq reads PGHOST/PGPORT/PGUSER
	run -0 mariadb -N -e 'SELECT @@socket, CURRENT_USER()'
	assert_output "$MYSQL_UNIX_PORT	$MYSQL_USER@localhost"
	run -0 psql -XAt -c 'SELECT current_user, current_database()'
	assert_output "postgres|postgres"
}

@test "servers are set up for the tests: binlog, utf8mb4, fsync off, databases test" {
	run -0 my_sql "SELECT @@log_bin, @@server_id, @@binlog_format, @@character_set_server, @@skip_networking"
	assert_output "1	1	ROW	utf8mb4	1"
	run -0 my_sql "SHOW MASTER STATUS"
	assert_output --regexp '^binlog\.[0-9]{6}	[0-9]+'
	run -0 pg_sql "SELECT current_setting('fsync'), current_setting('server_encoding'), current_setting('listen_addresses') = ''"
	assert_output "off|UTF8|t"
	run -0 pg_sql "SELECT datname FROM pg_database WHERE datname = 'test'"
	assert_output test
}

@test "nothing of ours listens on TCP" {
	local my pg
	my=$(mariadb_pid "$TEST_SERVERS_DIR")
	pg=$(postgres_pid "$TEST_SERVERS_DIR")
	# control: ss shows our servers' unix socket listeners with their pids
	run -0 ss -lxp
	assert_output --partial "pid=$my,"
	assert_output --partial "pid=$pg,"
	run -0 ss -ltnp
	refute_output --partial "pid=$my,"
	refute_output --partial "pid=$pg,"
	run -0 ss -lunp
	refute_output --partial "pid=$my,"
	refute_output --partial "pid=$pg,"
}

@test "my_sql and pg_sql keep UTF-8 intact and fail on SQL errors" {
	fresh_dbs
	local s='Ünïcødé € 😀 日本'
	my_sql "CREATE TABLE t (v varchar(20)) CHARACTER SET utf8mb4" "INSERT INTO t VALUES ('$s')"
	run -0 my_sql "SELECT v, HEX(v) FROM t"
	assert_output "$s	$(printf '%s' "$s" | xxd -p -u | tr -d '\n')"
	pg_sql "CREATE TABLE t (v text)" "INSERT INTO t VALUES ('$s')"
	run -0 pg_sql "SELECT v, encode(convert_to(v, 'UTF8'), 'hex') FROM t"
	assert_output "$s|$(printf '%s' "$s" | xxd -p | tr -d '\n')"
	run -1 my_sql "SELECT * FROM no_such_table"
	assert_output --partial "doesn't exist"
	run -1 pg_sql "SELECT 1/0"
	assert_output --partial "division by zero"
	run -3 pg_sql <<<"SELECT 1; SELECT 1/0; SELECT 2;"
	assert_output --partial "division by zero"
	refute_line 2
	run -0 pg_sql <<<"SELECT 41 + 1;"
	assert_output 42
}

@test "fresh_dbs gives every call its own empty databases" {
	fresh_dbs
	local first=$MYDB
	[ "$PGDB" = "$first" ]
	my_sql "CREATE TABLE only_here (id int)"
	pg_sql "CREATE TABLE only_here (id int)"
	fresh_dbs
	[ "$MYDB" != "$first" ]
	run -0 my_sql "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE()"
	assert_output 0
	run -0 pg_sql "SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'"
	assert_output 0
	run -0 pg_sql "SELECT COUNT(*) FROM pg_database WHERE datname IN ('$first', '$MYDB')"
	assert_output 2
}

@test "a private pair starts beside the shared one, and stop leaves no process behind" {
	local dir=$BATS_TEST_TMPDIR/p my pg
	run -0 "$TS" start "$dir" 3>&-
	assert_line "export MYSQL_UNIX_PORT=$dir/my/sock"
	assert_line "export PGHOST=$dir/pg"
	assert_line "export PGDATABASE=postgres"
	run -0 cat "$dir/env"
	assert_line "export MYSQL_TEST_SOCKET=$dir/my/sock"
	my=$(mariadb_pid "$dir")
	pg=$(postgres_pid "$dir")
	[ "$my" != "$(mariadb_pid "$TEST_SERVERS_DIR")" ]
	run -0 sql_via_env "$dir/env"
	assert_output "$dir/my/sock
$dir/pg"
	run -0 sql_via_env "$TEST_SERVERS_DIR/env"
	assert_output "$MYSQL_UNIX_PORT
$PGHOST"
	run -0 "$TS" status "$dir"
	assert_line "mariadb: running (pid $my, socket $dir/my/sock)"

	run -0 "$TS" stop "$dir"
	dead "$my"
	dead "$pg"
	run -0 procs_matching "$dir"
	assert_output ""
	[ ! -e "$dir/env" ]
	# the shared servers are untouched
	run -0 my_sql "SELECT 1"
}

@test "stop twice, stop of an unused directory, and status of stopped servers" {
	local dir=$BATS_TEST_TMPDIR/q
	run -0 "$TS" start "$dir" 3>&-
	run -0 "$TS" stop "$dir"
	run -0 "$TS" stop "$dir"
	run -0 "$TS" stop "$BATS_TEST_TMPDIR/never-started"
	run -3 "$TS" status "$dir"
	assert_line "mariadb: not running"
	assert_line "postgresql: not running"
	run -1 "$TS" env "$dir"
	# a stopped pair starts again on its data
	run -0 "$TS" start "$dir" 3>&-
	run -0 sql_via_env "$dir/env"
	run -1 "$TS" start "$dir" 3>&-
	assert_output --partial "already running"
	run -0 "$TS" stop "$dir"
	run -0 procs_matching "$dir"
	assert_output ""
}

@test "a server that fails to start: log shown, the other one stopped, nothing left" {
	local dir=$BATS_TEST_TMPDIR/f
	run -0 "$TS" start "$dir" 3>&-
	run -0 "$TS" stop "$dir"
	echo "no-such-option = 1" >>"$dir/my/my.cnf"
	run -1 "$TS" start "$dir" 3>&-
	assert_output --partial "unknown variable 'no-such-option=1'"
	assert_output --partial "mariadbd exited during startup"
	run -0 procs_matching "$dir"
	assert_output ""
	[ ! -e "$dir/env" ]
	run -0 "$TS" stop "$dir"
}

@test "usage errors exit 2" {
	run -2 "$TS"
	assert_output --partial "usage:"
	run -2 "$TS" restart "$BATS_TEST_TMPDIR"
}

@test "servers_start reuses TEST_SERVERS_ENV servers and servers_stop leaves them running" {
	local dir=$BATS_TEST_TMPDIR/s
	"$TS" start "$dir" >/dev/null 3>&-
	# shellcheck disable=SC2030,SC2031
	(
		export TEST_SERVERS_ENV=$dir/env BATS_FILE_TMPDIR=$BATS_TEST_TMPDIR/shared-user
		mkdir -p "$BATS_FILE_TMPDIR"
		servers_start
		[ "$MYSQL_UNIX_PORT" = "$dir/my/sock" ]
		fresh_dbs
		my_sql "CREATE TABLE x (id int)"
		servers_stop
	)
	run -0 "$TS" status "$dir"
	# the databases made by fresh_dbs were dropped by servers_stop
	(
		# shellcheck disable=SC1091
		source "$dir/env"
		run -0 mariadb -N -e "SHOW DATABASES LIKE 't\\_%'"
		assert_output ""
		run -0 psql -XAt -c "SELECT datname FROM pg_database WHERE datname LIKE 't\\_%'"
		assert_output ""
	)
	"$TS" stop "$dir"
}

@test "servers_start without TEST_SERVERS_ENV starts private servers that servers_stop stops" {
	# shellcheck disable=SC2030,SC2031
	(
		unset TEST_SERVERS_ENV
		export BATS_FILE_TMPDIR=$BATS_TEST_TMPDIR/own
		mkdir -p "$BATS_FILE_TMPDIR"
		servers_start
		[ "$HELPERS_PRIVATE_SERVERS" = "$BATS_FILE_TMPDIR/srv" ]
		[ "$MYSQL_UNIX_PORT" = "$BATS_FILE_TMPDIR/srv/my/sock" ]
		run -0 my_sql "SELECT @@socket"
		assert_output "$BATS_FILE_TMPDIR/srv/my/sock"
		run -0 pg_sql "SELECT 1"
		servers_stop
		run -3 "$TS" status "$BATS_FILE_TMPDIR/srv"
	)
	run -0 procs_matching "$BATS_TEST_TMPDIR/own"
	assert_output ""
}
