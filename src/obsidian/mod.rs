//! Obsidian's Markdown dialect: `%%comments%%`, callouts, `==highlights==`, inline `#tags` and
//! `$math$`. Comments are blanked out of a note's text when it is loaded (`comments`); the rest
//! is `Dialect`, an adapter between pulldown-cmark's parser and `markdown`'s event stream that
//! rewrites events one at a time (holding back only a run of inline events holding `==`, or a
//! callout's first line).

pub mod callouts;
pub mod comments;
pub mod highlight;
pub mod math;
pub mod tags;

use crate::markdown::Resolver;
use pulldown_cmark::{
    BlockQuoteKind, CowStr, DefaultBrokenLinkCallback, Event, OffsetIter, Tag, TagEnd,
};
use pulldown_cmark_escape::escape_href;
use std::collections::{HashSet, VecDeque};
use std::ops::Range;

/// A parser event and the byte range of the Markdown it came from.
pub type Spanned<'a> = (Event<'a>, Range<usize>);

/// An open quote: a plain one, or a callout (with its folding).
enum Quote {
    Plain,
    Callout(Option<bool>),
}

/// The parser's events with Obsidian's syntax turned into HTML; also gathers the note's inline
/// tags and the formulas that could not be rendered.
pub struct Dialect<'a, 'r> {
    src: &'a str,
    parser: OffsetIter<'a, DefaultBrokenLinkCallback>,
    resolver: &'r dyn Resolver,
    /// Events ready to hand on.
    ready: VecDeque<Spanned<'a>>,
    /// An event taken from the parser to look at, not handled yet.
    held: Option<Spanned<'a>>,
    /// Open quotes, innermost last.
    quotes: Vec<Quote>,
    in_code: bool,
    in_heading: bool,
    /// Depth of links and images around the current event.
    in_links: usize,
    /// Depth of images (alt text is plain text: no marks).
    in_images: usize,
    /// Whether the text so far ends in whitespace or a block start (a tag may begin).
    after_space: bool,
    /// Lowercased tags seen, to keep the first spelling of each.
    seen: HashSet<String>,
    /// The note's inline tags, first spelling of each, without `#`.
    pub tags: Vec<String>,
    /// Formulas that could not be rendered: their byte range and why.
    pub math_errors: Vec<(Range<usize>, String)>,
}

impl<'a, 'r> Dialect<'a, 'r> {
    /// Wraps the events of `src` parsed with `options`; tag links come from `resolver`.
    pub fn new(src: &'a str, options: pulldown_cmark::Options, resolver: &'r dyn Resolver) -> Self {
        Dialect {
            src,
            parser: pulldown_cmark::Parser::new_ext(src, options).into_offset_iter(),
            resolver,
            ready: VecDeque::new(),
            held: None,
            quotes: Vec::new(),
            in_code: false,
            in_heading: false,
            in_links: 0,
            in_images: 0,
            after_space: true,
            seen: HashSet::new(),
            tags: Vec::new(),
            math_errors: Vec::new(),
        }
    }

    /// The next event, without taking it.
    pub fn peek(&mut self) -> Option<&Spanned<'a>> {
        while self.ready.is_empty() {
            if !self.pump() {
                return None;
            }
        }
        self.ready.front()
    }

    /// The next event if `f` accepts it.
    pub fn next_if(&mut self, f: impl FnOnce(&Spanned<'a>) -> bool) -> Option<Spanned<'a>> {
        if f(self.peek()?) {
            self.ready.pop_front()
        } else {
            None
        }
    }

    /// True if `event` goes on as it is (`pump` would only pass it on), noting what it ends with.
    fn passes(&mut self, event: &Event<'a>) -> bool {
        match event {
            Event::Start(
                Tag::BlockQuote(_)
                | Tag::CodeBlock(_)
                | Tag::Heading { .. }
                | Tag::Link { .. }
                | Tag::Image { .. },
            )
            | Event::End(
                TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock
                | TagEnd::Heading(_)
                | TagEnd::Link
                | TagEnd::Image,
            )
            | Event::InlineMath(_)
            | Event::DisplayMath(_) => false,
            Event::Text(_) if self.in_code => true,
            Event::Text(t) => {
                if t.bytes().any(|b| b == b'#' || b == b'=') {
                    return false;
                }
                self.after_space = t
                    .chars()
                    .next_back()
                    .map_or(self.after_space, char::is_whitespace);
                true
            }
            Event::SoftBreak | Event::HardBreak => {
                self.after_space = true;
                true
            }
            other => {
                if !highlight::is_inline(other) {
                    self.after_space = true;
                }
                true
            }
        }
    }

    fn pull(&mut self) -> Option<Spanned<'a>> {
        self.held.take().or_else(|| self.parser.next())
    }

    fn push(&mut self, event: Event<'a>, span: Range<usize>) {
        self.ready.push_back((event, span));
    }

    /// Takes one parser event and queues what it becomes; false at the end.
    fn pump(&mut self) -> bool {
        let Some((event, span)) = self.pull() else {
            return false;
        };
        if highlight::is_inline(&event) {
            if !self.in_code
                && self.in_images == 0
                && let Event::Text(t) = &event
                && highlight::may_hold(t)
            {
                let mut run = vec![(event, span)];
                while let Some(next) = self.pull() {
                    if highlight::is_inline(&next.0) {
                        run.push(next);
                    } else {
                        self.held = Some(next);
                        break;
                    }
                }
                self.inline_run(run);
            } else {
                self.inline(event, span);
            }
            return true;
        }
        self.after_space = true;
        match event {
            Event::Start(Tag::BlockQuote(kind)) => self.quote(kind, span),
            Event::End(TagEnd::BlockQuote(kind)) => match self.quotes.pop() {
                Some(Quote::Callout(fold)) => {
                    self.push(Event::Html(callouts::close(fold).into()), span)
                }
                _ => self.push(Event::End(TagEnd::BlockQuote(kind)), span),
            },
            Event::Start(Tag::CodeBlock(_)) => {
                self.in_code = true;
                self.push(event, span);
            }
            Event::End(TagEnd::CodeBlock) => {
                self.in_code = false;
                self.push(event, span);
            }
            Event::Start(Tag::Heading { .. }) => {
                self.in_heading = true;
                self.push(event, span);
            }
            Event::End(TagEnd::Heading(_)) => {
                self.in_heading = false;
                self.push(event, span);
            }
            other => self.push(other, span),
        }
        true
    }

    /// A quote: a callout if its first line is `[!type]`, else passed on.
    fn quote(&mut self, kind: Option<BlockQuoteKind>, span: Range<usize>) {
        let first = self.pull();
        let marker = match &first {
            Some((Event::Start(Tag::Paragraph), p)) => self
                .src
                .get(p.start..)
                .and_then(|line| callouts::marker(line).map(|m| (m, p.start))),
            _ => None,
        };
        let Some((m, start)) = marker else {
            self.quotes.push(Quote::Plain);
            self.push(Event::Start(Tag::BlockQuote(kind)), span);
            self.held = first;
            return;
        };
        let title_at = start + m.len;
        // The first line: the title, without the marker.
        let mut title: Vec<Spanned<'a>> = Vec::new();
        let mut end = None;
        while let Some((e, s)) = self.pull() {
            match e {
                Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) => {
                    end = Some((e, s));
                    break;
                }
                _ if s.end <= title_at => {}
                Event::Text(t) if s.start < title_at => {
                    // Text straddling the marker's end: keep what follows it.
                    let cut = title_at - s.start;
                    if t.len() == s.len() && t.is_char_boundary(cut) {
                        title.push((Event::Text(slice(&t, cut..s.len())), title_at..s.end));
                    }
                }
                _ => title.push((e, s)),
            }
        }
        let fold = m.fold;
        self.push(Event::Html(callouts::open(&m).into()), span.clone());
        let blank = title
            .iter()
            .all(|(e, _)| matches!(e, Event::Text(t) if t.trim().is_empty()));
        if blank {
            self.push(
                Event::Text(callouts::default_title(&m.kind).into()),
                span.clone(),
            );
        } else {
            self.after_space = true;
            self.inline_run(title);
        }
        self.push(Event::Html(callouts::between(fold).into()), span.clone());
        self.after_space = true;
        if let Some((Event::SoftBreak | Event::HardBreak, s)) = end {
            // The rest of the first paragraph is the callout's first paragraph.
            self.push(Event::Start(Tag::Paragraph), s);
        }
        self.quotes.push(Quote::Callout(fold));
    }

    /// A run of inline events: highlights paired, then each event handled.
    fn inline_run(&mut self, run: Vec<Spanned<'a>>) {
        let marks = if self.in_code || self.in_images > 0 {
            Vec::new()
        } else {
            let events: Vec<&Event<'a>> = run.iter().map(|(e, _)| e).collect();
            highlight::pair(&events)
        };
        let mut marks = marks.into_iter().peekable();
        for (i, (event, span)) in run.into_iter().enumerate() {
            let Event::Text(t) = event else {
                self.inline(event, span);
                continue;
            };
            let mut from = 0;
            while let Some((_, at, opens)) = marks.next_if(|(e, ..)| *e == i) {
                if at > from {
                    let piece = slice(&t, from..at);
                    self.inline(Event::Text(piece), sub(&span, &t, from..at));
                }
                let tag = if opens { "<mark>" } else { "</mark>" };
                self.push(Event::InlineHtml(tag.into()), sub(&span, &t, at..at + 2));
                from = at + 2;
            }
            if from == 0 {
                self.inline(Event::Text(t), span);
            } else if from < t.len() {
                let piece = slice(&t, from..t.len());
                let s = sub(&span, &t, from..t.len());
                self.inline(Event::Text(piece), s);
            }
        }
    }

    /// One inline event: math rendered, tags found in text, links' depth kept.
    fn inline(&mut self, event: Event<'a>, span: Range<usize>) {
        match event {
            Event::InlineMath(latex) => self.math(&latex, false, span),
            Event::DisplayMath(latex) => self.math(&latex, true, span),
            Event::Text(t) => self.text(t, span),
            Event::SoftBreak | Event::HardBreak => {
                self.after_space = true;
                self.push(event, span);
            }
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => {
                self.in_links += 1;
                self.in_images += usize::from(matches!(event, Event::Start(Tag::Image { .. })));
                self.push(event, span);
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                self.in_links = self.in_links.saturating_sub(1);
                if matches!(event, Event::End(TagEnd::Image)) {
                    self.in_images = self.in_images.saturating_sub(1);
                }
                self.push(event, span);
            }
            other => self.push(other, span),
        }
    }

    fn math(&mut self, latex: &str, display: bool, span: Range<usize>) {
        let html = match math::render(latex, display) {
            Ok(html) => html,
            Err(why) => {
                self.math_errors.push((span.clone(), why));
                math::error_html(latex, display)
            }
        };
        self.after_space = false;
        self.push(Event::InlineHtml(html.into()), span);
    }

    /// Text, with inline tags turned into links to their tag pages.
    fn text(&mut self, t: CowStr<'a>, span: Range<usize>) {
        let after_space = self.after_space;
        self.after_space = t
            .chars()
            .next_back()
            .map_or(after_space, char::is_whitespace);
        if self.in_code || self.in_heading || self.in_links > 0 || !t.contains('#') {
            self.push(Event::Text(t), span);
            return;
        }
        let found = tags::find(&t, after_space);
        if found.is_empty() {
            self.push(Event::Text(t), span);
            return;
        }
        let mut from = 0;
        for r in found {
            if r.start > from {
                let s = sub(&span, &t, from..r.start);
                self.push(Event::Text(slice(&t, from..r.start)), s);
            }
            let name = &t[r.start + 1..r.end];
            let slug = tags::slug(name);
            if self.seen.insert(name.to_lowercase()) {
                self.tags.push(name.to_string());
            }
            let s = sub(&span, &t, r.clone());
            let (open, close) = match self.resolver.tag_href(&slug) {
                Some(href) => {
                    let mut open = String::with_capacity(href.len() + 24);
                    open.push_str("<a class=\"tag\" href=\"");
                    escape_href(&mut open, &href).ok();
                    open.push_str("\">");
                    (open, "</a>")
                }
                None => ("<span class=\"tag\">".to_string(), "</span>"),
            };
            self.push(Event::InlineHtml(open.into()), s.clone());
            self.push(Event::Text(slice(&t, r.clone())), s.clone());
            self.push(Event::InlineHtml(close.into()), s);
            from = r.end;
        }
        if from < t.len() {
            let (s, end) = (sub(&span, &t, from..t.len()), t.len());
            self.push(Event::Text(slice(&t, from..end)), s);
        }
    }
}

impl<'a> Iterator for Dialect<'a, '_> {
    type Item = Spanned<'a>;

    fn next(&mut self) -> Option<Spanned<'a>> {
        loop {
            if let Some(e) = self.ready.pop_front() {
                return Some(e);
            }
            // Most events need nothing from the dialect: they go straight on, unqueued.
            if self.held.is_none() {
                let (event, span) = self.parser.next()?;
                if self.passes(&event) {
                    return Some((event, span));
                }
                self.held = Some((event, span));
            }
            if !self.pump() {
                return None;
            }
        }
    }
}

/// A piece of a text event, borrowed when the text was (else only the piece is copied).
fn slice<'a>(t: &CowStr<'a>, r: Range<usize>) -> CowStr<'a> {
    match t {
        CowStr::Borrowed(s) => CowStr::Borrowed(&s[r]),
        other => CowStr::from(other[r].to_string()),
    }
}

/// The source range of a piece of a text event: exact when the text is its source as written,
/// else the whole event's range.
fn sub(span: &Range<usize>, t: &str, r: Range<usize>) -> Range<usize> {
    if t.len() == span.len() {
        span.start + r.start..span.start + r.end
    } else {
        span.clone()
    }
}

#[cfg(test)]
mod tests {
    use crate::markdown::{LinkProblem, LinkSyntax, Resolved, Resolver, TEXT_LIMIT, render};

    /// Every link is external; tags link to `t/<slug>`.
    struct Plain;
    impl Resolver for Plain {
        fn resolve(&self, _: LinkSyntax, _: &str) -> Result<Option<Resolved>, LinkProblem> {
            Ok(None)
        }
        fn tag_href(&self, slug: &str) -> Option<String> {
            Some(format!("t/{slug}"))
        }
    }

    proptest::proptest! {
        #[test]
        fn any_note_renders_with_balanced_dialect_markup(
            md in "(> |\\[!note\\]|\\[!tip\\]- |==|#a|#1|\\$x\\$|\\$|\\*|`|\\[l\\]\\(u\\)|!\\[i\\]\\(p\\)|\\n|\\n\\n|# | |w){0,40}"
        ) {
            let html = render(&md, &Plain, TEXT_LIMIT).html;
            let count = |s: &str| html.matches(s).count();
            proptest::prop_assert_eq!(count("<mark>"), count("</mark>"), "{}", html);
            proptest::prop_assert_eq!(
                count(" data-callout="),
                count("<div class=\"callout-content\">"),
                "{}", html
            );
        }
    }

    #[test]
    fn marks_stay_out_of_image_alt_text() {
        let html = render("![==a== #b](p.png)", &Plain, TEXT_LIMIT).html;
        assert!(html.contains("alt=\"==a== #b\""), "{html}");
    }
}
