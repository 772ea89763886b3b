//! Reading a recipe's JSON field by field, keeping the path, and collecting every problem.
//!
//! serde alone would stop at the first mistake with a message about types; a recipe
//! author needs the field (`answer.beep.freq_hz`), the value written, and what is
//! accepted, for every mistake at once. So the recipe is parsed to a JSON tree and read
//! here: each getter checks shape and bounds, records a [`FieldError`] when wrong, and
//! returns the default so reading carries on.

use serde_json::{Map, Value};

use super::error::FieldError;
use super::param::Param;

/// A JSON object and its path in the recipe.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Obj<'v> {
    pub map: &'v Map<String, Value>,
    pub path: &'v str,
}

/// The problems found so far.
#[derive(Debug, Default)]
pub(crate) struct Reader {
    pub errors: Vec<FieldError>,
}

const SHAPES: &str =
    r#"a number, a range {"min": .., "max": ..} or [lo, hi], or a list {"one_of": [..]}"#;

pub(crate) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn show(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 80 {
        format!("{}...", s.chars().take(77).collect::<String>())
    } else {
        s
    }
}

impl Reader {
    /// Records a problem.
    pub fn error(&mut self, path: String, value: &Value, expected: impl Into<String>) {
        self.errors.push(FieldError {
            path,
            value: show(value),
            expected: expected.into(),
        });
    }

    /// Records a missing required field.
    pub fn missing(&mut self, path: String, expected: impl Into<String>) {
        self.errors.push(FieldError {
            path,
            value: "(missing)".to_owned(),
            expected: expected.into(),
        });
    }

    /// Flags every key of `obj` not in `known`.
    pub fn known(&mut self, obj: Obj<'_>, known: &[&str]) {
        for (k, v) in obj.map {
            if !known.contains(&k.as_str()) {
                self.error(
                    join(obj.path, k),
                    v,
                    format!("unknown field; expected one of: {}", known.join(", ")),
                );
            }
        }
    }

    /// A nested object, if present (`null` counts as absent).
    pub fn object<'v>(&mut self, obj: Obj<'v>, key: &str, path: &'v str) -> Option<Obj<'v>> {
        match obj.map.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::Object(map)) => Some(Obj { map, path }),
            Some(other) => {
                self.error(path.to_owned(), other, "expected an object {..}");
                None
            }
        }
    }

    /// A real-valued parameter within `lo..=hi` (`unit` names the unit in messages).
    pub fn num(
        &mut self,
        obj: Obj<'_>,
        key: &str,
        default: f64,
        (lo, hi): (f64, f64),
        unit: &str,
    ) -> Param<f64> {
        let path = join(obj.path, key);
        let Some(v) = obj.map.get(key) else {
            return Param::Fixed(default);
        };
        let accepted = format!("expected {SHAPES}, each within {lo}..{hi}{unit}");
        let Ok(p) = serde_json::from_value::<Param<f64>>(v.clone()) else {
            self.error(path, v, accepted);
            return Param::Fixed(default);
        };
        self.check_values(
            path,
            v,
            &p,
            |x| x.is_finite() && (lo..=hi).contains(x),
            &accepted,
        )
        .unwrap_or(Param::Fixed(default))
    }

    /// An integer parameter within `lo..=hi`.
    pub fn int(
        &mut self,
        obj: Obj<'_>,
        key: &str,
        default: u32,
        (lo, hi): (u32, u32),
        unit: &str,
    ) -> Param<u32> {
        let path = join(obj.path, key);
        let Some(v) = obj.map.get(key) else {
            return Param::Fixed(default);
        };
        let accepted = format!(
            "expected a whole number, a range {{\"min\": .., \"max\": ..}} or [lo, hi], or a list {{\"one_of\": [..]}}, each within {lo}..{hi}{unit}"
        );
        let Ok(p) = serde_json::from_value::<Param<u32>>(v.clone()) else {
            self.error(path, v, accepted);
            return Param::Fixed(default);
        };
        self.check_values(path, v, &p, |x| (lo..=hi).contains(x), &accepted)
            .unwrap_or(Param::Fixed(default))
    }

    /// A choice among `allowed` words: a word or `{"one_of": [..]}`.
    pub fn choice(
        &mut self,
        obj: Obj<'_>,
        key: &str,
        default: &str,
        allowed: &[&str],
    ) -> Param<String> {
        let path = join(obj.path, key);
        let Some(v) = obj.map.get(key) else {
            return Param::Fixed(default.to_owned());
        };
        let accepted = format!(
            "expected one of {} or a list {{\"one_of\": [..]}} of them",
            allowed.join(", ")
        );
        match serde_json::from_value::<Param<String>>(v.clone()) {
            Ok(p @ (Param::Fixed(_) | Param::OneOf { .. })) => self
                .check_values(path, v, &p, |s| allowed.contains(&s.as_str()), &accepted)
                .unwrap_or(Param::Fixed(default.to_owned())),
            _ => {
                self.error(path, v, accepted);
                Param::Fixed(default.to_owned())
            }
        }
    }

    /// A yes/no parameter: `true`, `false` or `{"one_of": [true, false]}`.
    pub fn flag(&mut self, obj: Obj<'_>, key: &str, default: bool) -> Param<bool> {
        let path = join(obj.path, key);
        let Some(v) = obj.map.get(key) else {
            return Param::Fixed(default);
        };
        match serde_json::from_value::<Param<bool>>(v.clone()) {
            Ok(p @ Param::Fixed(_)) => p,
            Ok(p @ Param::OneOf { .. }) if !p.values().is_empty() => p,
            _ => {
                self.error(
                    path,
                    v,
                    r#"expected true, false or {"one_of": [true, false]}"#,
                );
                Param::Fixed(default)
            }
        }
    }

    /// A plain string (no drawing), e.g. a file name.
    pub fn text(&mut self, obj: Obj<'_>, key: &str) -> Option<String> {
        match obj.map.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
            Some(other) => {
                self.error(join(obj.path, key), other, "expected a non-empty string");
                None
            }
        }
    }

    fn check_values<T: super::param::Drawable + PartialOrd>(
        &mut self,
        path: String,
        v: &Value,
        p: &Param<T>,
        ok: impl Fn(&T) -> bool,
        accepted: &str,
    ) -> Option<Param<T>> {
        if matches!(p, Param::OneOf { one_of } if one_of.is_empty()) {
            self.error(path, v, format!("the list is empty; {accepted}"));
            return None;
        }
        if !p.values().into_iter().all(ok) {
            self.error(path, v, accepted.to_owned());
            return None;
        }
        if p.range().is_some_and(|(lo, hi)| lo > hi) {
            self.error(
                path,
                v,
                format!("the range's min is above its max; {accepted}"),
            );
            return None;
        }
        Some(p.clone())
    }
}
