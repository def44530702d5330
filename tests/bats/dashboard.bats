#!/usr/bin/env bats
# scripts/dashboard: one self-contained HTML page from the samples of scripts/metrics, a real
# migration's report and a backup history, rendered by headless Chromium.

load helpers

DASHBOARD=$BATS_TEST_DIRNAME/../../scripts/dashboard
METRICS=$BATS_TEST_DIRNAME/../../scripts/metrics
PNG_INK=$BATS_TEST_DIRNAME/../dashboard/png-ink
# a report of query-report --json, in its documented shape: one query not at the goal, one whose
# results differ and whose expected index is not used, a description to escape
QUERY_REPORT=$BATS_TEST_DIRNAME/../dashboard/query-report.json

# one database for the file: the small shop database migrated into schema shop (a real report),
# the metrics tables of schema/postgres/hotel.sql in that schema, three samples with load between
setup_file() {
	servers_start
	fresh_dbs
	export PGDATABASE=$PGDB
	cd "$BATS_FILE_TMPDIR" || return 1
	my_sql <"$REPO_ROOT/tests/migrate/shop.sql"
	# exit 1: the database holds a planted orphan (its foreign key is left out), which the report shows
	local rc=0
	"$REPO_ROOT/scripts/migrate" run -q --schema shop --dir mig "$MYDB" >mig.out 2>mig.err 3>&- || rc=$?
	if [ "$rc" -gt 1 ] || [ ! -s mig/report.json ]; then
		cat mig.err >&2
		return 1
	fi
	pg_sql "CREATE SCHEMA hotel" "CREATE EXTENSION IF NOT EXISTS pg_stat_statements"
	psql -X -q -v ON_ERROR_STOP=1 -c 'SET search_path = hotel' -f "$REPO_ROOT/schema/postgres/hotel.sql" >/dev/null
	pg_sql "CREATE TABLE shop.database_metrics (LIKE hotel.database_metrics INCLUDING ALL)" \
		"CREATE TABLE shop.query_performance_log (LIKE hotel.query_performance_log INCLUDING ALL)" \
		"CREATE INDEX ix_dashboard_never ON shop.products (name)"
	local i
	for i in 1 2 3; do
		pg_sql "SELECT count(*) FROM shop.stock" "SELECT count(*) FROM shop.movements WHERE id > $i" \
			"SELECT pg_sleep(0.0$((i + 4))) AS dashboard_slow" >/dev/null
		"$METRICS" collect -q --schema shop --slow-ms 40 3>&-
	done
	# a backup history as backup(1) writes it: JSON lines, one per attempt
	mkdir backups
	cat >backups/history.jsonl <<-'EOF'
		{"time":"2026-11-29T02:00:03Z","kind":"postgresql","database":"shop","status":"ok","seconds":12.5,"bytes":1048576,"verified":true,"backup":"/b/1","message":"verified <all> tables"}
		{"time":"2026-11-30T02:00:04Z","kind":"postgresql","database":"shop","status":"failed","seconds":1.2,"bytes":null,"verified":null,"backup":null,"message":"pg_dump: connection refused"}
	EOF
}
teardown_file() { servers_stop; }

setup() {
	export PGDATABASE=$PGDB
	cd "$BATS_FILE_TMPDIR" || return 1
}

# render FILE: Chromium loads the page from disk (no network), writes FILE.png and FILE.dom
render() {
	local f=$1
	timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-dev-shm-usage \
		--disable-background-networking --disable-component-update --disable-extensions --hide-scrollbars \
		--enable-logging=stderr --v=0 --window-size=1000,1400 --screenshot="$f.png" --dump-dom \
		"file://$PWD/$f" >"$f.dom" 2>"$f.log" 3>&-
}

@test "dashboard: usage errors exit 2; no metrics tables exit 5" {
	run -2 "$DASHBOARD" --frobnicate
	assert_output --partial 'usage: dashboard'
	run -2 "$DASHBOARD" --report /nonexistent/report.json
	assert_output 'dashboard: /nonexistent/report.json: no such report (migrate'"'"'s report.json)'
	run -5 "$DASHBOARD" --schema nowhere -o x.html
	assert_output --partial 'dashboard: schema nowhere: no tables database_metrics and query_performance_log'
	[ ! -e x.html ]
	run -0 "$DASHBOARD" --help
	assert_output --partial 'self-contained HTML page'
	run -2 "$DASHBOARD" --query-report /nonexistent/queries.json
	assert_output "dashboard: /nonexistent/queries.json: no such query report (query-report's --json)"
	run -2 "$DASHBOARD" --query-report mig/report.json -o x.html
	assert_output 'dashboard: mig/report.json: not a JSON report of query-report'
	[ ! -e x.html ]
}

@test "dashboard: one self-contained page with the migration, the query report, five charts, slow statements, unused indexes, backups; Chromium draws it" {
	run -0 "$DASHBOARD" --schema shop --report mig/report.json --query-report "$QUERY_REPORT" --backup-dir backups -o page.html
	assert_output --regexp '^dashboard: page.html: 3 samples, 5 charts$'
	# self-contained: nothing is fetched (no URL in an attribute that loads something)
	run grep -Eo '(src|href)="[a-z]+:[^"]*"' page.html
	assert_failure
	run grep -c '<script' page.html
	assert_output 0
	# the migration summary: the report's tables, rows, checksums, rejects
	local tables rows equal rejected
	tables=$(jq '.tables | length' mig/report.json)
	rows=$(jq '[.tables[].rows_pg] | add' mig/report.json)
	equal=$(jq '[.tables[] | select(.checksum_match == true)] | length' mig/report.json)
	rejected=$(jq '[.tables[] | (.rows_rejected // 0) + (.rows_rejected_load // 0)] | add' mig/report.json)
	[ "$tables" -ge 5 ] && [ "$rows" -gt 100 ] && [ "$equal" -ge 1 ]
	grep -q "$tables tables, $rows rows, checksums equal for $equal of $tables, $rejected rows rejected" page.html
	[ "$(grep -c '<tr><td class="l">' <(sed -n '/id="migration-tables"/,/<\/table>/p' page.html))" -eq "$tables" ]
	# the last sample's figures
	grep -Eq 'query latency<b>[0-9.]+ ms</b>' page.html
	grep -Eq 'cache hit tables<b>[0-9.]+ %</b>' page.html
	# the query report: a row per query with both sides' p50/p95, the ratio, the goal, the index
	[ "$(grep -c '<tr><td class="l">' <(sed -n '/id="query-report"/,/<\/table>/p' page.html))" -eq 3 ]
	grep -q 'results DIFFER for aktif_zimmetler; 2 of 3 queries at least 40 % faster; geometric mean of pg/mysql 0.26 (74 % faster): goal met' page.html
	grep -q '<tr><td class="l">audit_json<br><small>Audit entries by JSON content: new value holds &lt;product&gt; &quot;Kola&quot; &amp; inactive</small></td><td>219</td><td class="l ok">equal</td><td>28.5</td><td>30.1</td><td>1.71</td><td>2.02</td><td>0.06</td><td>94 %</td><td class="l ok">met</td><td class="l">ix_audit_yeni_deger <span class="ok">(as expected)</span></td></tr>' page.html
	grep -q '<td>0.182</td><td>0.25</td><td>0.164</td><td>0.2</td><td>0.9</td><td>10 %</td><td class="l bad">NOT met</td><td class="l">zimmetler_pkey</td>' page.html
	grep -q '<td class="l bad">DIFFERENT</td>.*(expected ix_zimmet_aktif: NOT USED)' page.html
	# charts by gnuplot, inlined
	[ "$(grep -c '<svg' page.html)" -eq 5 ]
	grep -q 'Produced by GNUPLOT' page.html
	render page.html
	# the browser's view: every section there, no error in the console
	[ -s page.html.dom ] && [ -s page.html.png ]
	local id
	for id in chart-sizes chart-cache chart-connections chart-latency chart-queries query-report migration-tables slow top unused dead backups; do
		grep -q "id=\"$id\"" page.html.dom || { echo "no element $id in the rendered page"; return 1; }
	done
	run grep -Ei 'CONSOLE|Uncaught|SyntaxError' page.html.log
	assert_failure
	# each chart holds plotted lines, each table its rows
	[ "$(grep -c '<tr>' page.html.dom)" -ge 10 ]
	grep -q 'dashboard_slow' page.html.dom
	grep -q 'shop.ix_dashboard_never' page.html.dom
	grep -q 'pg_dump: connection refused' page.html.dom
	grep -q 'verified &lt;all&gt; tables' page.html.dom
	[ "$(awk '/id="chart-latency"/,/<\/figure>/' page.html.dom | grep -c '<path')" -ge 3 ]
	# the query chart: a bar per query and side, the queries named on the axis, both sides in the key
	awk '/id="chart-queries"/,/<\/figure>/' page.html.dom >queries.svg
	for q in audit_json zimmet_detay aktif_zimmetler MySQL PostgreSQL; do
		grep -q ">$q<" queries.svg || { echo "the query chart does not name $q"; return 1; }
	done
	# three bars of each side's colour (and one in the key)
	[ "$(grep -c '<polygon fill="rgb(224, 123, *0)"' queries.svg)" -eq 4 ]
	[ "$(grep -c '<polygon fill="rgb( *51, 102, 153)"' queries.svg)" -eq 4 ]
	# the screenshot is no blank page: text and coloured chart lines drawn
	run "$PNG_INK" page.html.png
	assert_success
	local w h ink coloured
	read -r w h ink coloured <<<"$output"
	[ "$w" -eq 1000 ] && [ "$h" -eq 1400 ]
	[ "$ink" -gt 20000 ] || { echo "ink $ink"; return 1; }
	[ "$coloured" -gt 1000 ] || { echo "coloured $coloured"; return 1; }
}

@test "dashboard: without --report the migration summary comes from the state tables of the last run" {
	run -0 "$DASHBOARD" -q --schema shop -o state.html
	[ -z "$output" ]
	grep -q "id=\"migration-tables\"" state.html
	grep -Eq "$MYDB &rarr; shop: [a-z]+" state.html
	# no backup directory: said so
	grep -q 'no backup history' state.html
	# no query report given: the section says so, no chart of it
	grep -q 'id="queries">no query report' state.html
	[ "$(grep -c '<svg' state.html)" -eq 4 ]
}

@test "dashboard: a schema with no samples yet gives a page that says so, not a failure" {
	run -0 "$DASHBOARD" -q --schema hotel -o empty.html
	[ "$(grep -c 'no samples in the window' empty.html)" -eq 4 ]
	grep -q 'no migration report' empty.html
}
