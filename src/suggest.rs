//! "Did you mean": the closest of many names to a misspelt one, fast enough for thousands of
//! names and hundreds of broken links. Names are sorted by length and counted by letter: only
//! names of a similar length and similar letters are compared, and only a close match (a few
//! edits for its length) is suggested: nothing is better than a misleading suggestion.

/// Names indexed for close-match lookups.
pub struct Suggester<'a> {
    /// (length in characters, position given, name, letters), by length then position.
    names: Vec<(usize, usize, &'a str, Bag)>,
}

/// Characters counted by kind: `a`–`z`, `0`–`9`, and one count for everything else.
type Bag = [u8; 37];

pub(crate) fn bag(name: &str) -> Bag {
    let mut b = [0u8; 37];
    for c in name.chars() {
        let slot = match c {
            'a'..='z' => c as usize - 'a' as usize,
            '0'..='9' => 26 + c as usize - '0' as usize,
            _ => 36,
        };
        b[slot] = b[slot].saturating_add(1);
    }
    b
}

/// A lower bound of the edit distance between the names of two bags: an insertion or deletion
/// changes one count by one, a substitution one up and one down, a transposition none.
pub(crate) fn bag_distance(a: &Bag, b: &Bag) -> usize {
    let (mut more, mut fewer) = (0usize, 0usize);
    for (x, y) in a.iter().zip(b) {
        if x > y {
            more += usize::from(x - y);
        } else {
            fewer += usize::from(y - x);
        }
    }
    more.max(fewer)
}

/// The most edits a suggestion may be from a name of `len` characters: one per four, at least one.
fn max_edits(len: usize) -> usize {
    (len / 4).max(1)
}

impl<'a> Suggester<'a> {
    /// Indexes `names` (compared as given: normalise them first, as the lookups are).
    pub fn new(names: impl IntoIterator<Item = &'a str>) -> Self {
        let mut names: Vec<(usize, usize, &str, Bag)> = names
            .into_iter()
            .enumerate()
            .map(|(i, n)| (n.chars().count(), i, n, bag(n)))
            .collect();
        names.sort_unstable_by_key(|(len, i, ..)| (*len, *i));
        Suggester { names }
    }

    /// The closest name to `wanted`, if one is within a few edits (ties: the earliest given).
    pub fn closest(&self, wanted: &str) -> Option<&'a str> {
        let len = wanted.chars().count();
        if len == 0 {
            return None;
        }
        let k = max_edits(len);
        let wanted_bag = bag(wanted);
        let first = self.names.partition_point(|(l, ..)| *l + k < len);
        self.names[first..]
            .iter()
            .take_while(|(l, ..)| *l <= len + k)
            // Cheap first: the letters (no allocation), before the distance.
            .filter(|(.., b)| bag_distance(b, &wanted_bag) <= k)
            .map(|(_, i, n, _)| (strsim::osa_distance(wanted, n), *i, *n))
            .filter(|&(d, ..)| d <= k)
            .min()
            .map(|(.., n)| n)
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
    fn bag_distance_is_a_lower_bound() {
        for (a, b) in [
            ("kitten", "sitting"),
            ("abc", "acb"),
            ("", "xyz"),
            ("é-1", "e-1"),
        ] {
            assert!(
                bag_distance(&bag(a), &bag(b)) <= strsim::osa_distance(a, b),
                "{a} {b}"
            );
        }
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
                .map(|(i, n)| (strsim::osa_distance(w, n), i))
                .filter(|&(d, _)| d <= k)
                .min()
                .map(|(_, i)| names[i].as_str());
            assert_eq!(s.closest(w), brute, "{w}");
        }
    }
}
