// Drives `ringside serve`'s 2010-04-01 API with Twilio's own Node.js helper library (npm
// `twilio`), unchanged but for its base URL: create, fetch, list.
//
// Reads a job (JSON) on stdin: the account, the server's base URL (`fast`) and the test
// app's. Prints one JSON object with the sid of the call it made; exits non-zero with a
// message naming the step that failed.

const twilio = require("twilio");

const job = JSON.parse(require("fs").readFileSync(0, "utf8"));
const client = twilio(job.account_sid, job.auth_token);
// The one change to the library: ringside instead of https://api.twilio.com.
client.api.baseUrl = job.fast;

function check(step, cond, detail) {
  if (!cond) {
    console.error(`${step}: ${detail}`);
    process.exit(1);
  }
}

const FINAL = ["completed", "busy", "failed", "no-answer", "canceled"];

(async () => {
  const call = await client.calls.create({
    to: "+14155550100",
    from: "+14158675309",
    url: `${job.app}/voice`,
    machineDetection: "Enable",
  });
  check("create", call.status === "queued", call.status);
  check("create", call.to === "+14155550100", call.to);
  let done = call;
  for (let i = 0; i < 1200 && !FINAL.includes(done.status); i++) {
    await new Promise((r) => setTimeout(r, 50));
    done = await client.calls(call.sid).fetch();
  }
  check("fetch", done.status === "completed", done.status);
  check("fetch", done.answeredBy === "human", done.answeredBy);
  check("fetch", done.startTime instanceof Date, done.startTime);
  const second = await client.calls.create({
    to: "+14155550103",
    from: "+14158675309",
    url: `${job.app}/voice`,
  });
  // Newest first, one per page: the library follows next_page_uri.
  const listed = await client.calls.list({ pageSize: 1, limit: 2 });
  check(
    "list",
    listed.length === 2 && listed[0].sid === second.sid && listed[1].sid === call.sid,
    listed.map((c) => c.sid),
  );
  const toPerson = await client.calls.list({ to: "+14155550100" });
  check(
    "list filter",
    toPerson.length === 1 && toPerson[0].sid === call.sid,
    toPerson.map((c) => c.sid),
  );
  try {
    await client.calls.create({ to: "+14155550100", from: "+14158675309" });
    check("no Url", false, "accepted");
  } catch (e) {
    check("no Url", e.status === 400 && e.code === 21205, `${e.status} ${e.code}`);
  }
  console.log(JSON.stringify({ person: call.sid }));
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
