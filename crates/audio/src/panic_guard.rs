//! The last resort against a panic inside a third-party decoder.
//!
//! Untrusted files are validated before a decoder sees them (the WAVE header's rate,
//! channels and bits, the Ogg pages, the MP4 boxes), and a panic found that way is fixed by
//! a check where the value enters. What is left is symphonia meeting a state nobody has
//! found yet. [`quietly`] runs such a call under `catch_unwind` and keeps the panic's
//! message and backtrace off stderr: the caller turns it into an [`AudioErrorKind::Decode`]
//! naming the file, and the user sees one clear line, never a panic.
//!
//! The hook is installed once, wraps whatever hook was there, and is silent only on a
//! thread that is inside [`quietly`]: every other panic (a bug of ours) is reported as
//! usual.
//!
//! [`AudioErrorKind::Decode`]: crate::AudioErrorKind::Decode

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;

thread_local! {
    /// How many [`quietly`] calls this thread is inside.
    static DEPTH: Cell<u32> = const { Cell::new(0) };
}

/// Runs `f`; a panic inside it comes back as `Err(())`, with nothing printed.
pub(crate) fn quietly<T>(f: impl FnOnce() -> T) -> Result<T, ()> {
    install_hook();
    DEPTH.with(|d| d.set(d.get() + 1));
    let result = catch_unwind(AssertUnwindSafe(f));
    DEPTH.with(|d| d.set(d.get() - 1));
    result.map_err(|_| ())
}

fn install_hook() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if DEPTH.with(Cell::get) == 0 {
                previous(info);
            }
        }));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error_and_the_next_call_works() {
        let r: Result<(), ()> = quietly(|| panic!("inside a decoder"));
        assert!(r.is_err());
        assert_eq!(quietly(|| 7), Ok(7));
        assert_eq!(DEPTH.with(Cell::get), 0);
    }
}
