/*
 * setup.c - everything row-convert does before the first row: the rules file, casts,
 * policies and time zones; the input stream and its header; each column's conversion; the
 * output header, the writer and the rejects file (or the profile). See row-convert.h.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "log.h"
#include "row-convert.h"

void rc_conv_init(rc_conv *c)
{
	memset(c, 0, sizeof *c);
	c->fd = -1;
	c->out_fd = STDOUT_FILENO;
	c->inname = "stdin";
	c->max_rejects = -1;
	typemap_overrides_init(&c->ov);
	convert_policies_init(&c->pol);
	buf_init(&c->row);
	buf_init(&c->key);
	buf_init(&c->rowtext);
}

/* rules first, the command line overrides them */
static rc_status policies_and_zone(rc_conv *c, const rc_options *o)
{
	if (o->rules_path && !typemap_rules_load(&c->ov, o->rules_path))
		return RC_USAGE;
	for (size_t i = 0; i < c->ov.npolicies; i++)
		if (!convert_policy_set(&c->pol, c->ov.policies[i]))
			return RC_USAGE;
	for (size_t i = 0; i < o->npolicies; i++)
		if (!convert_policy_set(&c->pol, o->policies[i]))
			return RC_USAGE;
	for (size_t i = 0; i < o->ncasts; i++)
		if (!typemap_overrides_add_cast_spec(&c->ov, o->casts[i]))
			return RC_USAGE;
	const char *zone = o->timezone ? o->timezone : c->ov.timezone ? c->ov.timezone : "UTC";
	if (!convert_tz_init(&c->tz, zone))
		return RC_USAGE;
	return RC_OK;
}

static bool column_exists(const rs_header *h, const char *name)
{
	for (size_t i = 0; i < h->ncols; i++)
		if (strcmp(h->cols[i].name, name) == 0 || strcasecmp(h->cols[i].name, name) == 0)
			return true;
	return false;
}

/* the casts name columns of this table: the command line's must, the rules' should */
static rc_status casts_exist(const rc_conv *c, const rc_options *o)
{
	for (size_t i = 0; i < o->ncasts; i++) {
		const char *eq = strchr(o->casts[i], '=');
		char *col = mem_strndup(o->casts[i], (size_t)(eq - o->casts[i]));
		bool ok = column_exists(c->in, col);
		if (!ok)
			log_error("--cast %s: table %s has no column \"%s\"", o->casts[i], c->in->table, col);
		free(col);
		if (!ok)
			return RC_USAGE;
	}
	for (size_t i = 0; i < c->ov.ncasts; i++)
		if (!column_exists(c->in, c->ov.casts[i].column))
			log_warn("rules: table %s has no column \"%s\" (cast ignored)", c->in->table, c->ov.casts[i].column);
	return RC_OK;
}

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

/* the input and its header: a MySQL-domain stream, whose TIMESTAMP zone is known */
static rc_status open_input(rc_conv *c, const rc_options *o)
{
	if (o->input && strcmp(o->input, "-") != 0) {
		c->inname = o->input;
		c->fd = open(o->input, O_RDONLY | O_CLOEXEC);
		if (c->fd < 0) {
			log_errno("%s: unable to open", o->input);
			return RC_IO;
		}
	}
	c->r = rs_reader_new(c->fd >= 0 ? c->fd : STDIN_FILENO, c->inname);
	if (!c->r)
		return RC_STREAM;
	c->in = rs_reader_header(c->r);
	if (c->in->domain != RS_DOMAIN_MYSQL) {
		log_error("%s: not a MySQL-domain stream (domain %u): row-convert reads my-extract output", c->inname,
		          c->in->domain);
		return RC_STREAM;
	}
	/* TIMESTAMP values are in the extracting session's time zone (my-extract: +00:00) */
	const char *stz = rs_header_meta(c->in, "time_zone");
	if (stz && strcmp(stz, "SYSTEM") == 0)
		stz = rs_header_meta(c->in, "system_time_zone");
	if (!convert_tz_init(&c->session_tz, stz ? stz : "UTC")) {
		log_error("%s: cannot interpret TIMESTAMP values: unknown session time zone", c->inname);
		return RC_STREAM;
	}
	return RC_OK;
}

rc_status rc_setup(rc_conv *c, const rc_options *o)
{
	rc_status s;
	c->rejects_path = o->rejects_path;
	c->max_rejects = o->max_rejects;
	c->out_fd = o->out_fd;
	if ((s = policies_and_zone(c, o)) != RC_OK)
		return s;
	if (!o->profile && !log_check_stdout_binary(o->force))
		return RC_USAGE;
	if ((s = open_input(c, o)) != RC_OK || (s = casts_exist(c, o)) != RC_OK)
		return s;
	size_t ncols = c->in->ncols;
	c->cols = mem_calloc(ncols, sizeof *c->cols);
	for (; c->ncols_init < ncols; c->ncols_init++)
		if (!convert_column_init(&c->cols[c->ncols_init], &c->in->cols[c->ncols_init], &c->ov, &c->pol, &c->tz,
		                         &c->session_tz))
			return RC_USAGE;
	c->out = output_header(c->in, c->cols);
	if (!c->out)
		return RC_STREAM;
	if (o->profile) {
		c->prof = profile_new(c->in, c->cols);
	} else {
		/* values over 1 MiB travel in chunks (spooled by the writer until their row ends): a
		 * block never holds them, so no reader holds them whole either */
		rs_writer_opts wo = {.block_bytes = RS_MAX_BLOCK / 2, .inline_max = RS_CHUNK_BYTES,
		                     .zstd_level = o->zstd_level};
		c->w = rs_writer_new(o->out_fd, "stdout", c->out, &wo);
		if (!c->w)
			return RC_IO;
		c->rej = rejects_open(c->rejects_path, "row-convert", c->in);
		if (!c->rej)
			return RC_IO;
	}
	c->off = mem_calloc(ncols, sizeof *c->off);
	c->len = mem_calloc(ncols, sizeof *c->len);
	c->null = mem_calloc(ncols, sizeof *c->null);
	c->tagw = mem_calloc(ncols, sizeof *c->tagw);
	c->spool = mem_calloc(ncols, sizeof *c->spool);
	c->spool_len = mem_calloc(ncols, sizeof *c->spool_len);
	c->all_idx = mem_calloc(ncols, sizeof *c->all_idx);
	for (size_t i = 0; i < ncols; i++) {
		c->tagw[i] = 1;
		c->all_idx[i] = i;
	}
	return RC_OK;
}

bool rc_close_rejects(rc_conv *c)
{
	bool ok = rejects_close(c->rej);
	c->rej = NULL;
	return ok;
}

void rc_conv_free(rc_conv *c)
{
	/* still open only when the caller did not close it (its errors are logged either way) */
	rejects_close(c->rej);
	rs_writer_free(c->w);
	profile_free(c->prof);
	for (size_t i = 0; i < c->ncols_init; i++)
		convert_column_free(&c->cols[i]);
	free(c->cols);
	if (c->spool)
		for (size_t i = 0; c->in && i < c->in->ncols; i++)
			if (c->spool[i])
				fclose(c->spool[i]);
	free(c->spool);
	rs_reader_free(c->r);
	free(c->spool_len);
	free(c->off);
	free(c->len);
	free(c->tagw);
	free(c->null);
	free(c->all_idx);
	buf_free(&c->row);
	buf_free(&c->key);
	buf_free(&c->rowtext);
	rs_header_free(c->out);
	if (c->fd >= 0)
		close(c->fd);
	typemap_overrides_free(&c->ov);
	memset(c, 0, sizeof *c);
}
