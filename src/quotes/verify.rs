//! Checks one quotation against the texts of the sources its note cites: its parts (split at
//! ellipses and bracketed insertions) must appear in order within one paragraph of a source; a
//! single word must be a word of the source. A miss comes with the closest passage and the words
//! that differ.

use super::normalize::{self, Kind};
use super::source_index::{SourceIndex, UNKNOWN};
use std::collections::HashMap;
use std::ops::Range;

/// Most source words a bracketed insertion (`[the president]`) stands for.
pub const INSERTION_WORDS: u32 = 12;

/// A source as a quotation is checked against it.
pub struct Cited<'a> {
    /// Its id in site.yaml.
    pub id: &'a str,
    /// Its indexed text.
    pub index: &'a SourceIndex,
}

/// The result of checking one quotation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Found in `source` (an index into the cited sources), in `paragraph` of it (`None` for a
    /// single word, which quotes no paragraph).
    Found {
        /// Which cited source.
        source: usize,
        /// Which of its paragraphs.
        paragraph: Option<u32>,
    },
    /// Not found.
    Missed {
        /// What is wrong.
        message: String,
        /// The closest passage and what differs, or how to mark a non-quotation.
        help: String,
    },
}

/// What separates two parts of a quotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gap {
    /// `…`, `...`, `[…]`: any words of the same paragraph.
    Ellipsis,
    /// `[words]`: up to this many source tokens.
    Insertion(u32),
}

/// One token of a quotation.
#[derive(Debug, Clone)]
struct QTok {
    word: bool,
    /// Its normalised form, in the part's `norm`.
    norm: Range<usize>,
    /// Its bytes in the part's text.
    range: Range<usize>,
}

/// A run of the quotation between gaps, tokenised once.
#[derive(Debug)]
struct Part {
    text: String,
    /// The normalised tokens, end to end.
    norm: String,
    /// Its tokens, punctuation at either end dropped: a quotation may end with a full stop
    /// where the source goes on with a comma.
    toks: Vec<QTok>,
    /// What comes before it (`None` for the first part).
    gap: Option<Gap>,
}

impl Part {
    /// The part of `text`, or `None` if it has no word.
    fn new(text: String) -> Option<Part> {
        let mut norm = String::with_capacity(text.len());
        let mut toks = Vec::with_capacity(text.len() / 4);
        normalize::tokens(&text, |k, t, range| {
            let at = norm.len();
            norm.push_str(t);
            toks.push(QTok {
                word: k == Kind::Word,
                norm: at..norm.len(),
                range,
            });
        });
        let first = toks.iter().position(|t| t.word)?;
        let last = toks.iter().rposition(|t| t.word)? + 1;
        toks.truncate(last);
        toks.drain(..first);
        Some(Part {
            text,
            norm,
            toks,
            gap: None,
        })
    }

    /// Its token ids in source `s`.
    fn ids(&self, s: &SourceIndex) -> Vec<u32> {
        self.toks
            .iter()
            .map(|t| s.id(&self.norm[t.norm.clone()]))
            .collect()
    }
}

/// Checks `text` (a quotation's words) against `sources`.
pub fn verify(text: &str, sources: &[Cited<'_>]) -> Verdict {
    let parts = split(text);
    if parts.is_empty() {
        return Verdict::Found {
            source: 0,
            paragraph: None,
        };
    }
    if parts.len() == 1 && parts[0].toks.len() == 1 {
        return check_word(&parts[0], sources);
    }
    let mut failures = Vec::new();
    for (si, s) in sources.iter().enumerate() {
        match find_parts(&parts, s.index) {
            Ok(paragraph) => {
                return Verdict::Found {
                    source: si,
                    paragraph: Some(paragraph),
                };
            }
            Err(f) => failures.push((si, f)),
        }
    }
    explain(&parts, sources, &failures)
}

/// Why the parts were not found in one source.
#[derive(Debug)]
enum Failure {
    /// This part occurs nowhere.
    Part(usize),
    /// Every part occurs, but not in order within one paragraph.
    Order,
}

/// Splits a quotation at ellipses (`…`, `...`, `[…]`, `[...]`) and bracketed insertions
/// (`[the president]`); brackets inside a word (`[t]he`) only mark changed letters. Parts left
/// with no words are dropped, their gap merged into the next.
fn split(text: &str) -> Vec<Part> {
    let mut parts: Vec<Part> = Vec::new();
    let mut current = String::new();
    let mut gap: Option<Gap> = None;
    let mut rest = text;
    let flush = |current: &mut String, gap: &mut Option<Gap>, parts: &mut Vec<Part>, next: Gap| {
        match Part::new(std::mem::take(current)) {
            Some(mut part) => {
                part.gap = if parts.is_empty() { None } else { *gap };
                parts.push(part);
                *gap = Some(next);
            }
            None => {
                *gap = Some(match (*gap, next) {
                    (None, g) => g,
                    (Some(Gap::Ellipsis), _) | (_, Gap::Ellipsis) => Gap::Ellipsis,
                    (Some(Gap::Insertion(a)), Gap::Insertion(b)) => Gap::Insertion(a + b),
                })
            }
        }
    };
    while !rest.is_empty() {
        // Copy up to the next character that may start a mark (`…` starts with byte 0xE2).
        let plain = memchr::memchr3(b'.', b'[', 0xE2, rest.as_bytes()).unwrap_or(rest.len());
        current.push_str(&rest[..plain]);
        rest = &rest[plain..];
        if let Some(after) = rest.strip_prefix('…') {
            flush(&mut current, &mut gap, &mut parts, Gap::Ellipsis);
            rest = after;
        } else if rest.starts_with("...") {
            flush(&mut current, &mut gap, &mut parts, Gap::Ellipsis);
            rest = rest.trim_start_matches('.');
        } else if let Some(inner) = rest.strip_prefix('[')
            && let Some(close) = inner.find(']')
        {
            let content = &inner[..close];
            let after = &inner[close + 1..];
            let glued_before = current.chars().last().is_some_and(char::is_alphanumeric);
            let glued_after = after.chars().next().is_some_and(char::is_alphanumeric);
            if matches!(content.trim(), "…" | "...") {
                flush(&mut current, &mut gap, &mut parts, Gap::Ellipsis);
            } else if glued_before || glued_after {
                current.push_str(content);
            } else {
                flush(
                    &mut current,
                    &mut gap,
                    &mut parts,
                    Gap::Insertion(INSERTION_WORDS),
                );
            }
            rest = after;
        } else if let Some(c) = rest.chars().next() {
            current.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    flush(&mut current, &mut gap, &mut parts, Gap::Ellipsis);
    parts
}

/// The paragraph where every part occurs in order, each gap respected.
fn find_parts(parts: &[Part], s: &SourceIndex) -> Result<u32, Failure> {
    if let [part] = parts {
        // The common case: one run of words, found without collecting its occurrences.
        return s
            .first(&part.ids(s))
            .map(|at| s.paragraph_of(at))
            .ok_or(Failure::Part(0));
    }
    // (end of the chain so far, start of its first part), ascending by end.
    let mut chains: Vec<(u32, u32)> = Vec::new();
    let mut missing = None;
    for (k, part) in parts.iter().enumerate() {
        let ids = part.ids(s);
        let found = s.find(&ids);
        if found.is_empty() {
            missing.get_or_insert(k);
            continue;
        }
        if missing.is_some() {
            continue;
        }
        let len = ids.len() as u32;
        chains = if k == 0 {
            found.iter().map(|&o| (o + len, o)).collect()
        } else {
            found
                .iter()
                .filter_map(|&o| {
                    let before = chains.partition_point(|&(end, _)| end <= o);
                    let &(end, first) = chains.get(before.checked_sub(1)?)?;
                    let same = s.paragraph_of(end - 1) == s.paragraph_of(o);
                    let near = match part.gap {
                        Some(Gap::Insertion(max)) => o - end <= max,
                        _ => true,
                    };
                    (same && near).then_some((o + len, first))
                })
                .collect()
        };
    }
    if let Some(k) = missing {
        return Err(Failure::Part(k));
    }
    chains
        .first()
        .map(|&(_, first)| s.paragraph_of(first))
        .ok_or(Failure::Order)
}

/// A single quoted word (a scare quote): it must be a word of a source.
fn check_word(part: &Part, sources: &[Cited<'_>]) -> Verdict {
    let word = &part.norm[part.toks[0].norm.clone()];
    let text = &part.text;
    if let Some(si) = sources.iter().position(|s| s.index.has_word(word)) {
        return Verdict::Found {
            source: si,
            paragraph: None,
        };
    }
    let suggestion = sources.iter().find_map(|s| {
        crate::diagnostics::did_you_mean(word, s.index.vocabulary()).map(str::to_string)
    });
    Verdict::Missed {
        message: format!("the word “{}” is not in {}", text.trim(), names(sources)),
        help: match suggestion {
            Some(s) => format!("the source has “{s}”; {}", EXEMPT_HINT),
            None => EXEMPT_HINT.to_string(),
        },
    }
}

const EXEMPT_HINT: &str =
    "if it is not quoted from the source (a title, a term), set it in italics: *\"…\"*";

fn names(sources: &[Cited<'_>]) -> String {
    let ids: Vec<String> = sources.iter().map(|s| format!("`{}`", s.id)).collect();
    format!(
        "the source{} {}",
        if ids.len() > 1 { "s" } else { "" },
        ids.join(" or ")
    )
}

/// The message and help for a quotation found in no source.
fn explain(parts: &[Part], sources: &[Cited<'_>], failures: &[(usize, Failure)]) -> Verdict {
    let message = format!("quotation not found in {}", names(sources));
    // The closest passage to the first part that is missing, over every source.
    let mut best: Option<(Closest, usize, usize)> = None;
    for (si, f) in failures {
        let Failure::Part(k) = *f else { continue };
        let s = sources[*si].index;
        if let Some(c) = closest(&parts[k], s)
            && best.as_ref().is_none_or(|b| c.votes > b.0.votes)
        {
            best = Some((c, *si, k));
        }
    }
    if let Some((c, si, k)) = best {
        let help = describe(&parts[k], sources[si].index, &c, sources[si].id);
        return Verdict::Missed { message, help };
    }
    if failures.iter().all(|(_, f)| matches!(f, Failure::Order)) {
        return Verdict::Missed {
            message,
            help: "each part is in the source, but not in this order within one paragraph".into(),
        };
    }
    Verdict::Missed {
        message,
        help: format!("no passage of the source comes close; {EXEMPT_HINT}"),
    }
}

/// The best-aligned passage of a source for some quotation tokens.
#[derive(Debug, Clone)]
struct Closest {
    /// Words that line up.
    votes: u32,
    /// Source tokens of the passage.
    range: Range<u32>,
}

/// Finds where most of the quotation's words line up (each word votes for the alignment its
/// occurrences imply), then widens that passage by the quotation's unmatched ends. `None` when
/// fewer than half of its words line up anywhere.
fn closest(part: &Part, s: &SourceIndex) -> Option<Closest> {
    let toks = &part.toks;
    let ids = part.ids(s);
    let words = toks.iter().filter(|t| t.word).count() as u32;
    let mut votes: HashMap<i64, (u32, u32)> = HashMap::new();
    for (j, t) in toks.iter().enumerate() {
        if !t.word || ids[j] == UNKNOWN {
            continue;
        }
        let found = s.find(&[ids[j]]);
        if found.len() > 500 {
            continue; // a word that common says nothing about where the passage is
        }
        for p in found {
            let e = votes.entry(p as i64 - j as i64).or_insert((0, p));
            e.0 += 1;
            e.1 = e.1.min(p);
        }
    }
    let (&diagonal, &(count, pos)) = votes
        .iter()
        .max_by(|a, b| a.1.0.cmp(&b.1.0).then(b.0.cmp(a.0)))?;
    if count * 2 < words.max(2) {
        return None;
    }
    let para = &s.paragraphs[s.paragraph_of(pos) as usize].tokens;
    let clamp = |x: i64| x.clamp(para.start as i64, para.end as i64) as u32;
    let slack = 3;
    let wide = clamp(diagonal - slack)..clamp(diagonal + toks.len() as i64 + slack);
    // Trim the wide window to what lines up, plus the quotation's unmatched ends.
    let ops = similar::capture_diff_slices(similar::Algorithm::Myers, &ids, s.ids(wide.clone()));
    let equal: Vec<(usize, usize, usize)> = ops
        .iter()
        .filter_map(|op| match *op {
            similar::DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => Some((old_index, new_index, len)),
            _ => None,
        })
        .collect();
    let (&(qa, sa, _), &(qb, sb, lb)) = (equal.first()?, equal.last()?);
    let start = wide.start as i64 + sa as i64 - qa as i64;
    let end = wide.start as i64 + (sb + lb) as i64 + (toks.len() - qb - lb) as i64;
    Some(Closest {
        votes: count,
        range: clamp(start)..clamp(end),
    })
}

/// `closest passage in `id` (line 30): “…” — it has “consider” where the quotation has “reconsider”`.
fn describe(part: &Part, s: &SourceIndex, c: &Closest, id: &str) -> String {
    let (text, toks) = (&part.text, &part.toks);
    let source_ids = s.ids(c.range.clone());
    let ops = similar::capture_diff_slices(similar::Algorithm::Myers, &part.ids(s), source_ids);
    let quoted = |r: Range<usize>| -> &str {
        if r.is_empty() {
            return "";
        }
        &text[toks[r.start].range.start..toks[r.end - 1].range.end]
    };
    let source =
        |r: Range<usize>| s.text_of(c.range.start + r.start as u32..c.range.start + r.end as u32);
    let mut diffs = Vec::new();
    for op in &ops {
        match *op {
            similar::DiffOp::Equal { .. } => {}
            similar::DiffOp::Delete {
                old_index, old_len, ..
            } => diffs.push(format!(
                "the source has no “{}” here",
                quoted(old_index..old_index + old_len)
            )),
            similar::DiffOp::Insert {
                new_index, new_len, ..
            } => diffs.push(format!(
                "the quotation leaves out “{}”",
                source(new_index..new_index + new_len)
            )),
            similar::DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => diffs.push(format!(
                "the source has “{}” where the quotation has “{}”",
                source(new_index..new_index + new_len),
                quoted(old_index..old_index + old_len)
            )),
        }
    }
    let more = diffs.len().saturating_sub(3);
    diffs.truncate(3);
    if more > 0 {
        diffs.push(format!(
            "{more} more difference{}",
            if more == 1 { "" } else { "s" }
        ));
    }
    let line = s.paragraphs[s.paragraph_of(c.range.start) as usize].line;
    format!(
        "closest passage in `{id}` (line {line}): “{}”\n{}",
        s.text_of(c.range.clone()),
        diffs.join("; ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "Title of the piece\n\
        The official said Xi Jinping promised to “seriously consider” the issue, adding more.\n\
        “This means Chinese President Xi Jinping knows that it is his turn to visit South Korea,” the official said.\n";

    fn check(q: &str) -> Verdict {
        let s = SourceIndex::new(TEXT, false, None);
        verify(
            q,
            &[Cited {
                id: "src",
                index: &s,
            }],
        )
    }

    fn found(q: &str) -> bool {
        matches!(check(q), Verdict::Found { .. })
    }

    #[test]
    fn matching_rules() {
        assert!(found("seriously consider"));
        assert!(found("SERIOUSLY  Consider"));
        assert!(found(
            "This means Chinese President Xi Jinping knows that it is his turn."
        ));
        assert!(found("this means … it is his turn"));
        assert!(found("this means ... it is his turn"));
        assert!(found("this means [...] it is his turn"));
        assert!(found("this means […] it is his turn"));
        assert!(found("[He] knows that it is his turn"));
        assert!(found("[t]his means Chinese President"));
        assert!(found("the official said [Xi] promised to"));
        assert!(!found("it is his turn … this means"), "order");
        assert!(!found("the issue … This means"), "across paragraphs");
        assert!(
            !found("This means [he] the official said"),
            "an insertion is short"
        );
        assert!(found("This means … the official said"));
        assert!(found("consider"));
        assert!(!found("reconsider"));
    }

    #[test]
    fn a_one_word_misquote_shows_the_passage_and_the_word() {
        let Verdict::Missed { message, help } =
            check("Xi Jinping promised to seriously reconsider the issue")
        else {
            panic!("found")
        };
        assert_eq!(message, "quotation not found in the source `src`");
        assert!(help.contains("(line 2)"), "{help}");
        assert!(
            help.contains("“Xi Jinping promised to “seriously consider” the issue”"),
            "{help}"
        );
        assert!(
            help.contains("the source has “consider” where the quotation has “reconsider”"),
            "{help}"
        );
    }

    #[test]
    fn an_invented_quotation_has_no_passage() {
        let Verdict::Missed { help, .. } = check("we will never talk to them again") else {
            panic!("found")
        };
        assert!(
            help.contains("no passage of the source comes close"),
            "{help}"
        );
    }

    proptest::proptest! {
        #[test]
        fn never_panics(parts in proptest::collection::vec(0usize..14, 0..30)) {
            const BITS: [&str; 14] = [
                "the ", "official ", "said ", "…", "...", "[", "]", ".", ",", "’", "-", "é",
                "this means ", "zebra ",
            ];
            let q: String = parts.iter().map(|&i| BITS[i]).collect();
            let _ = check(&q);
        }
    }
}
