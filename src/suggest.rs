//! "Did you mean": the closest of many names to a misspelt one, fast enough for thousands of
//! names and hundreds of broken links. Names are indexed by their three-letter pieces; only
//! names sharing enough pieces are compared, and only a close match (a few edits for its
//! length) is suggested: nothing is better than a misleading suggestion.

use std::collections::HashMap;

/// Names indexed for close-match lookups.
pub struct Suggester<'a> {
    names: Vec<&'a str>,
    /// Each name's length in characters.
    lens: Vec<usize>,
    /// Names by the three-character pieces of the name padded at both ends.
    grams: HashMap<[char; 3], Vec<u32>>,
}

/// The most edits a suggestion may be from a name of `len` characters: one per four, at least one.
fn max_edits(len: usize) -> usize {
    (len / 4).max(1)
}

/// The distinct three-character pieces of `name`, padded with a mark at both ends (so a name of
/// `n` characters has up to `n` pieces).
fn trigrams(name: &str) -> Vec<[char; 3]> {
    let chars: Vec<char> = std::iter::once('\u{1}')
        .chain(name.chars())
        .chain(std::iter::once('\u{1}'))
        .collect();
    let mut grams: Vec<[char; 3]> = chars.windows(3).map(|w| [w[0], w[1], w[2]]).collect();
    grams.sort_unstable();
    grams.dedup();
    grams
}

impl<'a> Suggester<'a> {
    /// Indexes `names` (compared as given: normalise them first, as the lookups are).
    pub fn new(names: impl IntoIterator<Item = &'a str>) -> Self {
        let names: Vec<&str> = names.into_iter().collect();
        let mut grams: HashMap<[char; 3], Vec<u32>> = HashMap::new();
        let mut lens = Vec::with_capacity(names.len());
        for (i, n) in names.iter().enumerate() {
            lens.push(n.chars().count());
            for g in trigrams(n) {
                grams.entry(g).or_default().push(i as u32);
            }
        }
        Suggester { names, lens, grams }
    }

    /// The closest name to `wanted`, if one is within a few edits (ties: the earliest name).
    pub fn closest(&self, wanted: &str) -> Option<&'a str> {
        let len = wanted.chars().count();
        if len == 0 {
            return None;
        }
        let k = max_edits(len);
        let near = |i: usize| self.lens[i].abs_diff(len) <= k;
        let wanted_grams = trigrams(wanted);
        // An edit changes at most three pieces (a transposition four): a name within `k` edits
        // shares at least this many.
        let needed = wanted_grams.len() as isize - 4 * k as isize;
        let candidates: Vec<usize> = if needed >= 1 {
            let mut shared: HashMap<u32, u16> = HashMap::new();
            for g in &wanted_grams {
                for &i in self.grams.get(g).into_iter().flatten() {
                    *shared.entry(i).or_default() += 1;
                }
            }
            let mut c: Vec<usize> = shared
                .into_iter()
                .filter(|&(i, n)| n as isize >= needed && near(i as usize))
                .map(|(i, _)| i as usize)
                .collect();
            c.sort_unstable();
            c
        } else {
            // Very short names: compare with every name of a similar length.
            (0..self.names.len()).filter(|&i| near(i)).collect()
        };
        candidates
            .into_iter()
            .map(|i| (strsim::damerau_levenshtein(wanted, self.names[i]), i))
            .filter(|&(d, _)| d <= k)
            .min()
            .map(|(_, i)| self.names[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_names_are_suggested_and_far_ones_not() {
        let s = Suggester::new([
            "yoon-suk-yeol",
            "trilateral-summit",
            "other",
            "xi",
            "han-duck-soo-interview",
        ]);
        assert_eq!(s.closest("othr"), Some("other"));
        assert_eq!(s.closest("trilateral-sumit"), Some("trilateral-summit"));
        assert_eq!(s.closest("trilaterla-summit"), Some("trilateral-summit"));
        assert_eq!(s.closest("xj"), Some("xi"));
        assert_eq!(s.closest("han-duck-soo"), None);
        assert_eq!(s.closest("completely-different"), None);
        assert_eq!(s.closest(""), None);
    }

    #[test]
    fn agrees_with_comparing_every_name() {
        let names: Vec<String> = (0..300)
            .map(|i| format!("note-{}-{}", i * 7919 % 1000, ["a", "bb", "ccc"][i % 3]))
            .collect();
        let s = Suggester::new(names.iter().map(String::as_str));
        for w in [
            "note-17-a",
            "nte-17-bb",
            "note-1000-ccc",
            "x",
            "note",
            "nope-12-cc",
        ] {
            let k = max_edits(w.chars().count());
            let brute = names
                .iter()
                .enumerate()
                .map(|(i, n)| (strsim::damerau_levenshtein(w, n), i))
                .filter(|&(d, _)| d <= k)
                .min()
                .map(|(_, i)| names[i].as_str());
            assert_eq!(s.closest(w), brute, "{w}");
        }
    }
}
