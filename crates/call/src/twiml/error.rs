//! `TwimlError`: why a TwiML document was refused, precise enough to fix the document.

use std::fmt;

/// Why a TwiML document could not be parsed or run.
///
/// Every variant names the element and, where there is one, the attribute and the
/// offending value. All of them end the call with Status 4 and a Notification carrying
/// [`TwimlError::code`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TwimlError {
    /// The document is not well-formed XML.
    Xml {
        /// The XML parser's description.
        message: String,
        /// Byte offset of the error in the document.
        position: u64,
    },
    /// The document has no root element.
    Empty,
    /// The root element is not `<Response>`.
    NotResponse {
        /// The root element found instead.
        found: String,
    },
    /// An element that is not a 2008 TwiML verb or noun.
    UnknownVerb {
        /// The element name.
        name: String,
        /// Where it appeared.
        parent: String,
    },
    /// A known verb or noun where it may not appear (e.g. `<Record>` inside `<Gather>`).
    NotAllowed {
        /// The misplaced element.
        child: String,
        /// Its parent.
        parent: String,
    },
    /// An attribute the element does not have.
    UnknownAttribute {
        /// The element.
        element: String,
        /// The attribute name.
        attribute: String,
    },
    /// An attribute whose value is out of range or of the wrong kind.
    InvalidAttribute {
        /// The element.
        element: &'static str,
        /// The attribute name.
        attribute: &'static str,
        /// The value found.
        value: String,
        /// What would have been accepted.
        expected: &'static str,
    },
    /// Text where the element takes none (e.g. inside `<Response>` or `<Gather>`).
    UnexpectedText {
        /// The element holding the text.
        element: String,
        /// The text (trimmed, shortened to 40 characters).
        text: String,
    },
    /// The element's text is missing or invalid (an empty `<Play>`, a bad number in `<Dial>`).
    InvalidText {
        /// The element.
        element: &'static str,
        /// The text found (possibly empty).
        value: String,
        /// What would have been accepted.
        expected: &'static str,
    },
    /// The text of a `<Say>` is over the 4 KB limit.
    TextTooLong {
        /// The element.
        element: &'static str,
        /// Its length in bytes.
        len: usize,
        /// The limit in bytes.
        max: usize,
    },
    /// Elements nested deeper than any valid TwiML.
    TooDeep {
        /// The nesting depth allowed.
        max: usize,
    },
    /// A URL in the document cannot be resolved against the document's own URL.
    BadUrl {
        /// The element.
        element: &'static str,
        /// The URL as written.
        url: String,
    },
}

impl TwimlError {
    /// The Notification `ErrorCode`: 12100, "Document parse failure".
    pub const fn code(&self) -> u32 {
        12100
    }
}

impl fmt::Display for TwimlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TwimlError::Xml { message, position } => {
                write!(
                    f,
                    "the document is not well-formed XML at byte {position}: {message}"
                )
            }
            TwimlError::Empty => f.write_str("the document has no <Response> element"),
            TwimlError::NotResponse { found } => {
                write!(
                    f,
                    "the root element is <{found}>; TwiML documents must be a <Response>"
                )
            }
            TwimlError::UnknownVerb { name, parent } => {
                write!(f, "<{name}> inside <{parent}> is not a TwiML verb")
            }
            TwimlError::NotAllowed { child, parent } => {
                write!(f, "<{child}> is not allowed inside <{parent}>")
            }
            TwimlError::UnknownAttribute { element, attribute } => {
                write!(f, "<{element}> has no attribute {attribute:?}")
            }
            TwimlError::InvalidAttribute {
                element,
                attribute,
                value,
                expected,
            } => write!(
                f,
                "<{element} {attribute}={value:?}> is invalid: expected {expected}"
            ),
            TwimlError::UnexpectedText { element, text } => {
                write!(f, "<{element}> may not contain text, found {text:?}")
            }
            TwimlError::InvalidText {
                element,
                value,
                expected,
            } => write!(
                f,
                "<{element}>{value}</{element}> is invalid: expected {expected}"
            ),
            TwimlError::TextTooLong { element, len, max } => {
                write!(f, "<{element}> text is {len} bytes; the limit is {max}")
            }
            TwimlError::TooDeep { max } => {
                write!(f, "elements are nested more than {max} deep")
            }
            TwimlError::BadUrl { element, url } => {
                write!(
                    f,
                    "<{element}> URL {url:?} cannot be resolved against the document URL"
                )
            }
        }
    }
}

impl std::error::Error for TwimlError {}
