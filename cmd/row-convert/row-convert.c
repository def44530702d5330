/*
 * row-convert - a MySQL-domain row stream into a PostgreSQL-domain row stream.
 *
 * Each value becomes PostgreSQL's binary COPY representation of its target type
 * (common/typemap.h decides the type, common/convert.h converts). A row with a
 * value that cannot be converted exactly goes to the rejects file and is not
 * written; policies (convert.h) are the only way a value changes, and their use
 * is counted in the summary. Output blocks end where input blocks end, so block
 * keys (checkpoints) line up. See man/man1/row-convert.1.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "buf.h"
#include "charset.h"
#include "cli.h"
#include "convert.h"
#include "exitcodes.h"
#include "log.h"
#include "profile.h"
#include "rejects.h"
#include "rowstream.h"
#include "typemap.h"

#define PIECE_BYTES (1u << 20)
#define WHOLE_MAX ((uint64_t)1 << 30) /* values converted whole (json...) are held in memory */

static void usage(FILE *f)
{
	fprintf(f, "usage: row-convert [-q | -v] [-f] [--rules FILE] [--cast COL=TYPE]...\n"
	           "                   [--policy CLASS=ACTION]... [--timezone TZ] [--rejects FILE]\n"
	           "                   [--max-rejects N] [--zstd[=LEVEL]] [FILE]\n"
	           "       row-convert --profile [-q | -v] [--rules FILE] [--cast COL=TYPE]...\n"
	           "                   [--policy CLASS=ACTION]... [--timezone TZ] [FILE]\n");
}

static void help(void)
{
	usage(stdout);
	fputs("\nConvert a MySQL-domain row stream (my-extract) into a PostgreSQL-domain one (pg-load).\n\n"
	      "  -q, -v                 quieter (errors only) / more verbose\n"
	      "  -f                     write the binary stream even to a terminal\n"
	      "  --rules FILE           cast/enum/policy/timezone directives (pg-load --describe)\n"
	      "  --cast COL=TYPE        target PostgreSQL type of a column (overrides the rules)\n"
	      "  --policy CLASS=ACTION  zero-date=reject|null|-infinity, nul-in-text=reject|strip|escape,\n"
	      "                         invalid-utf8=reject|replace, tinyint1-range=reject|true,\n"
	      "                         json-duplicate-key=reject|keep-last|keep-first\n"
	      "  --timezone TZ          time zone of DATETIME values (default UTC)\n"
	      "  --rejects FILE         keep rejected rows there (a row stream); without it the\n"
	      "                         first rejected row stops the conversion\n"
	      "  --max-rejects N        stop (exit 7) when more than N rows are rejected\n"
	      "  --zstd[=LEVEL]         compress output blocks (default level 3)\n"
	      "  --profile              convert every row as a run with --rejects would, write no\n"
	      "                         stream: print per-column counts of rejects and policy\n"
	      "                         changes, examples, fits and min/max as one JSON line\n"
	      "See row-convert(1).\n",
	      stdout);
}

typedef struct conv {
	rs_reader *r;
	rs_writer *w;
	const rs_header *in;
	rs_header *out;
	convert_column *cols;
	rejects *rej;
	const char *rejects_path;
	long long max_rejects; /* -1: unlimited */
	uint64_t rows_in, rows_out, rejected;
	uint64_t changed[CONVERT_NCLASS];
	buf row;    /* converted non-chunked values */
	size_t *off, *len;
	bool *null;
	FILE **spool; /* per chunked column: its converted value, when not streamed */
	uint64_t *spool_len;
	buf key, rowtext;
	size_t *all_idx;
	profile *prof; /* --profile: count, write nothing */
	int status;    /* exit status when stopping */
} conv;

/* ------------------------------------------------------------ rejects */

static bool reject_row(conv *c, size_t col, const char *reason, const uint8_t *value, uint64_t value_len,
                       bool value_null)
{
	const rs_value *vals = rs_reader_values(c->r);
	buf_reset(&c->key);
	rejects_format_values(&c->key, vals, c->in->key, c->in->nkey);
	buf_reset(&c->rowtext);
	rejects_format_values(&c->rowtext, vals, c->all_idx, c->in->ncols);
	const char *colname = c->in->cols[col].name;
	c->rejected++;
	if (!c->rejects_path) {
		log_error("row with key %s: column \"%s\": %s (no --rejects file: stopping)", buf_cstr(&c->key), colname,
		          reason);
		c->status = EXIT_FOUND;
		return false;
	}
	log_info("rejected row with key %s: column \"%s\": %s", buf_cstr(&c->key), colname, reason);
	if (!rejects_add(c->rej, buf_cstr(&c->key), colname, reason, value, (size_t)value_len, value_null,
	                 buf_cstr(&c->rowtext))) {
		c->status = EXIT_IO;
		return false;
	}
	if (c->max_rejects >= 0 && c->rejected > (uint64_t)c->max_rejects) {
		log_error("more than %lld rows rejected (--max-rejects): stopping", c->max_rejects);
		c->status = EXIT_LIMIT;
		return false;
	}
	return true;
}

/* --profile: the class of a refused value (cause: the static reason convert.h gave) */
static const char *refusal_class(const conv *c, size_t col, const char *cause, const uint8_t *value, size_t len)
{
	int k = convert_refused_class(&c->cols[col], value, len, cause);
	return k >= 0 ? convert_class_name((convert_class)k) : convert_reason_slug(&c->cols[col], cause);
}

/* ------------------------------------------------------------ chunked values */

static FILE *spool_get(conv *c, size_t col)
{
	if (!c->spool[col]) {
		c->spool[col] = tmpfile();
		if (!c->spool[col]) {
			log_errno("unable to create a temporary file for a large value");
			return NULL;
		}
	} else {
		if (fseeko(c->spool[col], 0, SEEK_SET) != 0 || ftruncate(fileno(c->spool[col]), 0) != 0) {
			log_errno("unable to reset a temporary file");
			return NULL;
		}
	}
	return c->spool[col];
}

/* f NULL: --profile, the converted value is not kept */
static bool spool_write(FILE *f, const void *p, size_t n)
{
	if (f && n && fwrite(p, 1, n, f) != n) {
		log_errno("unable to write a large value to a temporary file");
		return false;
	}
	return true;
}

/* reads chunked value col entirely into a temporary file; returns it mapped */
static uint8_t *read_to_map(conv *c, size_t col, uint64_t len, FILE **tmp)
{
	*tmp = tmpfile();
	if (!*tmp) {
		log_errno("unable to create a temporary file for a large value");
		return NULL;
	}
	uint8_t *piece = mem_alloc(PIECE_BYTES);
	uint64_t got = 0;
	bool ok = true;
	for (;;) {
		long long n = rs_reader_value_read(c->r, col, piece, PIECE_BYTES);
		if (n < 0) {
			ok = false;
			c->status = EXIT_STREAM;
			break;
		}
		if (n == 0)
			break;
		if (!spool_write(*tmp, piece, (size_t)n)) {
			ok = false;
			c->status = EXIT_IO;
			break;
		}
		got += (uint64_t)n;
	}
	free(piece);
	if (ok && got != len) {
		log_error("large value of column \"%s\": %" PRIu64 " bytes read, %" PRIu64 " announced",
		          c->in->cols[col].name, got, len);
		c->status = EXIT_STREAM;
		ok = false;
	}
	if (ok && fflush(*tmp) != 0) {
		log_errno("unable to write a large value to a temporary file");
		c->status = EXIT_IO;
		ok = false;
	}
	if (!ok || len == 0)
		return ok ? (uint8_t *)"" : NULL;
	void *m = mmap(NULL, (size_t)len, PROT_READ, MAP_PRIVATE, fileno(*tmp), 0);
	if (m == MAP_FAILED) {
		log_errno("unable to map a large value");
		c->status = EXIT_IO;
		return NULL;
	}
	return m;
}

static void unmap(uint8_t *m, uint64_t len, FILE *tmp)
{
	if (m && len)
		munmap(m, (size_t)len);
	if (tmp)
		fclose(tmp);
}

/* 1 converted, 0 rejected (recorded), -1 fatal; changed: the row's policy counters */
static int convert_chunked(conv *c, size_t col, const rs_value *v, uint64_t *changed)
{
	const convert_column *cc = &c->cols[col];
	convert_stream_kind kind = convert_stream_kind_of(cc);
	if (kind == CONVERT_STREAM_COPY) {
		/* bytes stay bytes: straight into the spool, no second copy */
		FILE *out = c->prof ? NULL : spool_get(c, col);
		if (!out && !c->prof) {
			c->status = EXIT_IO;
			return -1;
		}
		uint8_t *piece = mem_alloc(PIECE_BYTES);
		uint64_t got = 0;
		long long n;
		while ((n = rs_reader_value_read(c->r, col, piece, PIECE_BYTES)) > 0) {
			if (!spool_write(out, piece, (size_t)n)) {
				free(piece);
				c->status = EXIT_IO;
				return -1;
			}
			got += (uint64_t)n;
		}
		free(piece);
		if (n < 0 || got != v->len) {
			if (n >= 0)
				log_error("large value of column \"%s\": %" PRIu64 " bytes read, %" PRIu64 " announced",
				          c->in->cols[col].name, got, v->len);
			c->status = EXIT_STREAM;
			return -1;
		}
		if (out && fflush(out) != 0) {
			log_errno("unable to write a large value to a temporary file");
			c->status = EXIT_IO;
			return -1;
		}
		c->spool_len[col] = got;
		return 1;
	}
	FILE *tmp = NULL;
	uint8_t *src = read_to_map(c, col, v->len, &tmp);
	if (!src) {
		if (tmp)
			fclose(tmp);
		return -1;
	}
	FILE *out = c->prof ? NULL : spool_get(c, col);
	if (!out && !c->prof) {
		unmap(src, v->len, tmp);
		c->status = EXIT_IO;
		return -1;
	}
	int rc = 1;
	if (kind == CONVERT_STREAM_TEXT) {
		charset_conv cv;
		convert_text_begin(cc, &cv);
		buf piece;
		buf_init(&piece);
		uint64_t total = 0;
		bool ok = true;
		for (uint64_t off = 0; ok && off < v->len; off += PIECE_BYTES) {
			size_t n = v->len - off < PIECE_BYTES ? (size_t)(v->len - off) : PIECE_BYTES;
			buf_reset(&piece);
			ok = charset_conv_feed(&cv, src + off, n, &piece);
			if (ok) {
				if (!spool_write(out, piece.data, piece.len))
					rc = -1;
				total += piece.len;
			}
		}
		buf_reset(&piece);
		if (ok)
			ok = charset_conv_finish(&cv, &piece);
		if (ok && !spool_write(out, piece.data, piece.len))
			rc = -1;
		total += piece.len;
		buf_free(&piece);
		if (rc > 0 && !ok && c->prof) {
			profile_refused(c->prof, col, refusal_class(c, col, cv.error, src, (size_t)v->len));
			rc = 0;
		} else if (rc > 0 && !ok) {
			char reason[160];
			snprintf(reason, sizeof reason, "%s (at byte %" PRIu64 ")", cv.error, cv.error_offset);
			rc = reject_row(c, col, reason, src, v->len, false) ? 0 : -1;
		} else if (rc > 0) {
			uint32_t ch = convert_text_changed(&cv);
			for (int k = 0; k < CONVERT_NCLASS; k++)
				if (ch & (1u << k))
					changed[k]++;
			if (c->prof && ch)
				profile_changed(c->prof, col, ch);
			c->spool_len[col] = total;
		}
	} else {
		if (v->len > WHOLE_MAX) {
			if (c->prof) {
				profile_refused(c->prof, col, "too-large");
				rc = 0;
			} else
				rc = reject_row(c, col, "value too large to convert (more than 1 GiB)", src, v->len, false) ? 0
				                                                                                           : -1;
		} else {
			buf o;
			buf_init(&o);
			convert_status st;
			if (!convert_value(cc, src, (size_t)v->len, &o, &st)) {
				if (c->prof) {
					profile_refused(c->prof, col, refusal_class(c, col, st.reason, src, (size_t)v->len));
					rc = 0;
				} else
					rc = reject_row(c, col, st.reason, src, v->len, false) ? 0 : -1;
			} else if (st.null) {
				/* policies never null a large value today; keep it explicit */
				if (c->prof) {
					profile_refused(c->prof, col, "null-large");
					rc = 0;
				} else
					rc = reject_row(c, col, "large value would become NULL", src, v->len, false) ? 0 : -1;
			} else {
				if (!spool_write(out, o.data, o.len))
					rc = -1;
				c->spool_len[col] = o.len;
				for (int k = 0; k < CONVERT_NCLASS; k++)
					if (st.changed & (1u << k))
						changed[k]++;
				if (c->prof && st.changed)
					profile_changed(c->prof, col, st.changed);
			}
			buf_free(&o);
		}
	}
	if (rc > 0 && out && fflush(out) != 0) {
		log_errno("unable to write a large value to a temporary file");
		rc = -1;
	}
	if (rc < 0 && c->status == EXIT_OK)
		c->status = EXIT_IO;
	unmap(src, v->len, tmp);
	return rc;
}

static bool put_spooled(conv *c, size_t col)
{
	FILE *f = c->spool[col];
	uint64_t left = c->spool_len[col];
	if (fseeko(f, 0, SEEK_SET) != 0) {
		log_errno("unable to rewind a temporary file");
		return false;
	}
	if (!rs_writer_put_begin(c->w, left))
		return false;
	uint8_t *piece = mem_alloc(PIECE_BYTES);
	bool ok = true;
	while (ok && left > 0) {
		size_t n = left < PIECE_BYTES ? (size_t)left : PIECE_BYTES;
		if (fread(piece, 1, n, f) != n) {
			log_errno("unable to read back a large value from a temporary file");
			ok = false;
			break;
		}
		ok = rs_writer_put_more(c->w, piece, n);
		left -= n;
	}
	free(piece);
	return ok && rs_writer_put_end(c->w);
}

/* ------------------------------------------------------------ rows */

/* false: stop (c->status says why) */
static bool convert_row(conv *c)
{
	const rs_value *vals = rs_reader_values(c->r);
	size_t ncols = c->in->ncols;
	uint64_t changed[CONVERT_NCLASS] = {0};
	buf_reset(&c->row);
	bool any_chunked = false;
	if (c->prof)
		profile_row_begin(c->prof, vals);
	/* in-memory values first: a reject there skips the large values unread */
	for (size_t i = 0; i < ncols; i++) {
		const rs_value *v = &vals[i];
		c->null[i] = false;
		if (v->chunked) {
			any_chunked = true;
			continue;
		}
		if (v->null) {
			c->null[i] = true;
			if (c->prof)
				profile_null(c->prof, i);
			continue;
		}
		convert_status st;
		c->off[i] = c->row.len;
		if (!convert_value(&c->cols[i], v->data, (size_t)v->len, &c->row, &st)) {
			if (c->prof) {
				/* a profile goes on: every refused value of the row is counted */
				profile_refused(c->prof, i, refusal_class(c, i, st.reason, v->data, (size_t)v->len));
				continue;
			}
			char reason[256];
			snprintf(reason, sizeof reason, "%s", st.reason ? st.reason : "conversion failed");
			return reject_row(c, i, reason, v->data, v->len, false);
		}
		c->len[i] = c->row.len - c->off[i];
		c->null[i] = st.null;
		if (st.null && c->in->cols[i].keypos) {
			if (!c->prof)
				return reject_row(c, i, "key value would become NULL (policy)", v->data, v->len, false);
			profile_refused(c->prof, i, "null-key");
			continue;
		}
		for (int k = 0; st.changed && k < CONVERT_NCLASS; k++)
			if (st.changed & (1u << k))
				changed[k]++;
		if (c->prof) {
			if (st.changed)
				profile_changed(c->prof, i, st.changed);
			else
				profile_ok(c->prof, i, v->data, (size_t)v->len);
		}
	}
	if (any_chunked) {
		for (size_t i = 0; i < ncols; i++) {
			if (!vals[i].chunked)
				continue;
			int rc = convert_chunked(c, i, &vals[i], changed);
			if (rc < 0)
				return false;
			if (rc == 0 && !c->prof)
				return true; /* rejected, recorded */
		}
	}
	if (c->prof) {
		/* nothing written: counted as a run with --rejects would count it */
		if (profile_row_end(c->prof)) {
			c->rejected++;
			return true;
		}
		c->rows_out++;
		for (int k = 0; k < CONVERT_NCLASS; k++)
			c->changed[k] += changed[k];
		return true;
	}
	for (size_t i = 0; i < ncols; i++) {
		bool ok;
		if (vals[i].chunked)
			ok = put_spooled(c, i);
		else if (c->null[i])
			ok = rs_writer_put_null(c->w);
		else
			ok = rs_writer_put(c->w, c->row.data + c->off[i], c->len[i]);
		if (!ok) {
			c->status = EXIT_IO;
			return false;
		}
	}
	if (!rs_writer_end_row(c->w)) {
		c->status = EXIT_IO;
		return false;
	}
	c->rows_out++;
	for (int k = 0; k < CONVERT_NCLASS; k++)
		c->changed[k] += changed[k];
	return true;
}

/* ------------------------------------------------------------ setup */

static rs_header *output_header(const rs_header *in, const convert_column *cols)
{
	rs_header *h = rs_header_new(RS_DOMAIN_PG, in->schema, in->table);
	for (size_t i = 0; i < in->nmeta; i++)
		rs_header_add_meta(h, in->meta[i].key, in->meta[i].value);
	rs_header_add_meta(h, "converted_by", "row-convert");
	for (size_t i = 0; i < in->ncols; i++) {
		const rs_column *src = &in->cols[i];
		const typemap_result *m = &cols[i].map;
		size_t k = rs_header_add_column(h, src->name, m->pg_type, m->oid,
		                                src->flags & (RS_COL_NOT_NULL | RS_COL_GENERATED), src->keypos);
		rs_column *dc = &h->cols[k];
		rs_column_add_attr(dc, "source_type", src->type ? src->type : "");
		if (m->pg == TM_PG_ENUM)
			for (size_t l = 0; l < cols[i].nlabels; l++)
				rs_column_add_attr_n(dc, "member", cols[i].labels[l], cols[i].label_lens[l]);
		if (m->src == TM_SRC_GEOMETRY && m->srid) {
			char s[16];
			snprintf(s, sizeof s, "%" PRIu32, m->srid);
			rs_column_add_attr(dc, "srid", s);
		}
	}
	if (!rs_header_finish(h)) {
		rs_header_free(h);
		return NULL;
	}
	return h;
}

static bool cast_column_exists(const rs_header *h, const char *name)
{
	for (size_t i = 0; i < h->ncols; i++)
		if (strcmp(h->cols[i].name, name) == 0 || strcasecmp(h->cols[i].name, name) == 0)
			return true;
	return false;
}

static void summary(const conv *c)
{
	if (log_verbosity < 1)
		return;
	buf s;
	buf_init(&s);
	buf_printf(&s, "%s: %s%s%s: %" PRIu64 " rows in, %" PRIu64 " out, %" PRIu64 " rejected", log_progname,
	           c->in->schema && *c->in->schema ? c->in->schema : "", c->in->schema && *c->in->schema ? "." : "",
	           c->in->table ? c->in->table : "", c->rows_in, c->rows_out, c->rejected);
	bool first = true;
	for (int k = 0; k < CONVERT_NCLASS; k++) {
		if (!c->changed[k])
			continue;
		buf_printf(&s, "%s%s %" PRIu64, first ? "; changed by policy: " : ", ",
		           convert_class_name((convert_class)k), c->changed[k]);
		first = false;
	}
	buf_putc(&s, '\n');
	ssize_t w = write(STDERR_FILENO, s.data, s.len);
	(void)w;
	buf_free(&s);
}

enum { OPT_RULES = 256, OPT_CAST, OPT_POLICY, OPT_TIMEZONE, OPT_REJECTS, OPT_MAX_REJECTS, OPT_ZSTD, OPT_PROFILE };

int main(int argc, char **argv)
{
	log_init(argv[0]);
	cli_sigpipe_exits();
	static const struct option longopts[] = {
		{"help", no_argument, NULL, 'h'},
		{"rules", required_argument, NULL, OPT_RULES},
		{"cast", required_argument, NULL, OPT_CAST},
		{"policy", required_argument, NULL, OPT_POLICY},
		{"timezone", required_argument, NULL, OPT_TIMEZONE},
		{"rejects", required_argument, NULL, OPT_REJECTS},
		{"max-rejects", required_argument, NULL, OPT_MAX_REJECTS},
		{"zstd", optional_argument, NULL, OPT_ZSTD},
		{"profile", no_argument, NULL, OPT_PROFILE},
		{NULL, 0, NULL, 0},
	};
	int status = EXIT_OK;
	bool force = false, profiling = false;
	const char *rules_path = NULL, *timezone = NULL;
	char **casts = NULL, **policies = NULL;
	size_t ncasts = 0, npolicies = 0;
	int zstd_level = 0;
	conv c;
	memset(&c, 0, sizeof c);
	c.max_rejects = -1;
	typemap_overrides ov;
	typemap_overrides_init(&ov);
	convert_policies pol;
	convert_policies_init(&pol);
	convert_tz tz, session_tz;
	int fd = -1;
	const char *inname = "stdin";

	int opt;
	while ((opt = getopt_long(argc, argv, "hqvf", longopts, NULL)) != -1) {
		switch (opt) {
		case 'h':
			help();
			goto out;
		case 'q': log_verbosity = 0; break;
		case 'v': log_verbosity++; break;
		case 'f': force = true; break;
		case OPT_RULES: rules_path = optarg; break;
		case OPT_CAST:
			casts = mem_realloc(casts, (ncasts + 1) * sizeof *casts);
			casts[ncasts++] = optarg;
			break;
		case OPT_POLICY:
			policies = mem_realloc(policies, (npolicies + 1) * sizeof *policies);
			policies[npolicies++] = optarg;
			break;
		case OPT_TIMEZONE: timezone = optarg; break;
		case OPT_REJECTS: c.rejects_path = optarg; break;
		case OPT_MAX_REJECTS: {
			char *e;
			errno = 0;
			long long n = strtoll(optarg, &e, 10);
			if (e == optarg || *e || errno || n < 0) {
				log_error("invalid --max-rejects '%s': expected a number >= 0", optarg);
				status = EXIT_USAGE;
				goto out;
			}
			c.max_rejects = n;
			break;
		}
		case OPT_PROFILE: profiling = true; break;
		case OPT_ZSTD:
			zstd_level = 3;
			if (optarg) {
				char *e;
				long l = strtol(optarg, &e, 10);
				if (e == optarg || *e || l < 1 || l > 22) {
					log_error("invalid --zstd level '%s': expected 1..22", optarg);
					status = EXIT_USAGE;
					goto out;
				}
				zstd_level = (int)l;
			}
			break;
		default:
			usage(stderr);
			status = EXIT_USAGE;
			goto out;
		}
	}
	if (argc - optind > 1) {
		usage(stderr);
		status = EXIT_USAGE;
		goto out;
	}
	if (profiling && (c.rejects_path || c.max_rejects >= 0 || zstd_level)) {
		log_error("--profile writes no stream and counts every row: --rejects, --max-rejects and --zstd do "
		          "not apply");
		status = EXIT_USAGE;
		goto out;
	}
	/* rules first, the command line overrides them */
	if (rules_path && !typemap_rules_load(&ov, rules_path)) {
		status = EXIT_USAGE;
		goto out;
	}
	for (size_t i = 0; i < ov.npolicies; i++)
		if (!convert_policy_set(&pol, ov.policies[i])) {
			status = EXIT_USAGE;
			goto out;
		}
	for (size_t i = 0; i < npolicies; i++)
		if (!convert_policy_set(&pol, policies[i])) {
			status = EXIT_USAGE;
			goto out;
		}
	for (size_t i = 0; i < ncasts; i++)
		if (!typemap_overrides_add_cast_spec(&ov, casts[i])) {
			status = EXIT_USAGE;
			goto out;
		}
	if (!timezone)
		timezone = ov.timezone ? ov.timezone : "UTC";
	if (!convert_tz_init(&tz, timezone)) {
		status = EXIT_USAGE;
		goto out;
	}
	if (!profiling && !log_check_stdout_binary(force)) {
		status = EXIT_USAGE;
		goto out;
	}

	if (optind < argc && strcmp(argv[optind], "-") != 0) {
		inname = argv[optind];
		fd = open(inname, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			log_errno("%s: unable to open", inname);
			status = EXIT_IO;
			goto out;
		}
	}
	c.r = rs_reader_new(fd >= 0 ? fd : STDIN_FILENO, inname);
	if (!c.r) {
		status = EXIT_STREAM;
		goto out;
	}
	c.in = rs_reader_header(c.r);
	if (c.in->domain != RS_DOMAIN_MYSQL) {
		log_error("%s: not a MySQL-domain stream (domain %u): row-convert reads my-extract output", inname,
		          c.in->domain);
		status = EXIT_STREAM;
		goto out;
	}
	for (size_t i = 0; i < ncasts; i++) {
		const char *eq = strchr(casts[i], '=');
		char *col = mem_strndup(casts[i], (size_t)(eq - casts[i]));
		bool ok = cast_column_exists(c.in, col);
		if (!ok)
			log_error("--cast %s: table %s has no column \"%s\"", casts[i], c.in->table, col);
		free(col);
		if (!ok) {
			status = EXIT_USAGE;
			goto out;
		}
	}
	for (size_t i = 0; i < ov.ncasts; i++)
		if (!cast_column_exists(c.in, ov.casts[i].column))
			log_warn("rules: table %s has no column \"%s\" (cast ignored)", c.in->table, ov.casts[i].column);
	{
		/* TIMESTAMP values are in the extracting session's time zone (my-extract: +00:00) */
		const char *stz = rs_header_meta(c.in, "time_zone");
		if (stz && strcmp(stz, "SYSTEM") == 0)
			stz = rs_header_meta(c.in, "system_time_zone");
		if (!convert_tz_init(&session_tz, stz ? stz : "UTC")) {
			log_error("%s: cannot interpret TIMESTAMP values: unknown session time zone", inname);
			status = EXIT_STREAM;
			goto out;
		}
	}
	size_t ncols = c.in->ncols;
	c.cols = mem_calloc(ncols ? ncols : 1, sizeof *c.cols);
	for (size_t i = 0; i < ncols; i++) {
		if (!convert_column_init(&c.cols[i], &c.in->cols[i], &ov, &pol, &tz, &session_tz)) {
			for (size_t k = 0; k < i; k++)
				convert_column_free(&c.cols[k]);
			free(c.cols);
			c.cols = NULL;
			status = EXIT_USAGE;
			goto out;
		}
	}
	c.out = output_header(c.in, c.cols);
	if (!c.out) {
		status = EXIT_STREAM;
		goto out;
	}
	if (profiling) {
		c.prof = profile_new(c.in, c.cols);
	} else {
		/* values over 1 MiB travel in chunks (spooled by the writer until their row ends): a
		 * block never holds them, so no reader holds them whole either */
		rs_writer_opts wo = {.block_bytes = RS_MAX_BLOCK / 2, .inline_max = RS_CHUNK_BYTES,
		                     .zstd_level = zstd_level};
		c.w = rs_writer_new(STDOUT_FILENO, "stdout", c.out, &wo);
		if (!c.w) {
			status = EXIT_IO;
			goto out;
		}
		c.rej = rejects_open(c.rejects_path, "row-convert", c.in);
		if (!c.rej) {
			status = EXIT_IO;
			goto out;
		}
	}
	buf_init(&c.row);
	buf_init(&c.key);
	buf_init(&c.rowtext);
	c.off = mem_calloc(ncols ? ncols : 1, sizeof *c.off);
	c.len = mem_calloc(ncols ? ncols : 1, sizeof *c.len);
	c.null = mem_calloc(ncols ? ncols : 1, sizeof *c.null);
	c.spool = mem_calloc(ncols ? ncols : 1, sizeof *c.spool);
	c.spool_len = mem_calloc(ncols ? ncols : 1, sizeof *c.spool_len);
	c.all_idx = mem_calloc(ncols ? ncols : 1, sizeof *c.all_idx);
	for (size_t i = 0; i < ncols; i++)
		c.all_idx[i] = i;

	bool finished = false;
	for (;;) {
		int rc = rs_reader_next(c.r);
		if (rc < 0) {
			c.status = EXIT_STREAM;
			break;
		}
		if (rc == 0) {
			finished = true;
			break;
		}
		c.rows_in++;
		if (!convert_row(&c))
			break;
		/* output blocks end where input blocks end: block keys line up */
		if (c.w && rs_reader_at_block_end(c.r) && !rs_writer_flush(c.w)) {
			c.status = EXIT_IO;
			break;
		}
	}
	if (finished && c.prof) {
		/* exit 1 when a run would reject or change anything */
		if (!profile_print(c.prof, STDOUT_FILENO))
			c.status = EXIT_IO;
		else if (profile_rows_rejected(c.prof) > 0 || profile_rows_changed(c.prof) > 0)
			c.status = EXIT_FOUND;
	} else if (finished) {
		/* the trailer only for a complete conversion: a stopped one must look truncated */
		if (!rs_writer_finish(c.w))
			c.status = EXIT_IO;
		else if (c.rejected > 0)
			c.status = EXIT_FOUND;
	}
	if (!rejects_close(c.rej) && c.status == EXIT_OK)
		c.status = EXIT_IO;
	c.rej = NULL;
	summary(&c);
	if (c.rejected > 0 && c.rejects_path)
		log_warn("%" PRIu64 " rows rejected, kept in %s", c.rejected, c.rejects_path);
	status = c.status;

out:
	if (c.rej)
		rejects_close(c.rej);
	rs_writer_free(c.w);
	profile_free(c.prof);
	if (c.cols)
		for (size_t i = 0; i < (c.in ? c.in->ncols : 0); i++)
			convert_column_free(&c.cols[i]);
	free(c.cols);
	if (c.spool)
		for (size_t i = 0; i < (c.in ? c.in->ncols : 0); i++)
			if (c.spool[i])
				fclose(c.spool[i]);
	rs_reader_free(c.r);
	free(c.spool);
	free(c.spool_len);
	free(c.off);
	free(c.len);
	free(c.null);
	free(c.all_idx);
	buf_free(&c.row);
	buf_free(&c.key);
	buf_free(&c.rowtext);
	rs_header_free(c.out);
	if (fd >= 0)
		close(fd);
	typemap_overrides_free(&ov);
	free(casts);
	free(policies);
	return status;
}
