//! A source's text, split into paragraphs and indexed once: every token gets an id, and a suffix
//! array over the ids finds any run of words in O(words · log n), however many notes ask.

use super::normalize::{self, Kind};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;

/// The id of a word the source does not contain: it matches nothing.
pub const UNKNOWN: u32 = u32::MAX;
/// Between two paragraphs: no quotation contains it, so no match spans a paragraph break.
const BREAK: u32 = u32::MAX - 1;

/// One paragraph of a source (a line of plain text; a block of Markdown).
#[derive(Debug, Clone)]
pub struct Paragraph {
    /// 1-based line of the source file it starts on.
    pub line: usize,
    /// Its text, Markdown removed, whitespace collapsed.
    pub text: String,
    /// Its tokens: `first..end` in the index.
    pub tokens: Range<u32>,
}

/// A source's text, ready for lookups.
#[derive(Debug)]
pub struct SourceIndex {
    /// The paragraphs, in order.
    pub paragraphs: Vec<Paragraph>,
    /// Token ids in text order, `BREAK` between paragraphs.
    ids: Vec<u32>,
    /// For each token: its paragraph and its byte range in that paragraph's text.
    places: Vec<(u32, Range<u32>)>,
    /// Normalised token → id.
    vocab: HashMap<String, u32, BuildHasherDefault<Fnv>>,
    /// Whether each id is a word (else punctuation).
    words: Vec<bool>,
    /// Token positions sorted by the ids that follow them.
    suffixes: Vec<u32>,
}

impl SourceIndex {
    /// Indexes `text`: plain text (each non-blank line a paragraph) or Markdown (each block a
    /// paragraph). With `end`, the text stops before the first line that reads `end` (trimmed):
    /// a saved web page's menus and comments are not the source.
    pub fn new(text: &str, markdown: bool, end: Option<&str>) -> SourceIndex {
        let text = match end {
            Some(end) => cut_at_line(text, end),
            None => text,
        };
        let raw = if markdown {
            markdown_paragraphs(text)
        } else {
            text_paragraphs(text)
        };
        let mut s = SourceIndex {
            paragraphs: Vec::with_capacity(raw.len()),
            ids: Vec::new(),
            places: Vec::new(),
            vocab: HashMap::default(),
            words: Vec::new(),
            suffixes: Vec::new(),
        };
        for (line, text) in raw {
            let first = s.ids.len() as u32;
            let p = s.paragraphs.len() as u32;
            normalize::tokens(&text, |kind, t, r| {
                let next = s.words.len() as u32;
                let id = *s.vocab.entry(t.to_string()).or_insert(next);
                if id == next {
                    s.words.push(kind == Kind::Word);
                }
                s.ids.push(id);
                s.places.push((p, r.start as u32..r.end as u32));
            });
            if s.ids.len() as u32 == first {
                continue; // nothing but dashes and quote marks
            }
            let end = s.ids.len() as u32;
            s.ids.push(BREAK);
            s.places.push((p, 0..0));
            s.paragraphs.push(Paragraph {
                line,
                text,
                tokens: first..end,
            });
        }
        s.suffixes = suffix_array(&s.ids);
        s
    }

    /// The id of a normalised token, `UNKNOWN` if the source never has it.
    pub fn id(&self, token: &str) -> u32 {
        self.vocab.get(token).copied().unwrap_or(UNKNOWN)
    }

    /// Whether `token` occurs in the source as a word.
    pub fn has_word(&self, token: &str) -> bool {
        let id = self.id(token);
        id != UNKNOWN && self.words[id as usize]
    }

    /// Every word of the source (for suggestions).
    pub fn vocabulary(&self) -> impl Iterator<Item = &str> {
        self.vocab
            .iter()
            .filter(|(_, id)| self.words[**id as usize])
            .map(|(w, _)| w.as_str())
    }

    /// Positions where `pattern` occurs, ascending.
    pub fn find(&self, pattern: &[u32]) -> Vec<u32> {
        let mut found = self.occurrences(pattern).to_vec();
        found.sort_unstable();
        found
    }

    /// The first position where `pattern` occurs.
    pub fn first(&self, pattern: &[u32]) -> Option<u32> {
        self.occurrences(pattern).iter().copied().min()
    }

    /// The suffixes that start with `pattern` (binary search in the suffix array).
    fn occurrences(&self, pattern: &[u32]) -> &[u32] {
        if pattern.is_empty() || pattern.contains(&UNKNOWN) {
            return &[];
        }
        let cmp = |&i: &u32| {
            let s = &self.ids[i as usize..];
            s[..s.len().min(pattern.len())].cmp(pattern)
        };
        let lo = self
            .suffixes
            .partition_point(|i| cmp(i) == std::cmp::Ordering::Less);
        let hi =
            lo + self.suffixes[lo..].partition_point(|i| cmp(i) != std::cmp::Ordering::Greater);
        &self.suffixes[lo..hi]
    }

    /// The token ids from `range`.
    pub fn ids(&self, range: Range<u32>) -> &[u32] {
        &self.ids[range.start as usize..range.end as usize]
    }

    /// The paragraph holding the token at `pos`.
    pub fn paragraph_of(&self, pos: u32) -> u32 {
        self.places[pos as usize].0
    }

    /// The source's own text of tokens `range` (which lie in one paragraph).
    pub fn text_of(&self, range: Range<u32>) -> &str {
        if range.is_empty() {
            return "";
        }
        let (p, first) = &self.places[range.start as usize];
        let (_, last) = &self.places[range.end as usize - 1];
        &self.paragraphs[*p as usize].text[first.start as usize..last.end as usize]
    }

    /// Whether the token with this id is a word.
    pub fn is_word(&self, id: u32) -> bool {
        (id as usize) < self.words.len() && self.words[id as usize]
    }
}

/// FNV-1a for the vocabulary: its keys are short words, looked up once per quoted word, and come
/// from the project's own files, so SipHash's defence against chosen keys buys nothing here.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h = (h ^ b as u64).wrapping_mul(0x100_0000_01b3);
        }
        self.0 = h;
    }
}

/// `text` up to the first line whose trimmed text is `end` (all of it if there is none).
fn cut_at_line<'a>(text: &'a str, end: &str) -> &'a str {
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if line.trim() == end.trim() {
            return &text[..at];
        }
        at += line.len();
    }
    text
}

/// Each non-blank line, trimmed, with its line number.
fn text_paragraphs(text: &str) -> Vec<(usize, String)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| (i + 1, collapse(l)))
        .collect()
}

/// Each block of Markdown (paragraph, heading, list item, table cell) as plain text.
fn markdown_paragraphs(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut start = None;
    let mut code = false;
    let mut flush = |current: &mut String, start: &mut Option<usize>| {
        if let Some(s) = start.take() {
            let line = text[..s].matches('\n').count() + 1;
            out.push((line, collapse(current)));
        }
        current.clear();
    };
    for (ev, range) in Parser::new_ext(text, super::extract::options()).into_offset_iter() {
        match ev {
            Event::Text(t) | Event::Code(t) if !code => {
                start.get_or_insert(range.start);
                current.push_str(&t);
            }
            Event::SoftBreak | Event::HardBreak => current.push(' '),
            Event::Start(Tag::CodeBlock(_)) => code = true,
            Event::End(TagEnd::CodeBlock) => code = false,
            Event::Start(t) if !super::extract::is_inline(&t) => flush(&mut current, &mut start),
            Event::End(t) if !super::extract::is_inline_end(&t) => flush(&mut current, &mut start),
            _ => {}
        }
    }
    flush(&mut current, &mut start);
    out.retain(|(_, t)| !t.is_empty());
    out
}

/// Whitespace runs as one space, ends trimmed.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The suffix array of `s` by prefix doubling: O(n log² n) whatever the text repeats.
fn suffix_array(s: &[u32]) -> Vec<u32> {
    let n = s.len();
    let mut sa: Vec<u32> = (0..n as u32).collect();
    if n < 2 {
        return sa;
    }
    let mut rank: Vec<u64> = s.iter().map(|&c| c as u64).collect();
    let mut next = vec![0u64; n];
    let mut k = 1;
    loop {
        // Ranks are below n after the first round; 0 stands for "past the end".
        let key = |i: u32, rank: &[u64]| {
            let i = i as usize;
            (rank[i], rank.get(i + k).map_or(0, |r| r + 1))
        };
        sa.sort_unstable_by_key(|&i| key(i, &rank));
        next[sa[0] as usize] = 0;
        for j in 1..n {
            let up = key(sa[j - 1], &rank) < key(sa[j], &rank);
            next[sa[j] as usize] = next[sa[j - 1] as usize] + up as u64;
        }
        std::mem::swap(&mut rank, &mut next);
        if rank[sa[n - 1] as usize] as usize == n - 1 || k >= n {
            return sa;
        }
        k *= 2;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffix_array_sorts_suffixes() {
        let s = [3u32, 1, 3, 1, 3, 0];
        let sa = suffix_array(&s);
        let mut expect: Vec<u32> = (0..s.len() as u32).collect();
        expect.sort_by(|&a, &b| s[a as usize..].cmp(&s[b as usize..]));
        assert_eq!(sa, expect);
        let same = [7u32; 9];
        assert_eq!(suffix_array(&same), (0..9u32).rev().collect::<Vec<_>>());
    }

    #[test]
    fn finds_runs_of_words_within_a_paragraph_only() {
        let s = SourceIndex::new(
            "Title\n\nThe cat sat.\nOn the mat.\nSource\nmenu cat",
            false,
            Some("Source"),
        );
        assert_eq!(s.paragraphs.len(), 3);
        let ids = |t: &str| {
            let mut v = Vec::new();
            normalize::tokens(t, |_, w, _| v.push(s.id(w)));
            v
        };
        assert_eq!(s.find(&ids("the cat")).len(), 1);
        assert_eq!(s.find(&ids("the")).len(), 2);
        assert!(s.find(&ids("sat on")).is_empty(), "across paragraphs");
        assert!(!s.has_word("menu"), "after the end marker");
        let at = s.find(&ids("cat sat"))[0];
        assert_eq!(s.text_of(at..at + 2), "cat sat");
        assert_eq!(s.paragraphs[s.paragraph_of(at) as usize].line, 3);
    }

    #[test]
    fn markdown_sources_lose_their_markup() {
        let s = SourceIndex::new(
            "# Head\n\nSome *emphasis* and [a link](x.md).\n\n```\ncode\n```\n",
            true,
            None,
        );
        let texts: Vec<&str> = s.paragraphs.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, ["Head", "Some emphasis and a link."]);
        assert_eq!(s.paragraphs[1].line, 3);
    }
}
