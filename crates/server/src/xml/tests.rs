//! The rendered XML against the bytes of the 2008 documentation's examples
//! (`making-calls-2008.txt`).

use ringside_call::{AccountSid, CallSid, CallStatus, Method};

use super::*;
use crate::page::{Page, PageRequest};
use crate::resources::{CallRecord, NotificationRecord};

/// The 2008 documentation's first example response, verbatim.
const SEED_CREATE: &str = "<TwilioResponse>
<Call>
<Sid>CA42ed11f93dc08b952027ffbc406d0868</Sid>
<CallSegmentSid/>
<AccountSid>AC309475e5fede1b49e100272a8640f438</AccountSid>
<Called>4155551212</Called>
<Caller>4158675309</Caller>
<PhoneNumberSid>PN01234567890123456789012345678900</PhoneNumberSid>
<Status>0</Status>
<StartTime>Thu, 03 Apr 2008 04:36:33 -0400</StartTime>
<EndTime/>
<Price/>
<Flags>1</Flags>
</Call>
</TwilioResponse>
";

fn seed_call() -> CallRecord {
    CallRecord {
        sid: CallSid::parse("CA42ed11f93dc08b952027ffbc406d0868").unwrap(),
        account_sid: AccountSid::parse("AC309475e5fede1b49e100272a8640f438").unwrap(),
        called: "4155551212".into(),
        caller: "4158675309".into(),
        phone_number_sid: "PN01234567890123456789012345678900".into(),
        status: CallStatus::NotDialled,
        // 04:36:33 -0400 = 08:36:33 UTC.
        start_time: 1_207_211_793_000,
        end_time: None,
        duration: None,
        flags: 2,
        date_created: 1_207_211_793_000,
        date_updated: 1_207_211_793_000,
        url: "http://www.myapp.com/myhandler.php".into(),
        method: Method::Post,
        dial_status: None,
        api: crate::resources::CallApi::default(),
    }
}

#[test]
fn create_response_matches_the_seed_bytes() {
    // Two deliberate differences, both documented: times are printed in UTC, and API
    // calls carry Flags 2 (API-2008.md's decision). Everything else is byte for byte.
    let expected = SEED_CREATE
        .replace(
            "Thu, 03 Apr 2008 04:36:33 -0400",
            "Thu, 03 Apr 2008 08:36:33 +0000",
        )
        .replace("<Flags>1</Flags>", "<Flags>2</Flags>");
    assert_eq!(call(&seed_call(), Dates::Omit), expected);
}

#[test]
fn a_finished_call_shows_end_time_duration_and_dates() {
    let mut c = seed_call();
    c.status = CallStatus::Complete;
    c.end_time = Some(c.start_time + 14_000);
    c.duration = Some(14);
    let xml = call(&c, Dates::Show);
    assert!(xml.contains(
        "<EndTime>Thu, 03 Apr 2008 08:36:47 +0000</EndTime>\n<Duration>14</Duration>\n<Price/>\n<Flags>2</Flags>\n<DateCreated>"
    ), "{xml}");
    // A failed-busy call has ended but was never connected: Duration is 0, not absent.
    c.status = CallStatus::Busy;
    c.duration = Some(0);
    assert!(call(&c, Dates::Show).contains("<Duration>0</Duration>"));
}

#[test]
fn lists_carry_paging_attributes_and_empty_lists_self_close() {
    let calls_xml = calls(
        &Page::new(PageRequest { page: 0, num: 50 }, 1, 1),
        &[seed_call()],
    );
    assert!(calls_xml.starts_with(
        "<TwilioResponse>\n<Calls page=\"0\" numpages=\"1\" pagesize=\"50\" total=\"1\" start=\"0\" end=\"0\">\n<Call>\n"
    ));
    assert!(calls_xml.ends_with("</Call>\n</Calls>\n</TwilioResponse>\n"));
    let empty = notifications(&Page::new(PageRequest { page: 0, num: 50 }, 0, 0), &[]);
    assert_eq!(
        empty,
        "<TwilioResponse>\n<Notifications page=\"0\" numpages=\"1\" pagesize=\"50\" total=\"0\" start=\"0\" end=\"0\"/>\n</TwilioResponse>\n"
    );
}

#[test]
fn text_is_escaped() {
    let n = NotificationRecord {
        sid: "NO1".into(),
        account_sid: AccountSid::from_u128(1),
        call_sid: CallSid::from_u128(2),
        log: 0,
        error_code: 12100,
        message_text: "expected </Response> & got <b>".into(),
        message_date: 0,
        request_url: "http://a/?x=1&y=2".into(),
        request_method: "GET".into(),
    };
    let xml = notifications(&Page::new(PageRequest { page: 0, num: 50 }, 1, 1), &[n]);
    assert!(
        xml.contains("<MessageText>expected &lt;/Response&gt; &amp; got &lt;b&gt;</MessageText>")
    );
    assert!(xml.contains("<RequestURL>http://a/?x=1&amp;y=2</RequestURL>"));
}

#[test]
fn rest_exception_shapes() {
    assert_eq!(
        rest_exception(400, "No called number is specified", Some(21201)),
        "<TwilioResponse>\n<RestException>\n<Status>400</Status>\n<Message>No called number is specified</Message>\n<Code>21201</Code>\n<MoreInfo>http://www.twilio.com/docs/errors/21201</MoreInfo>\n</RestException>\n</TwilioResponse>\n"
    );
    assert_eq!(
        rest_exception(404, "The requested resource was not found", None),
        "<TwilioResponse>\n<RestException>\n<Status>404</Status>\n<Message>The requested resource was not found</Message>\n</RestException>\n</TwilioResponse>\n"
    );
}
