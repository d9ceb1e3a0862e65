//! Writing the site: sinks (a folder, or nowhere for `check`) and the atomic swap of the output folder.

use crate::config::OUTPUT_MARKER;
use std::io;
use std::path::{Path, PathBuf};

/// One output file: bytes to write, or a file to copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// Generated content.
    Bytes(Vec<u8>),
    /// A file copied as is.
    Copy(PathBuf),
}

/// Where built files go. Paths are root-relative with `/` separators.
pub trait Sink: Sync {
    /// Writes one file.
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()>;
    /// Copies a file from disk.
    fn copy(&self, rel: &str, src: &Path) -> io::Result<()>;
    /// False for a sink that discards what it is given: outputs that are costly to make and
    /// checked by nothing (social cards) are then not made.
    fn keeps(&self) -> bool {
        true
    }
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
    fn keeps(&self) -> bool {
        false
    }
}

/// Writes into a folder, creating parent folders as needed.
pub struct DirSink {
    dir: PathBuf,
    /// The previous build's output, whose copies of unchanged files are linked, not copied again.
    previous: Option<PathBuf>,
    /// The files linked so far: a later write to one of them must not write through the link
    /// into the previous output (which stays in place if the build fails).
    linked: std::sync::Mutex<std::collections::HashSet<String>>,
}

impl DirSink {
    /// A sink writing under `dir`.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        DirSink {
            dir: dir.into(),
            previous: None,
            linked: Default::default(),
        }
    }

    fn target(&self, rel: &str) -> io::Result<PathBuf> {
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        Ok(path)
    }

    /// Unlinks `path` (at `rel`) if it is a link to the previous output.
    fn unlink_if_linked(&self, rel: &str, path: &Path) -> io::Result<()> {
        let was = self.linked.lock().map(|mut l| l.remove(rel));
        if was.unwrap_or(true) {
            match std::fs::remove_file(path) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
        }
        Ok(())
    }
}

impl Sink for DirSink {
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let target = self.target(rel)?;
        if self.previous.is_some() {
            self.unlink_if_linked(rel, &target)?;
        }
        std::fs::write(target, bytes)
    }

    /// Copies `src`, taking its modification time. When the previous output holds a copy with
    /// the same size and time (the check Zola and rsync make), that file is hard-linked instead:
    /// a site's images and attachments, often most of its bytes, are then neither read nor
    /// written again. The link is to the previous output's copy, never to the source, so editing
    /// the output cannot change the project.
    fn copy(&self, rel: &str, src: &Path) -> io::Result<()> {
        let target = self.target(rel)?;
        let src_meta = std::fs::metadata(src)?;
        if let Some(previous) = &self.previous {
            self.unlink_if_linked(rel, &target)?;
            let old = previous.join(rel);
            if same_copy(&old, &src_meta) && std::fs::hard_link(&old, &target).is_ok() {
                if let Ok(mut l) = self.linked.lock() {
                    l.insert(rel.to_string());
                }
                return Ok(());
            }
        }
        std::fs::copy(src, &target)?;
        // Without the time, the next build copies the file again: nothing worse. A read-only
        // source gives a read-only copy, whose time its owner may still set.
        let file = (std::fs::File::options().write(true).open(&target))
            .or_else(|_| std::fs::File::open(&target));
        if let (Ok(time), Ok(file)) = (src_meta.modified(), file) {
            file.set_modified(time).ok();
        }
        Ok(())
    }
}

/// Whether `old`, a file of the previous output, is a copy of a source file with metadata `src`:
/// a plain file of the same size and modification time.
fn same_copy(old: &Path, src: &std::fs::Metadata) -> bool {
    let Ok(meta) = std::fs::symlink_metadata(old) else {
        return false;
    };
    meta.is_file()
        && meta.len() == src.len()
        && matches!((meta.modified(), src.modified()), (Ok(a), Ok(b)) if a == b)
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

    /// A sink writing into the staging folder that links unchanged copies from the current
    /// output (when it is one of ours) rather than copying them again.
    pub fn sink(&self) -> DirSink {
        let ours = self.output.join(OUTPUT_MARKER).is_file();
        DirSink {
            dir: self.tmp.clone(),
            previous: ours.then(|| self.output.clone()),
            linked: Default::default(),
        }
    }

    /// Writes the marker and swaps the new site in place of the old one.
    pub fn commit(self) -> io::Result<()> {
        self.commit_with(exchange)
    }

    /// `commit`, swapping folders with `swap`: tests pass one that fails, to run on Linux the
    /// two-rename path other systems take.
    fn commit_with(mut self, swap: fn(&Path, &Path) -> io::Result<()>) -> io::Result<()> {
        std::fs::write(
            self.tmp.join(OUTPUT_MARKER),
            "This folder is written by explainer and replaced on every build.\n",
        )?;
        // Where the kernel can swap two folders in one step, the output is never missing, not
        // even for an instant; the old site then sits in the staging folder and is removed.
        if self.output.exists() && swap(&self.tmp, &self.output).is_ok() {
            self.committed = true;
            std::fs::remove_dir_all(&self.tmp)?;
            return Ok(());
        }
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

/// Swaps two paths atomically (Linux `renameat2` with `RENAME_EXCHANGE`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

/// Elsewhere there is no atomic exchange: the caller falls back to two renames.
#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
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

    /// A swap that fails, as on systems without an atomic exchange.
    fn no_exchange(_: &Path, _: &Path) -> io::Result<()> {
        Err(io::Error::from(io::ErrorKind::Unsupported))
    }

    #[test]
    fn failed_build_leaves_output_untouched_and_commit_swaps() {
        // With the atomic exchange, and with the two renames other systems use.
        for swap in [exchange, no_exchange] {
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
            s.commit_with(swap).unwrap();
            assert!(!out.join("old.html").exists());
            assert_eq!(
                std::fs::read_to_string(out.join("new.html")).unwrap(),
                "new"
            );
            assert!(out.join(OUTPUT_MARKER).exists());
            assert_eq!(leftovers(&out).len(), 0);
        }
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

/// Writes into a folder that is being served: each file goes to a temporary name beside its
/// target and is renamed into place, so a reader never sees a half-written file.
pub struct AtomicDirSink {
    dir: PathBuf,
}

impl AtomicDirSink {
    /// A sink writing under `dir`.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        AtomicDirSink { dir: dir.into() }
    }

    /// The folder written to.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn place(&self, rel: &str, fill: impl FnOnce(&Path) -> io::Result<()>) -> io::Result<()> {
        let target = self.dir.join(rel);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let name = target
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let tmp = target.with_file_name(format!(".{name}.explainer-part-{}", std::process::id()));
        fill(&tmp)?;
        std::fs::rename(&tmp, &target).inspect_err(|_| {
            std::fs::remove_file(&tmp).ok();
        })
    }

    /// Removes a file that the site no longer has, and any folders left empty.
    pub fn remove(&self, rel: &str) -> io::Result<()> {
        let target = self.dir.join(rel);
        match std::fs::remove_file(&target) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        let mut dir = target.parent();
        while let Some(d) = dir {
            if d == self.dir || std::fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
        Ok(())
    }
}

impl Sink for AtomicDirSink {
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        self.place(rel, |tmp| std::fs::write(tmp, bytes))
    }
    fn copy(&self, rel: &str, src: &Path) -> io::Result<()> {
        self.place(rel, |tmp| std::fs::copy(src, tmp).map(|_| ()))
    }
}

/// What is in an output folder, by content hash, so a rebuild writes only what changed
/// and removes what the site no longer has.
#[derive(Debug, Default, Clone)]
pub struct OutputState {
    hashes: std::collections::HashMap<String, u64>,
}

fn hash(bytes: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

impl OutputState {
    /// Writes each output whose content differs from what is there; with `complete`, the outputs
    /// are the whole site and files not among them are removed. Returns the paths written.
    pub fn apply(
        &mut self,
        outputs: Vec<(String, Output)>,
        complete: bool,
        sink: &AtomicDirSink,
        transform: &dyn Fn(&str, Vec<u8>) -> Vec<u8>,
    ) -> io::Result<Vec<String>> {
        let mut written = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (path, out) in outputs {
            // A search shard's name carries a hash of its contents: one written before is the
            // same file.
            if crate::search::is_shard(&path) && self.hashes.contains_key(&path) {
                seen.insert(path);
                continue;
            }
            let bytes = match out {
                Output::Bytes(b) => transform(&path, b),
                Output::Copy(src) => std::fs::read(src)?,
            };
            let h = hash(&bytes);
            if self.hashes.get(&path) != Some(&h) {
                sink.write(&path, &bytes)?;
                self.hashes.insert(path.clone(), h);
                written.push(path.clone());
            }
            seen.insert(path);
        }
        // The search index is written whole: with its manifest, the shards not written are stale.
        let index = seen.contains(crate::search::MANIFEST);
        if complete || index {
            let stale: Vec<String> = self
                .hashes
                .keys()
                .filter(|p| !seen.contains(*p) && (complete || crate::search::is_shard(p)))
                .cloned()
                .collect();
            for p in stale {
                sink.remove(&p)?;
                self.hashes.remove(&p);
                written.push(p);
            }
        }
        written.sort();
        Ok(written)
    }
}
