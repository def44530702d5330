#!/usr/bin/env bats
# restore: a backup of backup(1) into a new database, or over an existing one only with
# --overwrite, then every table against the manifest.

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
	R=$REPO_ROOT/scripts/restore
	pg_sql "CREATE SCHEMA hotel" \
		"CREATE TABLE hotel.rooms (id int PRIMARY KEY, name text NOT NULL, price numeric(8,2))" \
		"INSERT INTO hotel.rooms SELECT g, 'room ' || g, g * 1.5 FROM generate_series(1, 40) g" \
		"CREATE TABLE hotel.stays (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, room int REFERENCES hotel.rooms, night date)" \
		"INSERT INTO hotel.stays (room, night) VALUES (1, '2026-11-01'), (2, '2026-11-02')"
	"$REPO_ROOT/scripts/backup" target -q --dir "$B"
	BK=$(ls -d "$B"/postgresql-*)
}

sum_in() { PGDATABASE=$1 "$BIN/pg-extract" -q "$2" | "$BIN/row-checksum" -q; }
new_name() {
	printf '%s_r%s' "$PGDB" "$1"
	printf '%s_r%s\n' "$PGDB" "$1" >>"$HELPERS_DBS_FILE"
}

@test "into a new database: created, restored, every table equal to the manifest" {
	new=$(new_name 1)
	run -0 --separate-stderr "$R" -d "$new" "$BK"
	[[ $stderr == *"restore: created database $new"* ]]
	[[ $stderr == *"restore: restored $new from $BK (taken "*"): 2 table(s), every one equal to the manifest"* ]]
	[ "$(sum_in "$new" hotel.rooms)" = "$(sum_in "$PGDB" hotel.rooms)" ]
	# the identity goes on where it was
	PGDB=$new pg_sql "INSERT INTO hotel.stays (room, night) VALUES (3, '2026-11-03')"
	[ "$(PGDB=$new pg_sql "SELECT max(id) FROM hotel.stays")" = 3 ]
	# without a backup named: the newest verified one of the database of that name
	run -2 "$R" -d "$(new_name 2)" --dir "$B"
	assert_output --partial "no verified backup of database ${PGDB}_r2 in $B; name one"
	# the restore in the history beside the backup (the attempt without a backup is not one)
	run -0 jq -sr 'map(.kind) | join(" ")' "$B/history.jsonl"
	assert_output "target restore"
	run -0 tail -n 1 "$B/history.jsonl"
	[ "$(jq -r '"\(.kind) \(.database) \(.status) \(.verified) \(.tables) \(.backup_kind) \(.backup_database)"' <<<"$output")" = \
		"restore $new ok true 2 postgresql $PGDB" ]
	[ "$(jq -r .backup <<<"$output")" = "$BK" ]
	[ "$(jq -r .backup_started_at <<<"$output")" = "$(jq -r .started_at "$BK/manifest.json")" ]
	[[ $(jq -r .seconds <<<"$output") =~ ^[0-9]+(\.[0-9]+)?$ ]]
	[[ $(jq -r .message <<<"$output") == "restored $new from $BK (taken "*"): 2 table(s), every one equal to the manifest" ]]
	# backup list shows it, as text and JSON
	run -0 "$REPO_ROOT/scripts/backup" list --dir "$B"
	assert_line --regexp "^restored +into +status +seconds  tables +from$"
	assert_line --regexp "^[0-9T:Z-]+ +$new +ok +[0-9.]+  equal +$BK$"
	run -0 "$REPO_ROOT/scripts/backup" list --dir "$B" --json
	[ "$(jq -r '.[0].restores | map("\(.database) \(.status)") | join(",")' <<<"$output")" = "$new ok" ]
	# health still counts backups only: the last verified one is the backup, not the restore
	run -0 "$REPO_ROOT/scripts/health" --only target -w latency=60000 -c latency=120000 --backup-dir "$B"
	assert_line --regexp "^OK target backup: the last verified backup of $PGDB is 0\.[0-9] h old \($BK\)$"
}

@test "over an existing database only with --overwrite: back to the backup" {
	pg_sql "UPDATE hotel.rooms SET price = 0" "DELETE FROM hotel.stays WHERE id = 2"
	changed=$(sum_in "$PGDB" hotel.rooms)
	run -2 "$R" --dir "$B"
	assert_output --partial "restore: database $PGDB exists and holds"
	assert_output --partial "replace its objects with --overwrite"
	[ "$(sum_in "$PGDB" hotel.rooms)" = "$changed" ]
	# the newest verified backup of this database, over it
	run -0 --separate-stderr "$R" --dir "$B" --overwrite
	[[ $stderr == *"restored $PGDB from $BK"*"every one equal to the manifest"* ]]
	[ "$(sum_in "$PGDB" hotel.rooms)" = "rows 40 digest $(jq -r '.tables[] | select(.table == "rooms") | .digest' "$BK/manifest.json")" ]
	[ "$(pg_sql "SELECT count(*) FROM hotel.stays")" = 2 ]
}

@test "a damaged backup is not restored; a restore that differs from the manifest fails naming the table" {
	new=$(new_name 3)
	cp -r "$BK" bad
	printf '\001' | dd of=bad/dump.pgfc bs=1 seek=100 conv=notrunc status=none
	run -1 "$R" -d "$new" bad
	assert_output --partial "bad/dump.pgfc: sha256 differs from the manifest (the file changed or is damaged); nothing restored"
	[ "$(pg_sql "SELECT count(*) FROM pg_database WHERE datname = '$new'")" = 0 ]
	# failed attempts are recorded too, in the history of the directory that holds the backup
	[ "$(jq -r '"\(.kind) \(.database) \(.status) \(.verified) \(.backup)"' history.jsonl)" = "restore $new failed null $PWD/bad" ]
	[[ $(jq -r .message history.jsonl) == *"sha256 differs from the manifest"* ]]
	# a manifest that claims other rows
	cp -r "$BK" other
	jq '(.tables[] | select(.table == "stays") | .digest) = "00000000000000000000000000000000"' "$BK/manifest.json" >other/manifest.json
	run -1 "$R" -d "$new" other
	assert_output --partial "restore: hotel.stays: rows 2 restored, rows 2 in the manifest; digests differ"
	assert_output --partial "but 1 of 2 table(s) differ from the manifest"
	[ "$(tail -n 1 history.jsonl | jq -r '"\(.status) \(.verified) \(.tables) \(.backup)"')" = "failed false 2 $PWD/other" ]
	run -2 "$R" -d "$new" "$BATS_TEST_TMPDIR"
	assert_output --partial "not a backup (no manifest.json)"
	run -2 "$R" a b
	run -0 "$R" --help
	assert_line --index 0 --partial 'usage: restore '
	assert_line --partial 'restore: a PostgreSQL backup of backup(1) into a new database'
}
