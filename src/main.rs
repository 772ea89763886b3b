//! `ringside`: the command-line front end. Each subcommand lives in `cli/`.
#![forbid(unsafe_code)]

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
