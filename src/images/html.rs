//! The attributes of a local image's `<img>` (pure): its size, so the page does not shift as it
//! loads; its smaller copies; and when the browser may load and decode it.

use super::ImageFacts;
use pulldown_cmark_escape::escape_href;

/// How wide an image is shown when the note does not say: the whole screen on a phone, the
/// text column (about 46rem) on anything wider.
pub const SIZES: &str = "(max-width: 46rem) 100vw, 46rem";

/// The width and height to write: the editor's (`![[pic.png|300]]`, `|300x200`), the height
/// following the image's proportions when only the width is given; else the image's own.
pub fn shown_size(
    facts: &ImageFacts,
    width: Option<u32>,
    height: Option<u32>,
) -> (Option<u32>, Option<u32>) {
    match (width, height, facts.size) {
        (Some(w), Some(h), _) => (Some(w), Some(h)),
        (Some(w), None, Some(size)) => (Some(w), Some(super::variants::height_for(size, w))),
        (Some(w), None, None) => (Some(w), None),
        (None, _, Some((w, h))) => (Some(w), Some(h)),
        (None, _, None) => (None, None),
    }
}

/// Appends ` width="…" height="…"` (those known), then ` srcset="…" sizes="…"` if the image has
/// smaller copies; `width` is the width it is shown at when the note gives one.
pub fn push_size(s: &mut String, facts: &ImageFacts, width: Option<u32>, height: Option<u32>) {
    let (w, h) = shown_size(facts, width, height);
    if let Some(w) = w {
        s.push_str(&format!(" width=\"{w}\""));
    }
    if let Some(h) = h {
        s.push_str(&format!(" height=\"{h}\""));
    }
    if facts.srcset.is_empty() {
        return;
    }
    s.push_str(" srcset=\"");
    for (i, (url, w)) in facts.srcset.iter().enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        let start = s.len();
        escape_href(&mut *s, url).ok();
        // A comma or space would split the list: escape them in the URL.
        if s[start..].contains([',', ' ']) {
            let escaped = s[start..].replace(',', "%2C").replace(' ', "%20");
            s.truncate(start);
            s.push_str(&escaped);
        }
        s.push_str(&format!(" {w}w"));
    }
    s.push_str("\" sizes=\"");
    match width {
        Some(w) => s.push_str(&format!("{w}px")),
        None => s.push_str(SIZES),
    }
    s.push('"');
}

/// Appends ` loading="lazy"` (unless the image is the first of its page, likely on the first
/// screen) and ` decoding="async"`.
pub fn push_loading(s: &mut String, lazy: bool) {
    if lazy {
        s.push_str(" loading=\"lazy\"");
    }
    s.push_str(" decoding=\"async\"");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(size: Option<(u32, u32)>, srcset: &[(&str, u32)]) -> ImageFacts {
        ImageFacts {
            file: "p.jpg".into(),
            size,
            srcset: srcset.iter().map(|(u, w)| (u.to_string(), *w)).collect(),
            problem: None,
        }
    }

    #[test]
    fn sizes_follow_the_editor_then_the_file() {
        let f = facts(Some((640, 360)), &[]);
        assert_eq!(shown_size(&f, None, None), (Some(640), Some(360)));
        assert_eq!(shown_size(&f, Some(320), None), (Some(320), Some(180)));
        assert_eq!(shown_size(&f, Some(100), Some(20)), (Some(100), Some(20)));
        let unknown = facts(None, &[]);
        assert_eq!(shown_size(&unknown, Some(300), None), (Some(300), None));
        assert_eq!(shown_size(&unknown, None, None), (None, None));
    }

    #[test]
    fn srcset_lists_copies_then_the_image() {
        let f = facts(
            Some((1600, 900)),
            &[("../a b,c-480w.jpg", 480), ("../a b,c.jpg", 1600)],
        );
        let mut s = String::new();
        push_size(&mut s, &f, None, None);
        assert_eq!(
            s,
            " width=\"1600\" height=\"900\" srcset=\"../a%20b%2Cc-480w.jpg 480w, ../a%20b%2Cc.jpg 1600w\" sizes=\"(max-width: 46rem) 100vw, 46rem\""
        );
        let mut s = String::new();
        push_size(&mut s, &f, Some(300), None);
        assert!(s.starts_with(" width=\"300\" height=\"169\""), "{s}");
        assert!(s.ends_with(" sizes=\"300px\""), "{s}");
        let mut s = String::new();
        push_loading(&mut s, false);
        assert_eq!(s, " decoding=\"async\"");
    }
}
