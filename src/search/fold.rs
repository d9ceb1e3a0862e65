//! Words as search sees them, the same in the index and in `search.js`: lowercased, accents
//! removed (canonical decomposition without the combining marks U+0300–U+036F, final sigma as
//! sigma), split at anything that is not a letter or digit; a CJK character is a word of its own
//! (those scripts do not put spaces between words). A word has at least two characters (or is one
//! CJK character) and is cut after `MAX_WORD` characters.

use unicode_normalization::char::decompose_canonical;

/// The most characters of a word that search keeps (the rest of a longer word is dropped).
pub const MAX_WORD: usize = 32;

/// True for characters of scripts written without spaces: each is a word (kana, CJK ideographs).
pub fn is_cjk(c: char) -> bool {
    matches!(u32::from(c),
        0x3040..=0x30ff | 0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xf900..=0xfaff | 0x20000..=0x2ffff)
}

/// Byte classes: an ASCII separator, a lowercase letter or digit, an uppercase letter, or the
/// start or continuation of a non-ASCII character.
const SEP: u8 = 0;
const LOWER: u8 = 1;
const UPPER: u8 = 2;
const OTHER: u8 = 4;
const CLASS: [u8; 256] = {
    let mut t = [OTHER; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = if c.is_ascii_uppercase() {
            UPPER
        } else if c.is_ascii_alphanumeric() {
            LOWER
        } else {
            SEP
        };
        b += 1;
    }
    t
};

/// Reads words out of text, reusing one buffer for a word that needs folding.
#[derive(Default)]
pub struct Words {
    word: String,
    /// Characters in the buffered word so far (counted past `MAX_WORD`).
    chars: usize,
}

impl Words {
    /// Calls `f` with each word of `text`, folded, in order (repeats included). With `json`, the
    /// text is the inside of a JSON string as `crate::json` writes it: its escapes all stand for
    /// ASCII punctuation or control characters, so each is a separator.
    pub fn each(&mut self, text: &str, json: bool, f: &mut impl FnMut(&str)) {
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            let class = CLASS[usize::from(b)];
            if class == SEP {
                if self.chars > 0 {
                    self.end(f);
                }
                i += match (json && b == b'\\', bytes.get(i + 1)) {
                    (true, Some(b'u')) => 6,
                    (true, _) => 2,
                    _ => 1,
                };
                continue;
            }
            if class != OTHER {
                // Nearly all text: runs of ASCII letters and digits, no case tables, no
                // decomposition, and a lowercase word on its own is passed on without a copy.
                let start = i;
                let mut seen = 0;
                while let Some(&b) = bytes.get(i) {
                    let k = CLASS[usize::from(b)];
                    if k == SEP || k == OTHER {
                        break;
                    }
                    seen |= k;
                    i += 1;
                }
                let run = &text[start..i];
                let alone =
                    self.chars == 0 && bytes.get(i).is_none_or(|&b| CLASS[usize::from(b)] == SEP);
                if alone && seen == LOWER && run.len() <= MAX_WORD {
                    if run.len() >= 2 {
                        f(run);
                    }
                } else {
                    self.push_ascii(run);
                }
                continue;
            }
            let Some(c) = text[i..].chars().next() else {
                break;
            };
            i += c.len_utf8();
            for l in c.to_lowercase() {
                decompose_canonical(l, |d| {
                    if ('\u{300}'..='\u{36f}').contains(&d) {
                        return;
                    }
                    let d = if d == 'ς' { 'σ' } else { d };
                    if is_cjk(d) {
                        self.end(f);
                        let mut b = [0; 4];
                        f(d.encode_utf8(&mut b));
                    } else if d.is_alphanumeric() {
                        self.push(d);
                    } else {
                        self.end(f);
                    }
                });
            }
        }
        self.end(f);
    }

    /// Adds a run of ASCII letters and digits to the word, lowercased.
    fn push_ascii(&mut self, run: &str) {
        let take = run.len().min(MAX_WORD.saturating_sub(self.chars));
        let at = self.word.len();
        self.word.push_str(&run[..take]);
        self.word[at..].make_ascii_lowercase();
        self.chars += run.len();
    }

    fn push(&mut self, c: char) {
        if self.chars < MAX_WORD {
            self.word.push(c);
        }
        self.chars += 1;
    }

    fn end(&mut self, f: &mut impl FnMut(&str)) {
        if self.chars >= 2 {
            f(&self.word);
        }
        self.word.clear();
        self.chars = 0;
    }
}

/// The folded words of `text`, in order (for tests and small texts).
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    Words::default().each(text, false, &mut |w| out.push(w.to_string()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_accents_and_separators_fold_away() {
        assert_eq!(
            words("Báo Quốc Tế: Xi's VISIT, Covid-19 (2023)"),
            ["bao", "quoc", "te", "xi", "visit", "covid", "19", "2023"]
        );
        assert_eq!(
            words("ΟΔΟΣ Straße İstanbul"),
            ["οδοσ", "straße", "istanbul"]
        );
    }

    #[test]
    fn short_words_are_dropped_and_long_ones_cut() {
        assert_eq!(words("a b c de"), ["de"]);
        let long = "x".repeat(40);
        assert_eq!(words(&long), ["x".repeat(MAX_WORD)]);
    }

    #[test]
    fn ascii_runs_join_the_letters_around_them() {
        assert_eq!(
            words("CAFÉ café Ab12cd déjà-vu x"),
            ["cafe", "cafe", "ab12cd", "deja", "vu"]
        );
        let long = format!("{}É{}", "a".repeat(30), "b".repeat(10));
        assert_eq!(words(&long), [format!("{}eb", "a".repeat(30))]);
    }

    #[test]
    fn cjk_characters_are_words_of_their_own() {
        assert_eq!(words("北京summit会议"), ["北", "京", "summit", "会", "议"]);
    }

    #[test]
    fn json_escapes_are_separators_as_the_characters_they_stand_for() {
        let text = "AT&T said \"no\"\nline\\path <b> tab\there é";
        let mut json = String::new();
        crate::json::push_string(&mut json, text);
        let mut got = Vec::new();
        Words::default().each(&json[1..json.len() - 1], true, &mut |w| {
            got.push(w.to_string())
        });
        assert_eq!(got, words(text));
    }
}
