#!/usr/bin/env bats
# query-report (and query-bench under it): the hotel application's hot queries on MariaDB and on
# the database migrate made of it, results proven equal, timed, explained.

load helpers

# once for the file: the hotel schema and its scale-1 data in MariaDB, migrated into the
# hand-tuned schema in the hotel's time zone (the tables no query reads are emptied first, to
# keep the suite short), then one report
setup_file() {
	servers_start
	fresh_dbs query_report
	my_sql <"$REPO_ROOT/schema/mysql/hotel.sql"
	{ echo 'SET @scale = 1, @seed = 1;'; cat "$REPO_ROOT/schema/mysql/hotel-data.sql"; } | my_sql >/dev/null
	my_sql "DELETE FROM qr_kod_okutma_loglari" "DELETE FROM sistem_loglari" "DELETE FROM hata_loglari" \
		"DELETE FROM minibar_dolum_talepleri" "DELETE FROM otomatik_raporlar"
	SCHEMA=$("$BIN/my-schema" --print-schema "$MYDB")
	export SCHEMA
	local rc=0
	"$REPO_ROOT/scripts/migrate" run -q -j 2 --quarantine --timezone Europe/Istanbul \
		--target-schema "$REPO_ROOT/schema/postgres/hotel.sql" --dir "$BATS_FILE_TMPDIR/run" \
		-d "dbname=$PGDB" "$MYDB" >"$BATS_FILE_TMPDIR/migrate.out" 2>&1 3>&- || rc=$?
	# 1: the planted orphan was quarantined
	if [ "$rc" -gt 1 ]; then
		cat "$BATS_FILE_TMPDIR/migrate.out" >&2
		return 1
	fi
	rc=0
	"$REPO_ROOT/scripts/query-report" -d "dbname=$PGDB" -n 2 -w 1 --json "$BATS_FILE_TMPDIR/report.json" "$MYDB" \
		>"$BATS_FILE_TMPDIR/report.out" 2>"$BATS_FILE_TMPDIR/report.err" 3>&- || rc=$?
	echo "$rc" >"$BATS_FILE_TMPDIR/report.rc"
}
teardown_file() { servers_stop; }

setup() {
	REPORT=$BATS_FILE_TMPDIR/report.json
	OUT=$BATS_FILE_TMPDIR/report.out
}

@test "query-report: every query gives the same rows on MariaDB and on the migrated PostgreSQL" {
	rc=$(cat "$BATS_FILE_TMPDIR/report.rc")
	if [ "$rc" -gt 1 ]; then cat "$BATS_FILE_TMPDIR/report.err"; fi
	[ "$rc" -le 1 ]
	run jq -r '.queries[] | "\(.name) \(.results_equal) \(.rows.mysql == .rows.pg and .rows.pg > 0)"' "$REPORT"
	assert_output "$(printf '%s true true\n' aktif_urun_gruplari aktif_zimmetler audit_json gunluk_stok_hareketleri \
		kritik_stok oda_minibar stok_toplamlari urun_hareket_sayfa zimmet_detay)"
	run jq -r '.summary.results_equal, (.summary.differing | length)' "$REPORT"
	assert_output $'true\n0'
	grep -q '^overall: results equal on both sides for all 9 queries; ' "$OUT"
	# the exit status says what the summary says: 0 exactly when the goal is met
	if [ "$(jq -r .summary.goal_met "$REPORT")" = true ]; then [ "$rc" -eq 0 ]; else [ "$rc" -eq 1 ]; fi
	# the time zone of the migration, read from its state: timestamps compare equal only with it
	run jq -r .timezone "$REPORT"
	assert_output Europe/Istanbul
}

@test "query-report: the JSON report has the documented shape" {
	run jq -e --arg schema "$SCHEMA" '
		.tool == "query-report" and .version == 1 and (.generated_at | test("^[0-9-]{10}T[0-9:]{8}Z$"))
		and .source.database == env.MYDB and .target.schema == $schema
		and (.source.server | test("MariaDB|^[0-9]")) and (.target.server | test("^[0-9]+"))
		and .iterations == 2 and .warmup == 1
		and .goal == {faster_pct: 40, max_ratio: 0.6, measure: "p50"}
		and (.queries | length) == 9
		and all(.queries[];
			(.name | type) == "string" and (.description | length) > 10
			and (.results_equal | type) == "boolean"
			and (.digest.mysql | test("^[0-9a-f]{32}$")) and .digest.mysql == .digest.pg
			and .stable == {mysql: true, pg: true}
			and all(.mysql_ms, .pg_ms; (keys == ["max", "mean", "min", "p50", "p95"]) and .min <= .p50 and .p50 <= .p95 and .p95 <= .max)
			and (.ratio | type) == "number" and (.ratio - .pg_ms.p50 / .mysql_ms.p50 | fabs) < 1e-9
			and (.faster_pct - (1 - .ratio) * 100 | fabs) < 1e-9
			and .goal_met == (.ratio <= 0.6)
			and (.mysql_indexes | type) == "array" and (.pg_indexes | type) == "array"
			and (.expected_index == null or (.expected_index_used | type) == "boolean")
			and (.pg_plan.Plan."Node Type" | type) == "string"
			and (.pg_plan_text | length) >= 1)
		and (.summary | keys) == ["differing", "faster_pct", "geomean_ratio", "goal_met", "goal_met_count", "queries", "results_equal"]
		and .summary.queries == 9
		and .summary.goal_met_count == ([.queries[] | select(.goal_met)] | length)
		and .summary.goal_met == (.summary.geomean_ratio <= 0.6)
		and ((.summary.geomean_ratio - ([.queries[].ratio | log] | add / length | exp)) | fabs) < 1e-9
	' "$REPORT"
	assert_success
}

@test "query-report: the PostgreSQL plans use the plan's indexes (EXPLAIN)" {
	run jq -r '.queries[] | select(.expected_index != null) | "\(.name) \(.expected_index) \(.expected_index_used)"' "$REPORT"
	assert_line 'audit_json ix_audit_yeni_deger true'
	assert_line 'oda_minibar ix_minibar_oda_tarih true'
	assert_line 'urun_hareket_sayfa ix_stok_urun_tarih true'
	assert_line 'aktif_zimmetler ix_zimmet_aktif true'
	# the text report names it, and shows the plan node that uses it
	grep -q '^  PostgreSQL index: ix_audit_yeni_deger (ix_audit_yeni_deger as expected); MySQL index: ' "$OUT"
	grep -q '^ *Bitmap Index Scan using ix_audit_yeni_deger (rows=[1-9]' "$OUT"
}

@test "query-report: a row changed on one side is detected, shown and exits 1" {
	id=$(PGDB=$PGDB pg_sql "SELECT min(id) FROM \"$SCHEMA\".stok_hareketleri WHERE islem_tarihi >= '2025-06-15 00:00:00+03' AND islem_tarihi < '2025-06-16 00:00:00+03'")
	[ -n "$id" ]
	pg_sql "UPDATE \"$SCHEMA\".stok_hareketleri SET miktar = miktar + 1 WHERE id = $id"
	run --separate-stderr "$REPO_ROOT/scripts/query-report" -d "dbname=$PGDB" -n 1 -w 0 \
		--only gunluk_stok_hareketleri,zimmet_detay --json "$BATS_TEST_TMPDIR/r.json" --diff-dir "$BATS_TEST_TMPDIR/diff" "$MYDB"
	pg_sql "UPDATE \"$SCHEMA\".stok_hareketleri SET miktar = miktar - 1 WHERE id = $id"
	assert_failure 1
	assert_line --regexp '^gunluk_stok_hareketleri +164  DIFFERENT '
	assert_line --regexp '^zimmet_detay +5  equal '
	assert_line --partial 'overall: results DIFFER for gunluk_stok_hareketleri;'
	assert_line --regexp "^< $id	"
	assert_line --regexp "^> $id	"
	run jq -r '.queries[] | "\(.name) \(.results_equal) \(.digest.mysql != .digest.pg)"' "$BATS_TEST_TMPDIR/r.json"
	assert_output $'gunluk_stok_hareketleri false true\nzimmet_detay true false'
	run jq -r '.summary.differing | join(",")' "$BATS_TEST_TMPDIR/r.json"
	assert_output gunluk_stok_hareketleri
	# the sorted rows of both sides, for diff
	[ "$(wc -l <"$BATS_TEST_TMPDIR/diff/gunluk_stok_hareketleri.pg.tsv")" -eq 164 ]
	run diff "$BATS_TEST_TMPDIR/diff/gunluk_stok_hareketleri.mysql.tsv" "$BATS_TEST_TMPDIR/diff/gunluk_stok_hareketleri.pg.tsv"
	assert_failure 1
	[ "$(grep -c '^[<>]' <<<"$output")" -eq 2 ]
}

@test "query-report: equal results but the goal not met exit 1" {
	run --separate-stderr "$REPO_ROOT/scripts/query-report" -d "dbname=$PGDB" -n 1 -w 0 --goal 99 \
		--only zimmet_detay --json "$BATS_TEST_TMPDIR/r.json" "$MYDB"
	assert_failure 1
	assert_line --regexp '^zimmet_detay +5  equal .* NOT met$'
	run jq -r '.summary | "\(.results_equal) \(.goal_met) \(.goal_met_count)"' "$BATS_TEST_TMPDIR/r.json"
	assert_output 'true false 0'
}

@test "query-bench: one JSON line per query, the rows of the first run dumped, digests stable" {
	mkdir "$BATS_TEST_TMPDIR/dump"
	run --separate-stderr "$BIN/query-bench" -d "dbname=$PGDB" --schema "$SCHEMA" --timezone Europe/Istanbul -n 3 -w 0 \
		--dump "$BATS_TEST_TMPDIR/dump" "$MYDB" "$REPO_ROOT/schema/queries" zimmet_detay aktif_urun_gruplari
	assert_success
	[ "${#lines[@]}" -eq 2 ]
	run jq -r '"\(.name) \(.iterations) \(.mysql.rows) \(.pg.rows) \(.mysql.digest == .pg.digest) \(.mysql.stable) \(.pg.stable) \(.pg.plan[0].Plan | has("Actual Rows"))"' <<<"$output"
	assert_output $'zimmet_detay 3 5 5 true true true true\naktif_urun_gruplari 3 7 7 true true true true'
	cmp <(LC_ALL=C sort "$BATS_TEST_TMPDIR/dump/zimmet_detay.mysql.tsv") <(LC_ALL=C sort "$BATS_TEST_TMPDIR/dump/zimmet_detay.pg.tsv")
	[ "$(wc -l <"$BATS_TEST_TMPDIR/dump/zimmet_detay.pg.tsv")" -eq 5 ]
	# the digest is row-checksum's over the values as text: NULL differs from an empty string
	grep -q '\\N' "$BATS_TEST_TMPDIR/dump/zimmet_detay.pg.tsv"
}

@test "query-report: usage errors exit 2" {
	run --separate-stderr "$REPO_ROOT/scripts/query-report" --bogus "$MYDB"
	assert_failure 2
	run --separate-stderr "$REPO_ROOT/scripts/query-report" -n 0 "$MYDB"
	assert_failure 2
	run --separate-stderr "$REPO_ROOT/scripts/query-report" --only 'x;y' "$MYDB"
	assert_failure 2
	run --separate-stderr "$REPO_ROOT/scripts/query-report" --only nosuchquery "$MYDB"
	assert_failure 2
	[[ "$stderr" == *"nosuchquery.mysql.sql: cannot read it"* ]]
	run --separate-stderr "$REPO_ROOT/scripts/query-report"
	assert_failure 2
	[[ "$stderr" == "usage: query-report "* ]]
	run "$REPO_ROOT/scripts/query-report" --help
	assert_success
	assert_output --partial 'query-report [mysql-options] [-d conninfo]'
}
