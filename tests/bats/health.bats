#!/usr/bin/env bats
# health: both sides as a monitoring plugin (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN); every state
# provoked for real: sessions idle in transaction, lock waits, long queries, a stale backup, a
# streaming standby of the test PostgreSQL falling behind, stopped, and checked itself.

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
	sb_stop
}

# a streaming standby of the test PostgreSQL (scripts/test-servers standby), with a physical
# replication slot SLOT; SB its directory, SBC a conninfo of this test's database there
sb_start() { # SLOT
	SB=$BATS_TEST_TMPDIR/sb
	SB_SLOT=$1
	if ! "$REPO_ROOT/scripts/test-servers" standby "$TEST_SERVERS_DIR" "$SB" "$SB_SLOT" >"$BATS_TEST_TMPDIR/sb.log" 2>&1 3>&-; then
		cat "$BATS_TEST_TMPDIR/sb.log" >&2
		return 1
	fi
	SBC="host=$SB/pg port=5432 dbname=$PGDB"
}
sb_sql() { psql -X -A -t -q -v ON_ERROR_STOP=1 -d "$SBC" -c "$1"; }
# the standby stopped (if it runs), its slot dropped once no walsender holds it
sb_stop() {
	[ -n "${SB:-}" ] || return 0
	"$REPO_ROOT/scripts/test-servers" stop "$SB" >/dev/null 3>&- || true
	if [ -n "${SB_SLOT:-}" ]; then
		PGDB=postgres pg_until "SELECT (count(*) = 0)::int FROM pg_replication_slots WHERE slot_name = '$SB_SLOT' AND active" || true
		PGDB=postgres pg_sql "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '$SB_SLOT'" >/dev/null || true
	fi
	SB= SB_SLOT=
}

# until_true COMMAND EXPECTED: wait (up to 30 s) until COMMAND (eval'd) prints EXPECTED
until_true() {
	local i
	for ((i = 0; i < 300; i++)); do
		[ "$(eval "$1" 2>/dev/null)" != "$2" ] || return 0
		sleep 0.1
	done
	echo "until_true: never $2: $1 (last: $(eval "$1" 2>&1))" >&2
	return 1
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
	assert_line 'OK target replication: none configured (no standby connected, no replication slot)'
	assert_line --regexp '^OK source connections: '
	assert_line --regexp '^OK source InnoDB buffer pool hit ratio: |^OK source InnoDB buffer pool hit ratio: no reads yet$'
	assert_line --regexp '^OK source disk: '
	# the same as JSON
	run -0 "$H" "${SLOW[@]}" --json
	[ "$(jq -r .status <<<"$output")" = OK ]
	[ "$(jq -r '[.checks[] | "\(.side).\(.check)"] | join(" ")' <<<"$output")" = \
		"target.latency target.connections target.long-running target.idle-in-transaction target.lock-wait target.cache-hit target.disk target.standbys source.latency source.connections source.long-running source.idle-in-transaction source.lock-wait source.cache-hit source.disk" ]
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
	assert_line --index 0 --partial 'usage: health '
	assert_line --partial 'health: one check of both sides of a migration'
}

@test "replication: a streaming standby is OK from both ends; replay paused and writes on the primary: WARNING, CRITICAL" {
	pg_sql "CREATE TABLE lag (id int, pad text)" "INSERT INTO lag VALUES (0, 'first')"
	sb_start health_sb1
	# seen from the primary: the standby, its slot, 0 or a few bytes behind
	run -0 "$H" --only target "${SLOW[@]}"
	assert_line --regexp '^OK target replication: standby "standby" from local, slot health_sb1, streaming, replay [0-9.]+ (B|KiB) behind \(sent .*, written .*, flushed .*\)$'
	assert_line --regexp '^OK target replication lag: standby "standby" (replays [0-9.]+ s behind|has not reported a lag yet) \(write .*, flush .*\)$'
	assert_line 'OK target replication: 1 standby(s) streaming'
	assert_line --index 0 --regexp ' target_replication_bytes_standby=[0-9]+B;67108864;1073741824 '
	# seen from the standby itself
	run -0 "$H" --only target -d "$SBC" "${SLOW[@]}"
	assert_line --regexp "^OK target replication: a standby, WAL receiver streaming from .*:5432, slot health_sb1, last message [0-9.]+ s ago$"
	assert_line --regexp '^OK target replication: [0-9.]+ (B|KiB) received and not replayed yet$'
	assert_line --regexp '^OK target replication lag: (replay [0-9.]+ s behind|none, everything received is replayed)'
	# a transaction replayed there (the first row came with the base backup, and without a
	# replayed commit the standby has no replay time stamp); then replay stops, and the
	# primary writes
	pg_sql "INSERT INTO lag VALUES (1, 'replayed')"
	until_true 'sb_sql "SELECT count(*) FROM lag"' 2
	until_true 'sb_sql "SELECT (pg_last_xact_replay_timestamp() IS NOT NULL)::int"' 1
	sb_sql "SELECT pg_wal_replay_pause()" >/dev/null
	until_true 'sb_sql "SELECT pg_get_wal_replay_pause_state()"' paused
	pg_sql "INSERT INTO lag SELECT g, repeat('x', 100) FROM generate_series(1, 5000) g"
	# the primary sees the standby fall behind by bytes
	PGDB=postgres pg_until "SELECT (min(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)) >= 200000)::int FROM pg_stat_replication"
	run -1 "$H" --only target "${SLOW[@]}" -w replication-bytes=200000
	assert_line --regexp '^WARNING target replication: standby "standby" from local, slot health_sb1, streaming, replay [0-9.]+ KiB behind .* \(warning >= 200000 B\)$'
	assert_line --index 0 --regexp '^HEALTH WARNING - target replication: standby "standby" '
	run -2 "$H" --only target "${SLOW[@]}" -w replication-bytes=100000 -c replication-bytes=200000
	assert_line --regexp '^CRITICAL target replication: standby "standby" .* \(critical >= 200000 B\)$'
	# the standby sees what it received and has not replayed, and for how long
	until_true 'sb_sql "SELECT (pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()) >= 200000 AND clock_timestamp() - pg_last_xact_replay_timestamp() >= interval '"'"'1.5 s'"'"')::int"' 1
	run -1 "$H" --only target -d "$SBC" "${SLOW[@]}" -w replication-lag=1
	assert_line --regexp '^WARNING target replication lag: replay [0-9.]+ s behind \(the last replayed transaction committed at .*\) \(warning >= 1 s\)$'
	assert_line --regexp '^OK target replication: [0-9.]+ KiB received and not replayed yet \(replay paused\)$'
	run -2 "$H" --only target -d "$SBC" "${SLOW[@]}" -c replication-bytes=200000 --json
	[ "$(jq -r '.checks[] | select(.check == "replication-bytes") | "\(.status) \(.value >= 200000)"' <<<"$output")" = "CRITICAL true" ]
	# replay again: caught up, OK
	sb_sql "SELECT pg_wal_replay_resume()" >/dev/null
	until_true 'sb_sql "SELECT count(*) FROM lag"' 5002
	PGDB=postgres pg_until "SELECT (max(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)) < 100000)::int FROM pg_stat_replication"
	run -0 "$H" --only target "${SLOW[@]}" -w replication-bytes=100000
}

@test "replication: a stopped standby is CRITICAL on the primary by its slot; -c standbys=1 without any; none at all is OK" {
	sb_start health_sb2
	run -0 "$H" --only target "${SLOW[@]}" -c standbys=1
	assert_line 'OK target replication: 1 standby(s) streaming'
	"$REPO_ROOT/scripts/test-servers" stop "$SB" >/dev/null 3>&-
	PGDB=postgres pg_until "SELECT (count(*) = 1)::int FROM pg_replication_slots WHERE slot_name = 'health_sb2' AND NOT active"
	run -2 "$H" --only target "${SLOW[@]}"
	assert_line --index 0 --regexp '^HEALTH CRITICAL - target replication: slot health_sb2 \(physical\) is not in use: its standby is not connected, and the slot holds back [0-9]+ bytes of WAL'
	assert_line --regexp '^CRITICAL target replication: slot health_sb2 \(physical\) is not in use: its standby is not connected, and the slot holds back [0-9]+ bytes of WAL \(wal_status (reserved|extended)\)$'
	assert_line 'OK target replication: 0 standby(s) streaming'
	run -2 "$H" --only target "${SLOW[@]}" -c standbys=1
	assert_line 'CRITICAL target replication: 0 standby(s) streaming (critical < 1)'
	# the slot dropped: no replication configured, OK unless a standby is required
	sb_stop
	run -0 "$H" --only target "${SLOW[@]}"
	assert_line 'OK target replication: none configured (no standby connected, no replication slot)'
	run -1 "$H" --only target "${SLOW[@]}" -w standbys=1
	assert_line 'WARNING target replication: none configured (no standby connected, no replication slot) (warning < 1)'
	run -3 "$H" -w standbys=x
}

@test "a standby that lost its primary: no WAL receiver, CRITICAL; back: OK" {
	sb_start health_sb3
	orig=$(sb_sql "SHOW primary_conninfo")
	sb_sql "ALTER SYSTEM SET primary_conninfo = ''" >/dev/null
	sb_sql "SELECT pg_reload_conf()" >/dev/null
	until_true 'sb_sql "SELECT count(*) FROM pg_stat_wal_receiver"' 0
	run -2 "$H" --only target -d "$SBC" "${SLOW[@]}"
	assert_line --index 0 --regexp '^HEALTH CRITICAL - target replication: this is a standby without a WAL receiver: it does not stream from a primary \(replayed up to [0-9A-F]+/[0-9A-F]+\) \|'
	sb_sql "ALTER SYSTEM SET primary_conninfo = '${orig//\'/\'\'}'" >/dev/null
	sb_sql "SELECT pg_reload_conf()" >/dev/null
	until_true 'sb_sql "SELECT status FROM pg_stat_wal_receiver"' streaming
	run -0 "$H" --only target -d "$SBC" "${SLOW[@]}"
}
