//! `include/ringside.h` is what cbindgen makes of the sources today, and it documents
//! the real defaults.
//!
//! Regenerating it needs no cargo metadata: cbindgen parses `src/lib.rs` and the modules
//! it declares. After changing the interface, rewrite it with
//! `RINGSIDE_BLESS_HEADER=1 cargo test -p ringside-capi --test header`.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn committed_header() -> String {
    std::fs::read_to_string(crate_dir().join("include/ringside.h"))
        .unwrap_or_else(|e| panic!("include/ringside.h: {e}"))
}

#[test]
fn the_committed_header_is_current() {
    let dir = crate_dir();
    let config = cbindgen::Config::from_file(dir.join("cbindgen.toml")).unwrap();
    let bindings = cbindgen::Builder::new()
        .with_config(config)
        .with_src(dir.join("src/lib.rs"))
        .generate()
        .unwrap_or_else(|e| panic!("cbindgen: {e}"));
    let mut generated = Vec::new();
    bindings.write(&mut generated);
    let generated = String::from_utf8(generated).unwrap();
    let path = dir.join("include/ringside.h");
    if std::env::var_os("RINGSIDE_BLESS_HEADER").is_some() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let committed = committed_header();
    if committed != generated {
        let line = committed
            .lines()
            .zip(generated.lines())
            .position(|(a, b)| a != b)
            .map_or(
                committed.lines().count().min(generated.lines().count()),
                |i| i,
            );
        panic!(
            "include/ringside.h is out of date (first difference at line {}: committed {:?}, \
             generated {:?}); regenerate it with \
             RINGSIDE_BLESS_HEADER=1 cargo test -p ringside-capi --test header",
            line + 1,
            committed.lines().nth(line),
            generated.lines().nth(line),
        );
    }
}

/// Each field of `ringside_config` in the header says "Default: N" in its comment, and N
/// is what `ringside_config_default()` returns (itself `ringside_dsp::Config::default()`):
/// the documentation cannot drift from the detector.
#[test]
fn the_header_documents_every_default_truly() {
    let header = committed_header();
    let start = header.find("typedef struct ringside_config {").unwrap();
    let body = &header[start..start + header[start..].find("} ringside_config;").unwrap()];
    let defaults = ringside::ringside_config_default();
    let mut comment = String::new();
    let mut seen = Vec::new();
    for line in body.lines().skip(1) {
        let line = line.trim();
        if let Some(text) = line.strip_prefix("//") {
            comment.push_str(text);
            comment.push(' ');
            continue;
        }
        let Some(decl) = line.strip_suffix(';') else {
            continue;
        };
        let name = decl.split_whitespace().last().unwrap();
        let documented: f64 = comment
            .split("Default: ")
            .nth(1)
            .unwrap_or_else(|| panic!("{name}: no \"Default: \" in {comment:?}"))
            .trim_end()
            .trim_end_matches('.')
            .parse()
            .unwrap_or_else(|e| panic!("{name}: {e} in {comment:?}"));
        let (_, real) = defaults
            .fields()
            .into_iter()
            .find(|(n, _)| *n == name)
            .unwrap_or_else(|| panic!("{name} is in the header but not in RingsideConfig"));
        assert_eq!(documented, real, "{name}: documented default");
        seen.push(name.to_owned());
        comment.clear();
    }
    let all: Vec<&str> = defaults.fields().iter().map(|(n, _)| *n).collect();
    assert_eq!(seen, all, "the header's fields, in order");
}
