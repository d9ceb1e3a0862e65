//! Link previews: every note's title and a short description, in small script files
//! (`previews/<n>.js`, one shard per about 48 notes, chosen by a hash of the note's URL), and
//! `previews.js`, which shows them in a popover when an internal link is hovered or focused.
//! Scripts rather than fetched JSON, so previews work from `file://` and under any subpath; shards,
//! so a page loads the titles of a few dozen notes, not of the whole site.

use crate::content::Note;
use crate::diagnostics::floor_char_boundary;
use crate::json;
use crate::markdown::Rendered;
use std::collections::BTreeSet;

/// The preview script, without its first line (the number of shards, written by `script`).
const PREVIEWS_JS: &str = include_str!("assets/previews.js");

/// About how many notes share one data file: a shard stays near 15 kB, under 50 kB even when
/// every title and description is as long as a preview shows.
pub const NOTES_PER_SHARD: usize = 48;

/// The longest description a preview shows (bytes, cut at a word); a longer one ends with `…`.
pub const DESCRIPTION_LIMIT: usize = 240;

/// The longest title a preview shows (bytes, cut at a word).
pub const TITLE_LIMIT: usize = 160;

/// How many data files a site of `notes` notes has. It depends on the number of notes only, so
/// an edit never moves a note to another shard.
pub fn shards(notes: usize) -> usize {
    notes.div_ceil(NOTES_PER_SHARD).max(1)
}

/// The shard holding the note at `url` (`topics/xi-visit/`; the home page is `""`): FNV-1a
/// (32 bits) of the URL's bytes, modulo `shards`, as `previews.js` computes it.
pub fn shard_of(url: &str, shards: usize) -> usize {
    let mut h: u32 = 0x811c_9dc5;
    for b in url.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h as usize % shards.max(1)
}

/// `previews.js` for a site with `shards` data files.
pub fn script(shards: usize) -> String {
    format!("var explainerPreviewShards={shards};\n{PREVIEWS_JS}")
}

/// `s` cut to at most `limit` bytes at a word boundary, with `…` when cut.
fn cut(s: &str, limit: usize) -> String {
    let s = s.trim();
    if s.len() <= limit {
        return s.to_string();
    }
    let end = floor_char_boundary(s, limit);
    let kept = s[..end]
        .rfind(char::is_whitespace)
        .filter(|&i| i > limit / 2)
        .unwrap_or(end);
    let mut out = s[..kept]
        .trim_end_matches(|c: char| c.is_whitespace() || c.is_ascii_punctuation())
        .to_string();
    out.push('…');
    out
}

/// One note's entry, `"url":["title","description"]` (script-safe JSON). Without a
/// `description`, the beginning of the note's text stands in for it.
pub fn entry(note: &Note, rendered: &Rendered) -> String {
    let description = match note.front.description.as_deref().map(str::trim) {
        Some(d) if !d.is_empty() => cut(d, DESCRIPTION_LIMIT),
        _ => cut(&rendered.text, DESCRIPTION_LIMIT),
    };
    let mut out = String::with_capacity(note.url.len() + note.title.len() + description.len() + 16);
    json::push_string(&mut out, &note.url);
    out.push_str(":[");
    json::push_string(&mut out, &cut(&note.title, TITLE_LIMIT));
    out.push(',');
    json::push_string(&mut out, &description);
    out.push(']');
    out
}

/// The data files from every note's entry (in note order): (shard number, script), for each
/// shard in `only` (every shard when `None`), in shard order; a shard's notes keep note order.
pub fn shard_scripts(
    notes: &[Note],
    entries: &[String],
    only: Option<&BTreeSet<usize>>,
) -> Vec<(usize, String)> {
    let count = shards(notes.len());
    let wanted = |n: usize| only.is_none_or(|o| o.contains(&n));
    let mut out: Vec<Option<String>> = (0..count)
        .map(|n| wanted(n).then(|| "explainerPreviews({".to_string()))
        .collect();
    for (note, e) in notes.iter().zip(entries) {
        let Some(s) = &mut out[shard_of(&note.url, count)] else {
            continue;
        };
        if !s.ends_with('{') {
            s.push(',');
        }
        s.push_str(e);
    }
    (out.into_iter().enumerate())
        .filter_map(|(n, s)| {
            let mut s = s?;
            s.push_str("});\n");
            Some((n, s))
        })
        .collect()
}

/// The path of shard `n`'s data file in the output.
pub fn shard_path(n: usize) -> String {
    format!("previews/{n}.js")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_count_grows_with_notes_only() {
        assert_eq!(shards(0), 1);
        assert_eq!(shards(48), 1);
        assert_eq!(shards(49), 2);
        assert_eq!(shards(10_000), 209);
    }

    #[test]
    fn hash_matches_the_script() {
        // The same values as `fnv("")` and `fnv("topics/xi-visit/")` in previews.js.
        assert_eq!(shard_of("", usize::MAX), 0x811c_9dc5);
        assert_eq!(shard_of("a", usize::MAX), 0xe40c_292c);
        assert!(shard_of("topics/xi-visit/", 7) < 7);
    }

    #[test]
    fn long_text_is_cut_at_a_word() {
        assert_eq!(cut("  short  ", 10), "short");
        let long = "word ".repeat(100);
        let c = cut(&long, 24);
        assert_eq!(c, "word word word word…");
        assert_eq!(cut("ééééééééé", 5), "éé…");
    }

    #[test]
    fn entries_are_script_safe_and_sharded() {
        let note = |url: &str, title: &str, desc: Option<&str>| Note {
            kind: crate::content::NoteKind::Page,
            rel_path: format!("{url}.md"),
            display_path: String::new(),
            text: String::new(),
            body_start: 0,
            source_taken: false,
            front: crate::content::front_matter::FrontMatter {
                description: desc.map(str::to_string),
                ..Default::default()
            },
            title: title.into(),
            url: url.into(),
            parent: None,
        };
        let notes = vec![
            note("a/", "A </script>", Some("Desc")),
            note("b/", "B", None),
        ];
        let rendered = Rendered {
            text: "Body text of B.".into(),
            ..Default::default()
        };
        let entries: Vec<String> = notes.iter().map(|n| entry(n, &rendered)).collect();
        assert_eq!(entries[0], r#""a/":["A \u003c/script\u003e","Desc"]"#);
        assert_eq!(entries[1], r#""b/":["B","Body text of B."]"#);
        let files = shard_scripts(&notes, &entries, None);
        assert_eq!(files.len(), 1);
        assert_eq!(shard_scripts(&notes, &entries, Some(&[0].into())), files);
        assert!(shard_scripts(&notes, &entries, Some(&BTreeSet::new())).is_empty());
        assert_eq!(
            files[0].1,
            format!("explainerPreviews({{{},{}}});\n", entries[0], entries[1])
        );
    }
}
