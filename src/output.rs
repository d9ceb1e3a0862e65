//! Writing the site: sinks (a folder, or nowhere for `check`) and the atomic swap of the output folder.

use crate::config::OUTPUT_MARKER;
use std::io;
use std::path::{Path, PathBuf};

/// Where built files go. Paths are root-relative with `/` separators.
pub trait Sink: Sync {
    /// Writes one file.
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()>;
    /// Copies a file from disk.
    fn copy(&self, rel: &str, src: &Path) -> io::Result<()>;
}

/// Discards everything (for `check`).
pub struct NullSink;

impl Sink for NullSink {
    fn write(&self, _: &str, _: &[u8]) -> io::Result<()> {
        Ok(())
    }
    fn copy(&self, _: &str, _: &Path) -> io::Result<()> {
        Ok(())
    }
}

/// Writes into a folder, creating parent folders as needed.
pub struct DirSink {
    dir: PathBuf,
}

impl DirSink {
    /// A sink writing under `dir`.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        DirSink { dir: dir.into() }
    }

    fn target(&self, rel: &str) -> io::Result<PathBuf> {
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        Ok(path)
    }
}

impl Sink for DirSink {
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        std::fs::write(self.target(rel)?, bytes)
    }
    fn copy(&self, rel: &str, src: &Path) -> io::Result<()> {
        std::fs::copy(src, self.target(rel)?).map(|_| ())
    }
}

/// A temporary sibling of the output folder that replaces it only on `commit`.
/// Dropped without commit, it removes itself and the output stays as it was.
pub struct Staging {
    tmp: PathBuf,
    output: PathBuf,
    committed: bool,
}

fn sibling(output: &Path, tag: &str) -> PathBuf {
    let name = output
        .file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    output.with_file_name(format!(".{name}.explainer-{tag}-{}", std::process::id()))
}

fn leftovers(output: &Path) -> Vec<PathBuf> {
    let name = output
        .file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    let prefix = format!(".{name}.explainer-");
    let Some(parent) = output.parent() else {
        return Vec::new();
    };
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        .map(|e| e.path())
        .collect();
    found.sort();
    found
}

impl Staging {
    /// Recovers from an interrupted earlier build, then creates a fresh temporary folder.
    pub fn begin(output: &Path) -> io::Result<Staging> {
        for old in leftovers(output) {
            let is_old = old
                .file_name()
                .is_some_and(|n| n.to_string_lossy().contains(".explainer-old-"));
            if is_old && !output.exists() && old.join(OUTPUT_MARKER).is_file() {
                // A build was killed between its two renames: put the previous site back.
                std::fs::rename(&old, output)?;
            } else {
                std::fs::remove_dir_all(&old).or_else(|e| {
                    if e.kind() == io::ErrorKind::NotFound {
                        Ok(())
                    } else {
                        Err(e)
                    }
                })?;
            }
        }
        if let Some(parent) = output.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let tmp = sibling(output, "tmp");
        std::fs::create_dir_all(&tmp)?;
        Ok(Staging {
            tmp,
            output: output.to_path_buf(),
            committed: false,
        })
    }

    /// The folder to build into.
    pub fn dir(&self) -> &Path {
        &self.tmp
    }

    /// Writes the marker and swaps the new site in place of the old one.
    pub fn commit(mut self) -> io::Result<()> {
        std::fs::write(
            self.tmp.join(OUTPUT_MARKER),
            "This folder is written by explainer and replaced on every build.\n",
        )?;
        let old = sibling(&self.output, "old");
        let had_old = self.output.exists();
        if had_old {
            std::fs::rename(&self.output, &old)?;
        }
        if let Err(e) = std::fs::rename(&self.tmp, &self.output) {
            if had_old {
                std::fs::rename(&old, &self.output).ok();
            }
            return Err(e);
        }
        self.committed = true;
        if had_old {
            std::fs::remove_dir_all(&old)?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            std::fs::remove_dir_all(&self.tmp).ok();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_build_leaves_output_untouched_and_commit_swaps() {
        let t = tempfile::tempdir().unwrap();
        let out = t.path().join("public");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("old.html"), "old").unwrap();
        {
            let s = Staging::begin(&out).unwrap();
            std::fs::write(s.dir().join("new.html"), "new").unwrap();
        }
        assert!(out.join("old.html").exists());
        assert_eq!(leftovers(&out).len(), 0);
        let s = Staging::begin(&out).unwrap();
        std::fs::write(s.dir().join("new.html"), "new").unwrap();
        s.commit().unwrap();
        assert!(!out.join("old.html").exists());
        assert!(out.join("new.html").exists());
        assert!(out.join(OUTPUT_MARKER).exists());
        assert_eq!(leftovers(&out).len(), 0);
    }

    #[test]
    fn interrupted_swap_is_recovered() {
        let t = tempfile::tempdir().unwrap();
        let out = t.path().join("public");
        let old = t.path().join(".public.explainer-old-1");
        std::fs::create_dir(&old).unwrap();
        std::fs::write(old.join(OUTPUT_MARKER), "").unwrap();
        std::fs::write(old.join("a.html"), "a").unwrap();
        let s = Staging::begin(&out).unwrap();
        drop(s);
        assert!(out.join("a.html").exists());
    }
}
