//! Writing results to stdout.
//!
//! `println!` panics when stdout is a closed pipe (`ringside detect *.wav | head -1`); we
//! write through a locked handle instead and treat a closed pipe as the reader having
//! seen enough.

use std::io::{self, Write};

/// Writes `text` to stdout and flushes.
pub fn print(text: &str) -> io::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()
}

/// Whether `e` (anywhere in its chain) is stdout being closed under us.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}
