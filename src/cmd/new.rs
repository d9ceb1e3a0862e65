//! `explainer new`: scaffold a note with valid front matter.

use crate::error::Error;
use std::path::{Path, PathBuf};

/// Creates the note at `path` (inside `content/` unless the path already starts there).
pub fn run(root: &Path, path: &Path, title: Option<&str>) -> Result<String, Error> {
    let rel: PathBuf = if path.starts_with("content") {
        path.to_path_buf()
    } else {
        Path::new("content").join(path)
    };
    let rel = if rel.extension().is_some_and(|e| e == "md") {
        rel
    } else {
        rel.with_extension("md")
    };
    if rel
        .components()
        .any(|c| matches!(c, std::path::Component::ParentDir))
        || path.is_absolute()
    {
        return Err(Error::Usage(format!(
            "{} must be a path inside content/",
            path.display()
        )));
    }
    let target = root.join(&rel);
    if target.exists() {
        return Err(Error::Usage(format!(
            "{} already exists; not overwriting it",
            rel.display()
        )));
    }
    let stem = rel
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    let title = title.map_or_else(|| stem.replace(['-', '_'], " "), str::to_string);
    let today = today();
    let text = format!(
        "---\ntitle: {}\ndescription: \"\"\ndate: {today}\ntags: []\n---\n\nWrite the note here.\n\n<!-- Link to other notes by file path, [their title](other-note.md), or by name, [[other-note]]. -->\n",
        yaml_string(&title)
    );
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    std::fs::write(&target, text).map_err(|e| Error::io(&target, e))?;
    Ok(format!("created {}", rel.display()))
}

fn yaml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Today's date in the editor's time zone, as YYYY-MM-DD: a note written late in the evening
/// carries the day its author sees, not the UTC one. Falls back to UTC where the system time
/// zone cannot be read.
fn today() -> String {
    jiff::ZonedDateTime::now().date().to_string()
}
