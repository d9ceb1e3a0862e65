//! Obsidian comments (`%%hidden%%`, across lines, or unclosed to the end of the note) blanked out
//! of a note's body before anything else reads it, so their text is never published.
//!
//! The bytes of a comment become spaces (newlines stay), so every later byte offset, line and
//! column is what it was in the file and diagnostics still point at the right place. Two spots
//! where spaces would change how the Markdown reads are handled: text after a comment that opened
//! its line moves left to where the comment began (else its indentation could make it a code
//! block), and a comment that ends a line after text ends in a no-break space (else the spaces
//! before the line break would make it a hard line break). `%%` inside code spans and fenced
//! code is literal, as in Obsidian.

use std::ops::Range;

/// A no-break space in UTF-8: it ends the filler of a comment that closes a line of text, so the
/// spaces before the newline are not a hard break.
const NBSP: [u8; 2] = [0xC2, 0xA0];

/// Blanks every comment in `text[from..]` (the body; `from` is where it starts). Linear in the
/// body's length, and a no-op (no allocation) for a body without `%%`.
pub fn strip(text: &mut String, from: usize) {
    let Some(body) = text.get(from..) else { return };
    if !body.contains("%%") {
        return;
    }
    let ranges = find(text.as_bytes(), from);
    if ranges.is_empty() {
        return;
    }
    let mut bytes = std::mem::take(text).into_bytes();
    blank(&mut bytes, &ranges);
    // Only ASCII was written over whole characters, and whole characters moved: always valid.
    *text =
        String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into());
}

/// The byte ranges of comments in `bytes[from..]`, in order, outside code spans and fenced code.
fn find(bytes: &[u8], from: usize) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let len = bytes.len();
    let mut pos = from;
    // The fence (byte, length) of the open fenced code block, if any.
    let mut fence: Option<(u8, usize)> = None;
    // Backtick run lengths known to have no closer before the end of the paragraph: a later run
    // of that length has none either, so unmatched backticks never make the scan quadratic.
    let mut unclosed: Vec<usize> = Vec::new();
    let mut at_line_start = true;
    let mut line_end = from;
    while pos < len {
        if pos >= line_end || at_line_start {
            line_end = memchr(b'\n', bytes, pos).unwrap_or(len);
        }
        if at_line_start {
            at_line_start = false;
            let line = &bytes[pos..line_end];
            if let Some(open) = fence {
                if closes_fence(line, open) {
                    fence = None;
                }
                pos = line_end + 1;
                at_line_start = true;
                continue;
            }
            if let Some(open) = opens_fence(line) {
                fence = Some(open);
                pos = line_end + 1;
                at_line_start = true;
                continue;
            }
            if line.iter().all(|b| b.is_ascii_whitespace()) {
                unclosed.clear();
            }
        }
        let Some(p) = (pos..line_end)
            .find(|&i| bytes[i] == b'`' || (bytes[i] == b'%' && bytes.get(i + 1) == Some(&b'%')))
        else {
            pos = line_end + 1;
            at_line_start = true;
            continue;
        };
        if bytes[p] == b'%' {
            match find_pair(bytes, p + 2) {
                Some(q) => {
                    ranges.push(p..q + 2);
                    pos = q + 2;
                }
                None => {
                    ranges.push(p..len);
                    break;
                }
            }
            if pos > line_end {
                line_end = memchr(b'\n', bytes, pos).unwrap_or(len);
            }
            continue;
        }
        let run = bytes[p..].iter().take_while(|&&b| b == b'`').count();
        pos = p + run;
        if unclosed.contains(&run) {
            continue;
        }
        match code_span_end(bytes, pos, run) {
            Some(end) => {
                pos = end;
                if pos > line_end {
                    line_end = memchr(b'\n', bytes, pos).unwrap_or(len);
                }
            }
            None => unclosed.push(run),
        }
    }
    ranges
}

fn memchr(b: u8, bytes: &[u8], from: usize) -> Option<usize> {
    bytes[from..].iter().position(|&x| x == b).map(|i| from + i)
}

/// The start of the next `%%` at or after `from`.
fn find_pair(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while let Some(p) = memchr(b'%', bytes, i) {
        if bytes.get(p + 1) == Some(&b'%') {
            return Some(p);
        }
        i = p + 1;
    }
    None
}

/// Where a code span opened by `run` backticks (its text starting at `from`) ends: just past a
/// run of exactly as many backticks before the paragraph ends (a blank line).
fn code_span_end(bytes: &[u8], from: usize, run: usize) -> Option<usize> {
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            b'`' => {
                let n = bytes[i..].iter().take_while(|&&b| b == b'`').count();
                if n == run {
                    return Some(i + n);
                }
                i += n;
            }
            b'\n' => {
                let next = memchr(b'\n', bytes, i + 1).unwrap_or(bytes.len());
                if bytes[i + 1..next].iter().all(|b| b.is_ascii_whitespace()) {
                    return None;
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    None
}

/// The line with quote and list markers (and the spaces around them) taken off the front.
fn after_markers(line: &[u8]) -> &[u8] {
    let mut rest = line;
    loop {
        let trimmed = trim_start(rest);
        match trimmed.first() {
            Some(b'>') => rest = &trimmed[1..],
            Some(b'-' | b'*' | b'+') if is_space_or_end(trimmed.get(1)) => rest = &trimmed[1..],
            Some(b'0'..=b'9') => {
                let digits = trimmed.iter().take_while(|b| b.is_ascii_digit()).count();
                if digits <= 9
                    && matches!(trimmed.get(digits), Some(b'.' | b')'))
                    && is_space_or_end(trimmed.get(digits + 1))
                {
                    rest = &trimmed[digits + 1..];
                } else {
                    return trimmed;
                }
            }
            _ => return trimmed,
        }
    }
}

fn is_space_or_end(b: Option<&u8>) -> bool {
    matches!(b, None | Some(b' ' | b'\t'))
}

fn trim_start(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|&&c| c == b' ' || c == b'\t').count();
    &b[n..]
}

/// A line opening fenced code: three or more backticks or tildes (backtick fences have no
/// backtick after them).
fn opens_fence(line: &[u8]) -> Option<(u8, usize)> {
    let rest = after_markers(line);
    let c = *rest.first()?;
    if c != b'`' && c != b'~' {
        return None;
    }
    let n = rest.iter().take_while(|&&b| b == c).count();
    if n < 3 || (c == b'`' && rest[n..].contains(&b'`')) {
        return None;
    }
    Some((c, n))
}

/// A line closing the fence `(c, n)`: at least `n` of `c` and nothing else.
fn closes_fence(line: &[u8], (c, n): (u8, usize)) -> bool {
    let rest = after_markers(line);
    let run = rest.iter().take_while(|&&b| b == c).count();
    run >= n && rest[run..].iter().all(|b| b.is_ascii_whitespace())
}

/// Turns each comment into spaces (newlines kept), then mends the lines a comment touched.
fn blank(bytes: &mut [u8], ranges: &[Range<usize>]) {
    for r in ranges {
        for b in &mut bytes[r.clone()] {
            if *b != b'\n' {
                *b = b' ';
            }
        }
    }
    // Each touched line once: (line start, line end, first comment byte, end of the last comment
    // part). Only a comment's first and last line can hold text besides it.
    let mut lines: Vec<(usize, usize, usize, usize)> = Vec::new();
    let mut touch = |(s, e): (usize, usize), part: Range<usize>| match lines.last_mut() {
        Some(last) if last.0 == s => last.3 = part.end,
        _ => lines.push((s, e, part.start, part.end)),
    };
    let mut cursor = None;
    for r in ranges {
        let first = line_bounds(bytes, r.start, &mut cursor);
        touch(first, r.start..r.end.min(first.1));
        if r.end > first.1 + 1 {
            let last = line_bounds(bytes, r.end - 1, &mut cursor);
            touch(last, last.0..r.end.min(last.1));
        }
    }
    for (start, end, first, last) in lines {
        mend_line(bytes, start..end, first, last);
    }
}

/// The (start, end) of the line holding byte `at` (end at its newline or the end of text).
/// `at` never decreases between calls; `last` keeps the line found before, so many comments on
/// one long line do not scan it again each time.
fn line_bounds(bytes: &[u8], at: usize, last: &mut Option<(usize, usize)>) -> (usize, usize) {
    let at = at.min(bytes.len());
    if let Some((s, e)) = *last
        && (s..=e).contains(&at)
    {
        return (s, e);
    }
    let from = last.map_or(0, |(_, e)| e.min(at));
    let start = bytes[from..at]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(from, |i| from + i + 1);
    let end = memchr(b'\n', bytes, at).unwrap_or(bytes.len());
    *last = Some((start, end));
    (start, end)
}

/// Mends one line whose comments (now spaces) run from `first` to `last`: text after a comment
/// that opened the line moves left to where the comment began, and filler that ends a line of
/// text ends in a no-break space.
fn mend_line(bytes: &mut [u8], line: Range<usize>, first: usize, last: usize) {
    let (start, end) = (line.start, line.end);
    let newline_follows = end < bytes.len();
    let text_before = !after_markers(&bytes[start..first]).is_empty();
    if !text_before {
        // `%%note%% text`: move `text` to where the comment began.
        let Some(t) = (first..end).find(|&i| !bytes[i].is_ascii_whitespace()) else {
            return; // nothing but comments: a blank line
        };
        let moved = end - t;
        bytes.copy_within(t..end, first);
        for b in &mut bytes[first + moved..end] {
            *b = b' ';
        }
        if newline_follows && end - (first + moved) >= 2 {
            bytes[end - 2..end].copy_from_slice(&NBSP);
        }
        return;
    }
    let ends_in_comment = bytes[last..end].iter().all(|b| b.is_ascii_whitespace());
    if newline_follows && ends_in_comment && last - first >= 2 {
        // `text %%note%%` then a newline: no hard break.
        bytes[last - 2..last].copy_from_slice(&NBSP);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stripped(body: &str) -> String {
        let mut t = body.to_string();
        strip(&mut t, 0);
        assert_eq!(t.len(), body.len(), "offsets must stay: {t:?}");
        assert_eq!(
            t.match_indices('\n').map(|(i, _)| i).collect::<Vec<_>>(),
            body.match_indices('\n').map(|(i, _)| i).collect::<Vec<_>>(),
            "newlines must stay"
        );
        t
    }

    #[test]
    fn inline_block_and_unclosed_comments_are_blanked() {
        assert_eq!(stripped("a %%secret%% b"), "a            b");
        assert_eq!(
            stripped("a\n\n%%\nsecret\n%%\n\nb"),
            "a\n\n  \n      \n  \n\nb"
        );
        assert_eq!(stripped("a\n%%secret\nmore"), "a\n        \n    ");
        assert_eq!(stripped("%%%%x"), "x    ");
    }

    #[test]
    fn code_spans_and_fences_keep_percent_signs() {
        assert_eq!(stripped("`%%x%%` a"), "`%%x%%` a");
        assert_eq!(stripped("``a `%%` b`` %%c%%"), "``a `%%` b``      ");
        assert_eq!(stripped("```\n%%x%%\n```\n%%y%%"), "```\n%%x%%\n```\n     ");
        assert_eq!(
            stripped("~~~~\n%%\n~~~\n%%\n~~~~\nz"),
            "~~~~\n%%\n~~~\n%%\n~~~~\nz"
        );
        assert_eq!(stripped("> ```\n> %%x%%\n> ```"), "> ```\n> %%x%%\n> ```");
        // An unmatched backtick is literal; the comment after it is still a comment.
        assert_eq!(stripped("a ` b %%c%%"), "a ` b      ");
    }

    #[test]
    fn text_after_a_comment_that_opens_a_line_does_not_become_code() {
        let t = stripped("%%a long comment here%% Visible\nnext");
        assert!(t.starts_with("Visible "), "{t:?}");
        assert!(t.ends_with("\u{a0}\nnext"), "{t:?}");
        let t = stripped("- %%a long comment%% item");
        assert!(t.starts_with("- item"), "{t:?}");
        let t = stripped("a %%multi\nline%% rest");
        assert!(t.starts_with("a "), "{t:?}");
        assert!(t.contains("\u{a0}\nrest"), "{t:?}");
    }

    #[test]
    fn a_comment_ending_a_line_of_text_makes_no_hard_break() {
        let t = stripped("text %%note%%\nnext");
        assert_eq!(t, "text       \u{a0}\nnext");
        // At the end of the note nothing follows: plain spaces.
        assert_eq!(stripped("text %%note%%"), "text         ");
    }

    proptest::proptest! {
        #[test]
        fn any_body_keeps_its_length_lines_and_text_outside_comments(
            body in "([%`~ a\n>\t-]|%%|```|é|1\\. ){0,60}"
        ) {
            // `stripped` checks length and newlines; nothing may panic.
            let t = stripped(&body);
            if !body.contains("%%") {
                proptest::prop_assert_eq!(t, body);
            }
        }
    }

    #[test]
    fn many_comments_on_one_long_line_stay_linear() {
        let body = "%%c%% word ".repeat(50_000) + "\nend";
        let t = stripped(&body);
        assert!(t.starts_with("word"), "{}", &t[..20]);
        assert!(!t.contains('%'));
    }

    #[test]
    fn body_offset_is_respected() {
        let mut t = String::from("---\ntitle: \"%%\"\n---\nx %%y%%");
        strip(&mut t, 20);
        assert_eq!(t, "---\ntitle: \"%%\"\n---\nx      ");
    }
}
