/* resource — the resource type table (../shared/ARCHITECTURE.md). Every
 * resource type and data source is one row: a schema as data plus an ops
 * table, the way curl describes a protocol with one Curl_handler. The engine
 * never names a type; it reads the row. One file per type (vpc.c,
 * subnet.c, ...) exports only its row; registry.c lists the rows.
 *
 * Values: a resource's attributes are an RC_OBJECT keyed by Terraform's
 * attribute names (id, arn, cidr_block, tags, tags_all, ...). Nested blocks
 * (ingress {}, health_check {}) are tuples of objects, as Terraform keeps
 * them. Ownership: arguments borrowed, *out new references. Ops run on walker
 * threads; they must not keep global mutable state. */
#ifndef RC_RESOURCE_H
#define RC_RESOURCE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "aws/aws.h"
#include "rc_status.h"
#include "rc_value.h"

enum rc_attr_type {
  RC_T_STRING,
  RC_T_NUMBER,
  RC_T_BOOL,
  RC_T_LIST,       /* of elem */
  RC_T_SET,        /* of elem */
  RC_T_MAP,        /* of elem (tags: map of string) */
  RC_T_BLOCK_LIST, /* nested block, ordered: schema in .block */
  RC_T_BLOCK_SET,  /* nested block, unordered */
  RC_T_ANY
};

#define RC_A_REQUIRED 0x01u
#define RC_A_OPTIONAL 0x02u
#define RC_A_COMPUTED 0x04u  /* with OPTIONAL: AWS fills it when unset */
#define RC_A_FORCE_NEW 0x08u /* a change replaces the resource */
#define RC_A_SENSITIVE 0x10u
#define RC_A_JSON 0x20u      /* a string holding JSON, compared semantically */

struct rc_attr {
  const char *name;
  enum rc_attr_type type;
  enum rc_attr_type elem;       /* element type of LIST/SET/MAP */
  unsigned flags;
  const char *default_json;     /* value when unset, as JSON text; NULL none */
  const struct rc_attr *block;  /* BLOCK_*: nested schema, {NULL}-terminated */
  int max_items;                /* BLOCK_*: 0 unlimited (1 for single blocks) */
  /* Canonical form of a value, applied to configuration and to what AWS
   * answers before they are compared (lower-case protocol, canonical JSON,
   * CIDR). NULL: identity. New reference. */
  struct rc_value *(*normalise)(const struct rc_value *v);
};

/* Everything an op needs to know besides its values. */
struct rc_rctx {
  struct rc_aws_client *aws;
  const char *stack;                 /* value of the recon:stack tag */
  const char *address;               /* full instance address */
  const struct rc_value *default_tags; /* provider default_tags.tags, or NULL */
  const char *region;
  const struct rc_value *timeouts;   /* the timeouts {} block object, or NULL */
  const char *idempotency_seed;      /* stable per stack+address+plan */
  /* Progress for long waits ("service steady: 1 of 2 tasks running"). May be NULL. */
  void (*progress)(void *ud, const char *address, const char *msg);
  void *progress_ud;
  volatile int *cancel;              /* non-zero: stop waiting, return RC_CANCELLED */
  bool replacing;                    /* delete/create are halves of a replace */
  int64_t started_ms;                /* when the action began (for "elapsed") */
};

/* One instance to refresh. */
struct rc_read_item {
  const char *address;
  const char *id;
  const struct rc_value *prior; /* attributes last recorded in state */
  struct rc_value *out;         /* set by read_many; NULL when gone */
  rc_status status;             /* RC_OK (found or gone) or the error */
  struct rc_error err;
};

enum rc_wait_for { RC_WAIT_CREATE, RC_WAIT_UPDATE, RC_WAIT_DELETE };

#define RC_RT_DATA 0x01u     /* a data source: only .read is used */
#define RC_RT_TAGGABLE 0x02u /* has tags/tags_all; created with recon tags */

struct rc_resource_type {
  const char *name;                 /* "aws_subnet" */
  const char *const *aliases;       /* NULL-terminated other names ("aws_alb"), or NULL */
  unsigned flags;                   /* RC_RT_* */
  const struct rc_attr *schema;     /* {NULL}-terminated */
  /* Ordering AWS needs that configurations rarely state: creates and updates
   * of this type wait for the pending creates and updates of these types
   * (NULL-terminated; e.g. an ECS service after the listeners that make its
   * target group usable). NULL: none. */
  const char *const *apply_after;

  /* Refresh all items of this type in as few calls as the API allows. A
   * resource that no longer exists sets item->out = NULL with RC_OK. */
  rc_status (*read_many)(struct rc_rctx *ctx, struct rc_read_item *items, size_t n);
  /* Looks for a live resource carrying ctx->stack/ctx->address tags (or, for
   * untaggable types, its natural key from config) and returns its attributes
   * in *out, or *out = NULL when there is none. Called before create. NULL hook:
   * the type has no way to find one (the create is idempotent by itself). */
  rc_status (*find)(struct rc_rctx *ctx, const struct rc_value *config,
                    struct rc_value **out, struct rc_error *err);
  /* Creates from the planned configuration (all known), with tags at birth.
   * *out: the full attribute object including "id". */
  rc_status (*create)(struct rc_rctx *ctx, const struct rc_value *config,
                      struct rc_value **out, struct rc_error *err);
  /* Changes in place what the API can change. NULL: every change is a replace. */
  rc_status (*update)(struct rc_rctx *ctx, const struct rc_value *prior,
                      const struct rc_value *config, struct rc_value **out,
                      struct rc_error *err);
  rc_status (*delete)(struct rc_rctx *ctx, const struct rc_value *state,
                      struct rc_error *err);
  /* Waits until usable (create/update) or gone (delete); NULL: nothing to wait
   * for. *out may carry refreshed attributes (NULL: unchanged). */
  rc_status (*wait)(struct rc_rctx *ctx, enum rc_wait_for what, const struct rc_value *state,
                    struct rc_value **out, struct rc_error *err);
  /* Reads the resource with this id for `recon import`. RC_NOT_FOUND if none. */
  rc_status (*import)(struct rc_rctx *ctx, const char *id, struct rc_value **out,
                      struct rc_error *err);
  /* Data sources: reads from the configuration (all known). */
  rc_status (*read)(struct rc_rctx *ctx, const struct rc_value *config, struct rc_value **out,
                    struct rc_error *err);
};

/* The registry: lookup by name or alias; NULL when unknown. */
const struct rc_resource_type *rc_resource_lookup(const char *name, bool data);
/* All rows (resources then data sources), NULL-terminated. */
extern const struct rc_resource_type *const rc_resource_types[];
/* Closest known type name to a misspelt one (for "did you mean"), or NULL. */
const char *rc_resource_suggest(const char *name, bool data);

/* Finds an attribute in a schema; NULL when absent. */
const struct rc_attr *rc_schema_attr(const struct rc_attr *schema, const char *name);

#endif
