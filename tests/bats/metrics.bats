#!/usr/bin/env bats
# scripts/metrics: samples stored in the hotel schema's database_metrics and query_performance_log,
# deltas across a pg_stat_statements reset and server restarts, the shipped timer and cron line.

load helpers

METRICS=$BATS_TEST_DIRNAME/../../scripts/metrics

setup_file() { servers_start; }
teardown_file() { servers_stop; }

# a private PostgreSQL (and MariaDB) for the restart tests, stopped whatever happens
teardown() {
	if [ -n "${PRIVATE_SRV:-}" ]; then
		"$REPO_ROOT/scripts/test-servers" stop "$PRIVATE_SRV" >/dev/null 2>&1 3>&- || true
	fi
	hold_end
}

# hold_idle_in_transaction: a session of database $PGDB left idle in a transaction (psql reading
# a fifo this shell keeps open) until hold_end
hold_idle_in_transaction() {
	mkfifo "$BATS_TEST_TMPDIR/hold.fifo"
	psql -X -q -d "$PGDB" <"$BATS_TEST_TMPDIR/hold.fifo" >/dev/null 3>&- &
	HOLD_PID=$!
	exec {HOLD_FD}>"$BATS_TEST_TMPDIR/hold.fifo"
	printf 'BEGIN;\nSELECT 1;\n' >&"$HOLD_FD"
}
hold_end() {
	[ -n "${HOLD_PID:-}" ] || return 0
	exec {HOLD_FD}>&-
	wait "$HOLD_PID" || true
	HOLD_PID=
}

# the hotel schema (tables, indexes, metrics tables) in database $PGDB, pg_stat_statements there
hotel_schema() {
	pg_sql "CREATE SCHEMA hotel" "CREATE EXTENSION IF NOT EXISTS pg_stat_statements"
	psql -X -q -v ON_ERROR_STOP=1 -d "$PGDB" -c 'SET search_path = hotel' \
		-f "$REPO_ROOT/schema/postgres/hotel.sql" >/dev/null
}

collect() { "$METRICS" collect -q -d "dbname=$PGDB" "$@"; }

# probe N: the same statement N times, each in a session of its own
probe() {
	local i
	for ((i = 0; i < $1; i++)); do pg_sql "SELECT count(*) AS metrics_probe FROM hotel.urunler" >/dev/null; done
}

# the interval calls, cumulative calls and baseline flag of the probe in the last sample
probe_row() {
	pg_sql "SELECT aralik_cagri, cagri_sayisi, yeni_baz FROM hotel.query_performance_log
		WHERE sorgu LIKE '%metrics_probe%' AND toplama_zamani = (SELECT max(toplama_zamani) FROM hotel.query_performance_log)"
}

# the value of metric $1 (object $2) in the last sample
metric() {
	pg_sql "SELECT deger FROM hotel.database_metrics WHERE metrik = '$1' AND nesne IS NOT DISTINCT FROM nullif('${2:-}', '')
		AND toplama_zamani = (SELECT max(toplama_zamani) FROM hotel.database_metrics WHERE metrik = '$1')"
}

@test "metrics: usage errors exit 2; a schema without the metrics tables exits 5 and says which" {
	run -2 "$METRICS"
	assert_output --partial 'usage: metrics collect'
	run -2 "$METRICS" frobnicate
	assert_output --partial "unknown subcommand 'frobnicate'"
	run -2 "$METRICS" collect --slow-ms fast
	assert_output --partial 'metrics: --slow-ms: not a number of milliseconds: fast'
	run -2 "$METRICS" collect --top 0
	run -0 "$METRICS" --help
	assert_output --partial 'metrics collect'
	fresh_dbs
	run -5 "$METRICS" collect -d "dbname=$PGDB" --schema nowhere
	assert_output 'metrics: schema nowhere: no tables database_metrics and query_performance_log (they are in schema/postgres/hotel.sql)'
}

@test "metrics collect: connections by state, sizes, cache hit, index usage, unused indexes, dead tuples and vacuum" {
	fresh_dbs
	hotel_schema
	pg_sql "INSERT INTO hotel.oteller (id, ad) SELECT g, 'otel ' || g FROM generate_series(1, 500) g" \
		"ALTER TABLE hotel.oteller SET (autovacuum_enabled = false)" \
		"CREATE INDEX ix_metrics_never ON hotel.oteller (ad)" \
		"CREATE UNIQUE INDEX ux_metrics_never ON hotel.oteller (ad, id)" \
		"DELETE FROM hotel.oteller WHERE id <= 120"
	# a scanned index is not unused
	pg_sql "SET enable_seqscan = off" "SELECT count(*) FROM hotel.oteller WHERE id = 300" >/dev/null
	# a session idle in a transaction while the sample is taken
	hold_idle_in_transaction
	local i
	for ((i = 0; i < 300; i++)); do
		[ "$(pg_sql "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction'")" = 1 ] && break
		sleep 0.1
	done
	run -0 "$METRICS" collect -d "dbname=$PGDB"
	assert_output --regexp '^metrics: sample of .* stored in hotel: [0-9]+ metrics, [0-9]+ statements \([0-9]+ slow\)$'
	[ "$(metric connections 'idle in transaction')" -ge 1 ]
	[ "$(metric connections total)" -ge 2 ]
	[ "$(pg_sql "SELECT detay->>'max_connections' = current_setting('max_connections') FROM hotel.database_metrics WHERE metrik = 'connections' AND nesne = 'total'")" = t ]
	# (the database grows by the samples themselves)
	[ "$(pg_sql "SELECT abs($(metric database_size "$PGDB") - pg_database_size(current_database())) < 1048576")" = t ]
	[ "$(metric table_size hotel.oteller)" -gt 8192 ]
	run pg_sql "SELECT deger >= 0 AND deger <= 1 FROM hotel.database_metrics WHERE metrik IN ('cache_hit_tables', 'cache_hit_indexes') ORDER BY metrik"
	assert_output $'t\nt'
	# idx_scan = 0, not unique, with its size; the unique one and the scanned primary key are not listed
	[ "$(metric unused_index hotel.ix_metrics_never)" = "$(pg_sql "SELECT pg_relation_size('hotel.ix_metrics_never')")" ]
	[ -z "$(metric unused_index hotel.ux_metrics_never)" ]
	[ -z "$(metric unused_index hotel.oteller_pkey)" ]
	[ "$(metric index_scans hotel.oteller_pkey)" -ge 1 ]
	[ "$(metric dead_tuples hotel.oteller)" = 120 ]
	[ "$(pg_sql "SELECT detay->>'last_vacuum' IS NULL FROM hotel.database_metrics WHERE metrik = 'dead_tuples' AND nesne = 'hotel.oteller'")" = t ]
	hold_end
	pg_sql "VACUUM hotel.oteller"
	collect
	[ "$(metric dead_tuples hotel.oteller)" = 0 ]
	[ "$(pg_sql "SELECT (detay->>'last_vacuum')::timestamptz > now() - interval '1 hour' FROM hotel.database_metrics WHERE metrik = 'dead_tuples' AND nesne = 'hotel.oteller' ORDER BY toplama_zamani DESC LIMIT 1")" = t ]
	[ "$(metric connections 'idle in transaction')" = 0 ]
	# two samples
	[ "$(pg_sql "SELECT count(DISTINCT toplama_zamani) FROM hotel.database_metrics WHERE metrik = 'connections'")" = 2 ]
	run -0 "$METRICS" show -d "dbname=$PGDB"
	assert_line --regexp '^sample .* \(2 samples stored\)$'
	assert_output --regexp 'hotel\.ix_metrics_never \([0-9]+ kB\)'
	run -0 "$METRICS" show --json -d "dbname=$PGDB"
	[ "$(jq -r '.metrics[] | select(.metric == "dead_tuples" and .object == "hotel.oteller") | .value' <<<"$output")" = 0 ]
}

@test "metrics collect: the top statements of the interval with their calls, slow ones flagged by --slow-ms" {
	fresh_dbs
	hotel_schema
	collect
	probe 5
	pg_sql "SELECT pg_sleep(0.08) AS metrics_slow" >/dev/null
	collect --slow-ms 50
	# the first sample was the baseline: the probe's 5 calls are this interval's
	run probe_row
	assert_output '5|5|f'
	run pg_sql "SELECT aralik_cagri, yavas, aralik_ortalama_ms >= 80, siralama FROM hotel.query_performance_log WHERE sorgu LIKE '%metrics_slow%'"
	assert_output '1|t|t|total,mean'
	[ "$(pg_sql "SELECT yavas FROM hotel.query_performance_log WHERE sorgu LIKE '%metrics_probe%'")" = f ]
	probe 3
	collect --slow-ms 50
	run probe_row
	assert_output '3|8|f'
	# the statement that ran no more is in no list of this interval
	[ "$(pg_sql "SELECT count(*) FROM hotel.query_performance_log WHERE sorgu LIKE '%metrics_slow%'")" = 1 ]
	# the interval's latency and calls
	[ "$(pg_sql "SELECT (detay->>'slow')::int, (detay->>'baseline')::bool FROM hotel.database_metrics WHERE metrik = 'statements' ORDER BY toplama_zamani DESC LIMIT 1")" = '0|f' ]
	[ "$(pg_sql "SELECT count(*) FROM hotel.database_metrics WHERE metrik = 'query_latency_ms' AND deger > 0")" -ge 2 ]
	# --top bounds each list; the counters of only the last sample are kept
	probe 2
	pg_sql "SELECT 1 AS metrics_a" "SELECT 2 AS metrics_b" "SELECT 3 AS metrics_c" >/dev/null
	collect --top 1
	[ "$(pg_sql "SELECT count(*) <= 2 FROM hotel.query_performance_log WHERE toplama_zamani = (SELECT max(toplama_zamani) FROM hotel.query_performance_log)")" = t ]
	[ "$(pg_sql "SELECT count(*) FROM hotel.database_metrics WHERE metrik = 'statement_counters'")" = 1 ]
}

@test "metrics collect: a pg_stat_statements reset, one statement's reset and pg_stat_reset start new baselines" {
	fresh_dbs
	hotel_schema
	probe 6
	collect
	pg_sql "SELECT pg_stat_statements_reset()" >/dev/null
	probe 2
	collect
	run probe_row
	assert_output '2|2|t'
	[ "$(pg_sql "SELECT (detay->>'baseline')::bool FROM hotel.database_metrics WHERE metrik = 'statements' ORDER BY toplama_zamani DESC LIMIT 1")" = t ]
	probe 1
	collect
	run probe_row
	assert_output '1|3|f'
	# one statement reset (stats_reset stays): its counter went down
	pg_sql "SELECT pg_stat_statements_reset(0, 0, queryid) FROM pg_stat_statements WHERE query LIKE '%metrics_probe%'" >/dev/null
	probe 2
	collect
	run probe_row
	assert_output '2|2|t'
	# no interval is ever negative
	[ "$(pg_sql "SELECT count(*) FROM hotel.query_performance_log WHERE aralik_cagri < 0 OR aralik_sure_ms < 0")" = 0 ]
	# the database's statistics reset: the cache hit ratio starts again
	pg_sql "INSERT INTO hotel.oteller (ad) SELECT 'otel ' || g FROM generate_series(1, 100) g" >/dev/null
	collect
	pg_sql "SELECT pg_stat_reset()" >/dev/null
	pg_sql "SELECT count(*) FROM hotel.oteller" >/dev/null
	collect
	[ "$(pg_sql "SELECT detay->>'baseline' FROM hotel.database_metrics WHERE metrik = 'cache_hit_tables' ORDER BY toplama_zamani DESC LIMIT 1")" = true ]
}

# stop the private server as a crash would: the postmaster killed, its children gone with it
crash_pg() {
	local pid kids p i
	# the test servers commit asynchronously (synchronous_commit off): what was committed is
	# made durable first, so that the crash loses only what a crash loses on any server, the
	# statistics in shared memory
	pg_sql "CHECKPOINT" >/dev/null
	pid=$(head -n 1 "$PRIVATE_SRV/pg/data/postmaster.pid")
	kids=$(ps -o pid= --ppid "$pid" || true)
	kill -KILL "$pid"
	for p in $pid $kids; do
		for ((i = 0; i < 600; i++)); do
			alive "$p" || break
			sleep 0.05
		done
		if alive "$p"; then
			echo "crash_pg: process $p still there" >&2
			return 1
		fi
	done
	# a dead postmaster that no one has reaped yet (a zombie: this machine's init may be slow
	# to reap orphans) still answers kill(pid, 0), and the next postmaster would take it for a
	# running one: its lock files go, as an operator removes them after making sure it is dead
	if [ -e "/proc/$pid" ]; then rm -f "$PRIVATE_SRV/pg/data/postmaster.pid" "$PRIVATE_SRV"/pg/.s.PGSQL.*.lock; fi
}
alive() { # PID: exists and is no zombie
	local st
	st=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	st=${st##*) }
	[ "${st%% *}" != Z ]
}

@test "metrics collect: across a server restart the deltas go on; after a crash that lost the counters a new baseline starts" {
	PRIVATE_SRV=$BATS_TEST_TMPDIR/srv
	"$REPO_ROOT/scripts/test-servers" start "$PRIVATE_SRV" >/dev/null 2>"$BATS_TEST_TMPDIR/srv.log" 3>&- || { cat "$BATS_TEST_TMPDIR/srv.log"; return 1; }
	# shellcheck disable=SC1091
	source "$PRIVATE_SRV/env"
	export PGDB=test PGDATABASE=test
	hotel_schema
	collect
	probe 2
	collect
	probe 2
	# a clean restart keeps pg_stat_statements' counters: the interval is exact
	"$REPO_ROOT/scripts/test-servers" stop "$PRIVATE_SRV" >/dev/null 2>>"$BATS_TEST_TMPDIR/srv.log" 3>&- || { cat "$BATS_TEST_TMPDIR/srv.log"; return 1; }
	"$REPO_ROOT/scripts/test-servers" start "$PRIVATE_SRV" >/dev/null 2>>"$BATS_TEST_TMPDIR/srv.log" 3>&- || { cat "$BATS_TEST_TMPDIR/srv.log"; return 1; }
	probe 2
	collect
	run probe_row
	assert_output '4|6|f'
	# a crash loses them: the next sample starts a new baseline with what ran since
	crash_pg
	# (MariaDB stopped too: start wants both down)
	"$REPO_ROOT/scripts/test-servers" stop "$PRIVATE_SRV" >/dev/null 2>>"$BATS_TEST_TMPDIR/srv.log" 3>&- || { cat "$BATS_TEST_TMPDIR/srv.log"; return 1; }
	"$REPO_ROOT/scripts/test-servers" start "$PRIVATE_SRV" >/dev/null 2>>"$BATS_TEST_TMPDIR/srv.log" 3>&- || { cat "$BATS_TEST_TMPDIR/srv.log"; return 1; }
	probe 3
	collect
	run probe_row
	assert_output '3|3|t'
	[ "$(pg_sql "SELECT count(DISTINCT detay->>'server_start') FROM hotel.database_metrics WHERE metrik = 'statements'")" = 3 ]
	probe 1
	collect
	run probe_row
	assert_output '1|4|f'
}

@test "metrics collect: without pg_stat_statements the other metrics are stored, with a warning" {
	fresh_dbs
	hotel_schema
	pg_sql "DROP EXTENSION pg_stat_statements"
	run -0 --separate-stderr "$METRICS" collect -d "dbname=$PGDB"
	[[ "$stderr" == *'metrics: warning: pg_stat_statements: the extension is not created in this database (CREATE EXTENSION pg_stat_statements); no statements collected'* ]]
	[ "$(pg_sql "SELECT count(*) > 0 FROM hotel.database_metrics WHERE metrik = 'table_size'")" = t ]
	[ "$(pg_sql "SELECT count(*) FROM hotel.query_performance_log")" = 0 ]
}

@test "metrics: the query_performance_log of an older hotel schema gets the interval columns" {
	fresh_dbs
	hotel_schema
	pg_sql "ALTER TABLE hotel.query_performance_log DROP COLUMN siralama, DROP COLUMN yeni_baz, DROP COLUMN aralik_cagri"
	probe 1
	run -0 --separate-stderr "$METRICS" collect -d "dbname=$PGDB"
	[[ "$stderr" == *'adding the interval columns to hotel.query_performance_log'* ]]
	[ "$(pg_sql "SELECT count(*) FROM hotel.query_performance_log WHERE siralama IS NOT NULL")" -ge 1 ]
}

@test "the shipped schedule: make install puts the timer, service and cron line in share/; the cron line stores a sample" {
	fresh_dbs
	hotel_schema
	local dest=$BATS_TEST_TMPDIR/inst
	make -s -C "$REPO_ROOT" install-metrics DESTDIR="$dest" PREFIX=/usr/local >/dev/null
	local share=$dest/usr/local/share/rowstream
	[ -x "$dest/usr/local/bin/metrics" ] && [ -x "$dest/usr/local/bin/dashboard" ]
	[ -r "$dest/usr/local/share/man/man1/dashboard.1" ]
	grep -qx 'OnCalendar=\*:0/5' "$share/systemd/rowstream-metrics.timer"
	grep -qx 'ExecStart=/usr/local/bin/metrics collect -q' "$share/systemd/rowstream-metrics.service"
	# the cron line, run as cron would run it (its command with sh), with the settings file
	local line
	line=$(grep -v '^#' "$share/cron.d/rowstream-metrics" | grep -v '=' | grep .)
	[[ "$line" == '*/5 * * * * postgres '* ]]
	printf 'PGDATABASE=%s\nMETRICS_SLOW_MS=250\n' "$PGDB" >"$BATS_TEST_TMPDIR/default"
	local cmd=${line#*/5 \* \* \* \* postgres }
	cmd=${cmd//\/etc\/default\/rowstream-metrics/$BATS_TEST_TMPDIR/default}
	cmd=${cmd//\/usr\/local\/bin\/metrics/$METRICS}
	run -0 sh -c "$cmd"
	[ "$(pg_sql "SELECT count(*) > 0 FROM hotel.database_metrics WHERE metrik = 'connections'")" = t ]
	[ "$(pg_sql "SELECT detay->>'slow_ms' FROM hotel.database_metrics WHERE metrik = 'statements'")" = 250 ]
	if ! command -v systemd-analyze >/dev/null; then
		skip "systemd-analyze not installed"
	fi
	# the units as installed, checked by systemd itself (the program path made real for it)
	mkdir "$BATS_TEST_TMPDIR/units"
	sed "s|/usr/local/bin/metrics|$METRICS|" "$share/systemd/rowstream-metrics.service" >"$BATS_TEST_TMPDIR/units/rowstream-metrics.service"
	cp "$share/systemd/rowstream-metrics.timer" "$BATS_TEST_TMPDIR/units/"
	# (Documentation=man:metrics(1): the man page as installed)
	MANPATH=$dest/usr/local/share/man run -0 systemd-analyze verify "$BATS_TEST_TMPDIR/units/rowstream-metrics.timer" \
		"$BATS_TEST_TMPDIR/units/rowstream-metrics.service"
	refute_output --partial 'rowstream-metrics'
}
