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

/// Today's date (UTC) as YYYY-MM-DD, from the system clock.
fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = (secs / 86_400) as i64;
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}
