//! Reading `content/`: walking the folder, decoding text safely, and splitting notes from assets.

use crate::diagnostics::Diagnostic;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// A file found under `content/`, before it is parsed.
#[derive(Debug, Clone)]
pub struct Found {
    /// Absolute path on disk.
    pub abs: PathBuf,
    /// Path relative to `content/`, with `/` separators.
    pub rel: String,
}

/// Markdown notes and other files (assets) under `content/`, in a stable order.
#[derive(Debug, Default)]
pub struct Walked {
    /// `.md` files.
    pub notes: Vec<Found>,
    /// Everything else, copied to the output as is.
    pub assets: Vec<Found>,
}

/// Walks `dir` (following symlinks that stay inside `project_root`), sorted by path.
/// Hidden files and folders (`.name`) are skipped. Problems become diagnostics.
pub fn walk(dir: &Path, project_root: &Path, diags: &mut Vec<Diagnostic>) -> Walked {
    let mut out = Walked::default();
    if !dir.is_dir() {
        return out;
    }
    // Not `sort_by_file_name`: walkdir takes each name apart from its path on every comparison,
    // which was most of walking 10,000 notes. Sorted once at the end instead.
    let walker = WalkDir::new(dir)
        .follow_links(true)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    let mut walker = walker;
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let shown = e
                    .path()
                    .map(|p| display(project_root, p))
                    .unwrap_or_else(|| display(project_root, dir));
                const ELOOP: i32 = 40;
                let is_loop = e.loop_ancestor().is_some()
                    || e.io_error().and_then(std::io::Error::raw_os_error) == Some(ELOOP);
                let message = if is_loop {
                    "symbolic link loop: following this link leads back to where it started"
                        .to_string()
                } else {
                    format!(
                        "cannot read: {}",
                        e.io_error().map_or(e.to_string(), |io| io.to_string())
                    )
                };
                diags.push(Diagnostic::file_error(shown, message));
                continue;
            }
        };
        if entry.file_type().is_dir() {
            // A linked folder is followed only while it stays inside the project.
            if entry.path_is_symlink()
                && let Ok(real) = std::fs::canonicalize(entry.path())
                && !real.starts_with(project_root)
            {
                diags.push(
                    Diagnostic::file_error(
                        display(project_root, entry.path()),
                        format!(
                            "symbolic link points outside the project (to {})",
                            real.display()
                        ),
                    )
                    .with_help("copy the folder into the project instead of linking to it"),
                );
                walker.skip_current_dir();
            }
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let abs = entry.path().to_path_buf();
        if entry.path_is_symlink()
            && let Ok(real) = std::fs::canonicalize(&abs)
            && !real.starts_with(project_root)
        {
            diags.push(
                Diagnostic::file_error(
                    display(project_root, &abs),
                    format!(
                        "symbolic link points outside the project (to {})",
                        real.display()
                    ),
                )
                .with_help("copy the file into the project instead of linking to it"),
            );
            continue;
        }
        let rel = match abs.strip_prefix(dir) {
            Ok(r) => r
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/"),
            Err(_) => continue,
        };
        let found = Found { abs, rel };
        if found.rel.ends_with(".md") {
            out.notes.push(found);
        } else {
            out.assets.push(found);
        }
    }
    // Folder by folder, names in byte order: the order of a walk that sorts each folder. That is
    // byte order with `/` below every other byte (a folder's files before `folder-b.md`).
    let key = |b: u8| if b == b'/' { 0 } else { b };
    let by_path = |a: &Found, b: &Found| a.rel.bytes().map(key).cmp(b.rel.bytes().map(key));
    out.notes.sort_unstable_by(by_path);
    out.assets.sort_unstable_by(by_path);
    out
}

/// A path shown to the user: relative to the project root when possible.
pub fn display(root: &Path, p: &Path) -> String {
    p.strip_prefix(root).unwrap_or(p).display().to_string()
}

/// Decodes a file as UTF-8 text: strips a byte-order mark and turns CRLF / CR line endings into LF.
/// Invalid UTF-8 is an error naming the line and column of the first bad byte.
pub fn decode_text(path: &str, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bad = e.as_bytes()[valid];
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
            return Err(Diagnostic::at(
                path,
                &lossy,
                prefix.len(),
                1,
                format!("file is not valid UTF-8: byte 0x{bad:02X} cannot be read as text"),
            )
            .with_label("invalid byte here")
            .with_help("save the file with UTF-8 encoding"));
        }
    };
    if text.contains('\r') {
        Ok(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Ok(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walk_goes_folder_by_folder_in_byte_order() {
        let tmp = tempfile::tempdir().unwrap();
        let files = [
            "a-b.md", "a/x.md", "a/b/y.md", "a.txt", "B.md", "b/z.md", "ab.md", "a/c.md",
        ];
        for f in files {
            let p = tmp.path().join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "x").unwrap();
        }
        let w = walk(tmp.path(), tmp.path(), &mut Vec::new());
        let rels = |f: &[Found]| f.iter().map(|f| f.rel.clone()).collect::<Vec<_>>();
        // What walkdir's `sort_by_file_name` gives: each folder's entries by name, depth first.
        assert_eq!(
            rels(&w.notes),
            [
                "B.md", "a/b/y.md", "a/c.md", "a/x.md", "a-b.md", "ab.md", "b/z.md"
            ]
        );
        assert_eq!(rels(&w.assets), ["a.txt"]);
    }

    #[test]
    fn bom_and_crlf_are_normalised() {
        let t = decode_text("a.md", b"\xEF\xBB\xBF---\r\ntitle: a\r\n---\rbody".to_vec()).unwrap();
        assert_eq!(t, "---\ntitle: a\n---\nbody");
    }

    #[test]
    fn invalid_utf8_names_line_and_column() {
        let d = decode_text("a.md", b"ok\nab\xFFc".to_vec()).unwrap_err();
        assert_eq!((d.line, d.col), (2, 3));
        assert!(d.message.contains("UTF-8"));
    }
}
