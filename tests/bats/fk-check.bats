#!/usr/bin/env bats
# fk-check: orphans on the MySQL side and the PostgreSQL side, and moving them aside.

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
}

myfk() { "$BIN/fk-check" --mysql --socket "$MYSQL_UNIX_PORT" --user root "$@"; }
pgfk() { "$BIN/fk-check" --pg "$@"; }

# the hotel: rooms, bookings (a MATCH SIMPLE key that may be NULL), items of a booking
# (ON DELETE CASCADE), a composite key and a self-reference; orphans inserted with the
# checks off
my_hotel() {
	my_sql "CREATE TABLE room (id int PRIMARY KEY, name varchar(20))" \
		"CREATE TABLE booking (id int PRIMARY KEY, room_id int, guest varchar(20),
		   CONSTRAINT fk_booking_room FOREIGN KEY (room_id) REFERENCES room (id))" \
		"CREATE TABLE item (booking_id int, n int, note text, PRIMARY KEY (booking_id, n),
		   CONSTRAINT fk_item_booking FOREIGN KEY (booking_id) REFERENCES booking (id) ON DELETE CASCADE)" \
		"CREATE TABLE rate (room_id int, season char(2), price int, PRIMARY KEY (room_id, season))" \
		"CREATE TABLE quote (id int PRIMARY KEY, room_id int, season char(2),
		   CONSTRAINT fk_quote_rate FOREIGN KEY (room_id, season) REFERENCES rate (room_id, season))" \
		"CREATE TABLE staff (id int PRIMARY KEY, boss int, CONSTRAINT fk_boss FOREIGN KEY (boss) REFERENCES staff (id))" \
		"INSERT INTO room VALUES (1, 'a'), (2, 'b')" \
		"INSERT INTO booking VALUES (10, 1, 'x'), (11, NULL, 'walk-in')" \
		"INSERT INTO item VALUES (10, 1, 'ok')" \
		"INSERT INTO rate VALUES (1, 'hi', 100)" \
		"INSERT INTO quote VALUES (1, 1, 'hi'), (2, 1, NULL), (3, NULL, 'lo')" \
		"INSERT INTO staff VALUES (1, NULL), (2, 1)"
	my_sql "SET foreign_key_checks = 0" \
		"INSERT INTO booking VALUES (12, 99, 'orphan')" \
		"INSERT INTO item VALUES (12, 1, 'child of an orphan'), (77, 1, 'orphan item')" \
		"INSERT INTO quote VALUES (4, 1, 'lo')" \
		"INSERT INTO staff VALUES (3, 42)"
}

@test "MySQL: every orphan is listed, MATCH SIMPLE keys with a NULL are not orphans" {
	my_hotel
	run -1 --separate-stderr myfk "$MYDB"
	assert_line "fk_booking_room $MYDB.booking 12: (room_id)=(99) not in $MYDB.room(id)"
	assert_line "fk_item_booking $MYDB.item 77,1: (booking_id)=(77) not in $MYDB.booking(id)"
	assert_line "fk_quote_rate $MYDB.quote 4: (room_id, season)=(1,lo) not in $MYDB.rate(room_id, season)"
	assert_line "fk_boss $MYDB.staff 3: (boss)=(42) not in $MYDB.staff(id)"
	assert_equal "${#lines[@]}" 4
	[[ $stderr == *"4 orphans in 4 of 4 foreign keys of database $MYDB"* ]]
	# only one table
	run -1 --separate-stderr myfk --table booking "$MYDB"
	assert_output "fk_booking_room $MYDB.booking 12: (room_id)=(99) not in $MYDB.room(id)"
	run -0 myfk --table room "$MYDB" # a parent only: no key has it as child
}

@test "MySQL: no orphan, exit 0; --stream writes them as a row stream" {
	my_sql "CREATE TABLE p (id int PRIMARY KEY)" \
		"CREATE TABLE c (id int PRIMARY KEY, p int, FOREIGN KEY (p) REFERENCES p (id))" \
		"INSERT INTO p VALUES (1)" "INSERT INTO c VALUES (1, 1), (2, NULL)"
	run -0 --separate-stderr myfk "$MYDB"
	assert_output ""
	my_sql "SET foreign_key_checks = 0" "INSERT INTO c VALUES (3, 5)"
	run -1 myfk --stream o.rs "$MYDB"
	run -0 "$BIN/row-cat" o.rs
	assert_line --index 0 "constraint,child_table,child_key,columns,missing,parent_table,parent_columns"
	assert_line --index 1 --regexp "^c_ibfk_1,$MYDB.c,3,p,5,$MYDB.p,id$"
	# a stream or a report that cannot be written is an I/O error (exit 6), said once
	run -6 --separate-stderr myfk --stream /dev/full "$MYDB"
	[[ $stderr == *"/dev/full"* ]]
	run -6 --separate-stderr full_stdout myfk "$MYDB"
	[ "$(grep -c 'stdout: write error' <<<"$stderr")" -eq 1 ]
}

full_stdout() { "$@" >/dev/full; }

@test "MySQL --quarantine: orphans and the rows they orphan move aside, nothing cascades" {
	my_hotel
	run -0 --separate-stderr myfk --quarantine "$MYDB"
	assert_line "moved 1 row of $MYDB.booking to $MYDB.booking_orphans (fk_booking_room)"
	assert_line "moved 2 rows of $MYDB.item to $MYDB.item_orphans (fk_item_booking)"
	assert_line "moved 1 row of $MYDB.quote to $MYDB.quote_orphans (fk_quote_rate)"
	assert_line "moved 1 row of $MYDB.staff to $MYDB.staff_orphans (fk_boss)"
	run -0 my_sql "SELECT booking_id, n, note, constraint_name FROM item_orphans ORDER BY booking_id"
	assert_output "$(printf '12\t1\tchild of an orphan\tfk_item_booking\n77\t1\torphan item\tfk_item_booking')"
	run -0 my_sql "SELECT id, room_id, guest, constraint_name, moved_at IS NOT NULL FROM booking_orphans"
	assert_output "$(printf '12\t99\torphan\tfk_booking_room\t1')"
	run -0 my_sql "SELECT count(*) FROM booking" "SELECT count(*) FROM item"
	assert_output "$(printf '2\n1')"
	run -0 myfk "$MYDB"
	# no side table for a key that had nothing to move
	run -0 my_sql "SHOW TABLES LIKE 'room_orphans'"
	assert_output ""
}

@test "PostgreSQL: NOT VALID constraints are checked; quarantine lets them validate" {
	pg_sql "CREATE TABLE room (id int PRIMARY KEY)" \
		"CREATE TABLE booking (id int PRIMARY KEY, room_id int)" \
		"CREATE TABLE item (booking_id int, n int, PRIMARY KEY (booking_id, n))" \
		"INSERT INTO room VALUES (1)" "INSERT INTO booking VALUES (10, 1), (11, NULL), (12, 99)" \
		"INSERT INTO item VALUES (10, 1), (12, 1), (77, 1)" \
		"ALTER TABLE booking ADD CONSTRAINT fk_booking_room FOREIGN KEY (room_id) REFERENCES room (id) NOT VALID" \
		"ALTER TABLE item ADD CONSTRAINT fk_item_booking FOREIGN KEY (booking_id) REFERENCES booking (id)
		   ON DELETE CASCADE NOT VALID"
	run -1 --separate-stderr pgfk -v
	assert_line "fk_booking_room public.booking 12: (room_id)=(99) not in public.room(id)"
	assert_line "fk_item_booking public.item 77,1: (booking_id)=(77) not in public.booking(id)"
	assert_equal "${#lines[@]}" 2
	[[ $stderr == *"fk_booking_room public.booking -> public.room: 1 orphan (constraint NOT VALID)"* ]]
	run -1 pg_sql "ALTER TABLE booking VALIDATE CONSTRAINT fk_booking_room"
	run -0 --separate-stderr pgfk --quarantine public
	assert_line "moved 1 row of public.booking to public.booking_orphans (fk_booking_room)"
	assert_line "moved 2 rows of public.item to public.item_orphans (fk_item_booking)"
	# the cascade did not run: the item of booking 12 was moved, not deleted
	run -0 pg_sql "SELECT booking_id, n, constraint_name FROM item_orphans ORDER BY 1"
	assert_output "$(printf '12|1|fk_item_booking\n77|1|fk_item_booking')"
	pg_sql "ALTER TABLE booking VALIDATE CONSTRAINT fk_booking_room" \
		"ALTER TABLE item VALIDATE CONSTRAINT fk_item_booking"
	run -0 pgfk
}

@test "PostgreSQL MATCH FULL: a partly NULL key is an orphan too" {
	pg_sql "CREATE TABLE p (a int, b int, UNIQUE (a, b))" "CREATE TABLE c (id int PRIMARY KEY, a int, b int)" \
		"INSERT INTO p VALUES (1, 1)" "INSERT INTO c VALUES (1, 1, 1), (2, NULL, NULL), (3, 1, NULL), (4, 2, 2)" \
		"ALTER TABLE c ADD CONSTRAINT c_full FOREIGN KEY (a, b) REFERENCES p (a, b) MATCH FULL NOT VALID"
	run -1 --separate-stderr pgfk
	assert_output "$(printf '%s\n' 'c_full public.c 3: (a, b)=(1,NULL) not in public.p(a, b)' \
		'c_full public.c 4: (a, b)=(2,2) not in public.p(a, b)')"
}

@test "PostgreSQL --source-fks: the source's keys are checked before the target has them" {
	my_hotel
	# the target as a plain load leaves it: the tables, no constraints, the same rows
	pg_sql "CREATE SCHEMA \"$MYDB\"" "SET search_path = \"$MYDB\"" \
		"CREATE TABLE room (id int PRIMARY KEY, name text)" \
		"CREATE TABLE booking (id int PRIMARY KEY, room_id int, guest text)" \
		"CREATE TABLE item (booking_id int, n int, note text, PRIMARY KEY (booking_id, n))" \
		"CREATE TABLE rate (room_id int, season text, price int, PRIMARY KEY (room_id, season))" \
		"CREATE TABLE quote (id int PRIMARY KEY, room_id int, season text)" \
		"CREATE TABLE \"Staff\" (id int PRIMARY KEY, boss int)" \
		"INSERT INTO room VALUES (1, 'a'), (2, 'b')" \
		"INSERT INTO booking VALUES (10, 1, 'x'), (11, NULL, 'walk-in'), (12, 99, 'orphan')" \
		"INSERT INTO item VALUES (10, 1, 'ok'), (12, 1, 'c'), (77, 1, 'o')" \
		"INSERT INTO rate VALUES (1, 'hi', 100)" \
		"INSERT INTO quote VALUES (1, 1, 'hi'), (2, 1, NULL), (3, NULL, 'lo'), (4, 1, 'lo')" \
		"INSERT INTO \"Staff\" VALUES (1, NULL), (2, 1), (3, 42)"
	run -0 pgfk "$MYDB"
	run -1 --separate-stderr pgfk --source-fks "$MYDB" --socket "$MYSQL_UNIX_PORT" --user root "$MYDB"
	assert_line "fk_booking_room $MYDB.booking 12: (room_id)=(99) not in $MYDB.room(id)"
	assert_line "fk_item_booking $MYDB.item 77,1: (booking_id)=(77) not in $MYDB.booking(id)"
	assert_line "fk_quote_rate $MYDB.quote 4: (room_id, season)=(1,lo) not in $MYDB.rate(room_id, season)"
	assert_line "fk_boss $MYDB.Staff 3: (boss)=(42) not in $MYDB.Staff(id)"
	assert_equal "${#lines[@]}" 4
	# a key declared on both sides is checked once
	pg_sql "ALTER TABLE \"$MYDB\".booking ADD CONSTRAINT fk_booking_room FOREIGN KEY (room_id) REFERENCES \"$MYDB\".room (id) NOT VALID"
	run -1 --separate-stderr pgfk --source-fks "$MYDB" --socket "$MYSQL_UNIX_PORT" --user root --table booking "$MYDB"
	assert_output "fk_booking_room $MYDB.booking 12: (room_id)=(99) not in $MYDB.room(id)"
	# and the quarantine works from the source's keys
	run -0 pgfk --source-fks "$MYDB" --socket "$MYSQL_UNIX_PORT" --user root --quarantine "$MYDB"
	assert_line "moved 1 row of $MYDB.Staff to $MYDB.Staff_orphans (fk_boss)"
	pg_sql "ALTER TABLE \"$MYDB\".booking VALIDATE CONSTRAINT fk_booking_room"
}

@test "identifiers with quotes, backticks and spaces are quoted everywhere" {
	my_sql 'CREATE TABLE `pa"r``ent` (`i d` int PRIMARY KEY)' \
		'CREATE TABLE `ch ild` (`k` int PRIMARY KEY, `re"f` int, CONSTRAINT `f k` FOREIGN KEY (`re"f`) REFERENCES `pa"r``ent` (`i d`))' \
		'SET foreign_key_checks = 0' 'INSERT INTO `ch ild` VALUES (1, 2)'
	run -1 --separate-stderr myfk "$MYDB"
	assert_output "f k $MYDB.ch ild 1: (re\"f)=(2) not in $MYDB.pa\"r\`ent(i d)"
	run -0 myfk --quarantine "$MYDB"
	run -0 my_sql 'SELECT `k`, `re"f`, constraint_name FROM `ch ild_orphans`'
	assert_output "$(printf '1\t2\tf k')"
	pg_sql 'CREATE TABLE "pa""r`ent" ("i d" int PRIMARY KEY)' 'CREATE TABLE "ch ild" (k int PRIMARY KEY, "re""f" int)' \
		'INSERT INTO "ch ild" VALUES (1, 2)' \
		'ALTER TABLE "ch ild" ADD CONSTRAINT "f k" FOREIGN KEY ("re""f") REFERENCES "pa""r`ent" ("i d") NOT VALID'
	run -1 --separate-stderr pgfk
	assert_output "f k public.ch ild 1: (re\"f)=(2) not in public.pa\"r\`ent(i d)"
	run -0 pgfk --quarantine
	run -0 pg_sql 'SELECT k, "re""f", constraint_name FROM "ch ild_orphans"'
	assert_output '1|2|f k'
}

@test "names: the rule and messages of pg-extract and pg-load (pgcatalog.h)" {
	pg_sql 'CREATE SCHEMA "Shop"' 'CREATE SCHEMA "SHOP"'
	run -5 --separate-stderr pgfk shop
	[[ $stderr == *'[target] schema name shop is ambiguous: SHOP and Shop (quote it)'* ]]
	run -0 pgfk -q '"Shop"'
	run -0 pgfk -q SHOP
	run -5 --separate-stderr pgfk '"shop"'
	[[ $stderr == *'[target] schema "shop" not found'* ]]
	run -2 pgfk '"Shop".x'
	# a source table the target holds twice without case
	my_hotel
	pg_sql "CREATE SCHEMA \"$MYDB\"" "SET search_path = \"$MYDB\"" \
		'CREATE TABLE "Room" (id int PRIMARY KEY)' 'CREATE TABLE "ROOM" (id int PRIMARY KEY)' \
		'CREATE TABLE booking (id int PRIMARY KEY, room_id int)'
	run -5 --separate-stderr pgfk --source-fks "$MYDB" --socket "$MYSQL_UNIX_PORT" --user root "$MYDB"
	[[ $stderr == *"[target] table name \"$MYDB\".room is ambiguous: $MYDB.ROOM and $MYDB.Room (quote it)"* ]]
}

@test "usage and connection errors" {
	run -2 "$BIN/fk-check" "$MYDB"
	run -2 "$BIN/fk-check" --mysql --pg x
	run -2 "$BIN/fk-check" --pg --user root x
	run -2 "$BIN/fk-check" --mysql -d x y
	run -2 "$BIN/fk-check" --mysql --socket "$MYSQL_UNIX_PORT"
	run -4 "$BIN/fk-check" --mysql --socket /nonexistent --no-defaults x
	run -5 "$BIN/fk-check" --pg -d "host=/nonexistent dbname=x"
	# a database or schema that does not exist is an error, not "no orphans"
	run -4 --separate-stderr "$BIN/fk-check" --mysql --socket "$MYSQL_UNIX_PORT" --user root nothing_here
	[[ $stderr == *"[source] database nothing_here not found"* ]]
	run -5 --separate-stderr "$BIN/fk-check" --pg nothing_here
	[[ $stderr == *"[target] schema nothing_here not found"* ]]
	# a schema name matches without case when unique (my-schema lowercases names)
	pg_sql "CREATE SCHEMA lower_one"
	run -0 "$BIN/fk-check" --pg -q LOWER_ONE
	run -0 "$BIN/fk-check" --help
	assert_line --index 0 --partial 'usage: fk-check --mysql'
	assert_line --index 5 '       fk-check --pg [-d conninfo] [-q | -v] [--quarantine] [--table table]...'
	assert_line --index 6 '                [--stream file] [--source-fks db [mysql-options]] [schema]'
	assert_line --index 7 '       fk-check --help'
}
