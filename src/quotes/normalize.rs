//! Words and punctuation of a text, normalised so a quotation and its source compare equal when
//! they differ only in quote marks, apostrophes, dashes, spacing or letter case.

use std::ops::Range;

/// What a token is: a word is compared letter by letter; punctuation mark by mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Letters and digits (with apostrophes inside, as in `Xi's`).
    Word,
    /// One punctuation mark or symbol (`,` `.` `(` `%` …).
    Punct,
}

/// Calls `f(kind, normalised, byte range in text)` for each token of `text`, in order.
/// Whitespace, dashes and quote marks separate tokens and are not tokens themselves; an
/// apostrophe between two letters is part of a word (`’` and `'` alike); words are lowercased.
/// One buffer is reused for every token, so a text costs no allocation per word.
pub fn tokens(text: &str, mut f: impl FnMut(Kind, &str, Range<usize>)) {
    let mut word = String::with_capacity(32);
    let mut start = 0;
    let mut prev_alnum = false;
    let mut i = 0;
    let bytes = text.as_bytes();
    while i < bytes.len() {
        // ASCII letters and digits, most of any text, skip decoding.
        let b = bytes[i];
        if b.is_ascii_alphanumeric() {
            if word.is_empty() {
                start = i;
            }
            word.push(b.to_ascii_lowercase() as char);
            prev_alnum = true;
            i += 1;
            continue;
        }
        let c = if b.is_ascii() {
            b as char
        } else {
            text[i..].chars().next().unwrap_or(' ')
        };
        let next = i + c.len_utf8();
        if !b.is_ascii() && is_word_char(c) {
            if word.is_empty() {
                start = i;
            }
            word.extend(c.to_lowercase());
            prev_alnum = true;
            i = next;
            continue;
        }
        if is_apostrophe(c) && prev_alnum && text[next..].chars().next().is_some_and(is_word_char) {
            word.push('\'');
            prev_alnum = false;
            i = next;
            continue;
        }
        if !word.is_empty() {
            f(Kind::Word, &word, start..i);
            word.clear();
        }
        prev_alnum = false;
        if !(c.is_whitespace() || is_dash(c) || is_quote_mark(c) || is_apostrophe(c)) {
            let mut buf = [0u8; 4];
            f(Kind::Punct, c.encode_utf8(&mut buf), i..next);
        }
        i = next;
    }
    if !word.is_empty() {
        f(Kind::Word, &word, start..text.len());
    }
}

fn is_word_char(c: char) -> bool {
    // Combining accents (text in decomposed form) belong to the letter before them.
    c.is_alphanumeric() || ('\u{300}'..='\u{36f}').contains(&c)
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘' | 'ʼ' | '′')
}

/// Hyphens and dashes of every length: `US-Japan`, `US–Japan` and `US — Japan` compare equal.
fn is_dash(c: char) -> bool {
    matches!(c, '-' | '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' | '⁃')
}

/// Double quote marks, straight or curly, and guillemets.
pub fn is_quote_mark(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '„' | '‟' | '«' | '»' | '‹' | '›' | '‚')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> Vec<String> {
        let mut v = Vec::new();
        tokens(s, |_, t, _| v.push(t.to_string()));
        v
    }

    #[test]
    fn quote_marks_apostrophes_dashes_spacing_and_case_do_not_count() {
        assert_eq!(
            norm("“Xi’s  visit — to Seoul,” he said"),
            norm("\"xi's visit-to SEOUL,\" He said")
        );
        assert_eq!(norm("US–Japan"), ["us", "japan"]);
        assert_eq!(norm("countries' top"), ["countries", "top"]);
    }

    #[test]
    fn punctuation_is_kept_and_ranges_point_into_the_text() {
        let mut v = Vec::new();
        tokens("Báo, (ASIAD).", |k, t, r| v.push((k, t.to_string(), r)));
        assert_eq!(v[0], (Kind::Word, "báo".into(), 0..4));
        assert_eq!(v[1].1, ",");
        assert_eq!(v[2].1, "(");
        assert_eq!(v[3], (Kind::Word, "asiad".into(), 7..12));
        assert_eq!(v.len(), 6);
    }
}
