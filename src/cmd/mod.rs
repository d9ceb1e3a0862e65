//! The commands: orchestration only (settings, pipeline, output, the one-line summary).

pub mod build;
pub mod check;
pub mod init;
pub mod new;
pub mod progress;
pub mod report;
pub mod serve;
pub mod watch;

use crate::cli::{Command, OutputArgs, ProjectArgs};
use crate::config::{Options, Settings};
use crate::error::Error;
use std::path::{Path, PathBuf};

/// Runs a parsed command. Returns the line(s) to print on success.
pub fn run(command: Command) -> Result<String, Error> {
    match command {
        Command::Init {
            dir,
            templates,
            force,
        } => {
            if templates {
                init::templates(&dir, force)
            } else {
                init::project(&dir)
            }
        }
        Command::Build {
            project,
            out,
            output,
        } => build::run(&settings(&project, Some(&out), output)?),
        Command::Check {
            project,
            strict,
            coverage,
        } => check::run(&settings(&project, None, None)?, strict, coverage),
        Command::New { path, title, root } => new::run(&root, &path, title.as_deref()),
        Command::Serve {
            project,
            out,
            bind,
            port,
            open,
        } => serve::run(
            settings(&project, Some(&out), None)?,
            serve::ServeOptions { bind, port, open },
        ),
        Command::Watch {
            project,
            out,
            output,
        } => watch::run(settings(&project, Some(&out), output)?),
    }
}

/// Settings for a command that reads a project; refuses a folder without `content/` before
/// anything is written, watched or bound.
fn settings(
    project: &ProjectArgs,
    out: Option<&OutputArgs>,
    output: Option<PathBuf>,
) -> Result<Settings, Error> {
    let settings = Settings::load(&Options {
        root: project.root.clone(),
        output,
        base_url: out.and_then(|o| o.base_url.clone()),
        drafts: project.drafts,
        file_links: out.is_some_and(|o| o.file_links),
        minify: out.is_some_and(|o| o.minify),
    })?;
    require_content(&settings.root, &settings.content_dir)?;
    Ok(settings)
}

/// A project without `content/` would build an empty site (and, run inside `content/`, write
/// `content/public/`): say where we looked and what to do instead.
fn require_content(root: &Path, content: &Path) -> Result<(), Error> {
    if content.is_dir() {
        return Ok(());
    }
    let inside_content = root.file_name().is_some_and(|n| n == "content")
        && root
            .parent()
            .is_some_and(|p| p.join("site.yaml").is_file() || p.join("templates").is_dir());
    let hint = if inside_content {
        "this looks like the content/ folder itself: run the command from the folder above \
         (`cd ..`) or pass `--root ..`"
            .to_string()
    } else {
        "run the command from your project folder (`cd PROJECT`), pass it with `--root PROJECT`, \
         or start a new project here with `explainer init`"
            .to_string()
    };
    Err(Error::Usage(format!(
        "found no notes: explainer looked for the folder {}, which does not exist\n  help: {hint}",
        content.display()
    )))
}
