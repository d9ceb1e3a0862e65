//! The card cache: drawn cards kept by key in `.explainer-cache/cards/` under the project root,
//! so a build draws only the cards whose text changed. Outside the output folder, which every
//! build replaces; the one folder besides the output that a build writes.

use std::io;
use std::path::{Path, PathBuf};

/// The cache folder, relative to the project root.
pub const DIR: &str = ".explainer-cache/cards";

/// Cards on disk by key (`<key as 16 hex digits>.png`).
pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    /// The cache of the project at `root` (the folder is made on the first `put`).
    pub fn new(root: &Path) -> Cache {
        Cache {
            dir: root.join(DIR),
        }
    }

    fn file(&self, key: u64) -> PathBuf {
        self.dir.join(format!("{key:016x}.png"))
    }

    /// The file of the card with `key`, if it is cached.
    pub fn get(&self, key: u64) -> Option<PathBuf> {
        let file = self.file(key);
        file.is_file().then_some(file)
    }

    /// Caches a card. Written under a temporary name and renamed, so a build that is stopped
    /// (or runs beside another) never leaves half a card under a key.
    pub fn put(&self, key: u64, png: &[u8]) -> io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        let file = self.file(key);
        let tmp = self.dir.join(format!(
            ".{key:016x}.{}-{:?}.tmp",
            std::process::id(),
            std::thread::current().id()
        ));
        std::fs::write(&tmp, png)?;
        std::fs::rename(&tmp, &file).inspect_err(|_| {
            std::fs::remove_file(&tmp).ok();
        })
    }

    /// Removes every cached card whose key is not in `keys` (cards of titles since changed, of
    /// notes since removed), so the cache stays the size of the site.
    pub fn keep_only(&self, keys: impl IntoIterator<Item = u64>) {
        let keep: std::collections::HashSet<String> =
            keys.into_iter().map(|k| format!("{k:016x}.png")).collect();
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.ends_with(".png") && !keep.contains(&name) {
                std::fs::remove_file(e.path()).ok();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn put_get_and_keep_only() {
        let t = tempfile::tempdir().unwrap();
        let c = Cache::new(t.path());
        assert_eq!(c.get(1), None);
        c.put(1, b"one").unwrap();
        c.put(2, b"two").unwrap();
        assert_eq!(std::fs::read(c.get(1).unwrap()).unwrap(), b"one");
        c.keep_only([2]);
        assert_eq!(c.get(1), None);
        assert!(c.get(2).is_some());
        let names: Vec<_> = std::fs::read_dir(t.path().join(DIR)).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary files left");
    }
}
