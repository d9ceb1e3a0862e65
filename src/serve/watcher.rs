//! File watching: which changed paths matter, and in which part of the project (pure, table-tested),
//! plus the notify debouncer that feeds them.

use crate::incremental::ChangeSet;
use notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, new_debouncer};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

/// Where the parts of a project are.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Project root (for `site.yaml`).
    pub root: PathBuf,
    /// `content/`.
    pub content: PathBuf,
    /// `templates/`.
    pub templates: PathBuf,
    /// `static/`.
    pub statics: PathBuf,
    /// The output folder, whose changes are ignored.
    pub output: PathBuf,
}

/// True for files editors write while saving and that are never content:
/// vim swap and backup files (`.x.swp`, `x~`, `4913`), Emacs locks (`.#x`), `*.tmp`,
/// JetBrains safe-write files (`x___jb_tmp___`), and hidden files in general.
pub fn is_editor_temp(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name == "4913"
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".swo")
        || name.ends_with(".tmp")
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
        || name.ends_with(".crswap")
}

/// Sorts changed paths into a change set. Paths in the output folder, outside the project's
/// parts, or that are editor temp files are ignored. A changed folder (no extension) under
/// `content/` asks for a rescan. Whether a path was created, modified, removed or renamed does
/// not matter: the rebuild looks at what is on disk now.
pub fn classify<'a>(paths: impl IntoIterator<Item = &'a Path>, layout: &Layout) -> ChangeSet {
    let mut set = ChangeSet::default();
    for path in paths {
        if path.starts_with(&layout.output) {
            continue;
        }
        let Some(name) = path.file_name().map(|n| n.to_string_lossy()) else {
            continue;
        };
        if path == layout.root.join("site.yaml") {
            set.config = true;
            continue;
        }
        let rel_parts = |base: &Path| -> Option<String> {
            let rel = path.strip_prefix(base).ok()?;
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if parts.iter().any(|p| is_editor_temp(p)) {
                return None;
            }
            Some(parts.join("/"))
        };
        if path == layout.content || path == layout.statics {
            set.rescan = true;
        } else if path.starts_with(&layout.content) {
            match rel_parts(&layout.content) {
                Some(rel) if rel.ends_with(".md") => {
                    set.notes.insert(rel);
                }
                Some(rel) if !name.contains('.') => {
                    set.rescan = true;
                    set.assets.insert(rel);
                }
                Some(rel) => {
                    set.assets.insert(rel);
                }
                None => {}
            }
        } else if path.starts_with(&layout.templates) {
            if rel_parts(&layout.templates).is_some() || path == layout.templates {
                set.templates = true;
            }
        } else if path.starts_with(&layout.statics)
            && let Some(rel) = rel_parts(&layout.statics)
        {
            if !name.contains('.') {
                set.rescan = true;
            }
            set.statics.insert(rel);
        }
    }
    set
}

/// Starts watching the project; debounced batches of changed paths are sent to `tx`.
/// The returned debouncer must be kept alive.
pub fn watch(
    layout: &Layout,
    tx: Sender<Vec<PathBuf>>,
) -> notify::Result<
    notify_debouncer_full::Debouncer<
        notify::RecommendedWatcher,
        notify_debouncer_full::RecommendedCache,
    >,
> {
    let mut debouncer = new_debouncer(
        Duration::from_millis(30),
        None,
        move |result: DebounceEventResult| {
            if let Ok(events) = result {
                let paths: Vec<PathBuf> = events
                    .into_iter()
                    .filter(|e| !matches!(e.kind, notify::EventKind::Access(_)))
                    .flat_map(|e| e.event.paths)
                    .collect();
                if !paths.is_empty() {
                    tx.send(paths).ok();
                }
            }
        },
    )?;
    debouncer.watch(&layout.root, RecursiveMode::NonRecursive)?;
    for dir in [&layout.content, &layout.templates, &layout.statics] {
        if dir.is_dir() {
            debouncer.watch(dir, RecursiveMode::Recursive)?;
        }
    }
    Ok(debouncer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout() -> Layout {
        Layout {
            root: "/p".into(),
            content: "/p/content".into(),
            templates: "/p/templates".into(),
            statics: "/p/static".into(),
            output: "/p/public".into(),
        }
    }

    fn classify_strs(paths: &[&str]) -> ChangeSet {
        let paths: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
        classify(paths.iter().map(PathBuf::as_path), &layout())
    }

    #[test]
    fn table() {
        let notes = |v: &[&str]| {
            v.iter()
                .map(|s| s.to_string())
                .collect::<std::collections::BTreeSet<_>>()
        };
        // (paths an editor touches, expected notes, templates, config, statics count, rescan)
        // (paths an editor touches, notes, templates, config, static files, rescan)
        type Case<'a> = (&'a [&'a str], &'a [&'a str], bool, bool, usize, bool);
        let cases: &[Case] = &[
            // VS Code: writes the file in place
            (
                &["/p/content/topics/xi.md"],
                &["topics/xi.md"],
                false,
                false,
                0,
                false,
            ),
            // vim: 4913 probe, backup copy `xi.md~`, swap file, then the real file
            (
                &[
                    "/p/content/topics/4913",
                    "/p/content/topics/xi.md~",
                    "/p/content/topics/.xi.md.swp",
                    "/p/content/topics/xi.md",
                ],
                &["topics/xi.md"],
                false,
                false,
                0,
                false,
            ),
            // JetBrains safe-write: temp file renamed over the original
            (
                &[
                    "/p/content/a.md___jb_tmp___",
                    "/p/content/a.md___jb_old___",
                    "/p/content/a.md",
                ],
                &["a.md"],
                false,
                false,
                0,
                false,
            ),
            // Emacs lock file only: nothing
            (&["/p/content/.#a.md"], &[], false, false, 0, false),
            // rename: both names count
            (
                &["/p/content/old.md", "/p/content/new.md"],
                &["new.md", "old.md"],
                false,
                false,
                0,
                false,
            ),
            // the output folder is ignored
            (
                &["/p/public/index.html", "/p/public/a/index.html"],
                &[],
                false,
                false,
                0,
                false,
            ),
            // templates and site.yaml
            (&["/p/templates/page.html"], &[], true, false, 0, false),
            (&["/p/site.yaml"], &[], false, true, 0, false),
            (
                &["/p/templates/.page.html.swp"],
                &[],
                false,
                false,
                0,
                false,
            ),
            // static files
            (
                &["/p/static/style.css", "/p/static/x.tmp"],
                &[],
                false,
                false,
                1,
                false,
            ),
            // a folder renamed under content: rescan
            (&["/p/content/people"], &[], false, false, 0, true),
            // unrelated files at the root
            (
                &["/p/README.md", "/p/target/debug/x"],
                &[],
                false,
                false,
                0,
                false,
            ),
        ];
        for (paths, want_notes, templates, config, statics, rescan) in cases {
            let got = classify_strs(paths);
            assert_eq!(got.notes, notes(want_notes), "{paths:?}");
            assert_eq!(got.templates, *templates, "{paths:?}");
            assert_eq!(got.config, *config, "{paths:?}");
            assert_eq!(got.statics.len(), *statics, "{paths:?}");
            assert_eq!(got.rescan, *rescan, "{paths:?}");
        }
    }

    #[test]
    fn editor_temp_names() {
        for n in [
            ".x.swp",
            "x~",
            "4913",
            ".#x.md",
            "x.tmp",
            "a.md___jb_tmp___",
        ] {
            assert!(is_editor_temp(n), "{n}");
        }
        for n in ["xi-visit.md", "style.css", "map.png"] {
            assert!(!is_editor_temp(n), "{n}");
        }
    }
}
