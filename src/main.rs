//! The `explainer` binary: parse arguments, run the command, print errors once, pick the exit code.

use clap::Parser;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

/// mimalloc: the build allocates and frees many small strings on every core; glibc's malloc
/// spent ~12% of a 10,000-note build in its own bookkeeping (bench/README.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = explainer::cli::Cli::parse();
    match explainer::cmd::run(cli.command) {
        Ok(message) => {
            // A closed pipe (`explainer build | head -0`) is not an error worth a panic.
            writeln!(std::io::stdout(), "{message}").ok();
            ExitCode::SUCCESS
        }
        Err(err) => {
            let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            match &err {
                explainer::error::Error::Site(diags) => {
                    let mut err_out = std::io::stderr();
                    write!(err_out, "{}", diags.render(color)).ok();
                    let (e, w) = (diags.error_count(), diags.warning_count());
                    writeln!(
                        err_out,
                        "error: the site has {e} error{}{}",
                        if e == 1 { "" } else { "s" },
                        if w > 0 {
                            format!(" and {w} warning{}", if w == 1 { "" } else { "s" })
                        } else {
                            String::new()
                        }
                    )
                    .ok();
                }
                other => {
                    writeln!(std::io::stderr(), "error: {other}").ok();
                }
            }
            ExitCode::from(err.exit_code() as u8)
        }
    }
}
