//! Markdown to HTML, pure: text and a link resolver in; HTML, table of contents, ids and links found out.
//! No I/O and no templates, so it can be tested and fuzzed on its own.

use crate::content::NoteId;
use crate::escape::push_html;
use crate::images::ImageFacts;
use crate::outline::{Block, BlockKind, Outline, outline};
use pulldown_cmark::{CodeBlockKind, CowStr, Event, LinkType, Options, Tag, TagEnd};
use pulldown_cmark_escape::escape_href;
use serde::Serialize;
use std::ops::Range;

/// The Markdown extensions every note is parsed with.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_WIKILINKS
        | Options::ENABLE_MATH
}

/// How a link was written, so the resolver can apply the right rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkSyntax {
    /// `[text](path.md#frag)`
    Markdown,
    /// `[[name#Heading|label]]`
    Wiki,
    /// `![alt](file.png)`
    Image,
    /// `![[file.png]]`
    WikiImage,
}

/// Where an internal link points, as the resolver decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// The URL to write, relative to the page being rendered (fragment included).
    pub href: String,
    /// The note it points to, if it is a note (not an asset).
    pub note: Option<NoteId>,
    /// The fragment to check on the target note, if any.
    pub fragment: Option<String>,
    /// The target's title, shown as the text of a wikilink without a label (wikilinks only).
    pub title: Option<String>,
    /// What is known of the local image an image link (`![alt](pic.png)`) shows: its size and
    /// smaller copies. `None` for anything else, and the `<img>` is written as it was.
    pub image: Option<ImageFacts>,
}

/// Why a link could not be resolved.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkProblem {
    /// What is wrong.
    pub message: String,
    /// A suggestion (closest existing note).
    pub help: Option<String>,
    /// Set when the target is not written yet (rather than a link that can never work): the
    /// site's `links.missing` policy decides whether that fails the build, and the link is
    /// rendered as an unresolved `<span>`, never as a dead link.
    pub missing: Option<Missing>,
    /// Never fails the build (an embed cut off at the page's bounds).
    pub warning: bool,
}

/// What a link names that does not exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// A note; the name to suggest a close one for (`help` may be left to the caller).
    Note(String),
    /// A file (image, PDF…); the file name to suggest a close one for.
    File(String),
    /// A `#heading` or `#^block` of an existing note.
    Fragment,
}

/// What a wikilink embed (`![[…]]`) shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Embed {
    /// A file: image, audio, video, PDF or anything else.
    File {
        /// Its URL relative to the page.
        href: String,
        /// Its path (or name), whose extension says how it is shown.
        file: String,
        /// A `#hook` written after the file name: a styling class.
        hook: Option<String>,
        /// What is known of it, if it is a local image.
        image: Option<ImageFacts>,
    },
    /// A note, or a section or block of one, already rendered for the page.
    Note {
        /// The HTML, in its container.
        html: String,
        /// Every note it shows, nested embeds included.
        notes: Vec<NoteId>,
        /// Cycles and cut-offs found in nested embeds.
        problems: Vec<LinkProblem>,
    },
}

/// Resolves link destinations for one page. `Ok(None)` means "external: leave it alone".
pub trait Resolver {
    /// Resolves `dest` as written in the note.
    fn resolve(&self, syntax: LinkSyntax, dest: &str) -> Result<Option<Resolved>, LinkProblem>;

    /// Where an inline `#tag` (its slug) links from this page; `None` shows it without a link.
    fn tag_href(&self, _slug: &str) -> Option<String> {
        None
    }

    /// What highlights this page's fenced code; `None` leaves every code block plain.
    fn highlighter(&self) -> Option<&crate::code::Highlighter> {
        None
    }

    /// What `![[dest]]` shows. By default a file, resolved as an image is.
    fn embed(&self, dest: &str) -> Result<Embed, LinkProblem> {
        let (href, image) = match self.resolve(LinkSyntax::WikiImage, dest)? {
            Some(r) => (r.href, r.image),
            None => (dest.to_string(), None),
        };
        Ok(Embed::File {
            file: dest.to_string(),
            href,
            hook: None,
            image,
        })
    }
}

/// An internal link found in the body, for backlinks and fragment checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundLink {
    /// The target note.
    pub note: NoteId,
    /// The fragment to check, if any.
    pub fragment: Option<String>,
    /// Byte range of the link in the Markdown.
    pub span: Range<usize>,
}

/// One entry of a page's table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TocEntry {
    /// Heading level, 1–6.
    pub level: u8,
    /// The heading's id (link with `#id`).
    pub id: String,
    /// The heading's text.
    pub title: String,
    /// Subheadings.
    pub children: Vec<TocEntry>,
}

/// The result of rendering one note's Markdown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    /// The HTML.
    pub html: String,
    /// Nested table of contents.
    pub toc: Vec<TocEntry>,
    /// Every id a fragment may point at: headings, footnotes, ids in raw HTML.
    pub ids: Vec<String>,
    /// Internal links to notes, in order of appearance.
    pub links: Vec<FoundLink>,
    /// Links that could not be resolved, with their byte ranges.
    pub problems: Vec<(Range<usize>, LinkProblem)>,
    /// Byte ranges of images without alt text.
    pub images_without_alt: Vec<Range<usize>>,
    /// The local images this note shows (paths from `content/`, each once), transcluded ones
    /// excepted (an edit of any of them changes this note's page).
    pub images: Vec<String>,
    /// Images that could not be read: where they are shown and why.
    pub image_problems: Vec<(Range<usize>, String)>,
    /// Notes this one shows through `![[…]]` embeds, nested ones included (an edit of any of
    /// them changes this note's page).
    pub embeds: Vec<NoteId>,
    /// Cycles and cut-offs found in this note's embeds, to report where the outermost embed is.
    pub embed_problems: Vec<LinkProblem>,
    /// Words of text (for reading time).
    pub words: usize,
    /// The text of the note (headings and body), for the search index, at most the limit `render` was given;
    /// each block (heading, paragraph, list item, cell, quote, code block) ends with a line break.
    pub text: String,
    /// Inline `#tags` (without `#`), first spelling of each.
    pub tags: Vec<String>,
    /// Formulas that could not be rendered: byte range and why.
    pub math_errors: Vec<(Range<usize>, String)>,
    /// Diagrams (```` ```graph ```` blocks) that could not be drawn: where (in the body) and why.
    pub diagram_errors: Vec<crate::diagram::Error>,
}

/// The most plain text `Rendered::text` ever keeps, whatever limit the caller asks for.
pub const TEXT_LIMIT: usize = 100_000;

/// Renders `markdown`, resolving every link through `resolver`; keeps at most `text_limit`
/// bytes of plain text (capped at `TEXT_LIMIT`). Makes the note's outline first; the pipeline,
/// which has every outline already, calls `render_with`.
pub fn render(markdown: &str, resolver: &dyn Resolver, text_limit: usize) -> Rendered {
    render_with(markdown, &outline(markdown), resolver, text_limit)
}

/// Renders `markdown` whose outline is `outline` (heading ids and block ids come from it).
///
/// One pass: parser events flow through link rewriting and heading numbering straight into the
/// HTML writer, so no note's events are ever held in memory at once.
pub fn render_with(
    markdown: &str,
    outline: &Outline,
    resolver: &dyn Resolver,
    text_limit: usize,
) -> Rendered {
    render_in(markdown, outline, resolver, text_limit, false)
}

/// Renders text transcluded into another page: headings and blocks get no ids (the page has
/// its own), nothing joins the page's toc or search text.
pub fn render_embedded(markdown: &str, resolver: &dyn Resolver) -> Rendered {
    render_in(markdown, &outline(markdown), resolver, 0, true)
}

fn render_in(
    markdown: &str,
    outline: &Outline,
    resolver: &dyn Resolver,
    text_limit: usize,
    embedded: bool,
) -> Rendered {
    let mut stream = Stream {
        embedded,
        in_paragraph: false,
        held_paragraph: false,
        block_embed: None,
        parser: crate::obsidian::Dialect::new(markdown, options(), resolver),
        resolver,
        highlighter: resolver.highlighter(),
        outline,
        marks: BlockMarks::new(outline),
        headings_seen: 0,
        out: Rendered::default(),
        text_limit: text_limit.min(TEXT_LIMIT),
        text_full: false,
        flat: Vec::new(),
        heading_events: Vec::new(),
        ready: std::collections::VecDeque::new(),
        rewritten: std::collections::VecDeque::new(),
        open_raw_link: None,
        unresolved_image: false,
        skipping: false,
        images_shown: 0,
    };
    let mut html = String::with_capacity(markdown.len() * 2 + 256);
    pulldown_cmark::html::push_html(&mut html, stream.by_ref());
    let mut out = stream.out;
    out.tags = stream.parser.tags;
    out.math_errors = stream.parser.math_errors;
    out.toc = nest_toc(stream.flat);
    // The buffer is larger than the HTML: the pipeline copies it once, at its exact size, into
    // the template value every page of the note prints, and drops this.
    out.html = html;
    out
}

/// The event stream between the parser and the HTML writer: rewrites links, numbers headings and
/// gathers what `Rendered` reports on the way.
struct Stream<'a, 'r> {
    /// The parser's events with Obsidian's syntax (callouts, highlights, tags, math) done.
    parser: crate::obsidian::Dialect<'a, 'r>,
    resolver: &'r dyn Resolver,
    /// Highlights fenced code in a language it knows (`None`: all code stays plain).
    highlighter: Option<&'r crate::code::Highlighter>,
    /// The note's outline: heading ids and block ids.
    outline: &'r Outline,
    /// The outline's block ids by where their markers and elements end.
    marks: BlockMarks,
    /// Headings rendered so far (the index of the next one in `outline.headings`).
    headings_seen: usize,
    out: Rendered,
    text_limit: usize,
    /// Set once a piece of text did not fit, so no later, shorter piece slips in after the cut.
    text_full: bool,
    /// Headings as (level, id, text), nested into the toc at the end.
    flat: Vec<(u8, String, String)>,
    /// A heading's events while it is numbered (kept to reuse its memory).
    heading_events: Vec<Event<'a>>,
    /// Events ready for the writer (a heading comes out as several).
    ready: std::collections::VecDeque<Event<'a>>,
    /// Link-rewritten events not yet taken (a wikilink becomes two).
    rewritten: std::collections::VecDeque<Event<'a>>,
    /// The closing tag of a link we opened as raw HTML (`</a>`, or `</span>` for an unresolved
    /// link), so its end tag is raw HTML too.
    open_raw_link: Option<&'static str>,
    /// Set while inside an image whose file is missing, shown as an unresolved `<span>`.
    unresolved_image: bool,
    /// Set while skipping the text of a wikilink whose text is replaced by the target's title.
    skipping: bool,
    /// Rendering text transcluded into another page: no ids.
    embedded: bool,
    /// Inside a paragraph the writer has opened.
    in_paragraph: bool,
    /// A paragraph's opening held back because an embed starts it (a transcluded note replaces it).
    held_paragraph: bool,
    /// A transcluded note's HTML, a block to place outside any paragraph.
    block_embed: Option<String>,
    /// Images written so far: the first of a page is likely on its first screen, so it is
    /// the one not loaded lazily.
    images_shown: usize,
}

/// An event out of link rewriting: passed on from the parser (or the text standing in for a
/// wikilink's label), or a link tag written here.
enum Rewritten<'a> {
    Passed(Event<'a>),
    Written(Event<'a>),
}

impl<'a> Iterator for Stream<'a, '_> {
    type Item = Event<'a>;

    /// The next event, with paragraphs kept outside transcluded notes (a `<div>` may not
    /// stand inside a `<p>`).
    fn next(&mut self) -> Option<Event<'a>> {
        loop {
            let Some(e) = self.next_event() else {
                // The note ends inside the elements of block ids: their wrappers close.
                return self.marks.close_all().map(|h| Event::Html(h.into()));
            };
            if let Some(html) = self.block_embed.take() {
                return Some(self.place_block(html));
            }
            if std::mem::take(&mut self.held_paragraph) {
                // The embed that starts the paragraph was not a note: open it after all.
                self.ready.push_front(e);
                self.in_paragraph = true;
                return Some(Event::Start(Tag::Paragraph));
            }
            match &e {
                Event::Start(Tag::Paragraph) if self.embed_next() => {
                    self.held_paragraph = true;
                    continue;
                }
                Event::Start(Tag::Paragraph) => self.in_paragraph = true,
                Event::End(TagEnd::Paragraph) => self.in_paragraph = false,
                Event::Html(h) if h.starts_with("<p") => self.in_paragraph = true,
                _ => {}
            }
            return Some(e);
        }
    }
}

impl<'a> Stream<'a, '_> {
    /// True if the parser's next event opens a wikilink embed.
    fn embed_next(&mut self) -> bool {
        self.ready.is_empty()
            && self.rewritten.is_empty()
            && matches!(
                self.parser.peek(),
                Some((
                    Event::Start(Tag::Image {
                        link_type: LinkType::WikiLink { .. },
                        ..
                    }),
                    _
                ))
            )
    }

    /// A transcluded note's HTML, closing the paragraph it stands in and opening it again
    /// after it (unless the paragraph ends there).
    fn place_block(&mut self, html: String) -> Event<'a> {
        let held = std::mem::take(&mut self.held_paragraph);
        let in_paragraph = held || self.in_paragraph;
        let mut out = String::with_capacity(html.len() + 16);
        if self.in_paragraph && !held {
            out.push_str("</p>\n");
        }
        out.push_str(&html);
        if in_paragraph {
            let ends = self.ready.is_empty()
                && self.rewritten.is_empty()
                && matches!(self.parser.peek(), Some((Event::End(TagEnd::Paragraph), _)));
            if ends {
                self.parser.next();
                self.in_paragraph = false;
            } else {
                out.push_str("<p>");
                self.in_paragraph = true;
            }
        }
        Event::Html(out.into())
    }

    fn next_event(&mut self) -> Option<Event<'a>> {
        if let Some(e) = self.ready.pop_front() {
            return Some(e);
        }
        let rewritten = if self.rewritten.is_empty() && !self.skipping {
            // Most events are text and tags with no link in them: they are accounted for and
            // passed on here, without going through link rewriting.
            loop {
                match self.parser.next()? {
                    (
                        event @ (Event::Start(Tag::Link { .. } | Tag::Image { .. })
                        | Event::End(TagEnd::Link | TagEnd::Image)),
                        span,
                    ) => break self.rewrite(event, span)?,
                    (Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))), span)
                        if crate::diagram::is_diagram(&info) || self.highlights(&info) =>
                    {
                        let block = if crate::diagram::is_diagram(&info) {
                            self.diagram(&span)
                        } else {
                            self.code(&info)
                        };
                        if self.outline.blocks.is_empty() {
                            return Some(block);
                        }
                        if let Some(e) = self.with_blocks(block, span) {
                            return Some(e);
                        }
                    }
                    (event, _) if self.outline.blocks.is_empty() => {
                        return Some(self.account(event));
                    }
                    (event, span) => {
                        if let Some(e) = self.with_blocks(event, span) {
                            return Some(e);
                        }
                    }
                }
            }
        } else {
            self.next_rewritten()?
        };
        match rewritten {
            // A link tag this stream wrote: no ids, no text, nothing to account for.
            Rewritten::Written(event) => Some(event),
            Rewritten::Passed(event) => Some(self.account(event)),
        }
    }
}

impl<'a> Stream<'a, '_> {
    /// Passes on an event of a note with block ids: the element a block id names gets its
    /// `id` (a paragraph or item through its opening tag, a quote or any element before a
    /// `^id` line through a `<div>` around it), and the marker leaves the text. `None`: nothing
    /// to pass on.
    ///
    /// A wrapper `<div>` opens before the first event spanning exactly its element and closes
    /// before the first event outside it, so it does not depend on which events the element
    /// is made of (a callout is raw HTML by now). An anchor whose element never showed (its
    /// events were rewritten) is written where its marker was, so a link to it always lands.
    fn with_blocks(&mut self, event: Event<'a>, span: Range<usize>) -> Option<Event<'a>> {
        let blocks = &self.outline.blocks;
        let mut before = String::new();
        self.marks.close_outside(blocks, &span, &mut before);
        if matches!(event, Event::Start(Tag::Paragraph)) && self.marks.line_at(blocks, &span) {
            // A `^id` line: its paragraph is not shown.
            while self
                .parser
                .next_if(|(e, _)| !matches!(e, Event::End(TagEnd::Paragraph)))
                .is_some()
            {}
            self.parser.next();
            for i in self.marks.lines_at(&span) {
                if self.marks.take(i) {
                    // Its element never showed: an empty anchor after it.
                    self.anchor_tag(
                        "<div",
                        i,
                        "></div>
",
                        &mut before,
                    );
                }
            }
            return self.emit_before(before, None);
        }
        while let Some(i) = self.marks.wrapper_at(blocks, &span) {
            let wanted = self.marks.take(i);
            if wanted {
                self.anchor_tag(
                    "<div",
                    i,
                    ">
",
                    &mut before,
                );
            } else {
                before.push_str(
                    "<div>
",
                );
            }
        }
        let e = match &event {
            Event::Start(tag) => {
                let first = blocks.partition_point(|b| b.range.start < span.start);
                let found = crate::outline::block_kind(tag).and_then(|kind| {
                    (first..blocks.len())
                        .take_while(|&i| blocks[i].range.start == span.start)
                        .find(|&i| blocks[i].kind == kind && !BlockMarks::wrapped(&blocks[i]))
                });
                match found {
                    Some(i) if self.marks.take(i) => {
                        let mut open = String::with_capacity(blocks[i].anchor.len() + 16);
                        let tag = if blocks[i].kind == BlockKind::Item {
                            "<li"
                        } else {
                            "<p"
                        };
                        self.anchor_tag(tag, i, ">", &mut open);
                        Some(Event::Html(open.into()))
                    }
                    _ => Some(self.account(event)),
                }
            }
            Event::Text(t) => {
                let Some(i) = self.marks.marker_ending(span.end) else {
                    let e = self.account(event);
                    return self.emit_before(before, Some(e));
                };
                let id = blocks[i].id.as_str();
                let kept = t
                    .trim_end()
                    .strip_suffix(id)
                    .and_then(|r| r.strip_suffix('^'))
                    .map(str::trim_end);
                let found = kept.is_some();
                let e = match kept {
                    Some("") => None,
                    Some(k) => {
                        let k = k.to_string();
                        Some(self.account(Event::Text(k.into())))
                    }
                    None => Some(self.account(event)),
                };
                if found && self.marks.take(i) {
                    // Its element's opening tag never showed: the anchor stands for the marker.
                    let mut tail = String::new();
                    self.anchor_tag("<span", i, "></span>", &mut tail);
                    if let Some(e) = e {
                        self.ready.push_front(Event::InlineHtml(tail.into()));
                        return self.emit_before(before, Some(e));
                    }
                    return self.emit_before(before, Some(Event::InlineHtml(tail.into())));
                }
                e
            }
            Event::SoftBreak | Event::HardBreak if self.marker_line_next() => None,
            _ => Some(self.account(event)),
        };
        self.emit_before(before, e)
    }

    /// True if the next event is a text that is only a block's marker (a `^id` line under
    /// the text it names), so the line break before it goes too.
    fn marker_line_next(&mut self) -> bool {
        let marks = &self.marks;
        matches!(
            self.parser.peek(),
            Some((Event::Text(t), s))
                if t.trim_start().starts_with('^') && marks.marker_ending(s.end).is_some()
        )
    }

    /// `before` (wrappers closed and opened) ahead of `e`.
    fn emit_before(&mut self, before: String, e: Option<Event<'a>>) -> Option<Event<'a>> {
        if before.is_empty() {
            return e;
        }
        if let Some(e) = e {
            self.ready.push_front(e);
        }
        Some(Event::Html(before.into()))
    }

    /// Writes `tag` with block `i`'s id (none in text transcluded into another page, which
    /// leaves the ids to the note's own page), then `rest`.
    fn anchor_tag(&mut self, tag: &str, i: usize, rest: &str, out: &mut String) {
        out.push_str(tag);
        if !self.embedded {
            let anchor = &self.outline.blocks[i].anchor;
            out.push_str(" id=\"");
            push_html(&mut *out, anchor);
            out.push('"');
            self.out.ids.push(anchor.clone());
        }
        out.push_str(rest);
    }

    fn push_text(&mut self, t: &str) {
        if self.text_full {
            return;
        }
        let room = self.text_limit.saturating_sub(self.out.text.len());
        let end = crate::diagnostics::floor_char_boundary(t, room);
        self.out.text.push_str(&t[..end]);
        if end < t.len() {
            self.text_full = true;
        }
    }

    /// The next event with links rewritten.
    fn next_rewritten(&mut self) -> Option<Rewritten<'a>> {
        loop {
            if let Some(e) = self.rewritten.pop_front() {
                return Some(Rewritten::Passed(e));
            }
            let (event, span) = self.parser.next()?;
            if let Some(r) = self.rewrite(event, span) {
                return Some(r);
            }
        }
    }

    /// One parser event with links rewritten; `None` while a wikilink's text is skipped.
    fn rewrite(&mut self, event: Event<'a>, span: Range<usize>) -> Option<Rewritten<'a>> {
        use Rewritten::{Passed, Written};
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            }) => Some(self.open_link(link_type, &dest_url, &title, span)),
            Event::End(TagEnd::Link) => {
                self.skipping = false;
                if let Some(close) = self.open_raw_link.take() {
                    return Some(Written(Event::InlineHtml(close.into())));
                }
                Some(Passed(Event::End(TagEnd::Link)))
            }
            Event::End(TagEnd::Image) if self.unresolved_image => {
                self.unresolved_image = false;
                Some(Written(Event::InlineHtml("</span>".into())))
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => Some(Passed(self.image(link_type, dest_url, title, id, span))),
            _ if self.skipping => None,
            other => Some(Passed(other)),
        }
    }

    fn open_link(
        &mut self,
        link_type: LinkType,
        dest_url: &str,
        title: &str,
        span: Range<usize>,
    ) -> Rewritten<'a> {
        let syntax = if matches!(link_type, LinkType::WikiLink { .. }) {
            LinkSyntax::Wiki
        } else {
            LinkSyntax::Markdown
        };
        let autolink = matches!(link_type, LinkType::Autolink | LinkType::Email);
        let resolved = if autolink {
            Ok(None)
        } else {
            self.resolver.resolve(syntax, dest_url)
        };
        self.open_raw_link = Some("</a>");
        let (href, external) = match resolved {
            Ok(Some(r)) => {
                if let Some(n) = r.note {
                    self.out.links.push(FoundLink {
                        note: n,
                        fragment: r.fragment,
                        span: span.clone(),
                    });
                }
                if matches!(link_type, LinkType::WikiLink { has_pothole: false })
                    && let Some(t) = r.title
                {
                    self.rewritten.push_back(Event::Text(t.into()));
                    self.skipping = true;
                    return Rewritten::Written(Event::InlineHtml(
                        open_tag(&r.href, title, false).into(),
                    ));
                }
                (r.href, false)
            }
            Ok(None) => {
                if let Some(p) = refused_link(dest_url) {
                    self.out.problems.push((span, p));
                    (String::from("#"), false)
                } else if link_type == LinkType::Email
                    && !dest_url.trim().to_ascii_lowercase().starts_with("mailto:")
                {
                    // `<someone@example.org>`: the parser gives the address without its scheme.
                    (format!("mailto:{}", dest_url.trim()), true)
                } else {
                    (dest_url.to_string(), is_external(dest_url))
                }
            }
            Err(p) if p.missing.is_some() => {
                // Not written yet: shown as Obsidian shows it, never as a dead link.
                let open = unresolved_tag(&p.message);
                self.out.problems.push((span, p));
                self.open_raw_link = Some("</span>");
                return Rewritten::Written(Event::InlineHtml(open.into()));
            }
            Err(p) => {
                self.out.problems.push((span, p));
                (dest_url.to_string(), false)
            }
        };
        Rewritten::Written(Event::InlineHtml(open_tag(&href, title, external).into()))
    }

    fn image(
        &mut self,
        link_type: LinkType,
        dest_url: CowStr<'a>,
        title: CowStr<'a>,
        id: CowStr<'a>,
        span: Range<usize>,
    ) -> Event<'a> {
        if let LinkType::WikiLink { has_pothole } = link_type {
            return self.embed(&dest_url, has_pothole, span);
        }
        let syntax = LinkSyntax::Image;
        if matches!(self.parser.peek(), Some((Event::End(TagEnd::Image), _))) {
            self.out.images_without_alt.push(span.clone());
        }
        let resolved = self.resolver.resolve(syntax, &dest_url);
        // An image whose file is missing is shown as text, not counted as an image.
        let lazy = matches!(&resolved, Err(p) if p.missing.is_some()) || self.next_image_lazy();
        let dest = match resolved {
            Ok(Some(Resolved {
                href,
                image: Some(facts),
                ..
            })) => return self.local_image(&href, &title, &facts, lazy, span),
            Ok(Some(r)) => CowStr::from(r.href),
            Ok(None) if is_script_url(&dest_url) => {
                self.out.problems.push((
                    span,
                    LinkProblem {
                        message: "a script URL is not allowed as an image source".into(),
                        help: Some("use an image file from content/ or an https:// address".into()),
                        ..LinkProblem::default()
                    },
                ));
                CowStr::from("#")
            }
            Ok(None) => dest_url,
            Err(p) if p.missing.is_some() => {
                // A missing file: its description (or name) in an unresolved `<span>`.
                let open = unresolved_tag(&p.message);
                self.out.problems.push((span, p));
                self.unresolved_image = true;
                return Event::InlineHtml(open.into());
            }
            Err(p) => {
                self.out.problems.push((span, p));
                dest_url
            }
        };
        Event::Start(Tag::Image {
            link_type,
            dest_url: dest,
            title,
            id,
        })
    }

    /// A wikilink embed, `![[dest|label]]`, as the file or note it shows. Its label is read
    /// here (alternative text and size), not written as text.
    fn embed(&mut self, dest: &str, has_label: bool, span: Range<usize>) -> Event<'a> {
        let mut label = String::new();
        for (e, _) in self.parser.by_ref() {
            match e {
                Event::End(TagEnd::Image) => break,
                Event::Text(t) | Event::Code(t) if has_label => label.push_str(&t),
                _ => {}
            }
        }
        match self.resolver.embed(dest) {
            Ok(Embed::File {
                href,
                file,
                hook,
                image,
            }) => {
                let kind = crate::embeds::media_kind(&file);
                let label = crate::embeds::parse_label(&label);
                let shown = match (&image, kind) {
                    (Some(facts), crate::embeds::MediaKind::Image) => {
                        self.note_image(facts, &span);
                        Some((facts, self.next_image_lazy()))
                    }
                    (_, crate::embeds::MediaKind::Image) => {
                        self.next_image_lazy();
                        None
                    }
                    _ => None,
                };
                Event::InlineHtml(
                    crate::embeds::media_html(kind, &href, &file, &label, hook.as_deref(), shown)
                        .into(),
                )
            }
            Ok(Embed::Note {
                html,
                notes,
                problems,
            }) => {
                if let Some(&target) = notes.first() {
                    // The note shown counts as linked from here (backlinks, orphans).
                    self.out.links.push(FoundLink {
                        note: target,
                        fragment: None,
                        span: span.clone(),
                    });
                }
                for n in notes {
                    if !self.out.embeds.contains(&n) {
                        self.out.embeds.push(n);
                    }
                }
                for p in problems {
                    self.out.problems.push((span.clone(), p.clone()));
                    self.out.embed_problems.push(p);
                }
                // Placed outside any paragraph by `next`.
                self.block_embed = Some(html);
                Event::InlineHtml(CowStr::Borrowed(""))
            }
            Err(p) => {
                let alt = crate::embeds::parse_label(&label).alt;
                let shown = alt
                    .as_deref()
                    .unwrap_or_else(|| dest.trim().trim_end_matches('\\'));
                let mut html = unresolved_tag(&p.message);
                push_html(&mut html, shown);
                html.push_str("</span>");
                if p.missing.is_none() {
                    self.out.embed_problems.push(p.clone());
                }
                self.out.problems.push((span, p));
                Event::InlineHtml(html.into())
            }
        }
    }

    /// Counts an image about to be written; true if it may load lazily: any but the first of a
    /// page, and any in text transcluded into another page.
    fn next_image_lazy(&mut self) -> bool {
        self.images_shown += 1;
        self.embedded || self.images_shown > 1
    }

    /// Remembers that this note shows a local image, and its problem if it has one.
    fn note_image(&mut self, facts: &ImageFacts, span: &Range<usize>) {
        if !self.embedded && !self.out.images.contains(&facts.file) {
            self.out.images.push(facts.file.clone());
        }
        if let Some(p) = &facts.problem {
            self.out.image_problems.push((span.clone(), p.clone()));
        }
    }

    /// A Markdown image of a local file (its start taken): the whole `<img>` with its size,
    /// smaller copies and loading hints, its description read to the image's end as the
    /// HTML writer reads it (text, code and formulas; formatting dropped).
    fn local_image(
        &mut self,
        href: &str,
        title: &str,
        facts: &ImageFacts,
        lazy: bool,
        span: Range<usize>,
    ) -> Event<'a> {
        self.note_image(facts, &span);
        let mut alt = String::new();
        let mut depth = 0usize;
        while let Some((e, _)) = self.parser.next() {
            match e {
                Event::Start(_) => depth += 1,
                Event::End(_) if depth == 0 => break,
                Event::End(_) => depth -= 1,
                Event::Text(t) => {
                    self.out.words += count_words(&t);
                    self.push_text(&t);
                    alt.push_str(&t);
                }
                Event::Code(t) | Event::InlineHtml(t) => alt.push_str(&t),
                Event::InlineMath(t) => {
                    alt.push('$');
                    alt.push_str(&t);
                    alt.push('$');
                }
                Event::DisplayMath(t) => {
                    alt.push_str("$$");
                    alt.push_str(&t);
                    alt.push_str("$$");
                }
                Event::SoftBreak | Event::HardBreak | Event::Rule => alt.push(' '),
                _ => {}
            }
        }
        let mut s = String::with_capacity(href.len() * 3 + alt.len() + 160);
        s.push_str("<img src=\"");
        escape_href(&mut s, href).ok();
        s.push_str("\" alt=\"");
        push_html(&mut s, &alt);
        s.push('"');
        if !title.is_empty() {
            s.push_str(" title=\"");
            push_html(&mut s, title);
            s.push('"');
        }
        crate::images::html::push_size(&mut s, facts, None, None);
        crate::images::html::push_loading(&mut s, lazy);
        s.push_str(" />");
        Event::InlineHtml(s.into())
    }

    /// A diagram block (its start taken, `span` its whole range) drawn as a figure: its text is
    /// read to the block's end, its nodes' links join the note's links and problems.
    fn diagram(&mut self, span: &Range<usize>) -> Event<'a> {
        let mut src = String::new();
        let mut map = crate::diagram::SourceMap::default();
        for (e, s) in self.parser.by_ref() {
            match e {
                Event::Text(t) => {
                    map.push(src.len(), &s, t.len() == s.len());
                    src.push_str(&t);
                }
                Event::End(TagEnd::CodeBlock) => break,
                _ => {}
            }
        }
        if src.is_empty() {
            // An empty block: its problem is the block itself.
            map.push(0, span, false);
        }
        let drawn = crate::diagram::draw(&src, &map, self.resolver);
        self.out.links.extend(drawn.links);
        self.out.problems.extend(drawn.problems);
        self.out.diagram_errors.extend(drawn.error);
        self.out.words += count_words(&drawn.text);
        self.push_text(&drawn.text);
        Event::Html(drawn.html.into())
    }

    /// True if a fenced block with this info string is highlighted: the highlighter knows its
    /// language.
    fn highlights(&self, info: &str) -> bool {
        self.highlighter.is_some_and(|h| h.language(info).is_some())
    }

    /// A fenced block in a language the highlighter knows (its start taken): its text is read
    /// to the block's end and written highlighted, or as the HTML writer writes any code block
    /// if it cannot be highlighted. Its words and text count as a plain block's do.
    fn code(&mut self, info: &str) -> Event<'a> {
        let mut code = String::new();
        for (e, _) in self.parser.by_ref() {
            match e {
                Event::Text(t) => code.push_str(&t),
                Event::End(TagEnd::CodeBlock) => break,
                _ => {}
            }
        }
        self.out.words += count_words(&code);
        self.push_text(&code);
        self.push_text(" ");
        let mut html = String::new();
        let language = self.highlighter.and_then(|h| h.language(info));
        if !language.is_some_and(|l| l.write_block(info, &code, &mut html)) {
            html.push_str("<pre><code class=\"language-");
            push_html(&mut html, crate::code::language_word(info));
            html.push_str("\">");
            crate::escape::push_html(&mut html, &code);
            html.push_str("</code></pre>\n");
        }
        Event::Html(html.into())
    }

    /// Counts words, gathers text and ids, and turns a heading into its numbered form.
    fn account(&mut self, event: Event<'a>) -> Event<'a> {
        match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => self.heading(level as u8, id, &classes, &attrs),
            Event::Text(ref t) => {
                self.out.words += count_words(t);
                self.push_text(t);
                event
            }
            Event::SoftBreak | Event::HardBreak => {
                self.push_text(" ");
                event
            }
            // A line break ends each block, so the search index can tell blocks apart (and leave
            // out those `search: {skip: …}` names).
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock,
            ) => {
                self.push_text("\n");
                event
            }
            Event::Code(ref t) => {
                self.push_text(t);
                event
            }
            Event::Start(Tag::FootnoteDefinition(ref label)) => {
                self.out.ids.push(label.to_string());
                event
            }
            Event::Html(ref h) | Event::InlineHtml(ref h) => {
                collect_html_ids(h, &mut self.out.ids);
                event
            }
            other => other,
        }
    }

    /// Gives a heading a unique id and a self-link; returns its opening tag and queues the rest.
    fn heading(
        &mut self,
        n: u8,
        id: Option<CowStr<'a>>,
        classes: &[CowStr<'a>],
        attrs: &[(CowStr<'a>, Option<CowStr<'a>>)],
    ) -> Event<'a> {
        // The heading's own events, in a buffer kept between headings.
        let mut inner = std::mem::take(&mut self.heading_events);
        while let Some(Rewritten::Passed(e) | Rewritten::Written(e)) = self.next_rewritten() {
            if matches!(e, Event::End(TagEnd::Heading(_))) {
                break;
            }
            inner.push(e);
        }
        let text = plain_text(&inner);
        self.out.words += count_words(&text);
        self.push_text(&text);
        self.push_text("\n");
        // The outline assigned every heading's id (explicit ones reserved first); it saw the
        // same headings, so it has this one.
        let id = match (self.outline.headings.get(self.headings_seen), id) {
            (Some(h), _) => h.id.clone(),
            (None, Some(id)) => id.to_string(),
            (None, None) => heading_id(&text),
        };
        self.headings_seen += 1;
        if self.embedded {
            let mut open = String::from("<h");
            open.push(char::from(b'0' + n));
            open.push('>');
            self.ready.extend(inner.drain(..));
            self.heading_events = inner;
            let mut close = String::from("</h");
            close.push(char::from(b'0' + n));
            close.push_str(">\n");
            self.ready.push_back(Event::Html(close.into()));
            return Event::Html(open.into());
        }
        let mut open = String::with_capacity(id.len() + 16);
        open.push_str("<h");
        open.push(char::from(b'0' + n));
        open.push_str(" id=\"");
        push_html(&mut open, &id);
        open.push('"');
        if !classes.is_empty() {
            open.push_str(" class=\"");
            let joined: Vec<&str> = classes.iter().map(|c| c.as_ref()).collect();
            push_html(&mut open, &joined.join(" "));
            open.push('"');
        }
        for (k, v) in attrs {
            open.push(' ');
            push_html(&mut open, k);
            if let Some(v) = v {
                open.push_str("=\"");
                push_html(&mut open, v);
                open.push('"');
            }
        }
        open.push('>');
        self.ready.extend(inner.drain(..));
        self.heading_events = inner;
        let mut close = String::with_capacity(160 + id.len() + 2 * text.len());
        close.push_str(" <a class=\"heading-anchor\" href=\"#");
        escape_href(&mut close, &id).ok();
        close.push_str(
            "\"><span aria-hidden=\"true\">#</span><span class=\"visually-hidden\">Link to this section: ",
        );
        push_html(&mut close, &text);
        close.push_str("</span></a></h");
        close.push(char::from(b'0' + n));
        close.push_str(">\n");
        self.ready.push_back(Event::Html(close.into()));
        self.out.ids.push(id.clone());
        self.flat.push((n, id, text));
        Event::Html(open.into())
    }
}

/// A note's block ids sorted for lookups by position while its events stream by, and which
/// anchors are written and which wrappers open.
#[derive(Default)]
struct BlockMarks {
    /// (marker end, block) of markers at the end of a text.
    text_markers: Vec<(usize, usize)>,
    /// (marker start, block) of `^id` lines.
    lines: Vec<(usize, usize)>,
    /// (element start, block) of elements wrapped in a `<div>`, outer ones first.
    wrappers: Vec<(usize, usize)>,
    /// The first entry of `wrappers` not opened or passed yet.
    next_wrapper: usize,
    /// Blocks whose `<div>` is open, innermost last.
    open: Vec<usize>,
    /// Per block: its anchor is still to write (false once written, and for a second block
    /// of the same id or one a heading's id takes: an id names one element).
    pending: Vec<bool>,
}

impl BlockMarks {
    fn new(outline: &Outline) -> Self {
        let mut m = BlockMarks::default();
        if outline.blocks.is_empty() {
            return m;
        }
        let mut seen = std::collections::HashSet::with_capacity(outline.blocks.len());
        let taken: Vec<&str> = outline
            .headings
            .iter()
            .map(|h| h.id.as_str())
            .filter(|id| id.starts_with(crate::outline::BLOCK_PREFIX))
            .collect();
        for (i, b) in outline.blocks.iter().enumerate() {
            if b.own_line {
                m.lines.push((b.marker.start, i));
            } else {
                m.text_markers.push((b.marker.end, i));
            }
            if Self::wrapped(b) {
                m.wrappers.push((b.range.start, i));
            }
            let first = seen.insert(b.id.to_ascii_lowercase());
            m.pending.push(first && !taken.contains(&b.anchor.as_str()));
        }
        m.text_markers.sort_unstable();
        m.lines.sort_unstable();
        let blocks = &outline.blocks;
        m.wrappers
            .sort_unstable_by_key(|&(start, i)| (start, std::cmp::Reverse(blocks[i].range.end), i));
        m
    }

    /// True if block `b`'s id goes on a `<div>` around its element (not on its opening tag).
    fn wrapped(b: &Block) -> bool {
        b.own_line || !matches!(b.kind, BlockKind::Paragraph | BlockKind::Item)
    }

    /// True (once) if block `i`'s anchor is to be written now.
    fn take(&mut self, i: usize) -> bool {
        self.pending.get_mut(i).is_some_and(std::mem::take)
    }

    /// The blocks in `sorted` whose key is `at`.
    fn at(sorted: &[(usize, usize)], at: usize) -> impl Iterator<Item = usize> + '_ {
        let first = sorted.partition_point(|(k, _)| *k < at);
        sorted[first..]
            .iter()
            .take_while(move |(k, _)| *k == at)
            .map(|(_, i)| *i)
    }

    /// True if the paragraph at `span` is a `^id` line.
    fn line_at(&self, blocks: &[Block], span: &Range<usize>) -> bool {
        Self::at(&self.lines, span.start).any(|i| blocks[i].marker == *span)
    }

    /// The blocks the `^id` line at `span` names.
    fn lines_at(&self, span: &Range<usize>) -> Vec<usize> {
        Self::at(&self.lines, span.start).collect()
    }

    /// The block whose ` ^id` ends a text at `end`.
    fn marker_ending(&self, end: usize) -> Option<usize> {
        Self::at(&self.text_markers, end).next()
    }

    /// Opens the next wrapper whose element spans exactly `span`, if any; returns its block.
    /// Wrappers whose element started before `span` without showing are passed over.
    fn wrapper_at(&mut self, blocks: &[Block], span: &Range<usize>) -> Option<usize> {
        while let Some(&(start, i)) = self.wrappers.get(self.next_wrapper) {
            if start > span.start || (start == span.start && blocks[i].range != *span) {
                return None;
            }
            self.next_wrapper += 1;
            if start == span.start {
                self.open.push(i);
                return Some(i);
            }
        }
        None
    }

    /// Closes (into `out`) the open wrappers `span` lies outside of.
    fn close_outside(&mut self, blocks: &[Block], span: &Range<usize>, out: &mut String) {
        while let Some(&i) = self.open.last() {
            let r = &blocks[i].range;
            if r.start <= span.start && span.end <= r.end {
                break;
            }
            out.push_str("</div>\n");
            self.open.pop();
        }
    }

    /// Closes every wrapper still open (at the end of the note).
    fn close_all(&mut self) -> Option<String> {
        if self.open.is_empty() {
            return None;
        }
        let n = std::mem::take(&mut self.open).len();
        Some("</div>\n".repeat(n))
    }
}

/// The opening tag of a link whose target is not written yet: `<span class="unresolved">`.
fn unresolved_tag(why: &str) -> String {
    let mut s = String::with_capacity(why.len() + 40);
    s.push_str("<span class=\"unresolved\" title=\"");
    push_html(&mut s, why);
    s.push_str("\">");
    s
}

fn open_tag(href: &str, title: &str, external: bool) -> String {
    let mut s = String::with_capacity(href.len() + 48);
    s.push_str("<a href=\"");
    escape_href(&mut s, href).ok();
    s.push('"');
    if !title.is_empty() {
        s.push_str(" title=\"");
        push_html(&mut s, title);
        s.push('"');
    }
    if external {
        s.push_str(" class=\"external\" rel=\"noopener\"");
    }
    s.push('>');
    s
}

/// Why a link to `dest` is refused: a script URL (`javascript:`, `vbscript:`) or a `data:` URL
/// (images may be `data:` URLs; links may not).
pub(crate) fn refused_link(dest: &str) -> Option<LinkProblem> {
    let lower = dest.trim().to_ascii_lowercase();
    (is_script_url(&lower) || lower.starts_with("data:")).then(|| LinkProblem {
        message: format!(
            "`{}` links are not allowed",
            lower.split(':').next().unwrap_or("")
        ),
        help: Some("link to a page or an https:// address".into()),
        ..LinkProblem::default()
    })
}

/// True for `javascript:` and `vbscript:` URLs (any case, leading spaces ignored).
pub fn is_script_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("javascript:") || lower.starts_with("vbscript:")
}

/// True for URLs with a scheme (`https:`, `mailto:`) or protocol-relative (`//host`).
pub fn is_external(url: &str) -> bool {
    if url.starts_with("//") {
        return true;
    }
    match url.find(':') {
        Some(i) if i > 0 => {
            let scheme = &url[..i];
            scheme
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }
        _ => false,
    }
}

/// Words in `t`, as `split_whitespace` counts them. ASCII text (nearly all of it) is counted 16
/// bytes at a time: a mask of the spaces in each block, whose word starts are the non-spaces
/// that follow a space.
fn count_words(t: &str) -> usize {
    let bytes = t.as_bytes();
    let mut blocks = bytes.chunks_exact(16);
    // Bit 0 of `before`: the byte before the block is a space (the text starts after one).
    let mut before = 1u32;
    let mut words = 0;
    let mut count = |block: &[u8; 16]| {
        let spaces = crate::bytescan::ascii_spaces(block)?;
        let starts = !spaces & ((spaces << 1) | before) & 0xffff;
        before = spaces >> 15;
        words += starts.count_ones() as usize;
        Some(())
    };
    for block in blocks.by_ref() {
        if count(block.try_into().expect("16 bytes")).is_none() {
            return t.split_whitespace().count();
        }
    }
    // The tail, padded with spaces (which start no word).
    let mut last = [b' '; 16];
    let tail = blocks.remainder();
    last[..tail.len()].copy_from_slice(tail);
    if count(&last).is_none() {
        return t.split_whitespace().count();
    }
    words
}

fn plain_text(events: &[Event<'_>]) -> String {
    let mut s = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => s.push_str(t),
            Event::SoftBreak | Event::HardBreak => s.push(' '),
            _ => {}
        }
    }
    if s.trim().len() == s.len() {
        s
    } else {
        s.trim().to_string()
    }
}

/// A heading's id, the way GitHub makes them: lowercase, spaces to `-`,
/// letters, digits, `-` and `_` kept, other punctuation dropped.
pub fn heading_id(text: &str) -> String {
    let text = text.trim();
    let id = if text.is_ascii() {
        // Byte by byte through a table: most headings are ASCII, and this is several times
        // faster than going by `char` (a test checks both ways agree).
        let mut bytes = Vec::with_capacity(text.len());
        for b in text.bytes() {
            let out = ASCII_ID[usize::from(b)];
            if out != 0 {
                bytes.push(out);
            }
        }
        String::from_utf8(bytes).unwrap_or_default()
    } else {
        heading_id_by_char(text)
    };
    if id.is_empty() { "section".into() } else { id }
}

/// What each ASCII byte becomes in a heading id: itself lowercased (letters, digits, `-`, `_`),
/// `-` (whitespace), or 0 (dropped).
const ASCII_ID: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = if c.is_ascii_alphanumeric() || c == b'-' || c == b'_' {
            c.to_ascii_lowercase()
        } else if c == b' ' || (c >= b'\t' && c <= b'\r') {
            b'-'
        } else {
            0
        };
        b += 1;
    }
    t
};

fn heading_id_by_char(text: &str) -> String {
    let mut id = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            id.push(c.to_ascii_lowercase());
        } else if c.is_alphanumeric() {
            id.extend(c.to_lowercase());
        } else if c.is_whitespace() {
            id.push('-');
        }
    }
    id
}

/// Collects the values of `id="…"`, `id='…'` and `name="…"` attributes in raw HTML.
pub(crate) fn collect_html_ids(html: &str, ids: &mut Vec<String>) {
    for attr in [" id=\"", " id='", " name=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let quote = attr.chars().last().unwrap_or('"');
            if let Some(end) = rest.find(quote) {
                ids.push(rest[..end].to_string());
                rest = &rest[end..];
            }
        }
    }
}

fn nest_toc(flat: Vec<(u8, String, String)>) -> Vec<TocEntry> {
    fn insert(list: &mut Vec<TocEntry>, e: TocEntry) {
        match list.last_mut() {
            Some(last) if e.level > last.level => insert(&mut last.children, e),
            _ => list.push(e),
        }
    }
    let mut toc = Vec::new();
    for (level, id, title) in flat {
        insert(
            &mut toc,
            TocEntry {
                level,
                id,
                title,
                children: Vec::new(),
            },
        );
    }
    toc
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Resolves `x.md` and `[[x]]` to note 7 titled "Ex"; everything else is missing.
    struct Fake;
    impl Resolver for Fake {
        fn resolve(&self, syntax: LinkSyntax, dest: &str) -> Result<Option<Resolved>, LinkProblem> {
            if is_external(dest) {
                return Ok(None);
            }
            let (path, frag) = dest
                .split_once('#')
                .map_or((dest, None), |(p, f)| (p, Some(f)));
            let ok = match syntax {
                LinkSyntax::Wiki => path == "x",
                _ => path == "x.md",
            };
            if ok {
                Ok(Some(Resolved {
                    href: format!("../x/{}", frag.map(|f| format!("#{f}")).unwrap_or_default()),
                    note: Some(NoteId::new(7)),
                    fragment: frag.map(str::to_string),
                    title: Some("Ex".into()),
                    image: None,
                }))
            } else {
                Err(LinkProblem {
                    message: format!("no note `{path}`"),
                    ..LinkProblem::default()
                })
            }
        }
    }

    #[test]
    fn rewrites_markdown_and_wiki_links() {
        let md = "[a](x.md#top) [[x]] [[x|label]] [b](missing.md)";
        let r = render(md, &Fake, TEXT_LIMIT);
        assert!(
            r.html.contains(r##"<a href="../x/#top">a</a>"##),
            "{}",
            r.html
        );
        assert!(r.html.contains(r#"<a href="../x/">Ex</a>"#), "{}", r.html);
        assert!(
            r.html.contains(r#"<a href="../x/">label</a>"#),
            "{}",
            r.html
        );
        assert_eq!(r.links.len(), 3);
        assert_eq!(r.links[0].fragment.as_deref(), Some("top"));
        assert_eq!(r.problems.len(), 1);
        let start = md.find("[b]").unwrap();
        assert_eq!(r.problems[0].0, start..md.len());
    }

    #[test]
    fn block_ids_become_element_ids_and_leave_the_text() {
        let md = "Para *one* ^p1\n\n- item ^i1\n- [ ] task ^t1\n\n> quote\n\n^q1\n\n| a |\n|---|\n| 1 |\n\n^tab\n\nEnd.\n";
        let r = render(md, &Fake, TEXT_LIMIT);
        let h = &r.html;
        assert!(
            h.contains(r#"<p id="block-p1">Para <em>one</em></p>"#),
            "{h}"
        );
        assert!(h.contains(r#"<li id="block-i1">item</li>"#), "{h}");
        assert!(
            h.contains(r#"<li id="block-t1"><input disabled="" type="checkbox"/>"#),
            "{h}"
        );
        assert!(h.contains("<div id=\"block-q1\">\n<blockquote>"), "{h}");
        assert!(h.contains("</blockquote>\n</div>"), "{h}");
        assert!(h.contains("<div id=\"block-tab\">\n<table>"), "{h}");
        assert!(h.contains("</table>\n</div>"), "{h}");
        assert!(!h.contains('^'), "{h}");
        assert!(r.ids.contains(&"block-q1".to_string()));
        assert!(!r.text.contains('^'), "{}", r.text);
    }

    #[test]
    fn external_links_are_marked() {
        let r = render("[w](https://example.org)", &Fake, TEXT_LIMIT);
        assert!(
            r.html.contains(r#"class="external" rel="noopener""#),
            "{}",
            r.html
        );
    }

    #[test]
    fn email_autolinks_get_their_scheme() {
        let r = render("Write to <me@example.org>.", &Fake, TEXT_LIMIT);
        assert!(
            r.html.contains(r#"<a href="mailto:me@example.org""#),
            "{}",
            r.html
        );
    }

    #[test]
    fn javascript_links_are_refused() {
        let r = render("[x](javascript:alert(1))", &Fake, TEXT_LIMIT);
        assert_eq!(r.problems.len(), 1);
        assert!(!r.html.contains("javascript"));
    }

    #[test]
    fn many_equal_headings_stay_unique_past_the_short_list() {
        // Explicit ids are taken first, wherever they are; 70 equal headings go past the
        // short list of taken ids into the set.
        let mut md = String::from("## Late {#why-5}\n");
        for _ in 0..70 {
            md.push_str("## Why\n");
        }
        let r = render(&md, &Fake, TEXT_LIMIT);
        let mut expected = vec!["why-5".to_string(), "why".to_string()];
        expected.extend((1..70).map(|i| format!("why-{}", if i < 5 { i } else { i + 1 })));
        assert_eq!(r.ids, expected);
    }

    #[test]
    fn headings_get_unique_ids_toc_and_self_links() {
        let r = render(
            "# A\n## Why it matters\n## Why it matters\n### Deep {#custom}\n",
            &Fake,
            TEXT_LIMIT,
        );
        assert_eq!(
            r.ids,
            vec!["a", "why-it-matters", "why-it-matters-1", "custom"]
        );
        assert_eq!(r.toc.len(), 1);
        assert_eq!(r.toc[0].children.len(), 2);
        assert_eq!(r.toc[0].children[1].children[0].id, "custom");
        assert!(
            r.html
                .contains(r##"<a class="heading-anchor" href="#why-it-matters-1""##)
        );
    }

    proptest::proptest! {
        #[test]
        fn ascii_heading_ids_match_the_char_by_char_rule(t in "[\x00-\x7f]{0,60}") {
            let by_char = heading_id_by_char(t.trim());
            let expected = if by_char.is_empty() { "section".to_string() } else { by_char };
            proptest::prop_assert_eq!(heading_id(&t), expected);
        }

        #[test]
        fn word_count_matches_split_whitespace(t in "[ a-z\t\n\r\x0b\x0c.,!~\x7f\x01\x1f\x20-\x2f]{0,80}|[ a-z\t\n\u{a0}\u{85}\u{2003}é]{0,80}") {
            proptest::prop_assert_eq!(count_words(&t), t.split_whitespace().count());
        }
    }

    #[test]
    fn words_are_counted_like_split_whitespace() {
        for t in [
            "",
            " ",
            "one",
            " two  words ",
            "a\tb\nc\x0bd\x0ce\rf",
            "déjà vu\u{a0}x",
            "x\u{2003}y",
        ] {
            assert_eq!(count_words(t), t.split_whitespace().count(), "{t:?}");
        }
        // Several blocks of 16 bytes, with words across their edges, and non-ASCII in the tail.
        for n in [15, 16, 17, 31, 32, 33, 64, 65, 200, 254, 255, 256, 600] {
            let t: String = (0..n).map(|i| if i % 7 == 3 { ' ' } else { 'w' }).collect();
            assert_eq!(count_words(&t), t.split_whitespace().count(), "{n}");
            let t = format!("\t{}\n", "ab  cd\x0be ".repeat(n));
            assert_eq!(count_words(&t), t.split_whitespace().count(), "{n}");
        }
    }

    #[test]
    fn generated_ids_leave_room_for_explicit_ones_further_down() {
        let r = render("## A\n\n## B { #a .wide }\n", &Fake, TEXT_LIMIT);
        assert_eq!(r.ids, vec!["a-1", "a"]);
    }

    #[test]
    fn heading_ids_follow_github() {
        assert_eq!(
            heading_id("Why it is \u{201c}his turn\u{201d}"),
            "why-it-is-his-turn"
        );
        assert_eq!(heading_id("China\u{2013}Japan summit"), "chinajapan-summit");
        assert_eq!(heading_id("!!!"), "section");
    }

    #[test]
    fn images_without_alt_are_found() {
        let r = render("![](x.png) ![ok](y.png)", &Fake, TEXT_LIMIT);
        assert_eq!(r.images_without_alt.len(), 1);
    }

    #[test]
    fn footnote_and_raw_html_ids_count() {
        let r = render(
            "a[^n]\n\n[^n]: note\n\n<span id=\"here\"></span>\n",
            &Fake,
            TEXT_LIMIT,
        );
        assert!(r.ids.contains(&"n".to_string()));
        assert!(r.ids.contains(&"here".to_string()));
    }
}
