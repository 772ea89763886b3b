//! The XML bodies of the 2008 API, written by hand so that they are byte-compatible with
//! the documentation's examples: one element per line, no indentation, no XML declaration,
//! empty values as self-closing elements (`<EndTime/>`), elements in the documented order.
//!
//! `<Call>` carries the documented eleven elements in their documented order. Two fields of
//! the 2008 resource the documentation does not show are placed so its example bytes stay
//! exact: `<Duration>` comes after `<EndTime>` and only once the call has ended ("only for
//! completed calls"); `<DateCreated>`/`<DateUpdated>` come last and only in `GET`
//! responses, since the documentation's create response has neither.

mod writer;

use crate::date::rfc2822;
use crate::page::Page;
use crate::resources::{CallRecord, NotificationRecord, RecordingRecord, SegmentRecord};
use crate::view::{Field, ListPage, View};
use writer::Doc;

/// Whether a `<Call>` shows its creation and update dates (not in the create response).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dates {
    /// As the documented create response: no `DateCreated`/`DateUpdated`.
    Omit,
    /// As `GET` responses.
    Show,
}

fn call_element(doc: &mut Doc, c: &CallRecord, dates: Dates) {
    call_or_segment(doc, c, "", dates);
}

/// A `<Call>`; `segment_sid` is empty for the call itself, a `<Dial>` leg's sid otherwise.
fn call_or_segment(doc: &mut Doc, c: &CallRecord, segment_sid: &str, dates: Dates) {
    doc.open("Call");
    doc.elem("Sid", &c.sid.to_string());
    doc.elem("CallSegmentSid", segment_sid);
    doc.elem("AccountSid", &c.account_sid.to_string());
    doc.elem("Called", &c.called);
    doc.elem("Caller", &c.caller);
    doc.elem("PhoneNumberSid", &c.phone_number_sid);
    doc.elem("Status", &c.status.code().to_string());
    doc.elem("StartTime", &rfc2822(c.start_time));
    doc.elem("EndTime", &c.end_time.map(rfc2822).unwrap_or_default());
    if c.status.is_final() {
        doc.elem(
            "Duration",
            &c.duration.map(|d| d.to_string()).unwrap_or_default(),
        );
    }
    doc.elem("Price", "");
    doc.elem("Flags", &c.flags.to_string());
    if dates == Dates::Show {
        doc.elem("DateCreated", &rfc2822(c.date_created));
        doc.elem("DateUpdated", &rfc2822(c.date_updated));
    }
    doc.close("Call");
}

/// `<TwilioResponse><Call>…</Call></TwilioResponse>`.
pub fn call(c: &CallRecord, dates: Dates) -> String {
    let mut doc = Doc::default();
    doc.open("TwilioResponse");
    call_element(&mut doc, c, dates);
    doc.close("TwilioResponse");
    doc.finish()
}

/// One page of calls.
pub fn calls(page: &Page, calls: &[CallRecord]) -> String {
    list("Calls", page, calls, |d, c| call_element(d, c, Dates::Show))
}

/// One page of a call's `<Dial>` legs (`…/Calls/{CallSid}/Segments`), as `<Calls>`.
pub fn segments(page: &Page, items: &[SegmentRecord]) -> String {
    list("Calls", page, items, |d, s| {
        call_or_segment(d, &s.call, &s.segment_sid, Dates::Show);
    })
}

fn notification_element(doc: &mut Doc, n: &NotificationRecord) {
    doc.open("Notification");
    doc.elem("Sid", &n.sid);
    doc.elem("AccountSid", &n.account_sid.to_string());
    doc.elem("CallSid", &n.call_sid.to_string());
    doc.elem("Log", &n.log.to_string());
    doc.elem("ErrorCode", &n.error_code.to_string());
    doc.elem(
        "MoreInfo",
        &format!("http://www.twilio.com/docs/errors/{}", n.error_code),
    );
    doc.elem("MessageText", &n.message_text);
    doc.elem("MessageDate", &rfc2822(n.message_date));
    doc.elem("RequestURL", &n.request_url);
    doc.elem("RequestMethod", &n.request_method);
    doc.elem("DateCreated", &rfc2822(n.message_date));
    doc.elem("DateUpdated", &rfc2822(n.message_date));
    doc.close("Notification");
}

/// One page of notifications.
pub fn notifications(page: &Page, items: &[NotificationRecord]) -> String {
    list("Notifications", page, items, notification_element)
}

fn recording_element(doc: &mut Doc, r: &RecordingRecord) {
    doc.open("Recording");
    doc.elem("Sid", &r.sid);
    doc.elem("AccountSid", &r.account_sid.to_string());
    doc.elem("CallSid", &r.call_sid.to_string());
    doc.elem("Duration", &r.duration.to_string());
    doc.elem("DateCreated", &rfc2822(r.date_created));
    doc.elem("DateUpdated", &rfc2822(r.date_created));
    doc.close("Recording");
}

/// One page of recordings.
pub fn recordings(page: &Page, items: &[RecordingRecord]) -> String {
    list("Recordings", page, items, recording_element)
}

/// One recording's metadata (`…/Recordings/{Sid}.xml`).
pub fn recording(r: &RecordingRecord) -> String {
    let mut doc = Doc::default();
    doc.open("TwilioResponse");
    recording_element(&mut doc, r);
    doc.close("TwilioResponse");
    doc.finish()
}

fn list<T>(tag: &'static str, page: &Page, items: &[T], each: impl Fn(&mut Doc, &T)) -> String {
    let mut doc = Doc::default();
    doc.open("TwilioResponse");
    doc.open_list(tag, page);
    if !page.is_empty() {
        for item in items {
            each(&mut doc, item);
        }
        doc.close(tag);
    }
    doc.close("TwilioResponse");
    doc.finish()
}

/// A `<RestException>`. `code` is shown with its `MoreInfo` link when given (validation
/// errors); 401, 404 and 405 carry Status and Message only, as the 2008 API's 404 did.
pub fn rest_exception(status: u16, message: &str, code: Option<u32>) -> String {
    let mut doc = Doc::default();
    doc.open("TwilioResponse");
    doc.open("RestException");
    doc.elem("Status", &status.to_string());
    doc.elem("Message", message);
    if let Some(code) = code {
        doc.elem("Code", &code.to_string());
        doc.elem(
            "MoreInfo",
            &format!("http://www.twilio.com/docs/errors/{code}"),
        );
    }
    doc.close("RestException");
    doc.close("TwilioResponse");
    doc.finish()
}

fn view_element(doc: &mut Doc, tag: &'static str, view: &View) {
    doc.open(tag);
    for (_, name, field) in &view.0 {
        match field {
            Field::Text(s) => doc.elem(name, s),
            Field::Number(n) => doc.elem(name, &n.to_string()),
            Field::Null => doc.elem(name, ""),
            Field::Group(inner) => view_element(doc, name, inner),
        }
    }
    doc.close(tag);
}

/// A 2010 resource as XML: `<TwilioResponse><{tag}>` and one element per field.
pub fn view(tag: &'static str, view: &View) -> String {
    let mut doc = Doc::default();
    doc.open("TwilioResponse");
    view_element(&mut doc, tag, view);
    doc.close("TwilioResponse");
    doc.finish()
}

/// A page of a 2010 list as XML: `<{list} page=… pagesize=… …>` holding `<{item}>`s.
pub fn view_list(
    list: &'static str,
    item: &'static str,
    page: &ListPage,
    items: &[View],
) -> String {
    let mut doc = Doc::default();
    doc.open("TwilioResponse");
    doc.open_list_2010(list, page, items.is_empty());
    if !items.is_empty() {
        for v in items {
            view_element(&mut doc, item, v);
        }
        doc.close(list);
    }
    doc.close("TwilioResponse");
    doc.finish()
}

/// A 2010 `<RestException>`: `Code`, `Message`, `MoreInfo`, `Status`.
pub fn rest_exception_2010(status: u16, message: &str, code: u32, more_info: &str) -> String {
    let mut doc = Doc::default();
    doc.open("TwilioResponse");
    doc.open("RestException");
    doc.elem("Code", &code.to_string());
    doc.elem("Message", message);
    doc.elem("MoreInfo", more_info);
    doc.elem("Status", &status.to_string());
    doc.close("RestException");
    doc.close("TwilioResponse");
    doc.finish()
}

#[cfg(test)]
mod tests;
