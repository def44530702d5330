#include "mytable.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "charset.h"
#include "hex.h"
#include "log.h"
#include "myconn.h"

static void col_free(mytable_col *c)
{
	free(c->name);
	free(c->column_type);
	free(c->data_type);
	free(c->char_max_length);
	free(c->numeric_precision);
	free(c->numeric_scale);
	free(c->datetime_precision);
	free(c->charset);
	free(c->collation);
	free(c->extra);
	free(c->column_default);
	free(c->comment);
	free(c->generation_expression);
	myconn_free_members(c->members, c->member_lens, c->nmembers);
}

void mytable_free(mytable *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->ncols; i++)
		col_free(&t->cols[i]);
	free(t->cols);
	free(t->db);
	free(t->name);
	free(t->table_type);
	free(t->engine);
	free(t->pk);
	free(t->uniq);
	free(t);
}

int mytable_find(const mytable *t, const char *name)
{
	for (size_t i = 0; i < t->ncols; i++)
		if (strcmp(t->cols[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* the rows of "<select> WHERE TABLE_SCHEMA = 'db' AND TABLE_NAME = 'table'<tail>", whose
 * first two columns are TABLE_SCHEMA and TABLE_NAME; false (logged) on error */
static bool open_table_rows(MYSQL *m, myconn_rows *it, const char *select, const char *db, const char *table,
                            const char *tail, unsigned ncols)
{
	buf q;
	buf_init(&q);
	buf_puts(&q, select);
	myconn_where_table(m, &q, db, table);
	if (tail)
		buf_puts(&q, tail);
	bool ok = myconn_rows_open(it, m, buf_cstr(&q), ncols);
	buf_free(&q);
	return ok;
}

/* the row names db.table exactly (information_schema compares names without case) */
static bool row_is_table(const myconn_rows *it, const char *db, const char *table)
{
	return myconn_rows_is(it, 0, db) && myconn_rows_is(it, 1, table);
}

static mytable_status find_table(MYSQL *m, const char *db, const char *table, mytable *t)
{
	myconn_rows it;
	if (!open_table_rows(m, &it, "SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, ENGINE FROM information_schema.TABLES",
	                     db, table, NULL, 4))
		return MYTABLE_ERROR;
	size_t matches = 0;
	bool exact = false;
	while (myconn_rows_next(&it)) {
		bool is_exact = row_is_table(&it, db, table);
		if (exact && !is_exact)
			continue;
		if (is_exact && !exact) {
			exact = true;
			matches = 0;
		}
		matches++;
		free(t->db);
		free(t->name);
		free(t->table_type);
		free(t->engine);
		t->db = myconn_rows_dup(&it, 0);
		t->name = myconn_rows_dup(&it, 1);
		t->table_type = myconn_rows_dup(&it, 2);
		t->engine = myconn_rows_dup(&it, 3);
	}
	myconn_rows_close(&it);
	if (matches == 1 && t->db && t->name)
		return MYTABLE_OK;
	if (matches > 1)
		log_error("table %s.%s is ambiguous: several tables differ only in letter case", db, table);
	else
		log_error("table %s.%s not found (or no privilege on it)", db, table);
	return MYTABLE_NOT_FOUND;
}

static void lowercase(char *s)
{
	for (; s && *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

static bool nonempty(const char *s)
{
	return s && *s;
}

static mytable_status read_columns(MYSQL *m, mytable *t)
{
	myconn_rows it;
	if (!open_table_rows(m, &it,
	                     "SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, DATA_TYPE, IS_NULLABLE, "
	                     "CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION, NUMERIC_SCALE, DATETIME_PRECISION, "
	                     "CHARACTER_SET_NAME, COLLATION_NAME, EXTRA, COLUMN_DEFAULT, COLUMN_COMMENT, "
	                     "GENERATION_EXPRESSION FROM information_schema.COLUMNS",
	                     t->db, t->name, " ORDER BY ORDINAL_POSITION", 16))
		return MYTABLE_ERROR;
	while (myconn_rows_next(&it)) {
		if (!row_is_table(&it, t->db, t->name))
			continue; /* a case-insensitive match of another table */
		t->cols = mem_realloc(t->cols, (t->ncols + 1) * sizeof *t->cols);
		mytable_col *c = &t->cols[t->ncols++];
		memset(c, 0, sizeof *c);
		c->name = myconn_rows_dup(&it, 2);
		c->column_type = myconn_rows_dup(&it, 3);
		c->data_type = myconn_rows_dup(&it, 4);
		if (!c->name || !c->column_type || !c->data_type) {
			myconn_rows_close(&it);
			log_error("[source] information_schema.COLUMNS of %s.%s has a column without name or type", t->db,
			          t->name);
			return MYTABLE_ERROR;
		}
		lowercase(c->data_type);
		c->nullable = !myconn_rows_is(&it, 5, "NO");
		c->char_max_length = myconn_rows_dup(&it, 6);
		c->numeric_precision = myconn_rows_dup(&it, 7);
		c->numeric_scale = myconn_rows_dup(&it, 8);
		c->datetime_precision = myconn_rows_dup(&it, 9);
		c->charset = myconn_rows_dup(&it, 10);
		c->collation = myconn_rows_dup(&it, 11);
		c->extra = myconn_rows_dup(&it, 12);
		c->column_default = myconn_rows_dup(&it, 13);
		c->comment = myconn_rows_dup(&it, 14);
		c->generation_expression = myconn_rows_dup(&it, 15);
		c->generated = nonempty(c->generation_expression);
		c->is_unsigned = strstr(c->column_type, "unsigned") != NULL;
		if ((strcmp(c->data_type, "enum") == 0 || strcmp(c->data_type, "set") == 0) &&
		    !myconn_parse_members(c->column_type, &c->members, &c->member_lens, &c->nmembers)) {
			myconn_rows_close(&it);
			log_error("[source] column %s of %s.%s: unable to parse the members of %s", c->name, t->db, t->name,
			          c->column_type);
			return MYTABLE_ERROR;
		}
	}
	myconn_rows_close(&it);
	if (t->ncols == 0) {
		log_error("table %s.%s has no columns visible to this user", t->db, t->name);
		return MYTABLE_NOT_FOUND;
	}
	return MYTABLE_OK;
}

typedef struct index_acc {
	char *name;
	bool unique;
	bool usable; /* every part a known NOT NULL column */
	size_t n;
	size_t *cols;
} index_acc;

static void index_consider(mytable *t, index_acc *ix)
{
	if (!ix->name)
		return;
	if (strcmp(ix->name, "PRIMARY") == 0 && ix->usable) {
		free(t->pk);
		t->pk = ix->cols;
		t->npk = ix->n;
		ix->cols = NULL;
	} else if (ix->unique && ix->usable && ix->n > 0 && (t->nuniq == 0 || ix->n < t->nuniq)) {
		free(t->uniq);
		t->uniq = ix->cols;
		t->nuniq = ix->n;
		ix->cols = NULL;
	}
	free(ix->name);
	free(ix->cols);
	memset(ix, 0, sizeof *ix);
}

static mytable_status read_keys(MYSQL *m, mytable *t)
{
	myconn_rows it;
	if (!open_table_rows(m, &it,
	                     "SELECT TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME "
	                     "FROM information_schema.STATISTICS",
	                     t->db, t->name, " ORDER BY INDEX_NAME, SEQ_IN_INDEX", 5))
		return MYTABLE_ERROR;
	index_acc ix;
	memset(&ix, 0, sizeof ix);
	while (myconn_rows_next(&it)) {
		if (!row_is_table(&it, t->db, t->name) || !it.row[2])
			continue;
		if (!ix.name || !myconn_rows_is(&it, 2, ix.name)) {
			index_consider(t, &ix);
			ix.name = myconn_rows_dup(&it, 2);
			ix.unique = myconn_rows_is(&it, 3, "0");
			ix.usable = true;
		}
		int c = -1;
		if (it.row[4]) {
			char *cn = myconn_rows_dup(&it, 4);
			c = mytable_find(t, cn);
			free(cn);
		}
		if (c < 0 || t->cols[c].nullable) {
			ix.usable = false; /* functional key part, or a nullable column */
			continue;
		}
		ix.cols = mem_realloc(ix.cols, (ix.n + 1) * sizeof *ix.cols);
		ix.cols[ix.n++] = (size_t)c;
	}
	index_consider(t, &ix);
	myconn_rows_close(&it);
	if (t->npk) {
		free(t->uniq);
		t->uniq = NULL;
		t->nuniq = 0;
	}
	return MYTABLE_OK;
}

MYSQL_RES *mytable_select_nothing(MYSQL *m, const mytable *t, const size_t *cols, size_t n)
{
	buf q;
	buf_init(&q);
	buf_puts(&q, "SELECT ");
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_puts(&q, ", ");
		myconn_quote_ident(&q, t->cols[cols ? cols[i] : i].name);
	}
	buf_puts(&q, " FROM ");
	myconn_quote_table(&q, t->db, t->name);
	buf_puts(&q, " LIMIT 0");
	MYSQL_RES *r = myconn_store(m, buf_cstr(&q));
	buf_free(&q);
	if (r && mysql_num_fields(r) != n) {
		log_error("[source] %s.%s: expected %zu result columns, got %u", t->db, t->name, n, mysql_num_fields(r));
		mysql_free_result(r);
		r = NULL;
	}
	return r;
}

uint32_t mytable_key_position(const mytable *t, size_t col)
{
	for (size_t k = 0; k < t->npk; k++)
		if (t->pk[k] == col)
			return (uint32_t)k + 1;
	return 0;
}

mytable_status mytable_read(MYSQL *m, const char *db, const char *table, mytable **out)
{
	*out = NULL;
	mytable *t = mem_calloc(1, sizeof *t);
	mytable_status st = find_table(m, db, table, t);
	if (st == MYTABLE_OK)
		st = read_columns(m, t);
	if (st == MYTABLE_OK)
		st = read_keys(m, t);
	if (st != MYTABLE_OK) {
		mytable_free(t);
		return st;
	}
	*out = t;
	return MYTABLE_OK;
}

bool mytable_col_is_long(const mytable_col *c)
{
	static const char *const long_types[] = {"mediumblob", "mediumtext", "longblob", "longtext", "json"};
	for (size_t i = 0; i < sizeof long_types / sizeof long_types[0]; i++)
		if (strcmp(c->data_type, long_types[i]) == 0)
			return true;
	return false;
}

static bool field_is_binary(const MYSQL_FIELD *f)
{
	if (f->charsetnr != 63)
		return false;
	switch (f->type) {
	case MYSQL_TYPE_STRING:
	case MYSQL_TYPE_VAR_STRING:
	case MYSQL_TYPE_VARCHAR:
	case MYSQL_TYPE_TINY_BLOB:
	case MYSQL_TYPE_MEDIUM_BLOB:
	case MYSQL_TYPE_LONG_BLOB:
	case MYSQL_TYPE_BLOB:
	case MYSQL_TYPE_BIT:
	case MYSQL_TYPE_GEOMETRY: return true;
	default: return false;
	}
}

static bool col_is_binary(const mytable_col *c)
{
	static const char *const names[] = {"binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob",
	                                    "bit", "geometry", "point", "linestring", "polygon", "multipoint",
	                                    "multilinestring", "multipolygon", "geometrycollection", NULL};
	for (const char *const *n = names; *n; n++)
		if (strcmp(c->data_type, *n) == 0)
			return true;
	return c->charset && strcmp(c->charset, "binary") == 0;
}

uint32_t mytable_col_type_code(const mytable_col *c)
{
	static const struct {
		const char *name;
		enum enum_field_types code;
	} map[] = {
		{"tinyint", MYSQL_TYPE_TINY},         {"smallint", MYSQL_TYPE_SHORT},
		{"mediumint", MYSQL_TYPE_INT24},      {"int", MYSQL_TYPE_LONG},
		{"integer", MYSQL_TYPE_LONG},         {"bigint", MYSQL_TYPE_LONGLONG},
		{"float", MYSQL_TYPE_FLOAT},          {"double", MYSQL_TYPE_DOUBLE},
		{"real", MYSQL_TYPE_DOUBLE},          {"decimal", MYSQL_TYPE_NEWDECIMAL},
		{"numeric", MYSQL_TYPE_NEWDECIMAL},   {"date", MYSQL_TYPE_DATE},
		{"datetime", MYSQL_TYPE_DATETIME},    {"timestamp", MYSQL_TYPE_TIMESTAMP},
		{"time", MYSQL_TYPE_TIME},            {"year", MYSQL_TYPE_YEAR},
		{"char", MYSQL_TYPE_STRING},          {"binary", MYSQL_TYPE_STRING},
		{"enum", MYSQL_TYPE_STRING},          {"set", MYSQL_TYPE_STRING},
		{"varchar", MYSQL_TYPE_VAR_STRING},   {"varbinary", MYSQL_TYPE_VAR_STRING},
		{"tinyblob", MYSQL_TYPE_BLOB},        {"tinytext", MYSQL_TYPE_BLOB},
		{"blob", MYSQL_TYPE_BLOB},            {"text", MYSQL_TYPE_BLOB},
		{"mediumblob", MYSQL_TYPE_BLOB},      {"mediumtext", MYSQL_TYPE_BLOB},
		{"longblob", MYSQL_TYPE_BLOB},        {"longtext", MYSQL_TYPE_BLOB},
		{"json", MYSQL_TYPE_JSON},            {"bit", MYSQL_TYPE_BIT},
		{"geometry", MYSQL_TYPE_GEOMETRY},    {"point", MYSQL_TYPE_GEOMETRY},
		{"linestring", MYSQL_TYPE_GEOMETRY},  {"polygon", MYSQL_TYPE_GEOMETRY},
		{"multipoint", MYSQL_TYPE_GEOMETRY},  {"multilinestring", MYSQL_TYPE_GEOMETRY},
		{"multipolygon", MYSQL_TYPE_GEOMETRY}, {"geometrycollection", MYSQL_TYPE_GEOMETRY},
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(c->data_type, map[i].name) == 0)
			return (uint32_t)map[i].code;
	return (uint32_t)MYSQL_TYPE_STRING; /* MariaDB's inet4, inet6, uuid... travel as text */
}

static void attr_if(rs_column *rc, const char *key, const char *value, bool only_nonempty)
{
	if (value && (!only_nonempty || *value))
		rs_column_add_attr(rc, key, value);
}

size_t mytable_header_column(rs_header *h, const mytable_col *c, const MYSQL_FIELD *field, uint32_t keypos)
{
	uint32_t flags = 0;
	if (!c->nullable)
		flags |= RS_COL_NOT_NULL;
	if (c->is_unsigned)
		flags |= RS_COL_UNSIGNED;
	if (c->generated)
		flags |= RS_COL_GENERATED;
	if (field ? field_is_binary(field) : col_is_binary(c))
		flags |= RS_COL_BINARY;
	uint32_t code = field ? (uint32_t)field->type : mytable_col_type_code(c);
	size_t i = rs_header_add_column(h, c->name, c->column_type, code, flags, keypos);
	rs_column *rc = &h->cols[i];
	rs_column_add_attr(rc, "data_type", c->data_type);
	attr_if(rc, "precision", c->numeric_precision, false);
	attr_if(rc, "scale", c->numeric_scale, false);
	attr_if(rc, "length", c->char_max_length, false);
	attr_if(rc, "fsp", c->datetime_precision, false);
	attr_if(rc, "charset", c->charset, false);
	attr_if(rc, "collation", c->collation, false);
	for (size_t k = 0; k < c->nmembers; k++)
		rs_column_add_attr_n(rc, "member", c->members[k], c->member_lens[k]);
	attr_if(rc, "extra", c->extra, true);
	attr_if(rc, "default", c->column_default, false);
	attr_if(rc, "comment", c->comment, true);
	attr_if(rc, "generation_expression", c->generation_expression, true);
	if (field) {
		MARIADB_CONST_STRING fmt = {0};
		mariadb_field_attr(&fmt, field, MARIADB_FIELD_ATTR_FORMAT_NAME);
		if (fmt.str && fmt.length) {
			char *s = mem_strndup(fmt.str, fmt.length);
			rs_column_add_attr(rc, "format", s);
			free(s);
		}
	}
	return i;
}

static bool is_integer_text(const char *v, size_t n)
{
	size_t i = 0;
	if (i < n && (v[i] == '-' || v[i] == '+'))
		i++;
	if (i == n)
		return false;
	for (; i < n; i++)
		if (v[i] < '0' || v[i] > '9')
			return false;
	return true;
}

/* [+-]digits[.digits][e[+-]digits] (exponent only when allow_exp) */
static bool is_number_text(const char *v, size_t n, bool allow_exp)
{
	size_t i = 0, digits = 0;
	if (i < n && (v[i] == '-' || v[i] == '+'))
		i++;
	for (; i < n && v[i] >= '0' && v[i] <= '9'; i++)
		digits++;
	if (i < n && v[i] == '.') {
		i++;
		for (; i < n && v[i] >= '0' && v[i] <= '9'; i++)
			digits++;
	}
	if (digits == 0)
		return false;
	if (allow_exp && i < n && (v[i] == 'e' || v[i] == 'E')) {
		i++;
		if (i < n && (v[i] == '-' || v[i] == '+'))
			i++;
		size_t e = 0;
		for (; i < n && v[i] >= '0' && v[i] <= '9'; i++)
			e++;
		if (e == 0)
			return false;
	}
	return i == n;
}

/* CAST(... AS FLOAT): MariaDB 10.4.5, MySQL 8.0.17 */
static bool float_cast_supported(MYSQL *m)
{
	if (!m)
		return false;
	unsigned long v = mysql_get_server_version(m);
	return myconn_is_mariadb(m) ? v >= 100405 : v >= 80017;
}

static bool type_is(const mytable_col *c, const char *const *names)
{
	for (; *names; names++)
		if (strcmp(c->data_type, *names) == 0)
			return true;
	return false;
}

static int member_index(const mytable_col *c, const char *v, size_t n)
{
	for (size_t i = 0; i < c->nmembers; i++)
		if (c->member_lens[i] == n && memcmp(c->members[i], v, n) == 0)
			return (int)i + 1;
	return 0;
}

/* CONVERT(_cs X'..' USING utf8mb4): the value as UTF-8, to compare with catalog text */
static void utf8_value(buf *out, const mytable_col *c, const char *v, size_t n)
{
	buf_puts(out, "CONVERT(");
	myconn_hex_literal(out, c->charset, v, n);
	buf_puts(out, " USING utf8mb4)");
}

static void enum_literal(buf *out, const mytable_col *c, const char *v, size_t n)
{
	int idx = member_index(c, v, n);
	if (idx > 0 || n == 0) {
		buf_printf(out, "%d", idx); /* '' is the error value, index 0 */
		return;
	}
	/* not byte-equal to a member: a non-UTF-8 column charset; let the server map it */
	buf_puts(out, "FIELD(");
	utf8_value(out, c, v, n);
	for (size_t i = 0; i < c->nmembers; i++) {
		buf_puts(out, ", ");
		myconn_hex_literal(out, "utf8mb4", c->members[i], c->member_lens[i]);
	}
	buf_putc(out, ')');
}

static void set_literal(buf *out, const mytable_col *c, const char *v, size_t n)
{
	uint64_t mask = 0;
	bool all_found = true;
	size_t start = 0;
	for (size_t i = 0; n > 0 && i <= n; i++) {
		if (i == n || v[i] == ',') {
			int idx = member_index(c, v + start, i - start);
			if (idx > 0 && idx <= 64)
				mask |= (uint64_t)1 << (idx - 1);
			else
				all_found = false;
			start = i + 1;
		}
	}
	if (all_found) {
		buf_printf(out, "%llu", (unsigned long long)mask);
		return;
	}
	buf_puts(out, "(0");
	for (size_t i = 0; i < c->nmembers && i < 64; i++) {
		buf_puts(out, " + (FIND_IN_SET(");
		myconn_hex_literal(out, "utf8mb4", c->members[i], c->member_lens[i]);
		buf_puts(out, ", ");
		utf8_value(out, c, v, n);
		buf_printf(out, ") > 0) * %llu", (unsigned long long)((uint64_t)1 << i));
	}
	buf_putc(out, ')');
}

bool mytable_literal(MYSQL *m, buf *out, const mytable_col *c, const char *v, size_t n)
{
	static const char *const ints[] = {"tinyint", "smallint", "mediumint", "int", "integer", "bigint", "year", NULL};
	static const char *const decimals[] = {"decimal", "numeric", NULL};
	static const char *const floats[] = {"float", "double", "real", "double precision", NULL};
	static const char *const texts[] = {"char", "varchar", "tinytext", "text", "mediumtext", "longtext", NULL};
	static const char *const binaries[] = {"binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob", NULL};
	if (type_is(c, ints) || type_is(c, decimals) || type_is(c, floats)) {
		bool ok = type_is(c, ints) ? is_integer_text(v, n) : is_number_text(v, n, type_is(c, floats));
		if (!ok) {
			log_error("'%.*s' is not a valid value for column %s (%s)", (int)(n > 100 ? 100 : n), v, c->name,
			          c->column_type);
			return false;
		}
		if (strcmp(c->data_type, "float") == 0 && float_cast_supported(m)) {
			/* the FLOAT nearest to the text, as the column holds it: the same for the
			 * DOUBLE text my-extract writes and for the shortest text PostgreSQL prints
			 * for a real (a bare literal would be compared as a double) */
			buf_puts(out, "CAST(");
			buf_append(out, v, n);
			buf_puts(out, " AS FLOAT)");
			return true;
		}
		buf_append(out, v, n);
		return true;
	}
	if (strcmp(c->data_type, "bit") == 0) {
		if (n > 8) {
			log_error("value of %zu bytes is too long for column %s (%s)", n, c->name, c->column_type);
			return false;
		}
		uint64_t x = 0;
		for (size_t i = 0; i < n; i++)
			x = x << 8 | (uint8_t)v[i];
		buf_printf(out, "%llu", (unsigned long long)x);
		return true;
	}
	if (strcmp(c->data_type, "enum") == 0) {
		enum_literal(out, c, v, n);
		return true;
	}
	if (strcmp(c->data_type, "set") == 0) {
		set_literal(out, c, v, n);
		return true;
	}
	if (type_is(c, binaries) || (type_is(c, texts) && (!c->charset || strcmp(c->charset, "binary") == 0))) {
		myconn_hex_literal(out, "binary", v, n);
		return true;
	}
	if (type_is(c, texts)) {
		myconn_hex_literal(out, c->charset, v, n);
		return true;
	}
	myconn_quote_literal(m, out, v, n);
	return true;
}

static bool text_is(const char *v, size_t n, const char *word)
{
	return strlen(word) == n && strncasecmp(v, word, n) == 0;
}

/* bytea hex output "\x0a1b..." decoded into out; false when v is not of that form */
static bool bytea_text(const char *v, size_t n, buf *out)
{
	return n >= 2 && v[0] == '\\' && v[1] == 'x' && hex_decode(out, v + 2, n - 2);
}

/* uuid output "0123abcd-...-..." decoded into its 16 bytes; false when v is not of that form */
static bool uuid_text(const char *v, size_t n, buf *out)
{
	if (n != 36)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((i == 8 || i == 13 || i == 18 || i == 23) ? v[i] != '-' : hex_value((unsigned char)v[i]) < 0)
			return false;
	for (size_t i = 0; i < n; i += 2) {
		if (v[i] == '-')
			i++;
		buf_putc(out, (uint8_t)(hex_value((unsigned char)v[i]) << 4 | hex_value((unsigned char)v[i + 1])));
	}
	return true;
}

bool mytable_key_literal(MYSQL *m, buf *out, const mytable_col *c, const char *v, size_t n)
{
	static const char *const binaries[] = {"varbinary", "tinyblob", "blob", "mediumblob", "longblob", NULL};
	static const char *const texts[] = {"char", "varchar", "tinytext", "text", "mediumtext", "longtext", NULL};
	static const char *const dates[] = {"date", "datetime", "timestamp", NULL};
	bool is_true = text_is(v, n, "t") || text_is(v, n, "true");
	bool is_false = text_is(v, n, "f") || text_is(v, n, "false");
	long bits = c->numeric_precision ? strtol(c->numeric_precision, NULL, 10) : 0;
	if (((strcmp(c->data_type, "tinyint") == 0 && strncmp(c->column_type, "tinyint(1)", 10) == 0) ||
	     (strcmp(c->data_type, "bit") == 0 && bits == 1)) &&
	    (is_true || is_false)) {
		buf_puts(out, is_true ? "1" : "0");
		return true;
	}
	size_t ndigits = 0;
	while (ndigits < n && (v[ndigits] == '0' || v[ndigits] == '1'))
		ndigits++;
	if (strcmp(c->data_type, "bit") == 0 && bits > 1 && (size_t)bits == n && ndigits == n) {
		uint64_t x = 0;
		for (size_t i = 0; i < n; i++)
			x = x << 1 | (uint64_t)(v[i] == '1');
		buf_printf(out, "%llu", (unsigned long long)x);
		return true;
	}
	buf conv;
	buf_init(&conv);
	bool ok;
	long len = c->char_max_length ? strtol(c->char_max_length, NULL, 10) : -1;
	bool is_binary = strcmp(c->data_type, "binary") == 0;
	if ((((is_binary && len >= 0 && n == (size_t)len * 2 + 2) || type_is(c, binaries)) && bytea_text(v, n, &conv)) ||
	    (is_binary && len == 16 && uuid_text(v, n, &conv))) {
		myconn_hex_literal(out, "binary", conv.data, conv.len);
		ok = true;
	} else if (type_is(c, texts) && c->charset && strcmp(c->charset, "binary") != 0) {
		if (strcmp(c->data_type, "char") == 0)
			while (n > 0 && v[n - 1] == ' ')
				n--;
		charset_id cs = charset_from_name(c->charset);
		bool non_ascii = false;
		for (size_t i = 0; i < n && !non_ascii; i++)
			non_ascii = (uint8_t)v[i] >= 0x80;
		/* key text is UTF-8: back into the column's set (wide sets even when ASCII) */
		bool other = cs != CHARSET_UTF8MB4 && cs != CHARSET_UTF8MB3 && charset_is_text(cs);
		if ((non_ascii || charset_unit(cs) > 1) && other && charset_from_utf8(cs, (const uint8_t *)v, n, &conv))
			ok = mytable_literal(m, out, c, (const char *)conv.data, conv.len);
		else
			ok = mytable_literal(m, out, c, v, n);
	} else if (type_is(c, dates)) {
		if (text_is(v, n, "-infinity")) {
			v = strcmp(c->data_type, "date") == 0 ? "0000-00-00" : "0000-00-00 00:00:00";
			n = strlen(v);
		} else if (n > 6 && memcmp(v + n - 6, "+00:00", 6) == 0) {
			n -= 6;
		} else if (n > 3 && memcmp(v + n - 3, "+00", 3) == 0) {
			n -= 3;
		}
		ok = mytable_literal(m, out, c, v, n);
	} else {
		ok = mytable_literal(m, out, c, v, n);
	}
	buf_free(&conv);
	return ok;
}
