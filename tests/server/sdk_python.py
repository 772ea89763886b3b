"""Drives `ringside serve`'s 2010-04-01 API with Twilio's own Python helper library (PyPI
`twilio`), unchanged but for its base URL.

Reads a job (JSON) on stdin: the account, the base URLs of a fast-clock server (`fast`) and
a real-clock one (`real`, for calls that must still ring or talk when they are updated),
and the test app's base URL. Checks what the library returns, and prints one JSON object
(the sids of the calls made) for the Rust test to check against what the app received.
Exits non-zero with a message naming the step that failed.
"""

import json
import sys
import time

from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

job = json.load(sys.stdin)
APP = job["app"]
CALLER = "+14158675309"


def client(base_url):
    c = Client(job["account_sid"], job["auth_token"])
    # The one change to the library: ringside instead of https://api.twilio.com.
    c.api.base_url = base_url
    return c


fast = client(job["fast"])
real = client(job["real"])


def check(step, cond, detail):
    if not cond:
        sys.exit(f"{step}: {detail}")


def wait_for(c, sid, statuses, step):
    for _ in range(1200):
        call = c.calls(sid).fetch()
        if call.status in statuses:
            return call
        time.sleep(0.05)
    sys.exit(f"{step}: call {sid} never reached {statuses} (last {call.status})")


FINAL = ("completed", "busy", "failed", "no-answer", "canceled")
out = {}

# A voicemail box, DetectMessageEnd: the app is requested after the beep with
# AnsweredBy=machine_end_beep; every call-progress event goes to the status callback.
call = fast.calls.create(
    to="+14155550102",
    from_=CALLER,
    url=APP + "/voice",
    machine_detection="DetectMessageEnd",
    status_callback=APP + "/status",
    status_callback_event=["initiated", "ringing", "answered", "completed"],
)
check("create", call.status == "queued", f"status {call.status}")
check("create", call.to == "+14155550102" and call._from == CALLER, f"{call.to} {call._from}")
check("create", call.api_version == "2010-04-01", call.api_version)
done = wait_for(fast, call.sid, FINAL, "voicemail")
check("voicemail", done.status == "completed", done.status)
check("voicemail", done.answered_by == "machine_end_beep", done.answered_by)
check("voicemail", done.start_time is not None and done.end_time is not None, "times")
check("voicemail", int(done.duration) > 0, done.duration)
out["voicemail"] = call.sid

# A person, Enable: AnsweredBy=human.
call = fast.calls.create(
    to="+14155550100", from_=CALLER, url=APP + "/voice", machine_detection="Enable"
)
done = wait_for(fast, call.sid, FINAL, "person")
check("person", done.answered_by == "human", done.answered_by)
out["person"] = call.sid

# Asynchronous AMD: the flow starts at once (the app holds the line); the result goes to
# the AMD callback.
call = fast.calls.create(
    to="+14155550102",
    from_=CALLER,
    url=APP + "/hold",
    machine_detection="Enable",
    async_amd="true",
    async_amd_status_callback=APP + "/amd",
)
done = wait_for(fast, call.sid, FINAL, "async")
check("async", done.answered_by == "machine_start", done.answered_by)
out["async"] = call.sid

# Fetch and list, with paging through next_page_uri (one call per page).
fetched = fast.calls(out["person"]).fetch()
check("fetch", fetched.sid == out["person"] and fetched.to == "+14155550100", fetched.sid)
listed = fast.calls.list(page_size=1, limit=3)
check("list", [c.sid for c in listed] == [out["async"], out["person"], out["voicemail"]],
      [c.sid for c in listed])
to_box = fast.calls.list(to="+14155550102")
check("list filter", {c.sid for c in to_box} == {out["voicemail"], out["async"]},
      [c.sid for c in to_box])
completed = fast.calls.list(status="completed", limit=10)
check("list status", len(completed) == 3, len(completed))

# The voicemail box's tape, as a Recording of the call.
recordings = fast.recordings.list(call_sid=out["voicemail"])
check("recordings", len(recordings) == 1, len(recordings))
check("recordings", int(recordings[0].duration) > 0, recordings[0].duration)
out["recording"] = recordings[0].sid

# A call whose app fails: a Notification with the error.
call = fast.calls.create(to="+14155550100", from_=CALLER, url=APP + "/broken")
done = wait_for(fast, call.sid, FINAL, "broken app")
check("broken app", done.status == "failed", done.status)
notes = fast.calls(call.sid).notifications.list()
check("notifications", len(notes) == 1 and notes[0].error_code == "11200",
      [(n.error_code, n.message_text) for n in notes])
note = fast.notifications(notes[0].sid).fetch()
check("notification", note.request_url == APP + "/broken", note.request_url)
# An ended call can be deleted; it is then gone, its notifications stay.
check("delete", fast.calls(call.sid).delete() is True, "not deleted")
try:
    fast.calls(call.sid).fetch()
    sys.exit("delete: the call is still there")
except TwilioRestException as e:
    check("delete", e.status == 404, e.status)
check("delete", fast.notifications(notes[0].sid).fetch().sid == notes[0].sid, "notification gone")

# Cancel a call that is still ringing.
call = real.calls.create(to="+14155550104", from_=CALLER, url=APP + "/voice")
wait_for(real, call.sid, ("ringing",), "cancel")
try:
    real.calls(call.sid).delete()
    sys.exit("delete while ringing: accepted")
except TwilioRestException as e:
    check("delete while ringing", (e.status, e.code) == (400, 21220), f"{e.status} {e.code}")
updated = real.calls(call.sid).update(status="canceled")
check("cancel", updated.status == "canceled", updated.status)
out["canceled"] = call.sid

# Redirect a call in progress, then hang it up.
call = real.calls.create(
    to="+14155550100", from_=CALLER, twiml='<Response><Pause length="60"/></Response>'
)
wait_for(real, call.sid, ("in-progress",), "update")
real.calls(call.sid).update(url=APP + "/next", method="POST")
time.sleep(0.5)
updated = real.calls(call.sid).update(status="completed")
check("hang up", updated.status == "completed", updated.status)
out["updated"] = call.sid

# Validation errors come back as TwilioRestException with the documented code.
for step, kwargs, code in [
    ("no To", dict(to="", from_=CALLER, url=APP + "/voice"), 21201),
    ("bad Url", dict(to="+14155550100", from_=CALLER, url="not a url"), 21205),
    ("bad timeout", dict(to="+14155550100", from_=CALLER, url=APP + "/v",
                         machine_detection="Enable", machine_detection_timeout=2), 21234),
    ("bad event", dict(to="+14155550100", from_=CALLER, url=APP + "/v",
                       status_callback=APP + "/s", status_callback_event=["hungup"]), 21626),
]:
    try:
        fast.calls.create(**kwargs)
        sys.exit(f"{step}: accepted")
    except TwilioRestException as e:
        check(step, (e.status, e.code) == (400, code), f"{e.status} {e.code} {e.msg}")
try:
    fast.calls("CA" + "0" * 32).fetch()
    sys.exit("missing call: found")
except TwilioRestException as e:
    check("missing call", (e.status, e.code) == (404, 20404), f"{e.status} {e.code}")

print(json.dumps(out))
