//! Command-line definitions (clap). Parsing only; the commands live in `cmd/`.
//! Each command takes only the flags that change what it does (`check` writes nothing, so it
//! has no output options).

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// explainer: build linked Markdown notes into a portable static site.
#[derive(Debug, Parser)]
#[command(name = "explainer", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Which project to read, and which notes: options of every command that builds or checks.
#[derive(Debug, Clone, Args)]
pub struct ProjectArgs {
    /// Project folder holding site.yaml, content/, templates/ and static/.
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// Include notes marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
}

/// How the pages are written: options of the commands that write a site (`build`, `serve`, `watch`).
#[derive(Debug, Clone, Args)]
pub struct OutputArgs {
    /// Absolute URL the site will be published at (overrides base_url in site.yaml);
    /// used only for the feed, the sitemap and canonical links.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Write links as `…/index.html`, for hosts and file:// browsing without directory indexes.
    #[arg(long)]
    pub file_links: bool,
    /// Minify the HTML pages (whitespace and comments only: scripts, styles, <pre> and <code>
    /// are left exactly as they are).
    #[arg(long)]
    pub minify: bool,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start a new project in DIR (a commented site.yaml, a home page, a section with a note),
    /// or with --templates, copy the built-in templates into templates/ for editing.
    Init {
        /// Folder to create the project in; it must be empty or missing
        /// (with --templates: the project folder).
        #[arg(default_value = ".", value_name = "DIR")]
        dir: PathBuf,
        /// Write the built-in templates into DIR/templates/ instead of starting a project.
        #[arg(long)]
        templates: bool,
        /// With --templates: overwrite templates that already exist.
        #[arg(long, requires = "templates")]
        force: bool,
    },
    /// Build the site into the output folder (atomically: on any error the old output stays).
    Build {
        /// Which project.
        #[command(flatten)]
        project: ProjectArgs,
        /// How pages are written.
        #[command(flatten)]
        out: OutputArgs,
        /// Output folder [default: public/ in the project folder].
        #[arg(long, short, value_name = "DIR")]
        output: Option<PathBuf>,
    },
    /// Build in memory and report every problem (broken links and anchors, schema errors,
    /// orphan notes, images without alt text); writes nothing.
    Check {
        /// Which project.
        #[command(flatten)]
        project: ProjectArgs,
        /// Exit with 1 on warnings too.
        #[arg(long)]
        strict: bool,
        /// List the paragraphs of each source's text that no note quotes.
        #[arg(long)]
        coverage: bool,
    },
    /// Build, serve on http://127.0.0.1:1111/, rebuild on every change and reload the browser.
    /// Builds into a temporary folder: your output folder is never touched.
    Serve {
        /// Which project.
        #[command(flatten)]
        project: ProjectArgs,
        /// How pages are written.
        #[command(flatten)]
        out: OutputArgs,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Port to listen on (0 picks a free one).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Open the site in the browser.
        #[arg(long)]
        open: bool,
    },
    /// Build into the output folder, then rebuild what each change affects, file by file
    /// (each file is written under a temporary name and renamed into place).
    Watch {
        /// Which project.
        #[command(flatten)]
        project: ProjectArgs,
        /// How pages are written.
        #[command(flatten)]
        out: OutputArgs,
        /// Output folder [default: public/ in the project folder].
        #[arg(long, short, value_name = "DIR")]
        output: Option<PathBuf>,
    },
    /// Create a new note with valid front matter.
    New {
        /// Where to create it: a path inside content/ (`topics/new-note.md`) or from the project folder.
        path: PathBuf,
        /// The note's title [default: from the file name].
        #[arg(long)]
        title: Option<String>,
        /// Project folder.
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
    },
}
