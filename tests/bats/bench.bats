#!/usr/bin/env bats
# scripts/bench at a tiny scale (a smoke test of the measurement, not a benchmark), and the
# durable settings scripts/test-servers gives it.

load helpers

TS=$BATS_TEST_DIRNAME/../../scripts/test-servers
BENCH=$BATS_TEST_DIRNAME/../../scripts/bench

# the durability and cache settings of the servers described by the env file $1
settings_via_env() {
	(
		# shellcheck disable=SC1090
		source "$1"
		psql -XAt -d test -c "SELECT current_setting('fsync'), current_setting('synchronous_commit'),
			current_setting('full_page_writes'), current_setting('shared_buffers')"
		mariadb -N -e 'SELECT @@innodb_buffer_pool_size'
	)
}

@test "test-servers: TEST_SERVERS_DURABLE=1 gives PostgreSQL its shipped durability and the cache sizes asked for" {
	local dir=$BATS_TEST_TMPDIR/d
	TEST_SERVERS_DURABLE=1 TEST_SERVERS_PG_SHARED_BUFFERS=48MB TEST_SERVERS_MY_BUFFER_POOL=80M \
		run -0 "$TS" start "$dir" 3>&-
	run -0 settings_via_env "$dir/env"
	assert_output "on|on|on|48MB
83886080"
	run -0 "$TS" stop "$dir"
}

@test "test-servers: malformed settings are refused before anything starts" {
	TEST_SERVERS_DURABLE=yes run -1 "$TS" start "$BATS_TEST_TMPDIR/x"
	assert_output --partial "TEST_SERVERS_DURABLE must be 0 or 1"
	TEST_SERVERS_PG_SHARED_BUFFERS="1GB'" run -1 "$TS" start "$BATS_TEST_TMPDIR/x"
	assert_output --partial "TEST_SERVERS_PG_SHARED_BUFFERS"
	TEST_SERVERS_MY_BUFFER_POOL=lots run -1 "$TS" start "$BATS_TEST_TMPDIR/x"
	assert_output --partial "TEST_SERVERS_MY_BUFFER_POOL"
	[ ! -e "$BATS_TEST_TMPDIR/x" ]
}

@test "bench: usage errors exit 2" {
	run -2 "$BENCH" --scale x
	assert_output --partial "usage: bench"
	run -2 "$BENCH" --repeat 0
	run -2 "$BENCH" --no-such-option
	run -2 "$BENCH" --jobs
	run -0 "$BENCH" --help
	assert_line --index 0 --partial "usage: bench "
	assert_output --partial "--baseline file"
}

@test "bench: a tiny run loads every row each way and prints phases, ratios, processes, targets and JSON" {
	local dir=$BATS_TEST_TMPDIR/b base=$BATS_TEST_TMPDIR/base.json
	# a baseline at half the rows that took 1000 s: the scaling target passes
	cat >"$base" <<-'EOF'
		{
		  "rows": 1250,
		  "figures": {
		    "filters.total": {"median": 1000.0, "min": 1000.0, "max": 1000.0, "runs": [1000.0]},
		    "migrate.total": {"median": 1000.0, "min": 1000.0, "max": 1000.0, "runs": [1000.0]}
		  }
		}
	EOF
	run -0 "$BENCH" --scale 0.0005 --repeat 2 --no-pgloader --dir "$dir" --baseline "$base" 3>&-
	assert_line --partial "narrow 1500 + wide 1000 = 2500 rows"
	assert_line --regexp '^floor \(PostgreSQL\) +[0-9.]+ \([0-9.]+-[0-9.]+\) +[0-9.]+ \('
	assert_line --regexp '^filters +[0-9.]+ \([0-9.]+-[0-9.]+\)'
	assert_line --regexp '^  x floor +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+'
	assert_line --regexp '^pgloader +skipped: --no-pgloader'
	assert_line --regexp '^  row-convert wide +[0-9.]+ \([0-9.]+-[0-9.]+\) +[0-9.]+ \('
	assert_line --regexp '^  postgres during filters +[0-9.]+'
	assert_line --regexp '^  all processes +floor [0-9.]+ \([0-9.]+-[0-9.]+\), filters [0-9.]+ \('
	assert_line --regexp '^  pg-load < stream +wall [0-9.]+ \([0-9.]+-[0-9.]+\) +cpu-s [0-9.]+'
	assert_line --regexp '^  psql .copy binary +wall [0-9.]+ \([0-9.]+-[0-9.]+\) +cpu-s [0-9.]+'
	assert_line --regexp '^  (PASS|FAIL) pg-load / psql binary copy \(wide table from a file\) +[0-9.]+x \(<= 1.1x\)'
	assert_line --regexp '^  (PASS|FAIL) whole database \((filters|migrate)\) / floor +[0-9.]+x \(<= 1.25x\)'
	assert_line --regexp '^  PASS largest filter peak RSS, MiB +[0-9.]+ \(<= 64\)'
	assert_line --regexp '^  PASS time growth / row growth vs base.json \(1250 rows\) +0\.[0-9]+ \(<= 1.05\)'
	# the JSON holds every repetition of every figure, and the targets
	run -0 grep -c '"filters.data": {"median": [0-9.]*, "min": [0-9.]*, "max": [0-9.]*, "runs": \[[0-9.]*,[0-9.]*\]}' "$dir/bench.json"
	run -0 grep -c '"filters.wide.pg-load.rss": {' "$dir/bench.json"
	run -0 grep -c '"name": "largest filter peak RSS, MiB", "value": [0-9.]*, "op": "le", "limit": 64, "pass": true' "$dir/bench.json"
	[ -s "$dir/bench.txt" ]
	# the servers are stopped and their data removed
	[ ! -e "$dir/srv" ]
	[ ! -e "$dir/floor" ]
}
