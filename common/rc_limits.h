/* rc_limits — every limit recon enforces, named in one place (Lua llex.c,
 * lparser.c enterlevel). Exceeding one is a diagnostic, never a crash. */
#ifndef RC_LIMITS_H
#define RC_LIMITS_H

#define RC_LIMIT_BUF_DEFAULT (256u * 1024u * 1024u) /* any rc_buf */
#define RC_LIMIT_SOURCE_SIZE (16u * 1024u * 1024u)  /* one .tf/.tfvars file */
#define RC_LIMIT_NESTING 256                        /* expression/block depth */
#define RC_LIMIT_MODULE_DEPTH 32                    /* nested module calls */
#define RC_LIMIT_DIAGNOSTICS 50                     /* reported per run */
#define RC_LIMIT_HTTP_BODY (64u * 1024u * 1024u)    /* one AWS answer */
#define RC_LIMIT_RETRY_ATTEMPTS 5                   /* non-throttling errors */
#define RC_LIMIT_THROTTLE_ATTEMPTS 10               /* throttling errors */
#define RC_LIMIT_STATE_SIZE (512u * 1024u * 1024u)  /* a state file */
#define RC_LIMIT_FUNC_ARGS 1024                     /* args to a built-in */
#define RC_LIMIT_RANGE_ELEMS 1024                   /* range(), as Terraform */
#define RC_LIMIT_COUNT 100000                       /* count / for_each size */

#endif
