//! Highlights: `==text==` becomes `<mark>text</mark>`. Delimiters pair within one run of inline
//! content (a paragraph, heading or cell) at the same nesting depth, so `<mark>` never overlaps
//! `<em>` or `<a>`; an opener is not followed by a space and a closer not preceded by one, so
//! `a == b` stays text.

use pulldown_cmark::{Event, Tag, TagEnd};

/// True if `text` may hold a delimiter: worth gathering its run to pair them.
pub fn may_hold(text: &str) -> bool {
    text.contains("==")
}

/// True for events that sit inside a run of inline content.
pub fn is_inline(e: &Event<'_>) -> bool {
    match e {
        Event::Text(_)
        | Event::Code(_)
        | Event::InlineMath(_)
        | Event::DisplayMath(_)
        | Event::InlineHtml(_)
        | Event::SoftBreak
        | Event::HardBreak
        | Event::FootnoteReference(_) => true,
        Event::Start(t) => matches!(
            t,
            Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Superscript
                | Tag::Subscript
                | Tag::Link { .. }
                | Tag::Image { .. }
        ),
        Event::End(t) => matches!(
            t,
            TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript
                | TagEnd::Link
                | TagEnd::Image
        ),
        _ => false,
    }
}

/// Where `<mark>` and `</mark>` go in a run: (event index, byte offset in its text, opens).
/// Each pair is matched, so the marks always balance.
pub fn pair(run: &[&Event<'_>]) -> Vec<(usize, usize, bool)> {
    struct Candidate {
        event: usize,
        at: usize,
        depth: usize,
    }
    let mut pairs: Vec<(usize, usize, bool)> = Vec::new();
    let mut open: Vec<Candidate> = Vec::new();
    let mut depth = 0usize;
    // Inside an image's alt text, which is plain text: no marks.
    let mut images = 0usize;
    for (i, e) in run.iter().enumerate() {
        let text = match e {
            Event::Text(t) if images == 0 => t.as_ref(),
            Event::Start(t) => {
                depth += 1;
                images += usize::from(matches!(t, Tag::Image { .. }));
                continue;
            }
            Event::End(t) => {
                depth = depth.saturating_sub(1);
                if matches!(t, TagEnd::Image) {
                    images = images.saturating_sub(1);
                }
                // An opener inside a closed tag can no longer pair.
                while open.last().is_some_and(|c| c.depth > depth) {
                    open.pop();
                }
                continue;
            }
            _ => continue,
        };
        let bytes = text.as_bytes();
        let mut j = 0;
        while j + 1 < bytes.len() {
            if bytes[j] != b'=' {
                j += 1;
                continue;
            }
            let n = bytes[j..].iter().take_while(|&&b| b == b'=').count();
            if n != 2 {
                j += n;
                continue;
            }
            // Outside this text a neighbour is not a space (tags, code) unless it is a break or
            // the edge of the run.
            let space_before = match text[..j].chars().next_back() {
                Some(c) => c.is_whitespace(),
                None => i == 0 || matches!(run[i - 1], Event::SoftBreak | Event::HardBreak),
            };
            let space_after = match text[j + 2..].chars().next() {
                Some(c) => c.is_whitespace(),
                None => {
                    i + 1 == run.len() || matches!(run[i + 1], Event::SoftBreak | Event::HardBreak)
                }
            };
            let pending = open.last().filter(|c| c.depth == depth);
            if let (Some(c), false) = (pending, space_before) {
                pairs.push((c.event, c.at, true));
                pairs.push((i, j, false));
                open.pop();
            } else if !space_after {
                open.push(Candidate {
                    event: i,
                    at: j,
                    depth,
                });
            }
            j += 2;
        }
    }
    pairs.sort_unstable();
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::CowStr;

    fn text(s: &str) -> Event<'_> {
        Event::Text(CowStr::Borrowed(s))
    }

    #[test]
    fn pairs_balance_and_respect_spaces_and_depth() {
        let a = text("a ==b== c == d");
        assert_eq!(pair(&[&a]), vec![(0, 2, true), (0, 5, false)]);
        let lone = text("x ==y");
        assert!(pair(&[&lone]).is_empty());
        let triple = text("===a===");
        assert!(pair(&[&triple]).is_empty());
        // `==*a*==`: the delimiters sit outside the emphasis, at the same depth.
        let (open, close) = (text("=="), text("=="));
        let (s, inner, e) = (
            Event::Start(Tag::Emphasis),
            text("a"),
            Event::End(TagEnd::Emphasis),
        );
        assert_eq!(
            pair(&[&open, &s, &inner, &e, &close]),
            vec![(0, 0, true), (4, 0, false)]
        );
        // `*==a*==`: the opener inside the emphasis cannot close outside it.
        let (o2, c2) = (text("==a"), text("=="));
        assert!(pair(&[&s, &o2, &e, &c2]).is_empty());
    }
}
