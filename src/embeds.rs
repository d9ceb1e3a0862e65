//! Obsidian embeds (`![[…]]`): what an embed's label says, which files it shows and how, and the
//! bounds that keep transclusion (a note shown inside another) from running away.

use crate::escape::push_html;
use crate::images::ImageFacts;
use pulldown_cmark_escape::escape_href;
use std::cell::Cell;

/// How deep embeds may nest (a note that embeds a note that embeds …) before the rest is cut off.
pub const MAX_DEPTH: usize = 8;
/// How many notes one page may transclude in all, nested ones included.
pub const MAX_EMBEDS: usize = 1_000;
/// How many bytes of transcluded HTML one page may hold in all.
pub const MAX_BYTES: usize = 4 << 20;

/// What the label of a wikilink embed says: `![[pic.png|300]]`, `![[pic.png|A map|300x200]]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EmbedLabel {
    /// Alternative text (any part of the label that is not a size).
    pub alt: Option<String>,
    /// Width in CSS pixels.
    pub width: Option<u32>,
    /// Height in CSS pixels.
    pub height: Option<u32>,
}

/// Reads an embed's label: parts separated by `|`, a part like `300` or `300x200` is the size.
pub fn parse_label(label: &str) -> EmbedLabel {
    let mut out = EmbedLabel::default();
    let mut alt: Vec<&str> = Vec::new();
    for part in label.split('|') {
        let part = part.trim().trim_end_matches('\\').trim();
        if part.is_empty() {
            continue;
        }
        match parse_size(part) {
            Some((w, h)) if out.width.is_none() => {
                out.width = Some(w);
                out.height = h;
            }
            _ => alt.push(part),
        }
    }
    if !alt.is_empty() {
        out.alt = Some(alt.join(" "));
    }
    out
}

fn parse_size(s: &str) -> Option<(u32, Option<u32>)> {
    let number = |t: &str| {
        (!t.is_empty() && t.len() <= 6 && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| t.parse().ok())
            .flatten()
    };
    match s.split_once('x') {
        Some((w, h)) => Some((number(w)?, Some(number(h)?))),
        None => Some((number(s)?, None)),
    }
}

/// The kind of file an embed shows, by the file's extension (as Obsidian decides).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaKind {
    /// Shown as `<img>`.
    Image,
    /// Shown as `<audio controls>`.
    Audio,
    /// Shown as `<video controls>`.
    Video,
    /// Shown in an embedded viewer, with a link as fallback.
    Pdf,
    /// Any other file: a link to it.
    Other,
}

/// The kind of the file at `path`, by extension, case-insensitively.
pub fn media_kind(path: &str) -> MediaKind {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "png" | "jpg" | "jpeg" | "gif" | "bmp" | "svg" | "webp" | "avif" | "ico" => {
            MediaKind::Image
        }
        "mp3" | "wav" | "m4a" | "ogg" | "3gp" | "flac" | "oga" | "opus" => MediaKind::Audio,
        "mp4" | "webm" | "ogv" | "mov" | "mkv" | "m4v" => MediaKind::Video,
        "pdf" => MediaKind::Pdf,
        _ => MediaKind::Other,
    }
}

/// `icon.svg#icon` → (`icon.svg`, `Some("icon")`): on a file embed the fragment is a styling
/// hook (Obsidian themes use it), not part of the file name; a PDF keeps it (`#page=3`).
pub fn split_hook(dest: &str) -> (&str, Option<&str>) {
    match dest.split_once('#') {
        Some((file, hook)) if media_kind(file) != MediaKind::Pdf => {
            (file, Some(hook).filter(|h| !h.trim().is_empty()))
        }
        _ => (dest, None),
    }
}

/// The name a file is known by in alternative text: `maps/Korea map.png` → `Korea map`.
pub fn display_name(path: &str) -> &str {
    let file = path.rsplit('/').next().unwrap_or(path);
    file.rsplit_once('.').map_or(file, |(stem, _)| stem)
}

/// The HTML that shows an embedded file: `href` is its URL relative to the page, `file` the
/// name as written in the embed. `image` is what is known of a local image and whether it may
/// load lazily: it gets its size, smaller copies and loading hints.
pub fn media_html(
    kind: MediaKind,
    href: &str,
    file: &str,
    label: &EmbedLabel,
    hook: Option<&str>,
    image: Option<(&ImageFacts, bool)>,
) -> String {
    let mut s = String::with_capacity(href.len() * 2 + 96);
    let name = label.alt.as_deref().unwrap_or_else(|| display_name(file));
    let size = |s: &mut String| {
        if let Some(w) = label.width {
            s.push_str(&format!(" width=\"{w}\""));
        }
        if let Some(h) = label.height {
            s.push_str(&format!(" height=\"{h}\""));
        }
    };
    let class = |s: &mut String, base: &str| {
        s.push_str(" class=\"");
        s.push_str(base);
        if let Some(h) = hook {
            s.push(' ');
            push_class(s, h);
        }
        s.push('"');
    };
    let attr = |s: &mut String, name: &str, value: &str, href: bool| {
        s.push(' ');
        s.push_str(name);
        s.push_str("=\"");
        if href {
            escape_href(&mut *s, value).ok();
        } else {
            push_html(&mut *s, value);
        }
        s.push('"');
    };
    match kind {
        MediaKind::Image => {
            s.push_str("<img");
            attr(&mut s, "src", href, true);
            attr(&mut s, "alt", name, false);
            match image {
                Some((facts, lazy)) => {
                    crate::images::html::push_size(&mut s, facts, label.width, label.height);
                    class(&mut s, "embed embed-image");
                    crate::images::html::push_loading(&mut s, lazy);
                    s.push('>');
                }
                None => {
                    size(&mut s);
                    class(&mut s, "embed embed-image");
                    s.push_str(" loading=\"lazy\">");
                }
            }
        }
        MediaKind::Audio | MediaKind::Video => {
            let tag = if kind == MediaKind::Audio {
                "audio"
            } else {
                "video"
            };
            s.push('<');
            s.push_str(tag);
            s.push_str(" controls preload=\"metadata\"");
            attr(&mut s, "src", href, true);
            attr(&mut s, "aria-label", name, false);
            if kind == MediaKind::Video {
                size(&mut s);
            }
            class(&mut s, &format!("embed embed-{tag}"));
            s.push('>');
            fallback_link(&mut s, href, name);
            s.push_str("</");
            s.push_str(tag);
            s.push('>');
        }
        MediaKind::Pdf => {
            s.push_str("<object type=\"application/pdf\"");
            attr(&mut s, "data", href, true);
            attr(&mut s, "title", name, false);
            attr(&mut s, "aria-label", name, false);
            size(&mut s);
            class(&mut s, "embed embed-pdf");
            s.push('>');
            fallback_link(&mut s, href, name);
            s.push_str("</object>");
        }
        MediaKind::Other => fallback_link(&mut s, href, name),
    }
    s
}

fn fallback_link(s: &mut String, href: &str, name: &str) {
    s.push_str("<a class=\"embed-link\" href=\"");
    escape_href(&mut *s, href).ok();
    s.push_str("\">");
    push_html(&mut *s, name);
    s.push_str("</a>");
}

/// Appends `hook` as a class name: letters, digits, `-` and `_` kept, anything else as `-`.
fn push_class(s: &mut String, hook: &str) {
    for c in hook.trim().chars() {
        s.push(if c.is_alphanumeric() || c == '-' || c == '_' {
            c
        } else {
            '-'
        });
    }
}

/// The opening of the container a transcluded note or part of one is shown in; `href` links to
/// where it came from.
pub fn open_transclusion(href: &str, title: &str) -> String {
    let mut s = String::with_capacity(href.len() + title.len() * 2 + 128);
    s.push_str("<div class=\"transclusion\"><p class=\"transclusion-source\"><a href=\"");
    escape_href(&mut s, href).ok();
    s.push_str("\">");
    push_html(&mut s, title);
    s.push_str("</a></p>\n");
    s
}

/// The end of a transclusion's container.
pub const CLOSE_TRANSCLUSION: &str = "</div>\n";

/// The notice shown where an embed was not rendered because a bound was reached.
pub fn cut_off_notice(why: &str) -> String {
    let mut s = String::from("<p class=\"embed-cut-off\">");
    push_html(&mut s, why);
    s.push_str("</p>\n");
    s
}

/// What one page may still transclude; shared by every level of nested embeds in the page.
#[derive(Debug)]
pub struct Budget {
    embeds: Cell<usize>,
    bytes: Cell<usize>,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            embeds: Cell::new(MAX_EMBEDS),
            bytes: Cell::new(MAX_BYTES),
        }
    }
}

impl Budget {
    /// Takes one embed of at most `bytes` of source; false once the page has used up its share.
    pub fn take(&self, bytes: usize) -> bool {
        let (e, b) = (self.embeds.get(), self.bytes.get());
        if e == 0 || b < bytes {
            self.embeds.set(0);
            return false;
        }
        self.embeds.set(e - 1);
        self.bytes.set(b - bytes);
        true
    }

    /// Counts `bytes` of HTML written into the page by an embed.
    pub fn spend(&self, bytes: usize) {
        self.bytes.set(self.bytes.get().saturating_sub(bytes));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_give_alt_and_size() {
        assert_eq!(
            parse_label("300"),
            EmbedLabel {
                alt: None,
                width: Some(300),
                height: None
            }
        );
        assert_eq!(
            parse_label("A map|300x200"),
            EmbedLabel {
                alt: Some("A map".into()),
                width: Some(300),
                height: Some(200)
            }
        );
        assert_eq!(parse_label("300 people").alt.as_deref(), Some("300 people"));
        assert_eq!(parse_label("x200").alt.as_deref(), Some("x200"));
        assert_eq!(parse_label("300\\").width, Some(300));
    }

    #[test]
    fn kinds_by_extension() {
        assert_eq!(media_kind("a/b.PNG"), MediaKind::Image);
        assert_eq!(media_kind("talk.mp3"), MediaKind::Audio);
        assert_eq!(media_kind("clip.webm"), MediaKind::Video);
        assert_eq!(media_kind("paper.pdf"), MediaKind::Pdf);
        assert_eq!(media_kind("data.csv"), MediaKind::Other);
        assert_eq!(media_kind("README"), MediaKind::Other);
    }

    #[test]
    fn hooks_are_not_file_names() {
        assert_eq!(split_hook("icon.svg#icon"), ("icon.svg", Some("icon")));
        assert_eq!(split_hook("paper.pdf#page=3"), ("paper.pdf#page=3", None));
        assert_eq!(split_hook("pic.png"), ("pic.png", None));
    }

    #[test]
    fn media_html_is_escaped() {
        let label = parse_label("\"><script>|300");
        let html = media_html(
            MediaKind::Image,
            "a b.png",
            "a b.png",
            &label,
            Some("x\" y"),
            None,
        );
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("width=\"300\""), "{html}");
        assert!(html.contains("class=\"embed embed-image x--y\""), "{html}");
        let pdf = media_html(
            MediaKind::Pdf,
            "p.pdf",
            "p.pdf",
            &EmbedLabel::default(),
            None,
            None,
        );
        assert!(
            pdf.starts_with("<object type=\"application/pdf\" data=\"p.pdf\""),
            "{pdf}"
        );
        assert!(
            pdf.contains("<a class=\"embed-link\" href=\"p.pdf\">p</a>"),
            "{pdf}"
        );
    }

    #[test]
    fn budget_runs_out() {
        let b = Budget::default();
        for _ in 0..MAX_EMBEDS {
            assert!(b.take(1));
        }
        assert!(!b.take(1));
        let b = Budget::default();
        assert!(!b.take(MAX_BYTES + 1));
    }
}
