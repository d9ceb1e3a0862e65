//! Local images: their sizes for `<img width height>` (read from the files' headers, once per
//! image and analysis, only for images a page shows) and smaller copies of large PNG and JPEG
//! images for `srcset`, made at build time into a cache folder (`probe`, `variants`); and the
//! attributes that say so in the HTML (`html`, pure).

pub mod html;
pub mod probe;
pub mod variants;

use crate::config::ImagesConfig;
use crate::content::Asset;
use probe::Format;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Images wider than this many pixels get smaller copies.
pub const LARGE: u32 = 800;

/// The folder, under the project root, that keeps what builds make and may reuse. Safe to
/// delete at any time; a build makes what it needs again.
pub const CACHE_DIR: &str = ".explainer-cache";

/// What a page needs to know of a local image it shows: filled in by the link resolver, written
/// by `markdown` into the `<img>` tag.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImageFacts {
    /// The file, from `content/` (a page that shows it is rendered again when it changes).
    pub file: String,
    /// Width and height in pixels, as displayed, when they could be read.
    pub size: Option<(u32, u32)>,
    /// Smaller copies, then the image itself: (URL relative to the page, width), narrowest
    /// first; empty when the image has no copies.
    pub srcset: Vec<(String, u32)>,
    /// Why the file is not shown at its best (unreadable, not an image): a warning.
    pub problem: Option<String>,
}

/// One smaller copy of an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// Its width in pixels.
    pub width: u32,
    /// Its path in the output, next to the image (`img/photo-800w.jpg`).
    pub rel: String,
    /// Its file in the cache, copied into the output.
    pub cached: PathBuf,
}

/// What an analysis found out about one image.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Probe {
    /// Its size and smaller copies; `problem` if the copies could not be kept.
    Sized {
        size: (u32, u32),
        variants: Vec<Variant>,
        problem: Option<String>,
    },
    /// An SVG without a simple size: shown as the browser sizes it.
    Unsized,
    /// Not readable as an image: why.
    Broken(String),
}

/// The content's images, each measured (and its copies made) the first time a page shows it,
/// from any thread. An analysis holds one; `watch` and `serve` forget an image that changes.
#[derive(Debug)]
pub struct Images {
    config: ImagesConfig,
    cache: PathBuf,
    /// Each image file of `content/` by its path from there: its file on disk and what is
    /// known of it once a page has shown it.
    files: HashMap<String, (PathBuf, OnceLock<Probe>)>,
    /// Every content file's path, lowercase: a copy never takes a file's place.
    taken: HashSet<String>,
}

impl Images {
    /// The images among `assets` (by extension), with copies per `config` kept under `root`.
    pub fn new(root: &Path, config: &ImagesConfig, assets: &[Asset]) -> Images {
        let files = assets
            .iter()
            .filter(|a| crate::embeds::media_kind(&a.rel) == crate::embeds::MediaKind::Image)
            .map(|a| (a.rel.clone(), (a.abs.clone(), OnceLock::new())))
            .collect();
        Images {
            config: config.clone(),
            cache: root.join(CACHE_DIR).join("images"),
            files,
            taken: assets.iter().map(|a| a.rel.to_lowercase()).collect(),
        }
    }

    /// What a page whose root is `root` (`../../`) shows of the image `rel`; `None` if `rel` is
    /// not an image of `content/`. Measures the image (and makes its copies) on first use.
    pub fn facts(&self, rel: &str, root: &str) -> Option<ImageFacts> {
        let probe = self.probe(rel)?;
        let mut facts = ImageFacts {
            file: rel.to_string(),
            ..ImageFacts::default()
        };
        match probe {
            Probe::Sized {
                size,
                variants,
                problem,
            } => {
                facts.size = Some(*size);
                facts.problem = problem.clone();
                if !variants.is_empty() {
                    facts.srcset = variants
                        .iter()
                        .map(|v| (format!("{root}{}", v.rel), v.width))
                        .chain(std::iter::once((format!("{root}{rel}"), size.0)))
                        .collect();
                }
            }
            Probe::Unsized => {}
            Probe::Broken(why) => {
                facts.problem = Some(format!(
                    "image `{rel}` {why}; the page shows it without its size"
                ));
            }
        }
        Some(facts)
    }

    /// Forgets what was found out about image `rel` (changed on disk): the next page that shows
    /// it measures it again.
    pub fn forget(&mut self, rel: &str) {
        if let Some((_, probe)) = self.files.get_mut(rel) {
            *probe = OnceLock::new();
        }
    }

    /// The output paths of the copies of image `rel` made so far (none if no page showed it).
    pub fn variants_of(&self, rel: &str) -> Vec<String> {
        match self.files.get(rel).and_then(|(_, p)| p.get()) {
            Some(Probe::Sized { variants, .. }) => variants.iter().map(|v| v.rel.clone()).collect(),
            _ => Vec::new(),
        }
    }

    /// Measures image `rel` now (making its copies) and returns its copies' output paths.
    pub fn measure_again(&self, rel: &str) -> Vec<String> {
        self.probe(rel);
        self.variants_of(rel)
    }

    /// True if `rel` is one of the content's images.
    pub fn is_image(&self, rel: &str) -> bool {
        self.files.contains_key(rel)
    }

    /// The smaller copies made so far (of the images pages show), of every image or of those
    /// in `only`, as (path in the output, file in the cache), sorted by path.
    pub fn outputs(&self, only: Option<&BTreeSet<String>>) -> Vec<(String, PathBuf)> {
        let mut out: Vec<(String, PathBuf)> = self
            .files
            .iter()
            .filter(|(rel, _)| only.is_none_or(|o| o.contains(*rel)))
            .filter_map(|(_, (_, probe))| match probe.get() {
                Some(Probe::Sized { variants, .. }) => Some(variants),
                _ => None,
            })
            .flatten()
            .map(|v| (v.rel.clone(), v.cached.clone()))
            .collect();
        out.sort();
        out
    }

    fn probe(&self, rel: &str) -> Option<&Probe> {
        let (abs, probe) = self.files.get(rel)?;
        Some(probe.get_or_init(|| self.measure(rel, abs)))
    }

    /// Reads the size of image `rel` at `abs` and makes its copies if it is large.
    fn measure(&self, rel: &str, abs: &Path) -> Probe {
        let svg = rel.to_ascii_lowercase().ends_with(".svg");
        let header = match probe::read(abs, svg) {
            Ok(Some(h)) => h,
            Ok(None) => return Probe::Unsized,
            Err(why) => return Probe::Broken(why),
        };
        let size = (header.width, header.height);
        let widths: Vec<(u32, String)> =
            if self.config.srcset && header.format != Format::Other && header.width > LARGE {
                self.config
                    .widths
                    .iter()
                    .filter(|&&w| w < header.width)
                    .map(|&w| (w, variant_path(rel, w)))
                    .filter(|(_, p)| !self.taken.contains(&p.to_lowercase()))
                    .collect()
            } else {
                Vec::new()
            };
        if widths.is_empty() {
            return Probe::Sized {
                size,
                variants: Vec::new(),
                problem: None,
            };
        }
        let ws: Vec<u32> = widths.iter().map(|(w, _)| *w).collect();
        match variants::make(abs, header.format, size, &ws, &self.cache) {
            Ok(made) => Probe::Sized {
                size: made.size,
                variants: widths
                    .into_iter()
                    .zip(made.files)
                    .map(|((width, rel), cached)| Variant { width, rel, cached })
                    .collect(),
                problem: None,
            },
            Err(variants::Failure::Image(why)) => Probe::Broken(why),
            Err(variants::Failure::Cache(why)) => Probe::Sized {
                size,
                variants: Vec::new(),
                problem: Some(format!(
                    "image `{rel}`: {why}; the page shows it without smaller copies"
                )),
            },
        }
    }
}

/// Where the copy of image `rel` that is `width` wide goes: next to it, the width before the
/// extension (`img/photo.jpg` → `img/photo-800w.jpg`).
pub fn variant_path(rel: &str, width: u32) -> String {
    let (dir, file) = match rel.rsplit_once('/') {
        Some((d, f)) => (Some(d), f),
        None => (None, rel),
    };
    let name = match file.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => format!("{stem}-{width}w.{ext}"),
        _ => format!("{file}-{width}w"),
    };
    match dir {
        Some(d) => format!("{d}/{name}"),
        None => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_go_next_to_the_image() {
        assert_eq!(variant_path("img/photo.jpg", 800), "img/photo-800w.jpg");
        assert_eq!(variant_path("a.b/Map.PNG", 480), "a.b/Map-480w.PNG");
        assert_eq!(variant_path("noext", 480), "noext-480w");
        assert_eq!(variant_path(".hidden", 480), ".hidden-480w");
    }
}
