//! What the commands print about a build: one way of counting pages for `build`, `serve` and
//! `watch`, correct plurals, and warnings shown in full up to a limit.

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::pipeline::Summary;

/// How many warnings a build prints before summing up the rest (a big vault can have
/// thousands; `check` prints them all).
pub const WARNINGS_SHOWN: usize = 20;

/// `1 page`, `2 pages`: a count with its noun, plural when the count is not one.
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("{n} {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// What a full build wrote, the same words in every command:
/// `6 pages, 5 tag pages, 3 categories pages, 2 redirects, feed, sitemap`. Pages are the notes
/// (home, sections, pages); each taxonomy's pages, redirects and the other outputs are named apart.
pub fn outputs(s: &Summary) -> String {
    let mut parts = vec![count(s.pages, "page")];
    for (name, pages) in &s.taxonomy_pages {
        let noun = if name == "tags" { "tag" } else { name };
        parts.push(count(*pages, &format!("{noun} page")));
    }
    if s.redirects > 0 {
        parts.push(count(s.redirects, "redirect"));
    }
    if s.feed {
        parts.push("feed".into());
    }
    parts.push("sitemap".into());
    parts.join(", ")
}

/// The warnings of a build, rendered in full up to [`WARNINGS_SHOWN`], then a line counting the
/// rest; empty when there are none.
pub fn warnings(warnings: &[Diagnostic], color: bool) -> String {
    if warnings.is_empty() {
        return String::new();
    }
    let shown = warnings.len().min(WARNINGS_SHOWN);
    let mut text = Diagnostics(warnings[..shown].to_vec()).render(color);
    let rest = warnings.len() - shown;
    if rest > 0 {
        text.push_str(&format!(
            "… and {rest} more warning{}: run `explainer check` to see them all\n",
            if rest == 1 { "" } else { "s" }
        ));
    }
    text
}

/// Prints a build's warnings on stderr (see [`warnings`]).
pub fn print_warnings(list: &[Diagnostic]) {
    crate::serve::warn(&warnings(list, crate::serve::color()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals() {
        assert_eq!(count(0, "page"), "0 pages");
        assert_eq!(count(1, "page"), "1 page");
        assert_eq!(count(2, "tag page"), "2 tag pages");
    }

    #[test]
    fn outputs_name_each_kind_once() {
        let s = Summary {
            pages: 1,
            taxonomy_pages: vec![("tags".into(), 3), ("categories".into(), 1)],
            redirects: 1,
            feed: false,
            files: 0,
            warnings: Vec::new(),
            quotes: Default::default(),
            cards: Default::default(),
        };
        assert_eq!(
            outputs(&s),
            "1 page, 3 tag pages, 1 categories page, 1 redirect, sitemap"
        );
    }

    #[test]
    fn warnings_beyond_the_limit_are_counted() {
        let list: Vec<Diagnostic> = (0..WARNINGS_SHOWN + 3)
            .map(|i| Diagnostic::file_error(format!("content/n{i}.md"), "orphan").warning())
            .collect();
        let text = warnings(&list, false);
        assert!(text.contains("content/n0.md"), "{text}");
        assert!(
            !text.contains(&format!("content/n{WARNINGS_SHOWN}.md")),
            "{text}"
        );
        assert!(text.contains("and 3 more warnings"), "{text}");
        assert_eq!(warnings(&[], false), "");
    }
}
