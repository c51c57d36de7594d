/* engine_int — what engine.c, refresh.c, planner.c and apply.c share. */
#ifndef RC_ENGINE_INT_H
#define RC_ENGINE_INT_H
#include <pthread.h>
#include "engine.h"
#include "resource.h"

struct rc_engine {
  struct rc_engine_opts opts;
  struct rc_config *cfg;
  struct rc_state_backend *backend;
  struct rc_state *state;
  bool locked;
  struct rc_aws_client *aws;
  struct rc_aws_client *s3_client;  /* for the S3 backend */
  char *stack;
  struct rc_value *default_tags;    /* provider default_tags.tags or NULL */
  char *region;
  struct rc_value *backend_val;     /* state-only commands: the backend block */
  char *backend_type;
  pthread_mutex_t mu;               /* state, config values, events */
  bool moved;                       /* moved {} blocks changed addresses in state */
  bool *evaluated;                  /* per config node, during plan */
};

/* engine.c */
rc_status rc_engine__ensure_aws(struct rc_engine *e, struct rc_diags *ds, struct rc_error *err);
void rc_engine__event(struct rc_engine *e, const struct rc_event *ev);
void rc_engine__rctx(struct rc_engine *e, struct rc_rctx *ctx, const char *address);
/* "module.a[0].aws_x.y["k"]" → "module.a.aws_x.y" (rc_free) */
char *rc_engine__node_addr(const char *address);
/* refresh.c: reads every managed resource of the state in batches per type;
 * *out is an object address → attributes (null when gone). */
rc_status rc_engine__refresh(struct rc_engine *e, struct rc_value **out, struct rc_error *err);

#endif
