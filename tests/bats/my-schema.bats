#!/usr/bin/env bats
# my-schema: MariaDB catalogs as PostgreSQL DDL, applied to a real PostgreSQL 15.
#
# Golden files: tests/schema/features.expected.sql and .report (the database name is replaced
# by DB). Regenerate them with: MY_SCHEMA_REGEN=1 tests/run my-schema

load helpers

setup_file() { servers_start; }
teardown_file() { servers_stop; }

setup() {
	fresh_dbs
	T=$BATS_TEST_TMPDIR
	SCHEMA_DIR=$REPO_ROOT/tests/schema
}

schema() { "$BIN/my-schema" "$@"; }

load_features() {
	my_sql <"$SCHEMA_DIR/features.sql"
}

# apply FILE to the test's PostgreSQL database, stopping at the first error
apply() {
	psql -X -q -v ON_ERROR_STOP=1 -d "$PGDB" -f "$1" >/dev/null
}

# my-schema ARGS... > FILE (stderr to FILE.err), then apply FILE
schema_apply() {
	local file=$1
	shift
	"$BIN/my-schema" "$@" >"$file" 2>"$file.err" && apply "$file"
}

# replace the random database name by DB
normalize() {
	sed "s/$MYDB/DB/g" "$1"
}

golden() {
	local got=$1 want=$2
	if [ -n "${MY_SCHEMA_REGEN:-}" ]; then
		normalize "$got" >"$want"
	fi
	normalize "$got" >"$got.norm"
	diff -u "$want" "$got.norm"
}

@test "--help shows the usage; bad options and arguments are usage errors" {
	run -0 schema --help
	assert_output --partial "usage: my-schema"
	assert_output --partial "--section pre-data | post-data | all"
	# the full help, as every tool's --help
	assert_line "See my-schema(1)."
	run -2 schema
	assert_output --partial "no database given"
	run -2 schema --section middle "$MYDB"
	assert_output --partial "invalid --section"
	run -2 schema --identifiers upper "$MYDB"
	run -2 schema --rules /nonexistent/rules "$MYDB"
	run -2 schema --cast nocolumntype "$MYDB"
	run -2 schema "$MYDB" extra
}

@test "--print-schema prints the schema a database gets, without connecting" {
	# no server at that socket: nothing is asked of one
	run -0 "$BIN/my-schema" -S /nonexistent/sock --print-schema Shop
	assert_output shop
	run -0 "$BIN/my-schema" -S /nonexistent/sock --print-schema pg_shop
	assert_output my_pg_shop
	run -0 "$BIN/my-schema" -S /nonexistent/sock --print-schema ROWSTREAM
	assert_output my_rowstream
	run -0 "$BIN/my-schema" -S /nonexistent/sock --identifiers preserve --print-schema Shop
	assert_output Shop
	run -0 "$BIN/my-schema" -S /nonexistent/sock --schema other --print-schema pg_shop
	assert_output other
	run -2 "$BIN/my-schema" --schema pg_other --print-schema shop
	run -0 "$BIN/my-schema" --help
	# the usage form, wrapped at 80 columns (tests/bats/usage.bats compares it with the SYNOPSIS)
	assert_output --partial "my-schema [--schema name] [--identifiers lower | preserve] --print-schema"
}

@test "an unknown database is a source error" {
	run -4 schema no_such_database_here
	assert_output --partial "Unknown database 'no_such_database_here'"
}

@test "features: DDL and report equal the golden files" {
	load_features
	schema --schema feat --report="$T/report" "$MYDB" >"$T/ddl.sql"
	golden "$T/ddl.sql" "$SCHEMA_DIR/features.expected.sql"
	golden "$T/report" "$SCHEMA_DIR/features.expected.report"
}

@test "features: pre-data then post-data apply to PostgreSQL 15" {
	load_features
	schema_apply "$T/pre.sql" --schema feat --section pre-data "$MYDB"
	run -0 pg_sql "SELECT count(*) FROM pg_tables WHERE schemaname = 'feat'"
	assert_output 11
	# nothing of post-data yet
	run -0 pg_sql "SELECT count(*) FROM pg_indexes WHERE schemaname = 'feat'"
	assert_output 0
	schema_apply "$T/post.sql" --schema feat --section post-data "$MYDB"
	run -0 pg_sql "SELECT count(*) FROM pg_constraint WHERE connamespace = 'feat'::regnamespace AND contype = 'f'"
	assert_output 4
	run -0 pg_sql "SELECT count(*) FROM pg_views WHERE schemaname = 'feat'"
	assert_output 2
	# the sections together are the default output
	schema --schema feat "$MYDB" >"$T/all.sql" 2>/dev/null
	cat "$T/pre.sql" "$T/post.sql" | cmp - "$T/all.sql"
}

@test "column types, NOT NULL, defaults and comments in PostgreSQL" {
	load_features
	schema_apply "$T/all.sql" --schema feat "$MYDB"
	run -0 pg_sql "SELECT format_type(atttypid, atttypmod) || ' ' || attnotnull FROM pg_attribute
		WHERE attrelid = 'feat.all_types'::regclass AND attname IN ('c_ubigint', 'c_bit1', 'c_bit12', 'c_set',
		'c_json', 'c_datetime', 'c_time', 'c_uuid', 'c_point', 'c_char') ORDER BY attnum"
	assert_output "$(printf '%s\n' 'numeric(20,0) false' 'timestamp(6) with time zone false' 'interval false' \
		'boolean false' 'bit(12) false' 'text[] false' 'character(10) false' 'jsonb false' 'bytea true' 'uuid false')"
	# defaults take effect
	pg_sql "INSERT INTO feat.all_types (c_point) VALUES ('\\x00')"
	run -0 pg_sql "SELECT c_tinyint, c_bool, c_bit12, c_enum, c_set, c_varchar, c_datetime, c_time, c_expr_def,
		c_today = CURRENT_DATE, c_uuid IS NOT NULL, c_date_zero IS NULL FROM feat.all_types"
	assert_output "$(printf '%s' '-5|t|000000000101|b'"'"'c|{x,z}|tab	here\|2024-01-02 03:04:05.123456+00|' \
		'-838:59:59|3|t|t|t')"
	run -0 pg_sql "SELECT obj_description('feat.rooms'::regclass, 'pg_class'),
		col_description('feat.rooms'::regclass, 2)"
	assert_output "hotel rooms|door number, e.g. 101A"
}

@test "identity starts at MySQL's AUTO_INCREMENT" {
	load_features
	schema_apply "$T/all.sql" --schema feat "$MYDB"
	for t in rooms guests minibar_items stock_movements; do
		want=$(my_sql "SELECT AUTO_INCREMENT FROM information_schema.TABLES
			WHERE TABLE_SCHEMA = '$MYDB' AND TABLE_NAME = '$t'")
		col=$(pg_sql "SELECT attname FROM pg_attribute WHERE attrelid = 'feat.$t'::regclass AND attidentity = 'd'")
		run -0 pg_sql "SELECT seqstart FROM pg_sequence
			WHERE seqrelid = pg_get_serial_sequence('feat.$t', '$col')::regclass"
		assert_output "$want"
	done
	run -0 pg_sql "INSERT INTO feat.rooms (number) VALUES ('x') RETURNING room_id"
	assert_output 120
}

@test "ON UPDATE CURRENT_TIMESTAMP: the trigger updates the column in PostgreSQL" {
	load_features
	schema_apply "$T/all.sql" --schema feat "$MYDB"
	pg_sql "INSERT INTO feat.rooms (number, updated_at) VALUES ('201', '2000-01-01 00:00:00+00')"
	# a change of another column sets it
	pg_sql "UPDATE feat.rooms SET rate = 100 WHERE number = '201'"
	run -0 pg_sql "SELECT updated_at > now() - interval '1 hour' FROM feat.rooms WHERE number = '201'"
	assert_output t
	# a value given by the statement is kept
	pg_sql "UPDATE feat.rooms SET rate = 101, updated_at = '2001-01-01 00:00:00+00' WHERE number = '201'"
	run -0 pg_sql "SELECT updated_at FROM feat.rooms WHERE number = '201'"
	assert_output "2001-01-01 00:00:00+00"
	# an update that changes nothing changes nothing (as in MySQL)
	pg_sql "UPDATE feat.rooms SET rate = 101 WHERE number = '201'"
	run -0 pg_sql "SELECT updated_at FROM feat.rooms WHERE number = '201'"
	assert_output "2001-01-01 00:00:00+00"
	# a nullable DATETIME(3) with ON UPDATE only
	pg_sql "INSERT INTO feat.guests (first_name, last_name) VALUES ('a', 'b')"
	run -0 pg_sql "SELECT updated_at IS NULL FROM feat.guests"
	assert_output t
	pg_sql "UPDATE feat.guests SET visits = 1"
	run -0 pg_sql "SELECT updated_at IS NOT NULL FROM feat.guests"
	assert_output t
}

@test "foreign keys keep their ON DELETE / ON UPDATE rules in pg_constraint" {
	load_features
	schema_apply "$T/all.sql" --schema feat "$MYDB"
	run -0 pg_sql "SELECT conname || ' ' || confupdtype::text || confdeltype::text || ' ' || confrelid::regclass
		FROM pg_constraint WHERE contype = 'f' AND connamespace = 'feat'::regnamespace ORDER BY conname"
	assert_output "$(printf '%s\n' 'fk_lines_order rc feat."order"' 'fk_moves_guest rn feat.guests' \
		'fk_moves_item rr feat.minibar_items' 'fk_moves_room cc feat.rooms')"
	# and they work: cascade
	pg_sql "INSERT INTO feat.rooms (room_id, number) VALUES (1, '1')" \
		"INSERT INTO feat.minibar_items (item_id, sku, name, price) VALUES (1, 'S', 'n', 1)" \
		"INSERT INTO feat.stock_movements (room_id, item_id, qty, reason) VALUES (1, 1, 1, 'restock')" \
		"UPDATE feat.rooms SET room_id = 2"
	run -0 pg_sql "SELECT room_id FROM feat.stock_movements"
	assert_output 2
	run -1 pg_sql "DELETE FROM feat.minibar_items"
	assert_output --partial "violates foreign key constraint"
}

@test "checks, ENUM domains and generated columns work in PostgreSQL" {
	load_features
	schema_apply "$T/all.sql" --schema feat "$MYDB"
	run -1 pg_sql "INSERT INTO feat.rooms (number, status) VALUES ('1', 'bogus')"
	assert_output --partial "rooms_status_check"
	run -1 pg_sql "INSERT INTO feat.rooms (number, rate) VALUES ('1', -1)"
	assert_output --partial "chk_rooms_rate"
	run -1 pg_sql "INSERT INTO feat.all_types (c_point, c_set) VALUES ('\\x00', '{x,w}')"
	assert_output --partial "all_types_c_set_check"
	pg_sql "INSERT INTO feat.minibar_items (sku, name, price, vat_rate) VALUES ('A', 'a', 10, 0.18)"
	run -0 pg_sql "SELECT price_gross, price_cents FROM feat.minibar_items"
	assert_output "11.80|1000"
	pg_sql "INSERT INTO feat.guests (first_name, last_name) VALUES ('Ada', 'Lovelace')"
	run -0 pg_sql "SELECT full_name FROM feat.guests"
	assert_output "Ada Lovelace"
	# the view converted from MySQL reads the tables
	pg_sql "INSERT INTO feat.rooms (number, has_minibar) VALUES ('7', 1::boolean), ('8', false)"
	run -0 pg_sql "SELECT number FROM feat.free_rooms"
	assert_output 7
}

@test "the report lists the view, trigger, routines and event not converted" {
	load_features
	run -0 --separate-stderr schema --report "$MYDB"
	# stdout is the DDL only
	refute_output --partial "NOT CONVERTED"
	run -0 schema --report=- -q "$MYDB"
	assert_line --partial "NOT CONVERTED  view guest_labels: function date_format() has no PostgreSQL translation"
	assert_line "    select \`$MYDB\`.\`guests\`.\`guest_id\` AS \`guest_id\`,date_format(\`$MYDB\`.\`guests\`.\`birth_date\`,'%d.%m.%Y') AS \`born\`,lpad(\`$MYDB\`.\`guests\`.\`guest_id\`,8,'0') AS \`code\` from \`$MYDB\`.\`guests\`"
	assert_line "NOT CONVERTED  trigger trg_moves_visits (AFTER INSERT ON stock_movements FOR EACH ROW): triggers are not converted"
	assert_line "    UPDATE guests SET visits = visits + 1 WHERE guest_id = NEW.guest_id"
	assert_line --partial "NOT CONVERTED  procedure restock_room:"
	assert_line --partial "NOT CONVERTED  function room_label:"
	assert_line --partial "NOT CONVERTED  event purge_audit"
	assert_line --partial "NOT CONVERTED  index all_types.sp_point: SPATIAL index"
	assert_line --partial "APPROXIMATE    index guests.idx_guests_name: prefix key part"
	assert_line --partial "APPROXIMATE    index guests.ft_guests_note: FULLTEXT index"
	assert_line --partial "APPROXIMATE    table readings: partitioned by RANGE"
	assert_line --partial "NOT CONVERTED  generated column all_types.c_untrans"
	# without --report: one warning per object on stderr
	run -0 --separate-stderr schema "$MYDB"
	[[ "$stderr" == *"warning: view guest_labels not converted: function date_format()"* ]]
	[[ "$stderr" == *"warning: trigger trg_moves_visits"* ]]
	# -q: silent
	run -0 --separate-stderr schema -q "$MYDB"
	[ -z "$stderr" ]
	# --strict: status 1
	run -1 schema -q --strict "$MYDB"
}

@test "the data of the features schema loads between pre-data and post-data" {
	for t in my-extract row-convert pg-load; do
		[ -x "$BIN/$t" ] || skip "$t not built"
	done
	load_features
	my_sql <"$SCHEMA_DIR/features-data.sql"
	schema_apply "$T/pre.sql" --schema feat --section pre-data "$MYDB"
	# every table; `Order` (lowercased: order) has 64-byte column names that PostgreSQL gets
	# shortened, and pg-load finds them by the same shortening
	tables=(all_types audit_log guests minibar_items Mixed mixed readings rooms stock_movements Order order_lines)
	for t in "${tables[@]}"; do
		pgt=$t
		[ "$t" = Order ] && pgt=order
		"$BIN/my-extract" -q "$MYDB.$t" | "$BIN/row-convert" -q | "$BIN/pg-load" -q -d "dbname=$PGDB" "feat.\"$pgt\""
	done
	schema_apply "$T/post.sql" --schema feat --section post-data "$MYDB"
	for t in "${tables[@]}"; do
		pgt=$t
		[ "$t" = Order ] && pgt=order
		want=$(my_sql "SELECT count(*) FROM \`$t\`")
		run -0 pg_sql "SELECT count(*) FROM feat.\"$pgt\""
		assert_output "$want"
	done
	# foreign keys valid, setval done (max + 1 above the counter: 151 for rooms, 7001 for guests)
	run -0 pg_sql "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND convalidated
		AND connamespace = 'feat'::regnamespace"
	assert_output 4
	run -0 pg_sql "INSERT INTO feat.rooms (number) VALUES ('new') RETURNING room_id"
	assert_output 151
	run -0 pg_sql "INSERT INTO feat.guests (first_name, last_name) VALUES ('n', 'n') RETURNING guest_id"
	assert_output 7001
	run -0 pg_sql "INSERT INTO feat.stock_movements (room_id, item_id, qty, reason)
		VALUES (101, 1, 1, 'restock') RETURNING movement_id"
	assert_output 1000001
	# generated columns computed by PostgreSQL equal MySQL's
	run -0 pg_sql "SELECT string_agg(full_name, ',' ORDER BY guest_id) FROM feat.guests WHERE guest_id < 7001"
	assert_output "$(my_sql "SELECT group_concat(full_name ORDER BY guest_id) FROM guests")"
	run -0 pg_sql "SELECT string_agg(price_gross::text || '/' || price_cents, ',' ORDER BY item_id)
		FROM feat.minibar_items"
	assert_output "$(my_sql "SELECT group_concat(concat(price_gross, '/', price_cents) ORDER BY item_id)
		FROM minibar_items")"
}

@test "--identifiers preserve quotes every name as it is" {
	load_features
	schema_apply "$T/all.sql" --identifiers preserve "$MYDB"
	grep -q "CREATE TABLE \"$MYDB\".\"Order\" (" "$T/all.sql"
	run -0 pg_sql "SELECT attname FROM pg_attribute WHERE attrelid = '\"$MYDB\".\"Order\"'::regclass
		AND attnum BETWEEN 1 AND 3 ORDER BY attnum"
	assert_output "$(printf '%s\n' ID select 'Group Name')"
	run -0 pg_sql "SELECT count(*) FROM pg_tables WHERE schemaname = '$MYDB'"
	assert_output 11
}

@test "lower-casing: reserved words quoted, case collisions kept, long names shortened" {
	load_features
	schema_apply "$T/all.sql" --schema feat "$MYDB"
	run -0 pg_sql "SELECT string_agg(tablename, ',' ORDER BY tablename COLLATE \"C\") FROM pg_tables
		WHERE schemaname = 'feat' AND tablename ILIKE '%i%x%'"
	assert_output "Mixed,mixed"
	run -0 pg_sql "SELECT attname, length(attname) FROM pg_attribute WHERE attrelid = 'feat.\"order\"'::regclass
		AND attname LIKE 'a_column%' ORDER BY attname"
	assert_output "$(printf '%s\n' 'a_column_name_that_is_exactly_sixty_four_characters_lo_1f5fc28e|63' \
		'a_column_name_that_is_exactly_sixty_four_characters_lo_a58f9350|63')"
	grep -q '"select" character varying(10)' "$T/all.sql"
	grep -q '"group name" character varying(20)' "$T/all.sql"
}

@test "--include and --exclude select tables; references to the others are reported" {
	load_features
	schema_apply "$T/part.sql" --schema feat --include 'stock*' --include 'r*' --exclude readings \
		--report="$T/report" "$MYDB"
	run -0 pg_sql "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'feat'"
	assert_output "rooms,stock_movements"
	run -0 cat "$T/report"
	assert_line "NOT CONVERTED  foreign key stock_movements.fk_moves_guest: references table guests, which is not converted"
	assert_line "NOT CONVERTED  view room_stock: reads minibar_items, which is not converted"
	refute_line --partial "readings"
	# the trigger of an included table is still reported
	assert_line --partial "trigger trg_moves_visits"
	run -0 pg_sql "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND connamespace = 'feat'::regnamespace"
	assert_output 1
}

@test "--schema names the target schema; the default is the database name" {
	load_features
	run -0 schema -q --section pre-data "$MYDB"
	assert_line "CREATE SCHEMA IF NOT EXISTS $MYDB;"
	run -0 schema -q --section pre-data --schema 'Hotel Data' "$MYDB"
	assert_line 'CREATE SCHEMA IF NOT EXISTS "Hotel Data";'
}

@test "rules: a cast to a PostgreSQL enum type, with and without declared labels" {
	load_features
	cat >"$T/rules" <<-'EOF'
		# per table and global casts
		cast rooms.status room_status
		enum reason_type 'restock' 'consumed' 'expired' 'damaged' 'stolen'
		cast reason reason_type
		cast has_minibar smallint
	EOF
	schema_apply "$T/all.sql" --schema feat --rules "$T/rules" "$MYDB"
	grep -q "^CREATE TYPE feat.room_status AS ENUM ('free', 'occupied', 'cleaning', 'out of order');" "$T/all.sql"
	run -0 pg_sql "SELECT format_type(atttypid, atttypmod) FROM pg_attribute
		WHERE attrelid = 'feat.rooms'::regclass AND attname IN ('status', 'has_minibar') ORDER BY attnum"
	assert_output "$(printf '%s\n' feat.room_status smallint)"
	run -0 pg_sql "SELECT enum_range(NULL::feat.reason_type)"
	assert_output "{restock,consumed,expired,damaged,stolen}"
	# no text CHECK for a column that is an enum now
	run -1 grep -q "rooms_status_check" "$T/all.sql"
	# --cast overrides; a type that does not fit is a usage error before anything is written
	run -0 schema -q --section pre-data --cast 'rooms.floor=integer' "$MYDB"
	assert_line "    floor integer DEFAULT 1 NOT NULL,"
}

@test "a column type without a mapping fails its table (status 1), the others are written" {
	my_sql "CREATE TABLE ok_t (id INT PRIMARY KEY)" \
		"CREATE TABLE bad_t (id INT PRIMARY KEY, d DATE)"
	run -1 --separate-stderr schema --schema s --cast 'bad_t.d=inet' "$MYDB"
	assert_output --partial "CREATE TABLE s.ok_t ("
	refute_output --partial "bad_t"
	[[ "$stderr" == *"cannot convert MySQL date to inet"* ]]
	# cast it to what fits and it converts
	run -0 --separate-stderr schema --schema s --cast 'bad_t.d=text' "$MYDB"
	assert_output --partial "CREATE TABLE s.bad_t ("
	# the reason is said once, in the table's report line (the type map returns it, my-schema
	# reports it); a view over the column says nothing of it
	my_sql "CREATE TABLE bad_d (id INT PRIMARY KEY, d DATE)" "CREATE VIEW bad_v AS SELECT d FROM bad_d"
	run -1 --separate-stderr schema --schema s --cast 'bad_t.d=text' --cast 'bad_d.d=inet' "$MYDB"
	[[ $stderr == *"table bad_d not converted: column d: cannot convert MySQL date to inet"* ]]
	[ "$(grep -c 'cannot convert' <<<"$stderr")" -eq 1 ]
}

@test "defaults, checks and views: MySQL expressions translated or reported" {
	my_sql "CREATE TABLE t (
		id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
		a INT NOT NULL DEFAULT 0, b INT,
		flag TINYINT(1) NOT NULL DEFAULT 0,
		d DATE DEFAULT (CURRENT_DATE + INTERVAL 1 DAY),
		ts DATETIME DEFAULT '2024-01-01 00:00:00',
		ratio DECIMAL(10,4) AS (a / b) STORED,
		label VARCHAR(30) AS (IF(flag, 'on', CONCAT('off-', a))) VIRTUAL,
		CONSTRAINT chk_ab CHECK (a <= IFNULL(b, a) AND flag IN (0, 1)),
		CONSTRAINT chk_re CHECK (CAST(a AS CHAR) REGEXP '^[0-9]+$')
	) AUTO_INCREMENT = 42" \
		"CREATE VIEW v AS SELECT id, a DIV 2 AS half, CASE WHEN flag THEN 'y' ELSE 'n' END AS yn FROM t WHERE b IS NOT NULL" \
		"CREATE VIEW vv AS SELECT half FROM v ORDER BY half LIMIT 3"
	printf '%s\n' 'timezone Europe/Istanbul' >"$T/rules"
	schema_apply "$T/all.sql" --schema s --rules "$T/rules" --report="$T/report" "$MYDB"
	run -0 cat "$T/all.sql"
	assert_line "    id numeric(20,0) DEFAULT nextval('s.t_id_seq'::regclass) NOT NULL,"
	assert_line "    ts timestamp(0) with time zone DEFAULT '2024-01-01 00:00:00 Europe/Istanbul',"
	assert_line "    ratio numeric(10,4) GENERATED ALWAYS AS (a::numeric / nullif(b, 0)) STORED,"
	assert_line "    label character varying(30) GENERATED ALWAYS AS (CASE WHEN flag THEN 'on' ELSE 'off-' || a::text END) STORED,"
	assert_line "    CONSTRAINT chk_ab CHECK (a <= coalesce(b, a) AND flag IN (false, true))"
	run -0 cat "$T/report"
	assert_line --partial "NOT CONVERTED  check constraint t.chk_re: regexp has no PostgreSQL translation"
	assert_line --partial "APPROXIMATE    column t.id: AUTO_INCREMENT on numeric(20,0): a bigint sequence"
	# in PostgreSQL as in MariaDB: the division, the CASE and the concatenation; division by
	# zero is NULL (MariaDB's non-strict result: strict mode refuses such rows)
	pg_sql "INSERT INTO s.t (a, b) VALUES (0, 0), (6, 8), (7, NULL)"
	my_sql "SET sql_mode = ''" "INSERT INTO t (a, b) VALUES (0, 0), (6, 8), (7, NULL)"
	run -0 pg_sql "SELECT id, coalesce(ratio::text, 'NULL'), label, d = CURRENT_DATE + 1, ts FROM s.t ORDER BY id"
	assert_output "$(printf '%s\n' '42|NULL|off-0|t|2023-12-31 21:00:00+00' '43|0.7500|off-6|t|2023-12-31 21:00:00+00' \
		'44|NULL|off-7|t|2023-12-31 21:00:00+00')"
	run -0 my_sql "SELECT id, ratio, label FROM t ORDER BY id"
	assert_output "$(printf '%s\n' '42	NULL	off-0' '43	0.7500	off-6' '44	NULL	off-7')"
	run -0 pg_sql "SELECT half, yn FROM s.v ORDER BY id" "SELECT count(*) FROM s.vv"
	assert_output "$(printf '%s\n' '0|n' '3|n' 2)"
}

@test "names: exactly PostgreSQL's non-unreserved keywords are quoted (as quote_ident does)" {
	mapfile -t words < <(pg_sql "SELECT word FROM pg_get_keywords() ORDER BY word")
	[ "${#words[@]}" -gt 400 ]
	cols=$(printf '`%s` TINYINT,' "${words[@]}")
	my_sql "CREATE TABLE kw (${cols%,})"
	schema -q --section pre-data --schema s "$MYDB" >"$T/kw.sql"
	# every column line as PostgreSQL's quote_ident() writes the name
	pg_sql "SELECT '    ' || quote_ident(word) || ' smallint' FROM pg_get_keywords() ORDER BY word" >"$T/want"
	grep '^    .* smallint,\?$' "$T/kw.sql" | sed 's/,$//' >"$T/got"
	diff -u "$T/want" "$T/got"
	apply "$T/kw.sql"
}
