//! HTML escaping: the one escaper for everything the build writes (template output, the markup
//! the Markdown renderer adds, drawings, feeds), byte for byte Tera's, so a value reads the same
//! wherever it lands. URLs in attributes go through `pulldown_cmark_escape::escape_href` first.

use crate::bytescan::{HtmlSpecial, find};
use std::io;

/// The replacement of an HTML-special byte.
fn replacement(b: u8) -> &'static str {
    match b {
        b'&' => "&amp;",
        b'<' => "&lt;",
        b'>' => "&gt;",
        b'"' => "&quot;",
        _ => "&#39;",
    }
}

/// Calls `emit` with the pieces of `input` escaped, in order: each run that needs no escaping,
/// and the replacement of each byte that does. Most values (titles, paths) have nothing to
/// escape and are passed whole.
fn pieces(input: &str, mut emit: impl FnMut(&str)) {
    let bytes = input.as_bytes();
    let mut start = 0;
    let mut i = find::<HtmlSpecial>(bytes, 0);
    while let Some(&b) = bytes.get(i) {
        // The special bytes are ASCII, so the runs end on character boundaries.
        emit(&input[start..i]);
        emit(replacement(b));
        start = i + 1;
        i = find::<HtmlSpecial>(bytes, start);
    }
    emit(&input[start..]);
}

/// Writes `input` escaped (`&`, `<`, `>`, `"`, `'`), in runs: Tera's own escaper writes one byte
/// at a time through `dyn Write`, which was a tenth of page rendering. Tera uses this one.
pub fn write_html(input: &str, out: &mut dyn io::Write) -> io::Result<()> {
    let mut result = Ok(());
    pieces(input, |s| {
        if result.is_ok() {
            result = out.write_all(s.as_bytes());
        }
    });
    result
}

/// Appends `input` escaped to `out`.
pub fn push_html(out: &mut String, input: &str) {
    pieces(input, |s| out.push_str(s));
}

/// `input` escaped.
pub fn html(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + 8);
    push_html(&mut out, input);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_matches_tera() {
        for input in ["", "plain", "Xi's \"visit\" <b> & more", "&&", "é<ü>", "'"] {
            let (mut ours, mut teras) = (Vec::new(), Vec::new());
            write_html(input, &mut ours).unwrap();
            tera::escape_html(input, &mut teras).unwrap();
            assert_eq!(ours, teras, "{input}");
            assert_eq!(html(input).as_bytes(), teras.as_slice(), "{input}");
        }
    }
}
