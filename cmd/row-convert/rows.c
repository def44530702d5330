/*
 * rows.c - the row loop of row-convert: each row's values converted into one encoded row,
 * written in one call, or the row rejected (with its key, column, reason and source bytes);
 * output blocks end where input blocks end. See row-convert.h.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "row-convert.h"

bool rc_reject_row(rc_conv *c, size_t col, const char *reason, const uint8_t *value, uint64_t value_len)
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
		c->status = RC_REJECTED;
		return false;
	}
	log_info("rejected row with key %s: column \"%s\": %s", buf_cstr(&c->key), colname, reason);
	if (!rejects_add(c->rej, buf_cstr(&c->key), colname, reason, value, (size_t)value_len, false,
	                 buf_cstr(&c->rowtext))) {
		c->status = RC_IO;
		return false;
	}
	if (c->max_rejects >= 0 && c->rejected > (uint64_t)c->max_rejects) {
		log_error("more than %lld rows rejected (--max-rejects): stopping", c->max_rejects);
		c->status = RC_LIMIT;
		return false;
	}
	return true;
}

const char *rc_refusal_class(const rc_conv *c, size_t col, const char *cause, const uint8_t *value, size_t len)
{
	int k = convert_refused_class(&c->cols[col], value, len, cause);
	return k >= 0 ? convert_class_name((convert_class)k) : convert_reason_slug(&c->cols[col], cause);
}

/* the row is built encoded (rowstream's value encoding: a varint tag, then the bytes): each
 * value is converted after room for its tag as long as the column's last one (*width bytes),
 * moved when its own differs, and the tag written; *width becomes its width */
static void encode_tag(buf *row, size_t slot, uint8_t *width, size_t len)
{
	uint64_t tag = ((uint64_t)len << 1) + 1;
	size_t k = 1;
	for (uint64_t t = tag; t >= 0x80; t >>= 7)
		k++;
	if (k != *width) {
		buf_reserve(row, k);
		memmove(row->data + slot + k, row->data + slot + *width, len);
		row->len = slot + k + len;
		*width = (uint8_t)k;
	}
	uint8_t *p = row->data + slot;
	for (; tag >= 0x80; tag >>= 7)
		*p++ = (uint8_t)(tag | 0x80);
	*p = (uint8_t)tag;
}

/* false: stop (c->status says why) */
/* a row out (with --profile: one that would be), counted with its changed values */
static bool row_counted(rc_conv *c, const uint64_t changed[CONVERT_NCLASS])
{
	c->rows_out++;
	for (int k = 0; k < CONVERT_NCLASS; k++)
		c->changed[k] += changed[k];
	return true;
}

/* a write failed (logged by the writer) */
static bool write_failed(rc_conv *c)
{
	c->status = RC_IO;
	return false;
}

static bool convert_row(rc_conv *c)
{
	const rs_value *vals = rs_reader_values(c->r);
	size_t ncols = c->in->ncols;
	uint64_t changed[CONVERT_NCLASS] = {0};
	buf_reset(&c->row);
	bool any_chunked = false, long_value = false;
	if (c->prof)
		profile_row_begin(c->prof, vals);
	/* in-memory values first: a reject there skips the large values unread */
	buf *row = &c->row;
	profile *prof = c->prof;
	for (size_t i = 0; i < ncols; i++) {
		const rs_value *v = &vals[i];
		if (v->chunked) {
			c->null[i] = false;
			any_chunked = true;
			continue;
		}
		if (v->null) {
			c->null[i] = true;
			buf_putc(row, 0); /* the tag of NULL */
			if (prof)
				profile_null(prof, i);
			continue;
		}
		convert_status st;
		size_t width = c->tagw[i], slot = row->len;
		buf_reserve(row, width);
		size_t off = slot + width;
		row->len = off;
		if (!convert_value(&c->cols[i], v->data, (size_t)v->len, row, &st)) {
			if (prof) {
				/* a profile goes on: every refused value of the row is counted */
				profile_refused(prof, i, rc_refusal_class(c, i, st.reason, v->data, (size_t)v->len));
				continue;
			}
			char reason[256];
			snprintf(reason, sizeof reason, "%s", st.reason ? st.reason : "conversion failed");
			return rc_reject_row(c, i, reason, v->data, v->len);
		}
		size_t len = row->len - off;
		c->null[i] = st.null;
		if (st.null) {
			row->data[slot] = 0; /* the tag of NULL */
			row->len = slot + 1;
			if (c->in->cols[i].keypos) {
				if (!prof)
					return rc_reject_row(c, i, "key value would become NULL (policy)", v->data, v->len);
				profile_refused(prof, i, "null-key");
				continue;
			}
		} else if (width == 1 && len < 64) {
			row->data[slot] = (uint8_t)(len << 1 | 1); /* the usual one-byte tag */
		} else {
			encode_tag(row, slot, &c->tagw[i], len);
			off = row->len - len;
			if (len > RS_CHUNK_BYTES)
				long_value = true;
		}
		c->off[i] = off;
		c->len[i] = len;
		if (st.changed)
			for (int k = 0; k < CONVERT_NCLASS; k++)
				if (st.changed & (1u << k))
					changed[k]++;
		if (prof) {
			if (st.changed)
				profile_changed(prof, i, st.changed);
			else
				profile_ok(prof, i, v->data, (size_t)v->len);
		}
	}
	if (any_chunked) {
		for (size_t i = 0; i < ncols; i++) {
			if (!vals[i].chunked)
				continue;
			rc_large rc = rc_large_convert(c, i, &vals[i], changed);
			if (rc == RC_LARGE_STOP)
				return false;
			if (rc == RC_LARGE_REJECTED && !c->prof)
				return true; /* rejected, recorded */
		}
	}
	if (c->prof) {
		/* nothing written: counted as a run with --rejects would count it */
		if (profile_row_end(c->prof)) {
			c->rejected++;
			return true;
		}
		return row_counted(c, changed);
	}
	if (!any_chunked && !long_value) {
		/* the usual row: written as it was built, in one call, its key values where they were put */
		if (!rs_writer_put_row_at(c->w, c->row.data, c->row.len, c->off, c->len, c->null))
			return write_failed(c);
		return row_counted(c, changed);
	}
	for (size_t i = 0; i < ncols; i++) {
		bool ok;
		if (vals[i].chunked)
			ok = rc_large_put(c, i);
		else if (c->null[i])
			ok = rs_writer_put_null(c->w);
		else
			ok = rs_writer_put(c->w, c->row.data + c->off[i], c->len[i]);
		if (!ok)
			return write_failed(c);
	}
	if (!rs_writer_end_row(c->w))
		return write_failed(c);
	return row_counted(c, changed);
}

rc_status rc_convert_rows(rc_conv *c)
{
	bool finished = false;
	for (;;) {
		int rc = rs_reader_next(c->r);
		if (rc < 0) {
			c->status = RC_STREAM;
			break;
		}
		if (rc == 0) {
			finished = true;
			break;
		}
		c->rows_in++;
		if (!convert_row(c))
			break;
		/* output blocks end where input blocks end: block keys line up */
		if (c->w && rs_reader_at_block_end(c->r) && !rs_writer_flush(c->w)) {
			c->status = RC_IO;
			break;
		}
	}
	if (finished && c->prof) {
		/* exit 1 when a run would reject or change anything */
		if (!profile_print(c->prof, c->out_fd))
			c->status = RC_IO;
		else if (profile_rows_rejected(c->prof) > 0 || profile_rows_changed(c->prof) > 0)
			c->status = RC_REJECTED;
	} else if (finished) {
		/* the trailer only for a complete conversion: a stopped one must look truncated */
		if (!rs_writer_finish(c->w))
			c->status = RC_IO;
		else if (c->rejected > 0)
			c->status = RC_REJECTED;
	}
	return c->status;
}
