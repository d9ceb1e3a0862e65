//! Finds the quotations of a note's Markdown body, with their byte spans: words between double
//! quotes (straight or curly) and blockquote paragraphs. Code, link targets, images and HTML are
//! not prose and are skipped.
//!
//! Only the blocks that hold a quote mark or a `>` are parsed (pulldown-cmark, one block at a
//! time): a second full parse of every note would cost a tenth of a build. A body with fenced
//! code or raw HTML blocks, an indented candidate block, or a candidate block with a reference in
//! a body that defines some is parsed whole, since such a block may read differently alone;
//! debug builds check every chunked answer against a full parse.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::ops::Range;

/// One quotation in a note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quotation {
    /// Bytes of the body it covers: from the opening quote mark through the closing one, or the
    /// blockquote paragraph.
    pub span: Range<usize>,
    /// The quoted words as the reader sees them (Markdown removed, quote marks excluded).
    pub text: String,
    /// A blockquote paragraph (rather than words between quote marks).
    pub block: bool,
    /// Set wholly in italics (`*"Title"*` or `"*Title*"`): a title or a term, not a quotation.
    pub exempt: bool,
}

/// The Markdown options notes are rendered with, without smart punctuation: the quote marks
/// must reach us as written.
pub fn options() -> Options {
    let mut o = crate::markdown::options();
    o.remove(Options::ENABLE_SMART_PUNCTUATION);
    o
}

/// Every quotation of `body`, in order.
pub fn quotations(body: &str) -> Vec<Quotation> {
    let mut out = Vec::new();
    match chunks(body) {
        Some(chunks) => {
            for c in chunks {
                extract(&body[c.clone()], c.start, &mut out);
            }
            #[cfg(debug_assertions)]
            {
                let mut full = Vec::new();
                extract(body, 0, &mut full);
                debug_assert_eq!(out, full, "chunked extraction differs in {body:?}");
            }
        }
        None => extract(body, 0, &mut out),
    }
    out
}

/// The blank-line-separated blocks of `body` that may hold a quotation, or `None` when the body
/// must be parsed whole.
fn chunks(body: &str) -> Option<Vec<Range<usize>>> {
    let b = body.as_bytes();
    let mut out: Vec<Range<usize>> = Vec::new();
    // One pass over the body finds both the candidates and what forces a whole parse.
    let mut at = crate::bytescan::find::<Scan>(b, 0);
    while at < b.len() {
        let rest = &b[at..];
        let candidate = match b[at] {
            b'"' => true,
            0xE2 => matches!(rest, [_, 0x80, 0x9C | 0x9D, ..]),
            b'>' => b[line_start(b, at)..at]
                .iter()
                .all(|c| b" \t>-*+.)0123456789[]^:".contains(c)),
            _ if whole_parse_at(rest) => return None,
            _ => false,
        };
        if candidate && out.last().is_none_or(|c| c.end <= at) {
            let (start, end) = (block_start(b, at), block_end(b, at));
            let first = &b[start..];
            if first.starts_with(b"    ") || first.starts_with(b"\t") {
                return None; // indented code, or a continuation of a list item or footnote
            }
            if maybe_reference(&b[start..end]) && memchr::memmem::find(b, b"]:").is_some() {
                return None;
            }
            out.push(start..end);
        }
        at = crate::bytescan::find::<Scan>(b, at + 1);
    }
    Some(out)
}

/// The bytes `chunks` stops at: quote marks (`"`, and 0xE2, which starts `“` and `”`), `>`,
/// and the starts of fences and HTML blocks.
struct Scan;

impl crate::bytescan::ByteClass for Scan {
    const SET: &'static [u8] = b"\"\xE2>`~<";
    const BELOW: u8 = 0;
}

/// Whether a block may hold a reference (`[label]`, `[text][label]`, `[^1]`), which reads
/// differently without its definition: a `]` not opening an inline link's `(`.
fn maybe_reference(block: &[u8]) -> bool {
    memchr::memchr_iter(b']', block).any(|i| block.get(i + 1) != Some(&b'('))
}

/// Whether `rest` starts a fenced code block or an HTML block of a kind that runs across blank
/// lines (comments, `<pre>`, `<script>`, `<style>`, `<textarea>`, declarations).
fn whole_parse_at(rest: &[u8]) -> bool {
    if rest.starts_with(b"```") || rest.starts_with(b"~~~") {
        return true;
    }
    if !rest.starts_with(b"<") {
        return false;
    }
    if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
        return true;
    }
    [&b"pre"[..], b"script", b"style", b"textarea"]
        .iter()
        .any(|tag| {
            rest.get(1..=tag.len())
                .is_some_and(|s| s.eq_ignore_ascii_case(tag))
        })
}

fn line_start(b: &[u8], at: usize) -> usize {
    memchr::memrchr(b'\n', &b[..at]).map_or(0, |i| i + 1)
}

fn is_blank(line: &[u8]) -> bool {
    line.iter().all(|c| c.is_ascii_whitespace())
}

/// Start of the first line of the block holding byte `at` (the line after a blank one).
fn block_start(b: &[u8], at: usize) -> usize {
    let mut start = line_start(b, at);
    while start > 0 {
        let prev = line_start(b, start - 1);
        if is_blank(&b[prev..start]) {
            break;
        }
        start = prev;
    }
    start
}

/// End of the block holding byte `at` (before the next blank line, or the end).
fn block_end(b: &[u8], at: usize) -> usize {
    let mut end = memchr::memchr(b'\n', &b[at..]).map_or(b.len(), |i| at + i + 1);
    while end < b.len() {
        let next = memchr::memchr(b'\n', &b[end..]).map_or(b.len(), |i| end + i + 1);
        if is_blank(&b[end..next]) {
            break;
        }
        end = next;
    }
    end
}

/// Inline tags: text inside them belongs to the block around them.
pub(crate) fn is_inline(t: &Tag<'_>) -> bool {
    matches!(
        t,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Link { .. }
            | Tag::Image { .. }
            | Tag::Superscript
            | Tag::Subscript
    )
}

/// The end of an inline tag.
pub(crate) fn is_inline_end(t: &TagEnd) -> bool {
    matches!(
        t,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Link
            | TagEnd::Image
            | TagEnd::Superscript
            | TagEnd::Subscript
    )
}

/// A run of a block's text: where it starts in the body, and how to read it.
struct Piece<'a> {
    text: pulldown_cmark::CowStr<'a>,
    /// The Markdown it was read from: a quote mark counts only where it is written as one
    /// (`&quot;` is a character).
    raw: &'a str,
    at: usize,
    /// Code: quote marks in it are characters, not quote marks.
    literal: bool,
    /// Inside `*emphasis*`.
    italic: bool,
}

/// A quotation whose closing mark is still to come.
struct Open {
    start: usize,
    text: String,
    /// Every word so far is in italics.
    italic: bool,
}

impl Open {
    fn at(start: usize) -> Open {
        Open {
            start,
            text: String::new(),
            italic: true,
        }
    }

    fn add(&mut self, s: &str, italic: bool) {
        self.text.push_str(s);
        if !italic && !s.trim().is_empty() {
            self.italic = false;
        }
    }
}

/// The block being read.
#[derive(Default)]
struct Block<'a> {
    pieces: Vec<Piece<'a>>,
    /// A paragraph directly inside a blockquote.
    quoted_paragraph: bool,
}

/// Appends the quotations of `src` (which starts at byte `base` of the body) to `out`.
fn extract(src: &str, base: usize, out: &mut Vec<Quotation>) {
    let mut block = Block::default();
    let (mut quote_depth, mut italic, mut image, mut code) = (0usize, 0usize, 0usize, false);
    for (ev, range) in Parser::new_ext(src, options()).into_offset_iter() {
        let at = base + range.start;
        match ev {
            Event::Text(text) if !code && image == 0 => block.pieces.push(Piece {
                raw: &src[range.clone()],
                text,
                at,
                literal: false,
                italic: italic > 0,
            }),
            Event::Code(text) if image == 0 => block.pieces.push(Piece {
                raw: "",
                text,
                at,
                literal: true,
                italic: italic > 0,
            }),
            Event::SoftBreak | Event::HardBreak => block.pieces.push(Piece {
                raw: "",
                text: " ".into(),
                at,
                literal: true,
                italic: italic > 0,
            }),
            Event::Start(Tag::Emphasis) => italic += 1,
            Event::End(TagEnd::Emphasis) => italic = italic.saturating_sub(1),
            Event::Start(Tag::Image { .. }) => image += 1,
            Event::End(TagEnd::Image) => image = image.saturating_sub(1),
            Event::Start(t) if !is_inline(&t) => {
                flush(&mut block, out);
                match t {
                    Tag::BlockQuote(_) => quote_depth += 1,
                    Tag::CodeBlock(_) => code = true,
                    Tag::Paragraph => block.quoted_paragraph = quote_depth > 0,
                    _ => {}
                }
            }
            Event::End(t) if !is_inline_end(&t) => {
                flush(&mut block, out);
                match t {
                    TagEnd::BlockQuote(_) => quote_depth = quote_depth.saturating_sub(1),
                    TagEnd::CodeBlock => code = false,
                    _ => {}
                }
            }
            _ => {}
        }
    }
    flush(&mut block, out);
}

/// Finds the quotations of a finished block. Quote marks pair up as they come (an opening `“` or
/// `"`, then a closing `”` or `"`); one left open at the block's end is not a quotation. A
/// blockquote paragraph without quote marks is a quotation as a whole; one with quote marks
/// quotes those words, and the rest is attribution (`"…," the official said.`).
fn flush(block: &mut Block<'_>, out: &mut Vec<Quotation>) {
    let pieces = std::mem::take(&mut block.pieces);
    let quoted_paragraph = std::mem::take(&mut block.quoted_paragraph);
    if pieces.is_empty() {
        return;
    }
    let before = out.len();
    let mut open: Option<Open> = None;
    let mut marks = false;
    for p in &pieces {
        let mut from = 0; // start of the piece's text not yet added to an open quotation
        let bytes = p.text.as_bytes();
        let found = if p.literal {
            None
        } else {
            Some(memchr::memchr2_iter(b'"', 0xE2, bytes))
        };
        for i in found.into_iter().flatten() {
            let c = match &bytes[i..] {
                [b'"', ..] => '"',
                [0xE2, 0x80, 0x9C, ..] => '“',
                [0xE2, 0x80, 0x9D, ..] => '”',
                _ => continue,
            };
            let m = c.len_utf8();
            if !p.raw.get(i..).is_some_and(|r| r.starts_with(c)) {
                continue;
            }
            marks = true;
            let at = p.at + i;
            if let Some(q) = &mut open {
                q.add(&p.text[from..i], p.italic);
            }
            from = i + m;
            open = match open.take() {
                None if c == '”' => None,
                None => Some(Open::at(at)),
                Some(_) if c == '“' => Some(Open::at(at)),
                Some(q) => {
                    if q.text.chars().any(char::is_alphanumeric) {
                        out.push(Quotation {
                            span: q.start..at + c.len_utf8(),
                            text: q.text,
                            block: false,
                            exempt: q.italic,
                        });
                    }
                    None
                }
            };
        }
        if let Some(q) = &mut open {
            q.add(&p.text[from..], p.italic);
        }
    }
    if quoted_paragraph && !marks && out.len() == before {
        let text: String = pieces.iter().map(|p| p.text.as_ref()).collect();
        let last = pieces.last().map_or(0, |p| p.at + p.text.len());
        if !text.trim_start().starts_with("[!") && text.chars().any(char::is_alphanumeric) {
            out.push(Quotation {
                span: pieces[0].at..last.max(pieces[0].at),
                exempt: pieces.iter().all(|p| p.italic || p.text.trim().is_empty()),
                text,
                block: true,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(body: &str) -> Vec<String> {
        quotations(body).into_iter().map(|q| q.text).collect()
    }

    #[test]
    fn finds_straight_and_curly_quotes_with_spans() {
        let body = "He said \"a b\" and “c d”.\n";
        let q = quotations(body);
        assert_eq!(q.len(), 2);
        assert_eq!(&body[q[0].span.clone()], "\"a b\"");
        assert_eq!(&body[q[1].span.clone()], "“c d”");
        assert_eq!(q[1].text, "c d");
    }

    #[test]
    fn skips_code_links_targets_and_images() {
        let body = "`\"not\"` [\"yes\"](x.md \"title\") ![\"alt\"](i.png)\n\n```\n\"code\"\n```\n";
        assert_eq!(texts(body), ["yes"]);
    }

    #[test]
    fn quotes_span_inline_markup_and_italics_exempt() {
        assert_eq!(texts("say \"the [big](x.md) cat\" now"), ["the big cat"]);
        let q = quotations("the song *\"Bac Bling\"* and \"*Title*\" and \"*half* not\"");
        assert_eq!(
            q.iter().map(|q| q.exempt).collect::<Vec<_>>(),
            [true, true, false]
        );
    }

    #[test]
    fn blockquote_paragraphs_are_quotations_unless_they_hold_quote_marks() {
        let body = "> First para\n> goes on.\n>\n> \"Quoted,\" he said.\n\n> [!note] a callout\n";
        let q = quotations(body);
        assert_eq!(q.len(), 2);
        assert!(q[0].block);
        assert_eq!(q[0].text, "First para goes on.");
        assert_eq!(&body[q[0].span.start..q[0].span.start + 5], "First");
        assert!(!q[1].block);
        assert_eq!(q[1].text, "Quoted,");
    }

    #[test]
    fn footnotes_references_and_escaped_marks() {
        assert_eq!(
            texts("a \"x[^1] y\" and \"the [ref] z\"\n\n[^1]: note\n\n[ref]: /u\n"),
            ["x y", "the ref z"]
        );
        assert_eq!(texts("&quot;not&quot; and \"yes\""), ["yes"]);
    }

    proptest::proptest! {
        #[test]
        fn chunking_agrees_with_a_whole_parse(parts in proptest::collection::vec(0usize..31, 0..40)) {
            const BITS: [&str; 31] = [
                "  ", "\t", "## ", "===\n", "_b_ ", "<span>", "[x](y \"t\")",
                "\"", "“", "”", "> ", "- ", "    ", "\n", "\n\n", "word ", "*", "`", "[a]",
                "[^1]", "[a]: /u\n", "[^1]: note\n", "```\n", "<div>\n", "| a | b |\n|---|---|\n",
                "&quot;", "\\\"", "1. ", "…", "[…]", "<!-- c -->",
            ];
            let body: String = parts.iter().map(|&i| BITS[i]).collect();
            let mut full = Vec::new();
            extract(&body, 0, &mut full);
            proptest::prop_assert_eq!(quotations(&body), full);
        }
    }

    #[test]
    fn chunking_agrees_with_a_whole_parse_on_tricky_bodies() {
        for body in [
            "- item\n\n    \"indented\" continuation\n",
            "<div>\n\n\"in html\"\n\n</div>\n",
            "para\n> \"quote\" interrupting\n",
            "| a | b |\n|---|---|\n| \"x y\" | z |\n",
            "[^1]: a \"note\" here\n",
            "~~~\n\"fenced\"\n\n~~~\n",
            "a \"x[^1] y\" and \"the [ref] z\"\n\n[^1]: note\n\n[ref]: /u\n",
            "&quot;not&quot; and \\\"not\\\" and \"yes\"\n",
        ] {
            let mut full = Vec::new();
            extract(body, 0, &mut full);
            assert_eq!(quotations(body), full, "{body:?}");
        }
    }
}
