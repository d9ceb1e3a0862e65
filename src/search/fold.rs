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

/// Reads words out of text, reusing one buffer for the word being read.
#[derive(Default)]
pub struct Words {
    word: String,
    /// Characters in the word so far (counted past `MAX_WORD`).
    chars: usize,
}

impl Words {
    /// Calls `f` with each word of `text`, folded, in order (repeats included).
    pub fn each(&mut self, text: &str, f: &mut impl FnMut(&str)) {
        for c in text.chars() {
            if c.is_ascii() {
                // Nearly all text: no case mapping tables, no decomposition.
                if c.is_ascii_alphanumeric() {
                    self.push(c.to_ascii_lowercase());
                } else {
                    self.end(f);
                }
                continue;
            }
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
    Words::default().each(text, &mut |w| out.push(w.to_string()));
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
    fn cjk_characters_are_words_of_their_own() {
        assert_eq!(words("北京summit会议"), ["北", "京", "summit", "会", "议"]);
    }
}
