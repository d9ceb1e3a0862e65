//! Watch mode and the dev server: a rebuild session that keeps the analysis between changes,
//! the file watcher, and the HTTP server with live reload.

pub mod server;
pub mod watcher;

use crate::cmd::report::count;
use crate::config::Settings;
use crate::diagnostics::Diagnostics;
use crate::incremental::{self, ChangeSet};
use crate::output::{AtomicDirSink, OutputState};
use crate::pipeline::{self, Analysis, Selection};
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// What one rebuild did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rebuilt {
    /// HTML pages rendered.
    pub pages: usize,
    /// Files written or removed because their content changed.
    pub written: Vec<String>,
    /// Milliseconds from the change to the files being in place.
    pub ms: u128,
    /// Only stylesheets changed.
    pub css_only: bool,
}

/// A site kept in memory between rebuilds, writing into one folder.
pub struct Session {
    settings: Settings,
    analysis: Option<Analysis>,
    state: OutputState,
    sink: AtomicDirSink,
    live_reload: bool,
}

impl Session {
    /// A session writing into `dir`; with `live_reload`, HTML pages get the reload script.
    pub fn new(settings: Settings, dir: PathBuf, live_reload: bool) -> Self {
        Session {
            settings,
            analysis: None,
            state: OutputState::default(),
            sink: AtomicDirSink::new(dir),
            live_reload,
        }
    }

    /// The folder written to.
    pub fn dir(&self) -> &std::path::Path {
        self.sink.dir()
    }

    /// The settings in use.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The counts and warnings of the last good build, in the words `build` uses.
    pub fn summary(&self) -> Option<pipeline::Summary> {
        self.analysis.as_ref().map(|a| a.summary(&self.settings))
    }

    /// Builds everything (the first build, or after a failed one).
    pub fn full(&mut self) -> Result<Rebuilt, Diagnostics> {
        self.apply(&ChangeSet {
            rescan: true,
            ..ChangeSet::default()
        })
    }

    /// Rebuilds what `changes` affect. On failure nothing is written and the next call
    /// starts from a full analysis.
    pub fn apply(&mut self, changes: &ChangeSet) -> Result<Rebuilt, Diagnostics> {
        let start = Instant::now();
        if changes.config {
            let opts = crate::config::Options {
                root: self.settings.root.clone(),
                output: Some(self.settings.output_dir.clone()),
                base_url: None,
                drafts: self.settings.drafts,
                file_links: self.settings.file_links,
                minify: self.settings.minify,
            };
            let base_url = self.settings.config.base_url.clone();
            match Settings::load(&opts) {
                Ok(mut s) => {
                    if s.config.base_url != base_url && opts.base_url.is_some() {
                        s.config.base_url = base_url;
                    }
                    self.settings = s;
                }
                Err(crate::error::Error::Site(d)) => {
                    self.analysis = None;
                    return Err(d);
                }
                Err(e) => {
                    return Err(Diagnostics(vec![
                        crate::diagnostics::Diagnostic::file_error("site.yaml", e.to_string()),
                    ]));
                }
            }
        }
        let result = crate::timings::phase("analyze", || match self.analysis.take() {
            Some(prev) => incremental::update(&self.settings, prev, changes),
            None => pipeline::analyze(&self.settings).map(|a| (a, Selection::All)),
        });
        let (analysis, selection) = result?;
        let outputs = crate::timings::phase("render", || {
            pipeline::render(&self.settings, &analysis, &selection)
        })?;
        let pages = outputs.iter().filter(|(p, _)| p.ends_with(".html")).count();
        let live = self.live_reload;
        let transform = move |path: &str, bytes: Vec<u8>| {
            if live && path.ends_with(".html") {
                server::inject(bytes)
            } else {
                bytes
            }
        };
        let written = crate::timings::phase("write", || {
            self.state
                .apply(outputs, selection == Selection::All, &self.sink, &transform)
                .map_err(|e| {
                    Diagnostics(vec![crate::diagnostics::Diagnostic::file_error(
                        self.sink.dir().display().to_string(),
                        format!("cannot write: {e}"),
                    )])
                })
        })?;
        self.analysis = Some(analysis);
        let css_only = !changes.statics.is_empty()
            && changes.notes.is_empty()
            && changes.assets.is_empty()
            && !changes.templates
            && !changes.config
            && !changes.rescan
            && changes.statics.iter().all(|s| s.ends_with(".css"));
        Ok(Rebuilt {
            pages,
            written,
            ms: start.elapsed().as_millis(),
            css_only,
        })
    }
}

/// Messages the rebuild loop receives.
pub enum Message {
    /// Paths the watcher saw change.
    Changed(Vec<PathBuf>),
    /// Ctrl-C: finish and return.
    Stop,
}

/// Runs rebuilds until `Stop`: batches changes that arrive together, prints one line per rebuild,
/// and calls `after` with each result.
pub fn rebuild_loop(
    session: &mut Session,
    layout: &watcher::Layout,
    rx: &Receiver<Message>,
    mut after: impl FnMut(&Result<Rebuilt, Diagnostics>),
) {
    loop {
        let mut paths = match rx.recv() {
            Ok(Message::Changed(p)) => p,
            Ok(Message::Stop) | Err(_) => return,
        };
        // Editors save in bursts (write, rename, chmod): gather what arrives right after.
        loop {
            match rx.recv_timeout(Duration::from_millis(5)) {
                Ok(Message::Changed(more)) => paths.extend(more),
                Ok(Message::Stop) => return,
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        let changes = watcher::classify(paths.iter().map(PathBuf::as_path), layout);
        if changes.is_empty() {
            continue;
        }
        let result = session.apply(&changes);
        match &result {
            Ok(r) => say(&format!(
                "rebuilt {} in {} ms ({})",
                count(r.pages, "page"),
                r.ms,
                changes.describe()
            )),
            Err(d) => warn(&format!(
                "{}error: the site has {}; still serving the last good build\n",
                d.render(color()),
                count(d.error_count(), "error")
            )),
        }
        after(&result);
    }
}

/// Prints a line on stdout; a closed pipe is ignored rather than a panic.
pub fn say(line: &str) {
    use std::io::Write;
    writeln!(std::io::stdout(), "{line}").ok();
}

/// Prints on stderr; a closed pipe is ignored rather than a panic.
pub fn warn(text: &str) {
    use std::io::Write;
    write!(std::io::stderr(), "{text}").ok();
}

/// Whether stderr wants colours.
pub fn color() -> bool {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}
