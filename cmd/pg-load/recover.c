/*
 * recover.c - a lost connection: reconnect with backoff, take the load lock again and
 * learn from the checkpoint whether the batch in flight was committed.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "loader.h"
#include "pgconn.h"

int recover_connection(loader *L, bool *committed)
{
	*committed = false;
	bool commit_sent = L->commit_sent;
	pgconn_close(*L->conn);
	*L->conn = NULL;
	double delay = 0.5;
	PGconn *c = NULL;
	buf err;
	buf_init(&err);
	for (unsigned attempt = 1; attempt <= L->o->retries && !c; attempt++) {
		struct timespec ts = {(time_t)delay, (long)((delay - floor(delay)) * 1e9)};
		while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
			;
		buf_reset(&err);
		c = pgconn_try_connect(L->o->conninfo, &err);
		if (!c)
			log_warn("[%s] reconnection attempt %u of %u failed: %s", SIDE, attempt, L->o->retries, buf_cstr(&err));
		delay = delay * 2 > 30 ? 30 : delay * 2;
	}
	buf_free(&err);
	if (!c) {
		log_error("[%s] connection lost, and %u reconnection attempts failed", SIDE, L->o->retries);
		return PL_FATAL;
	}
	*L->conn = c;
	L->st->reconnects++;
	log_warn("[%s] reconnected", SIDE);
	if (!target_session(c))
		return PL_FATAL;
	/* the old session's lock goes when the server notices it is gone */
	bool got = false;
	for (int i = 0; i < 60 && !got; i++) {
		if (!checkpoint_lock(c, L->t, L->o->chunk, &got))
			return PL_FATAL;
		if (!got)
			sleep(1);
	}
	if (!got) {
		log_error("[%s] another session holds the load lock of %s", SIDE, L->t->qname);
		return PL_FATAL;
	}
	if (!L->checkpoints) {
		if (commit_sent) {
			log_error("[%s] the connection was lost while committing batch %" PRIu64 ": without checkpoints its "
			          "outcome cannot be known",
			          SIDE, L->st->batches + 1);
			return PL_FATAL;
		}
		return PL_OK;
	}
	checkpoint cp;
	if (!checkpoint_read(c, L->t, L->o->chunk, &cp))
		return PL_FATAL;
	bool ours = cp.exists && cp.load_id && strcmp(cp.load_id, L->load_id) == 0;
	uint64_t mine = L->st->batches;
	int s = PL_OK;
	if (ours && cp.batches == mine + 1) {
		*committed = true;
	} else if (!(ours ? cp.batches == mine : mine == 0)) {
		log_error("[%s] the checkpoint of %s changed during the load (%" PRIu64 " batches committed, checkpoint "
		          "has %" PRIu64 " of load %s): stopping",
		          SIDE, L->t->qname, mine, cp.batches, cp.load_id ? cp.load_id : "(none)");
		s = PL_FATAL;
	}
	checkpoint_free(&cp);
	return s;
}
