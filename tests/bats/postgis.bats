#!/usr/bin/env bats
# shellcheck disable=SC2154 # $stderr is set by bats' run --separate-stderr
# postgis: MySQL geometry into PostGIS geometry columns (row-convert casts to geometry,
# pg-load into geometry columns, my-schema --postgis), exact: the same text and SRID on both
# sides, and pg-extract's checksum equal to the converted source's.
# Skipped only when the server has no PostGIS extension files (scripts/install-deps installs them).

load helpers

setup_file() { servers_start; }
teardown_file() { servers_stop; }

setup() {
	fresh_dbs
	export PGDATABASE=$PGDB
	cd "$BATS_TEST_TMPDIR" || return 1
	if ! pg_sql "CREATE EXTENSION IF NOT EXISTS postgis" 2>/dev/null; then
		skip "the PostGIS extension is not installed on the server"
	fi
	my_sql "CREATE TABLE g (id int PRIMARY KEY, g geometry)" \
		"INSERT INTO g VALUES
		 (1, ST_GeomFromText('POINT(1 2)', 4326)),
		 (2, ST_GeomFromText('POINT(-0.5 1e300)')),
		 (3, ST_GeomFromText('LINESTRING(0 0,1 1,2 1)', 4326)),
		 (4, ST_GeomFromText('POLYGON((0 0,4 0,4 4,0 4,0 0),(1 1,2 1,2 2,1 1))')),
		 (5, ST_GeomFromText('MULTIPOLYGON(((0 0,1 0,1 1,0 0)),((5 5,6 5,6 6,5 5)))', 4326)),
		 (6, ST_GeomFromText('GEOMETRYCOLLECTION(POINT(1 1),LINESTRING(0 0,1 1),POLYGON((0 0,1 0,1 1,0 0)))', 4326)),
		 (7, ST_GeomFromText('GEOMETRYCOLLECTION EMPTY')),
		 (8, ST_GeomFromText('MULTIPOINT(1 1,2 2)', 3857)),
		 (9, NULL)"
}

# id|WKB (hex)|SRID of every row, on each side (WKT spellings differ: 1e300 and 1e+300)
my_geoms() { my_sql "SELECT concat_ws('|', id, lower(hex(ST_AsBinary(g))), ST_SRID(g)) FROM g ORDER BY id"; }
pg_geoms() { pg_sql "SELECT concat_ws('|', id, encode(ST_AsBinary(g, 'NDR'), 'hex'), ST_SRID(g)) FROM g ORDER BY id"; }

load_cast() { "$BIN/my-extract" -q "$MYDB.g" | "$BIN/row-convert" -q --cast g=geometry | "$BIN/pg-load" -q g; }
sum_pg() { "$BIN/pg-extract" -q g | "$BIN/row-checksum"; }
sum_my() { "$BIN/my-extract" -q "$MYDB.g" | "$BIN/row-convert" -q --rules rules | "$BIN/row-checksum"; }
load_rules_rejects() {
	set -o pipefail
	"$BIN/my-extract" -q "$MYDB.g" | "$BIN/row-convert" -q --rules rules --rejects rej.rs | "$BIN/pg-load" -q g
}
convert_only() { "$BIN/my-extract" -q "$MYDB.g" | "$BIN/row-convert" -q --cast "g=$1" >/dev/null; }
header() { "$BIN/my-extract" -q "$MYDB.g" | "$BIN/row-convert" -q --cast "g=$1" | "$BIN/row-cat" --header-only; }

@test "row-convert --cast g=geometry loads into PostGIS: same text and SRID, same checksum" {
	pg_sql "CREATE TABLE g (id int PRIMARY KEY, g geometry)"
	run -0 load_cast
	my=$(my_geoms)
	run -0 pg_geoms
	assert_output "$my"
	run -0 pg_sql "SELECT concat_ws('|', id, ST_AsText(g), ST_SRID(g)) FROM g WHERE id IN (1, 6, 7) ORDER BY id"
	assert_output $'1|POINT(1 2)|4326\n6|GEOMETRYCOLLECTION(POINT(1 1),LINESTRING(0 0,1 1),POLYGON((0 0,1 0,1 1,0 0)))|4326\n7|GEOMETRYCOLLECTION EMPTY|0'
	run -0 "$BIN/pg-load" --describe g
	assert_line 'cast "g" public.geometry'
	printf '%s\n' "$output" >rules
	run -0 sum_pg
	pg=$output
	run -0 sum_my
	assert_output "$pg"
	assert_output --partial 'rows 9 '
}

@test "the converted value is PostGIS's binary form (little-endian EWKB, SRID when not 0)" {
	my_sql "DELETE FROM g WHERE id <> 1" "INSERT INTO g VALUES (2, ST_GeomFromText('POINT(1 2)'))"
	pg_sql "CREATE TABLE g (id int PRIMARY KEY, g geometry)"
	run -0 load_cast
	want=$(pg_sql "SELECT string_agg(encode(ST_AsEWKB(g, 'NDR'), 'hex'), ',' ORDER BY id) FROM g")
	assert_equal "$want" "0101000020e6100000000000000000f03f0000000000000040,0101000000000000000000f03f0000000000000040"
	printf 'cast g geometry\n' >rules
	run -0 sum_pg
	pg=$output
	run -0 sum_my
	assert_output "$pg"
}

@test "a typmod column: SRID 0 takes the column's SRID, as PostGIS does; others are rejected" {
	pg_sql "CREATE TABLE g (id int PRIMARY KEY, g geometry(Geometry,4326))"
	"$BIN/pg-load" --describe g >rules
	run -0 grep -x 'cast "g" public.geometry(Geometry,4326)' rules
	run -1 --separate-stderr load_rules_rejects
	run -0 pg_sql "SELECT count(*), count(*) FILTER (WHERE ST_SRID(g) = 4326) FROM g"
	assert_output '8|7'
	run -0 pg_sql "SELECT ST_AsText(g) FROM g WHERE id = 7"
	assert_output 'GEOMETRYCOLLECTION EMPTY'
	run -0 "$BIN/row-cat" rej.rs
	assert_output --partial 'SRID does not match'
	run -0 pg_sql "SELECT count(*) FROM g WHERE id = 8"
	assert_output 0
}

@test "the header names the type as format_type() does, OID 0; bad geometry types are refused" {
	run -0 header 'geometry(point,4326)'
	assert_output --partial 'geometry(Point,4326)'
	run -0 header 'public.geometry(MultiPolygon)'
	assert_output --partial 'public.geometry(MultiPolygon)'
	run -0 header 'geometry(Geometry)'
	assert_output --partial 'type=geometry code=0'
	run -2 --separate-stderr convert_only 'geometry(PointZ,4326)'
	[[ $stderr == *'unsupported PostgreSQL type'* ]]
	run -2 --separate-stderr convert_only 'geometry(Point,1000000)'
}

@test "my-schema --postgis: geometry(Type,SRID) columns and GiST indexes; the data loads" {
	my_sql "CREATE TABLE s (id int PRIMARY KEY, p point REF_SYSTEM_ID=4326 NOT NULL, l linestring,
	        mp multipolygon, gc geometrycollection, SPATIAL INDEX sp (p))" \
		"INSERT INTO s VALUES (1, ST_GeomFromText('POINT(1 2)', 4326), ST_GeomFromText('LINESTRING(0 0,1 1)'),
		 ST_GeomFromText('MULTIPOLYGON(((0 0,1 0,1 1,0 0)))'), ST_GeomFromText('GEOMETRYCOLLECTION EMPTY')),
		 (2, ST_GeomFromText('POINT(3 4)', 4326), NULL, NULL, NULL)"
	"$BIN/my-schema" -q --postgis --schema public --include s "$MYDB" >ddl.sql
	run -0 grep -F 'geometry(Point,4326) NOT NULL' ddl.sql
	run -0 grep -F 'geometry(LineString)' ddl.sql
	run -0 grep -F 'geometry(MultiPolygon)' ddl.sql
	run -0 grep -F 'geometry(GeometryCollection)' ddl.sql
	run -0 grep -E 'CREATE INDEX .* USING gist \(p\);' ddl.sql
	pg_sql <ddl.sql
	run -0 pg_sql "SELECT indexdef FROM pg_indexes WHERE tablename = 's' AND indexdef LIKE '%gist%'"
	"$BIN/pg-load" --describe s >rules
	"$BIN/my-extract" -q "$MYDB.s" | "$BIN/row-convert" -q --rules rules | "$BIN/pg-load" -q s
	run -0 pg_sql "SELECT concat_ws('|', id, ST_AsText(p), ST_SRID(p), ST_AsText(l), ST_AsText(gc)) FROM s ORDER BY id"
	assert_output $'1|POINT(1 2)|4326|LINESTRING(0 0,1 1)|GEOMETRYCOLLECTION EMPTY\n2|POINT(3 4)|4326'
	# without --postgis: unchanged (bytea, the SPATIAL index reported)
	run -0 --separate-stderr "$BIN/my-schema" --include s "$MYDB"
	assert_output --partial 'p bytea NOT NULL'
	refute_output --partial 'gist'
}
