"""Checks ringside's X-Twilio-Signature with Twilio's own helper library.

Reads {"token": ..., "requests": [{"url", "params": [[name, value], ...], "signature"}]}
on stdin and validates each request with PyPI twilio's RequestValidator, exactly as an app
would. Prints one line per request; exits 1 if any signature is rejected.
"""

import json
import sys

from twilio.request_validator import RequestValidator

job = json.load(sys.stdin)
validator = RequestValidator(job["token"])
rejected = 0
for r in job["requests"]:
    params = dict(r["params"])
    ok = validator.validate(r["url"], params, r["signature"])
    print(("valid   " if ok else "INVALID ") + r["url"])
    rejected += 0 if ok else 1
sys.exit(1 if rejected else 0)
