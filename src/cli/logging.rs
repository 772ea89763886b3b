//! Log setup: quiet by default (warnings and errors only), louder with each `-v`.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

/// Installs the stderr log subscriber. `RUST_LOG`, when set, wins over `-v`. Colours only
/// on a terminal: a log file or a pipe gets plain text, without escape sequences.
pub fn init(verbose: u8) {
    let level = match verbose {
        0 => "warn",
        1 => "info",
        2 => "debug",
        _ => "trace",
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(level));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .without_time()
        .with_target(false)
        .try_init();
}
