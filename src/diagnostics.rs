//! Diagnostics: what went wrong in the user's files, where, and how to fix it, rendered rustc-style.

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use std::fmt;
use std::ops::Range;

/// How serious a diagnostic is: errors fail the build, warnings are reported by `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The site cannot be built correctly.
    Error,
    /// The site builds, but something deserves a look (orphan note, image without alt text).
    Warning,
}

/// One problem in one file, with enough context to show the offending source line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file, as the user knows it (relative to the project root where possible).
    pub path: String,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column in characters; 0 when unknown.
    pub col: usize,
    /// The text of the line the problem is on, if known.
    pub source_line: Option<String>,
    /// Byte range inside `source_line` to underline.
    pub span: Range<usize>,
    /// What is wrong, in one sentence.
    pub message: String,
    /// A short label under the caret.
    pub label: Option<String>,
    /// How to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error about a whole file (no position).
    pub fn file_error(path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            line: 0,
            col: 0,
            source_line: None,
            span: 0..0,
            message: message.into(),
            label: None,
            help: None,
        }
    }

    /// An error at byte `offset` (spanning `len` bytes) of `text`, the full contents of `path`.
    pub fn at(
        path: impl Into<String>,
        text: &str,
        offset: usize,
        len: usize,
        message: impl Into<String>,
    ) -> Self {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        let line_text = text[line_start..line_end].trim_end_matches('\r');
        let line = text[..offset].matches('\n').count() + 1;
        let in_line = (offset - line_start).min(line_text.len());
        let end = floor_char_boundary(line_text, (in_line + len.max(1)).min(line_text.len()));
        let col = line_text[..in_line].chars().count() + 1;
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            line,
            col,
            source_line: Some(line_text.to_string()),
            span: in_line..end.max(in_line),
            message: message.into(),
            label: None,
            help: None,
        }
    }

    /// An error at a 1-based `line` and 1-based character `col` of `text`.
    pub fn at_line_col(
        path: impl Into<String>,
        text: &str,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        let offset = offset_of_line_col(text, line, col);
        Self::at(path, text, offset, 1, message)
    }

    /// Turns this diagnostic into a warning.
    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    /// Adds a label shown under the caret.
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Adds a help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Renders the diagnostic like rustc: message, `--> file:line:col`, the line, a caret, help.
    pub fn render(&self, color: bool) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let title = level.primary_title(self.message.as_str());
        let mut group = match &self.source_line {
            Some(src) => {
                let mut annotation = AnnotationKind::Primary.span(self.span.clone());
                if let Some(label) = &self.label {
                    annotation = annotation.label(label.as_str());
                }
                Group::with_title(title).element(
                    Snippet::source(src.as_str())
                        .line_start(self.line)
                        .path(self.path.as_str())
                        .annotation(annotation),
                )
            }
            None => Group::with_title(title)
                .element(annotate_snippets::Origin::path(self.path.as_str())),
        };
        if let Some(help) = &self.help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        renderer.render(&[group])
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// Every problem found in one run, errors and warnings, in a stable order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Adds one diagnostic.
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    /// Adds many.
    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(ds);
    }

    /// Number of errors (warnings do not count).
    pub fn error_count(&self) -> usize {
        self.0
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.0.len() - self.error_count()
    }

    /// True when at least one error is present.
    pub fn has_errors(&self) -> bool {
        self.error_count() > 0
    }

    /// Sorts errors before warnings, then by file, line and column, so output is deterministic.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            (a.severity, &a.path, a.line, a.col, &a.message)
                .cmp(&(b.severity, &b.path, b.line, b.col, &b.message))
        });
        self.0.dedup();
    }

    /// Renders all diagnostics, separated by blank lines.
    pub fn render(&self, color: bool) -> String {
        let mut out = String::new();
        for d in &self.0 {
            out.push_str(&d.render(color));
            out.push_str("\n\n");
        }
        out
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// The byte offset of a 1-based line and 1-based character column in `text`, clamped.
pub fn offset_of_line_col(text: &str, line: usize, col: usize) -> usize {
    let mut start = 0;
    for _ in 1..line.max(1) {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let line_text = &text[start..text[start..].find('\n').map_or(text.len(), |i| start + i)];
    let byte_col = line_text
        .char_indices()
        .nth(col.saturating_sub(1))
        .map_or(line_text.len(), |(i, _)| i);
    start + byte_col
}

/// The largest character boundary of `s` at or below byte `i` (clamped to its length).
pub fn floor_char_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The closest candidate to `word` by edit distance, if it is close enough to be a plausible typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    closest_within(word, candidates, 0.5)
}

/// The candidate most similar to `word` (case ignored; normalised Damerau-Levenshtein, 1 is
/// equal) if its similarity is at least `min`; the earliest name in order breaks ties.
pub fn closest_within<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    min: f64,
) -> Option<&'a str> {
    use crate::suggest::{bag, bag_distance};
    let lower = word.to_lowercase();
    let (len, letters) = (lower.chars().count(), bag(&lower));
    candidates
        .into_iter()
        .filter_map(|c| {
            // Letter counts bound the distance from below (it is at least the difference in
            // length, too): a candidate that cannot reach `min` is not compared, and most of a
            // vault's front-matter keys are far from every known key.
            let other = c.to_lowercase();
            let longest = len.max(other.chars().count());
            let at_least = bag_distance(&letters, &bag(&other));
            let may_reach = longest == 0 || at_least as f64 <= (1.0 - min) * longest as f64;
            may_reach.then(|| (strsim::normalized_damerau_levenshtein(&lower, &other), c))
        })
        .filter(|(score, _)| *score >= min)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn position_counts_lines_and_chars() {
        let text = "---\ntitle: é x\n---\n";
        let d = Diagnostic::at("a.md", text, text.find('x').unwrap(), 1, "bad");
        assert_eq!((d.line, d.col), (2, 10));
        assert_eq!(d.source_line.as_deref(), Some("title: é x"));
        let rendered = d.render(false);
        assert!(rendered.contains("a.md:2:10"), "{rendered}");
        assert!(rendered.contains('^'), "{rendered}");
    }

    #[test]
    fn line_col_roundtrip() {
        let text = "ab\ncdé\nf";
        assert_eq!(offset_of_line_col(text, 2, 3), 5);
        assert_eq!(offset_of_line_col(text, 9, 1), text.len());
    }

    #[test]
    fn suggestions_are_close_only() {
        assert_eq!(did_you_mean("titel", ["title", "tags"]), Some("title"));
        assert_eq!(did_you_mean("zzzzzz", ["title", "tags"]), None);
        assert_eq!(did_you_mean("Titles", ["title", "tags"]), Some("title"));
        assert_eq!(closest_within("titles", ["title"], 0.9), None);
        assert_eq!(closest_within("", [""], 0.9), Some(""));
    }

    proptest::proptest! {
        /// Skipping candidates by length never changes the answer.
        #[test]
        fn the_length_filter_keeps_every_close_candidate(
            word in "[a-zA-Zé ]{0,12}",
            names in proptest::collection::vec("[a-zé ]{0,12}", 0..8),
            min in 0.3f64..1.0,
        ) {
            let lower = word.to_lowercase();
            let unfiltered = names
                .iter()
                .map(|c| (strsim::normalized_damerau_levenshtein(&lower, &c.to_lowercase()), c.as_str()))
                .filter(|(score, _)| *score >= min)
                .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
                .map(|(_, c)| c);
            proptest::prop_assert_eq!(closest_within(&word, names.iter().map(String::as_str), min), unfiltered);
        }
    }
}
