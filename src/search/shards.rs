//! The index as files. The manifest (`search-index.js`) says which shard holds what; the shards
//! under `search/` are of three families, each kept near a size so a query loads little:
//!
//! - `d<i>`: pages, in id order (`Doc::json` each), to show results;
//! - `t<i>`: words in sorted ranges, each with its postings (the pages it occurs in, with the
//!   fields), to find them; a word prefix lies in one or a few neighbouring shards;
//! - `w<i>`: the words of four or more characters starting with a letter, grouped by that letter,
//!   to find the words one typo away from a query word (whose first letter must be right).
//!
//! Every file is a script pushing `[key, data]` onto `window.explainerSearchQ` (loaded by
//! `search.js` through `<script>` elements, so it works from `file://`); its name carries a hash of
//! its data, so a browser never mixes shards of two builds.
//!
//! Postings are one string per word: for each page, `(gap << 4) | fields` as a little-endian
//! varint in base 32 (digits `0-9a-v` end a number, `w-zA-Z-_` carry 5 more bits), where `gap`
//! is the number of page ids skipped since the previous page of the list.

use super::{Doc, Words};
use crate::json;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// The manifest's path from the output root.
pub const MANIFEST: &str = "search-index.js";
/// The folder of the shards, from the output root.
pub const DIR: &str = "search/";
/// About how large a shard of pages may grow (one page larger than this is a shard of its own).
pub const DOC_SHARD: usize = 8 * 1024;
/// About how large a shard of words may grow (one word's postings larger than this, alone).
pub const TERM_SHARD: usize = 16 * 1024;
/// About how large a file of typo words may grow (one first letter's words, alone).
pub const WORD_SHARD: usize = 16 * 1024;

/// The digits of postings: values 0–31 end a number, 32–63 carry on.
pub const DIGITS: &[u8; 64] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";

/// True for a path (from the output root) of a shard: a rebuild that writes the manifest writes
/// every shard, so shards it does not write are stale.
pub fn is_shard(path: &str) -> bool {
    path.starts_with(DIR) && path.ends_with(".js")
}

/// Appends `v` as a varint in `DIGITS`.
fn push_varint(out: &mut String, mut v: u64) {
    while v >= 32 {
        out.push(char::from(DIGITS[(32 + (v & 31)) as usize]));
        v >>= 5;
    }
    out.push(char::from(DIGITS[v as usize]));
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

/// The key and data of one of the index's scripts (for tests and tools; `None` if it is not one).
pub fn read_script(script: &[u8]) -> Option<(String, serde_json::Value)> {
    let text = std::str::from_utf8(script).ok()?;
    let inner = text.strip_prefix(OPEN)?.strip_suffix("]);\n")?;
    let v: serde_json::Value = serde_json::from_str(&format!("[\"{inner}]")).ok()?;
    Some((v[0].as_str()?.to_string(), v[1].clone()))
}

/// Each word's pages, as `id << 4 | fields`, in id order.
type WordPages = HashMap<Box<str>, Vec<u32>, BuildHasherDefault<WordHasher>>;

/// What `write` keeps for the next build of the same site (`serve`, `watch`): every word's
/// pages, so that an edit reads again only the pages that changed.
#[derive(Default)]
pub struct Cache(std::sync::Mutex<Option<Kept>>);

impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("search::Cache")
    }
}

/// The words of the pages of the last build, and what they were read from.
struct Kept {
    kinds: Vec<(String, u32)>,
    /// A hash of each page's JSON, by id.
    hashes: Vec<u64>,
    words: WordPages,
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

/// Adds the words of page `id` to `words`.
fn read_page(words: &mut WordPages, reader: &mut Words, id: u32, doc: &Doc) {
    doc.each_word(reader, &mut |w, fields| match words.get_mut(w) {
        Some(pages) => add_page(pages, id, fields),
        None => {
            let mut pages = Vec::new();
            add_page(&mut pages, id, fields);
            words.insert(w.into(), pages);
        }
    });
}

/// The words of `docs` with their pages: those of `kept` with the changed pages read again when
/// it is of the same pages and few changed, else read anew.
fn word_pages(
    docs: &[&Doc],
    kinds: &[(String, u32)],
    hashes: &[u64],
    kept: Option<Kept>,
) -> WordPages {
    let mut reader = Words::default();
    if let Some(mut k) = kept.filter(|k| k.kinds == kinds && k.hashes.len() == hashes.len()) {
        let changed: Vec<u32> = (0..hashes.len())
            .filter(|&i| k.hashes[i] != hashes[i])
            .map(|i| i as u32)
            .collect();
        if changed.len() <= docs.len() / 8 {
            k.words.retain(|_, pages| {
                pages.retain(|p| changed.binary_search(&(p >> 4)).is_err());
                !pages.is_empty()
            });
            for &id in &changed {
                read_page(&mut k.words, &mut reader, id, docs[id as usize]);
            }
            return k.words;
        }
    }
    let mut words = WordPages::default();
    for (id, d) in docs.iter().enumerate() {
        read_page(&mut words, &mut reader, id as u32, d);
    }
    words
}

/// A word's pages as a postings string.
fn postings(pages: &[u32]) -> String {
    let mut out = String::with_capacity(pages.len() * 2);
    let mut next = 0;
    for &p in pages {
        let id = p >> 4;
        push_varint(&mut out, (u64::from(id - next) << 4) | u64::from(p & 15));
        next = id + 1;
    }
    out
}

/// A hash for words, 8 bytes at a time (hashing every word of every page is hot on a large
/// site; the words come from the project's own files, so SipHash's defence buys nothing here).
#[derive(Default)]
struct WordHasher(u64);

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

/// Orders words as JavaScript compares strings (by UTF-16 code units), so search.js can
/// binary-search the shard ranges with `<`.
fn js_order(a: &str, b: &str) -> std::cmp::Ordering {
    if a.is_ascii() && b.is_ascii() {
        a.cmp(b)
    } else {
        a.encode_utf16().cmp(b.encode_utf16())
    }
}

/// Packs items of the given sizes into consecutive groups of about `target` bytes: a group is
/// closed before an item that would take it past `target`. Returns each group's first index.
fn pack(sizes: impl Iterator<Item = usize>, target: usize) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut size = 0;
    for (i, s) in sizes.enumerate() {
        if starts.is_empty() || (size > 0 && size + s > target) {
            starts.push(i);
            size = 0;
        }
        size += s;
    }
    starts
}

/// One shard file: its key (`d3`), the hash of its data, and the script that pushes the data.
struct Shard {
    key: String,
    hash: u32,
    script: String,
}

const OPEN: &str = "(window.explainerSearchQ=window.explainerSearchQ||[]).push([\"";

/// The script pushing `key` and the data `write` appends (about `size` bytes):
/// `(window.explainerSearchQ=…).push(["key",data]);`
fn shard(key: String, size: usize, write: impl FnOnce(&mut String)) -> Shard {
    let mut script = String::with_capacity(OPEN.len() + key.len() + size + 8);
    script.push_str(OPEN);
    script.push_str(&key);
    script.push_str("\",");
    let start = script.len();
    write(&mut script);
    let hash = name_hash(&script.as_bytes()[start..]);
    script.push_str("]);\n");
    Shard { key, hash, script }
}

/// A hash of a shard's data for its file name: the name changes whenever the data does.
fn name_hash(data: &[u8]) -> u32 {
    (hash64(data) >> 32) as u32
}

/// A hash of bytes (the pages and shards of a large site are megabytes).
fn hash64(data: &[u8]) -> u64 {
    let h = mix(data.len() as u64, data);
    (h ^ (h >> 29)).wrapping_mul(K)
}

/// A JSON array of strings.
fn push_strings<'s>(out: &mut String, items: impl Iterator<Item = &'s str>) {
    out.push('[');
    for (i, s) in items.enumerate() {
        if i > 0 {
            out.push(',');
        }
        json::push_string(out, s);
    }
    out.push(']');
}

/// The manifest and the shards of `docs` (in id order), with the kinds of pages as (label,
/// first id), in order.
pub fn write(docs: &[&Doc], kinds: &[(String, u32)], cache: &Cache) -> Vec<(String, Vec<u8>)> {
    // Pages.
    let doc_starts = pack(docs.iter().map(|d| d.json.len() + 1), DOC_SHARD);
    let doc_shards: Vec<Shard> = doc_starts
        .iter()
        .enumerate()
        .map(|(s, &from)| {
            let to = doc_starts.get(s + 1).copied().unwrap_or(docs.len());
            let size: usize = docs[from..to].iter().map(|d| d.json.len() + 1).sum();
            shard(format!("d{s}"), size + 2, |data| {
                data.push('[');
                for (k, d) in docs[from..to].iter().enumerate() {
                    if k > 0 {
                        data.push(',');
                    }
                    data.push_str(&d.json);
                }
                data.push(']');
            })
        })
        .collect();

    // Words and their postings, pages in id order.
    let hashes: Vec<u64> = docs.iter().map(|d| hash64(d.json.as_bytes())).collect();
    let mut kept = cache.0.lock().unwrap_or_else(|e| e.into_inner());
    let words = word_pages(docs, kinds, &hashes, kept.take());
    let mut terms: Vec<(&str, String)> = words.iter().map(|(w, p)| (&**w, postings(p))).collect();
    terms.sort_unstable_by(|a, b| js_order(a.0, b.0));
    let term_starts = pack(terms.iter().map(|(w, p)| w.len() + p.len() + 6), TERM_SHARD);
    let term_shards: Vec<Shard> = term_starts
        .iter()
        .enumerate()
        .map(|(s, &from)| {
            let to = term_starts.get(s + 1).copied().unwrap_or(terms.len());
            let words = &terms[from..to];
            let size = words.iter().map(|(w, p)| w.len() + p.len() + 6).sum();
            shard(format!("t{s}"), size, |data| {
                push_strings(data, words.iter().flat_map(|(w, p)| [*w, p.as_str()]));
            })
        })
        .collect();

    // Words for typo tolerance, by first letter.
    let mut groups: Vec<(String, String)> = Vec::new();
    for &(w, _) in &terms {
        let mut chars = w.chars();
        let Some(first) = chars.next() else { continue };
        if !first.is_alphabetic() || chars.nth(2).is_none() {
            continue;
        }
        match groups.last_mut() {
            Some((c, list)) if w.starts_with(c.as_str()) => {
                list.push(' ');
                list.push_str(w);
            }
            _ => groups.push((first.to_string(), w.to_string())),
        }
    }
    let word_starts = pack(groups.iter().map(|(_, l)| l.len() + 8), WORD_SHARD);
    let word_shards: Vec<Shard> = word_starts
        .iter()
        .enumerate()
        .map(|(s, &from)| {
            let to = word_starts.get(s + 1).copied().unwrap_or(groups.len());
            let letters = &groups[from..to];
            let size = letters.iter().map(|(_, l)| l.len() + 8).sum();
            shard(format!("w{s}"), size, |data| {
                push_strings(
                    data,
                    letters.iter().flat_map(|(c, l)| [c.as_str(), l.as_str()]),
                );
            })
        })
        .collect();

    // The manifest.
    let mut m = String::new();
    let mut o = json::Object::open(&mut m);
    o.key("n").push_str(&docs.len().to_string());
    let k = o.key("kinds");
    k.push('[');
    for (i, (label, first)) in kinds.iter().enumerate() {
        if i > 0 {
            k.push(',');
        }
        k.push('[');
        json::push_string(k, label);
        k.push(',');
        k.push_str(&first.to_string());
        k.push(']');
    }
    k.push(']');
    let d = o.key("d");
    d.push('[');
    for (i, s) in doc_starts.iter().enumerate() {
        if i > 0 {
            d.push(',');
        }
        d.push_str(&s.to_string());
    }
    d.push(']');
    let t = o.key("t");
    push_strings(
        t,
        term_starts
            .iter()
            .enumerate()
            .map(|(i, &s)| if i == 0 { "" } else { terms[s].0 }),
    );
    push_strings(
        o.key("w"),
        word_starts.iter().map(|&s| groups[s].0.as_str()),
    );
    for (key, family) in [
        ("dh", &doc_shards),
        ("th", &term_shards),
        ("wh", &word_shards),
    ] {
        let h = o.key(key);
        h.push('"');
        for s in family.iter() {
            h.push_str(&format!("{:08x}", s.hash));
        }
        h.push('"');
    }
    o.close();

    drop(terms);
    *kept = Some(Kept {
        kinds: kinds.to_vec(),
        hashes,
        words,
    });
    let mut out = Vec::with_capacity(1 + doc_shards.len() + term_shards.len() + word_shards.len());
    let manifest = shard("index".into(), m.len(), |data| data.push_str(&m));
    out.push((MANIFEST.to_string(), manifest.script.into_bytes()));
    for s in doc_shards.into_iter().chain(term_shards).chain(word_shards) {
        out.push((
            format!("{DIR}{}-{:08x}.js", s.key, s.hash),
            s.script.into_bytes(),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;
    use std::collections::{BTreeMap, BTreeSet};

    fn parse(script: &[u8]) -> (String, Value) {
        read_script(script).expect("an index script")
    }

    /// The texts of a JSON array of texts.
    fn strs(v: &Value) -> Vec<&str> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect()
    }

    /// Pages of many sizes and words: long texts, shared and rare words, accents, CJK.
    fn corpus() -> Vec<Doc> {
        let vocab: Vec<String> = (0..3000)
            .map(|i| format!("{}w{i}", ["alpha", "Béta", "gamma", "ζeta", "北"][i % 5]))
            .collect();
        (0..400)
            .map(|i| {
                let pick = |n: usize, salt: usize| -> String {
                    (0..n)
                        .map(|k| vocab[(i * 31 + k * 17 + salt) % vocab.len()].as_str())
                        .collect::<Vec<_>>()
                        .join(" ")
                };
                let title = pick(3, 1);
                let heading = pick(2, 2);
                Doc::new(
                    &title,
                    &format!("notes/n{i}/"),
                    &pick(4, 3),
                    &[(&heading, "h")],
                    &pick(if i % 50 == 0 { 3000 } else { 40 + i % 90 }, 4),
                )
            })
            .collect()
    }

    #[test]
    fn the_shards_hold_every_page_and_every_posting_and_stay_small() {
        let docs = corpus();
        let refs: Vec<&Doc> = docs.iter().collect();
        let kinds = [("Notes".to_string(), 0), ("Other".to_string(), 300)];
        let files = write(&refs, &kinds, &Cache::default());
        assert_eq!(files[0].0, MANIFEST);
        let (key, m) = parse(&files[0].1);
        assert_eq!(key, "index");
        assert_eq!(m["n"], 400);
        assert_eq!(
            m["kinds"],
            serde_json::json!([["Notes", 0], ["Other", 300]])
        );
        let shards: BTreeMap<String, (String, Value, usize)> = files[1..]
            .iter()
            .map(|(path, bytes)| {
                assert!(is_shard(path), "{path}");
                let (key, data) = parse(bytes);
                (key, (path.clone(), data, bytes.len()))
            })
            .collect();
        // Names: `search/<key>-<hash of the data>.js`, hashes listed in the manifest.
        for (family, list) in [("d", "dh"), ("t", "th"), ("w", "wh")] {
            let hashes = m[list].as_str().unwrap();
            let n = hashes.len() / 8;
            assert!(n > 1, "{family}: one shard only");
            for i in 0..n {
                let (path, ..) = &shards[&format!("{family}{i}")];
                assert_eq!(
                    path,
                    &format!("{DIR}{family}{i}-{}.js", &hashes[8 * i..8 * i + 8])
                );
            }
        }
        let bound = |target: usize, largest: usize| target.max(largest) + 200;

        // Pages: the shards in order hold every page, as written.
        let starts: Vec<u64> = m["d"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap())
            .collect();
        let mut pages = Vec::new();
        for (i, &start) in starts.iter().enumerate() {
            let (_, data, size) = &shards[&format!("d{i}")];
            assert_eq!(start as usize, pages.len());
            let largest = data
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d.to_string().len())
                .max()
                .unwrap();
            assert!(*size <= bound(DOC_SHARD, largest), "d{i}: {size} bytes");
            pages.extend(data.as_array().unwrap().iter().cloned());
        }
        let want: Vec<Value> = docs
            .iter()
            .map(|d| serde_json::from_str(&d.json).unwrap())
            .collect();
        assert_eq!(pages, want);

        // Words: the shards' ranges in order, each word once, with exactly its pages and fields.
        let firsts: Vec<&str> = strs(&m["t"]);
        let mut found: BTreeMap<String, Vec<(u32, u8)>> = BTreeMap::new();
        let mut previous: Option<String> = None;
        for (i, first) in firsts.iter().enumerate() {
            let (_, data, size) = &shards[&format!("t{i}")];
            let flat: Vec<&str> = strs(data);
            let largest = flat
                .chunks(2)
                .map(|p| p[0].len() + p[1].len())
                .max()
                .unwrap();
            assert!(*size <= bound(TERM_SHARD, largest), "t{i}: {size} bytes");
            assert!(
                i == 0 || flat[0] == *first,
                "t{i} starts with {}, not {first}",
                flat[0]
            );
            for pair in flat.chunks(2) {
                if let Some(p) = &previous {
                    assert_eq!(js_order(p, pair[0]), std::cmp::Ordering::Less);
                }
                previous = Some(pair[0].to_string());
                found.insert(pair[0].to_string(), read_postings(pair[1]).unwrap());
            }
        }
        // Each word once per page, with every field it has there.
        let mut pages: BTreeMap<String, BTreeMap<u32, u8>> = BTreeMap::new();
        for (id, d) in docs.iter().enumerate() {
            for (w, f) in d.words() {
                *pages
                    .entry(w.to_string())
                    .or_default()
                    .entry(id as u32)
                    .or_default() |= f;
            }
        }
        let expected: BTreeMap<String, Vec<(u32, u8)>> = pages
            .into_iter()
            .map(|(w, p)| (w, p.into_iter().collect()))
            .collect();
        assert!(expected.values().flatten().any(|p| p.1.count_ones() > 1));
        assert_eq!(found, expected);

        // Typo words: every word of four or more characters starting with a letter, under it.
        let mut typo: BTreeSet<String> = BTreeSet::new();
        let w_firsts: Vec<&str> = strs(&m["w"]);
        for i in 0..w_firsts.len() {
            let (_, data, _) = &shards[&format!("w{i}")];
            let flat: Vec<&str> = strs(data);
            assert_eq!(flat[0], w_firsts[i]);
            for pair in flat.chunks(2) {
                for w in pair[1].split(' ') {
                    assert!(w.starts_with(pair[0]), "{w} under {}", pair[0]);
                    typo.insert(w.to_string());
                }
            }
        }
        let want: BTreeSet<String> = expected
            .keys()
            .filter(|w| w.chars().count() >= 4 && w.chars().next().is_some_and(char::is_alphabetic))
            .cloned()
            .collect();
        assert_eq!(typo, want);
    }

    #[test]
    fn the_same_pages_make_the_same_files_kept_words_or_not() {
        let docs = corpus();
        let refs: Vec<&Doc> = docs.iter().collect();
        let cache = Cache::default();
        let first = write(&refs, &[], &cache);
        assert_eq!(first, write(&refs, &[], &Cache::default()));
        // Kept words give the same files, and so does an edit read from them.
        assert_eq!(first, write(&refs, &[], &cache));
        let mut edited = docs.clone();
        edited[7] = Doc::new("Brand new", "notes/n7/", "", &[], "alphaw1 fresh words");
        edited[300] = Doc::new("Another", "notes/n300/", "", &[("Heading", "h")], "gammaw2");
        let refs: Vec<&Doc> = edited.iter().collect();
        assert_eq!(
            write(&refs, &[], &cache),
            write(&refs, &[], &Cache::default())
        );
    }

    #[test]
    fn varints_use_five_bits_a_digit() {
        let enc = |v| {
            let mut s = String::new();
            push_varint(&mut s, v);
            s
        };
        assert_eq!(enc(0), "0");
        assert_eq!(enc(31), "v");
        assert_eq!(enc(32), "w1");
        assert_eq!(enc(33 + 32 * 5), "x6");
    }

    #[test]
    fn packing_closes_a_group_before_it_would_pass_the_target() {
        assert_eq!(pack([4, 4, 4, 10, 1, 1].into_iter(), 8), [0, 2, 3, 4]);
        assert_eq!(pack(std::iter::empty(), 8), Vec::<usize>::new());
    }

    #[test]
    fn javascript_order_puts_astral_characters_before_the_end_of_the_bmp() {
        assert_eq!(js_order("\u{1F600}", "\u{FF21}"), std::cmp::Ordering::Less);
        assert_eq!(js_order("ab", "b"), std::cmp::Ordering::Less);
    }
}
