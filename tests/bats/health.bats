#!/usr/bin/env bats
# health: both sides as a monitoring plugin (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN); every state
# provoked for real: sessions idle in transaction, lock waits, long queries, a stale backup.

bats_require_minimum_version 1.5.0

load helpers

setup_file() {
	servers_start
}

teardown_file() {
	servers_stop
}

setup() {
	fresh_dbs
	export PGDATABASE=$PGDB
	cd "$BATS_TEST_TMPDIR" || return 1
	H=$REPO_ROOT/scripts/health
	# the machine may be busy: latency has its own test
	SLOW=(-w latency=60000 -c latency=120000)
}

teardown() {
	pg_session_close a 2>/dev/null || true
	pg_session_close b 2>/dev/null || true
	my_session_close m 2>/dev/null || true
}

# wait (up to 30 s) until SQL on PostgreSQL prints 1
pg_until() {
	local i
	for ((i = 0; i < 300; i++)); do
		[ "$(pg_sql "$1")" != 1 ] || return 0
		sleep 0.1
	done
	echo "pg_until: never true: $1" >&2
	return 1
}

@test "both sides healthy: exit 0, one status line, then a line per check" {
	run -0 "$H" "${SLOW[@]}"
	assert_line --index 0 --regexp "^HEALTH OK - target PostgreSQL 15\.[0-9]+, database $PGDB, answered in [0-9]+ ms; source MySQL .* answered in [0-9]+ ms; no problems \| target_latency=[0-9]+ms;60000;120000 target_connections=.*"
	assert_line --regexp '^OK target connections: [0-9]+ of max_connections [0-9]+$'
	assert_line 'OK target long-running: 0 active queries'
	assert_line 'OK target idle in transaction: 0 session(s)'
	assert_line 'OK target lock waits: 0 session(s)'
	assert_line --regexp '^OK target cache hit ratio: '
	assert_line --regexp '^OK target disk: [0-9.]+ % free \([0-9]+ MiB\) where .*/pg/data lies$'
	assert_line --regexp '^OK source connections: '
	assert_line --regexp '^OK source InnoDB buffer pool hit ratio: |^OK source InnoDB buffer pool hit ratio: no reads yet$'
	assert_line --regexp '^OK source disk: '
	# the same as JSON
	run -0 "$H" "${SLOW[@]}" --json
	[ "$(jq -r .status <<<"$output")" = OK ]
	[ "$(jq -r '[.checks[] | "\(.side).\(.check)"] | join(" ")' <<<"$output")" = \
		"target.latency target.connections target.long-running target.idle-in-transaction target.lock-wait target.cache-hit target.disk source.latency source.connections source.long-running source.idle-in-transaction source.lock-wait source.cache-hit source.disk" ]
}

@test "a session idle in transaction: WARNING, then CRITICAL by the thresholds" {
	pg_session_open a
	pg_session a "BEGIN; SELECT 'ready';"
	pg_session_wait a '^ready$'
	pg_until "SELECT count(*) FROM pg_stat_activity WHERE state = 'idle in transaction' AND datname = current_database()"
	pid=$(pg_sql "SELECT pid FROM pg_stat_activity WHERE state = 'idle in transaction' AND datname = current_database()")
	run -1 "$H" --only target "${SLOW[@]}" -w idle-in-transaction=0
	assert_line --index 0 --regexp "^HEALTH WARNING - target idle in transaction: 1 session\(s\), the longest for [0-9.]+ s \(pid $pid\) \(warning >= 0 s\) \|"
	assert_line --regexp "^WARNING target idle in transaction: 1 session\(s\), the longest for [0-9.]+ s \(pid $pid\) \(warning >= 0 s\)$"
	run -2 "$H" --only target "${SLOW[@]}" -w idle-in-transaction=0 -c idle-in-transaction=0
	assert_line --regexp "^CRITICAL target idle in transaction: 1 session\(s\), .* \(critical >= 0 s\)$"
	# over: OK again
	pg_session a "COMMIT;"
	pg_session_close a
	pg_until "SELECT (count(*) = 0)::int FROM pg_stat_activity WHERE state = 'idle in transaction' AND datname = current_database()"
	run -0 "$H" --only target "${SLOW[@]}" -w idle-in-transaction=0
}

@test "a lock wait between two sessions: CRITICAL, naming the waiting and the blocking pid" {
	pg_sql "CREATE TABLE rooms (id int PRIMARY KEY)" "INSERT INTO rooms VALUES (1)"
	pg_session_open a
	pg_session a "BEGIN; LOCK TABLE rooms IN ACCESS EXCLUSIVE MODE; SELECT 'locked';"
	pg_session_wait a '^locked$'
	pg_session_open b
	pg_session b "SELECT count(*) AS waited FROM rooms;"
	pg_until "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
	a=$(pg_sql "SELECT pid FROM pg_stat_activity WHERE state = 'idle in transaction' AND datname = current_database()")
	b=$(pg_sql "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()")
	run -2 "$H" --only target "${SLOW[@]}" -c lock-wait=0
	assert_line --regexp "^CRITICAL target lock waits: 1 session\(s\), the longest for [0-9.]+ s \(pid $b, blocked by $a\) \(critical >= 0 s\)$"
	# the default thresholds (30 s, 300 s) are not reached yet
	run -0 "$H" --only target "${SLOW[@]}"
	pg_session a "COMMIT;"
	pg_session_wait b '^1$'
}

@test "a long-running query on the target: WARNING with -w long-running" {
	pg_session_open a
	pg_session a "SELECT pg_sleep(120);"
	pg_until "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(120)%' AND state = 'active'"
	run -1 "$H" --only target "${SLOW[@]}" -w long-running=0
	assert_line --regexp '^WARNING target long-running: 1 active query, the longest [0-9.]+ s \(pid [0-9]+\) \(warning >= 0 s\)$'
	pg_sql "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(120)%' AND state = 'active'" >/dev/null
	pg_session_wait a 'canceling statement'
}

@test "the source: a transaction idle on MySQL is a WARNING of the source side" {
	my_session_open m
	my_session m "START TRANSACTION WITH CONSISTENT SNAPSHOT; SELECT 'ready';"
	my_session_wait m '^ready$'
	run -1 "$H" --only source "${SLOW[@]}" -w idle-in-transaction=0
	assert_line --index 0 --regexp '^HEALTH WARNING - source idle in transaction: 1 transaction\(s\), the longest for [0-9.]+ s \(warning >= 0 s\) \|'
	my_session m "COMMIT;"
	my_session_close m
	run -0 "$H" --only source "${SLOW[@]}" -w idle-in-transaction=0
}

history_line() { # HOURS-AGO
	jq -cn --arg t "$(date -u -d "$1 hours ago" +%Y-%m-%dT%H:%M:%SZ)" --arg db "$PGDB" \
		'{time: $t, kind: "target", database: $db, status: "ok", seconds: 1, bytes: 1, verified: true, backup: "/b", message: ""}'
}

@test "the last verified backup: none, stale (WARNING, CRITICAL), then a real fresh one (OK)" {
	mkdir b
	run -1 "$H" --only target "${SLOW[@]}" --backup-dir b
	assert_line "WARNING target backup: no verified backup of $PGDB in b"
	history_line 30 >>b/history.jsonl
	# an unverified newer attempt and a failure do not count
	jq -c '.verified = false | .time = "2099-01-01T00:00:00Z"' <<<"$(history_line 1)" >>b/history.jsonl
	jq -c '.status = "failed" | .kind = "verify"' <<<"$(history_line 1)" >>b/history.jsonl
	run -1 "$H" --only target "${SLOW[@]}" --backup-dir b
	assert_line --index 0 --regexp "^HEALTH WARNING - target backup: the last verified backup of $PGDB is 30\.[0-9] h old \(/b\) \(warning >= 25 h\) \|"
	history_line 60 >b/history.jsonl
	run -2 "$H" --only target "${SLOW[@]}" --backup-dir b
	assert_line --regexp "^CRITICAL target backup: the last verified backup of $PGDB is 60\.[0-9] h old \(/b\) \(critical >= 49 h\)$"
	run -0 "$H" --only target "${SLOW[@]}" --backup-dir b -w backup-age=100 -c backup-age=200
	# a real backup, verified: OK
	pg_sql "CREATE TABLE t (id int PRIMARY KEY)" "INSERT INTO t VALUES (1)"
	"$REPO_ROOT/scripts/backup" target -q --dir b
	run -0 "$H" --only target "${SLOW[@]}" --backup-dir b
	assert_line --regexp "^OK target backup: the last verified backup of $PGDB is 0\.[0-9] h old \($BATS_TEST_TMPDIR/b/postgresql-$PGDB-.*\)$"
}

@test "thresholds on connections, cache hit ratio, disk and latency" {
	run -1 "$H" --only target "${SLOW[@]}" -w connections=0
	assert_line --regexp '^WARNING target connections: [0-9]+ of max_connections [0-9]+ \(warning >= 0 %\)$'
	run -2 "$H" --only target "${SLOW[@]}" -c cache-hit=101
	assert_line --regexp '^CRITICAL target cache hit ratio: [0-9.]+ % of [0-9]+ block reads of .* \(critical < 101 %\)$'
	run -1 "$H" --only target "${SLOW[@]}" -w disk=100.1
	assert_line --regexp '^WARNING target disk: [0-9.]+ % free .* \(warning < 100.1 %\)$'
	run -1 "$H" --only source "${SLOW[@]}" -w disk=100.1
	assert_line --regexp '^WARNING source disk: '
	run -1 "$H" --only target -w latency=0
	assert_line --regexp '^WARNING target PostgreSQL .* answered in [0-9]+ ms \(warning >= 0 ms\)$'
}

@test "unreachable sides are CRITICAL; usage errors UNKNOWN (3)" {
	run -2 "$H" --only target -d "host=/nonexistent dbname=x"
	assert_line --index 0 --partial 'HEALTH CRITICAL - target unreachable: psql: error: connection to server on socket "/nonexistent/.s.PGSQL.5432" failed'
	run -2 "$H" --only source -S /nonexistent/sock "${SLOW[@]}"
	assert_line --index 0 --regexp '^HEALTH CRITICAL - source unreachable: .*/nonexistent/sock'
	run -2 "$H" -S /nonexistent/sock "${SLOW[@]}" --json
	[ "$(jq -r '[.status, (.checks[] | select(.side == "source") | .status)] | join(" ")' <<<"$output")" = "CRITICAL CRITICAL" ]
	run -3 "$H" -w nosuch=1
	run -3 "$H" -w latency=soon
	run -3 "$H" --only both
	run -3 "$H" extra
	run -0 "$H" --help
	assert_line --index 0 --partial 'health: one check of both sides of a migration'
}
