//! A note's outline: its headings (with the ids the renderer gives them), block ids (`^id`) and
//! other anchors, found in one cheap Markdown pass before rendering, so links from any note can
//! be resolved against any other note's headings and blocks.

use crate::markdown::{heading_id, options};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use std::collections::HashSet;
use std::ops::Range;

/// What a note offers to links and embeds: headings, blocks and other ids.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outline {
    /// Headings in document order.
    pub headings: Vec<Heading>,
    /// Blocks with an id (`text ^id`, or a `^id` line after a list, quote or table), in order.
    pub blocks: Vec<Block>,
    /// Every other id a fragment may target: footnotes and ids in raw HTML.
    pub ids: Vec<String>,
}

/// One heading of a note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1–6.
    pub level: u8,
    /// The heading's plain text.
    pub text: String,
    /// Exactly the `id` the rendered heading has.
    pub id: String,
    /// The text as Obsidian compares heading names (`heading_key`).
    pub key: String,
    /// The same of the heading's Markdown, when it differs: Obsidian names a heading in a link
    /// by its source (`## [[Page|label]] $\Delta$` is `#Page label Delta`), not its shown text.
    pub source_key: Option<String>,
    /// Byte range of the heading in the body.
    pub range: Range<usize>,
    /// From the heading's start to the next heading of the same or a higher level (or the end).
    pub section: Range<usize>,
}

/// The kind of element a block id is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// A paragraph.
    Paragraph,
    /// A list item.
    Item,
    /// A whole list (a `^id` line after it).
    List,
    /// A block quote or callout (a `^id` line after it).
    Quote,
    /// A table (a `^id` line after it).
    Table,
    /// Any other block a `^id` line follows (code block, heading, HTML).
    Other,
}

/// A block with an Obsidian block id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The id as written, without `^`.
    pub id: String,
    /// The HTML id of the element (`block-<id>`: `^` is not valid in a URL fragment).
    pub anchor: String,
    /// The element the id is on.
    pub kind: BlockKind,
    /// The block's Markdown. For a paragraph or item whose text ends in ` ^id`, it stops before
    /// the marker (an item with sub-items keeps them, and `marker` lies inside).
    pub range: Range<usize>,
    /// The bytes of the marker: ` ^id` at the end of the text, or the whole `^id` line.
    pub marker: Range<usize>,
    /// True when the marker is a line of its own after the element (not part of its text).
    pub own_line: bool,
}

/// The prefix of a block's HTML id.
pub const BLOCK_PREFIX: &str = "block-";

impl Outline {
    /// The heading a link fragment names, the way Obsidian matches them: by text, ignoring case,
    /// punctuation and spacing; a chain `Part#Detail` names the last part (preferring one inside
    /// `Part`). A fragment equal to a heading's id matches too.
    pub fn heading(&self, wanted: &str) -> Option<&Heading> {
        let mut parts = wanted.split('#').map(str::trim).filter(|p| !p.is_empty());
        let last = parts.next_back()?;
        let key = heading_key(last);
        let mut matches = self
            .headings
            .iter()
            .filter(|h| !key.is_empty() && h.matches(&key));
        let first = matches.next();
        // In a chain, prefer the match inside the sections of the parts before it.
        let parents: Vec<String> = parts.map(heading_key).collect();
        if let (Some(f), Some(parent)) = (first, parents.last()) {
            let inside = |h: &Heading| {
                self.headings.iter().any(|p| {
                    p.level < h.level
                        && p.section.start < h.range.start
                        && h.range.end <= p.section.end
                        && p.matches(parent)
                })
            };
            if !inside(f)
                && let Some(better) = matches.find(|h| inside(h))
            {
                return Some(better);
            }
        }
        first.or_else(|| self.headings.iter().find(|h| h.id == last))
    }

    /// The block with id `id` (with or without its `^`), case-insensitively as Obsidian does.
    pub fn block(&self, id: &str) -> Option<&Block> {
        let id = id.trim().trim_start_matches('^');
        self.blocks.iter().find(|b| b.id.eq_ignore_ascii_case(id))
    }

    /// The HTML id that `wanted` names: a block (`^id`), an id of the note, or a heading by
    /// its text as Obsidian matches them. What an event's `anchor` points at.
    pub fn anchor(&self, wanted: &str) -> Option<&str> {
        let wanted = wanted.trim();
        if let Some(block) = wanted.strip_prefix('^') {
            return self.block(block).map(|b| b.anchor.as_str());
        }
        if let Some(id) = self.all_ids().find(|i| *i == wanted) {
            return Some(id);
        }
        self.heading(wanted).map(|h| h.id.as_str())
    }

    /// Every HTML id a fragment may target: headings, blocks and the other ids.
    pub fn all_ids(&self) -> impl Iterator<Item = &str> {
        self.headings
            .iter()
            .map(|h| h.id.as_str())
            .chain(self.blocks.iter().map(|b| b.anchor.as_str()))
            .chain(self.ids.iter().map(String::as_str))
    }

    /// True if `other` offers the same anchors (so links into the note resolve the same way).
    pub fn same_anchors(&self, other: &Outline) -> bool {
        self.ids == other.ids
            && self.headings.len() == other.headings.len()
            && self.headings.iter().zip(&other.headings).all(|(a, b)| {
                a.id == b.id
                    && a.text == b.text
                    && a.level == b.level
                    && a.source_key == b.source_key
            })
            && self.blocks.len() == other.blocks.len()
            && self
                .blocks
                .iter()
                .zip(&other.blocks)
                .all(|(a, b)| a.id == b.id)
    }
}

impl Heading {
    /// True if `key` (a `heading_key`) names this heading, by its text or its source.
    fn matches(&self, key: &str) -> bool {
        self.key == key || self.source_key.as_deref() == Some(key)
    }
}

/// The Markdown source of a heading's text: an ATX heading's line without its `#`s and
/// `{attributes}`, or a setext heading's lines without the underline.
fn heading_source(md: &str) -> &str {
    let t = md.trim();
    let t = match t.strip_prefix('#') {
        Some(atx) => atx.trim_start_matches('#').trim_end().trim_end_matches('#'),
        None => t.rsplit_once('\n').map_or(t, |(text, _underline)| text),
    };
    let t = t.trim_end();
    match t.rfind('{') {
        Some(i) if t.ends_with('}') => &t[..i],
        _ => t,
    }
}

/// How Obsidian compares heading names: letters and digits only, lowercased.
pub fn heading_key(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// An element open while the outline is made.
struct Open {
    tag: BlockKind,
    /// True for paragraphs and items, whose text may end in ` ^id`.
    marked: bool,
    range: Range<usize>,
}

/// The outline of a note's Markdown body.
pub fn outline(body: &str) -> Outline {
    let mut out = Outline::default();
    // (level, explicit id, text, range) until ids are assigned at the end.
    let mut heads: Vec<(u8, Option<String>, String, Range<usize>)> = Vec::new();
    let mut in_heading = false;
    // Inside a `![[file]]` without a label, whose text the renderer drops.
    let mut hidden_text = 0usize;
    let mut stack: Vec<Open> = Vec::new();
    // The last closed element at each depth (`prev.len() == stack.len() + 1`).
    let mut prev: Vec<Option<(BlockKind, Range<usize>)>> = vec![None];
    // The end of the last inline event of the innermost element, if it was text.
    let mut last_text: Option<usize> = None;
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match event {
            Event::Start(tag) => {
                if let Some(kind) = block_kind(&tag) {
                    // An item's own text ends where a nested block starts.
                    if let Some(top) = stack.last_mut()
                        && top.tag == BlockKind::Item
                        && top.marked
                    {
                        if let Some(end) = last_text {
                            mark(body, top, end, &mut out.blocks);
                        }
                        top.marked = false;
                    }
                    last_text = None;
                    if let Tag::Heading { level, id, .. } = &tag {
                        in_heading = true;
                        heads.push((
                            *level as u8,
                            id.as_ref().map(|i| i.to_string()),
                            String::new(),
                            range.clone(),
                        ));
                    }
                    if let Tag::FootnoteDefinition(label) = &tag {
                        out.ids.push(label.to_string());
                    }
                    let marked = matches!(kind, BlockKind::Paragraph | BlockKind::Item)
                        && !matches!(tag, Tag::Heading { .. } | Tag::CodeBlock(_));
                    stack.push(Open {
                        tag: kind,
                        marked,
                        range,
                    });
                    prev.push(None);
                } else {
                    if let Tag::Image {
                        link_type: pulldown_cmark::LinkType::WikiLink { has_pothole: false },
                        ..
                    } = tag
                    {
                        hidden_text += 1;
                    }
                    last_text = None;
                }
            }
            Event::End(end) => {
                if end_kind(end).is_some() {
                    let Some(mut open) = stack.pop() else {
                        continue;
                    };
                    prev.pop();
                    let depth = stack.len();
                    if matches!(end, TagEnd::Heading(_)) {
                        in_heading = false;
                    }
                    let mut standalone = false;
                    if end == TagEnd::Paragraph {
                        standalone = own_line_marker(body, &open.range, &prev[depth], &mut out);
                    }
                    if open.marked
                        && !standalone
                        && let Some(end) = last_text
                    {
                        mark(body, &mut open, end, &mut out.blocks);
                    }
                    last_text = None;
                    if matches!(end, TagEnd::BlockQuote(_)) {
                        quote_takes_last_marker(body, &open.range, &mut out.blocks);
                    }
                    if !standalone {
                        prev[depth] = Some((open.tag, open.range));
                    }
                } else {
                    if end == TagEnd::Image && hidden_text > 0 {
                        hidden_text -= 1;
                    }
                    last_text = None;
                }
            }
            Event::Text(t) => {
                last_text = Some(range.end);
                if in_heading && hidden_text == 0 {
                    push_heading_text(&mut heads, &t);
                }
            }
            Event::Code(t) => {
                last_text = None;
                if in_heading {
                    push_heading_text(&mut heads, &t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                last_text = None;
                if in_heading {
                    push_heading_text(&mut heads, " ");
                }
            }
            Event::Rule => {
                last_text = None;
                // A `^id` line under a rule names the rule, not the element before it.
                prev[stack.len()] = Some((BlockKind::Other, range));
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                last_text = None;
                crate::markdown::collect_html_ids(&h, &mut out.ids);
            }
            _ => last_text = None,
        }
    }
    out.blocks.sort_by_key(|b| (b.range.start, b.marker.start));
    out.headings = assign_ids(heads, body);
    out
}

fn push_heading_text(heads: &mut [(u8, Option<String>, String, Range<usize>)], t: &str) {
    if let Some(h) = heads.last_mut() {
        h.2.push_str(t);
    }
}

/// The element kind of a block-level tag; `None` for inline tags.
pub(crate) fn block_kind(tag: &Tag<'_>) -> Option<BlockKind> {
    Some(match tag {
        Tag::Paragraph => BlockKind::Paragraph,
        Tag::Item => BlockKind::Item,
        Tag::List(_) => BlockKind::List,
        Tag::BlockQuote(_) => BlockKind::Quote,
        Tag::Table(_) => BlockKind::Table,
        Tag::Heading { .. }
        | Tag::CodeBlock(_)
        | Tag::HtmlBlock
        | Tag::FootnoteDefinition(_)
        | Tag::TableHead
        | Tag::TableRow
        | Tag::TableCell
        | Tag::MetadataBlock(_)
        | Tag::DefinitionList
        | Tag::DefinitionListTitle
        | Tag::DefinitionListDefinition => BlockKind::Other,
        _ => return None,
    })
}

/// The element kind a closing tag ends; `None` for inline tags.
pub(crate) fn end_kind(end: TagEnd) -> Option<BlockKind> {
    Some(match end {
        TagEnd::Paragraph => BlockKind::Paragraph,
        TagEnd::Item => BlockKind::Item,
        TagEnd::List(_) => BlockKind::List,
        TagEnd::BlockQuote(_) => BlockKind::Quote,
        TagEnd::Table => BlockKind::Table,
        TagEnd::Heading(_)
        | TagEnd::CodeBlock
        | TagEnd::HtmlBlock
        | TagEnd::FootnoteDefinition
        | TagEnd::TableHead
        | TagEnd::TableRow
        | TagEnd::TableCell
        | TagEnd::MetadataBlock(_)
        | TagEnd::DefinitionList
        | TagEnd::DefinitionListTitle
        | TagEnd::DefinitionListDefinition => BlockKind::Other,
        _ => return None,
    })
}

/// `(marker start, id)` if `text` ends in a block id: `^` and letters, digits or `-`, at the
/// start or after a space.
fn trailing_block_id(text: &str) -> Option<(usize, &str)> {
    let trimmed = text.trim_end();
    let id_start = trimmed
        .trim_end_matches(|c: char| c.is_ascii_alphanumeric() || c == '-')
        .len();
    let id = &trimmed[id_start..];
    if id.is_empty() || !trimmed[..id_start].ends_with('^') {
        return None;
    }
    let caret = id_start - 1;
    let before = &trimmed[..caret];
    // After a space, or on a line of its own under the text (`text\n^id`: Obsidian reads the
    // lazy line as the id of the block it continues).
    if !before.is_empty() && !before.ends_with(|c: char| c.is_ascii_whitespace()) {
        return None;
    }
    Some((
        before
            .trim_end_matches(|c: char| c.is_ascii_whitespace())
            .len(),
        id,
    ))
}

/// Records a block id at the end of a paragraph's or item's text (the text ends at `end`).
fn mark(body: &str, open: &mut Open, end: usize, blocks: &mut Vec<Block>) {
    let text = &body[open.range.start..end];
    let Some((marker, id)) = trailing_block_id(text) else {
        return;
    };
    if marker == 0 {
        return; // nothing but the marker: a line of its own, handled by `own_line_marker`
    }
    let marker = open.range.start + marker..end;
    let range_end = if body[end..open.range.end].trim().is_empty() {
        marker.start
    } else {
        open.range.end
    };
    blocks.push(Block {
        id: id.to_string(),
        anchor: format!("{BLOCK_PREFIX}{id}"),
        kind: open.tag,
        range: open.range.start..range_end,
        marker,
        own_line: false,
    });
}

/// A ` ^id` ending a quote's last paragraph (or a `^id` line right under a quote or callout,
/// which Markdown reads as part of it) names the whole quote, as in Obsidian, where a quote is
/// one block: the block becomes the quote, its marker staying where it is.
fn quote_takes_last_marker(body: &str, quote: &Range<usize>, blocks: &mut [Block]) {
    let Some(b) = blocks.last_mut() else {
        return;
    };
    let inside = quote.start <= b.range.start && b.marker.end <= quote.end;
    let at_end = body.get(b.marker.end..quote.end).is_some_and(|rest| {
        rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '>')
            .is_empty()
    });
    let named = matches!(b.kind, BlockKind::Paragraph | BlockKind::Quote) && !b.own_line;
    if named && inside && at_end {
        b.kind = BlockKind::Quote;
        b.range = quote.clone();
    }
}

/// A paragraph that is only `^id`, after another element at its level, gives that element the id.
fn own_line_marker(
    body: &str,
    para: &Range<usize>,
    before: &Option<(BlockKind, Range<usize>)>,
    out: &mut Outline,
) -> bool {
    let text = body[para.clone()].trim();
    let Some((0, id)) = trailing_block_id(text) else {
        return false;
    };
    let Some((kind, range)) = before else {
        return false;
    };
    out.blocks.push(Block {
        id: id.to_string(),
        anchor: format!("{BLOCK_PREFIX}{id}"),
        kind: *kind,
        range: range.clone(),
        marker: para.clone(),
        own_line: true,
    });
    true
}

/// Gives every heading its id: explicit ones (`{#id}`) are reserved first, wherever they are;
/// generated ones (GitHub style) take `-1`, `-2`… when taken. The renderer prints these ids.
fn assign_ids(heads: Vec<(u8, Option<String>, String, Range<usize>)>, body: &str) -> Vec<Heading> {
    let len = body.len();
    let mut used = TakenIds::default();
    for (_, id, ..) in &heads {
        if let Some(id) = id {
            used.take(id);
        }
    }
    let mut out: Vec<Heading> = Vec::with_capacity(heads.len());
    for (level, explicit, text, range) in heads {
        let source = body.get(range.clone()).map_or("", heading_source);
        let text = match text.trim() {
            t if t.len() == text.len() => text,
            t => t.to_string(),
        };
        let id = match explicit {
            Some(id) => id,
            None => unique_id(heading_id(&text), &mut used),
        };
        let key = heading_key(&text);
        let source_key = Some(heading_key(source)).filter(|k| *k != key && !k.is_empty());
        out.push(Heading {
            level,
            source_key,
            key,
            text,
            id,
            section: range.start..len,
            range,
        });
    }
    // A section ends where the next heading of the same or a higher level starts.
    let mut open: Vec<usize> = Vec::new();
    for i in 0..out.len() {
        while let Some(&j) = open.last() {
            if out[j].level >= out[i].level {
                out[j].section.end = out[i].range.start;
                open.pop();
            } else {
                break;
            }
        }
        open.push(i);
    }
    out
}

fn unique_id(base: String, used: &mut TakenIds) -> String {
    if used.take(&base) {
        return base;
    }
    (1..)
        .map(|i| format!("{base}-{i}"))
        .find(|c| used.take(c))
        .unwrap_or_default()
}

/// Heading ids taken so far in one note: a short list (most notes have a few headings, and
/// comparing a few strings is cheaper than hashing one), then a set.
#[derive(Default)]
struct TakenIds {
    few: Vec<String>,
    many: HashSet<String>,
}

impl TakenIds {
    const FEW: usize = 32;

    /// Takes `id` if it is free; false if it was taken already.
    fn take(&mut self, id: &str) -> bool {
        if self.few.iter().any(|t| t == id) || self.many.contains(id) {
            return false;
        }
        if self.few.len() < Self::FEW {
            self.few.push(id.to_string());
        } else {
            self.many.insert(id.to_string());
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (id, kind, the element's Markdown) of each block.
    fn blocks_of<'a>(body: &'a str, o: &'a Outline) -> Vec<(&'a str, BlockKind, &'a str)> {
        o.blocks
            .iter()
            .map(|b| (b.id.as_str(), b.kind, &body[b.range.clone()]))
            .collect()
    }

    fn ids(o: &Outline) -> Vec<&str> {
        o.headings.iter().map(|h| h.id.as_str()).collect()
    }

    #[test]
    fn headings_get_the_renderers_ids_and_sections() {
        let body = "# A\ntext\n## Why it matters\n## Why it matters\n### Deep {#custom}\n# B\n";
        let o = outline(body);
        assert_eq!(
            ids(&o),
            ["a", "why-it-matters", "why-it-matters-1", "custom", "b"]
        );
        assert_eq!(o.headings[3].text, "Deep");
        let a = &o.headings[0];
        assert_eq!(&body[a.range.clone()], "# A\n");
        assert_eq!(a.section, 0..body.find("# B").unwrap());
        let second = &o.headings[2];
        assert_eq!(
            &body[second.section.clone()],
            "## Why it matters\n### Deep {#custom}\n"
        );
        assert_eq!(o.headings[4].section.end, body.len());
    }

    #[test]
    fn explicit_ids_are_reserved_first() {
        let o = outline("## A\n\n## B { #a .wide }\n");
        assert_eq!(ids(&o), ["a-1", "a"]);
    }

    #[test]
    fn headings_match_by_text_ignoring_punctuation_and_spacing() {
        let o = outline(
            "## Why it's \"his turn\"\n## Part\n### Detail\n## Other\n### Detail\n## T {#tee}\n",
        );
        assert_eq!(
            o.heading("why its his  turn").unwrap().id,
            "why-its-his-turn"
        );
        assert_eq!(
            o.heading("WHY IT'S HIS TURN").unwrap().id,
            "why-its-his-turn"
        );
        assert_eq!(o.heading("Other#Detail").unwrap().id, "detail-1");
        assert_eq!(o.heading("Part#Detail").unwrap().id, "detail");
        assert_eq!(o.heading("Detail").unwrap().id, "detail");
        assert_eq!(o.heading("t").unwrap().id, "tee");
        assert_eq!(o.heading("tee").unwrap().id, "tee");
        assert_eq!(o.heading("detail-1").unwrap().id, "detail-1");
        assert!(o.heading("nothing").is_none());
        assert!(o.heading("").is_none());
    }

    #[test]
    fn block_ids_on_paragraphs_and_items() {
        let body = "First para ^p1\n\n- one ^i1\n- two\n  - nested ^i2\n- three ^i3\n  - child\n\nno id^x\n";
        let o = outline(body);
        assert!(outline("é ^\n\nà\n").blocks.is_empty());
        assert_eq!(
            blocks_of(body, &o),
            [
                ("p1", BlockKind::Paragraph, "First para"),
                ("i1", BlockKind::Item, "- one"),
                ("i2", BlockKind::Item, "- nested"),
                ("i3", BlockKind::Item, "- three ^i3\n  - child\n\n"),
            ]
        );
        assert_eq!(&body[o.blocks[0].marker.clone()], " ^p1");
        assert_eq!(o.block("^P1").unwrap().anchor, "block-p1");
        assert!(o.block("x").is_none());
    }

    #[test]
    fn a_marker_line_names_the_element_before_it() {
        let body = "- a\n- b\n\n^list\n\n> quote\n\n^q\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n^t\n\n^orphan-first\n";
        let o = outline(body);
        let got: Vec<(&str, BlockKind, bool)> = o
            .blocks
            .iter()
            .map(|b| (b.id.as_str(), b.kind, b.own_line))
            .collect();
        assert_eq!(
            got,
            [
                ("list", BlockKind::List, true),
                ("q", BlockKind::Quote, true),
                ("t", BlockKind::Table, true),
                ("orphan-first", BlockKind::Table, true),
            ]
        );
        assert_eq!(&body[o.blocks[0].range.clone()], "- a\n- b\n\n");
        assert_eq!(&body[o.blocks[0].marker.clone()], "^list\n");
        // At the very start there is nothing to name.
        assert!(outline("^alone\n").blocks.is_empty());
    }

    #[test]
    fn real_world_marker_forms() {
        let body = "Text\n^lazy\n\n> [!info]\n> Body\n^callout\n\n> quote ^q\n\n## Head\n\n^h\n\n---\n\n^rule\n";
        let o = outline(body);
        assert_eq!(
            blocks_of(body, &o),
            [
                ("lazy", BlockKind::Paragraph, "Text"),
                ("callout", BlockKind::Quote, "> [!info]\n> Body\n^callout\n"),
                ("q", BlockKind::Quote, "> quote ^q\n"),
                ("h", BlockKind::Other, "## Head\n"),
                ("rule", BlockKind::Other, "---\n"),
            ]
        );
        assert_eq!(&body[o.blocks[0].marker.clone()], "\n^lazy");
        // Not after a word, nor with text after it.
        assert!(outline("a^x\n\nb\n^y\nc\n").blocks.is_empty());
    }

    #[test]
    fn headings_match_by_their_source_too() {
        let o = outline("## [[Page|label]] and $\\Delta$ {#d}\n## Plain\n");
        assert_eq!(o.heading("Page label and $ Delta$").unwrap().id, "d");
        assert_eq!(o.heading("label and").unwrap().id, "d");
        assert_eq!(o.headings[1].source_key, None);
    }

    #[test]
    fn footnotes_and_raw_html_ids() {
        let o = outline("a[^n]\n\n[^n]: note\n\n<span id=\"here\"></span>\n");
        assert_eq!(o.ids, ["n", "here"]);
    }

    #[test]
    fn code_and_wiki_images_in_headings() {
        let o = outline("## The `x` value ![[map.png]]\n");
        assert_eq!(o.headings[0].text, "The x value");
        assert_eq!(o.headings[0].id, "the-x-value");
    }

    proptest::proptest! {
        /// Any text: no panic, markers inside the body, and the renderer prints the outline's ids.
        #[test]
        fn outline_is_safe_and_agrees_with_the_renderer(t in "([-#> |^*\n`{}a-c0-9é]|\\[\\[|\\]\\]){0,80}") {
            let o = outline(&t);
            for b in &o.blocks {
                proptest::prop_assert!(b.range.end <= t.len() && b.marker.end <= t.len());
                proptest::prop_assert!(t.is_char_boundary(b.range.end));
            }
            struct Nothing;
            impl crate::markdown::Resolver for Nothing {
                fn resolve(&self, _: crate::markdown::LinkSyntax, _: &str) -> Result<Option<crate::markdown::Resolved>, crate::markdown::LinkProblem> {
                    Ok(None)
                }
            }
            let r = crate::markdown::render(&t, &Nothing, 0);
            let heading_ids: Vec<&str> = o.headings.iter().map(|h| h.id.as_str()).collect();
            let rendered: Vec<&str> = r.ids.iter().map(String::as_str).filter(|i| heading_ids.contains(i)).collect();
            proptest::prop_assert_eq!(rendered, heading_ids);
        }

        /// Any text with block ids, callouts and math: every block id is written once, on the
        /// page, and wrappers balance.
        #[test]
        fn every_block_anchor_is_written_once(t in "(\\^a|\\^b|\\^A| \\^a| \\^b|> |\\[!note\\]|\\$\\$|- |## |---|\\| x |\\n|\\n\\n|w|```){0,40}") {
            struct Nothing;
            impl crate::markdown::Resolver for Nothing {
                fn resolve(&self, _: crate::markdown::LinkSyntax, _: &str) -> Result<Option<crate::markdown::Resolved>, crate::markdown::LinkProblem> {
                    Ok(None)
                }
            }
            let o = outline(&t);
            let r = crate::markdown::render(&t, &Nothing, 0);
            let mut firsts: Vec<&str> = Vec::new();
            for b in &o.blocks {
                if !firsts.iter().any(|f| f.eq_ignore_ascii_case(&b.anchor)) {
                    firsts.push(&b.anchor);
                }
            }
            for a in firsts {
                let n = r.ids.iter().filter(|i| *i == a).count();
                proptest::prop_assert_eq!(n, 1, "{} in {:?}: {}", a, r.ids, r.html);
                let attr = format!("id=\"{a}\"");
                proptest::prop_assert_eq!(r.html.matches(&attr).count(), 1, "{}", r.html);
            }
            proptest::prop_assert_eq!(r.html.matches("<div").count(), r.html.matches("</div>").count(), "{}", r.html);
        }
    }
}
