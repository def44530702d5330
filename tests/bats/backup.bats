#!/usr/bin/env bats
# backup: pg_dump in an exported snapshot with the snapshot's checksums, verified by a restore;
# mariadb-dump of the source; history, notification, retention, the shipped schedule.

bats_require_minimum_version 1.5.0

load helpers

setup_file() {
	servers_start
}

teardown_file() {
	servers_stop
}

setup() {
	fresh_dbs
	export PGDATABASE=$PGDB
	cd "$BATS_TEST_TMPDIR" || return 1
	B=$BATS_TEST_TMPDIR/backups
}

small_db() {
	pg_sql "CREATE SCHEMA hotel" \
		"CREATE TABLE hotel.rooms (id int PRIMARY KEY, name text NOT NULL, price numeric(8,2))" \
		"INSERT INTO hotel.rooms SELECT g, 'room ' || g, g * 1.5 FROM generate_series(1, 40) g" \
		"CREATE TABLE public.\"Odd|Name\" (a int, note text)" \
		"INSERT INTO public.\"Odd|Name\" VALUES (1, 'XYZZY-original'), (NULL, NULL)"
}

sum_of() { "$BIN/pg-extract" -q "$1" | "$BIN/row-checksum" -q; }
only_backup() { ls -d "$B"/postgresql-*; }

@test "target: a pg_dump -Fc, a manifest of the rows it holds, verified by a restore" {
	small_db
	run -0 --separate-stderr "$REPO_ROOT/scripts/backup" target --dir "$B"
	assert_output ''
	[[ $stderr == *"verified: every table restores to the rows of the dump's snapshot"* ]]
	b=$(only_backup)
	[[ $b == "$B/postgresql-$PGDB-"*Z ]]
	m=$b/manifest.json
	# size and checksum of the file; server version; per table rows and canonical checksum
	[ "$(jq .bytes "$m")" = "$(stat -c %s "$b/dump.pgfc")" ]
	[ "$(jq -r .sha256 "$m")" = "$(sha256sum "$b/dump.pgfc" | cut -d ' ' -f 1)" ]
	[ "$(jq -r .server_version "$m")" = "$(pg_sql 'SHOW server_version')" ]
	run -0 jq -r '.tables[] | "\(.schema).\(.table) \(.rows)"' "$m"
	assert_output "$(printf 'hotel.rooms 40\npublic.Odd|Name 2')"
	[ "rows 40 digest $(jq -r '.tables[0].digest' "$m")" = "$(sum_of hotel.rooms)" ]
	[ "$(jq -r .verification.ok "$m")" = true ]
	# no scratch database left behind
	[ "$(pg_sql "SELECT count(*) FROM pg_database WHERE datname LIKE 'rowstream_verify_%'")" = 0 ]
	# the attempt in the history
	run -0 jq -r '"\(.kind) \(.database) \(.status) \(.verified) \(.bytes) \(.backup)"' "$B/history.jsonl"
	assert_output "target $PGDB ok true $(jq .bytes "$m") $b"
	run -0 "$REPO_ROOT/scripts/backup" list --dir "$B"
	assert_line --index 1 --regexp "postgresql +$PGDB +[0-9]+  yes +$b"
	# pg_restore of it gives the database back
	PGDB=postgres pg_sql "CREATE DATABASE \"${PGDB}_r\""
	echo "${PGDB}_r" >>"$HELPERS_DBS_FILE"
	pg_restore -d "${PGDB}_r" "$b/dump.pgfc"
	[ "$(sum_of hotel.rooms)" = "$(PGDATABASE=${PGDB}_r sum_of hotel.rooms)" ]
}

@test "the manifest is the data as of the dump's snapshot, not of the moment the checksums run" {
	small_db
	pg_session_open holder
	pg_session holder "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY; SELECT 'snap=' || pg_export_snapshot();"
	pg_session_wait holder '^snap='
	snap=$(sed -n 's/^snap=//p' "$BATS_TEST_TMPDIR/holder.out")
	before=$(sum_of hotel.rooms)
	# rows change after the export and before the backup reads
	pg_sql "UPDATE hotel.rooms SET price = 0 WHERE id <= 5" "DELETE FROM hotel.rooms WHERE id = 40"
	[ "$(sum_of hotel.rooms)" != "$before" ]
	run -0 "$REPO_ROOT/scripts/backup" target -q --snapshot "$snap" --dir "$B"
	pg_session holder "COMMIT;"
	pg_session_close holder
	m=$(only_backup)/manifest.json
	[ "$(jq -r .snapshot "$m")" = "$snap" ]
	[ "rows 40 digest $(jq -r '.tables[0].digest' "$m")" = "$before" ]
	[ "$(jq -r .verification.ok "$m")" = true ]
}

@test "a damaged dump fails verification; the history records it and the notification gets the message" {
	small_db
	run -0 "$REPO_ROOT/scripts/backup" target -q --dir "$B"
	b=$(only_backup)
	printf '\001' | dd of="$b/dump.pgfc" bs=1 seek=200 conv=notrunc status=none
	run -1 --separate-stderr "$REPO_ROOT/scripts/backup" verify --dir "$B" \
		--notify "cat >'$BATS_TEST_TMPDIR/notified'; echo \"\$BACKUP_KIND \$BACKUP_STATUS\" >>'$BATS_TEST_TMPDIR/notified'"
	[[ $stderr == *"backup: verification of $b failed: $b/dump.pgfc: sha256 differs from the manifest (the file changed or is damaged)"* ]]
	run -0 tail -n 1 "$B/history.jsonl"
	[ "$(jq -r '"\(.kind) \(.status) \(.verified)"' <<<"$output")" = "verify failed false" ]
	[[ $(jq -r .message <<<"$output") == *"sha256 differs"* ]]
	run -0 cat "$BATS_TEST_TMPDIR/notified"
	assert_line --index 0 --partial "backup verify of $PGDB failed"
	assert_line --index 0 --partial "sha256 differs from the manifest"
	assert_line --index 1 "verify failed"
	[ "$(jq -r .verification.ok "$b/manifest.json")" = false ]
}

@test "a row changed inside the dump fails verification, naming the table; the untouched one passes" {
	small_db
	run -0 "$REPO_ROOT/scripts/backup" target -q --compress 0 --dir "$B"
	b=$(only_backup)
	# the same length, so the archive stays readable; and a checksum that matches the changed file
	grep -c 'XYZZY-original' "$b/dump.pgfc"
	perl -pi -e 's/XYZZY-original/XYZZY-tampered/' "$b/dump.pgfc"
	jq --arg s "$(sha256sum "$b/dump.pgfc" | cut -d ' ' -f 1)" '.sha256 = $s' "$b/manifest.json" >m.json
	mv m.json "$b/manifest.json"
	run -1 --separate-stderr "$REPO_ROOT/scripts/backup" verify "$b"
	[[ $stderr == *"failed: public.Odd|Name (rows 2 restored, rows 2 in the manifest; digests differ)" ]]
	[[ $stderr != *hotel.rooms* ]]
}

@test "retention: backups older than --keep days go, and only after a newer one has verified" {
	small_db
	run -0 "$REPO_ROOT/scripts/backup" target -q --no-verify --dir "$B"
	old=$(only_backup)
	# ten days old
	jq '.started_at = "2000-01-01T02:00:00Z"' "$old/manifest.json" >m.json
	mv m.json "$old/manifest.json"
	# a newer one that is not verified removes nothing
	run -0 "$REPO_ROOT/scripts/backup" target -q --no-verify --keep 7 --dir "$B"
	[ -d "$old" ]
	[ "$(ls -d "$B"/postgresql-* | wc -l)" = 2 ]
	# a verified one does; the unverified recent one stays
	run -0 --separate-stderr "$REPO_ROOT/scripts/backup" target --keep 7 --dir "$B"
	[[ $stderr == *"removed $old (older than 7 day(s);"* ]]
	[ ! -e "$old" ]
	[ "$(ls -d "$B"/postgresql-* | wc -l)" = 2 ]
	# every attempt is in the history
	run -0 jq -r '"\(.status) \(.verified)"' "$B/history.jsonl"
	assert_output "$(printf 'ok false\nok false\nok true')"
}

@test "target: an unreachable server fails with 5, recorded and notified" {
	run -5 --separate-stderr "$REPO_ROOT/scripts/backup" target -d "host=/nonexistent dbname=x" --dir "$B" \
		--notify "cat >'$BATS_TEST_TMPDIR/notified'"
	[[ $stderr == *"backup: cannot connect to PostgreSQL"* ]]
	[ "$(jq -r '"\(.kind) \(.status)"' "$B/history.jsonl")" = "target failed" ]
	grep -q 'backup target of x failed' "$BATS_TEST_TMPDIR/notified"
	run -2 "$REPO_ROOT/scripts/backup" target --keep soon
	run -2 "$REPO_ROOT/scripts/backup" bogus
	run -0 "$REPO_ROOT/scripts/backup" --help
	assert_line --index 0 --partial 'usage: backup '
	assert_line 'backup: backups that prove themselves, of the MySQL source and of the PostgreSQL database it'
}

my_sum() { "$BIN/my-extract" -q "$(printf '`%s`.`%s`' "$MYDB" "${1:-t}")" | "$BIN/row-checksum" -q; }
my_scratch_dbs() { MYDB=mysql my_sql "SHOW DATABASES LIKE 'rowstream\\_verify\\_%'"; }

@test "source: mariadb-dump --single-transaction, zstd, size and sha256; it restores the database" {
	my_sql "CREATE TABLE t (id int PRIMARY KEY, v varchar(20), b blob)" \
		"INSERT INTO t VALUES (1, 'één', x'00ff'), (2, NULL, NULL), (3, 'it''s', '')"
	before=$(my_sum)
	my_sql "CREATE TABLE \`Odd|u\` (a int, b text)" "INSERT INTO \`Odd|u\` VALUES (1, 'x'), (NULL, NULL)"
	before_u=$(my_sum 'Odd|u')
	run -0 --separate-stderr "$REPO_ROOT/scripts/backup" source --dir "$B" "$MYDB"
	[[ $stderr == *"backup: verified: every table restores to the rows read at the dump's snapshot"* ]]
	b=$(ls -d "$B"/mysql-*)
	m=$b/manifest.json
	[ "$(jq -r '"\(.kind) \(.database) \(.file) \(.complete)"' "$m")" = "mysql $MYDB dump.sql.zst true" ]
	[ "$(jq .bytes "$m")" = "$(stat -c %s "$b/dump.sql.zst")" ]
	[ "$(jq -r .sha256 "$m")" = "$(sha256sum "$b/dump.sql.zst" | cut -d ' ' -f 1)" ]
	[[ $(jq -r .server_version "$m") == *MariaDB* ]]
	zstd -t -q "$b/dump.sql.zst"
	# per table: rows and canonical checksum, read at the binary log position of the dump
	run -0 jq -r '.tables[] | "\(.table) \(.rows) \(.digest) \(.same_snapshot)"' "$m"
	assert_output "$(printf 'Odd|u %s true\nt %s true' "${before_u#rows }" "${before#rows }" | sed 's/ digest / /g')"
	[[ $(jq -r .binlog "$m") =~ ^binlog\.[0-9]+:[0-9]+$ ]]
	[ "$(jq -r '[.tables[].binlog] | unique | join(" ")' "$m")" = "$(jq -r .binlog "$m")" ]
	zstd -dcq "$b/dump.sql.zst" | grep -q "^-- CHANGE MASTER TO MASTER_LOG_FILE='$(jq -r '.binlog | split(":")[0]' "$m")', MASTER_LOG_POS=$(jq -r '.binlog | split(":")[1]' "$m");"
	# verified by a restore into a scratch database, which is gone
	[ "$(jq -r '"\(.verification.ok) \(.verification.method)"' "$m")" = "true the dump loaded into a scratch MariaDB database; my-extract | row-checksum per table" ]
	run -0 my_scratch_dbs
	assert_output ''
	[ "$(jq -r '"\(.kind) \(.status) \(.verified) \(.bytes)"' "$B/history.jsonl")" = "source ok true $(jq .bytes "$m")" ]
	# backup verify of it proves it again
	run -0 --separate-stderr "$REPO_ROOT/scripts/backup" verify --dir "$B" "$b"
	[[ $stderr == *"backup: verified: 2 table(s) restore to the rows of the manifest"* ]]
	[ "$(tail -n 1 "$B/history.jsonl" | jq -r '"\(.kind) \(.backup_kind) \(.status) \(.verified)"')" = "verify mysql ok true" ]
	# dropped and restored from the backup: the same rows
	MYDB=mysql my_sql "DROP DATABASE \`$MYDB\`"
	zstd -dcq "$b/dump.sql.zst" | MYDB=mysql my_sql
	[ "$(my_sum)" = "$before" ]
}

@test "source: an unknown database fails with 4 and leaves no partial backup" {
	run -4 --separate-stderr "$REPO_ROOT/scripts/backup" source --dir "$B" no_such_db_here
	[[ $stderr == *"backup: mariadb-dump:"*"Unknown database"* ]]
	[ "$(jq -r '"\(.kind) \(.database) \(.status)"' "$B/history.jsonl")" = "source no_such_db_here failed" ]
	run -0 find "$B" -name 'mysql-*'
	assert_output ''
}

@test "make install: the commands, their man pages, and a schedule at 02:00 (systemd timer and service, cron line) that runs" {
	d=$BATS_TEST_TMPDIR/inst
	if ! make -s -C "$REPO_ROOT" install PREFIX="$d" >make.log 2>&1; then
		cat make.log
		false
	fi
	for f in backup restore health; do
		[ -x "$d/bin/$f" ]
		[ -r "$d/share/man/man1/$f.1" ]
	done
	s=$d/share/rowstream
	grep -qx 'OnCalendar=\*-\*-\* 02:00:00' "$s/systemd/rowstream-backup.timer"
	grep -qx "ExecStart=$d/bin/backup target -q" "$s/systemd/rowstream-backup.service"
	if command -v systemd-analyze >/dev/null; then
		run -0 systemd-analyze verify --man=no "$s/systemd/rowstream-backup.timer" "$s/systemd/rowstream-backup.service"
		run -0 systemd-analyze calendar '*-*-* 02:00:00'
	fi
	# the cron line: at 02:00 daily, as postgres; its command, with a settings file of ours, makes
	# a verified backup with the installed copy
	run -0 grep -E '^0 2 \* \* \* postgres ' "$s/cron.d/rowstream-backup"
	line=${output#0 2 \* \* \* postgres }
	small_db
	printf 'PGDATABASE=%s\nROWSTREAM_BACKUP_DIR=%s\nBACKUP_KEEP_DAYS=3\n' "$PGDB" "$B" >settings
	run -0 sh -c "${line//\/etc\/default\/rowstream-backup/$BATS_TEST_TMPDIR/settings}"
	[ "$(jq -r '"\(.kind) \(.database) \(.status) \(.verified)"' "$B/history.jsonl")" = "target $PGDB ok true" ]
}

@test "a password in the conninfo reaches pg_dump as PGPASSWORD, never in its arguments, the manifest or the history" {
	small_db
	mkdir shim
	# pg_dump as it is, with its arguments and PGPASSWORD written down first
	printf '#!/bin/sh\nprintf "%%s\\n" "$@" >>"%s/argv.log"\necho "PGPASSWORD=$PGPASSWORD" >>"%s/argv.log"\nexec %s "$@"\n' \
		"$BATS_TEST_TMPDIR" "$BATS_TEST_TMPDIR" "$(command -v pg_dump)" >shim/pg_dump
	chmod +x shim/pg_dump
	PATH=$BATS_TEST_TMPDIR/shim:$PATH run -0 --separate-stderr "$REPO_ROOT/scripts/backup" target -d "dbname=$PGDB password=s3cr3t-xyz" --dir "$B"
	[[ $stderr == *"backup: warning: a password in the conninfo is visible to other users; use PGPASSWORD or ~/.pgpass"* ]]
	grep -qx "PGPASSWORD=s3cr3t-xyz" argv.log
	grep -q -- '--snapshot=' argv.log
	[ "$(grep -v '^PGPASSWORD=' argv.log | grep -c s3cr3t-xyz)" = 0 ]
	run -1 grep -r s3cr3t-xyz "$B"
}

# mariadb-dump as it is, with one value changed in its output: a dump that is complete and
# well-formed, whose sha256 is taken after the change, and which holds another row than the source
tampering_dump() {
	mkdir -p shim
	printf '#!/bin/bash\nset -o pipefail\n%s "$@" | sed "s/XYZZY-original/XYZZY-tampered/"\n' "$(command -v mariadb-dump)" >shim/mariadb-dump
	chmod +x shim/mariadb-dump
}

@test "source verification: a dump holding other rows fails naming the table, a damaged one fails by its sha256; neither lets retention remove an older backup" {
	my_sql "CREATE TABLE t (id int PRIMARY KEY, v varchar(20))" "INSERT INTO t VALUES (1, 'XYZZY-original'), (2, 'b')" \
		"CREATE TABLE w (id int PRIMARY KEY)" "INSERT INTO w VALUES (1), (2), (3)"
	run -0 "$REPO_ROOT/scripts/backup" source -q --no-verify --dir "$B" "$MYDB"
	old=$(ls -d "$B"/mysql-*)
	jq '.started_at = "2000-01-01T02:00:00Z"' "$old/manifest.json" >m.json
	mv m.json "$old/manifest.json"
	# a dump with another row: restored, compared, failed; the old backup stays
	tampering_dump
	PATH=$BATS_TEST_TMPDIR/shim:$PATH run -1 --separate-stderr "$REPO_ROOT/scripts/backup" source --keep 7 --dir "$B" "$MYDB"
	[[ $stderr == *"backup: verification of $B/mysql-$MYDB-"*" failed: t (rows 2 restored, rows 2 in the manifest; digests differ)" ]]
	[[ $stderr != *"w ("* ]]
	[ -d "$old" ]
	run -0 tail -n 1 "$B/history.jsonl"
	[ "$(jq -r '"\(.kind) \(.status) \(.verified)"' <<<"$output")" = "source failed false" ]
	bad=$(jq -r .backup <<<"$output")
	[ "$(jq -r .verification.ok "$bad/manifest.json")" = false ]
	run -0 my_scratch_dbs
	assert_output ''
	# a byte changed in a dump: its sha256 fails, nothing is loaded
	run -0 "$REPO_ROOT/scripts/backup" source -q --no-verify --keep 7 --dir "$B" "$MYDB"
	[ -d "$old" ]
	flipped=$(ls -d "$B"/mysql-* | tail -n 1)
	printf '\001' | dd of="$flipped/dump.sql.zst" bs=1 seek=100 conv=notrunc status=none
	run -1 --separate-stderr "$REPO_ROOT/scripts/backup" verify --dir "$B" "$flipped"
	[[ $stderr == *"backup: verification of $flipped failed: $flipped/dump.sql.zst: sha256 differs from the manifest (the file changed or is damaged)"* ]]
	[ "$(tail -n 1 "$B/history.jsonl" | jq -r '"\(.kind) \(.backup_kind) \(.status) \(.verified)"')" = "verify mysql failed false" ]
	[ -d "$old" ]
	# the list shows which verified
	run -0 "$REPO_ROOT/scripts/backup" list --dir "$B"
	assert_line --regexp "^2000-01-01T02:00:00Z +mysql +$MYDB +[0-9]+  - +$old$"
	assert_line --regexp "mysql +$MYDB +[0-9]+  FAILED +$bad$"
	# a good one verifies and removes the old one, not the newer failed ones
	run -0 --separate-stderr "$REPO_ROOT/scripts/backup" source --keep 7 --dir "$B" "$MYDB"
	[[ $stderr == *"removed $old (older than 7 day(s);"* ]]
	[ ! -e "$old" ]
	[ -d "$bad" ]
	[ -d "$flipped" ]
}

@test "source: a dump that names other databases is not loaded into them by verification" {
	my_sql "CREATE TABLE t (id int PRIMARY KEY)" "INSERT INTO t VALUES (1)"
	run -0 "$REPO_ROOT/scripts/backup" source -q --no-verify --dir "$B" "$MYDB"
	b=$(ls -d "$B"/mysql-*)
	# a statement for another database slipped into the dump (and its sha256 updated)
	{ zstd -dcq "$b/dump.sql.zst" | sed "s/^USE \`$MYDB\`;/&\nUSE \`mysql\`;/"; } | zstd -q -o "$b/new.zst"
	mv "$b/new.zst" "$b/dump.sql.zst"
	jq --arg s "$(sha256sum "$b/dump.sql.zst" | cut -d ' ' -f 1)" '.sha256 = $s' "$b/manifest.json" >m.json
	mv m.json "$b/manifest.json"
	run -1 --separate-stderr "$REPO_ROOT/scripts/backup" verify --dir "$B" "$b"
	[[ $stderr == *"failed: the dump cannot be loaded safely: backup: unexpected statement in the dump: USE \`mysql\`;"* ]]
	run -0 my_scratch_dbs
	assert_output ''
}
