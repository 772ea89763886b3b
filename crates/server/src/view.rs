//! A resource as the 2010-04-01 API shows it: named fields in a fixed order, each a string,
//! a number, `null`, or a nested group. One value renders as JSON (`.json`) or as XML
//! (`.xml`, by [`crate::xml`]), so the two representations cannot disagree.
//!
//! Every field carries both of its names, the JSON one (`account_sid`) and the XML one
//! (`AccountSid`), as `&'static str`: names are part of the program, never of the data.

use serde_json::{Map, Value};

/// One field's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Field {
    /// A string.
    Text(String),
    /// A number.
    Number(i64),
    /// `null` (an empty element in XML).
    Null,
    /// A nested group (`subresource_uris`).
    Group(View),
}

impl From<String> for Field {
    fn from(s: String) -> Self {
        Field::Text(s)
    }
}

impl From<&str> for Field {
    fn from(s: &str) -> Self {
        Field::Text(s.to_owned())
    }
}

impl<T: Into<Field>> From<Option<T>> for Field {
    fn from(v: Option<T>) -> Self {
        v.map_or(Field::Null, Into::into)
    }
}

/// A resource: its fields in order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct View(pub Vec<(&'static str, &'static str, Field)>);

impl View {
    /// Adds a field.
    pub fn with(mut self, json: &'static str, xml: &'static str, value: impl Into<Field>) -> Self {
        self.0.push((json, xml, value.into()));
        self
    }

    /// The JSON object.
    pub fn to_json(&self) -> Value {
        let mut map = Map::new();
        for (name, _, field) in &self.0 {
            let value = match field {
                Field::Text(s) => Value::String(s.clone()),
                Field::Number(n) => Value::from(*n),
                Field::Null => Value::Null,
                Field::Group(v) => v.to_json(),
            };
            map.insert((*name).to_owned(), value);
        }
        Value::Object(map)
    }
}

/// One page of a 2010 list: where it is and where the others are (`uri` and the page
/// links are paths, as the API gives them).
#[derive(Debug, Clone, PartialEq)]
pub struct ListPage {
    /// Page number, from 0.
    pub page: u32,
    /// Page size.
    pub page_size: u32,
    /// Index of the first item.
    pub start: u64,
    /// Index of the last item (equal to `start` on an empty page).
    pub end: u64,
    /// This page.
    pub uri: String,
    /// Page 0.
    pub first_page_uri: String,
    /// The next page, if there are more items.
    pub next_page_uri: Option<String>,
    /// The previous page, unless this is page 0.
    pub previous_page_uri: Option<String>,
}

impl ListPage {
    /// The JSON list: `key` holds the items, beside the paging fields the helper libraries
    /// read (and no other top-level key, since they find the items as the one key that is
    /// not a paging field).
    pub fn to_json(&self, key: &str, items: &[View]) -> Value {
        let mut map = Map::new();
        map.insert(
            key.to_owned(),
            Value::Array(items.iter().map(View::to_json).collect()),
        );
        map.insert("end".into(), Value::from(self.end));
        map.insert("first_page_uri".into(), self.first_page_uri.clone().into());
        map.insert("next_page_uri".into(), self.next_page_uri.clone().into());
        map.insert("page".into(), Value::from(self.page));
        map.insert("page_size".into(), Value::from(self.page_size));
        map.insert(
            "previous_page_uri".into(),
            self.previous_page_uri.clone().into(),
        );
        map.insert("start".into(), Value::from(self.start));
        map.insert("uri".into(), self.uri.clone().into());
        Value::Object(map)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn json_keeps_types_and_nulls() {
        let v = View::default()
            .with("sid", "Sid", "CA1")
            .with("duration", "Duration", None::<String>)
            .with("channels", "Channels", Field::Number(1))
            .with(
                "subresource_uris",
                "SubresourceUris",
                Field::Group(View::default().with("recordings", "Recordings", "/r.json")),
            );
        assert_eq!(
            v.to_json(),
            serde_json::json!({"sid": "CA1", "duration": null, "channels": 1,
                "subresource_uris": {"recordings": "/r.json"}})
        );
    }
}
