//! The commands: orchestration only (settings, pipeline, output, the one-line summary).

pub mod build;
pub mod check;
pub mod new;
pub mod serve;
pub mod watch;

use crate::cli::{BuildArgs, Command};
use crate::config::{Options, Settings};
use crate::error::Error;
use std::path::PathBuf;

/// Runs a parsed command. Returns the line(s) to print on success.
pub fn run(command: Command) -> Result<String, Error> {
    match command {
        Command::Build { args, output } => build::run(&settings(&args, output)?),
        Command::Check {
            args,
            strict,
            coverage,
        } => check::run(&settings(&args, None)?, strict, coverage),
        Command::New { path, title, root } => new::run(&root, &path, title.as_deref()),
        Command::Serve {
            args,
            bind,
            port,
            open,
        } => serve::run(
            settings(&args, None)?,
            serve::ServeOptions { bind, port, open },
        ),
        Command::Watch { args, output } => watch::run(settings(&args, output)?),
    }
}

fn settings(args: &BuildArgs, output: Option<PathBuf>) -> Result<Settings, Error> {
    Settings::load(&Options {
        root: args.root.clone(),
        output,
        base_url: args.base_url.clone(),
        drafts: args.drafts,
        file_links: args.file_links,
        minify: args.minify,
    })
}
