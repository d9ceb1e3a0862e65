//! Diagrams: a fenced code block whose info string is `graph` (or `dot`) is parsed (`parse`),
//! its linked nodes resolved like the note's other links, laid out (`layout`) and written as
//! an inline, accessible SVG figure (`svg`) at build time. Pure: no I/O; `markdown` calls
//! `draw` when it meets such a block, so notes without one pay nothing.

pub mod layered;
pub mod layout;
pub mod parse;
pub mod svg;

use crate::markdown::{FoundLink, LinkProblem, LinkSyntax, Resolver, is_external, refused_link};
use std::ops::Range;

/// Why a diagram could not be drawn: a span in the note's body, what and how to fix it.
pub type Error = parse::Error;

/// True if a fenced code block with this info string is a diagram (`graph`, `dot`).
pub fn is_diagram(info: &str) -> bool {
    let lang = info.split_whitespace().next().unwrap_or("");
    lang.eq_ignore_ascii_case("graph") || lang.eq_ignore_ascii_case("dot")
}

/// Where each piece of a code block's text is in the note's body (a block inside a quote or a
/// list loses the prefix of each line, so its text is not one slice of the body).
#[derive(Debug, Default)]
pub struct SourceMap {
    /// (offset in the block's text, offset in the body, whether the piece is the body's text
    /// byte for byte).
    pieces: Vec<(usize, usize, bool)>,
}

impl SourceMap {
    /// Notes that the block's text from `at` on came from `body_span` of the body (`exact`
    /// if it is that text as written).
    pub fn push(&mut self, at: usize, body_span: &Range<usize>, exact: bool) {
        self.pieces.push((at, body_span.start, exact));
    }

    /// The body offset of offset `at` of the block's text, in the piece holding the byte at
    /// `inside` (`at` itself, or the byte before an end).
    fn offset(&self, at: usize, inside: usize) -> usize {
        let i = self.pieces.partition_point(|p| p.0 <= inside);
        match i.checked_sub(1).map(|i| self.pieces[i]) {
            Some((from, body, true)) => body + (at - from),
            Some((_, body, false)) => body,
            None => 0,
        }
    }

    /// The body range of range `r` of the block's text (on character boundaries when `r` is).
    pub fn span(&self, r: &Range<usize>) -> Range<usize> {
        let start = self.offset(r.start, r.start);
        let end = if r.end > r.start {
            self.offset(r.end, r.end - 1)
        } else {
            start
        };
        start..end.max(start)
    }
}

/// A drawn diagram and what the note learns from it.
#[derive(Debug, Default)]
pub struct Drawn {
    /// The figure's HTML (or, when the diagram cannot be read, its source as code).
    pub html: String,
    /// Internal links of its nodes (body spans), for backlinks.
    pub links: Vec<FoundLink>,
    /// Nodes whose links could not be resolved (body spans).
    pub problems: Vec<(Range<usize>, LinkProblem)>,
    /// Why it could not be drawn (body span).
    pub error: Option<Error>,
    /// Its labels, for the search index and the word count.
    pub text: String,
}

/// Where a node links, as resolved for the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A URL relative to the page (or an external one).
    Href {
        /// The URL.
        url: String,
        /// It leaves the site.
        external: bool,
    },
    /// A note not written yet: shown without a link, as other unresolved links are; why.
    Unresolved(String),
}

/// Draws the diagram whose source is `src` (the block's text, placed in the body by `map`),
/// resolving its nodes' links with `resolver`.
pub fn draw(src: &str, map: &SourceMap, resolver: &dyn Resolver) -> Drawn {
    let mut out = Drawn::default();
    let graph = match parse::parse(src) {
        Ok(g) => g,
        Err(mut e) => {
            e.span = map.span(&e.span);
            out.error = Some(e);
            out.html = source_html(src);
            return out;
        }
    };
    let mut labels = Vec::with_capacity(graph.nodes.len());
    let mut targets = Vec::with_capacity(graph.nodes.len());
    for node in &graph.nodes {
        let (target, title) = match &node.link {
            Some(link) => resolve(link, map, resolver, &mut out),
            None => (None, None),
        };
        labels.push(
            node.label
                .clone()
                .or(title)
                .unwrap_or_else(|| node.name.clone()),
        );
        targets.push(target);
    }
    for l in &labels {
        out.text.push_str(l);
        out.text.push(' ');
    }
    let placed = layout::layout(&graph, &labels);
    out.html = svg::figure(&graph, &labels, &targets, &placed);
    out
}

/// Resolves a node's link: its target and the title a wikilink shows.
fn resolve(
    link: &parse::Link,
    map: &SourceMap,
    resolver: &dyn Resolver,
    out: &mut Drawn,
) -> (Option<Target>, Option<String>) {
    let span = map.span(&link.span);
    let syntax = if link.wiki {
        LinkSyntax::Wiki
    } else {
        LinkSyntax::Markdown
    };
    match resolver.resolve(syntax, &link.dest) {
        Ok(Some(r)) => {
            if let Some(note) = r.note {
                out.links.push(FoundLink {
                    note,
                    fragment: r.fragment,
                    span,
                });
            }
            let target = Target::Href {
                url: r.href,
                external: false,
            };
            (Some(target), r.title.filter(|_| link.wiki))
        }
        Ok(None) => {
            if let Some(p) = refused_link(&link.dest) {
                out.problems.push((span, p));
                return (None, None);
            }
            let target = Target::Href {
                url: link.dest.clone(),
                external: is_external(&link.dest),
            };
            (Some(target), None)
        }
        Err(p) => {
            let target = p
                .missing
                .is_some()
                .then(|| Target::Unresolved(p.message.clone()));
            out.problems.push((span, p));
            (target, None)
        }
    }
}

/// A diagram that cannot be read, shown as its source.
fn source_html(src: &str) -> String {
    let mut html = String::with_capacity(src.len() + 64);
    html.push_str("<pre class=\"diagram-source\"><code>");
    crate::escape::push_html(&mut html, src);
    html.push_str("</code></pre>\n");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_map_places_pieces_exactly_or_at_their_start() {
        let mut m = SourceMap::default();
        m.push(0, &(10..14), true);
        m.push(4, &(20..30), false);
        assert_eq!(m.span(&(1..3)), 11..13);
        assert_eq!(m.span(&(5..7)), 20..20);
        assert_eq!(m.span(&(3..4)), 13..14);
    }

    #[test]
    fn diagram_blocks_are_named_graph_or_dot() {
        assert!(is_diagram("graph"));
        assert!(is_diagram("DOT {.wide}"));
        assert!(!is_diagram("graphql"));
        assert!(!is_diagram(""));
    }

    /// Resolves nothing: every link is external.
    struct Plain;
    impl Resolver for Plain {
        fn resolve(
            &self,
            _: LinkSyntax,
            _: &str,
        ) -> Result<Option<crate::markdown::Resolved>, LinkProblem> {
            Ok(None)
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]
        /// Any graph (cycles, self-loops, repeated edges, labels, both directions) is laid
        /// out without a panic, every edge drawn.
        #[test]
        fn any_graph_is_drawn(
            edges in proptest::collection::vec((0..10usize, 0..10usize, 0..4u8), 0..24),
            lone in 1..3usize,
            lr in proptest::bool::ANY,
        ) {
            let mut src = String::from(if lr { "rankdir=LR\n" } else { "" });
            for i in 0..lone {
                src.push_str(&format!("lone{i}\n"));
            }
            for (a, b, kind) in &edges {
                let attrs = match kind {
                    0 => "",
                    1 => " [label=\"a label\"]",
                    2 => " [dir=both, style=dashed]",
                    _ => " [label=\"x\", dir=back]",
                };
                src.push_str(&format!("n{a} -> n{b}{attrs}\n"));
            }
            let drawn = draw(&src, &SourceMap::default(), &Plain);
            proptest::prop_assert!(drawn.error.is_none(), "{:?}", drawn.error);
            let pairs: std::collections::BTreeSet<(usize, usize)> =
                edges.iter().map(|&(a, b, _)| (a.min(b), a.max(b))).collect();
            let paths = drawn.html.matches("<path d=").count();
            proptest::prop_assert_eq!(paths, pairs.len(), "{}", src);
        }
    }
}
