/* fuzz_xml — the AWS client's answer decoders on arbitrary bytes: the
 * generic XML → value conversion, the query-protocol decoders of an
 * EC2-style service (ec2) and an <OpResult>-style one (elbv2), the XML error
 * extractor and, for good measure, the JSON 1.1 decoder and error extractor
 * (an endpoint may send anything). None may crash, leak, read out of bounds
 * or leave an error message unterminated; a decode either succeeds with a
 * value or fails saying why. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aws_int.h"
#include "rc_alloc.h"
#include "rc_value.h"

static void check_err_strings(const struct rc_error *err)
{
  /* every field is a C string that fits its buffer */
  if (memchr(err->msg, '\0', sizeof err->msg) == NULL) abort();
  if (memchr(err->aws_code, '\0', sizeof err->aws_code) == NULL) abort();
  if (memchr(err->request_id, '\0', sizeof err->request_id) == NULL) abort();
}

static void decode_query(const char *svc_name, const char *op, const char *body, size_t len)
{
  const struct rc_aws__svc *s = rc_aws__svc_find(svc_name);
  if (!s) abort();
  struct rc_value *out = NULL;
  struct rc_error err;
  rc_error_clear(&err);
  rc_status st = rc_aws__query_decode(s, op, body, len, &out, &err);
  if (st == RC_OK) {
    if (!out || !rc_value_is_obj(out)) abort();
    struct rc_buf b;
    rc_buf_init(&b, 0);
    rc_value_render(out, &b); /* walk the whole tree */
    rc_buf_free(&b);
  } else {
    if (out || err.code == RC_OK || !err.msg[0]) abort();
  }
  check_err_strings(&err);
  rc_value_decref(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const char *body = (const char *)data;

  struct rc_value *v = rc_aws__xml_to_value(body, size);
  if (v) {
    struct rc_buf b;
    rc_buf_init(&b, 0);
    rc_value_render(v, &b);
    rc_buf_free(&b);
    rc_value_decref(v);
  }

  decode_query("ec2", "DescribeVpcs", body, size);
  decode_query("elbv2", "DescribeLoadBalancers", body, size);

  struct rc_error err;
  rc_error_clear(&err);
  rc_aws__xml_error(body, size, &err);
  check_err_strings(&err);

  struct rc_value *j = NULL;
  rc_error_clear(&err);
  if (rc_aws__json_decode(body, size, &j, &err) == RC_OK) {
    struct rc_buf b;
    rc_buf_init(&b, 0);
    if (j) rc_value_render(j, &b);
    rc_buf_free(&b);
  } else if (j || !err.msg[0]) {
    abort();
  }
  rc_value_decref(j);
  check_err_strings(&err);

  rc_error_clear(&err);
  rc_aws__json_error(body, size, "x-amzn-errortype: Foo:http://x\r\n", &err);
  check_err_strings(&err);
  return 0;
}
