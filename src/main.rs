//! The `explainer` binary: parse arguments, run the command, print errors once, pick the exit code.

use clap::Parser;
use std::io::IsTerminal;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = explainer::cli::Cli::parse();
    match explainer::cmd::run(cli.command) {
        Ok(message) => {
            println!("{message}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            match &err {
                explainer::error::Error::Site(diags) => {
                    eprint!("{}", diags.render(color));
                    let (e, w) = (diags.error_count(), diags.warning_count());
                    eprintln!(
                        "error: the site has {e} error{}{}",
                        if e == 1 { "" } else { "s" },
                        if w > 0 {
                            format!(" and {w} warning{}", if w == 1 { "" } else { "s" })
                        } else {
                            String::new()
                        }
                    );
                }
                other => eprintln!("error: {other}"),
            }
            ExitCode::from(err.exit_code() as u8)
        }
    }
}
