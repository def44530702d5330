#!/usr/bin/env bats
# shellcheck disable=SC2016,SC2154 # remote commands in single quotes; run --separate-stderr sets $stderr
# Tests of the test harness itself: scripts/test-servers and helpers.bash.

load helpers

setup_file() {
	# the shared servers of tests/run have an sshd; private ones get one too
	TEST_SERVERS_SSHD=1 servers_start
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

@test "PostgreSQL preloads pg_stat_statements and database test has its view" {
	run -0 pg_sql "SELECT current_setting('shared_preload_libraries'), current_setting('pg_stat_statements.track')"
	assert_output "pg_stat_statements|all"
	# (constants are $n in its text; the same statement shape counts as one entry)
	run -0 pg_sql "SELECT count(*) FROM pg_namespace WHERE nspname = 'harness' AND oid > 424242 AND oid < 424243"
	run -0 pg_sql "SELECT query, calls FROM pg_stat_statements WHERE query LIKE '%''harness''%' OR query LIKE '%oid > \$2 AND oid < \$3'"
	assert_output 'SELECT count(*) FROM pg_namespace WHERE nspname = $1 AND oid > $2 AND oid < $3|1'
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
	run -2 "$TS" start --no-such-option "$BATS_TEST_TMPDIR/u"
	run -2 "$TS" stop --sshd "$BATS_TEST_TMPDIR/u"
	run -2 "$TS" start --sshd
	run -1 env TEST_SERVERS_SSHD=yes "$TS" status "$BATS_TEST_TMPDIR/u"
	assert_output --partial "TEST_SERVERS_SSHD must be 0 or 1"
	run -1 env TEST_SERVERS_SSHD_PORT=99999 "$TS" start --sshd "$BATS_TEST_TMPDIR/u"
	assert_output --partial "TEST_SERVERS_SSHD_PORT must be a port number"
	[ ! -e "$BATS_TEST_TMPDIR/u/my" ]
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

# ---- the sshd on 127.0.0.1 (GNU parallel's --sshlogin against this machine) ------------------

sshd_pid() { head -n 1 "$1/ssh/sshd.pid"; }

# the TCP and UDP listeners of process $1, as ss shows them
listeners_of() {
	ss -Hltunp | grep -F "pid=$1," || true
}

# ssh_with CONFIG-LINE CMD...: ssh to testhost with the generated configuration, one line of it
# replaced (the option named by CONFIG-LINE's first word)
ssh_with() {
	local opt=${1%% *} cfg=$BATS_TEST_TMPDIR/ssh_config.$RANDOM
	sed "s|^\t$opt .*|\t$1|" "$TEST_SSH_CONFIG" >"$cfg"
	shift
	ssh -F "$cfg" "$TEST_SSH_HOST" "$@"
}

# remote_pipelines TABLE...: per table, my-extract | row-convert | pg-load --create run by GNU
# parallel on testhost, then the checksum of what PostgreSQL holds, read there by pg-extract
remote_pipelines() {
	parallel --will-cite -S "$TEST_SSH_LOGIN" --tag \
		"$BIN/my-extract $MYDB.{} | $BIN/row-convert | $BIN/pg-load --create $PGDB.{} &&
		 echo from \${SSH_CONNECTION%% *} && $BIN/pg-extract $PGDB.{} | $BIN/row-checksum" ::: "$@"
}

# local_checksum TABLE: the canonical checksum of the MariaDB table, computed here
local_checksum() {
	"$BIN/my-extract" "$MYDB.$1" 2>/dev/null | "$BIN/row-convert" 2>/dev/null | "$BIN/row-checksum"
}

@test "the sshd listens on 127.0.0.1 only, on TEST_SSH_PORT" {
	local sp
	sp=$(sshd_pid "$TEST_SERVERS_DIR")
	run -0 listeners_of "$sp"
	assert_output --regexp "^tcp +LISTEN .* 127\.0\.0\.1:$TEST_SSH_PORT +0\.0\.0\.0:\* +users:\(\(\"sshd\",pid=$sp,"
	[ "${#lines[@]}" -eq 1 ]
	# control: another loopback address and IPv6 are refused
	run -255 ssh_with "HostName 127.0.0.2" true
	assert_output --partial "Connection refused"
	run -255 ssh_with "HostName ::1" true
	assert_output --partial "Connection refused"
}

@test "ssh -F TEST_SSH_CONFIG testhost runs commands as the calling user, with the generated keys only" {
	run -0 ssh -F "$TEST_SSH_CONFIG" "$TEST_SSH_HOST" 'id -un; echo "${SSH_CONNECTION%% *} $HOME"'
	assert_output "$(id -un)
127.0.0.1 $TEST_SERVERS_DIR/ssh/home"
	# binary data passes both ways unchanged
	head -c 100000 /dev/urandom >"$BATS_TEST_TMPDIR/in"
	ssh -F "$TEST_SSH_CONFIG" "$TEST_SSH_HOST" cat <"$BATS_TEST_TMPDIR/in" >"$BATS_TEST_TMPDIR/out"
	cmp "$BATS_TEST_TMPDIR/in" "$BATS_TEST_TMPDIR/out"
	# another client key is refused; so is a server whose host key is not the pinned one
	ssh-keygen -q -t ed25519 -N '' -f "$BATS_TEST_TMPDIR/other"
	run -255 ssh_with "IdentityFile $BATS_TEST_TMPDIR/other" true
	assert_output --partial "Permission denied (publickey)"
	: >"$BATS_TEST_TMPDIR/known_hosts"
	run -255 ssh_with "UserKnownHostsFile $BATS_TEST_TMPDIR/known_hosts" true
	assert_output --partial "Host key verification failed"
}

@test "PG* and MYSQL_* variables reach remote commands, which reach both servers" {
	run -0 env OTHER_VARIABLE=here ssh -F "$TEST_SSH_CONFIG" "$TEST_SSH_HOST" \
		'echo "$PGHOST $PGUSER $MYSQL_UNIX_PORT $MYSQL_HOME ${OTHER_VARIABLE:-unset}"
		 mariadb -N -e "SELECT @@socket" && psql -XAtc "SHOW unix_socket_directories"'
	assert_output "$PGHOST $PGUSER $MYSQL_UNIX_PORT $MYSQL_HOME unset
$MYSQL_UNIX_PORT
$PGHOST"
	# control: without SendEnv they stay behind
	run -0 ssh_with "SendEnv LANG" 'echo "${PGHOST:-unset} ${MYSQL_UNIX_PORT:-unset}"'
	assert_output "unset unset"
}

@test "GNU parallel -S TEST_SSH_LOGIN runs migration pipelines on testhost that reach both databases" {
	fresh_dbs
	my_sql "CREATE TABLE a (id int PRIMARY KEY, v varchar(20), d date)" \
		"INSERT INTO a VALUES (1, 'x', '2020-02-29'), (2, 'ğüşİ', NULL), (3, NULL, '1999-12-31')" \
		"CREATE TABLE b (k varchar(10) PRIMARY KEY, n bigint unsigned)" \
		"INSERT INTO b VALUES ('one', 1), ('max', 18446744073709551615)"
	# PGDATABASE goes along as a PG* variable
	export PGDATABASE=$PGDB
	run -0 --separate-stderr remote_pipelines a b
	assert_line "a	from 127.0.0.1"
	assert_line "a	$(local_checksum a)"
	assert_line "b	from 127.0.0.1"
	assert_line "b	$(local_checksum b)"
	[ "${#lines[@]}" -eq 4 ]
	# the filters' stderr comes back too; GNU parallel says nothing about citations
	[[ "$stderr" == *"row-convert: $MYDB.a: 3 rows in, 3 out, 0 rejected"* ]]
	[[ "$stderr" != *"parallel --citation"* ]]
	run -0 pg_sql "SELECT count(*) FROM \"$PGDB\".a" "SELECT n FROM \"$PGDB\".b WHERE k = 'max'"
	assert_output "3
18446744073709551615"
	# GNU parallel keeps its caches in PARALLEL_HOME (under TEST_SERVERS_DIR)
	[ "$PARALLEL_HOME" = "$TEST_SERVERS_DIR/parallel" ]
	[ -d "$PARALLEL_HOME/tmp/sshlogin" ]
}

@test "other variables, PATH for one, travel with GNU parallel --env" {
	run -0 env PATH="$BIN:$PATH" OTHER_VARIABLE=here parallel --will-cite -S "$TEST_SSH_LOGIN" \
		--env PATH --env OTHER_VARIABLE 'echo "{} ${OTHER_VARIABLE:-unset} $(command -v row-checksum)"' ::: 1
	assert_output "1 here $BIN/row-checksum"
	run -0 env OTHER_VARIABLE=here parallel --will-cite -S "$TEST_SSH_LOGIN" 'echo "{} ${OTHER_VARIABLE:-unset}"' ::: 2
	assert_output "2 unset"
}

@test "start --sshd: a second sshd on another port; status shows it; stop ends it with its sessions" {
	local dir=$BATS_TEST_TMPDIR/h sp port client remote rc=0
	# the first port tried is taken (by the shared sshd): another one is used
	run -0 env TEST_SERVERS_SSHD_PORT="$TEST_SSH_PORT" "$TS" start --sshd "$dir" 3>&-
	assert_output --partial "port $TEST_SSH_PORT is taken, trying another one"
	assert_line "export TEST_SSH_CONFIG=$dir/ssh/ssh_config"
	assert_line "export TEST_SSH_LOGIN='ssh -F $dir/ssh/ssh_config testhost'"
	assert_line "export PARALLEL_HOME=$dir/parallel"
	port=$(sed -n 's/^export TEST_SSH_PORT=//p' "$dir/env")
	[ -n "$port" ]
	[ "$port" != "$TEST_SSH_PORT" ]
	sp=$(sshd_pid "$dir")
	run -0 "$TS" status "$dir"
	assert_line "sshd: running (pid $sp, 127.0.0.1:$port)"
	run -0 ssh -F "$dir/ssh/ssh_config" testhost 'echo "$MYSQL_UNIX_PORT"'
	assert_output "$MYSQL_UNIX_PORT"

	# a session in progress: its shell prints its pid, then becomes sleep
	ssh -F "$dir/ssh/ssh_config" testhost 'echo $$; exec sleep 300' >"$BATS_TEST_TMPDIR/session" 2>&1 3>&- &
	client=$!
	for _ in $(seq 1 600); do
		[ -s "$BATS_TEST_TMPDIR/session" ] && break
		sleep 0.05
	done
	remote=$(head -n 1 "$BATS_TEST_TMPDIR/session")
	[[ "$remote" =~ ^[0-9]+$ ]]
	run -1 dead "$remote"

	run -0 "$TS" stop "$dir"
	dead "$sp"
	dead "$remote"
	wait "$client" || rc=$?
	[ "$rc" -eq 255 ]
	run -0 procs_matching "$dir"
	assert_output ""
	run -0 ss -Htln "sport = :$port"
	assert_output ""
	run -3 "$TS" status "$dir"
	assert_line "sshd: not running"

	# a start without --sshd has none, and status does not ask for one
	run -0 "$TS" start "$dir" 3>&-
	refute_output --partial TEST_SSH_
	[ ! -e "$dir/ssh" ]
	run -0 "$TS" status "$dir"
	refute_output --partial sshd
	run -0 "$TS" stop "$dir"
}
