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
    // Headings in document order, flattened: `[["text","id"],…]`.
    fn walk(toc: &[crate::markdown::TocEntry], out: &mut String) {
        for e in toc {
            // Every entry ends with `]`: a `[` before this one means it opens the list.
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
    fn entry_is_json_with_headings_in_document_order() {
        use crate::markdown::TocEntry;
        let heading = |id: &str, title: &str, children| TocEntry {
            level: 2,
            id: id.into(),
            title: title.into(),
            children,
        };
        let note = Note {
            kind: NoteKind::Page,
            rel_path: "topics/xi-visit.md".into(),
            display_path: "content/topics/xi-visit.md".into(),
            text: String::new(),
            body_start: 0,
            source_taken: false,
            front: Default::default(),
            title: "Xi's \"visit\"".into(),
            url: "topics/xi-visit/".into(),
            parent: None,
        };
        let rendered = Rendered {
            toc: vec![
                heading("a", "A </script>", vec![heading("b", "B", vec![])]),
                heading("c", "C", vec![]),
            ],
            text: "  Some text  ".into(),
            ..Default::default()
        };
        let json = entry(&note, &rendered, true, 1000).unwrap();
        assert!(!json.contains("</"), "{json}");
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(
            value,
            serde_json::json!({
                "t": "Xi's \"visit\"",
                "p": "topics/xi-visit/index.html",
                "d": "",
                "h": [["A </script>", "a"], ["B", "b"], ["C", "c"]],
                "x": "Some text",
            })
        );
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
