//! The offline search index: the title, headings, description and text of every page (notes,
//! home, the timeline, tag pages), written as a small manifest (`search-index.js`) and shards
//! under `search/` that `search.js` loads as scripts only once the reader starts searching, so
//! search works under any subpath and from `file://`, and a first query on a large site stays small.
//!
//! A `Doc` is one page's part (made per note while analysing, in parallel); `files` orders the
//! pages by kind and `shards` writes them out.

mod fold;
mod postings;
mod shards;

pub use fold::{MAX_WORD, Words, is_cjk, words};
pub use postings::read_postings;
pub use shards::{Cache, DIR, MANIFEST, is_shard, read_script};

use crate::content::{Note, NoteId, NoteKind};
use crate::diagnostics::floor_char_boundary;
use crate::graph::Graph;
use crate::json;
use crate::links::link_path;
use crate::markdown::{Rendered, TocEntry};

/// The search script the binary ships, written as `search.js` (a project's `static/search.js` wins).
pub const SEARCH_JS: &str = include_str!("../assets/search.js");

/// About how many bytes of note text the whole index may hold; each note gets an equal share
/// (a small site's notes are indexed in full).
pub const TEXT_BUDGET: usize = 2_000_000;

/// Bytes of text kept for each note, for a site of `notes` notes.
pub fn text_share(notes: usize) -> usize {
    (TEXT_BUDGET / notes.max(1)).clamp(200, crate::markdown::TEXT_LIMIT)
}

/// Where a word occurs in a page, as bits (search ranks title over headings over description
/// over text, by the highest bit).
pub mod field {
    /// The page's title.
    pub const TITLE: u8 = 8;
    /// A heading.
    pub const HEADING: u8 = 4;
    /// The description.
    pub const DESCRIPTION: u8 = 2;
    /// The text (headings included).
    pub const BODY: u8 = 1;
}

/// One page's part of the index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Doc {
    /// `[title, path, description, [heading, …], [heading id, …], text]`, as JSON safe inside
    /// `<script>`.
    pub json: String,
    /// Where in `json` the words of each field are: the title, the headings' list, the
    /// description and the text, in the order of `FIELDS` (the index reads the words there).
    spans: [(u32, u32); 4],
}

/// The field of each of `Doc::spans`.
const FIELDS: [u8; 4] = [
    field::TITLE,
    field::HEADING,
    field::DESCRIPTION,
    field::BODY,
];

impl Doc {
    /// The page's entry; `path` is the link from the site root, `headings` are (text, id).
    pub fn new(
        title: &str,
        path: &str,
        description: &str,
        headings: &[(&str, &str)],
        text: &str,
    ) -> Doc {
        // Written by hand rather than through serde: on a large site this is hot, and `json`
        // writes strings byte for byte as serde_json would, already safe inside `<script>`.
        let heading_bytes: usize = headings.iter().map(|(h, id)| h.len() + id.len() + 6).sum();
        let mut out = String::with_capacity(
            title.len() + path.len() + description.len() + heading_bytes + text.len() + 32,
        );
        out.push('[');
        let title = push_string(&mut out, title);
        out.push(',');
        push_string(&mut out, path);
        out.push(',');
        let description = push_string(&mut out, description);
        out.push(',');
        let heading_texts = push_strings(&mut out, headings.iter().map(|h| h.0));
        out.push(',');
        push_strings(&mut out, headings.iter().map(|h| h.1));
        out.push(',');
        let text = push_string(&mut out, text);
        out.push(']');
        Doc {
            json: out,
            spans: [title, heading_texts, description, text],
        }
    }

    /// Calls `f` with each word of the page in order (repeats included) and the field it is in.
    pub fn each_word(&self, words: &mut Words, f: &mut impl FnMut(&str, u8)) {
        for (&(from, to), &bit) in self.spans.iter().zip(&FIELDS) {
            let text = &self.json[from as usize..to as usize];
            words.each(text, true, &mut |w: &str| f(w, bit));
        }
    }

    /// The page's words in order (repeats included), each with the field it is in.
    pub fn words(&self) -> Vec<(String, u8)> {
        let mut out = Vec::new();
        self.each_word(&mut Words::default(), &mut |w, bit| {
            out.push((w.to_string(), bit))
        });
        out
    }
}

/// Appends `s` as a JSON string; returns where its inside is.
fn push_string(out: &mut String, s: &str) -> (u32, u32) {
    let from = out.len() as u32 + 1;
    json::push_string(out, s);
    (from, out.len() as u32 - 1)
}

/// Appends a JSON array of strings; returns where its inside is.
fn push_strings<'s>(out: &mut String, items: impl Iterator<Item = &'s str>) -> (u32, u32) {
    out.push('[');
    let from = out.len() as u32;
    for (i, s) in items.enumerate() {
        if i > 0 {
            out.push(',');
        }
        json::push_string(out, s);
    }
    let to = out.len() as u32;
    out.push(']');
    (from, to)
}

/// A note's entry: its title, URL, description, headings in document order and text (at most
/// `share` bytes, without the blocks that start with a text of `skip`).
pub fn entry(
    note: &Note,
    rendered: &Rendered,
    file_links: bool,
    share: usize,
    skip: &[String],
) -> Doc {
    fn flatten<'t>(toc: &'t [TocEntry], out: &mut Vec<(&'t str, &'t str)>) {
        for e in toc {
            out.push((&e.title, &e.id));
            flatten(&e.children, out);
        }
    }
    let mut headings = Vec::new();
    flatten(&rendered.toc, &mut headings);
    let end = floor_char_boundary(&rendered.text, share);
    let text = body_text(&rendered.text[..end], skip);
    Doc::new(
        &note.title,
        &link_path(&note.url, file_links),
        note.front.description.as_deref().unwrap_or(""),
        &headings,
        &text,
    )
}

/// The blocks of `text` (one a line) not starting with a text of `skip`, joined by spaces.
fn body_text(text: &str, skip: &[String]) -> String {
    let mut out = String::with_capacity(text.len());
    for block in text.split('\n').map(str::trim) {
        if block.is_empty() || skip.iter().any(|s| block.starts_with(s.as_str())) {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(block);
    }
    out
}

/// What a page is, for ranking and for the label a result shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    /// In a top-level section (by its place among them); the section's own page too.
    Section(usize),
    /// A page outside every section.
    Page,
    /// The home page.
    Home,
    /// The timeline.
    Timeline,
    /// A term's page, by taxonomy (in `Graph::taxonomies`).
    Term(usize),
}

/// The top-level section a note belongs to (itself for a top-level section), or `None` for
/// home and pages outside any section. Bounded by the number of notes (parents form a tree).
fn top_section(notes: &[Note], i: NoteId) -> Option<NoteId> {
    let mut n = i;
    for _ in 0..notes.len() {
        match notes[n].parent {
            Some(p) if notes[p].kind != NoteKind::Home => n = p,
            _ => break,
        }
    }
    (notes[n].kind == NoteKind::Section).then_some(n)
}

/// What the index needs besides the notes' entries.
pub struct Site<'a> {
    /// The notes (home first).
    pub notes: &'a [Note],
    /// Sections, tags and the timeline.
    pub graph: &'a Graph,
    /// Each note's entry (same indices as `notes`).
    pub docs: &'a [Doc],
    /// Links end in `index.html`.
    pub file_links: bool,
    /// What the last build of this site kept (see `Cache`).
    pub cache: &'a Cache,
}

/// Every file of the index: the manifest, then the shards, as (path from the output root, bytes).
///
/// Pages are ordered by kind (the top-level sections in their reading order, then pages outside
/// sections, home, the timeline, tags), then by note order: search ranks a tie by that order.
pub fn files(site: &Site<'_>) -> Vec<(String, Vec<u8>)> {
    let Site {
        notes, graph, docs, ..
    } = *site;
    let sections: &[NoteId] = graph.subsections.first().map_or(&[], Vec::as_slice);
    let kind = |i: NoteId| match (notes[i].kind, top_section(notes, i)) {
        (NoteKind::Home, _) => Kind::Home,
        (_, Some(s)) => Kind::Section(sections.iter().position(|&x| x == s).unwrap_or(usize::MAX)),
        (_, None) => Kind::Page,
    };
    let label = |k: Kind, i: NoteId| match k {
        Kind::Section(_) => notes[top_section(notes, i).unwrap_or(i)].title.clone(),
        Kind::Page => "Page".into(),
        Kind::Home => "Home".into(),
        Kind::Timeline => "Timeline".into(),
        // The label tag pages always had; other taxonomies' by name (`Categories`).
        Kind::Term(k) => match graph.taxonomies[k].name.as_str() {
            "tags" => "Tag".into(),
            _ => graph.taxonomies[k].title(),
        },
    };
    let mut order: Vec<(Kind, NoteId)> = NoteId::all(docs.len().min(notes.len()))
        .map(|i| (kind(i), i))
        .collect();
    order.sort_unstable();
    let mut extra: Vec<Doc> = Vec::new();
    if !graph.timeline.is_empty() {
        let mut text = String::new();
        for e in &graph.timeline {
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(&e.event.when_shown());
            text.push_str(": ");
            text.push_str(&e.event.title);
        }
        let end = floor_char_boundary(&text, text_share(notes.len()));
        let path = link_path(crate::context::TIMELINE_URL, site.file_links);
        extra.push(Doc::new("Timeline", &path, "", &[], &text[..end]));
    }
    let mut extra_kinds: Vec<Kind> = vec![Kind::Timeline; extra.len()];
    for (k, tax) in graph.taxonomies.iter().enumerate() {
        for t in &tax.terms {
            let path = link_path(&tax.term_url(&t.slug), site.file_links);
            extra.push(Doc::new(&t.name, &path, "", &[], ""));
            extra_kinds.push(Kind::Term(k));
        }
    }
    let mut ordered: Vec<&Doc> = Vec::with_capacity(order.len() + extra.len());
    let mut sources: Vec<Option<NoteId>> = Vec::with_capacity(order.len() + extra.len());
    let mut kinds: Vec<(String, u32)> = Vec::new();
    let mut last: Option<Kind> = None;
    for &(k, i) in &order {
        if last != Some(k) {
            kinds.push((label(k, i), ordered.len() as u32));
            last = Some(k);
        }
        ordered.push(&docs[i]);
        sources.push(Some(i));
    }
    for (d, &k) in extra.iter().zip(&extra_kinds) {
        if last != Some(k) {
            kinds.push((label(k, NoteId::HOME), ordered.len() as u32));
            last = Some(k);
        }
        ordered.push(d);
        sources.push(None);
    }
    shards::write(&ordered, &kinds, &sources, site.cache)
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

    fn note(title: &str, url: &str) -> Note {
        Note {
            kind: NoteKind::Page,
            rel_path: format!("{url}.md"),
            display_path: format!("content/{url}.md"),
            text: String::new(),
            body_start: 0,
            source_taken: false,
            front: Default::default(),
            title: title.into(),
            url: format!("{url}/"),
            parent: None,
        }
    }

    #[test]
    fn entry_is_json_with_headings_in_document_order_and_skipped_blocks_left_out() {
        let heading = |id: &str, title: &str, children| TocEntry {
            level: 2,
            id: id.into(),
            title: title.into(),
            children,
        };
        let rendered = Rendered {
            toc: vec![
                heading("a", "A </script>", vec![heading("b", "B", vec![])]),
                heading("c", "C", vec![]),
            ],
            text: "  Some text\nSource: the paper\n\nMore text ".into(),
            ..Default::default()
        };
        let doc = entry(
            &note("Xi's \"visit\"", "topics/xi-visit"),
            &rendered,
            true,
            1000,
            &["Source:".into()],
        );
        assert!(!doc.json.contains("</"), "{}", doc.json);
        let value: serde_json::Value = serde_json::from_str(&doc.json).unwrap();
        assert_eq!(
            value,
            serde_json::json!([
                "Xi's \"visit\"",
                "topics/xi-visit/index.html",
                "",
                ["A </script>", "B", "C"],
                ["a", "b", "c"],
                "Some text More text",
            ])
        );
        let words = doc.words();
        let has = |w: &str, bit| words.contains(&(w.to_string(), bit));
        assert!(has("visit", field::TITLE), "{words:?}");
        assert!(has("text", field::BODY), "{words:?}");
        assert!(has("script", field::HEADING), "{words:?}");
        assert!(
            !has("topics", field::BODY) && !has("a", field::HEADING),
            "{words:?}"
        );
        assert!(!words.iter().any(|(w, _)| *w == "paper" || *w == "source"));
    }

    #[test]
    fn words_come_in_order_with_their_fields() {
        let doc = Doc::new(
            "Seoul",
            "s/",
            "Seoul again",
            &[("In Seoul", "x-y")],
            "seoul",
        );
        let words = doc.words();
        let words: Vec<(&str, u8)> = words.iter().map(|(w, b)| (w.as_str(), *b)).collect();
        assert_eq!(
            words,
            [
                ("seoul", field::TITLE),
                ("in", field::HEADING),
                ("seoul", field::HEADING),
                ("seoul", field::DESCRIPTION),
                ("again", field::DESCRIPTION),
                ("seoul", field::BODY),
            ]
        );
    }
}
