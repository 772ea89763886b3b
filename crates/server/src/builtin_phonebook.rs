//! The built-in phone book: the repository's `fixtures/phonebook.json`, compiled in.
//!
//! The book's text is embedded at build time (`include_str!`), so `ringside serve` run from
//! any directory dials the numbers the README's table lists (busy, no answer, voicemail…)
//! without `--phonebook`. Its recordings and recipes are not embedded: they resolve, as the
//! speech clips do, against the `fixtures` folder of the source tree ringside was built
//! from (a path fixed at build time). That keeps the binary small and the book one file
//! that a test checks against; a binary moved away from its source tree reports the
//! missing file by name at start-up and needs `--phonebook`.

use std::path::{Path, PathBuf};

use ringside_sim::phonebook::{PhoneBook, PhoneBookError};

/// The committed phone book's JSON.
const TEXT: &str = include_str!("../../../fixtures/phonebook.json");

/// The built-in book, its recordings resolved in the source tree.
pub fn load() -> Result<PhoneBook, PhoneBookError> {
    PhoneBook::from_json(TEXT, &fixtures_dir().join("phonebook.json"))
}

/// The folder the built-in book's recordings are read from: `fixtures` at the root of the
/// source tree (this crate is `crates/server` in it).
pub fn fixtures_dir() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .ancestors()
        .nth(2)
        .unwrap_or(manifest)
        .join("fixtures")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_book_is_the_committed_file_and_every_recording_loads() {
        let committed = std::fs::read_to_string(fixtures_dir().join("phonebook.json")).unwrap();
        assert_eq!(TEXT, committed);
        let book = load().unwrap();
        let mut clips = ringside_sim::ClipLibrary::new();
        for (number, entry) in book.entries() {
            clips
                .far_end(entry)
                .unwrap_or_else(|e| panic!("{number}: {e}"));
        }
        assert!(book.entries().count() >= 10);
    }
}
