//! Every word of the index with the pages it occurs in and its postings string, kept between
//! builds of one site (`serve`, `watch`) so an edit reads again only the pages it changed.
//!
//! A postings string lists, for each page, `(gap << 4) | fields` as a little-endian varint in
//! base 32 (digits `0-9a-v` end a number, `w-zA-Z-_` carry 5 more bits), where `gap` is the
//! number of page ids skipped since the previous page of the list.

use super::{Doc, Words};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// The digits of postings: values 0–31 end a number, 32–63 carry on.
pub const DIGITS: &[u8; 64] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";

/// One word's pages, as `id << 4 | fields` in id order, and the postings string of them.
pub struct Word {
    pages: Vec<u32>,
    /// The postings string.
    pub postings: String,
    /// The update that last changed the pages.
    pub changed: u64,
}

/// Every word of the pages.
#[derive(Default)]
pub struct Vocabulary {
    /// Each word.
    pub words: HashMap<Box<str>, Word, BuildHasherDefault<WordHasher>>,
    /// The words in the order search.js compares them (`js_order`).
    pub sorted: Vec<Box<str>>,
    /// Updates so far.
    pub round: u64,
    /// The words the last update added or removed.
    pub came_or_went: Vec<Box<str>>,
}

impl Vocabulary {
    /// Reads the pages `changed` (ids, in order) again: their old entries go, their words come.
    /// On an empty vocabulary, `changed` is every page.
    pub fn update(&mut self, docs: &[&Doc], changed: &[u32]) {
        self.round += 1;
        let round = self.round;
        let fresh = self.words.is_empty();
        let mut went: Vec<Box<str>> = Vec::new();
        if !fresh {
            self.words.retain(|w, word| {
                let before = word.pages.len();
                word.pages
                    .retain(|p| changed.binary_search(&(p >> 4)).is_err());
                if word.pages.len() != before {
                    word.changed = round;
                }
                if word.pages.is_empty() {
                    went.push(w.clone());
                }
                !word.pages.is_empty()
            });
        }
        let mut came: Vec<Box<str>> = Vec::new();
        let mut reader = Words::default();
        let words = &mut self.words;
        for &id in changed {
            docs[id as usize].each_word(&mut reader, &mut |w, fields| match words.get_mut(w) {
                Some(word) => {
                    add_page(&mut word.pages, id, fields);
                    word.changed = round;
                }
                None => {
                    let mut pages = Vec::new();
                    add_page(&mut pages, id, fields);
                    let postings = String::new();
                    words.insert(
                        w.into(),
                        Word {
                            pages,
                            postings,
                            changed: round,
                        },
                    );
                    if !fresh {
                        came.push(w.into());
                    }
                }
            });
        }
        for w in self.words.values_mut().filter(|w| w.changed == round) {
            w.postings = encode(&w.pages);
        }
        if fresh {
            self.sorted = self.words.keys().cloned().collect();
            self.sorted.sort_unstable_by(|a, b| js_order(a, b));
        } else {
            // A word that went and came back in one update is where it was.
            went.retain(|w| !self.words.contains_key(w));
            for w in &went {
                if let Ok(at) = self.sorted.binary_search_by(|x| js_order(x, w)) {
                    self.sorted.remove(at);
                }
            }
            for w in &came {
                if let Err(at) = self.sorted.binary_search_by(|x| js_order(x, w)) {
                    self.sorted.insert(at, w.clone());
                }
            }
        }
        went.extend(came);
        self.came_or_went = went;
    }

    /// True if the last update added or removed a word between `first` and `last`, or if
    /// everything is new.
    pub fn reshaped(&self, first: &str, last: &str) -> bool {
        self.round == 1
            || self.came_or_went.iter().any(|w| {
                js_order(first, w) != std::cmp::Ordering::Greater
                    && js_order(w, last) != std::cmp::Ordering::Greater
            })
    }
}

/// Adds page `id` with `fields` to a word's pages.
fn add_page(pages: &mut Vec<u32>, id: u32, fields: u8) {
    let v = (id << 4) | u32::from(fields);
    match pages.last().map(|p| p >> 4) {
        Some(last) if last == id => {
            if let Some(p) = pages.last_mut() {
                *p |= v;
            }
        }
        // An edited page goes back where its id belongs.
        Some(last) if last > id => {
            let at = pages.partition_point(|p| p >> 4 < id);
            match pages.get_mut(at) {
                Some(p) if *p >> 4 == id => *p |= v,
                _ => pages.insert(at, v),
            }
        }
        _ => pages.push(v),
    }
}

/// A word's pages as a postings string.
fn encode(pages: &[u32]) -> String {
    let mut out = String::with_capacity(pages.len() * 2);
    let mut next = 0;
    for &p in pages {
        let id = p >> 4;
        let mut v = (u64::from(id - next) << 4) | u64::from(p & 15);
        while v >= 32 {
            out.push(char::from(DIGITS[(32 + (v & 31)) as usize]));
            v >>= 5;
        }
        out.push(char::from(DIGITS[v as usize]));
        next = id + 1;
    }
    out
}

/// Reads a postings string back into `(page id, fields)` pairs, as search.js does (for tests and
/// tools; `None` if a character is not a digit or a number is cut off).
pub fn read_postings(s: &str) -> Option<Vec<(u32, u8)>> {
    let (mut out, mut id, mut v, mut shift) = (Vec::new(), 0u64, 0u64, 0u32);
    for b in s.bytes() {
        let d = DIGITS.iter().position(|&x| x == b)? as u64;
        if d >= 32 {
            v |= (d - 32).checked_shl(shift)?;
            shift += 5;
            continue;
        }
        v |= d.checked_shl(shift)?;
        id += v >> 4;
        out.push((u32::try_from(id).ok()?, (v & 15) as u8));
        id += 1;
        (v, shift) = (0, 0);
    }
    (shift == 0).then_some(out)
}

/// Orders words as JavaScript compares strings (by UTF-16 code units), so search.js can
/// binary-search the shard ranges with `<`.
pub fn js_order(a: &str, b: &str) -> std::cmp::Ordering {
    if a.is_ascii() && b.is_ascii() {
        a.cmp(b)
    } else {
        a.encode_utf16().cmp(b.encode_utf16())
    }
}

/// A hash for words (hashing every word of every page is hot on a large site; the words come
/// from the project's own files, so SipHash's defence buys nothing here).
#[derive(Default)]
pub struct WordHasher(u64);

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        self.0 = mix(self.0, bytes);
    }

    fn write_u8(&mut self, b: u8) {
        self.0 = mix(self.0, &[b]);
    }

    fn finish(&self) -> u64 {
        // The multiplications mix upwards: fold the high bits into the low ones the table uses.
        self.0 ^ (self.0 >> 32)
    }
}

const K: u64 = 0x9e37_79b9_7f4a_7c15;

/// Mixes `data` into `h`, 8 bytes at a time (the last ones padded with zeros).
fn mix(mut h: u64, data: &[u8]) -> u64 {
    let mut chunks = data.chunks_exact(8);
    for c in &mut chunks {
        let mut word = [0; 8];
        word.copy_from_slice(c);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut word = [0; 8];
        word[..rest.len()].copy_from_slice(rest);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(K);
    }
    h
}

/// A hash of bytes (the pages and shards of a large site are megabytes).
pub fn hash64(data: &[u8]) -> u64 {
    let h = mix(data.len() as u64, data);
    (h ^ (h >> 29)).wrapping_mul(K)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postings_use_five_bits_a_digit() {
        assert_eq!(encode(&[0]), "0");
        assert_eq!(encode(&[(1 << 4) | 15]), "v");
        assert_eq!(encode(&[2 << 4]), "w1");
        assert_eq!(encode(&[1, (13 << 4) | 1]), "1x6");
        assert_eq!(read_postings("1x6"), Some(vec![(0, 1), (13, 1)]));
        assert_eq!(read_postings("w"), None);
    }

    #[test]
    fn an_edited_page_goes_back_in_order_with_its_fields_merged() {
        let mut pages = vec![(1 << 4) | 1, (5 << 4) | 1];
        add_page(&mut pages, 3, 2);
        add_page(&mut pages, 3, 8);
        add_page(&mut pages, 5, 4);
        assert_eq!(pages, [(1 << 4) | 1, (3 << 4) | 10, (5 << 4) | 5]);
    }

    #[test]
    fn javascript_order_puts_astral_characters_before_the_end_of_the_bmp() {
        assert_eq!(js_order("\u{1F600}", "\u{FF21}"), std::cmp::Ordering::Less);
        assert_eq!(js_order("ab", "b"), std::cmp::Ordering::Less);
    }
}
