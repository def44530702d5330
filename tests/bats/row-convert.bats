#!/usr/bin/env bats
# row-convert: MySQL-domain stream -> PostgreSQL-domain stream. The corpus test proves that every
# converted value is byte-identical to what PostgreSQL itself sends (COPY ... FORMAT binary).

load helpers

setup_file() {
	servers_start
	fresh_dbs row_convert
	my_sql <"$REPO_ROOT/tests/corpus/types.sql"
	pg_sql <"$REPO_ROOT/tests/corpus/types_expected.sql" >/dev/null
	local d=$BATS_FILE_TMPDIR
	extract types >"$d/types.rs"
	extract types_rejects >"$d/rejects.rs"
	extract tz_cases >"$d/tz.rs"
}

teardown_file() {
	servers_stop
}

setup() {
	T=$BATS_TEST_TMPDIR
	D=$BATS_FILE_TMPDIR
	COMPARE=${UNIT_DIR:-$REPO_ROOT/${BUILD:-build}/tests}/convert_corpus_test
	case "$COMPARE" in /*) ;; *) COMPARE=$REPO_ROOT/$COMPARE ;; esac
}

extract() {
	"$BIN/my-extract" -q -S "$MYSQL_UNIX_PORT" -u "${MYSQL_USER:-root}" "$MYDB.$1"
}

# expected values: binary COPY of a PostgreSQL query, and the column types of a table
pg_copy() {
	pg_sql "\\copy ($1) TO '$2' WITH (FORMAT binary)"
}
pg_types() {
	pg_sql "SELECT attname || E'\\t' || format_type(atttypid, atttypmod) FROM pg_attribute
		WHERE attrelid = '$1'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum"
}

need_compare() {
	[ -x "$COMPARE" ] || skip "$COMPARE not built (make unit)"
}

convert_to() { # OUT ARGS... < input
	local out=$1
	shift
	"$BIN/row-convert" "$@" >"$out"
}

@test "--help shows the synopsis; a bad option is a usage error" {
	run -0 "$BIN/row-convert" --help
	assert_output --partial "usage: row-convert [-q | -v] [-f] [--rules file] [--cast column=type] ..."
	run -2 "$BIN/row-convert" --no-such-option
	assert_output --partial "usage:"
}

@test "every corpus value is byte-identical to PostgreSQL's binary COPY of the same value" {
	need_compare
	run -0 convert_to "$T/types.pg.rs" <"$D/types.rs"
	assert_output --partial "11 rows in, 11 out, 0 rejected"
	pg_copy "SELECT * FROM types_expected ORDER BY id" "$T/types.copy"
	pg_types types_expected >"$T/types.txt"
	run -0 "$COMPARE" "$T/types.pg.rs" "$T/types.copy" "$T/types.txt"
	refute_output --partial "not ok"
	assert_output --partial "column types as format_type() prints them"
}

@test "DATETIME in a DST time zone: gap moves forward, fold takes the first occurrence" {
	need_compare
	pg_copy "SELECT * FROM tz_expected ORDER BY id" "$T/tz.copy"
	run -0 convert_to "$T/tz.pg.rs" --timezone Europe/Berlin <"$D/tz.rs"
	run -0 "$COMPARE" "$T/tz.pg.rs" "$T/tz.copy"
	refute_output --partial "not ok"
	# the same from a rules file
	printf '# rules\ntimezone Europe/Berlin\n' >"$T/rules"
	run -0 convert_to "$T/tz2.pg.rs" --rules "$T/rules" <"$D/tz.rs"
	cmp "$T/tz.pg.rs" "$T/tz2.pg.rs"
	# and UTC (the default) gives other instants
	run -0 convert_to "$T/tz3.pg.rs" <"$D/tz.rs"
	run -1 "$COMPARE" "$T/tz3.pg.rs" "$T/tz.copy"
}

@test "rows that cannot convert go to the rejects file with key, column, reason, value" {
	run -1 convert_to "$T/out.rs" --rejects "$T/rej.rs" <"$D/rejects.rs"
	assert_output --partial "8 rows in, 1 out, 7 rejected"
	run -0 "$BIN/row-cat" "$T/out.rs"
	assert_line --index 1 --partial "8,"
	assert_equal "${#lines[@]}" 2
	run -0 "$BIN/row-cat" "$T/rej.rs"
	assert_line --index 0 "stage,key,column,reason,value,row"
	assert_line --index 1 --partial "row-convert,1,d,zero date"
	assert_line --index 2 --partial "row-convert,2,d,\"partial date"
	assert_line --index 3 --partial "row-convert,3,dt,zero date"
	assert_line --index 4 --partial "row-convert,4,d,invalid date,2024-02-30"
	assert_line --index 5 --partial "row-convert,5,b,value is neither 0 nor 1"
	assert_line --index 6 --partial "row-convert,6,t,NUL byte in text"
	assert_line --index 7 --partial "row-convert,7,j,json \\u0000 cannot be stored in jsonb"
}

@test "policies change values explicitly and are counted" {
	run -1 convert_to "$T/out.rs" --rejects "$T/rej.rs" --policy zero-date=null --policy tinyint1-range=true \
		--policy nul-in-text=escape <"$D/rejects.rs"
	assert_output --partial "8 rows in, 6 out, 2 rejected; changed by policy: zero-date 3, nul-in-text 1, tinyint1-range 1"
	run -0 "$BIN/row-cat" "$T/rej.rs"
	assert_equal "${#lines[@]}" 3
	assert_line --index 1 --partial "row-convert,4,d,invalid date"
	assert_line --index 2 --partial "row-convert,7,j,"
	# policies from a rules file, -infinity for zero dates
	printf 'policy zero-date=-infinity\npolicy tinyint1-range=true\npolicy nul-in-text=strip\n' >"$T/rules"
	run -1 convert_to "$T/out2.rs" --rules "$T/rules" --rejects "$T/rej2.rs" <"$D/rejects.rs"
	assert_output --partial "6 out, 2 rejected"
}

@test "--quiet, --verbose and --force, as the other tools spell them" {
	# --verbose names each rejected row; --quiet prints no summary and no warning
	run -1 --separate-stderr convert_to "$T/out.rs" --verbose --rejects "$T/rej.rs" <"$D/rejects.rs"
	assert_equal "$(grep -c 'rejected row with key' <<<"$stderr")" 7
	[[ "$stderr" == *"8 rows in, 1 out, 7 rejected"* ]]
	run -1 --separate-stderr convert_to "$T/out2.rs" --quiet --rejects "$T/rej2.rs" <"$D/rejects.rs"
	assert_equal "$stderr" ""
	cmp "$T/out.rs" "$T/out2.rs"
	# binary to a terminal only with --force (script(1) gives the command one)
	run -2 script -qec "$BIN/row-convert $D/types.rs" /dev/null
	assert_output --partial "stdout is a terminal"
	run -0 script -qec "$BIN/row-convert --force --quiet $D/types.rs" /dev/null
}

@test "without --rejects the first row to reject stops the conversion, naming key, column and reason" {
	run -1 convert_to "$T/out.rs" <"$D/rejects.rs"
	assert_output --partial "row with key 1: column \"d\": zero date"
	assert_output --partial "no --rejects file"
	# the output has no trailer: a reader sees it truncated
	run -3 "$BIN/row-cat" "$T/out.rs"
}

@test "--max-rejects stops with exit 7" {
	run -7 convert_to "$T/out.rs" --rejects "$T/rej.rs" --max-rejects 2 <"$D/rejects.rs"
	assert_output --partial "more than 2 rows rejected"
	run -0 convert_to "$T/out.rs" --rejects "$T/rej2.rs" --max-rejects 0 <"$D/types.rs"
}

@test "an existing non-empty rejects file is never overwritten" {
	run -7 convert_to "$T/out.rs" --rejects "$T/rej.rs" --max-rejects 2 <"$D/rejects.rs"
	cp "$T/rej.rs" "$T/rej.before"
	run -6 convert_to "$T/out.rs" --rejects "$T/rej.rs" <"$D/rejects.rs"
	assert_output --partial "rejects file exists and is not empty"
	cmp "$T/rej.rs" "$T/rej.before"
	: >"$T/empty.rs"
	run -1 convert_to "$T/out.rs" --rejects "$T/empty.rs" <"$D/rejects.rs"
}

@test "usage errors: policy, time zone, casts, rules" {
	run -2 "$BIN/row-convert" --policy zero-date=strip <"$D/types.rs"
	assert_output --partial "action for zero-date must be one of"
	run -2 "$BIN/row-convert" --timezone Mars/Olympus <"$D/types.rs"
	assert_output --partial "unknown time zone"
	run -2 "$BIN/row-convert" --cast nosuch=integer <"$D/types.rs"
	assert_output --partial "has no column \"nosuch\""
	run -2 "$BIN/row-convert" --cast c_date=inet <"$D/types.rs"
	assert_output --partial "cannot convert MySQL date to inet"
	printf 'cast c_int integer\nfrobnicate\n' >"$T/rules"
	run -2 "$BIN/row-convert" --rules "$T/rules" <"$D/types.rs"
	assert_output --partial "rules:2: unknown directive"
	run -2 "$BIN/row-convert" --max-rejects -1 <"$D/types.rs"
}

@test "casts and enums change the target types in the header" {
	printf 'cast "c_enum" hotel.size\nenum hotel.size '"'"'small'"'"' '"'"'medium'"'"' '"'"'large'"'"'\n' >"$T/rules"
	run -0 convert_to "$T/out.rs" --rules "$T/rules" --cast c_tinyint=integer --cast c_char=text \
		--cast c_uuid=text <"$D/types.rs"
	run -0 "$BIN/row-cat" --header-only "$T/out.rs"
	assert_output --partial "domain: postgresql"
	assert_output --partial "meta: converted_by=row-convert"
	assert_line --partial "column: c_enum type=hotel.size code=0"
	assert_output --partial "member=small member=medium member=large"
	assert_line --partial "column: c_tinyint type=integer code=23"
	assert_line --partial "column: c_char type=text code=25"
	assert_line --partial "column: id type=integer code=23 key=1 not-null source_type=int(11)"
	# an enum without the value as label rejects the row
	printf 'cast c_enum tiny\nenum tiny '"'"'small'"'"'\n' >"$T/rules2"
	run -1 convert_to "$T/out2.rs" --rules "$T/rules2" --rejects "$T/rej.rs" <"$D/types.rs"
	assert_output --partial "3 rejected"
}

@test "input that is not a MySQL-domain stream is refused" {
	run -0 convert_to "$T/pg.rs" <"$D/types.rs"
	run -3 "$BIN/row-convert" <"$T/pg.rs"
	assert_output --partial "not a MySQL-domain stream"
	head -c 1000 "$D/types.rs" >"$T/cut.rs"
	run -3 convert_to "$T/out.rs" "$T/cut.rs"
	printf 'garbage' >"$T/g.rs"
	run -3 convert_to "$T/out.rs" "$T/g.rs"
}

@test "compressed output, file argument and '-' for stdin" {
	run -0 convert_to "$T/a.rs" "$D/types.rs"
	run -0 convert_to "$T/b.rs" --zstd=5 - <"$D/types.rs"
	"$BIN/row-cat" "$T/a.rs" >"$T/a.csv"
	"$BIN/row-cat" "$T/b.rs" >"$T/b.csv"
	cmp "$T/a.csv" "$T/b.csv"
	[ "$(stat -c %s "$T/b.rs")" -lt "$(stat -c %s "$T/a.rs")" ]
}

@test "huge text and blob values stream through (chunked), still byte-identical" {
	need_compare
	my_sql "CREATE TABLE big (id int PRIMARY KEY, t longtext CHARACTER SET latin1, b longblob, j json)" \
		"INSERT INTO big VALUES (1, REPEAT(_latin1 x'e980', 3 * 1024 * 1024), REPEAT(x'00ff', 4 * 1024 * 1024),
			CONCAT('[', REPEAT('1, ', 2 * 1024 * 1024), '2]')), (2, 'small', x'01', '{}')"
	pg_sql "CREATE TABLE big_expected AS SELECT 1 AS id, repeat(E'\\u00e9\\u20ac', 3 * 1024 * 1024) AS t,
			decode(repeat('00ff', 4 * 1024 * 1024), 'hex') AS b,
			('[' || repeat('1, ', 2 * 1024 * 1024) || '2]')::jsonb AS j
		UNION ALL SELECT 2, 'small', '\\x01', '{}'"
	extract big >"$T/big.rs"
	run -0 convert_to "$T/big.pg.rs" <"$T/big.rs"
	pg_copy "SELECT * FROM big_expected ORDER BY id" "$T/big.copy"
	run -0 "$COMPARE" "$T/big.pg.rs" "$T/big.copy"
	refute_output --partial "not ok"
}

@test "block boundaries follow the input, also around rejected rows" {
	need_compare
	my_sql "CREATE TABLE blocks (id int PRIMARY KEY, d date, t varchar(60))" \
		"INSERT INTO blocks SELECT seq, IF(seq % 97 = 0, '0000-00-00', '2024-01-01'), REPEAT('x', 50)
			FROM seq_1_to_3000"
	"$BIN/my-extract" -q -S "$MYSQL_UNIX_PORT" -u "${MYSQL_USER:-root}" --block-bytes 4096 "$MYDB.blocks" \
		>"$T/blocks.rs"
	run -0 convert_to "$T/blocks.pg.rs" --policy zero-date=null <"$T/blocks.rs"
	"$COMPARE" --block-ends "$T/blocks.rs" >"$T/in.ends"
	"$COMPARE" --block-ends "$T/blocks.pg.rs" >"$T/out.ends"
	[ "$(wc -l <"$T/in.ends")" -gt 10 ]
	cmp "$T/in.ends" "$T/out.ends"
	# rejected rows: blocks still end after the same source rows (counted in output rows)
	run -1 convert_to "$T/blocks2.pg.rs" --rejects "$T/rej.rs" <"$T/blocks.rs"
	assert_output --partial "3000 rows in, 2970 out, 30 rejected"
	"$COMPARE" --block-ends "$T/blocks2.pg.rs" >"$T/out2.ends"
	[ "$(wc -l <"$T/out2.ends")" -eq "$(wc -l <"$T/in.ends")" ]
}

# --profile ------------------------------------------------------------------------------------

# one planted problem per row (row 10 has two: its date rejects it, its tinyint(1) is counted too)
plant_table() {
	my_sql "SET SESSION sql_mode = 'ALLOW_INVALID_DATES'" \
		"CREATE TABLE planted (id int PRIMARY KEY, d date, b tinyint(1), t varchar(10),
			a varchar(10) CHARACTER SET ascii, u bigint unsigned, j json, small bigint unsigned)" \
		"INSERT INTO planted VALUES
			(1, '2024-01-01', 1, 'ok', 'ok', 1, '{}', 5),
			(2, '0000-00-00', 0, NULL, NULL, NULL, NULL, 6),
			(3, '2024-00-15', NULL, NULL, NULL, NULL, NULL, NULL),
			(4, NULL, NULL, 'a\\0b', NULL, NULL, NULL, NULL),
			(6, NULL, 2, NULL, NULL, NULL, NULL, NULL),
			(7, NULL, NULL, NULL, NULL, 18446744073709551615, NULL, NULL),
			(8, NULL, NULL, NULL, NULL, NULL, '\"\\\\u0000\"', NULL),
			(9, '2024-02-30', NULL, NULL, NULL, NULL, NULL, NULL),
			(10, '0000-00-00', 3, NULL, NULL, NULL, NULL, NULL),
			(11, '2024-12-31', 0, 'fine', 'fine', 9223372036854775807, '[1]', 100)" \
		"SET SESSION sql_mode = ''" \
		"INSERT INTO planted (id, a) VALUES (5, x'41e9')"
	extract planted >"$D/planted.rs"
}

# per column: rows the profile says a run rejects for it, and the rejects file's count for it
profile_rejects_by_column() { # PROFILE.json
	jq -r '.columns[] | .name as $c | [.classes[] | select(.action == "reject") | .rows] | add // 0 |
		select(. > 0) | "\($c) \(.)"' "$1"
}
rejects_by_column() { # REJECTS.rs
	"$BIN/row-cat" "$1" | tail -n +2 | cut -d, -f3 | sort | uniq -c | awk '{print $2, $1}'
}
class_of() { # PROFILE.json COLUMN CLASS: action values rows examples, one line
	jq -c --arg c "$2" --arg k "$3" '.columns[] | select(.name == $c) | .classes[$k] |
		[.action, .values, .rows, .examples]' "$1"
}

@test "--profile counts each planted class exactly as a run with --rejects rejects it" {
	[ -s "$D/planted.rs" ] || plant_table
	run -1 "$BIN/row-convert" -q --profile --cast u=bigint "$D/planted.rs"
	printf '%s\n' "$output" >"$T/p.json"
	assert_equal "$(wc -l <"$T/p.json")" 1
	run -1 convert_to "$T/out.rs" --cast u=bigint --rejects "$T/rej.rs" "$D/planted.rs"
	assert_output --partial "11 rows in, 2 out, 9 rejected"
	run -0 jq -c '[.schema, .table, .rows, .rows_ok, .rows_rejected, .rows_changed]' "$T/p.json"
	assert_output "[\"$MYDB\",\"planted\",11,2,9,0]"
	# the same rows, blamed on the same columns
	run -0 diff <(profile_rejects_by_column "$T/p.json" | sort) <(rejects_by_column "$T/rej.rs" | sort)
	assert_equal "$(jq '[.columns[].classes[] | select(.action == "reject") | .rows] | add' "$T/p.json")" \
		"$("$BIN/row-cat" "$T/rej.rs" | tail -n +2 | cut -d, -f2 | wc -l)"
	assert_equal "$("$BIN/row-cat" "$T/rej.rs" | tail -n +2 | cut -d, -f2 | tr '\n' ' ')" "2 3 4 5 6 7 8 9 10 "
	# every class: action, values, rows, example keys in stream order
	assert_equal "$(class_of "$T/p.json" d zero-date)" '["reject",3,3,["2","3","10"]]'
	assert_equal "$(class_of "$T/p.json" d invalid-date)" '["reject",1,1,["9"]]'
	assert_equal "$(class_of "$T/p.json" b tinyint1-range)" '["reject",2,1,["6","10"]]'
	assert_equal "$(class_of "$T/p.json" t nul-in-text)" '["reject",1,1,["4"]]'
	assert_equal "$(class_of "$T/p.json" a invalid-utf8)" '["reject",1,1,["5"]]'
	assert_equal "$(class_of "$T/p.json" u out-of-range)" '["reject",1,1,["7"]]'
	assert_equal "$(class_of "$T/p.json" j invalid-json)" '["reject",1,1,["8"]]'
	assert_equal "$(jq -c '[.columns[] | .classes | keys | length] | add' "$T/p.json")" 7
	# types after the cast, nulls, min/max of what converts
	run -0 jq -c '.columns[] | select(.name == "u") | [.source_type, .pg_type, .fit, .nulls, .min, .max]' "$T/p.json"
	assert_output '["bigint(20) unsigned","bigint",null,8,"1","9223372036854775807"]'
	run -0 jq -c '.columns[] | select(.name == "d") | [.nulls, .min, .max]' "$T/p.json"
	assert_output '[5,"2024-01-01","2024-12-31"]'
	run -0 jq -c '.columns[] | select(.name == "t") | has("min")' "$T/p.json"
	assert_output false
}

@test "--profile with --policy zero-date=null: changed rows and rejects as the run has them" {
	[ -s "$D/planted.rs" ] || plant_table
	run -1 "$BIN/row-convert" -q --profile --policy zero-date=null "$D/planted.rs"
	printf '%s\n' "$output" >"$T/p.json"
	run -1 convert_to "$T/out.rs" --policy zero-date=null --rejects "$T/rej.rs" "$D/planted.rs"
	assert_output --partial "11 rows in, 5 out, 6 rejected; changed by policy: zero-date 2"
	run -0 jq -c '[.rows, .rows_ok, .rows_rejected, .rows_changed]' "$T/p.json"
	assert_output '[11,5,6,2]'
	run -0 diff <(profile_rejects_by_column "$T/p.json" | sort) <(rejects_by_column "$T/rej.rs" | sort)
	# row 10 is rejected for its tinyint(1) now: its zero date is counted, not changed
	assert_equal "$(class_of "$T/p.json" d zero-date)" '["null",3,2,["2","3","10"]]'
	assert_equal "$(class_of "$T/p.json" b tinyint1-range)" '["reject",2,2,["6","10"]]'
	# without the cast u converts (numeric(20,0)); small's values fit bigint
	assert_equal "$(jq '.columns[] | select(.name == "u") | .classes | length' "$T/p.json")" 0
	run -0 jq -c '.columns[] | select(.name == "small") | .fit' "$T/p.json"
	assert_output '{"type":"bigint","check":"\"small\" >= 0"}'
	# a clean table: exit 0, nothing rejected or changed
	run -0 "$BIN/row-convert" -q --profile "$D/types.rs"
	run -0 jq -c '[.rows, .rows_rejected, .rows_changed, ([.columns[].classes | length] | add)]' <<<"$output"
	assert_output '[11,0,0,0]'
}

@test "--profile fit: unsigned integers that fit the signed type of their width, and not beyond" {
	my_sql "CREATE TABLE fits (id bigint unsigned PRIMARY KEY, iu int unsigned, su smallint unsigned,
			mu mediumint unsigned, s int)" \
		"INSERT INTO fits VALUES (1, 0, 0, 0, -5), (9223372036854775807, 2147483647, 32767, 16777215, 5)"
	extract fits >"$T/fits.rs"
	run -0 "$BIN/row-convert" -q --profile "$T/fits.rs"
	printf '%s\n' "$output" >"$T/p.json"
	run -0 jq -c '[.columns[] | [.name, .pg_type, .fit]]' "$T/p.json"
	assert_output '[["id","numeric(20,0)",{"type":"bigint","check":"\"id\" >= 0"}],["iu","bigint",{"type":"integer","check":"\"iu\" >= 0"}],["su","integer",{"type":"smallint","check":"\"su\" >= 0"}],["mu","integer",null],["s","integer",null]]'
	# one value beyond each signed type: no fit
	my_sql "INSERT INTO fits VALUES (9223372036854775808, 2147483648, 32768, 1, 1)"
	extract fits >"$T/fits2.rs"
	run -0 "$BIN/row-convert" -q --profile "$T/fits2.rs"
	run -0 jq -c '[.columns[] | .fit] | unique' <<<"$output"
	assert_output '[null]'
	# applying the fit by hand: --cast id=bigint converts exactly and rejects what is beyond
	run -1 "$BIN/row-convert" -q --profile --cast id=bigint "$T/fits2.rs"
	assert_equal "$(class_of <(printf '%s\n' "$output") id out-of-range)" \
		'["reject",1,1,["9223372036854775808"]]'
	run -1 convert_to "$T/out.rs" --cast id=bigint --rejects "$T/rej.rs" "$T/fits2.rs"
	assert_output --partial "3 rows in, 2 out, 1 rejected"
	run -0 "$BIN/row-cat" "$T/out.rs"
	assert_line --index 2 --partial "9223372036854775807,2147483647"
	run -0 "$BIN/row-cat" "$T/rej.rs"
	assert_line --index 1 --partial "row-convert,9223372036854775808,id,value out of range for bigint"
	# my-schema takes the same cast
	run -0 "$BIN/my-schema" -q -S "$MYSQL_UNIX_PORT" -u "${MYSQL_USER:-root}" --section pre-data \
		--include fits --cast fits.id=bigint "$MYDB"
	assert_output --regexp '"?id"? bigint NOT NULL'
}

@test "--profile: a table without key gives row numbers; min/max per type; usage and stream errors" {
	my_sql "SET SESSION sql_mode = 'ALLOW_INVALID_DATES'" \
		"CREATE TABLE nokey (d date, tm time, m decimal(6,2), f double, dt datetime(3))" \
		"INSERT INTO nokey VALUES ('2024-05-01', '-10:00:00', -2.50, 1e10, '2024-01-01 00:00:00.5'),
			('0000-00-00', '100:00:00', 10.00, -0.5, NULL), ('2023-01-01', '09:00:00', 9.99, 2, NULL),
			('2024-05-00', NULL, NULL, NULL, '2025-01-01 00:00:00')"
	extract nokey >"$T/nokey.rs"
	run -1 "$BIN/row-convert" -q --profile "$T/nokey.rs"
	printf '%s\n' "$output" >"$T/p.json"
	assert_equal "$(class_of "$T/p.json" d zero-date)" '["reject",2,2,["#2","#4"]]'
	run -0 jq -c '[.columns[] | [.name, .nulls, .min, .max]]' "$T/p.json"
	assert_output '[["d",0,"2023-01-01","2024-05-01"],["tm",1,"-10:00:00","100:00:00"],["m",1,"-2.50","10.00"],["f",1,"-0.5","10000000000"],["dt",2,"2024-01-01 00:00:00.500","2025-01-01 00:00:00.000"]]'
	# what a run does with the same stream
	run -1 convert_to "$T/out.rs" --rejects "$T/rej.rs" "$T/nokey.rs"
	assert_output --partial "4 rows in, 2 out, 2 rejected"
	# options about the written stream or rejects file do not go with --profile
	run -2 "$BIN/row-convert" --profile --rejects "$T/r.rs" "$T/nokey.rs"
	assert_output --partial "--profile writes no stream"
	run -2 "$BIN/row-convert" --profile --zstd "$T/nokey.rs"
	run -2 "$BIN/row-convert" --profile --policy zero-date=strip "$T/nokey.rs"
	# an invalid stream: exit 3, no JSON
	head -c 300 "$T/nokey.rs" >"$T/cut.rs"
	run -3 --separate-stderr "$BIN/row-convert" --profile "$T/cut.rs"
	assert_equal "$output" ""
}

@test "--profile: large (chunked) values are counted as the run rejects or changes them" {
	my_sql "CREATE TABLE bigprof (id int PRIMARY KEY, t longtext, b longblob, j json)" \
		"INSERT INTO bigprof VALUES
			(1, CONCAT(REPEAT('a', 2 * 1024 * 1024), CHAR(0), 'z'), REPEAT(x'00ff', 1024 * 1024), '[]'),
			(2, 'short', x'00', CONCAT('[', REPEAT('1, ', 1024 * 1024), '\"\\\\u0000\"]')),
			(3, REPEAT('b', 2 * 1024 * 1024), REPEAT(x'01', 3 * 1024 * 1024), CONCAT('[', REPEAT('2, ', 1024 * 1024), '3]'))"
	extract bigprof >"$T/big.rs"
	run -1 "$BIN/row-convert" -q --profile "$T/big.rs"
	printf '%s\n' "$output" >"$T/p.json"
	run -1 convert_to "$T/out.rs" --rejects "$T/rej.rs" "$T/big.rs"
	assert_output --partial "3 rows in, 1 out, 2 rejected"
	run -0 diff <(profile_rejects_by_column "$T/p.json" | sort) <(rejects_by_column "$T/rej.rs" | sort)
	assert_equal "$(class_of "$T/p.json" t nul-in-text)" '["reject",1,1,["1"]]'
	assert_equal "$(class_of "$T/p.json" j invalid-json)" '["reject",1,1,["2"]]'
	run -1 "$BIN/row-convert" -q --profile --policy nul-in-text=strip "$T/big.rs"
	run -0 jq -c '[.rows_rejected, .rows_changed, (.columns[] | select(.name == "t") | .classes)]' <<<"$output"
	assert_output '[1,1,{"nul-in-text":{"action":"strip","values":1,"rows":1,"examples":["1"]}}]'
	run -1 convert_to "$T/out2.rs" --policy nul-in-text=strip --rejects "$T/rej2.rs" "$T/big.rs"
	assert_output --partial "3 rows in, 2 out, 1 rejected; changed by policy: nul-in-text 1"
}

@test "--profile names refusals no policy covers: TIME beyond 24 hours, a value that is no enum label" {
	my_sql "CREATE TABLE times (id int PRIMARY KEY, tm time)" \
		"INSERT INTO times VALUES (1, '-10:00:00'), (2, '23:59:59'), (3, '100:00:00')"
	extract times >"$T/times.rs"
	run -1 "$BIN/row-convert" -q --profile --cast tm=time "$T/times.rs"
	assert_equal "$(class_of <(printf '%s\n' "$output") tm time-out-of-range)" '["reject",2,2,["1","3"]]'
	run -1 convert_to "$T/out.rs" --cast tm=time --rejects "$T/rej.rs" "$T/times.rs"
	assert_output --partial "3 rows in, 1 out, 2 rejected"
	# interval (the default) holds them all
	run -0 "$BIN/row-convert" -q --profile "$T/times.rs"
	printf 'cast c_enum tiny\nenum tiny '"'"'small'"'"'\n' >"$T/rules"
	run -1 "$BIN/row-convert" -q --profile --rules "$T/rules" "$D/types.rs"
	run -0 jq -c '[.rows_rejected, (.columns[] | select(.name == "c_enum") | .classes["not-enum-member"] |
		.action, .rows)]' <<<"$output"
	assert_output '[3,"reject",3]'
}

@test "a JSON object with a key twice is rejected into jsonb; keep-last (jsonb) or keep-first (MariaDB) is counted" {
	need_compare
	my_sql "CREATE TABLE jdup (id int PRIMARY KEY, j json, lt longtext)" \
		"INSERT INTO jdup VALUES (1, '{\"a\": 1, \"a\": 2}', '{\"o\": {\"k\": \"x\", \"k\": \"y\"}}'),
			(2, '{\"a\": 1}', '[]')"
	# what the application sees today: MariaDB answers with the first of the two
	assert_equal "$(my_sql "SELECT JSON_EXTRACT(j, '\$.a') FROM jdup WHERE id = 1")" 1
	extract jdup >"$T/jdup.rs"
	run -1 convert_to "$T/out.rs" --cast lt=jsonb --rejects "$T/rej.rs" <"$T/jdup.rs"
	assert_output --partial "2 rows in, 1 out, 1 rejected"
	run -0 "$BIN/row-cat" "$T/rej.rs"
	assert_line --index 1 --partial "row-convert,1,j,json object has a duplicate key (policy json-duplicate-key=keep-last"
	# only the longtext cast to jsonb: rejected as well
	run -1 convert_to "$T/out.rs" --cast j=json --cast lt=jsonb --rejects "$T/rej2.rs" \
		--policy json-duplicate-key=reject <"$T/jdup.rs"
	run -0 "$BIN/row-cat" "$T/rej2.rs"
	assert_line --index 1 --partial "row-convert,1,lt,json object has a duplicate key"
	# keep-last: what jsonb itself keeps, byte for byte
	run -0 convert_to "$T/last.rs" --cast lt=jsonb --policy json-duplicate-key=keep-last <"$T/jdup.rs"
	assert_output --partial "2 rows in, 2 out, 0 rejected; changed by policy: json-duplicate-key 2"
	pg_sql "CREATE TABLE jdup_last AS SELECT 1 AS id, '{\"a\": 1, \"a\": 2}'::jsonb AS j,
			'{\"o\": {\"k\": \"x\", \"k\": \"y\"}}'::jsonb AS lt UNION ALL SELECT 2, '{\"a\": 1}', '[]'"
	pg_copy "SELECT * FROM jdup_last ORDER BY id" "$T/last.copy"
	run -0 "$COMPARE" "$T/last.rs" "$T/last.copy"
	refute_output --partial "not ok"
	# keep-first: MariaDB's answer
	run -0 convert_to "$T/first.rs" --cast lt=jsonb --policy json-duplicate-key=keep-first <"$T/jdup.rs"
	assert_output --partial "changed by policy: json-duplicate-key 2"
	run -0 "$BIN/row-cat" --no-header "$T/first.rs"
	assert_line --index 0 '1,"{""a"": 1}","{""o"": {""k"": ""x""}}"'
	# a json (not jsonb) target keeps the text as it is: nothing to decide
	run -0 convert_to "$T/json.rs" --cast j=json <"$T/jdup.rs"
	assert_output --partial "2 rows in, 2 out, 0 rejected"
}

# closed_pipe CMD...: run CMD with its stdout into a reader that goes away after 100 bytes;
# prints CMD's exit status and its stderr
closed_pipe() {
	"$@" 2>"$T/closed.err" | head -c 100 >/dev/null
	echo "status ${PIPESTATUS[0]}"
	cat "$T/closed.err"
}

@test "a reader that goes away ends row-convert with status 6 and no message" {
	my_sql "CREATE TABLE piped (id int PRIMARY KEY, t varchar(60))" \
		"INSERT INTO piped SELECT seq, REPEAT('x', 50) FROM seq_1_to_20000"
	extract piped >"$T/piped.rs"
	run -0 closed_pipe "$BIN/row-convert" -q "$T/piped.rs"
	assert_output "status 6"
}
