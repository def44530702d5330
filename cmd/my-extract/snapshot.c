/*
 * snapshot.c - --snapshot: a consistent read of the table on every connection, and the
 * binary log (or GTID) position it corresponds to, recorded in the stream's header.
 */
#include <stdlib.h>
#include <string.h>

#include <mysqld_error.h>

#include "log.h"
#include "my-extract.h"

/* a snapshot failed after the global read lock was taken: release it before the error
 * ends the run (closing the connection would release it too, but a failure is said) */
static void unlock_after_failure(extract *x, bool locked)
{
	if (locked && !myconn_exec(x->m, "UNLOCK TABLES"))
		log_warn("[source] the global read lock stays until the connection closes");
}

/* FLUSH TABLES WITH READ LOCK (when permitted), consistent-snapshot transactions on every
 * connection while it is held, the binary log position, UNLOCK TABLES */
mx_status mx_take_snapshot(extract *x)
{
	MYSQL *conns[2] = {x->m, x->m2};
	for (size_t i = 0; i < 2; i++)
		if (conns[i] && !myconn_exec(conns[i], "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
			return MX_SOURCE;
	bool locked = true;
	log_debug("[source] query: FLUSH TABLES WITH READ LOCK");
	if (mysql_query(x->m, "FLUSH TABLES WITH READ LOCK") != 0) {
		unsigned e = mysql_errno(x->m);
		if (e != ER_SPECIFIC_ACCESS_DENIED_ERROR && e != ER_ACCESS_DENIED_ERROR && e != ER_DBACCESS_DENIED_ERROR) {
			myconn_log_error(x->m, "FLUSH TABLES WITH READ LOCK");
			return MX_SOURCE;
		}
		locked = false;
		log_warn("[source] FLUSH TABLES WITH READ LOCK not permitted (%s): snapshot taken without the global "
		         "read lock, so the recorded %s may not match it exactly%s",
		         mysql_error(x->m), myconn_is_mariadb(x->m) ? "GTID position" : "binary log position",
		         x->m2 ? ", and long values read apart may come from a slightly later state" : "");
	}
	for (size_t i = 0; i < 2; i++) {
		if (conns[i] && !myconn_exec(conns[i], "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY")) {
			unlock_after_failure(x, locked);
			return MX_SOURCE;
		}
	}
	bool mariadb = myconn_is_mariadb(x->m);
	char *file = NULL, *pos = NULL, *gtid = NULL;
	if (mariadb) {
		/* exact for this transaction's snapshot, lock or no lock */
		myconn_rows it;
		if (!myconn_rows_open(&it, x->m, "SHOW SESSION STATUS LIKE 'binlog_snapshot_%'", 2))
			goto fail;
		while (myconn_rows_next(&it)) {
			const char *name = it.row[0], *value = it.row[1];
			if (!name || !value || !value[0])
				continue;
			if (strcmp(name, "Binlog_snapshot_file") == 0)
				file = mem_strdup(value);
			else if (strcmp(name, "Binlog_snapshot_position") == 0)
				pos = mem_strdup(value);
		}
		myconn_rows_close(&it);
		if (!myconn_value(x->m, "SELECT @@GLOBAL.gtid_binlog_pos", &gtid))
			goto fail;
	} else {
		/* MySQL: under the lock, SHOW MASTER STATUS (SHOW BINARY LOG STATUS from 8.4) */
		MYSQL_RES *r = NULL;
		log_debug("[source] query: SHOW MASTER STATUS");
		if (mysql_query(x->m, "SHOW MASTER STATUS") == 0) {
			r = mysql_store_result(x->m);
		} else if (mysql_errno(x->m) == ER_PARSE_ERROR) {
			r = myconn_store(x->m, "SHOW BINARY LOG STATUS");
			if (!r)
				goto fail;
		} else {
			log_warn("[source] %u %s (SHOW MASTER STATUS): no binary log position recorded", mysql_errno(x->m),
			         mysql_error(x->m));
		}
		if (r) {
			MYSQL_ROW row = mysql_fetch_row(r);
			if (row && mysql_num_fields(r) >= 2 && row[0] && row[1]) {
				file = mem_strdup(row[0]);
				pos = mem_strdup(row[1]);
			}
			if (row && mysql_num_fields(r) >= 5 && row[4] && row[4][0])
				gtid = mem_strdup(row[4]);
			mysql_free_result(r);
		}
	}
	if (locked && !myconn_exec(x->m, "UNLOCK TABLES"))
		goto fail_unlocked;
	if (file && pos) {
		rs_header_add_meta(x->h, "binlog_file", file);
		rs_header_add_meta(x->h, "binlog_pos", pos);
		log_info("[source] snapshot at binary log %s:%s", file, pos);
	} else {
		log_warn("[source] binary log disabled or not visible: no position recorded for the snapshot");
	}
	if (gtid && *gtid)
		rs_header_add_meta(x->h, mariadb ? "gtid_binlog_pos" : "gtid_executed", gtid);
	free(file);
	free(pos);
	free(gtid);
	return MX_OK;
fail:
	unlock_after_failure(x, locked);
fail_unlocked:
	free(file);
	free(pos);
	free(gtid);
	return MX_SOURCE;
}
