#!/usr/bin/env bats
# shellcheck disable=SC2154 # $stderr is set by bats' run --separate-stderr
# migrate: a whole database, planned, parallel, resumable, verified, on real servers.
#
# The source is tests/migrate/shop.sql: foreign keys with a cycle and a self-reference, ENUMs,
# JSON, a zero date (a rejected row, whose children become orphans), a table without a primary
# key, composite and string keys, a table split into chunks, an orphan.

load helpers

setup_file() { TEST_SERVERS_SSHD=1 servers_start; }
teardown_file() { servers_stop; }

setup() {
	fresh_dbs
	export PGDATABASE=$PGDB
	my_sql <"$REPO_ROOT/tests/migrate/shop.sql"
	cd "$BATS_TEST_TMPDIR" || return 1
	MIGRATE=$REPO_ROOT/scripts/migrate
}

# a run started in the background may still be going when a test fails: end its process group
teardown() {
	if [ -r "$BATS_TEST_TMPDIR/run.pid" ]; then
		kill -9 -- "-$(cat "$BATS_TEST_TMPDIR/run.pid")" 2>/dev/null || true
	fi
}

TABLES=(departments event_log movements products staff stock)

# the canonical rows and digest of a target table, and of its source through the conversion
target_sum() { "$BIN/pg-extract" -q "$1.$2" | "$BIN/row-checksum" -q; }
source_sum() {
	"$BIN/my-extract" -q "$MYDB.$1" | "$BIN/row-convert" -q --rejects /dev/null --rules <("$BIN/pg-load" -q --describe "$2.$1") |
		"$BIN/row-checksum" -q
}

# runs migrate in its own process group in the background; its pid (= group) in run.pid
run_bg() {
	setsid "$MIGRATE" "$@" >bg.out 2>bg.err 3>&- &
	echo $! >run.pid
}
# waits until SQL (on the target) answers t, for at most 120 s; fails when the run ended first
wait_for() {
	local i
	for ((i = 0; i < 1200; i++)); do
		[ "$(pg_sql "$1" 2>/dev/null)" = t ] && return 0
		kill -0 "$(cat run.pid)" 2>/dev/null || { echo "the run ended before: $1" >&2; cat bg.err >&2; return 1; }
		sleep 0.1
	done
	echo "timed out waiting for: $1" >&2
	return 1
}
kill_run() {
	kill -9 -- "-$(cat run.pid)"
	wait "$(cat run.pid)" || true
	rm -f run.pid
}

# every table of schema $1 has the rows of the same table in schema $2
assert_schemas_equal() {
	local t a
	for t in "${TABLES[@]}"; do
		a=$(target_sum "$1" "$t")
		run target_sum "$2" "$t"
		assert_output "$a"
	done
}

# every table of schema $1 equals its source (rows and digest), staff without its rejected row
assert_all_equal() {
	local t
	for t in "${TABLES[@]}"; do
		run source_sum "$t" "$1"
		assert_success
		local want=$output
		run target_sum "$1" "$t"
		assert_success
		assert_equal "$output" "$want"
	done
}

@test "plan lists each planted problem, changes nothing, and predicts the rejects run produces" {
	run --separate-stderr "$MIGRATE" plan --json plan.json "$MYDB"
	assert_failure 1 # it would reject a row
	assert_output --partial "event_log"
	assert_line --partial "without a primary key (one transaction each, no chunks): event_log"
	assert_line --regexp "^key products.sku: collation utf8mb4_.*case-insensitive"
	assert_output --partial "movements.id: AUTO_INCREMENT on numeric(20,0)"
	run jq -r '.tables[] | select(.table == "staff") | .rows_rejected' plan.json
	assert_output 1
	# nothing changed on either side
	run pg_sql "SELECT count(*) FROM pg_namespace WHERE nspname IN ('rowstream', '$MYDB')"
	assert_output 0
	run "$MIGRATE" run -q --chunk-rows 700 --dir d "$MYDB"
	assert_failure 1
	run jq -c '[.tables[] | {table, rejected: ((.rows_rejected // 0) + .rows_rejected_load)}] | sort_by(.table)' d/report.json
	local got=$output
	run jq -c '[.tables[] | {table, rejected: .rows_rejected}] | sort_by(.table)' plan.json
	assert_equal "$got" "$output"
	# the rejected row is kept with its key and reason
	run "$BIN/row-cat" d/rejects/staff.0.convert.1.rs
	assert_line --partial "row-convert,4,hired,zero date"
}

@test "run moves the whole database: chunks, checksums per chunk, keys, sequences, orphans reported" {
	run --separate-stderr "$MIGRATE" run --chunk-rows 700 --maintenance-work-mem 32MB -j 2 --dir d "$MYDB"
	assert_failure 1
	assert_output --partial "result: 1 row(s) rejected"
	# the builds left to the index phase share the slots they leave idle as parallel workers:
	# none when they fill the 2 slots, 1 beside a build alone
	local builds
	builds=$(pg_sql "SELECT count(*) FROM rowstream.migrate_steps WHERE target_schema = '$MYDB' AND kind <> 'analyze'
		AND step = ANY ('{$(cut -f 1 d/index.jobs | paste -sd,)}'::int[])")
	[[ "$stderr" == *"indexes: "*" to build and analyze, 2 at a time (maintenance_work_mem 32MB, parallel workers per build up to $((builds == 1 ? 1 : 0)))"* ]]
	assert_line --regexp "^movements +3000 +3000 +0 +5/5 .* match$"
	assert_line --regexp "^staff +4 +4 +1 +1/1 .* match$"
	assert_line --regexp "^event_log +3 +3 +0 +1/1 .* match$"
	assert_all_equal "$MYDB"
	# verify read each table's columns once, and kept nothing of that after the phase
	[ -z "$(find d/verify -name '*.columns')" ]
	# the orphan is reported and its foreign key is not added; the others are
	assert [ -s d/orphans/stock.txt ]
	run cat d/orphans/stock.txt
	assert_output --partial "(sku)=(YOK-99)"
	run pg_sql "SELECT string_agg(conname, ',' ORDER BY conname) FROM pg_constraint WHERE contype = 'f' AND connamespace = '$MYDB'::regnamespace"
	assert_output "fk_departments_head,fk_movements_sku,fk_movements_staff,fk_staff_department,fk_staff_manager"
	run pg_sql "SELECT count(*) FROM pg_constraint WHERE contype = 'p' AND connamespace = '$MYDB'::regnamespace"
	assert_output 5
	# sequences follow the data and the AUTO_INCREMENT counter
	run pg_sql "SELECT nextval(pg_get_serial_sequence('$MYDB.movements', 'id'))"
	assert_output 309001
	# verification per chunk is in the state
	run pg_sql "SELECT count(*), bool_and(ok) FROM rowstream.migrate_verify WHERE target_schema = '$MYDB' AND source_table = 'movements'"
	assert_output "5|t"
	# the report, again, as text, JSON and HTML
	run "$MIGRATE" report --html r.html --json r.json "$MYDB"
	assert_success
	assert_line --regexp "^movements +3000 +3000 "
	run jq -r '.tables | length' r.json
	assert_output 6
	run grep -c '<tr><td>' r.html
	assert_output 11 # six tables, five phases
	# the same command again: the run is complete, nothing is redone
	run "$MIGRATE" run -q --chunk-rows 700 -j 2 --dir d "$MYDB"
	assert_failure 1
	assert_all_equal "$MYDB"
}

@test "by default only a table that would hold the run up is split, into about its share of the job slots" {
	# the split is decided from the source's size estimates: fresh ones, as a server's own statistics
	# have them some seconds after a load; and chunks of at least 100 rows (1 M by default), so that
	# the test database's 3000-row table counts as big
	my_sql "ANALYZE TABLE movements" >/dev/null
	MIGRATE_CHUNK_MIN=100 run "$MIGRATE" run -q -j 4 --schema four --dir d4 "$MYDB"
	assert_failure 1 # the planted zero date
	run pg_sql "SELECT settings->>'chunk_rows' FROM rowstream.migrate_runs WHERE target_schema = 'four'"
	assert_output auto
	# movements holds most of the bytes: split; every other table whole
	run pg_sql "SELECT source_table || ' ' || count(*) FROM rowstream.migrate_chunks WHERE target_schema = 'four' GROUP BY 1 ORDER BY 1"
	local n
	n=$(pg_sql "SELECT count(*) FROM rowstream.migrate_chunks WHERE target_schema = 'four' AND source_table = 'movements'")
	[ "$n" -gt 1 ]
	refute_line --regexp "^(departments|event_log|products|staff|stock) [^1]"
	assert_all_equal four
	# one job slot: nothing is worth splitting
	MIGRATE_CHUNK_MIN=100 run "$MIGRATE" run -q -j 1 --schema one --dir d1 "$MYDB"
	assert_failure 1
	run pg_sql "SELECT count(*) FROM rowstream.migrate_chunks WHERE target_schema = 'one'"
	assert_output 6
	assert_all_equal one
}

@test "-j 1 and -j 4 give identical tables (and named enum types the same values)" {
	run "$MIGRATE" run -q --chunk-rows 500 -j 1 --schema one --dir d1 "$MYDB"
	assert_failure 1
	run "$MIGRATE" run -q --chunk-rows 500 -j 4 --enum-types --schema four --dir d4 "$MYDB"
	assert_failure 1
	run pg_sql "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'four.staff'::regclass AND attname = 'role'" \
		"SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum WHERE enumtypid = 'four.staff_role'::regtype"
	assert_output $'four.staff_role\nadmin,depo,kat_sorumlusu,resepsiyon'
	assert_schemas_equal one four
}

@test "kill -9 during data, indexes and constraints, then run again: exact, no duplicate" {
	local args=(run -q --chunk-rows 300 -j 2 --dir d "$MYDB")
	# data: after the first chunk, at a random moment of the next ones
	run_bg "${args[@]}"
	wait_for "SELECT count(*) >= 2 FROM rowstream.migrate_chunks WHERE target_schema = '$MYDB' AND status = 'done'"
	sleep "0.$((RANDOM % 5))"
	kill_run
	run pg_sql "SELECT phase FROM rowstream.migrate_runs WHERE target_schema = '$MYDB'"
	assert_output data
	# no autovacuum on the tables the run made while it runs (the TOAST tables' too)
	run pg_sql "SELECT count(*) FILTER (WHERE 'autovacuum_enabled=false' = ANY (c.reloptions)), count(*)
		FROM pg_class c WHERE c.relnamespace = '\"$MYDB\"'::regnamespace AND c.relkind = 'r'"
	assert_output --regexp '^([1-9][0-9]*)\|\1$'
	run pg_sql "SELECT count(*) FROM pg_class c JOIN pg_class t ON t.oid = c.reltoastrelid
		WHERE c.relnamespace = '\"$MYDB\"'::regnamespace AND NOT ('autovacuum_enabled=false' = ANY (coalesce(t.reloptions, '{}')))"
	assert_output 0
	# indexes
	run_bg "${args[@]}"
	wait_for "SELECT phase IN ('indexes', 'verify') FROM rowstream.migrate_runs WHERE target_schema = '$MYDB'"
	kill_run
	# constraints
	run_bg "${args[@]}"
	wait_for "SELECT phase = 'constraints' FROM rowstream.migrate_runs WHERE target_schema = '$MYDB'"
	sleep "0.$((RANDOM % 3))"
	kill_run
	# (the third may have finished before the kill: then the last run only reports)
	local third
	third=$(pg_sql "SELECT status FROM rowstream.migrate_runs WHERE target_schema = '$MYDB'")
	run "$MIGRATE" "${args[@]}"
	assert_failure 1
	assert_all_equal "$MYDB"
	run pg_sql "SELECT count(*) = count(DISTINCT id) FROM \"$MYDB\".movements"
	assert_output t
	run pg_sql "SELECT count(*) FROM rowstream.migrate_steps WHERE target_schema = '$MYDB' AND status NOT IN ('done', 'skipped')"
	assert_output 0
	run pg_sql "SELECT attempts FROM rowstream.migrate_runs WHERE target_schema = '$MYDB'"
	assert_output "$([ "$third" = "done" ] && echo 3 || echo 4)"
	# the run is complete: autovacuum back as it was
	run pg_sql "SELECT count(*) FROM pg_class c LEFT JOIN pg_class t ON t.oid = c.reltoastrelid
		WHERE c.relnamespace = '\"$MYDB\"'::regnamespace AND c.relkind = 'r' AND (c.reloptions IS NOT NULL OR t.reloptions IS NOT NULL)"
	assert_output 0
	run pg_sql "SELECT count(*) FROM rowstream.migrate_objects WHERE target_schema = '$MYDB' AND kind = 'autovacuum'"
	assert_output 0
}

@test "a table's indexes and statistics are built as soon as its data is in, while another table still loads" {
	# the target tables are there (a user's schema), products with its primary key; movements is
	# held by a session's SHARE lock, which lets it be read but not loaded: products loads alone,
	# and its primary key (set aside for the load) and ANALYZE run in its job slot before
	# movements has a row
	"$BIN/my-schema" -q --section pre-data --include products --include movements --schema ov "$MYDB" | pg_sql
	pg_sql "ALTER TABLE ov.products ADD PRIMARY KEY (sku)"
	pg_session_open lk
	pg_session lk "BEGIN; LOCK TABLE ov.movements IN SHARE MODE; SELECT 'locked';"
	pg_session_wait lk '^locked$'
	run_bg run -q -j 2 --schema ov --dir dov --include products --include movements "$MYDB"
	wait_for "SELECT count(*) = 2 AND bool_and(status = 'done') FROM rowstream.migrate_steps
		WHERE target_schema = 'ov' AND source_table ~ 'products' AND kind IN ('index', 'analyze')"
	run pg_sql "SELECT status FROM rowstream.migrate_chunks WHERE target_schema = 'ov' AND source_table = 'movements'"
	assert_output running
	run pg_sql "SELECT count(*) FROM ov.movements"
	assert_output 0
	run pg_sql "SELECT conname FROM pg_constraint WHERE conrelid = 'ov.products'::regclass AND contype = 'p'"
	assert_output products_pkey
	run pg_sql "SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables WHERE relid = 'ov.products'::regclass"
	assert_output t
	pg_session lk "COMMIT;"
	pg_session_close lk
	wait "$(cat run.pid)" || true
	rm -f run.pid
	# the run went on to the end: movements loaded and analyzed in the index phase, both tables as
	# the source
	run pg_sql "SELECT count(*) FROM rowstream.migrate_steps WHERE target_schema = 'ov' AND status <> 'done' AND kind IN ('index', 'analyze')"
	assert_output 0
	run pg_sql "SELECT phase FROM rowstream.migrate_runs WHERE target_schema = 'ov'"
	assert_output done
	local t
	for t in products movements; do
		run source_sum "$t" ov
		local want=$output
		run target_sum ov "$t"
		assert_equal "$output" "$want"
	done
}

@test "--maintenance-work-mem takes a size as PostgreSQL writes it" {
	run --separate-stderr "$MIGRATE" run --maintenance-work-mem 12XB --dir d "$MYDB"
	assert_failure 2
	assert_equal "$stderr" "migrate: --maintenance-work-mem: '12XB' is not a size such as 256MB or 1GB"
	[ ! -e d ]
}

@test "a resumed run with other settings is refused" {
	run_bg run -q --chunk-rows 300 -j 1 --dir d "$MYDB"
	wait_for "SELECT count(*) >= 1 FROM rowstream.migrate_chunks WHERE target_schema = '$MYDB' AND status = 'done'"
	kill_run
	run --separate-stderr "$MIGRATE" run --chunk-rows 600 -j 1 --dir d "$MYDB"
	assert_failure 2
	assert_equal "$stderr" "migrate: a run into schema $MYDB was started with other settings (chunk_rows: 300 then, 600 now); rerun with the same settings, or undo it with 'migrate rollback'"
	run --separate-stderr "$MIGRATE" run --chunk-rows 300 --policy zero-date=null -j 1 --dir d "$MYDB"
	assert_failure 2
	assert_equal "$stderr" "migrate: a run into schema $MYDB was started with other settings (policies: [] then, [\"zero-date=null\"] now); rerun with the same settings, or undo it with 'migrate rollback'"
	# the original settings finish it
	run "$MIGRATE" run -q --chunk-rows 300 -j 1 --dir d "$MYDB"
	assert_failure 1
	assert_all_equal "$MYDB"
}

@test "status during a run shows the state; rollback leaves the target as it was" {
	pg_sql "CREATE SCHEMA \"$MYDB\"" "CREATE TABLE \"$MYDB\".keepme (id int PRIMARY KEY, v text)" \
		"INSERT INTO \"$MYDB\".keepme VALUES (1, 'bir'), (2, 'iki')"
	# the run's sessions find the schema on their search_path, the rollback's do not: what the
	# state names must not depend on it
	PGOPTIONS="-c search_path=$MYDB,public" run_bg run -q --chunk-rows 300 -j 1 --dir d "$MYDB"
	wait_for "SELECT count(*) >= 1 FROM rowstream.migrate_chunks WHERE target_schema = '$MYDB' AND source_table = 'movements' AND chunk = 0 AND status = 'done'"
	run "$MIGRATE" status "$MYDB"
	assert_success
	assert_line --regexp "^$MYDB -> $MYDB: phase data, running"
	assert_line --regexp "^movements +0 +done +300 "
	run "$MIGRATE" status --json "$MYDB"
	assert_success
	run jq -r '.tables[] | select(.table == "movements") | .chunks | length' <<<"$output"
	assert_output 10
	kill_run
	# from the state alone, after the run died
	run "$MIGRATE" status "$MYDB"
	assert_line --regexp "^$MYDB -> $MYDB: phase data, interrupted"
	refute_line --regexp " running "
	run "$MIGRATE" rollback "$MYDB"
	assert_success
	run pg_sql "SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class WHERE relnamespace = '$MYDB'::regnamespace"
	assert_output "keepme,keepme_pkey"
	run pg_sql "SELECT string_agg(v, ',' ORDER BY id) FROM \"$MYDB\".keepme"
	assert_output "bir,iki"
	run pg_sql "SELECT count(*) FROM rowstream.migrate_runs" "SELECT count(*) FROM rowstream.checkpoints"
	assert_output $'0\n0'
	# a schema the run created is dropped whole
	run "$MIGRATE" run -q --schema fresh --chunk-rows 1000 --dir d2 "$MYDB"
	assert_failure 1
	run "$MIGRATE" rollback --schema fresh "$MYDB"
	assert_success
	run pg_sql "SELECT count(*) FROM pg_namespace WHERE nspname = 'fresh'"
	assert_output 0
}

@test "a user-supplied schema keeps its indexes and foreign keys: set aside for the load, restored after" {
	"$BIN/my-schema" -q "$MYDB" | pg_sql
	pg_sql "CREATE INDEX movements_note ON \"$MYDB\".movements (note)"
	local before
	before=$(pg_sql "SELECT string_agg(conname || ' ' || pg_get_constraintdef(oid), '; ' ORDER BY conname) FROM pg_constraint WHERE connamespace = '$MYDB'::regnamespace" \
		"SELECT string_agg(indexrelid::regclass::text, ',' ORDER BY indexrelid::regclass::text) FROM pg_index WHERE indrelid IN (SELECT oid FROM pg_class WHERE relnamespace = '$MYDB'::regnamespace)")
	run_bg run -q --chunk-rows 1000 -j 2 --dir d "$MYDB"
	wait_for "SELECT phase = 'data' FROM rowstream.migrate_runs WHERE target_schema = '$MYDB'"
	# during the load the table has no index
	run pg_sql "SELECT count(*) FROM pg_index WHERE indrelid = '\"$MYDB\".movements'::regclass"
	assert_output 0
	wait "$(cat run.pid)" || true
	rm -f run.pid
	assert_all_equal "$MYDB"
	# all back, except the foreign key whose orphan is reported
	run pg_sql "SELECT string_agg(conname || ' ' || pg_get_constraintdef(oid), '; ' ORDER BY conname) FROM pg_constraint WHERE connamespace = '$MYDB'::regnamespace" \
		"SELECT string_agg(indexrelid::regclass::text, ',' ORDER BY indexrelid::regclass::text) FROM pg_index WHERE indrelid IN (SELECT oid FROM pg_class WHERE relnamespace = '$MYDB'::regnamespace)"
	assert_equal "$output" "${before/fk_stock_sku FOREIGN KEY (sku) REFERENCES $MYDB.products(sku) ON UPDATE RESTRICT ON DELETE RESTRICT; /}"
	run pg_sql "SELECT status FROM rowstream.migrate_steps WHERE target_schema = '$MYDB' AND name = 'fk_stock_sku'"
	assert_output skipped
}

@test "--sshlogin through a local sshd gives the same result as local job slots; rejects come back" {
	[ -n "${TEST_SSH_LOGIN:-}" ] || fail "no sshd: TEST_SSH_LOGIN is not set"
	run "$MIGRATE" run -q --chunk-rows 700 -j 2 --sshlogin "2/$TEST_SSH_LOGIN" --schema remote --dir dr "$MYDB"
	assert_failure 1
	run "$MIGRATE" run -q --chunk-rows 700 -j 2 --schema here --dir dl "$MYDB"
	assert_failure 1
	assert_schemas_equal here remote
	# the chunks ran on the other host, and their rejects are here
	run awk -F '\t' 'NR > 1 { print $2 }' dr/logs/_chunk.joblog
	refute_line ":"
	assert_line --partial "testhost"
	run "$BIN/row-cat" dr/rejects/staff.0.convert.1.rs
	assert_line --partial "row-convert,4,hired,zero date"
	run jq -r '.tables[] | select(.table == "staff") | .rows_rejected' dr/report.json
	assert_output 1
}

@test "--consistent: the source is held at one instant for the data phase, its binlog position recorded" {
	run_bg run -q --consistent --chunk-rows 100 -j 2 --dir d "$MYDB"
	wait_for "SELECT phase = 'data' AND source_position IS NOT NULL FROM rowstream.migrate_runs WHERE target_schema = '$MYDB'"
	# while the data phase runs, a write to the source waits for the lock
	run my_sql "SET SESSION lock_wait_timeout = 1" \
		"INSERT INTO movements (sku, staff_id, kind, qty, at) VALUES ('CIPS', 1, 'giris', 1, NOW())"
	assert_failure
	assert_output --partial "Lock wait timeout"
	wait "$(cat run.pid)" || true
	rm -f run.pid
	run pg_sql "SELECT source_position->>'status' FROM rowstream.migrate_runs WHERE target_schema = '$MYDB'"
	assert_output --regexp "bin[-.a-z]*\.[0-9]+"$'\t'"[0-9]+"
	assert_all_equal "$MYDB"
	# and the source takes writes again
	my_sql "INSERT INTO movements (sku, staff_id, kind, qty, at) VALUES ('CIPS', 1, 'giris', 1, NOW())"
}

@test "plan reports the newest backup of the source; run --backup-source takes one before anything moves" {
	B=$BATS_TEST_TMPDIR/backups
	run -0 --separate-stderr "$MIGRATE" plan --include departments --backup-dir "$B" --json plan.json "$MYDB"
	assert_line "source backup: none of $MYDB in $B"
	assert_line "warning: no backup of the source of the last 24 h in $B: take one (backup source $MYDB, or migrate run --backup-source)"
	[ "$(jq -c '[.source_backup, .backup_dir]' plan.json)" = "[null,\"$B\"]" ]
	# a backup that fails stops the run before the schema is made
	run -4 --separate-stderr "$MIGRATE" run -q --include departments --backup-source --backup-dir /proc/nowhere "$MYDB"
	[[ $stderr == *"migrate: the backup of the source failed; nothing was migrated"* ]]
	[ "$(pg_sql "SELECT count(*) FROM pg_namespace WHERE nspname = '$MYDB'")" = 0 ]
	run -0 "$MIGRATE" run -q --include departments --backup-source --backup-dir "$B" "$MYDB"
	b=$(ls -d "$B"/mysql-*)
	[ "$(jq -r '"\(.kind) \(.database) \(.status)"' "$B/history.jsonl")" = "source $MYDB ok" ]
	[ "$(jq -r .sha256 "$b/manifest.json")" = "$(sha256sum "$b/dump.sql.zst" | cut -d ' ' -f 1)" ]
	[ "$(pg_sql "SELECT count(*) FROM \"$MYDB\".departments")" = 3 ]
	run -0 --separate-stderr "$MIGRATE" plan --include departments --backup-dir "$B" --json plan.json "$MYDB"
	assert_line --regexp "^source backup: $b, 0(\.[0-9])? h old, 0(\.[0-9])? MiB, sha256 [0-9a-f]{16}\.\.\.$"
	refute_line --partial "warning: no backup of the source"
	[ "$(jq -r '.source_backup | "\(.dir) \(.recent) \(.bytes)"' plan.json)" = "$b true $(stat -c %s "$b/dump.sql.zst")" ]
}

@test "a post-data step that fails is recorded with its message; the table's other steps are still done" {
	# a user's schema with a unique index the data breaks (movements has several rows per sku):
	# its restore fails, the other indexes and ANALYZE of the table, in the same session, are done
	"$BIN/my-schema" -q "$MYDB" | pg_sql
	pg_sql "CREATE UNIQUE INDEX movements_sku_uq ON \"$MYDB\".movements (sku)" \
		"CREATE INDEX movements_note ON \"$MYDB\".movements (note)"
	run --separate-stderr "$MIGRATE" run -q -j 2 --dir d "$MYDB"
	assert_failure 1
	[[ "$stderr" == *"migrate: step "*" (index of "*"movements"*") failed: "*"could not create unique index"* ]]
	run pg_sql "SELECT status, message ~ 'could not create unique index' FROM rowstream.migrate_steps
		WHERE target_schema = '$MYDB' AND sql ~ 'movements_sku_uq'"
	assert_output 'failed|t'
	run pg_sql "SELECT count(*) FROM rowstream.migrate_steps x WHERE x.target_schema = '$MYDB' AND x.status <> 'done'
		AND x.sql !~ 'movements_sku_uq' AND x.kind IN ('index', 'analyze', 'constraint')"
	assert_output 0
	run pg_sql "SELECT count(*) FROM pg_index WHERE indexrelid = to_regclass('\"$MYDB\".movements_note')"
	assert_output 1
	run pg_sql "SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables WHERE relid = '\"$MYDB\".movements'::regclass"
	assert_output t
}

@test "--fit-types: the narrower exact types the data allows, each with the CHECK that keeps its range" {
	run "$MIGRATE" run -q --fit-types --dir d "$MYDB"
	assert_failure 1
	# BIGINT UNSIGNED whose values fit: bigint, not numeric(20,0); INT UNSIGNED: integer
	run pg_sql "SELECT string_agg(table_name || '.' || column_name || ' ' || data_type, ',' ORDER BY table_name, column_name)
		FROM information_schema.columns WHERE table_schema = '$MYDB' AND column_name IN ('id', 'staff_id')"
	assert_output "departments.id integer,movements.id bigint,movements.staff_id integer,staff.id integer"
	run pg_sql "SELECT count(*) FROM pg_constraint WHERE conrelid = '\"$MYDB\".movements'::regclass AND pg_get_constraintdef(oid) = 'CHECK ((id >= 0))'"
	assert_output 1
	run jq -c '[.[] | select(.table == "movements" and .column == "id") | .type]' <<<"$(pg_sql "SELECT fits FROM rowstream.migrate_runs WHERE target_schema = '$MYDB'")"
	assert_output '["bigint"]'
	assert_all_equal "$MYDB"
}
