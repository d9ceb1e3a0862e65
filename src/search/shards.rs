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
//! Between builds of one site (`serve`, `watch`) the `Cache` keeps the vocabulary and the shards:
//! an edit reads again only the pages it changed and writes again only the shards they are in.

use super::postings::{Vocabulary, hash64};
use super::{Doc, push_strings};
use crate::content::NoteId;
use crate::json;
use std::collections::{BTreeSet, HashMap};

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

/// True for a path (from the output root) of a shard: a rebuild that writes the manifest writes
/// every shard, so shards it does not write are stale.
pub fn is_shard(path: &str) -> bool {
    path.starts_with(DIR) && path.ends_with(".js")
}

/// The key and data of one of the index's scripts (for tests and tools; `None` if it is not one).
pub fn read_script(script: &[u8]) -> Option<(String, serde_json::Value)> {
    let text = std::str::from_utf8(script).ok()?;
    let inner = text.strip_prefix(OPEN)?.strip_suffix("]);\n")?;
    let v: serde_json::Value = serde_json::from_str(&format!("[\"{inner}]")).ok()?;
    Some((v[0].as_str()?.to_string(), v[1].clone()))
}

/// What `write` keeps for the next build of the same site (`serve`, `watch`).
#[derive(Default)]
pub struct Cache(std::sync::Mutex<State>);

#[derive(Default)]
struct State {
    kept: Option<Kept>,
    /// Notes whose pages changed since the last writing.
    dirty: BTreeSet<NoteId>,
}

impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("search::Cache")
    }
}

impl Cache {
    /// Notes whose entries were made again: the next writing reads their pages again.
    pub fn changed(&self, notes: impl IntoIterator<Item = NoteId>) {
        let mut state = self.0.lock().unwrap_or_else(|e| e.into_inner());
        state.dirty.extend(notes);
    }
}

/// The last writing: what it was of, its vocabulary and its shards.
struct Kept {
    kinds: Vec<(String, u32)>,
    /// The note of each page (`None` for the site's own pages: timeline, tags).
    notes: Vec<Option<NoteId>>,
    /// Hashes of the site's own pages, in order.
    own: Vec<u64>,
    vocabulary: Vocabulary,
    /// Page shards by their page ids.
    docs: HashMap<(usize, usize), Shard>,
    /// Word shards by their first word, with their last word.
    terms: HashMap<Box<str>, (Box<str>, Shard)>,
    /// Typo shards with their first letters.
    typos: Vec<(String, Shard)>,
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

/// The manifest and the shards of `docs` (in id order), with the kinds of pages as (label,
/// first id) and the note of each page (`None` for the site's own pages), reusing what `cache`
/// kept of the last writing when it was of the same pages.
pub fn write(
    docs: &[&Doc],
    kinds: &[(String, u32)],
    notes: &[Option<NoteId>],
    cache: &Cache,
) -> Vec<(String, Vec<u8>)> {
    let mut state = cache.0.lock().unwrap_or_else(|e| e.into_inner());
    let dirty = std::mem::take(&mut state.dirty);
    let own: Vec<u64> = docs
        .iter()
        .zip(notes)
        .filter(|(_, n)| n.is_none())
        .map(|(d, _)| hash64(d.json.as_bytes()))
        .collect();
    let kept = state
        .kept
        .take()
        .filter(|k| k.kinds == kinds && k.notes == notes);
    let changed: Option<Vec<u32>> = kept.as_ref().map(|k| {
        let mut own_pages = k.own.iter().zip(&own);
        (0..docs.len() as u32)
            .filter(|&id| match notes[id as usize] {
                Some(n) => dirty.contains(&n),
                None => own_pages.next().is_none_or(|(a, b)| a != b),
            })
            .collect()
    });
    let (mut k, changed) = match (kept, changed) {
        (Some(k), Some(c)) if c.len() <= docs.len() / 8 => (k, c),
        _ => (
            Kept {
                kinds: kinds.to_vec(),
                notes: notes.to_vec(),
                own: Vec::new(),
                vocabulary: Vocabulary::default(),
                docs: HashMap::new(),
                terms: HashMap::new(),
                typos: Vec::new(),
            },
            (0..docs.len() as u32).collect(),
        ),
    };
    k.own = own;
    k.vocabulary.update(docs, &changed);

    // Pages.
    let doc_starts = pack(docs.iter().map(|d| d.json.len() + 1), DOC_SHARD);
    let doc_shards: Vec<Shard> = doc_starts
        .iter()
        .enumerate()
        .map(|(s, &from)| {
            let to = doc_starts.get(s + 1).copied().unwrap_or(docs.len());
            let touched = changed.partition_point(|&c| (c as usize) < from)
                < changed.partition_point(|&c| (c as usize) < to);
            match k.docs.remove(&(from, to)) {
                Some(old) if !touched && old.key == format!("d{s}") => old,
                _ => {
                    let size: usize = docs[from..to].iter().map(|d| d.json.len() + 1).sum();
                    shard(format!("d{s}"), size + 2, |data| {
                        data.push('[');
                        for (i, d) in docs[from..to].iter().enumerate() {
                            if i > 0 {
                                data.push(',');
                            }
                            data.push_str(&d.json);
                        }
                        data.push(']');
                    })
                }
            }
        })
        .collect();

    // Words and their postings.
    let v = &k.vocabulary;
    let word = |i: usize| &v.words[&v.sorted[i]];
    let term_starts = pack(
        (0..v.sorted.len()).map(|i| v.sorted[i].len() + word(i).postings.len() + 6),
        TERM_SHARD,
    );
    let term_shards: Vec<Shard> = term_starts
        .iter()
        .enumerate()
        .map(|(s, &from)| {
            let to = term_starts.get(s + 1).copied().unwrap_or(v.sorted.len());
            let (first, last) = (&v.sorted[from], &v.sorted[to - 1]);
            let same = !v.reshaped(first, last) && (from..to).all(|i| word(i).changed != v.round);
            match k.terms.remove(first) {
                Some((l, old)) if same && l == *last && old.key == format!("t{s}") => old,
                _ => {
                    let size = (from..to)
                        .map(|i| v.sorted[i].len() + word(i).postings.len() + 6)
                        .sum();
                    shard(format!("t{s}"), size, |data| {
                        push_strings(
                            data,
                            (from..to).flat_map(|i| [&*v.sorted[i], word(i).postings.as_str()]),
                        );
                    })
                }
            }
        })
        .collect();

    // Words for typo tolerance, by first letter: new only when words came or went.
    if !v.came_or_went.is_empty() || v.round == 1 {
        k.typos = typo_shards(&v.sorted);
    }

    let manifest = manifest(
        docs.len(),
        kinds,
        &doc_starts,
        term_starts.iter().map(|&s| &*v.sorted[s]),
        &doc_shards,
        &term_shards,
        &k.typos,
    );
    let mut out = Vec::with_capacity(1 + doc_shards.len() + term_shards.len() + k.typos.len());
    out.push((MANIFEST.to_string(), manifest.into_bytes()));
    let file = |s: &Shard| {
        let path = format!("{DIR}{}-{:08x}.js", s.key, s.hash);
        (path, s.script.as_bytes().to_vec())
    };
    out.extend(doc_shards.iter().map(file));
    out.extend(term_shards.iter().map(file));
    out.extend(k.typos.iter().map(|(_, s)| file(s)));
    k.docs = doc_starts
        .iter()
        .enumerate()
        .map(|(s, &from)| (from, doc_starts.get(s + 1).copied().unwrap_or(docs.len())))
        .zip(doc_shards)
        .collect();
    k.terms = term_starts
        .iter()
        .enumerate()
        .map(|(s, &from)| {
            let to = term_starts.get(s + 1).copied().unwrap_or(v.sorted.len());
            (v.sorted[from].clone(), v.sorted[to - 1].clone())
        })
        .zip(term_shards)
        .map(|((first, last), shard)| (first, (last, shard)))
        .collect();
    state.kept = Some(k);
    out
}

/// The typo shards of the sorted words: the words of four or more characters starting with a
/// letter, grouped by that letter, with the first letter of each shard.
fn typo_shards(sorted: &[Box<str>]) -> Vec<(String, Shard)> {
    let mut groups: Vec<(String, String)> = Vec::new();
    for w in sorted {
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
    let starts = pack(groups.iter().map(|(_, l)| l.len() + 8), WORD_SHARD);
    starts
        .iter()
        .enumerate()
        .map(|(s, &from)| {
            let to = starts.get(s + 1).copied().unwrap_or(groups.len());
            let letters = &groups[from..to];
            let size = letters.iter().map(|(_, l)| l.len() + 8).sum();
            let shard = shard(format!("w{s}"), size, |data| {
                push_strings(
                    data,
                    letters.iter().flat_map(|(c, l)| [c.as_str(), l.as_str()]),
                );
            });
            (groups[from].0.clone(), shard)
        })
        .collect()
}

/// The manifest's script.
fn manifest<'a>(
    docs: usize,
    kinds: &[(String, u32)],
    doc_starts: &[usize],
    term_firsts: impl Iterator<Item = &'a str>,
    doc_shards: &[Shard],
    term_shards: &[Shard],
    typos: &[(String, Shard)],
) -> String {
    let mut m = String::new();
    let mut o = json::Object::open(&mut m);
    o.key("n").push_str(&docs.to_string());
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
    // The first shard's range starts before every word.
    push_strings(
        o.key("t"),
        term_firsts
            .enumerate()
            .map(|(i, w)| if i == 0 { "" } else { w }),
    );
    push_strings(o.key("w"), typos.iter().map(|(c, _)| c.as_str()));
    let typo_shards: Vec<&Shard> = typos.iter().map(|(_, s)| s).collect();
    for (key, family) in [
        ("dh", doc_shards.iter().collect::<Vec<_>>()),
        ("th", term_shards.iter().collect()),
        ("wh", typo_shards),
    ] {
        let h = o.key(key);
        h.push('"');
        for s in family {
            h.push_str(&format!("{:08x}", s.hash));
        }
        h.push('"');
    }
    o.close();
    shard("index".into(), m.len(), |data| data.push_str(&m)).script
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::postings::{js_order, read_postings};
    use serde_json::Value;
    use std::collections::BTreeMap;

    /// Every page a note's.
    fn notes(n: usize) -> Vec<Option<NoteId>> {
        NoteId::all(n).map(Some).collect()
    }

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
        let files = write(&refs, &kinds, &notes(refs.len()), &Cache::default());
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
        let n = notes(refs.len());
        let cache = Cache::default();
        let first = write(&refs, &[], &n, &cache);
        assert_eq!(first, write(&refs, &[], &n, &Cache::default()));
        // What the cache kept gives the same files, and so does an edit read from it: words
        // come (`fresh`) and go (`gammaw2` stays, others of page 300 go), pages move in their
        // words' lists.
        assert_eq!(first, write(&refs, &[], &n, &cache));
        let mut edited = docs.clone();
        edited[7] = Doc::new("Brand new", "notes/n7/", "", &[], "alphaw1 fresh words");
        edited[300] = Doc::new("Another", "notes/n300/", "", &[("Heading", "h")], "gammaw2");
        let refs: Vec<&Doc> = edited.iter().collect();
        cache.changed([7, 300].map(NoteId::new));
        let again = write(&refs, &[], &n, &cache);
        assert_eq!(again, write(&refs, &[], &n, &Cache::default()));
        assert_ne!(again, first);
        // Most shards are the same files as before.
        let same = again.iter().filter(|f| first.contains(f)).count();
        assert!(same * 2 > again.len(), "{same} of {}", again.len());

        // Rounds of edits: words come and go, pages grow and shrink (shard bounds move).
        let mut seed = 7usize;
        let mut next = |n: usize| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (seed >> 33) % n
        };
        for round in 0..6 {
            let mut edited_notes = Vec::new();
            for _ in 0..1 + next(20) {
                let i = next(edited.len());
                let words: Vec<String> = (0..next(400))
                    .map(|k| match next(4) {
                        0 => format!("new{round}x{k}"),
                        1 => format!("betaw{}", next(3000)),
                        _ => format!("gammaw{}", next(50)),
                    })
                    .collect();
                let title = if next(2) == 0 { "Zeta" } else { "Ärger über" };
                edited[i] = Doc::new(title, &format!("notes/n{i}/"), "", &[], &words.join(" "));
                edited_notes.push(NoteId::new(i));
            }
            cache.changed(edited_notes);
            let refs: Vec<&Doc> = edited.iter().collect();
            let kept = write(&refs, &[], &n, &cache);
            assert!(
                kept == write(&refs, &[], &n, &Cache::default()),
                "round {round}"
            );
        }
    }

    #[test]
    fn packing_closes_a_group_before_it_would_pass_the_target() {
        assert_eq!(pack([4, 4, 4, 10, 1, 1].into_iter(), 8), [0, 2, 3, 4]);
        assert_eq!(pack(std::iter::empty(), 8), Vec::<usize>::new());
    }
}
