#!/usr/bin/env bats
# pg-load: loading PostgreSQL-domain streams into a real PostgreSQL, exactly once.
#
# Streams come from the test tools (tests/tools/): rs-gen writes rows
# (id int8 key, t text, b bytea, n int4) whose values are a function of id, so
# a loaded table is checked against the same function computed in SQL
# (gen_diff); pg2rs turns a PostgreSQL table into a stream (type coverage).

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

setup() {
	fresh_dbs
	export PGDATABASE=$PGDB
	cd "$BATS_TEST_TMPDIR" || return 1
	GEN_TABLE="CREATE TABLE gen (id int8 PRIMARY KEY, t text, b bytea, n int4)"
}

# a test that stops PostgreSQL starts a private server pair (the shared one serves other
# suites): stop it, and a pg-load left in the background, whatever the test's outcome
private_servers_stop() {
	if [ -n "${PRIVATE_SRV:-}" ]; then
		"$REPO_ROOT/scripts/test-servers" stop "$PRIVATE_SRV" >/dev/null 2>&1 3>&- || true
		PRIVATE_SRV=
	fi
}

teardown() {
	if [ -n "${LOAD_PID:-}" ]; then
		kill "$LOAD_PID" 2>/dev/null || true
		wait "$LOAD_PID" 2>/dev/null || true
	fi
	private_servers_stop
}

# the rows rs-gen writes for ids FIRST..LAST, in SQL
gen_expected_sql() {
	cat <<EOF
SELECT i::int8 AS id,
       'row ' || i || CASE WHEN i % 5 = 0 THEN ', "quoted" é' ELSE '' END AS t,
       decode((SELECT coalesce(string_agg(lpad(to_hex((i * 31 + j * 17) % 256), 2, '0'), '' ORDER BY j), '')
               FROM generate_series(0, i % 32 - 1) j), 'hex') AS b,
       CASE WHEN i % 7 = 0 THEN NULL ELSE (i * 3)::int4 END AS n
FROM generate_series($1, $2) i
EOF
}

# gen_diff TABLE FIRST LAST: prints the number of rows missing from, extra in or different in TABLE
gen_diff() {
	local e
	e=$(gen_expected_sql "$2" "$3")
	pg_sql "SELECT (SELECT count(*) FROM (($e) EXCEPT ALL SELECT id, t, b, n FROM $1) a)
	             + (SELECT count(*) FROM (SELECT id, t, b, n FROM $1 EXCEPT ALL ($e)) b)"
}

checkpoint_field() { # FIELD [TABLE]
	pg_sql "SELECT $1 FROM rowstream.checkpoints WHERE target_table = '${2:-gen}' AND chunk = ''"
}

# waits (up to 60 s) until the checkpoint of TABLE counts at least N rows
wait_checkpoint_rows() { # N [TABLE]
	local i r
	for i in $(seq 600); do
		r=$(pg_sql "SELECT coalesce((SELECT rows_loaded FROM rowstream.checkpoints WHERE target_table = '${2:-gen}'), 0)" 2>/dev/null || echo 0)
		[ "${r:-0}" -ge "$1" ] && return 0
		sleep 0.1
	done
	echo "checkpoint of ${2:-gen} never reached $1 rows (last: $r)" >&2
	return 1
}

# waits until no session of pg-load is left in the test database
wait_no_pg_load_session() {
	local i
	for i in $(seq 300); do
		[ "$(pg_sql "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'pg-load'")" = 0 ] && return 0
		sleep 0.1
	done
	return 1
}

gen_load() { # RS-GEN-ARGS... -- PG-LOAD-ARGS...
	local gen=() arg
	while [ $# -gt 0 ]; do
		arg=$1
		shift
		[ "$arg" = -- ] && break
		gen+=("$arg")
	done
	"$TOOLS/rs-gen" "${gen[@]}" | "$BIN/pg-load" "$@"
}

@test "pg-load --help mirrors the synopsis; bad usage exits 2" {
	run -0 "$BIN/pg-load" --help
	assert_line --partial "usage: pg-load [-d conninfo] [-q | -v] [--create] [--truncate] [--batch-rows n]"
	assert_line --partial "pg-load [-d conninfo] [--chunk name] --checkpoint [schema.]table"
	assert_line --partial "pg-load [-d conninfo] --describe [schema.]table"
	run -2 "$BIN/pg-load" --no-such-option
	run -2 "$BIN/pg-load" --checkpoint
	assert_output --partial "--checkpoint needs a TABLE"
	run -2 "$BIN/pg-load" --checkpoint --describe t
	run -2 "$BIN/pg-load" --max-rejects 5 t
	assert_output --partial "needs --rejects FILE"
	run -2 "$BIN/pg-load" --batch-rows 0 t
	run -2 "$BIN/pg-load" --batch-bytes 12X t
	# counts are plain numbers, sizes take K, M or G (common/cli.h)
	run -2 --separate-stderr "$BIN/pg-load" --rejects r.rs --max-rejects 1K t
	[[ $stderr == *"invalid --max-rejects '1K' (0 to 9223372036854775807)"* ]]
	run -2 "$BIN/pg-load" --batch-rows 10K t
	run -2 "$BIN/pg-load" --retries 1001 t
	run -0 "$BIN/pg-load" --help
	assert_line "  --max-rejects N        stop when more than N rows were rejected (default 0)"
	run -2 "$BIN/pg-load" --chunk a --truncate t
	run -2 "$BIN/pg-load" a b
}

@test "--create: a load that creates a table in a schema another session is creating waits for it, then succeeds" {
	# CREATE SCHEMA IF NOT EXISTS of the same name in two sessions at once fails in one of them
	# with a unique violation in the catalog (seen: parallel pg-load --create of the tables of a
	# new schema, 7 times in 30 pairs). Made certain here: another session creates the schema
	# under pg-load's lock and commits only once pg-load waits
	"$TOOLS/rs-gen" --rows 20 >"$BATS_TEST_TMPDIR/s"
	mkfifo "$BATS_TEST_TMPDIR/other"
	psql -XAtq -v ON_ERROR_STOP=1 <"$BATS_TEST_TMPDIR/other" >/dev/null &
	local other=$! load n
	exec 7>"$BATS_TEST_TMPDIR/other"
	echo "BEGIN; SELECT pg_advisory_xact_lock(hashtext('rowstream: pg-load --create')); CREATE SCHEMA held;" >&7
	for n in $(seq 1 200); do
		[ "$(pg_sql "SELECT count(*) FROM pg_namespace WHERE nspname = 'held'")" = 0 ] || break
		[ "$(pg_sql "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted")" = 0 ] || break
		sleep 0.05
	done
	"$BIN/pg-load" -q --create held.t <"$BATS_TEST_TMPDIR/s" 2>"$BATS_TEST_TMPDIR/err" &
	load=$!
	for n in $(seq 1 200); do
		[ "$(pg_sql "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()")" = 0 ] || break
		sleep 0.05
	done
	echo "COMMIT;" >&7
	exec 7>&-
	wait "$other"
	if ! wait "$load"; then cat "$BATS_TEST_TMPDIR/err"; return 1; fi
	assert_equal "$(pg_sql "SELECT count(*) FROM held.t")" 20
}

@test "loads a stream into a table created from its header, values exact" {
	run -0 --separate-stderr gen_load --rows 2500 -- --create
	assert_equal "$(pg_sql "SELECT count(*) FROM public.gen")" 2500
	assert_equal "$(gen_diff public.gen 1 2500)" 0
	# the header's types, NOT NULL and primary key
	run -0 pg_sql "SELECT a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' ' || a.attnotnull
	               FROM pg_attribute a WHERE a.attrelid = 'public.gen'::regclass AND a.attnum > 0 ORDER BY a.attnum"
	assert_output "id bigint true
t text false
b bytea false
n integer false"
	assert_equal "$(pg_sql "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'public.gen'::regclass AND contype = 'p'")" "PRIMARY KEY (id)"
	# the summary line
	[[ "$stderr" == *'"public"."gen": 2500 rows loaded in 1 batch'* ]]
}

@test "batches end at block ends; the checkpoint row records the last key of each commit" {
	pg_sql "$GEN_TABLE"
	run -0 --separate-stderr gen_load --rows 2500 --block-rows 100 -- -vv --batch-rows 1000 gen
	assert_equal "$(gen_diff gen 1 2500)" 0
	# three batches: 1000, 1000 and the last 500
	[ "$(grep -c 'debug: batch .* committed' <<<"$stderr")" -eq 3 ]
	grep -q 'batch 1 committed: 1000 rows, 0 rejected, last key 1000' <<<"$stderr"
	grep -q 'batch 2 committed: 1000 rows, 0 rejected, last key 2000' <<<"$stderr"
	run -0 pg_sql "SELECT target_schema, target_table, chunk, last_key, rows_loaded, rows_rejected, batches,
	                      complete, source, target_oid = 'public.gen'::regclass
	               FROM rowstream.checkpoints"
	assert_output "public|gen||2500|2500|0|3|t|public.gen (rs-gen)|t"
	run -0 "$BIN/pg-load" --checkpoint gen
	assert_output "2500"
	# --batch-bytes ends batches too (at block ends)
	pg_sql "DROP TABLE gen" "$GEN_TABLE" "DELETE FROM rowstream.checkpoints"
	run -0 --separate-stderr gen_load --rows 2000 --block-rows 50 -- -vv --batch-bytes 20K gen
	[ "$(grep -c 'debug: batch .* committed' <<<"$stderr")" -ge 3 ]
	assert_equal "$(gen_diff gen 1 2000)" 0
}

@test "by default a batch ends by size only: 150000 small rows commit as one batch" {
	pg_sql "$GEN_TABLE"
	run -0 --separate-stderr gen_load --rows 150000 --block-rows 1000 -- -vv gen
	[ "$(grep -c 'debug: batch .* committed' <<<"$stderr")" -eq 1 ]
	grep -q 'batch 1 committed: 150000 rows, 0 rejected, last key 150000' <<<"$stderr"
	assert_equal "$(gen_diff gen 1 150000)" 0
}

@test "kill -9 mid-stream, then resume from --checkpoint: the same table as an uninterrupted load" {
	pg_sql "$GEN_TABLE" "CREATE TABLE ref (LIKE gen INCLUDING ALL)"
	gen_load --rows 10000 --block-rows 100 -- -q --batch-rows 1000 ref
	mkfifo s.fifo
	"$TOOLS/rs-gen" --rows 10000 --block-rows 100 --pause-at 3500 --pause-file go >s.fifo 3>&- &
	local genpid=$!
	"$BIN/pg-load" -q --batch-rows 1000 gen <s.fifo 3>&- &
	local load=$!
	# three batches committed, the fourth open and waiting for rows
	wait_checkpoint_rows 3000
	kill -9 "$load"
	local rc=0
	wait "$load" || rc=$?
	assert_equal "$rc" 137
	touch go
	wait "$genpid" || true
	wait_no_pg_load_session
	# exactly the committed batches are there
	assert_equal "$(pg_sql "SELECT count(*), max(id) FROM gen")" "3000|3000"
	run -0 "$BIN/pg-load" --checkpoint gen
	assert_output 3000
	local key=$output
	run -0 gen_load --start $((key + 1)) --rows $((10000 - key)) --block-rows 100 -- -q --batch-rows 1000 gen
	assert_equal "$(gen_diff gen 1 10000)" 0
	assert_equal "$(pg_sql "SELECT count(*) FROM (SELECT * FROM gen EXCEPT ALL SELECT * FROM ref) a")" 0
	assert_equal "$(pg_sql "SELECT count(*) FROM (SELECT * FROM ref EXCEPT ALL SELECT * FROM gen) a")" 0
	assert_equal "$(checkpoint_field "last_key || ' ' || rows_loaded || ' ' || complete")" "10000 10000 true"
}

@test "a stream starting at or before the checkpoint is refused, not loaded twice" {
	pg_sql "$GEN_TABLE"
	run -0 gen_load --rows 1000 -- -q gen
	run -2 gen_load --rows 1000 -- gen
	assert_output --partial '"public"."gen" has a checkpoint at key 1000'
	assert_output --partial "stream starts at key 1, not after it"
	run -2 gen_load --start 1000 --rows 5 -- gen
	assert_equal "$(pg_sql "SELECT count(*) FROM gen")" 1000
	# the rows after it load
	run -0 gen_load --start 1001 --rows 5 -- -q gen
	assert_equal "$(gen_diff gen 1 1005)" 0
	# --truncate reloads from scratch, in the first batch's transaction
	run -0 gen_load --rows 10 -- -q --truncate gen
	assert_equal "$(gen_diff gen 1 10)" 0
	assert_equal "$(checkpoint_field "last_key || ' ' || rows_loaded")" "10 10"
	# --reset-checkpoint forgets it
	run -0 "$BIN/pg-load" --reset-checkpoint gen
	run -0 "$BIN/pg-load" --checkpoint gen
	assert_output ""
}

@test "text keys: a stream whose first key is already in the table is refused" {
	pg_sql "CREATE TABLE src (k text PRIMARY KEY, v int)" \
		"INSERT INTO src SELECT 'key' || i, i FROM generate_series(1, 100) i" \
		"CREATE TABLE dst (LIKE src INCLUDING ALL)"
	"$TOOLS/pg2rs" --block-rows 10 src | "$BIN/pg-load" -q --batch-rows 10 dst
	run -0 "$BIN/pg-load" --checkpoint dst
	assert_output key99
	pg_sql "DELETE FROM src WHERE k <= 'key50'"
	run -2 --separate-stderr "$BIN/pg-load" dst < <("$TOOLS/pg2rs" src)
	[[ "$stderr" == *"stream starts at key key51, which is already in the table"* ]]
}

@test "a duplicate key row goes to the rejects file, the rest loads (exit 1)" {
	pg_sql "$GEN_TABLE"
	gen_load --rows 100 -- -q gen
	# row 595 collides with the table, row 1195 with row 1100 of the same stream (not at the end of
	# a block: block keys must increase)
	run -1 --separate-stderr gen_load --start 101 --rows 2000 --block-rows 100 --dup 595=5 --dup 1195=1100 -- \
		--batch-rows 500 --rejects rej.rs --max-rejects 10 gen
	[[ "$stderr" == *"2 rejected to rej.rs"* ]]
	assert_equal "$(pg_sql "SELECT count(*) FROM gen")" 2098
	assert_equal "$(pg_sql "SELECT count(*) FROM gen WHERE id IN (595, 1195)")" 0
	assert_equal "$(pg_sql "SELECT t FROM gen WHERE id IN (5, 1100) ORDER BY id")" "row 5, \"quoted\" é
row 1100, \"quoted\" é"
	assert_equal "$(gen_diff "(SELECT * FROM gen WHERE id NOT IN (5, 1100)) g" 1 2100)" 4
	run -0 "$BIN/row-cat" rej.rs
	assert_line --index 0 "stage,key,column,reason,value,row"
	assert_line --index 1 --partial 'pg-load,5,"","[target] 23505 duplicate key value violates unique constraint ""gen_pkey"" (Key (id)=(5) already exists.)",,'
	assert_line --index 1 --partial '"5,""row 595, """"quoted""""'
	assert_line --index 2 --partial 'pg-load,1100,"","[target] 23505 duplicate key'
	[ "${#lines[@]}" -eq 3 ]
	assert_equal "$(checkpoint_field "rows_loaded || ' ' || rows_rejected || ' ' || last_key")" "2098 2 2100"
	# a malformed binary value (3 bytes for an int4): the server refuses that row, the session goes on
	run -1 --separate-stderr gen_load --start 2101 --rows 100 --bad 2150 -- --rejects rej2.rs --max-rejects 1 gen
	assert_equal "$(pg_sql "SELECT count(*) FROM gen WHERE id > 2100")" 99
	run -0 "$BIN/row-cat" rej2.rs
	assert_line --index 1 --partial 'pg-load,2150,"",[target] 08P01 insufficient data left in message,,"2150,'
}

@test "--max-rejects 0: the first refused row stops the load, nothing of its batch committed (exit 7)" {
	pg_sql "$GEN_TABLE"
	run -7 --separate-stderr gen_load --rows 3000 --block-rows 100 --dup 1700=1650 -- --batch-rows 1000 gen
	[[ "$stderr" == *"row with key 1650 refused: [target] 23505 duplicate key value violates unique constraint"* ]]
	[[ "$stderr" == *"nothing of the current batch is committed"* ]]
	assert_equal "$(pg_sql "SELECT count(*), min(id), max(id) FROM gen")" "1000|1|1000"
	assert_equal "$(gen_diff gen 1 1000)" 0
	run -0 "$BIN/pg-load" --checkpoint gen
	assert_output 1000
	# a row the server refuses for its value: a check constraint
	pg_sql "TRUNCATE gen" "DELETE FROM rowstream.checkpoints" "ALTER TABLE gen ADD CHECK (n <> 300)"
	run -7 --separate-stderr gen_load --rows 500 -- gen
	[[ "$stderr" == *"row with key 100 refused: [target] 23514 new row for relation \"gen\" violates check constraint"* ]]
	assert_equal "$(pg_sql "SELECT count(*) FROM gen")" 0
}

@test "a truncated or corrupt stream: committed batches stay, the partial batch is rolled back (exit 3)" {
	pg_sql "$GEN_TABLE"
	"$TOOLS/rs-gen" --rows 5000 --block-rows 100 >full.rs
	local size
	size=$(stat -c %s full.rs)
	head -c $((size * 55 / 100)) full.rs >cut.rs
	run -3 --separate-stderr "$BIN/pg-load" --batch-rows 1000 gen <cut.rs
	[[ "$stderr" == *"truncated stream"* ]]
	assert_equal "$(pg_sql "SELECT count(*), max(id) FROM gen")" "2000|2000"
	assert_equal "$(checkpoint_field "last_key || ' ' || complete")" "2000 false"
	# resume with the rest
	run -0 gen_load --start 2001 --rows 3000 --block-rows 100 -- -q --batch-rows 1000 gen
	assert_equal "$(gen_diff gen 1 5000)" 0
	# a flipped byte in the middle: the block checksum fails
	pg_sql "TRUNCATE gen" "DELETE FROM rowstream.checkpoints"
	cp full.rs bad.rs
	printf '\377' | dd of=bad.rs bs=1 seek=$((size * 45 / 100)) conv=notrunc status=none
	run -3 --separate-stderr "$BIN/pg-load" --batch-rows 1000 gen <bad.rs
	[[ "$stderr" == *"checksum mismatch"* ]]
	assert_equal "$(pg_sql "SELECT count(*), max(id) FROM gen")" "2000|2000"
}

@test "pg_terminate_backend mid-load: pg-load reconnects, resends the batch, completes exactly" {
	pg_sql "$GEN_TABLE"
	mkfifo s.fifo
	"$TOOLS/rs-gen" --rows 20000 --block-rows 100 --pause-at 3500 --pause-file go >s.fifo 3>&- &
	local genpid=$!
	"$BIN/pg-load" -v --batch-rows 1000 gen <s.fifo 2>load.err 3>&- &
	local load=$!
	wait_checkpoint_rows 3000
	run -0 pg_sql "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
	               WHERE datname = current_database() AND application_name = 'pg-load'"
	assert_output 1
	touch go
	local rc=0
	wait "$load" || rc=$?
	wait "$genpid"
	run -0 cat load.err
	assert_equal "$rc" 0
	assert_output --partial "57P01 terminating connection due to administrator command"
	assert_output --partial "reconnected"
	assert_output --partial "sending batch 4 again (1000 rows)"
	assert_output --partial "20000 rows loaded in 20 batches, 1 reconnection"
	assert_equal "$(gen_diff gen 1 20000)" 0
	assert_equal "$(checkpoint_field "rows_loaded || ' ' || complete")" "20000 true"
}

@test "a connection lost between batches: the next batch is read into the spool, then sent after reconnecting" {
	pg_sql "$GEN_TABLE"
	mkfifo s.fifo
	# the pause falls on a batch boundary: pg-load has committed batch 3 and waits for rows
	"$TOOLS/rs-gen" --rows 6000 --block-rows 100 --pause-at 3000 --pause-file go >s.fifo 3>&- &
	local genpid=$!
	"$BIN/pg-load" -v --batch-rows 1000 --retries 3 gen <s.fifo 2>load.err 3>&- &
	local load=$!
	wait_checkpoint_rows 3000
	run -0 pg_sql "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
	               WHERE datname = current_database() AND application_name = 'pg-load'"
	assert_output 1
	touch go
	local rc=0
	wait "$load" || rc=$?
	wait "$genpid"
	run -0 cat load.err
	assert_equal "$rc" 0
	assert_output --partial "reconnected"
	assert_output --partial "6000 rows loaded in 6 batches, 1 reconnection"
	assert_equal "$(gen_diff gen 1 6000)" 0
}

@test "a table named x\"; DROP TABLE y; -- in schema we\"ird loads, and nothing else happens" {
	pg_sql "CREATE TABLE y (i int)"
	run -0 gen_load --rows 50 --schema 'we"ird' --table 'x"; DROP TABLE y; --' -- -q --create
	assert_equal "$(pg_sql 'SELECT count(*) FROM "we""ird"."x""; DROP TABLE y; --"')" 50
	assert_equal "$(pg_sql "SELECT to_regclass('public.y') IS NOT NULL")" t
	assert_equal "$(gen_diff '"we""ird"."x""; DROP TABLE y; --"' 1 50)" 0
	run -0 "$BIN/pg-load" --checkpoint '"we""ird"."x""; DROP TABLE y; --"'
	assert_output 50
	run -0 "$BIN/pg-load" --describe '"we""ird"."x""; DROP TABLE y; --"'
	assert_line --index 0 '# target "we""ird"."x""; DROP TABLE y; --"'
	# named on the command line, a second stream resumes after the checkpoint
	run -0 gen_load --rows 5 --start 51 -- -q '"we""ird"."x""; DROP TABLE y; --"'
	assert_equal "$(pg_sql 'SELECT count(*) FROM "we""ird"."x""; DROP TABLE y; --"')" 55
}

@test "--describe prints the rules file: casts with format_type, domains by base type, enums" {
	pg_sql "CREATE SCHEMA hotel" \
		"CREATE TYPE hotel.room_status AS ENUM ('available', 'occupied', 'out of order', 'it''s')" \
		"CREATE TYPE public.\"Mood\" AS ENUM ('ok')" \
		"CREATE DOMAIN hotel.price AS numeric(10,2) CHECK (VALUE >= 0)" \
		"CREATE TABLE hotel.\"Rooms\" (id int PRIMARY KEY, \"Status\" hotel.room_status NOT NULL,
		   history hotel.room_status[], price hotel.price, tags text[], created timestamptz DEFAULT now(),
		   total numeric GENERATED ALWAYS AS (price * 2) STORED, \"weird \"\"col\"\"\" varchar(20), m \"Mood\",
		   at timestamp(3) without time zone, bits bit varying(8))" \
		"ALTER TABLE hotel.\"Rooms\" DROP COLUMN bits"
	run -0 "$BIN/pg-load" --describe hotel.rooms
	assert_output "# target \"hotel\".\"Rooms\"
cast \"id\" integer
cast \"Status\" hotel.room_status
cast \"history\" hotel.room_status[]
# \"price\" is of domain hotel.price
cast \"price\" numeric(10,2)
cast \"tags\" text[]
cast \"created\" timestamp with time zone
# \"total\" is a generated column: not loaded
cast \"weird \"\"col\"\"\" character varying(20)
cast \"m\" public.\"Mood\"
cast \"at\" timestamp(3) without time zone
enum hotel.room_status 'available' 'occupied' 'out of order' 'it''s'
enum public.\"Mood\" 'ok'"
	run -5 "$BIN/pg-load" --describe hotel.nosuch
	assert_output --partial "[target] table hotel.nosuch not found"
}

@test "a MySQL-domain stream is refused with a pointer to row-convert (exit 2)" {
	pg_sql "$GEN_TABLE"
	run -2 gen_load --mysql --rows 3 -- gen
	assert_output --partial "a MySQL-domain stream"
	assert_output --partial "row-convert"
	assert_equal "$(pg_sql "SELECT count(*) FROM gen")" 0
}

@test "columns match by name (case-insensitively when unique); type mismatches stop before loading" {
	pg_sql "CREATE TABLE gen (\"N\" int4, \"T\" text, extra text DEFAULT 'dflt', \"ID\" int8 PRIMARY KEY, b bytea)"
	run -0 gen_load --rows 20 -- -q gen
	assert_equal "$(pg_sql "SELECT count(*) FROM gen WHERE extra = 'dflt'")" 20
	assert_equal "$(gen_diff "(SELECT \"ID\" AS id, \"T\" AS t, b, \"N\" AS n FROM gen) g" 1 20)" 0
	# a stream column the table lacks
	pg_sql "CREATE TABLE nob (id int8 PRIMARY KEY, t text, n int4)"
	run -5 gen_load --rows 3 -- nob
	assert_output --partial "stream column 'b' does not exist in table \"public\".\"nob\""
	# a NOT NULL column without default the stream does not fill
	pg_sql "CREATE TABLE nn (id int8 PRIMARY KEY, t text, b bytea, n int4, must int NOT NULL)"
	run -5 gen_load --rows 3 -- nn
	assert_output --partial "column 'must' of \"public\".\"nn\" is NOT NULL without a default"
	# int8 into int4
	pg_sql "CREATE TABLE narrow (id int4 PRIMARY KEY, t text, b bytea, n int4)"
	run -5 gen_load --rows 3 -- narrow
	assert_output --partial "column 'id': stream type 'bigint' (OID 20) cannot be loaded into column 'id' of \"public\".\"narrow\", type integer"
	assert_equal "$(pg_sql "SELECT count(*) FROM narrow")" 0
	# text into varchar and into a domain over text: the same wire format
	pg_sql "CREATE DOMAIN short AS varchar(40)" "CREATE TABLE vc (id int8 PRIMARY KEY, t short, b bytea, n int4)"
	run -0 gen_load --rows 30 -- -q vc
	assert_equal "$(gen_diff "(SELECT id, t::text, b, n FROM vc) g" 1 30)" 0
	# a missing table
	run -5 gen_load --rows 3 -- nosuch
	assert_output --partial "[target] table nosuch not found (--create makes it from the stream's header)"
}

@test "table names: the rule and messages of pg-extract and fk-check (pgcatalog.h)" {
	pg_sql 'CREATE TABLE "Dup" (id int8 PRIMARY KEY, t text, b bytea, n int4)' 'CREATE TABLE dup (LIKE "Dup" INCLUDING ALL)' \
		'CREATE SCHEMA "Sp"' 'CREATE TABLE "Sp"."Only" (LIKE "Dup" INCLUDING ALL)'
	# the exact name wins; a quoted one matches only exactly
	run -0 gen_load --rows 3 -- -q dup
	run -0 gen_load --rows 2 -- -q '"Dup"'
	assert_equal "$(pg_sql 'SELECT count(*) FROM dup')" 3
	assert_equal "$(pg_sql 'SELECT count(*) FROM "Dup"')" 2
	run -5 --separate-stderr gen_load --rows 1 -- DUP
	[[ $stderr == *'[target] table name DUP is ambiguous: public.Dup and public.dup (quote it)'* ]]
	# schema and table without case when unique
	run -0 gen_load --rows 4 -- -q sp.ONLY
	assert_equal "$(pg_sql 'SELECT count(*) FROM "Sp"."Only"')" 4
	run -5 --separate-stderr gen_load --rows 1 -- '"sp".only'
	[[ $stderr == *'[target] table "sp".only not found'* ]]
	pg_sql 'CREATE SCHEMA "SP"'
	run -5 --separate-stderr gen_load --rows 1 -- sp.only
	[[ $stderr == *'[target] schema name sp is ambiguous: SP and Sp (quote it)'* ]]
}

@test "every type round-trips: a table streamed by pg2rs and loaded equals its source" {
	pg_sql "CREATE SCHEMA src" "CREATE SCHEMA dst" \
		"CREATE TYPE src.mood AS ENUM ('sad', 'ok', 'happy')" "CREATE TYPE dst.mood AS ENUM ('sad', 'ok', 'happy')"
	pg_sql <<'EOF'
CREATE TABLE src.alltypes (
  k1 int4, k2 text, k3 timestamptz,
  b bool, i2 int2, i8 int8, f4 float4, f8 float8, num numeric(20,4), numx numeric,
  t text, vc varchar(30), bc char(5), by bytea, d date, tm time, ttz timetz, ts timestamp, tstz timestamptz,
  iv interval, u uuid, j json, jb jsonb, bt bit(4), vb varbit, ta text[], ia int4[], m src.mood, ma src.mood[],
  PRIMARY KEY (k1, k2, k3));
INSERT INTO src.alltypes
SELECT i, 'k,"' || i || E'\\', '2020-01-01 00:00:00+00'::timestamptz + i * interval '1 day 1 second',
  i % 2 = 0, (i % 30000)::int2, i::int8 * 1000000007, i / 3.0, i / 7.0, i / 8.0, (i::numeric / 7) ^ 3,
  'text ' || i || E' tab\t nl\n', 'vc' || i, 'bc', decode(md5(i::text), 'hex'), '2000-01-01'::date + i * 97,
  '00:00'::time + i * interval '17 minutes', ('00:00+0' || (i % 10) || ':30')::timetz,
  '1000-01-01'::timestamp + i * interval '3 days 7 hours', now(), make_interval(0, i, 0, -i, i, 0, i / 3.0),
  md5(i::text)::uuid, ('{"a": ' || i || ', "b": [1, 2]}')::json, ('{"a": ' || i || ', "b": "x"}')::jsonb,
  (i % 16)::bit(4), (i::bit(10))::varbit, ARRAY['a' || i, NULL, 'b c', ''], ARRAY[i, -i],
  (ARRAY['sad', 'ok', 'happy'])[i % 3 + 1]::src.mood, ARRAY['ok', 'happy']::src.mood[]
FROM generate_series(1, 500) i;
INSERT INTO src.alltypes (k1, k2, k3, numx, d, ts) VALUES (0, '', '-infinity', 'NaN', 'infinity', '0044-03-15 BC');
CREATE TABLE dst.alltypes (LIKE src.alltypes);
ALTER TABLE dst.alltypes ALTER m TYPE dst.mood USING m::text::dst.mood, ALTER ma TYPE dst.mood[] USING ma::text::dst.mood[];
EOF
	# --zero-elem: the enum arrays carry element OID 0, as a producer that cannot know the target's
	run -0 --separate-stderr "$BIN/pg-load" --batch-rows 100 dst.alltypes < <("$TOOLS/pg2rs" --zero-elem --block-rows 50 src.alltypes)
	[[ "$stderr" == *"column 'ma': stream type 'src.mood[]' loaded into type dst.mood[]"* ]]
	local cols="k1,k2,k3,b,i2,i8,f4,f8,num,numx,t,vc,bc,by,d,tm,ttz,ts,tstz,iv,u,j::text,jb,bt,vb,ta,ia,m::text,ma::text[]"
	assert_equal "$(pg_sql "SELECT count(*) FROM src.alltypes")" 501
	assert_equal "$(pg_sql "SELECT count(*) FROM (SELECT $cols FROM src.alltypes EXCEPT ALL SELECT $cols FROM dst.alltypes) x")" 0
	assert_equal "$(pg_sql "SELECT count(*) FROM (SELECT $cols FROM dst.alltypes EXCEPT ALL SELECT $cols FROM src.alltypes) x")" 0
	# the checkpoint key: three columns, text output, CSV-quoted where needed
	run -0 "$BIN/pg-load" --checkpoint dst.alltypes
	assert_output '500,"k,""500\",2021-05-15 00:08:20+00'
}

@test "a stream without a key loads in one transaction; a second load is refused" {
	pg_sql "CREATE TABLE nk (id int8, t text, b bytea, n int4)"
	run -0 --separate-stderr gen_load --nokey --rows 3000 --block-rows 100 -- -v --batch-rows 1000 nk
	[[ "$stderr" == *"the stream has no key: loading it in one transaction"* ]]
	[[ "$stderr" == *"3000 rows loaded in 1 batch"* ]]
	assert_equal "$(gen_diff nk 1 3000)" 0
	assert_equal "$(checkpoint_field "coalesce(last_key, 'NULL') || ' ' || rows_loaded" nk)" "NULL 3000"
	run -0 "$BIN/pg-load" --checkpoint nk
	assert_output ""
	run -2 gen_load --nokey --rows 10 -- nk
	assert_output --partial "was already loaded by pg-load (3000 rows"
	# cut short: nothing at all is committed
	pg_sql "TRUNCATE nk" "DELETE FROM rowstream.checkpoints"
	"$TOOLS/rs-gen" --nokey --rows 3000 --block-rows 100 >nk.rs
	run -3 "$BIN/pg-load" nk < <(head -c 60000 nk.rs)
	assert_equal "$(pg_sql "SELECT count(*) FROM nk")" 0
	run -0 "$BIN/pg-load" -q --truncate nk <nk.rs
	assert_equal "$(gen_diff nk 1 3000)" 0
}

@test "--chunk keeps one checkpoint per key range; a concurrent load of the same chunk is refused" {
	pg_sql "$GEN_TABLE"
	run -0 gen_load --rows 1000 -- -q --chunk a gen
	run -0 gen_load --start 1001 --rows 1000 -- -q --chunk b gen
	run -0 "$BIN/pg-load" --checkpoint --chunk a gen
	assert_output 1000
	run -0 "$BIN/pg-load" --checkpoint --chunk b gen
	assert_output 2000
	run -0 "$BIN/pg-load" --checkpoint gen
	assert_output ""
	assert_equal "$(gen_diff gen 1 2000)" 0
	# while one pg-load holds chunk c, another one cannot load it
	mkfifo s.fifo
	"$TOOLS/rs-gen" --start 3001 --rows 100 --pause-at 50 --pause-file go >s.fifo 3>&- &
	local genpid=$!
	"$BIN/pg-load" -q --chunk c gen <s.fifo 3>&- &
	local load=$!
	local i
	for i in $(seq 300); do
		[ "$(pg_sql "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")" -ge 1 ] && break
		sleep 0.1
	done
	run -5 gen_load --start 4001 --rows 10 -- --chunk c gen
	assert_output --partial '"public"."gen" chunk c is being loaded by another pg-load'
	touch go
	local rc=0
	wait "$load" || rc=$?
	wait "$genpid"
	assert_equal "$rc" 0
	assert_equal "$(gen_diff "(SELECT * FROM gen WHERE id <= 2000) g" 1 2000)" 0
	assert_equal "$(gen_diff "(SELECT * FROM gen WHERE id > 3000) g" 3001 3100)" 0
}

@test "a 1 GiB bytea streams through with pg-load's memory under 64 MiB" {
	command -v /usr/bin/time >/dev/null || skip "GNU time (package time) is not installed"
	local big=${PG_LOAD_BIG_BYTES:-1072693248} # 1 GiB - 1 MiB: PostgreSQL's largest value is just under 1 GiB
	pg_sql "$GEN_TABLE" "ALTER TABLE gen ALTER b SET STORAGE EXTERNAL"
	"$TOOLS/rs-gen" --rows 10 --big "$big" | /usr/bin/time -f "maxrss %M" -o rss.txt "$BIN/pg-load" -q gen
	run -0 cat rss.txt
	local rss=${output##*maxrss }
	echo "pg-load max RSS: $rss KiB" >&3
	[ "$rss" -lt 65536 ]
	assert_equal "$(pg_sql "SELECT length(b) FROM gen WHERE id = 11")" "$big"
	# sampled bytes follow rs-gen's pattern: byte k = (k * 7 + k / 251) mod 256
	assert_equal "$(pg_sql "SELECT count(*) FROM (SELECT k FROM unnest(ARRAY[0, 1, 250, 251, 65535, 65536, 1048577, $big - 1]::int8[]) k
	                                          WHERE get_byte((SELECT b FROM gen WHERE id = 11), k::int) <> (k * 7 + k / 251) % 256) x")" 0
	assert_equal "$(gen_diff "(SELECT * FROM gen WHERE id <= 10) g" 1 10)" 0
}

@test "connection errors exit 5 with the password masked; --checkpoint of a table without one prints nothing" {
	run -5 "$BIN/pg-load" --retries 0 -d "postgresql://someone:s3cret@127.0.0.1:1/nodb?connect_timeout=2" --checkpoint t
	assert_output --partial "[target] unable to connect to 'postgresql://someone:********@127.0.0.1:1/nodb?connect_timeout=2'"
	refute_output --partial s3cret
	run -5 "$BIN/pg-load" --retries 0 -d "host=127.0.0.1 port=1 password=s3cret connect_timeout=2" --checkpoint t
	assert_output --partial "password=********"
	refute_output --partial s3cret
	run -0 "$BIN/pg-load" --checkpoint nosuch
	assert_output ""
	pg_sql "$GEN_TABLE"
	run -0 "$BIN/pg-load" --checkpoint gen
	assert_output ""
	# a conninfo naming the database explicitly
	run -0 gen_load --rows 5 -- -q -d "dbname=$PGDB" gen
	run -0 "$BIN/pg-load" -d "postgresql:///$PGDB?host=$PGHOST" --checkpoint gen
	assert_output 5
}

in_backoff() { # ERRFILE N: pg-load has logged N retries and is waiting for the next one
	[ "$(grep -c 'retrying in' "$1")" -ge "$2" ]
}

@test "the first connection is retried with the reconnection backoff while PostgreSQL is down; the load completes" {
	PRIVATE_SRV=$BATS_TEST_TMPDIR/srv
	"$REPO_ROOT/scripts/test-servers" start "$PRIVATE_SRV" >/dev/null 2>srv.log 3>&-
	# shellcheck disable=SC1091
	source "$PRIVATE_SRV/env"
	export PGDB=test PGDATABASE=test
	pg_sql "$GEN_TABLE"
	"$TOOLS/rs-gen" --rows 3000 --block-rows 100 >s.rs
	"$REPO_ROOT/scripts/test-servers" stop "$PRIVATE_SRV" >/dev/null 2>&1 3>&-
	"$BIN/pg-load" --batch-rows 1000 --retries 12 gen <s.rs 2>load.err 3>&- &
	LOAD_PID=$!
	# two attempts failed, the process waits in its backoff: start the server now
	local _
	for _ in $(seq 300); do in_backoff load.err 2 && break; sleep 0.1; done
	in_backoff load.err 2
	kill -0 "$LOAD_PID"
	grep -q 'retrying in 1.0 s (2 of 12)' load.err
	"$REPO_ROOT/scripts/test-servers" start "$PRIVATE_SRV" >/dev/null 2>>srv.log 3>&-
	local rc=0
	wait "$LOAD_PID" || rc=$?
	LOAD_PID=
	cat load.err >&3
	assert_equal "$rc" 0
	grep -q 'connected after [0-9]* retr' load.err
	assert_equal "$(gen_diff gen 1 3000)" 0
	assert_equal "$(checkpoint_field "rows_loaded || ' ' || complete")" "3000 true"
	# --checkpoint waits for the server the same way; --retries 0 gives up at once
	"$REPO_ROOT/scripts/test-servers" stop "$PRIVATE_SRV" >/dev/null 2>&1 3>&-
	run -5 --separate-stderr "$BIN/pg-load" --retries 0 --checkpoint gen
	[[ $stderr != *retrying* ]]
	[[ $stderr == *"[target] unable to connect to '': connection to server on socket"* ]]
	run -5 --separate-stderr "$BIN/pg-load" --retries 1 --checkpoint gen
	[[ $stderr == *"retrying in 0.5 s (1 of 1)"* ]]
	[[ $stderr == *"unable to connect to '' (2 attempts): connection to server on socket"* ]]
}

@test "the first connection is not retried when the server answers: a missing database, a bad role" {
	"$TOOLS/rs-gen" --rows 10 >s.rs
	run -5 --separate-stderr "$BIN/pg-load" --retries 5 -d "dbname=no_such_database_here" gen <s.rs
	[[ $stderr == *'database "no_such_database_here" does not exist'* ]]
	[[ $stderr != *retrying* ]]
	run -5 --separate-stderr "$BIN/pg-load" --retries 5 -d "user=no_such_role_here" --checkpoint gen
	[[ $stderr == *'role "no_such_role_here" does not exist'* ]]
	[[ $stderr != *retrying* ]]
}

@test "--progress reports rows, megabytes and rate on stderr; -q silences it" {
	pg_sql "$GEN_TABLE"
	run -0 --separate-stderr gen_load --rows 20000 -- --progress gen
	[[ "$stderr" =~ pg-load:\ \"public\"\.\"gen\":\ 20000\ rows,\ [0-9.]+\ MB,\ [0-9]+\ rows/s ]]
	[[ "$stderr" == *"20000 rows loaded in 1 batch"* ]]
	run -0 --separate-stderr gen_load --start 20001 --rows 10 -- -q --progress gen
	assert_equal "$stderr" ""
}

# the attacks of issue 8: a stream of 256 blocks of 100 rows, each block intact, one of them
# dropped or repeated; loaded into a table without a key yet (as between pre-data and
# post-data), where nothing else would stop duplicates
spliced_setup() { # RS-SPLICE-ARGS...
	pg_sql "CREATE TABLE gen (id int8, t text, b bytea, n int4)"
	"$TOOLS/rs-gen" --rows 25600 --block-rows 100 >full.rs
	"$TOOLS/rs-splice" "$@" <full.rs >bad.rs
}

# resumes as pg-load(1) says and checks that the table holds exactly the source rows
resume_exact() { # BATCH-ROWS
	local key
	key=$("$BIN/pg-load" --checkpoint gen)
	gen_load --start $((key + 1)) --rows $((25600 - key)) --block-rows 100 -- -q --batch-rows "$1" gen
	assert_equal "$(pg_sql "SELECT count(*), count(DISTINCT id) FROM gen")" "25600|25600"
	assert_equal "$(gen_diff gen 1 25600)" 0
}

@test "block 12 of 256 dropped: refused at that block, nothing after it committed; resuming loads exactly the source (exit 3)" {
	spliced_setup --drop 12
	run -3 --separate-stderr "$BIN/pg-load" --batch-rows 500 gen <bad.rs
	[[ "$stderr" == *"block 12 out of sequence: frame 12 where frame 11 was expected"* ]]
	assert_equal "$(pg_sql "SELECT count(*), count(DISTINCT id), max(id) FROM gen")" "1000|1000|1000"
	assert_equal "$(gen_diff gen 1 1000)" 0
	assert_equal "$(checkpoint_field "last_key || ' ' || complete")" "1000 false"
	resume_exact 500
}

@test "block 12 of 256 repeated: refused at the copy, no duplicate committed; resuming loads exactly the source (exit 3)" {
	spliced_setup --dup 12
	run -3 --separate-stderr "$BIN/pg-load" --batch-rows 500 gen <bad.rs
	[[ "$stderr" == *"block 13 out of sequence: frame 11 again where frame 12 was expected"* ]]
	assert_equal "$(pg_sql "SELECT count(*), count(DISTINCT id), max(id) FROM gen")" "1000|1000|1000"
	resume_exact 500
}

@test "block 5 repeated after it was committed: rows at the checkpoint are not loaded again (exit 3)" {
	spliced_setup --dup 5
	run -3 --separate-stderr "$BIN/pg-load" --batch-rows 100 gen <bad.rs
	[[ "$stderr" == *"block 6 out of sequence: frame 4 again where frame 5 was expected"* ]]
	assert_equal "$(pg_sql "SELECT count(*), count(DISTINCT id), max(id) FROM gen")" "500|500|500"
	assert_equal "$(checkpoint_field last_key)" 500
	resume_exact 100
}

@test "blocks swapped: refused at the first of them (exit 3)" {
	spliced_setup --swap 7
	run -3 --separate-stderr "$BIN/pg-load" --batch-rows 100 gen <bad.rs
	[[ "$stderr" == *"block 7 out of sequence: frame 7 where frame 6 was expected"* ]]
	assert_equal "$(pg_sql "SELECT count(*), count(DISTINCT id), max(id) FROM gen")" "600|600|600"
	resume_exact 100
}

@test "a version 1 stream still loads, with a warning; a repeated block in it is caught by its key" {
	pg_sql "CREATE TABLE gen (id int8, t text, b bytea, n int4)"
	"$TOOLS/rs-gen" --rows 2000 --block-rows 100 >full.rs
	"$TOOLS/rs-splice" --v1 <full.rs >v1.rs
	[ "$(head -c 9 v1.rs | tail -c 1 | od -An -tu1 | tr -d ' ')" = 1 ]
	run -0 --separate-stderr "$BIN/pg-load" gen <v1.rs
	[[ "$stderr" == *"row stream version 1: a missing or repeated block is only detected at its end"* ]]
	assert_equal "$(gen_diff gen 1 2000)" 0
	pg_sql "TRUNCATE gen" "DELETE FROM rowstream.checkpoints"
	"$TOOLS/rs-splice" --v1 --dup 5 <full.rs >v1dup.rs
	run -3 --separate-stderr "$BIN/pg-load" --batch-rows 100 gen <v1dup.rs
	[[ "$stderr" == *"block 6: its key does not sort after the previous block's key"* ]]
	assert_equal "$(pg_sql "SELECT count(*), count(DISTINCT id), max(id) FROM gen")" "500|500|500"
}

@test "a resumed stream whose first block ends at or before the checkpoint is refused before anything is committed (exit 3)" {
	pg_sql "CREATE TABLE gen (id int8, t text, b bytea, n int4)"
	gen_load --rows 1000 --block-rows 100 -- -q gen
	# the first row (1001) is after the checkpoint, the last row of the first block (500) is not
	run -3 --separate-stderr gen_load --start 1001 --rows 1000 --block-rows 100 --dup 1100=500 -- gen
	[[ "$stderr" == *"the stream starts after it but its first block ends at key 500, before its first row"* ]]
	assert_equal "$(pg_sql "SELECT count(*), count(DISTINCT id), max(id) FROM gen")" "1000|1000|1000"
	assert_equal "$(checkpoint_field last_key)" 1000
}
