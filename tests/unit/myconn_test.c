/*
 * myconn_test.c - the server-free parts of common/myconn and common/mytable: option
 * parsing (passwords leave argv), option files, SQL quoting, names, ENUM members, key
 * literals.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "log.h"
#include "myconn.h"
#include "mytable.h"
#include "test.h"

static buf scratch; /* result of quoted() and lit(), freed at the end */

static const char *quoted(const char *name)
{
	buf_reset(&scratch);
	myconn_quote_ident(&scratch, name);
	return buf_cstr(&scratch);
}

TEST(quote_ident_doubles_backticks)
{
	CHECK_STR(quoted("plain"), "`plain`");
	CHECK_STR(quoted("we`ird"), "`we``ird`");
	CHECK_STR(quoted("``"), "``````");
	CHECK_STR(quoted("x\"; DROP TABLE y; --"), "`x\"; DROP TABLE y; --`");
	CHECK_STR(quoted(""), "``");
	buf b;
	buf_init(&b);
	myconn_quote_table(&b, "d`b", "t.t");
	CHECK_STR(buf_cstr(&b), "`d``b`.`t.t`");
	buf_reset(&b);
	myconn_quote_table(&b, NULL, "t");
	CHECK_STR(buf_cstr(&b), "`t`");
	buf_free(&b);
}

TEST(hex_literal_keeps_any_bytes)
{
	buf b;
	buf_init(&b);
	myconn_hex_literal(&b, "latin1", "\xe9'\\\0", 4);
	CHECK_STR(buf_cstr(&b), "_latin1 X'E9275C00'");
	buf_reset(&b);
	myconn_hex_literal(&b, NULL, "", 0);
	CHECK_STR(buf_cstr(&b), "_binary X''");
	buf_free(&b);
}

static void split_ok(const char *s, const char *db, const char *table)
{
	char *d = NULL, *t = NULL;
	CHECK(myconn_split_name(s, &d, &t));
	if (db)
		CHECK_STR(d, db);
	else
		CHECK(d == NULL);
	CHECK_STR(t, table);
	free(d);
	free(t);
}

TEST(split_name)
{
	split_ok("shop.orders", "shop", "orders");
	split_ok("orders", NULL, "orders");
	split_ok("shop.order.items", "shop", "order.items");
	split_ok("`my.db`.`t``x`", "my.db", "t`x");
	split_ok("`my.db`.t.x", "my.db", "t.x");
	split_ok("`only`", NULL, "only");
	split_ok("d.x\"; DROP TABLE y; --", "d", "x\"; DROP TABLE y; --");
	char *d, *t;
	CHECK(!myconn_split_name("", &d, &t));
	CHECK(!myconn_split_name(".t", &d, &t));
	CHECK(!myconn_split_name("d.", &d, &t));
	CHECK(!myconn_split_name("`unterminated", &d, &t));
	CHECK(!myconn_split_name("`a`b", &d, &t));
	CHECK(!myconn_split_name("`a`.`b`c", &d, &t));
}

TEST(parse_members)
{
	char **m;
	size_t *len, n;
	CHECK(myconn_parse_members("enum('a','b''c','d\\\\e','x,y','')", &m, &len, &n));
	CHECK(n == 5);
	if (n == 5) {
		CHECK_STR(m[0], "a");
		CHECK_STR(m[1], "b'c");
		CHECK_STR(m[2], "d\\e");
		CHECK_STR(m[3], "x,y");
		CHECK_STR(m[4], "");
		CHECK(len[4] == 0);
	}
	myconn_free_members(m, len, n);
	CHECK(myconn_parse_members("set('p','q''r')", &m, &len, &n));
	CHECK(n == 2);
	if (n == 2)
		CHECK_STR(m[1], "q'r");
	myconn_free_members(m, len, n);
	CHECK(myconn_parse_members("enum('nul\\0')", &m, &len, &n));
	CHECK(n == 1 && len[0] == 4 && memcmp(m[0], "nul\0", 4) == 0);
	myconn_free_members(m, len, n);
	CHECK(!myconn_parse_members("int(11)", &m, &len, &n));
	CHECK(!myconn_parse_members("enum('a'", &m, &len, &n));
	CHECK(!myconn_parse_members("enum('a',)", &m, &len, &n));
	CHECK(!myconn_parse_members("enum('a')x", &m, &len, &n));
	CHECK(!myconn_parse_members("enum(a)", &m, &len, &n));
}

TEST(password_is_overwritten_in_argv)
{
	myconn_opts o;
	myconn_opts_init(&o);
	char arg[] = "s3cret";
	CHECK(myconn_opts_parse(&o, 'p', arg) == 1);
	CHECK_STR(o.password, "s3cret");
	CHECK_STR(arg, "xxxxxx");
	CHECK(!o.password_prompt);
	char arg2[] = "other";
	CHECK(myconn_opts_parse(&o, MYCONN_OPT_PASSWORD, arg2) == 1);
	CHECK_STR(o.password, "other");
	CHECK_STR(arg2, "xxxxx");
	CHECK(myconn_opts_parse(&o, 'p', NULL) == 1);
	CHECK(o.password == NULL && o.password_prompt);
	myconn_opts_free(&o);
}

TEST(options_parse_and_validate)
{
	myconn_opts o;
	myconn_opts_init(&o);
	char host[] = "db1", port[] = "3307", user[] = "me", sock[] = "/s", db[] = "shop", mode[] = "verify_ca";
	CHECK(myconn_opts_parse(&o, 'h', host) == 1);
	CHECK(myconn_opts_parse(&o, 'P', port) == 1);
	CHECK(myconn_opts_parse(&o, 'u', user) == 1);
	CHECK(myconn_opts_parse(&o, 'S', sock) == 1);
	CHECK(myconn_opts_parse(&o, 'D', db) == 1);
	CHECK(myconn_opts_parse(&o, MYCONN_OPT_SSL_MODE, mode) == 1);
	CHECK(myconn_opts_parse(&o, 'x', NULL) == 0);
	CHECK(myconn_opts_parse(&o, 256, NULL) == 0);
	CHECK_STR(o.host, "db1");
	CHECK(o.port == 3307);
	CHECK_STR(o.user, "me");
	CHECK_STR(o.socket, "/s");
	CHECK_STR(o.database, "shop");
	CHECK(o.ssl_mode == MYCONN_SSL_VERIFY_CA);
	char bad_port[] = "70000", zero[] = "0", junk[] = "12x", bad_mode[] = "sometimes";
	CHECK(myconn_opts_parse(&o, 'P', bad_port) == -1);
	CHECK(myconn_opts_parse(&o, 'P', zero) == -1);
	CHECK(myconn_opts_parse(&o, 'P', junk) == -1);
	CHECK(myconn_opts_parse(&o, MYCONN_OPT_SSL_MODE, bad_mode) == -1);
	/* VERIFY_CA without a CA file is a usage error */
	CHECK(!myconn_opts_finish(&o));
	char ca[] = "/ca.pem";
	CHECK(myconn_opts_parse(&o, MYCONN_OPT_SSL_CA, ca) == 1);
	CHECK(myconn_opts_finish(&o));
	char missing[] = "/nonexistent/my.cnf";
	myconn_opts o2;
	myconn_opts_init(&o2);
	CHECK(myconn_opts_parse(&o2, MYCONN_OPT_DEFAULTS_FILE, missing) == 1);
	CHECK(!myconn_opts_finish(&o2));
	myconn_opts_free(&o2);
	myconn_opts_free(&o);
}

TEST(extra_option_file)
{
	char path[] = "/tmp/myconn_test_XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	static const char text[] = "# comment\n"
	                           "[mysqld]\nuser=server\n"
	                           "[client]\n"
	                           "user = fileuser\n"
	                           "password = \"p w\\\"x\"\n"
	                           "host=filehost\n"
	                           "port=3310\n"
	                           "ssl_ca=/ca.pem\n"
	                           "default-character-set=utf8mb4\n"
	                           "[client-mariadb]\nsocket='/run/s.sock'\n"
	                           "[mysql]\ndatabase=notthis\n";
	CHECK(write(fd, text, sizeof text - 1) == (ssize_t)(sizeof text - 1));
	close(fd);
	myconn_opts o;
	myconn_opts_init(&o);
	char host[] = "cmdhost";
	CHECK(myconn_opts_parse(&o, 'h', host) == 1);
	CHECK(myconn_read_extra_file(&o, path));
	CHECK_STR(o.host, "cmdhost"); /* the command line wins */
	CHECK_STR(o.user, "fileuser");
	CHECK_STR(o.password, "p w\"x");
	CHECK(o.port == 3310);
	CHECK_STR(o.ssl_ca, "/ca.pem");
	CHECK_STR(o.socket, "/run/s.sock");
	CHECK(o.database == NULL);
	myconn_opts_free(&o);
	/* a password given (or asked for) on the command line is not replaced */
	myconn_opts_init(&o);
	CHECK(myconn_opts_parse(&o, 'p', NULL) == 1);
	CHECK(myconn_read_extra_file(&o, path));
	CHECK(o.password == NULL && o.password_prompt);
	myconn_opts_free(&o);
	unlink(path);
	myconn_opts_init(&o);
	CHECK(!myconn_read_extra_file(&o, path));
	myconn_opts_free(&o);
}

static mytable_col col(const char *data_type, const char *charset)
{
	mytable_col c;
	memset(&c, 0, sizeof c);
	c.name = (char *)"k";
	c.column_type = (char *)data_type;
	c.data_type = (char *)data_type;
	c.charset = (char *)charset;
	return c;
}

static const char *lit(const mytable_col *c, const char *v, size_t n)
{
	buf_reset(&scratch);
	if (!mytable_literal(NULL, &scratch, c, v, n))
		return "(invalid)";
	return buf_cstr(&scratch);
}

TEST(key_literals)
{
	mytable_col c = col("bigint", NULL);
	CHECK_STR(lit(&c, "-42", 3), "-42");
	CHECK_STR(lit(&c, "1 OR 1=1", 8), "(invalid)");
	CHECK_STR(lit(&c, "", 0), "(invalid)");
	c = col("decimal", NULL);
	CHECK_STR(lit(&c, "-12.50", 6), "-12.50");
	CHECK_STR(lit(&c, "1e5", 3), "(invalid)");
	c = col("double", NULL);
	CHECK_STR(lit(&c, "1.5e-07", 7), "1.5e-07");
	CHECK_STR(lit(&c, "1.5e", 4), "(invalid)");
	c = col("bit", NULL);
	CHECK_STR(lit(&c, "\x01\x00", 2), "256");
	c = col("varchar", "utf8mb4");
	CHECK_STR(lit(&c, "a'b", 3), "_utf8mb4 X'612762'");
	c = col("char", "latin1");
	CHECK_STR(lit(&c, "\xe9", 1), "_latin1 X'E9'");
	c = col("varbinary", NULL);
	CHECK_STR(lit(&c, "\0\xff", 2), "_binary X'00FF'");
	c = col("enum", "utf8mb4");
	CHECK(myconn_parse_members("enum('zz','aa','')", &c.members, &c.member_lens, &c.nmembers));
	CHECK_STR(lit(&c, "aa", 2), "2");
	CHECK_STR(lit(&c, "", 0), "3");
	mytable_col l1 = c;
	l1.charset = (char *)"latin1";
	CHECK_STR(lit(&l1, "\xe9", 1), "FIELD(CONVERT(_latin1 X'E9' USING utf8mb4), _utf8mb4 X'7A7A', _utf8mb4 X'6161', "
	                               "_utf8mb4 X'')");
	myconn_free_members(c.members, c.member_lens, c.nmembers);
	c = col("set", "utf8mb4");
	CHECK(myconn_parse_members("set('a','b','c')", &c.members, &c.member_lens, &c.nmembers));
	CHECK_STR(lit(&c, "a,c", 3), "5");
	CHECK_STR(lit(&c, "", 0), "0");
	myconn_free_members(c.members, c.member_lens, c.nmembers);
}

static MYSQL *unconnected; /* quotes literals like a server connection would (no CAST without a server) */

static const char *keylit(const mytable_col *c, const char *v)
{
	buf_reset(&scratch);
	if (!unconnected)
		unconnected = mysql_init(NULL);
	if (!mytable_key_literal(unconnected, &scratch, c, v, strlen(v)))
		return "(invalid)";
	return buf_cstr(&scratch);
}

/* key text as pg-load checkpoints print it (PostgreSQL text output) besides MySQL's own */
TEST(key_literals_from_postgresql)
{
	mytable_col c = col("tinyint", NULL);
	c.column_type = (char *)"tinyint(1)";
	CHECK_STR(keylit(&c, "t"), "1");
	CHECK_STR(keylit(&c, "f"), "0");
	CHECK_STR(keylit(&c, "1"), "1");
	c.column_type = (char *)"tinyint(4)";
	CHECK_STR(keylit(&c, "t"), "(invalid)");
	c = col("bit", NULL);
	c.numeric_precision = (char *)"1";
	CHECK_STR(keylit(&c, "t"), "1");
	CHECK_STR(keylit(&c, "\001"), "1");
	c.numeric_precision = (char *)"10";
	CHECK_STR(keylit(&c, "0000000011"), "3");
	CHECK_STR(keylit(&c, "\002\001"), "513");
	c = col("binary", NULL);
	c.char_max_length = (char *)"2";
	CHECK_STR(keylit(&c, "\\x00ff"), "_binary X'00FF'");
	CHECK_STR(keylit(&c, "\\x"), "_binary X'5C78'"); /* 2 raw bytes: not bytea text of 2 bytes */
	c.char_max_length = (char *)"16";
	CHECK_STR(keylit(&c, "123e4567-e89b-12d3-a456-426655440000"), "_binary X'123E4567E89B12D3A456426655440000'");
	CHECK_STR(keylit(&c, "123e4567-e89b-12d3-a456-42665544000g"),
	          "_binary X'31323365343536372D653839622D313264332D613435362D343236363535343430303067'");
	c = col("varbinary", NULL);
	CHECK_STR(keylit(&c, "\\x2c22"), "_binary X'2C22'");
	CHECK_STR(keylit(&c, "\\x2"), "_binary X'5C7832'");
	CHECK_STR(keylit(&c, "ab"), "_binary X'6162'");
	c = col("char", "utf8mb4");
	CHECK_STR(keylit(&c, "ab   "), "_utf8mb4 X'6162'");
	c = col("varchar", "utf8mb4");
	CHECK_STR(keylit(&c, "ab "), "_utf8mb4 X'616220'");
	c = col("varchar", "latin1");
	CHECK_STR(keylit(&c, "caf\xc3\xa9\xe2\x82\xac"), "_latin1 X'636166E980'");
	CHECK_STR(keylit(&c, "caf\xe9"), "_latin1 X'636166E9'");
	CHECK_STR(keylit(&c, "\xe6\x97\xa5"), "_latin1 X'E697A5'");
	c = col("datetime", NULL);
	CHECK_STR(keylit(&c, "2024-01-02 03:04:05.5+00"), "'2024-01-02 03:04:05.5'");
	CHECK_STR(keylit(&c, "2024-01-02 03:04:05+00:00"), "'2024-01-02 03:04:05'");
	CHECK_STR(keylit(&c, "2024-01-02 03:04:05"), "'2024-01-02 03:04:05'");
	CHECK_STR(keylit(&c, "-infinity"), "'0000-00-00 00:00:00'");
	c = col("date", NULL);
	CHECK_STR(keylit(&c, "-infinity"), "'0000-00-00'");
	c = col("float", NULL);
	CHECK_STR(keylit(&c, "0.1"), "0.1"); /* without a server: no CAST */
	CHECK_STR(keylit(&c, "1e+38"), "1e+38");
	mysql_close(unconnected);
	unconnected = NULL;
}

TEST(long_columns_and_codes)
{
	mytable_col c = col("longblob", NULL);
	CHECK(mytable_col_is_long(&c));
	c = col("json", "utf8mb4");
	CHECK(mytable_col_is_long(&c));
	CHECK(mytable_col_type_code(&c) == MYSQL_TYPE_JSON);
	c = col("text", "utf8mb4");
	CHECK(!mytable_col_is_long(&c));
	CHECK(mytable_col_type_code(&c) == MYSQL_TYPE_BLOB);
	c = col("mediumint", NULL);
	CHECK(mytable_col_type_code(&c) == MYSQL_TYPE_INT24);
	c = col("uuid", NULL);
	CHECK(mytable_col_type_code(&c) == MYSQL_TYPE_STRING);

	rs_header *h = rs_header_new(RS_DOMAIN_MYSQL, "d", "t");
	c = col("varbinary", NULL);
	c.column_type = (char *)"varbinary(4)";
	c.char_max_length = (char *)"4";
	c.comment = (char *)"";
	c.nullable = true;
	size_t i = mytable_header_column(h, &c, NULL, 1);
	CHECK(h->cols[i].flags == (RS_COL_BINARY));
	CHECK(h->cols[i].code == MYSQL_TYPE_VAR_STRING);
	CHECK(h->cols[i].keypos == 1);
	CHECK_STR(rs_column_attr(&h->cols[i], "data_type"), "varbinary");
	CHECK_STR(rs_column_attr(&h->cols[i], "length"), "4");
	CHECK(rs_column_attr(&h->cols[i], "comment") == NULL);
	rs_header_free(h);
}

int main(void)
{
	RUN(quote_ident_doubles_backticks);
	RUN(hex_literal_keeps_any_bytes);
	RUN(split_name);
	RUN(parse_members);
	RUN(password_is_overwritten_in_argv);
	RUN(options_parse_and_validate);
	RUN(extra_option_file);
	RUN(key_literals);
	RUN(key_literals_from_postgresql);
	RUN(long_columns_and_codes);
	buf_free(&scratch);
	return test_done();
}
