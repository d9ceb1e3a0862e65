//! `explainer init`: start a project that builds as it is, or copy the built-in templates into
//! `templates/` for editing.

use crate::error::Error;
use std::path::Path;

/// The `.gitignore` of a new project: the output folder and the build cache.
pub const GITIGNORE: &str = include_str!("../scaffold/gitignore");

/// The files of a new project, carried by the binary: a commented `site.yaml`, a home page and
/// a section whose notes show links, wikilinks, tags and events.
pub const SCAFFOLD: &[(&str, &str)] = &[
    ("site.yaml", include_str!("../scaffold/site.yaml")),
    (
        "content/_index.md",
        include_str!("../scaffold/content/_index.md"),
    ),
    (
        "content/notes/_index.md",
        include_str!("../scaffold/content/notes/_index.md"),
    ),
    (
        "content/notes/first-note.md",
        include_str!("../scaffold/content/notes/first-note.md"),
    ),
    (
        "content/notes/second-note.md",
        include_str!("../scaffold/content/notes/second-note.md"),
    ),
];

/// Creates a project in `dir` (created if missing). Refuses a folder with anything in it but
/// hidden entries (a fresh `.git` is fine), so nothing of the user's is ever overwritten.
pub fn project(dir: &Path) -> Result<String, Error> {
    if dir.exists() {
        if !dir.is_dir() {
            return Err(Error::Usage(format!(
                "cannot start a project in {}: it is a file",
                dir.display()
            )));
        }
        let mut visible = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
            let name = entry.map_err(|e| Error::io(dir, e))?.file_name();
            if !name.to_string_lossy().starts_with('.') {
                visible.push(name.to_string_lossy().into_owned());
            }
        }
        if !visible.is_empty() {
            visible.sort();
            return Err(Error::Usage(format!(
                "refusing to start a project in {}: it is not empty (it holds {}). \
                 Choose a new folder: `explainer init my-site`",
                dir.display(),
                shorten(&visible)
            )));
        }
    }
    for (rel, text) in SCAFFOLD {
        write_new(&dir.join(rel), text)?;
    }
    add_to_gitignore(&dir.join(".gitignore"))?;
    let shown = dir.display().to_string();
    let cd = if shown == "." {
        String::new()
    } else {
        format!("cd {shown} && ")
    };
    Ok(format!(
        "created a project in {shown}: site.yaml, content/_index.md, content/notes/\n\
         next: {cd}explainer serve   (preview with live reload; `explainer build` writes public/)"
    ))
}

/// Writes the built-in templates into `root/templates/`. Existing files are kept unless `force`;
/// if any is kept, the command fails after writing the others and names them.
pub fn templates(root: &Path, force: bool) -> Result<String, Error> {
    let dir = root.join("templates");
    let mut written = 0;
    let mut kept = Vec::new();
    for (name, text) in crate::templates::DEFAULTS {
        let path = dir.join(name);
        if path.exists() && !force {
            kept.push(format!("templates/{name}"));
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        std::fs::write(&path, text).map_err(|e| Error::io(&path, e))?;
        written += 1;
    }
    if !kept.is_empty() {
        return Err(Error::Usage(format!(
            "kept {} that already exist{} ({}); wrote {}. Pass --force to overwrite them with the built-in ones",
            crate::cmd::report::count(kept.len(), "template"),
            if kept.len() == 1 { "s" } else { "" },
            shorten(&kept),
            crate::cmd::report::count(written, "template"),
        )));
    }
    Ok(format!(
        "wrote {} into {}: edit them there; a template you delete falls back to the built-in one",
        crate::cmd::report::count(written, "template"),
        dir.display()
    ))
}

/// Writes the project's `.gitignore`, or adds its lines to one the folder already has (a fresh
/// clone may bring one).
fn add_to_gitignore(path: &Path) -> Result<(), Error> {
    let old = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return write_new(path, GITIGNORE),
        Err(e) => return Err(Error::io(path, e)),
    };
    let missing: Vec<&str> = GITIGNORE
        .lines()
        .filter(|l| !l.starts_with('#') && !old.lines().any(|o| o.trim() == *l))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let mut text = old;
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(GITIGNORE.lines().next().unwrap_or_default());
    text.push('\n');
    for l in missing {
        text.push_str(l);
        text.push('\n');
    }
    std::fs::write(path, text).map_err(|e| Error::io(path, e))
}

/// Creates `path` and its folders; never replaces a file.
fn write_new(path: &Path, text: &str) -> Result<(), Error> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| Error::io(path, e))?;
    std::io::Write::write_all(&mut file, text.as_bytes()).map_err(|e| Error::io(path, e))
}

/// The first few names of a list, then how many more.
fn shorten(names: &[String]) -> String {
    const SHOWN: usize = 5;
    let mut text = names
        .iter()
        .take(SHOWN)
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        text.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    text
}
