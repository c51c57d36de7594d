#!/usr/bin/python3
"""`recon debug aws sts GetCallerIdentity` under RECON_LOG=trace, with a
distinctive secret key and session token, against a loopback endpoint that
answers, then fails, then throttles once: no output may contain the secret, the
token or a signature."""
import http.server
import os
import subprocess
import sys
import threading

RECON = os.environ.get("RECON") or os.path.join(os.environ.get("RECON_BUILD_DIR", "build"), "recon")
SECRET = "SeCrEtKeY-do-not-leak-7f3a9c1e5b"
TOKEN = "SeSsIoNtOkEn-do-not-leak-42b8d6"
MODE = {"kind": "ok"}
SEEN = []

OK = (b'<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
      b'<GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/t</Arn>'
      b'<UserId>AIDA</UserId><Account>123456789012</Account></GetCallerIdentityResult>'
      b'<ResponseMetadata><RequestId>req-ok-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>')
ERR = (b'<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code>'
       b'<Message>The security token included in the request is invalid.</Message></Error>'
       b'<RequestId>req-err-1</RequestId></ErrorResponse>')
THR = (b'<ErrorResponse><Error><Code>Throttling</Code><Message>Rate exceeded</Message></Error>'
       b'<RequestId>req-thr</RequestId></ErrorResponse>')


class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(n)
        SEEN.append((dict(self.headers), body))
        kind = MODE["kind"]
        if kind == "ok":
            code, out = 200, OK
        elif kind == "err":
            code, out = 403, ERR
        else:  # throttled once, then answered
            MODE["kind"] = "ok"
            code, out = 400, THR
        self.send_response(code)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *a):
        pass


def run(args, env):
    p = subprocess.run([RECON] + args, env=env, capture_output=True, timeout=120)
    return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")


def main():
    if not os.path.exists(RECON):
        print("FAIL: recon binary not found at %s" % RECON)
        return 1
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    url = "http://127.0.0.1:%d" % srv.server_address[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({"AWS_ACCESS_KEY_ID": "AKIDLEAKTEST", "AWS_SECRET_ACCESS_KEY": SECRET,
                "AWS_SESSION_TOKEN": TOKEN, "AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": url,
                "AWS_EC2_METADATA_DISABLED": "true", "RECON_LOG": "trace"})
    outputs = []
    failures = 0

    MODE["kind"] = "ok"
    rc, out, err = run(["debug", "aws", "sts", "GetCallerIdentity"], env)
    outputs.append(out + err)
    if rc != 0 or "123456789012" not in out or "req-ok-1" not in err:
        print("FAIL: the successful call: rc=%d\n%s\n%s" % (rc, out, err))
        failures += 1
    # the request really carried the token and a signature (so the grep below means something)
    hdrs = SEEN[-1][0]
    if hdrs.get("X-Amz-Security-Token") != TOKEN or "Signature=" not in hdrs.get("Authorization", ""):
        print("FAIL: the request did not carry the token and signature: %r" % hdrs)
        failures += 1
    signature = hdrs["Authorization"].split("Signature=")[1]

    MODE["kind"] = "err"
    rc, out, err = run(["debug", "aws", "sts", "GetCallerIdentity"], env)
    outputs.append(out + err)
    if rc != 1 or "Error: InvalidClientTokenId: The security token included" not in err:
        print("FAIL: the error call: rc=%d\n%s\n%s" % (rc, out, err))
        failures += 1

    MODE["kind"] = "throttle"
    env2 = dict(env)
    rc, out, err = run(["debug", "aws", "sts", "GetCallerIdentity"], env2)
    outputs.append(out + err)
    if rc != 0 or "Throttling" not in err or "retry sts.GetCallerIdentity attempt 2" not in err:
        print("FAIL: the throttled call: rc=%d\n%s" % (rc, err[-2000:]))
        failures += 1

    for text in outputs:
        for needle in (SECRET, TOKEN, signature, "Authorization", "Signature="):
            if needle in text:
                print("FAIL: %r appears in the output" % needle)
                failures += 1
    srv.shutdown()
    print("no-secrets: %d runs checked, %d failures" % (len(outputs), failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
