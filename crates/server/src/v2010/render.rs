//! The 2010 views of the stored resources, with the documented field names.

use ringside_call::{AccountSid, PhoneNumber};

use crate::date::rfc2822;
use crate::resources::{CallRecord, NotificationRecord, RecordingRecord, SegmentRecord};
use crate::view::{Field, View};

/// `/2010-04-01/Accounts/{AccountSid}`.
pub fn account_path(account: AccountSid) -> String {
    format!("/2010-04-01/Accounts/{account}")
}

/// A stored number (`4155551212`, `+44…`) in E.164, and as the API formats it for people.
fn number(stored: &str) -> (String, String) {
    match PhoneNumber::parse(stored) {
        Ok(PhoneNumber::Us(d)) => (
            format!("+1{d}"),
            format!("({}) {}-{}", &d[..3], &d[3..6], &d[6..]),
        ),
        Ok(n) => (n.e164(), n.e164()),
        Err(_) => (stored.to_owned(), stored.to_owned()),
    }
}

/// A Call resource.
pub fn call(c: &CallRecord) -> View {
    let base = format!("{}/Calls/{}", account_path(c.account_sid), c.sid);
    let (to, to_formatted) = number(&c.called);
    let (from, from_formatted) = number(&c.caller);
    let status = c.status_2010();
    let started = status != "queued";
    View::default()
        .with("account_sid", "AccountSid", c.account_sid.to_string())
        .with("annotation", "Annotation", Field::Null)
        .with(
            "answered_by",
            "AnsweredBy",
            c.api.answered_by.map(|a| a.as_str()),
        )
        .with("api_version", "ApiVersion", c.api.version.as_str())
        .with("caller_name", "CallerName", Field::Null)
        .with("date_created", "DateCreated", rfc2822(c.date_created))
        .with("date_updated", "DateUpdated", rfc2822(c.date_updated))
        .with("direction", "Direction", "outbound-api")
        .with(
            "duration",
            "Duration",
            c.status
                .is_final()
                .then(|| c.duration.unwrap_or(0).to_string()),
        )
        .with("end_time", "EndTime", c.end_time.map(rfc2822))
        .with("forwarded_from", "ForwardedFrom", Field::Null)
        .with("from", "From", from)
        .with("from_formatted", "FromFormatted", from_formatted)
        .with("group_sid", "GroupSid", Field::Null)
        .with("parent_call_sid", "ParentCallSid", Field::Null)
        .with(
            "phone_number_sid",
            "PhoneNumberSid",
            c.phone_number_sid.as_str(),
        )
        .with("price", "Price", Field::Null)
        .with("price_unit", "PriceUnit", "USD")
        .with("queue_time", "QueueTime", "0")
        .with("sid", "Sid", c.sid.to_string())
        .with(
            "start_time",
            "StartTime",
            started.then(|| rfc2822(c.start_time)),
        )
        .with("status", "Status", status)
        .with(
            "subresource_uris",
            "SubresourceUris",
            Field::Group(
                View::default()
                    .with(
                        "notifications",
                        "Notifications",
                        format!("{base}/Notifications.json"),
                    )
                    .with(
                        "recordings",
                        "Recordings",
                        format!("{base}/Recordings.json"),
                    ),
            ),
        )
        .with("to", "To", to)
        .with("to_formatted", "ToFormatted", to_formatted)
        .with("trunk_sid", "TrunkSid", Field::Null)
        .with("uri", "Uri", format!("{base}.json"))
}

/// A `<Dial>` leg as the 2010 API shows it: a call of its own (`sid` the leg's
/// CallSegmentSid), whose `parent_call_sid` is the call that dialled it, `direction`
/// `outbound-dial`.
pub fn leg(s: &SegmentRecord) -> View {
    let c = &s.call;
    let path = format!("{}/Calls/{}", account_path(c.account_sid), s.segment_sid);
    let mut view = call(c);
    for (name, _, value) in &mut view.0 {
        match *name {
            "sid" => *value = Field::Text(s.segment_sid.clone()),
            "parent_call_sid" => *value = Field::Text(c.sid.to_string()),
            "direction" => *value = Field::from("outbound-dial"),
            "uri" => *value = Field::Text(format!("{path}.json")),
            "subresource_uris" => {
                *value = Field::Group(
                    View::default()
                        .with(
                            "notifications",
                            "Notifications",
                            format!("{path}/Notifications.json"),
                        )
                        .with(
                            "recordings",
                            "Recordings",
                            format!("{path}/Recordings.json"),
                        ),
                );
            }
            _ => {}
        }
    }
    view
}

/// A Recording resource; `base_url` (`http://host:port`) makes `media_url` absolute.
pub fn recording(r: &RecordingRecord, base_url: &str) -> View {
    let path = format!("{}/Recordings/{}", account_path(r.account_sid), r.sid);
    View::default()
        .with("account_sid", "AccountSid", r.account_sid.to_string())
        .with("api_version", "ApiVersion", "2010-04-01")
        .with("call_sid", "CallSid", r.call_sid.to_string())
        .with("channels", "Channels", Field::Number(1))
        .with("conference_sid", "ConferenceSid", Field::Null)
        .with("date_created", "DateCreated", rfc2822(r.date_created))
        .with("date_updated", "DateUpdated", rfc2822(r.date_created))
        .with("duration", "Duration", r.duration.to_string())
        .with("encryption_details", "EncryptionDetails", Field::Null)
        .with("error_code", "ErrorCode", Field::Null)
        .with("media_url", "MediaUrl", format!("{base_url}{path}"))
        .with("price", "Price", Field::Null)
        .with("price_unit", "PriceUnit", "USD")
        .with("sid", "Sid", r.sid.as_str())
        .with("source", "Source", r.source.as_str())
        .with("start_time", "StartTime", rfc2822(r.date_created))
        .with("status", "Status", "completed")
        .with("uri", "Uri", format!("{path}.json"))
}

/// A Notification resource; `detail` adds the fields only a fetch shows.
pub fn notification(n: &NotificationRecord, detail: bool) -> View {
    let v = View::default()
        .with("account_sid", "AccountSid", n.account_sid.to_string())
        .with("api_version", "ApiVersion", "2010-04-01")
        .with("call_sid", "CallSid", n.call_sid.to_string())
        .with("date_created", "DateCreated", rfc2822(n.message_date))
        .with("date_updated", "DateUpdated", rfc2822(n.message_date))
        .with("error_code", "ErrorCode", n.error_code.to_string())
        .with("log", "Log", n.log.to_string())
        .with("message_date", "MessageDate", rfc2822(n.message_date))
        .with("message_text", "MessageText", n.message_text.as_str())
        .with(
            "more_info",
            "MoreInfo",
            format!("https://www.twilio.com/docs/errors/{}", n.error_code),
        )
        .with("request_method", "RequestMethod", n.request_method.as_str())
        .with("request_url", "RequestUrl", n.request_url.as_str())
        .with("sid", "Sid", n.sid.as_str())
        .with(
            "uri",
            "Uri",
            format!(
                "{}/Notifications/{}.json",
                account_path(n.account_sid),
                n.sid
            ),
        );
    if detail {
        v.with("request_variables", "RequestVariables", "")
            .with("response_body", "ResponseBody", "")
            .with("response_headers", "ResponseHeaders", "")
    } else {
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_e164_and_for_people() {
        assert_eq!(
            number("4155551212"),
            ("+14155551212".into(), "(415) 555-1212".into())
        );
        assert_eq!(
            number("+441234567890"),
            ("+441234567890".into(), "+441234567890".into())
        );
    }
}
