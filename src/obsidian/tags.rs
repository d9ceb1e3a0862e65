//! Inline tags: `#tag` and nested `#area/topic` in a note's text join the note's tags (as
//! front-matter tags do) and link to their tag page. Not in code, links or headings, and not a
//! number (`#123`), as in Obsidian.

use crate::content::slugify;
use crate::markdown::{LinkProblem, LinkSyntax, Resolved, Resolver};
use std::ops::Range;

/// Longest tag accepted, in bytes (a longer run is left as text).
const MAX_TAG: usize = 256;

/// The URL segment of a tag: each `/`-separated part slugified, so `Region/East Asia` lives at
/// `tags/region/east-asia/`. Case variants share one slug (and one page), as in Obsidian.
pub fn slug(tag: &str) -> String {
    let mut out = String::with_capacity(tag.len());
    for part in tag.split('/') {
        let s = slugify(part);
        if !s.is_empty() {
            if !out.is_empty() {
                out.push('/');
            }
            out.push_str(&s);
        }
    }
    out
}

/// The byte ranges of tags in `text` (each from its `#`); `after_space` says whether what came
/// before `text` ends in whitespace (or starts the block).
pub fn find(text: &str, after_space: bool) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let mut rest = 0;
    while let Some(i) = text[rest..].find('#').map(|i| rest + i) {
        rest = i + 1;
        let before_ok = match text[..i].chars().next_back() {
            Some(c) => c.is_whitespace(),
            None => after_space,
        };
        if !before_ok {
            continue;
        }
        let name_len: usize = text[i + 1..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '/'))
            .map(char::len_utf8)
            .sum();
        let name = text[i + 1..i + 1 + name_len].trim_end_matches('/');
        let is_tag = !name.is_empty()
            && name.len() <= MAX_TAG
            && !name.starts_with('/')
            && !name.bytes().all(|b| b.is_ascii_digit())
            && !slug(name).is_empty();
        if is_tag {
            found.push(i..i + 1 + name.len());
            rest = i + 1 + name.len();
        }
    }
    found
}

/// A `Resolver` that also knows where this page's tag links point: `base` is the relative path
/// from the page to the site root, `None` when the site has no tag pages.
pub struct TagLinks<'r> {
    /// Resolves every other link.
    pub inner: &'r dyn Resolver,
    /// `../../` from the page to the root, if tag pages are built.
    pub root: Option<String>,
    /// Links end in `index.html` (`--file-links`).
    pub file_links: bool,
}

impl Resolver for TagLinks<'_> {
    fn resolve(&self, syntax: LinkSyntax, dest: &str) -> Result<Option<Resolved>, LinkProblem> {
        self.inner.resolve(syntax, dest)
    }

    fn embed(&self, dest: &str) -> Result<crate::markdown::Embed, LinkProblem> {
        self.inner.embed(dest)
    }

    fn highlighter(&self) -> Option<&crate::code::Highlighter> {
        self.inner.highlighter()
    }

    fn tag_href(&self, slug: &str) -> Option<String> {
        let root = self.root.as_ref()?;
        let url = crate::graph::term_url("tags", slug);
        Some(format!(
            "{root}{}",
            crate::links::link_path(&url, self.file_links)
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<&str> {
        find(text, true).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn tags_are_found_as_obsidian_finds_them() {
        assert_eq!(
            names("#a and #Region/East-Asia, x#no #123 #y1984 #é_t. ##h #/x #a/"),
            vec!["#a", "#Region/East-Asia", "#y1984", "#é_t", "#a"]
        );
        assert!(find("#a", false).is_empty());
        assert!(names("https://x.org/#frag").is_empty());
    }

    #[test]
    fn nested_tags_keep_their_parts_in_the_slug() {
        assert_eq!(slug("Region/East Asia"), "region/east-asia");
        assert_eq!(slug("POLITICS"), "politics");
        assert_eq!(slug("a//b/"), "a/b");
    }
}
