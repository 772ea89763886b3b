//! The first pass of [`parse`](super::parse): XML text → a flat element [`Tree`] that
//! borrows from the text.
//!
//! quick-xml's reader checks well-formedness (matching end tags, unique attributes,
//! entities); this pass keeps only what the vocabulary pass needs: each element's name,
//! attributes and text, and its child elements in order. Comments, processing
//! instructions and the declaration are dropped; nesting past [`MAX_DEPTH`] is refused
//! while reading, so nothing later needs to recurse deeper than that.
//!
//! Why flat and borrowed: an app reply is parsed on every fetch inside the call state
//! machine, and a tree of owned strings and per-element vectors cost more in allocation
//! than quick-xml spent reading. Names, attribute values and text are slices of the
//! document unless an entity or a line ending had to be rewritten.

use std::borrow::Cow;

use quick_xml::XmlVersion;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::attributes::Attributes;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use super::error::TwimlError;

/// Valid TwiML nests at most three deep (`Response` > `Gather` > `Say`); anything past
/// this is refused while reading, which also bounds the tree's recursion depth.
pub(super) const MAX_DEPTH: usize = 8;

/// Index of an element in [`Tree::elements`], or of an attribute in [`Tree::attrs`].
type Index = usize;

/// A parsed document's elements, in document (start-tag) order.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Tree<'a> {
    elements: Vec<Node<'a>>,
    /// Every element's attributes, each element's as one run (see [`Node::attrs`]).
    attrs: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    root: Index,
}

#[derive(Debug, PartialEq, Eq)]
struct Node<'a> {
    name: Cow<'a, str>,
    /// `attrs[start..end]` of the tree.
    attrs: (Index, Index),
    /// All text directly inside the element, joined (text around child elements too),
    /// trimmed when read; leading whitespace may already be gone.
    text: Cow<'a, str>,
    /// `text` is only whitespace (or empty): known without trimming it again, which
    /// indentation between child elements would otherwise cost on every text event.
    blank: bool,
    first_child: Option<Index>,
    last_child: Option<Index>,
    next_sibling: Option<Index>,
}

/// One element of a [`Tree`].
#[derive(Debug, Clone, Copy)]
pub(super) struct Element<'t, 'a> {
    tree: &'t Tree<'a>,
    node: &'t Node<'a>,
}

impl<'t, 'a> Element<'t, 'a> {
    /// The element name, as written.
    pub(super) fn name(&self) -> &'t str {
        &self.node.name
    }

    /// Its attributes, in document order.
    pub(super) fn attrs(&self) -> &'t [(Cow<'a, str>, Cow<'a, str>)] {
        let (start, end) = self.node.attrs;
        &self.tree.attrs[start..end]
    }

    /// All its text, trimmed.
    pub(super) fn text(&self) -> &'t str {
        if self.node.blank {
            ""
        } else {
            self.node.text.trim()
        }
    }

    /// Its child elements, in document order.
    pub(super) fn elements(&self) -> Children<'t, 'a> {
        Children {
            tree: self.tree,
            next: self.node.first_child,
        }
    }
}

/// The child elements of one [`Element`].
#[derive(Debug, Clone)]
pub(super) struct Children<'t, 'a> {
    tree: &'t Tree<'a>,
    next: Option<Index>,
}

impl<'t, 'a> Iterator for Children<'t, 'a> {
    type Item = Element<'t, 'a>;

    fn next(&mut self) -> Option<Self::Item> {
        let node = &self.tree.elements[self.next?];
        self.next = node.next_sibling;
        Some(Element {
            tree: self.tree,
            node,
        })
    }
}

impl<'a> Tree<'a> {
    /// The root element.
    pub(super) fn root(&self) -> Element<'_, 'a> {
        Element {
            tree: self,
            node: &self.elements[self.root],
        }
    }

    /// Reads `xml` with quick-xml; the first well-formedness problem is the error.
    pub(super) fn read(xml: &'a str) -> Result<Self, TwimlError> {
        let mut builder = Builder::new(xml);
        let mut reader = Reader::from_str(xml);
        loop {
            let position = reader.buffer_position();
            let event = reader
                .read_event()
                .map_err(|e| xml_error(e, reader.error_position()))?;
            match event {
                Event::Start(e) => builder.start(&e, position)?,
                Event::Empty(e) => builder.empty(&e, position)?,
                // quick-xml checks that end names match their start tags.
                Event::End(_) => builder.end(position)?,
                // Indentation where no text has been seen yet is dropped unread: not even
                // its line ends need normalising.
                Event::Text(t) if builder.awaits_text() && is_blank(&t) => {}
                Event::Text(t) => builder.text(t.xml10_content(), position)?,
                Event::CData(t) => builder.text(t.xml10_content(), position)?,
                Event::GeneralRef(r) => {
                    let text: Cow<'_, str> =
                        match r.resolve_char_ref().map_err(|e| xml_error(e, position))? {
                            Some(c) => Cow::Owned(c.to_string()),
                            None => {
                                let name = r.xml10_content();
                                match resolve_predefined_entity(&name) {
                                    Some(s) => Cow::Borrowed(s),
                                    None => {
                                        return Err(xml_error(
                                            format!("unknown entity &{name};"),
                                            position,
                                        ));
                                    }
                                }
                            }
                        };
                    builder.text(text, position)?;
                }
                Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
                Event::Eof => return builder.finish(position),
            }
        }
    }
}

/// Builds a [`Tree`] from reader events (start, empty and end tags, text, the end).
#[derive(Debug)]
pub(super) struct Builder<'a> {
    xml: &'a str,
    tree: Tree<'a>,
    /// The open elements, outermost first: `open[..depth]`.
    open: [Index; MAX_DEPTH],
    depth: usize,
    root: Option<Index>,
}

impl<'a> Builder<'a> {
    pub(super) fn new(xml: &'a str) -> Self {
        Builder {
            xml,
            tree: Tree {
                // Enough for a usual reply; also small enough (under 1 KiB each) for the
                // allocator's per-thread cache, which larger blocks bypass at several
                // times the cost.
                elements: Vec::with_capacity(8),
                attrs: Vec::with_capacity(16),
                root: 0,
            },
            open: [0; MAX_DEPTH],
            depth: 0,
            root: None,
        }
    }

    /// A start tag.
    pub(super) fn start(&mut self, e: &BytesStart<'_>, position: u64) -> Result<(), TwimlError> {
        if self.depth >= MAX_DEPTH {
            return Err(TwimlError::TooDeep { max: MAX_DEPTH });
        }
        let index = self.element(e, position)?;
        self.open[self.depth] = index;
        self.depth += 1;
        Ok(())
    }

    /// An empty-element tag (`<Hangup/>`).
    pub(super) fn empty(&mut self, e: &BytesStart<'_>, position: u64) -> Result<(), TwimlError> {
        let index = self.element(e, position)?;
        self.close(index, position)
    }

    /// An end tag (its name was checked by the reader).
    pub(super) fn end(&mut self, position: u64) -> Result<(), TwimlError> {
        match self.depth.checked_sub(1) {
            Some(depth) => {
                self.depth = depth;
                self.close(self.open[depth], position)
            }
            None => Ok(()),
        }
    }

    /// Adds the element of a start (or empty) tag; returns its index.
    fn element(&mut self, e: &BytesStart<'_>, position: u64) -> Result<Index, TwimlError> {
        let name_len = e.name().as_ref().len();
        let start = self.tree.attrs.len();
        let attrs = &mut self.tree.attrs;
        // The reader reads from `xml`, so the tag is a slice of it: take it with the
        // document's lifetime and nothing needs copying. (The copy is only a fallback.)
        let name = match within(self.xml, e) {
            Some(tag) => {
                read_attrs(tag, name_len, position, attrs, |k, v| (Cow::Borrowed(k), v))?;
                Cow::Borrowed(&tag[..name_len])
            }
            None => {
                read_attrs(e, name_len, position, attrs, |k, v| {
                    (Cow::Owned(k.to_owned()), Cow::Owned(v.into_owned()))
                })?;
                Cow::Owned(e[..name_len].to_owned())
            }
        };
        Ok(self.add(name, start))
    }

    /// Adds an element whose attributes are `attrs[attrs_from..]`; returns its index.
    fn add(&mut self, name: Cow<'a, str>, attrs_from: usize) -> Index {
        let i = self.tree.elements.len();
        self.tree.elements.push(Node {
            name,
            attrs: (attrs_from, self.tree.attrs.len()),
            text: Cow::Borrowed(""),
            blank: true,
            first_child: None,
            last_child: None,
            next_sibling: None,
        });
        i
    }

    /// True if whitespace-only text here would be dropped: outside the root, or in an
    /// element with no text but whitespace so far.
    pub(super) fn awaits_text(&self) -> bool {
        match self.depth.checked_sub(1) {
            Some(top) => self.tree.elements[self.open[top]].blank,
            None => true,
        }
    }

    /// Appends text to the innermost open element, or checks it is only whitespace outside.
    pub(super) fn text(&mut self, text: Cow<'a, str>, position: u64) -> Result<(), TwimlError> {
        match self.depth.checked_sub(1) {
            Some(top) => {
                let node = &mut self.tree.elements[self.open[top]];
                // Only the trimmed text is ever read, so whitespace before the first real
                // text can be dropped: the indentation between child elements then costs
                // no copy.
                if node.blank {
                    node.blank = is_blank(&text);
                    node.text = text;
                } else {
                    node.text.to_mut().push_str(&text);
                }
                Ok(())
            }
            None if is_blank(&text) => Ok(()),
            None => Err(xml_error(
                format!("text {:?} outside the root element", shorten(text.trim())),
                position,
            )),
        }
    }

    /// An element's end: it becomes the last child of the element around it, or the root.
    fn close(&mut self, i: Index, position: u64) -> Result<(), TwimlError> {
        let Some(top) = self.depth.checked_sub(1) else {
            if self.root.is_some() {
                let name = &self.tree.elements[i].name;
                return Err(xml_error(
                    format!("a second root element <{name}>"),
                    position,
                ));
            }
            self.root = Some(i);
            return Ok(());
        };
        let parent = self.open[top];
        match self.tree.elements[parent].last_child {
            Some(last) => self.tree.elements[last].next_sibling = Some(i),
            None => self.tree.elements[parent].first_child = Some(i),
        }
        self.tree.elements[parent].last_child = Some(i);
        Ok(())
    }

    /// The end of the document: every element must be closed and there must be a root.
    pub(super) fn finish(mut self, position: u64) -> Result<Tree<'a>, TwimlError> {
        if let Some(top) = self.depth.checked_sub(1) {
            let name = &self.tree.elements[self.open[top]].name;
            return Err(xml_error(format!("<{name}> is never closed"), position));
        }
        self.tree.root = self.root.ok_or(TwimlError::Empty)?;
        Ok(self.tree)
    }
}

/// An element with more attributes than this has them read with quick-xml's own check for
/// repeated names (see [`read_attrs`]). No 2008 TwiML element has more than eight.
const FAST_ATTRS: usize = 16;

/// Parses the attributes of `tag` (name and attributes, as in the start tag) and appends
/// each key and normalised value, as `entry` makes them, to `attrs`.
///
/// Why not simply quick-xml's checked iterator: its check for repeated names keeps the
/// names seen in a vector of its own, an allocation per element with attributes that cost
/// a third as much as reading them. So the attributes are read unchecked and each name is
/// compared with the few already appended, before its value is normalised, as the checked
/// reader does. Errors stay quick-xml's, word for word: at a repeated name, a syntax error
/// (which the checked reader might have reported as a repeated name instead) or more than
/// [`FAST_ATTRS`] names, the element's attributes are dropped and read again with the
/// check on. A value that fails to normalise is returned as is: the names before it are
/// distinct, so the checked reader fails there too.
fn read_attrs<'s, 'a>(
    tag: &'s str,
    name_len: usize,
    position: u64,
    attrs: &mut Vec<(Cow<'a, str>, Cow<'a, str>)>,
    entry: impl Fn(&'s str, Cow<'s, str>) -> (Cow<'a, str>, Cow<'a, str>),
) -> Result<(), TwimlError> {
    let start = attrs.len();
    if read_attrs_unchecked(tag, name_len, position, attrs, &entry)? {
        return Ok(());
    }
    attrs.truncate(start);
    for a in Attributes::new(tag, name_len) {
        let a = a.map_err(|err| xml_error(err, position))?;
        let value = a
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|err| xml_error(err, position))?;
        attrs.push(entry(a.key.into_inner(), value));
    }
    Ok(())
}

/// The fast path of [`read_attrs`]: false (with some attributes appended) if the tag must
/// be read again with quick-xml's checks.
fn read_attrs_unchecked<'s, 'a>(
    tag: &'s str,
    name_len: usize,
    position: u64,
    attrs: &mut Vec<(Cow<'a, str>, Cow<'a, str>)>,
    entry: &impl Fn(&'s str, Cow<'s, str>) -> (Cow<'a, str>, Cow<'a, str>),
) -> Result<bool, TwimlError> {
    let start = attrs.len();
    let mut iter = Attributes::new(tag, name_len);
    iter.with_checks(false);
    for a in iter {
        let Ok(a) = a else {
            return Ok(false);
        };
        let key = a.key.into_inner();
        let seen = &attrs[start..];
        if seen.len() >= FAST_ATTRS || seen.iter().any(|(k, _)| &**k == key) {
            return Ok(false);
        }
        let value = a
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|err| xml_error(err, position))?;
        attrs.push(entry(key, value));
    }
    Ok(true)
}

/// True if `text` is only whitespace, as [`str::trim`] sees it. The usual case, XML
/// indentation, is told by its bytes alone, without decoding characters.
fn is_blank(text: &str) -> bool {
    text.bytes()
        .all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
        || text.trim().is_empty()
}

/// `part` with the lifetime of `whole`, if it is a slice of it.
fn within<'a>(whole: &'a str, part: &str) -> Option<&'a str> {
    let start = part.as_ptr().addr().checked_sub(whole.as_ptr().addr())?;
    let found = whole.get(start..start.checked_add(part.len())?)?;
    // Same address and length: the same bytes.
    (found.as_ptr() == part.as_ptr()).then_some(found)
}

pub(super) fn xml_error(e: impl std::fmt::Display, position: u64) -> TwimlError {
    TwimlError::Xml {
        message: e.to_string(),
        position,
    }
}

/// At most 40 characters of `text`, with an ellipsis if cut.
pub(super) fn shorten(text: &str) -> String {
    if text.chars().count() > 40 {
        let mut s: String = text.chars().take(40).collect();
        s.push('…');
        s
    } else {
        text.to_owned()
    }
}
