#!/usr/bin/env bats
# shellcheck disable=SC2154 # $stderr is set by bats' run --separate-stderr
# pipeline: my-extract | row-convert | pg-load end to end, on real servers.
#
# The acceptance of "any MySQL table into PostgreSQL, every type, exact": the type corpus
# (tests/corpus) arrives value for value, into a created table and into a hand-made one;
# rejected rows are kept with their key, column, reason and source bytes; any of the three
# stages killed in the middle of a table leaves exactly the committed batches, and resuming
# from pg-load's checkpoint gives the same table as an uninterrupted run; names that need
# quoting; a large LONGBLOB with every stage's memory bounded; bad input refused.

load helpers

setup_file() { servers_start; }
teardown_file() { servers_stop; }

setup() {
	fresh_dbs
	export PGDATABASE=$PGDB
	cd "$BATS_TEST_TMPDIR" || return 1
}

# an interrupted-load test that failed may leave its pipeline waiting at the gate: end the
# stages it started (by their recorded process ids) and open the gate
teardown() {
	local f pid
	for f in "$BATS_TEST_TMPDIR"/extract.pid "$BATS_TEST_TMPDIR"/convert.pid "$BATS_TEST_TMPDIR"/load.pid; do
		[ -r "$f" ] || continue
		pid=$(cat "$f")
		if [ -r "/proc/$pid/cmdline" ] && [[ $(tr '\0' ' ' <"/proc/$pid/cmdline") == "$BIN/"* ]]; then
			kill -9 "$pid" 2>/dev/null || true
		fi
	done
	if [ -p "$BATS_TEST_TMPDIR/g" ]; then
		exec 4<>"$BATS_TEST_TMPDIR/g" # read-write: never blocks, whether the gate waits or not
		echo go >&4
		exec 4>&-
	fi
}

# migrate MY-EXTRACT-ARGS -- ROW-CONVERT-ARGS -- PG-LOAD-ARGS: the three filters in one pipe.
# The exit status of each stage goes to the file `status` ("0 1 0"); the function returns the
# last non-zero one (as with pipefail).
migrate() {
	local -a e=() c=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do e+=("$1"); shift; done
	[ $# -gt 0 ] && shift
	while [ $# -gt 0 ] && [ "$1" != -- ]; do c+=("$1"); shift; done
	[ $# -gt 0 ] && shift
	local st
	"$BIN/my-extract" "${e[@]}" | "$BIN/row-convert" "${c[@]}" | "$BIN/pg-load" "$@"
	st=("${PIPESTATUS[@]}")
	echo "${st[*]}" >status
	local rc=0 s
	for s in "${st[@]}"; do [ "$s" -eq 0 ] || rc=$s; done
	return "$rc"
}

load_corpus() {
	my_sql <"$REPO_ROOT/tests/corpus/types.sql"
	pg_sql <"$REPO_ROOT/tests/corpus/types_expected.sql" >/dev/null 2>&1
}

# column name and format_type() of each column of a PostgreSQL table
col_types() {
	pg_sql "SELECT attname || ' ' || format_type(atttypid, atttypmod) FROM pg_attribute
	        WHERE attrelid = '$1'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum"
}

# diff_values GOT WANT: every value of table GOT against the one of WANT with the same id (the
# columns of WANT, compared as their text output; json as jsonb); prints "id|column|got|want"
# for each difference and "id|(row)|..." for a row on one side only
diff_values() {
	pg_sql <<EOF
SELECT format('SELECT coalesce(g.id, w.id), %L, g.%I::text, w.%I::text FROM %s g FULL JOIN %s w ON g.id = w.id
               WHERE g.%I%s::text IS DISTINCT FROM w.%I%s::text OR g.id IS NULL OR w.id IS NULL',
              attname, attname, attname, '$1', '$2',
              attname, CASE WHEN atttypid = 'json'::regtype THEN '::jsonb' ELSE '' END,
              attname, CASE WHEN atttypid = 'json'::regtype THEN '::jsonb' ELSE '' END)
FROM pg_attribute WHERE attrelid = '$2'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum
\gexec
EOF
}

# binary COPY of a query into a file
pg_copy() {
	pg_sql "\\copy ($1) TO '$2' WITH (FORMAT binary)"
}

@test "the type corpus through the whole pipeline: every value is the one PostgreSQL holds in types_expected" {
	load_corpus
	run -0 --separate-stderr migrate "$MYDB.types" -- --rejects rej.rs -- --create public.types
	assert_equal "$(cat status)" "0 0 0"
	[[ $stderr == *"11 rows in, 11 out, 0 rejected"* ]]
	[[ $stderr == *'"public"."types": 11 rows loaded'* ]]
	# the created table has the default type map's types
	run -0 diff <(col_types public.types) <(col_types types_expected)
	# value by value; a difference shows its row and column
	run -0 diff_values public.types types_expected
	assert_output ""
	assert_equal "$(pg_sql "SELECT count(*) FROM public.types")" 11
	# and byte for byte, as PostgreSQL sends them
	pg_copy "SELECT * FROM public.types ORDER BY id" got.copy
	pg_copy "SELECT * FROM types_expected ORDER BY id" want.copy
	cmp got.copy want.copy
	run -0 "$BIN/row-cat" --no-header rej.rs
	assert_output ""
}

@test "into a hand-made table: pg-load --describe gives row-convert the rules, every value exact" {
	load_corpus
	pg_sql <<'EOF'
CREATE SCHEMA hand;
CREATE TYPE hand.size AS ENUM ('small', 'medium', 'large');
CREATE TABLE hand.types (
	id bigint PRIMARY KEY,
	c_tinyint integer, c_tinyint_u integer, c_bool boolean, c_smallint integer, c_smallint_u integer,
	c_mediumint bigint, c_mediumint_u bigint, c_int bigint, c_int_u numeric, c_bigint numeric(19,0),
	c_bigint_u numeric, c_dec numeric(65,30), c_dec2 numeric(12,4), c_dec0 integer,
	c_float double precision, c_double double precision,
	c_date date, c_datetime timestamp(0) without time zone, c_datetime6 timestamp(6) without time zone,
	c_timestamp timestamp(3) with time zone, c_time interval, c_time6 interval(6),
	c_year integer, c_bit1 bit(1), c_bit12 bit varying(12), c_bit64 bit(64),
	c_enum hand.size, c_set text[], c_json json,
	c_char varchar(5), c_varchar text, c_text text, c_latin1 text, c_ascii varchar(10), c_utf8mb3 text,
	c_binary bytea, c_varbinary bytea, c_blob bytea, c_geom bytea, c_point bytea,
	c_uuid uuid, c_inet6 inet, c_inet4 inet);
-- what the hand-made types hold for the corpus values: PostgreSQL's own casts of types_expected
CREATE VIEW hand.expected AS SELECT id::bigint, c_tinyint::integer, c_tinyint_u::integer, c_bool,
	c_smallint::integer, c_smallint_u, c_mediumint::bigint, c_mediumint_u::bigint, c_int::bigint, c_int_u::numeric,
	c_bigint::numeric(19,0), c_bigint_u::numeric, c_dec, c_dec2::numeric(12,4), c_dec0::integer,
	c_float::double precision, c_double, c_date, (c_datetime AT TIME ZONE 'UTC')::timestamp(0) AS c_datetime,
	(c_datetime6 AT TIME ZONE 'UTC')::timestamp(6) AS c_datetime6, c_timestamp, c_time, c_time6::interval(6),
	c_year::integer, c_bit1::int::bit(1) AS c_bit1, c_bit12::varbit(12), c_bit64, c_enum::hand.size, c_set,
	c_json::json, c_char::varchar(5), c_varchar::text, c_text, c_latin1::text, c_ascii, c_utf8mb3::text,
	c_binary, c_varbinary, c_blob, c_geom, c_point, c_uuid, c_inet6, c_inet4
	FROM types_expected;
EOF
	run -0 "$BIN/pg-load" --describe hand.types
	assert_line --index 0 '# target "hand"."types"'
	assert_line 'cast "c_enum" hand.size'
	assert_line 'cast "c_datetime" timestamp(0) without time zone'
	assert_line "enum hand.size 'small' 'medium' 'large'"
	printf '%s\n' "$output" >hand.rules
	run -0 --separate-stderr migrate "$MYDB.types" -- --rules hand.rules --rejects rej.rs -- hand.types
	assert_equal "$(cat status)" "0 0 0"
	run -0 diff_values hand.types hand.expected
	assert_output ""
	assert_equal "$(pg_sql "SELECT count(*) FROM hand.types")" 11
	# json keeps the source text exactly (jsonb would normalise it)
	local id want
	for id in 2 6 7 8; do
		want=$(my_sql "SELECT HEX(c_json) FROM types WHERE id = $id")
		assert_equal "$(pg_sql "SELECT upper(encode(convert_to(c_json::text, 'UTF8'), 'hex')) FROM hand.types WHERE id = $id")" "$want"
	done
}

@test "rows that cannot convert: kept in the rejects file with key, column, reason and source bytes; exit 1" {
	load_corpus
	run -1 --separate-stderr migrate "$MYDB.types_rejects" -- --rejects rej.rs -- --create public.types_rejects
	assert_equal "$(cat status)" "0 1 0"
	[[ $stderr == *"types_rejects: 8 rows in, 1 out, 7 rejected"* ]]
	[[ $stderr == *"7 rows rejected, kept in rej.rs"* ]]
	[[ $stderr == *'"public"."types_rejects": 1 rows loaded'* ]]
	# only the good row is in PostgreSQL, exactly
	assert_equal "$(pg_sql "SELECT * FROM public.types_rejects")" '8|2024-05-06|2024-05-06 07:08:09+00|t|ok|{"ok": true}'
	# key, column and the source bytes (a NUL byte in row 6, as MariaDB returned it)
	"$BIN/row-cat" --tsv --no-header rej.rs | cut -f1,2,3,5 >got
	printf 'row-convert\t%s\n' '1	d	0000-00-00' '2	d	2024-00-15' '3	dt	0000-00-00 00:00:00' \
		'4	d	2024-02-30' '5	b	2' 'X' '7	j	"\\u0000"' | sed 's/^row-convert\tX$/row-convert\t6\tt\ta\x00b/' >want
	cmp got want
	# the reasons, and the whole source row
	run -0 "$BIN/row-cat" rej.rs
	assert_line --index 0 "stage,key,column,reason,value,row"
	assert_line --index 1 --partial ",zero date (policy zero-date=null or -infinity converts it),"
	assert_line --index 2 --partial ',"partial date with a zero year, month or day'
	assert_line --index 3 --partial "row-convert,3,dt,zero date"
	assert_line --index 4 'row-convert,4,d,invalid date,2024-02-30,"4,2024-02-30,\N,\N,\N,\N"'
	assert_line --index 5 --partial "row-convert,5,b,value is neither 0 nor 1"
	assert_line --index 6 --partial 'row-convert,6,t,NUL byte in text (PostgreSQL text cannot hold it),'
	assert_line --index 6 --partial ',"6,\N,\N,\N,\x610062,\N"'
	assert_line --index 7 --partial 'row-convert,7,j,json \u0000 cannot be stored in jsonb,'
	assert_equal "${#lines[@]}" 8
	# without --rejects, row-convert stops at the first such row: its stream ends without a
	# trailer, pg-load sees it truncated and commits nothing
	run -3 --separate-stderr migrate "$MYDB.types_rejects" -- -- --create public.stopped
	# (my-extract may still be writing when row-convert stops: then its reader went away, 6)
	[[ "$(cat status)" =~ ^[06]\ 1\ 3$ ]] || { cat status; false; }
	[[ $stderr == *'row with key 1: column "d": zero date'*"(no --rejects file: stopping)"* ]]
	[[ $stderr == *"pg-load: stdin: truncated stream"* ]]
	assert_equal "$(pg_sql "SELECT count(*) FROM public.stopped")" 0
}

# ------------------------------------------------------------------ interrupted loads

# run_as NAME CMD ARGS...: runs CMD with its process id in NAME.pid, to kill it by id
run_as() {
	local name=$1
	shift
	echo "$BASHPID" >"$name.pid"
	exec "$@"
}

# gate NAME N: copies stdin to stdout, pausing after N bytes (creating NAME.reached) until a
# line is written to the fifo NAME
gate() {
	head -c "$2"
	: >"$1.reached"
	read -r _ <"$1"
	exec cat
}

BATCH=100000

# staged TABLE TARGET WHERE N: my-extract | row-convert | pg-load --batch-rows $BATCH, every stage
# with its pid in a file, a gate pausing the stream after N bytes at WHERE (after my-extract,
# after row-convert); the stages' exit statuses go to staged.status
staged() {
	local table=$1 target=$2 where=$3 n=$4
	set +e # a killed stage fails the pipe: record the statuses
	if [ "$where" = extract ]; then
		run_as extract "$BIN/my-extract" -q "$MYDB.$table" | gate g "$n" |
			run_as convert "$BIN/row-convert" -q | run_as load "$BIN/pg-load" -q --create --batch-rows "$BATCH" "$target"
	else
		run_as extract "$BIN/my-extract" -q "$MYDB.$table" | run_as convert "$BIN/row-convert" -q |
			gate g "$n" | run_as load "$BIN/pg-load" -q --create --batch-rows "$BATCH" "$target"
	fi
	echo "${PIPESTATUS[*]}" >staged.status
}

# wait_for COMMAND...: runs COMMAND every 0.1 s until it succeeds, at most 60 s
wait_for() {
	local _
	for _ in $(seq 600); do
		"$@" && return 0
		sleep 0.1
	done
	echo "wait_for: gave up waiting for: $*" >&2
	return 1
}

batches_committed() { # TABLE N: the checkpoint of TABLE counts at least N batches
	[ "$(pg_sql "SELECT coalesce((SELECT batches FROM rowstream.checkpoints WHERE target_table = '$1'), 0)" 2>/dev/null)" -ge "$2" ]
}
copy_in_flight() { # the server has received rows of a batch that is not committed
	[ "$(pg_sql "SELECT coalesce(max(tuples_processed), 0) FROM pg_stat_progress_copy WHERE datname = current_database()")" -gt 0 ]
}
no_pg_load_session() {
	[ "$(pg_sql "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'pg-load'")" = 0 ]
}

# the table's rows as text, in key order, hashed; and the count
table_digest() { # TABLE KEY-COLUMNS
	pg_sql "SELECT count(*) || ' ' || md5(coalesce(string_agg(t::text, E'\\n' ORDER BY $2), '')) FROM $1 t"
}

# kill_and_resume TABLE KEY-COLUMNS STAGE: loads TABLE uninterrupted into ref_TABLE, then again
# into TABLE with STAGE (extract, convert, load) killed by SIGKILL after at least one batch is
# committed; checks that exactly the committed batches are in the table, resumes from the
# checkpoint, and compares the result with ref_TABLE
kill_and_resume() {
	local table=$1 keys=$2 stage=$3 where=convert
	[ "$stage" = extract ] && where=extract
	"$BIN/my-extract" -q "$MYDB.$table" | "$BIN/row-convert" -q | "$BIN/pg-load" -q --create "ref_$table"
	# pause the stream in the middle of the second batch (a batch ends at the first block end
	# after $BATCH rows; a block holds up to 15000 small rows): at 1.5 batches, the server has
	# received rows of batch 2 (more than pg-load's 256 KiB COPY buffer) when the stage dies
	local size total rows
	total=$(my_sql "SELECT COUNT(*) FROM \`$table\`")
	if [ "$where" = extract ]; then
		size=$("$BIN/my-extract" -q "$MYDB.$table" | wc -c)
	else
		size=$("$BIN/my-extract" -q "$MYDB.$table" | "$BIN/row-convert" -q | wc -c)
	fi
	mkfifo g
	staged "$table" "$table" "$where" $((size * 15 * BATCH / (10 * total))) 3>&- &
	local job=$!
	wait_for test -e g.reached
	wait_for batches_committed "$table" 1
	wait_for copy_in_flight
	echo "$table: killing $stage after $(pg_sql "SELECT batches FROM rowstream.checkpoints WHERE target_table = '$table'") batch, $(pg_sql "SELECT max(tuples_processed) FROM pg_stat_progress_copy WHERE datname = current_database()") rows of the next one sent" >&3
	kill -9 "$(cat "$stage.pid")"
	echo go >g
	wait "$job" || true
	local st
	st=$(cat staged.status)
	echo "stages (extract gate convert load / extract convert gate load): $st" >&3
	case $stage in
	load) [[ $st == *" 137" ]] ;;
	extract) [[ $st == "137 0 3 3" ]] ;;
	convert) [[ $st == "6 137 0 3" || $st == "0 137 0 3" ]] ;;
	esac
	wait_for no_pg_load_session
	# exactly the committed batches: the checkpoint's rows, up to its key
	local key
	rows=$(pg_sql "SELECT rows_loaded FROM rowstream.checkpoints WHERE target_table = '$table'")
	[ "$rows" -ge "$BATCH" ]
	assert_equal "$(pg_sql "SELECT count(*) FROM $table")" "$rows"
	assert_equal "$(pg_sql "SELECT complete FROM rowstream.checkpoints WHERE target_table = '$table'")" f
	[ "$rows" -lt "$(pg_sql "SELECT count(*) FROM ref_$table")" ]
	# resume after the checkpoint's key
	key=$("$BIN/pg-load" --checkpoint "$table")
	[ -n "$key" ]
	echo "resuming $table after key $key ($rows rows)" >&3
	run -0 migrate -q --after "$key" "$MYDB.$table" -- -q -- -q --batch-rows "$BATCH" "$table"
	assert_equal "$(table_digest "$table" "$keys")" "$(table_digest "ref_$table" "$keys")"
	assert_equal "$(pg_sql "SELECT count(*) FROM (SELECT * FROM $table EXCEPT ALL SELECT * FROM ref_$table) x")" 0
	assert_equal "$(pg_sql "SELECT count(*) FROM (SELECT * FROM ref_$table EXCEPT ALL SELECT * FROM $table) x")" 0
	assert_equal "$(pg_sql "SELECT count(*) FROM $table")" "$(my_sql "SELECT COUNT(*) FROM \`$table\`")"
	assert_equal "$(pg_sql "SELECT complete FROM rowstream.checkpoints WHERE target_table = '$table'")" t
}

make_int_table() { # 300000 rows, integer key
	my_sql "CREATE TABLE t_int (id INT PRIMARY KEY, v VARCHAR(40), d DECIMAL(12,2), t DATETIME(6), n INT, f FLOAT)" \
		"INSERT INTO t_int SELECT seq, CONCAT('value ', seq, ' é'), seq / 100, '2024-01-01' + INTERVAL seq SECOND,
			IF(seq % 7 = 0, NULL, seq * 3), seq / 7 FROM seq_1_to_300000"
}
make_composite_table() { # 300000 rows, key (int, varchar, date)
	my_sql "CREATE TABLE t_comp (a INT, b VARCHAR(20), c DATE, v VARCHAR(30), PRIMARY KEY (a, b, c))" \
		"INSERT INTO t_comp SELECT seq DIV 12, CONCAT(ELT(seq % 3 + 1, 'x,', 'y\"', 'z\\\\'), seq % 4),
			'2024-01-01' + INTERVAL seq % 12 DAY, CONCAT('row ', seq) FROM seq_1_to_300000"
}
make_varchar_table() { # 300000 rows, varchar key needing quotes, non-ASCII, mixed case
	my_sql "CREATE TABLE t_vc (k VARCHAR(60) PRIMARY KEY, v INT) DEFAULT CHARSET=utf8mb4" \
		"INSERT INTO t_vc SELECT CONCAT(ELT(seq % 5 + 1, 'a', 'B', ' c', 'é', 'Ω\"'), ',', LPAD(seq, 7, '0'), '\\\\ '),
			seq FROM seq_1_to_300000"
}

@test "pg-load killed mid-table (SIGKILL), resumed from --checkpoint: the same table as an uninterrupted run" {
	make_int_table
	kill_and_resume t_int id load
}

@test "pg-load killed mid-table: composite key (int, varchar with quotes, date)" {
	make_composite_table
	kill_and_resume t_comp "a, b, c" load
}

@test "pg-load killed mid-table: varchar key with commas, quotes, spaces, non-ASCII" {
	make_varchar_table
	kill_and_resume t_vc "k COLLATE \"C\"" load
}

@test "my-extract killed mid-stream: nothing of the partial batch is committed; resume" {
	make_int_table
	kill_and_resume t_int id extract
}

@test "row-convert killed mid-stream: nothing of the partial batch is committed; resume" {
	make_composite_table
	kill_and_resume t_comp "a, b, c" convert
}

@test "my-extract and row-convert killed mid-stream, varchar key" {
	make_varchar_table
	kill_and_resume t_vc "k COLLATE \"C\"" extract
	pg_sql "DROP TABLE t_vc, ref_t_vc" "DELETE FROM rowstream.checkpoints"
	rm -f g g.reached ./*.pid staged.status
	kill_and_resume t_vc "k COLLATE \"C\"" convert
}

# load TABLE up to --until KEY, then resume from pg-load's checkpoint; the result must equal the
# whole table loaded at once
split_at() { # TABLE KEY [ROW-CONVERT-ARGS...]
	local t=$1 k=$2
	shift 2
	run -0 migrate -q --until "$k" "$MYDB.$t" -- -q "$@" -- -q --create "$t"
	local cp
	cp=$("$BIN/pg-load" --checkpoint "$t")
	[ -n "$cp" ]
	run -0 migrate -q --after "$cp" "$MYDB.$t" -- -q "$@" -- -q "$t"
	run -0 migrate -q "$MYDB.$t" -- -q "$@" -- -q --create "ref_$t"
	set -- "$t"
	assert_equal "$(pg_sql "SELECT count(*) FROM (SELECT * FROM $1 EXCEPT ALL SELECT * FROM ref_$1) x")" 0
	assert_equal "$(pg_sql "SELECT count(*) FROM (SELECT * FROM ref_$1 EXCEPT ALL SELECT * FROM $1) x")" 0
	assert_equal "$(pg_sql "SELECT count(*) FROM $1")" "$(my_sql "SELECT COUNT(*) FROM \`$1\`")"
	echo "$1: resumed after checkpoint key $cp" >&3
}

@test "checkpoint keys of every key type are understood by my-extract --after" {
	my_sql "CREATE TABLE k_latin1 (k VARCHAR(10) CHARACTER SET latin1 PRIMARY KEY, v INT)" \
		"INSERT INTO k_latin1 VALUES ('a', 1), ('b', 2), ('é', 3), ('f', 4), (_latin1 x'c3a9', 5), ('z', 6), ('€', 7)" \
		"CREATE TABLE k_char (k CHAR(5) PRIMARY KEY, v INT)" \
		"INSERT INTO k_char VALUES ('a', 1), ('ab', 2), ('b', 3), ('c d', 4)" \
		"CREATE TABLE k_bin (k BINARY(4) PRIMARY KEY, v INT)" \
		"INSERT INTO k_bin VALUES (x'00000001', 1), (x'5c780000', 2), (x'ff000000', 3), (x'ff000001', 4)" \
		"CREATE TABLE k_uuid (k BINARY(16) PRIMARY KEY, v INT)" \
		"INSERT INTO k_uuid VALUES (x'00000000000000000000000000000001', 1), (x'123e4567e89b12d3a456426655440000', 2),
			(x'5c780000000000000000000000000000', 3), (x'ffffffffffffffffffffffffffffffff', 4)" \
		"CREATE TABLE k_varbin (k VARBINARY(8) PRIMARY KEY, v INT)" \
		"INSERT INTO k_varbin VALUES (x'00', 1), (x'0001', 2), (x'2c22', 3), (x'ff', 4)" \
		"CREATE TABLE k_bool (k TINYINT(1) PRIMARY KEY, v INT)" "INSERT INTO k_bool VALUES (0, 1), (1, 2)" \
		"CREATE TABLE k_bit (k BIT(10) PRIMARY KEY, v INT)" \
		"INSERT INTO k_bit VALUES (b'1', 1), (b'10', 2), (b'1000000000', 3), (b'1111111111', 4)" \
		"CREATE TABLE k_dt (k DATETIME(3) PRIMARY KEY, t TIMESTAMP(6) NOT NULL, v INT)" \
		"INSERT INTO k_dt VALUES ('2024-01-01 00:00:00', '2024-01-01 00:00:00', 1), ('2024-01-01 00:00:00.5', '2024-01-01 00:00:00.25', 2),
			('2024-01-01 00:00:01', '2024-01-01 00:00:00.5', 3), ('9999-12-31 23:59:59.999', '2038-01-01 00:00:00', 4)" \
		"CREATE TABLE k_ts (t TIMESTAMP(6) PRIMARY KEY, v INT)" \
		"INSERT INTO k_ts SELECT t, v FROM k_dt" \
		"CREATE TABLE k_float (k FLOAT PRIMARY KEY, d DOUBLE, v INT)" \
		"INSERT INTO k_float VALUES (0.1, 0.1, 1), (0.2, 0.2, 2), (1.2345678, 1e-300, 3), (3e38, 1e300, 4)" \
		"CREATE TABLE k_rev (v INT, b VARCHAR(5), a INT, PRIMARY KEY (a, b))" \
		"INSERT INTO k_rev VALUES (1, 'x', 2), (2, 'y', 1), (3, 'a', 2), (4, 'b', 2), (5, 'a', 3)" \
		"CREATE TABLE k_double (d DOUBLE PRIMARY KEY, v INT)" "INSERT INTO k_double SELECT d, v FROM k_float" \
		"CREATE TABLE k_time (k TIME(1), e ENUM('zz', 'aa', 'mm'), y YEAR, PRIMARY KEY (k, e, y))" \
		"INSERT INTO k_time VALUES ('-838:59:59', 'aa', 2000), ('-00:00:00.5', 'zz', 1999), ('00:00:00', 'mm', 2001), ('25:00:00.5', 'aa', 2155)"
	split_at k_latin1 'é'
	split_at k_char 'ab'
	split_at k_bin $'\\x5c780000'
	split_at k_uuid 123e4567-e89b-12d3-a456-426655440000 --cast k=uuid
	split_at k_varbin '","""'
	split_at k_bool 0
	split_at k_bit $'\x02'
	split_at k_dt '2024-01-01 00:00:00.500'
	split_at k_ts '2024-01-01 00:00:00.250000'
	split_at k_float 0.10000000149011612
	split_at k_double 0.1
	split_at k_rev '2,a'
	split_at k_time '-00:00:00.5,zz,1999'
}

# the recipe of pg-load(1), my-extract(1) and the README, exactly as printed, with the same
# [SCHEMA.]TABLE on both sides: a first load (no checkpoint) and a resume are the same commands
recipe() { # DB.TABLE
	key=$("$BIN/pg-load" --checkpoint "$1")
	"$BIN/my-extract" --after "$key" "$1" | "$BIN/row-convert" | "$BIN/pg-load" "$1"
}

# the rows of TABLE on both sides, in key order, as text
rows_of() { # TABLE KEY-COLUMNS
	diff <(my_sql "SELECT * FROM \`$1\` ORDER BY $2" | sed 's/\t/|/g') \
		<(pg_sql "SELECT * FROM \"$MYDB\".\"$1\" ORDER BY ${2//\`/\"}")
}

recipe_tables() {
	my_sql "CREATE TABLE k_int (id INT PRIMARY KEY, v VARCHAR(10))" \
		"INSERT INTO k_int VALUES (-5, 'a'), (0, 'b'), (1, 'c'), (7, 'd'), (100, 'e')" \
		"CREATE TABLE k_comp (a INT, b VARCHAR(10), v INT, PRIMARY KEY (a, b))" \
		"INSERT INTO k_comp VALUES (1, '', 1), (1, 'a', 2), (2, '', 3), (2, 'x,y', 4), (3, 'z', 5)" \
		"CREATE TABLE k_text (k VARCHAR(20) PRIMARY KEY, v INT)" \
		"INSERT INTO k_text VALUES ('', 1), ('a', 2), ('b', 3)" \
		"CREATE TABLE k_vc (k VARCHAR(20) NOT NULL PRIMARY KEY, v INT)" \
		"INSERT INTO k_vc VALUES ('a b', 1), ('c,d', 2), ('e\"f', 3), (' g', 4), ('h', 5)"
	pg_sql "CREATE SCHEMA \"$MYDB\"" "SET search_path = \"$MYDB\"" \
		"CREATE TABLE k_int (id int PRIMARY KEY, v varchar(10))" \
		"CREATE TABLE k_comp (a int, b varchar(10), v int, PRIMARY KEY (a, b))" \
		"CREATE TABLE k_text (k varchar(20) COLLATE \"C\" PRIMARY KEY, v int)" \
		"CREATE TABLE k_vc (k varchar(20) COLLATE \"C\" PRIMARY KEY, v int)"
}

@test "the recipe as printed: a first load with no checkpoint loads every row (int, composite, '' text key, varchar)" {
	recipe_tables
	local t
	for t in k_int k_comp k_text k_vc; do
		run -0 --separate-stderr "$BIN/pg-load" --checkpoint "$MYDB.$t"
		assert_output ""
		run -0 recipe "$MYDB.$t"
		run -0 rows_of "$t" "$(case $t in k_int) echo id ;; k_comp) echo a, b ;; *) echo k ;; esac)"
		assert_equal "$(pg_sql "SELECT complete FROM rowstream.checkpoints WHERE target_table = '$t'")" t
	done
	assert_equal "$(pg_sql "SELECT count(*) FROM \"$MYDB\".k_text WHERE k = ''")" 1
	# the same command again: nothing more to load, nothing loaded twice
	run -0 recipe "$MYDB.k_text"
	assert_equal "$(pg_sql "SELECT count(*) FROM \"$MYDB\".k_text")" 3
}

@test "the recipe as printed resumes a partial load; a checkpoint at the key '' prints \"\" and resumes after it" {
	recipe_tables
	local t keys
	for t in k_int k_comp k_text k_vc; do
		keys=$(case $t in k_int) echo id ;; k_comp) echo a, b ;; *) echo k ;; esac)
		# a partial load: the first rows only
		"$BIN/my-extract" -q --limit 1 "$MYDB.$t" | "$BIN/row-convert" -q | "$BIN/pg-load" -q "$MYDB.$t"
		assert_equal "$(pg_sql "SELECT count(*) FROM \"$MYDB\".\"$t\"")" 1
		run -0 recipe "$MYDB.$t"
		run -0 rows_of "$t" "$keys"
	done
	# k_text: the first row's key is '': its checkpoint is "" (not empty), and --after '""' is after it
	pg_sql "TRUNCATE \"$MYDB\".k_text" "DELETE FROM rowstream.checkpoints WHERE target_table = 'k_text'"
	"$BIN/my-extract" -q --limit 1 "$MYDB.k_text" | "$BIN/row-convert" -q | "$BIN/pg-load" -q "$MYDB.k_text"
	run -0 "$BIN/pg-load" --checkpoint "$MYDB.k_text"
	assert_output '""'
	run -0 recipe "$MYDB.k_text"
	run -0 rows_of k_text k
	# composite: a checkpoint at (1, '') reads back as 1,""
	pg_sql "TRUNCATE \"$MYDB\".k_comp" "DELETE FROM rowstream.checkpoints WHERE target_table = 'k_comp'"
	"$BIN/my-extract" -q --limit 1 "$MYDB.k_comp" | "$BIN/row-convert" -q | "$BIN/pg-load" -q "$MYDB.k_comp"
	run -0 "$BIN/pg-load" --checkpoint "$MYDB.k_comp"
	assert_output '1,""'
	run -0 recipe "$MYDB.k_comp"
	run -0 rows_of k_comp "a, b"
}

count_rows() { "$@" | "$BIN/row-checksum" | cut -d' ' -f2; }

@test "range options: an empty argument is no bound, \"\" is the key '', an empty unquoted field is refused" {
	recipe_tables
	run -0 recipe "$MYDB.k_text"
	local tool
	for tool in my-extract pg-extract; do
		assert_equal "$(count_rows "$BIN/$tool" -q --after '' "$MYDB.k_text")" 3
		assert_equal "$(count_rows "$BIN/$tool" -q --until '' "$MYDB.k_text")" 3
		assert_equal "$(count_rows "$BIN/$tool" -q --after '""' "$MYDB.k_text")" 2
		assert_equal "$(count_rows "$BIN/$tool" -q --until '""' "$MYDB.k_text")" 1
		assert_equal "$(count_rows "$BIN/$tool" -q --after '' --until a "$MYDB.k_text")" 2
		run -2 "$BIN/$tool" -q --after '1,' "$MYDB.k_comp"
		assert_output --partial 'empty field (an empty value is written "")'
		run -2 "$BIN/$tool" -q --after ',a' "$MYDB.k_comp"
		assert_output --partial 'empty field'
	done
	run -0 recipe "$MYDB.k_comp"
	for tool in my-extract pg-extract; do
		assert_equal "$(count_rows "$BIN/$tool" -q --after '1,""' "$MYDB.k_comp")" 4
		assert_equal "$(count_rows "$BIN/$tool" -q --until '2,""' "$MYDB.k_comp")" 3
		assert_equal "$(count_rows "$BIN/$tool" -q --after '' "$MYDB.k_comp")" 5
	done
}

# ------------------------------------------------------------------ names, memory, bad input

@test "tables named x\"; DROP TABLE y; -- and ta\`b.le migrate, resume, and nothing else happens" {
	my_sql "CREATE TABLE y (id INT)" \
		"CREATE TABLE \`x\"; DROP TABLE y; --\` (id INT PRIMARY KEY, \`we\`\`ird, \"col\"\` VARCHAR(10))" \
		"INSERT INTO \`x\"; DROP TABLE y; --\` SELECT seq, CONCAT('v', seq) FROM seq_1_to_100" \
		"CREATE TABLE \`ta\`\`b.le\` (\`i\`\`d\` INT PRIMARY KEY, b LONGBLOB)" \
		"INSERT INTO \`ta\`\`b.le\` VALUES (1, 'one'), (2, REPEAT('z', 5000000)), (3, 'three')"
	pg_sql "CREATE TABLE y (id int)"
	local weird='x"; DROP TABLE y; --' qweird="\"$MYDB\".\"x\"\"; DROP TABLE y; --\""
	# the target is the stream's table: schema $MYDB, created
	run -0 migrate -q --until 40 "$MYDB.$weird" -- -q -- -q --create
	assert_equal "$(pg_sql "SELECT count(*) FROM $qweird")" 40
	run -0 "$BIN/pg-load" --checkpoint "$qweird"
	assert_output 40
	run -0 migrate -q --after "$output" "$MYDB.$weird" -- -q -- -q
	assert_equal "$(pg_sql "SELECT count(*), sum(id), string_agg(\"we\`ird, \"\"col\"\"\", ',' ORDER BY id) = string_agg('v' || id, ',' ORDER BY id) FROM $qweird")" "100|5050|t"
	run -0 migrate -q -D "$MYDB" 'ta`b.le' -- -q -- -q --create
	assert_equal "$(pg_sql "SELECT string_agg(\"i\`d\" || ':' || length(b) || ':' || md5(b), ' ' ORDER BY 1) FROM \"$MYDB\".\"ta\`b.le\"")" \
		"$(my_sql "SELECT GROUP_CONCAT(CONCAT(\`i\`\`d\`, ':', LENGTH(b), ':', MD5(b)) ORDER BY 1 SEPARATOR ' ') FROM \`ta\`\`b.le\`")"
	# nothing was dropped on either side
	assert_equal "$(my_sql "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '$MYDB' AND TABLE_NAME = 'y'")" 1
	assert_equal "$(pg_sql "SELECT to_regclass('public.y') IS NOT NULL")" t
}

@test "a 200 MiB LONGBLOB (and a row of two 16 MB values) passes with every stage under 64 MiB of memory, byte-exact" {
	[ -x /usr/bin/time ] || skip "GNU time is not installed"
	my_sql "CREATE TABLE big (id INT PRIMARY KEY, b LONGBLOB, t LONGTEXT CHARACTER SET latin1)" \
		"SET SESSION group_concat_max_len = 1073741824" \
		"INSERT INTO big VALUES (1, 'small', 'é')" \
		"INSERT INTO big SELECT 2, (SELECT GROUP_CONCAT(LPAD(seq, 16, '0') SEPARATOR '') FROM seq_1_to_13107200),
			(SELECT GROUP_CONCAT(CONCAT(_latin1 x'e9', seq) SEPARATOR '') FROM seq_1_to_1000000)" \
		"INSERT INTO big VALUES (3, NULL, '')" \
		"INSERT INTO big VALUES (4, REPEAT(x'00ff', 8000000), REPEAT(_latin1 x'e9', 7800000))"
	/usr/bin/time -f %M -o rss.extract "$BIN/my-extract" "$MYDB.big" |
		/usr/bin/time -f %M -o rss.convert "$BIN/row-convert" -q |
		/usr/bin/time -f %M -o rss.load "$BIN/pg-load" -q --create public.big
	local s
	for s in extract convert load; do
		echo "$s max RSS: $(cat rss.$s) KiB" >&3
		[ "$(cat rss.$s)" -le 65536 ]
	done
	assert_equal "$(pg_sql "SELECT id || ' ' || coalesce(length(b)::text, 'NULL') || ' ' || coalesce(md5(b), 'NULL') FROM public.big ORDER BY id")" \
		"$(my_sql "SELECT CONCAT(id, ' ', COALESCE(LENGTH(b), 'NULL'), ' ', COALESCE(MD5(b), 'NULL')) FROM big ORDER BY id")"
	assert_equal "$(pg_sql "SELECT id || ' ' || length(t) || ' ' || md5(t) FROM public.big ORDER BY id")" \
		"$(my_sql "SELECT CONCAT(id, ' ', CHAR_LENGTH(t), ' ', MD5(CONVERT(t USING utf8mb4))) FROM big ORDER BY id")"
}

# cut_pipeline N FILE: the first N bytes of FILE through row-convert and pg-load (table t)
cut_pipeline() {
	head -c "$1" "$2" | "$BIN/row-convert" -q | "$BIN/pg-load" -q t
	local st=("${PIPESTATUS[@]}")
	echo "${st[*]}" >status
	return "${st[2]}"
}

# the stream of a table, to files
extract_to() { "$BIN/my-extract" -q "$MYDB.$1" >"$2"; }

@test "bad input: a MySQL-domain stream into pg-load, truncated streams into row-convert and pg-load" {
	my_sql "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(100))" \
		"INSERT INTO t SELECT seq, REPEAT('v', seq % 100) FROM seq_1_to_50000"
	pg_sql "CREATE TABLE t (id int PRIMARY KEY, v varchar(100))"
	extract_to t my.rs
	"$BIN/row-convert" -q <my.rs >pg.rs
	# MySQL-domain stream straight into pg-load
	run -2 --separate-stderr "$BIN/pg-load" t <my.rs
	[[ $stderr == *"a MySQL-domain stream"* ]]
	[[ $stderr == *"row-convert"* ]]
	# a truncated stream into row-convert: exit 3, and its output has no trailer
	head -c $(($(stat -c %s my.rs) / 2)) my.rs >my-cut.rs
	run -3 --separate-stderr "$BIN/row-convert" -q my-cut.rs
	[[ $stderr == *"truncated"* ]]
	"$BIN/row-convert" -q my-cut.rs >out.rs 2>/dev/null || true
	run -3 "$BIN/row-cat" out.rs
	# ... and through pg-load: nothing committed
	run -3 --separate-stderr "$BIN/pg-load" t <out.rs
	[[ $stderr == *"truncated"* ]]
	assert_equal "$(pg_sql "SELECT count(*) FROM t")" 0
	# a truncated PG-domain stream into pg-load: nothing committed
	head -c $(($(stat -c %s pg.rs) * 3 / 4)) pg.rs >pg-cut.rs
	run -3 --separate-stderr "$BIN/pg-load" t <pg-cut.rs
	[[ $stderr == *"truncated"* ]]
	assert_equal "$(pg_sql "SELECT count(*) FROM t")" 0
	run -0 "$BIN/pg-load" --checkpoint t
	assert_output ""
	# the whole pipeline cut short after my-extract: row-convert and pg-load fail, nothing committed
	run -3 --separate-stderr cut_pipeline 300000 my.rs
	assert_equal "$(cat status)" "0 3 3"
	assert_equal "$(pg_sql "SELECT count(*) FROM t")" 0
	# a corrupt byte in the middle: the block checksum catches it
	cp my.rs bad.rs
	printf '\377' | dd of=bad.rs bs=1 seek=$(($(stat -c %s my.rs) / 2)) conv=notrunc status=none
	run -3 --separate-stderr bash -c "'$BIN/row-convert' -q <bad.rs | '$BIN/pg-load' -q t"
	[[ $stderr == *"checksum mismatch"* ]]
	assert_equal "$(pg_sql "SELECT count(*) FROM t")" 0
	# the intact stream loads
	run -0 "$BIN/pg-load" -q t <pg.rs
	assert_equal "$(pg_sql "SELECT count(*) FROM t")" 50000
}
