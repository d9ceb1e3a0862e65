//! The offline search index: titles, headings, descriptions and text of every note, shipped as a
//! script (`search-index.js`) so search works under any subpath and from `file://`.

use crate::content::{Note, NoteKind};
use crate::diagnostics::floor_char_boundary;
use crate::links::link_path;
use crate::markdown::Rendered;
use serde::Serialize;

/// The search script the binary ships, written as `search.js` (a project's `static/search.js` wins).
pub const SEARCH_JS: &str = include_str!("assets/search.js");

/// About how many bytes of note text the whole index may hold; each note gets an equal share
/// (a small site's notes are indexed in full).
pub const TEXT_BUDGET: usize = 2_000_000;

#[derive(Serialize)]
struct Entry<'a> {
    /// Title.
    t: &'a str,
    /// Path from the site root.
    p: String,
    /// Description.
    d: &'a str,
    /// Headings: (text, id).
    h: Vec<(&'a str, &'a str)>,
    /// Text.
    x: &'a str,
}

/// Bytes of text kept for each note, for a site of `notes` notes.
pub fn text_share(notes: usize) -> usize {
    (TEXT_BUDGET / notes.max(1)).clamp(200, crate::markdown::TEXT_LIMIT)
}

/// One note's entry, as JSON (`None` for the home page, which search does not list).
pub fn entry(note: &Note, rendered: &Rendered, file_links: bool, share: usize) -> Option<String> {
    if note.kind == NoteKind::Home {
        return None;
    }
    let end = floor_char_boundary(&rendered.text, share);
    let mut headings = Vec::new();
    fn walk<'a>(toc: &'a [crate::markdown::TocEntry], out: &mut Vec<(&'a str, &'a str)>) {
        for e in toc {
            out.push((e.title.as_str(), e.id.as_str()));
            walk(&e.children, out);
        }
    }
    walk(&rendered.toc, &mut headings);
    let e = Entry {
        t: &note.title,
        p: link_path(&note.url, file_links),
        d: note.front.description.as_deref().unwrap_or(""),
        h: headings,
        x: rendered.text[..end].trim(),
    };
    // Made script-safe here, per note and in parallel, rather than over the whole index at the
    // end, the same way as the templates' `json` filter.
    let json = serde_json::to_string(&e).ok()?;
    Some(crate::templates::script_safe_json(&json).into_owned())
}

/// The index script from per-note entries (made by `entry`): `window.explainerSearch=[…];`.
pub fn script(entries: &[Option<String>]) -> String {
    let total: usize = entries.iter().flatten().map(|e| e.len() + 1).sum();
    let mut s = String::with_capacity(total + 64);
    s.push_str("window.explainerSearch=[");
    let mut first = true;
    for e in entries.iter().flatten() {
        if !first {
            s.push(',');
        }
        first = false;
        s.push_str(e);
    }
    s.push_str("];\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_shrink_with_site_size_within_bounds() {
        assert_eq!(text_share(20), crate::markdown::TEXT_LIMIT);
        assert_eq!(text_share(10_000), 200);
        assert_eq!(text_share(2_000), 1_000);
    }

    #[test]
    fn script_is_valid_js_array() {
        let s = script(&[
            None,
            Some(crate::templates::script_safe_json("{\"t\":\"a</script>\"}").into_owned()),
            Some("{}".into()),
        ]);
        assert_eq!(
            s,
            "window.explainerSearch=[{\"t\":\"a\\u003c/script\\u003e\"},{}];\n"
        );
        assert!(!s.contains("</"));
    }
}
