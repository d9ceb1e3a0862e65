//! The offline search index: titles, headings, descriptions and text of every note, shipped as a
//! script (`search-index.js`) so search works under any subpath and from `file://`.

use crate::content::{Note, NoteKind};
use crate::diagnostics::floor_char_boundary;
use crate::json;
use crate::links::link_path;
use crate::markdown::Rendered;

/// The search script the binary ships, written as `search.js` (a project's `static/search.js` wins).
pub const SEARCH_JS: &str = include_str!("assets/search.js");

/// About how many bytes of note text the whole index may hold; each note gets an equal share
/// (a small site's notes are indexed in full).
pub const TEXT_BUDGET: usize = 2_000_000;

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
    // Written by hand rather than through serde: on a large site this is hot, and `json` writes
    // strings byte for byte as serde_json would, already safe inside `<script>`.
    let mut out = String::with_capacity(note.title.len() + end + 128);
    let mut o = json::Object::open(&mut out);
    o.string("t", &note.title)
        .string("p", &link_path(&note.url, file_links))
        .string("d", note.front.description.as_deref().unwrap_or(""));
    let h = o.key("h");
    h.push('[');
    fn walk(toc: &[crate::markdown::TocEntry], out: &mut String) {
        for e in toc {
            if !out.ends_with('[') {
                out.push(',');
            }
            out.push('[');
            json::push_string(out, &e.title);
            out.push(',');
            json::push_string(out, &e.id);
            out.push(']');
            walk(&e.children, out);
        }
    }
    walk(&rendered.toc, h);
    h.push(']');
    o.string("x", rendered.text[..end].trim());
    o.close();
    Some(out)
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
            Some(crate::json::script_safe("{\"t\":\"a</script>\"}").into_owned()),
            Some("{}".into()),
        ]);
        assert_eq!(
            s,
            "window.explainerSearch=[{\"t\":\"a\\u003c/script\\u003e\"},{}];\n"
        );
        assert!(!s.contains("</"));
    }
}
