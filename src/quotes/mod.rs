//! Quotations checked against the sources they come from: in every note citing sources whose
//! text is known (`text:` in site.yaml), each quotation must appear in one of them. The texts are
//! read and indexed once per analysis, the notes checked in parallel; nothing here changes what
//! is built, only what `check` and `build` report.

pub mod coverage;
pub mod extract;
pub mod normalize;
pub mod source_index;
pub mod verify;

use crate::config::{Settings, Source};
use crate::content::Note;
use crate::diagnostics::Diagnostic;
use coverage::SourceCoverage;
use rayon::prelude::*;
use source_index::SourceIndex;
use verify::{Cited, Verdict};

/// What the quotation check found besides errors.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// One warning per source whose text is missing or unreadable ("quotations not verified").
    /// Printed by `check` and `build`; never counted by `check --strict`, so a clone without
    /// the texts passes.
    pub unverified: Vec<Diagnostic>,
    /// Coverage of each source whose text was read, in site.yaml order.
    pub coverage: Vec<SourceCoverage>,
}

/// Checks the quotations of every note citing sources with text: the report, and an error for
/// each misquote.
pub fn check(settings: &Settings, notes: &[Note]) -> (Report, Vec<Diagnostic>) {
    let sources = &settings.config.sources;
    let mut diags = Vec::new();
    if sources.iter().all(|s| s.text.is_empty()) {
        return (Report::default(), diags);
    }
    let (indexes, unverified) = load(settings);
    let results: Vec<NoteResult> = notes
        .par_iter()
        .map(|n| check_note(n, sources, &indexes))
        .collect();
    let mut quoted: Vec<Vec<bool>> = indexes
        .iter()
        .map(|i| vec![false; i.as_ref().map_or(0, |i| i.paragraphs.len())])
        .collect();
    for (found, hits) in results {
        diags.extend(found);
        for (s, p) in hits {
            quoted[s][p as usize] = true;
        }
    }
    let coverage = sources
        .iter()
        .zip(&indexes)
        .zip(&quoted)
        .filter_map(|((s, i), q)| Some(SourceCoverage::new(&s.id, i.as_ref()?, q)))
        .collect();
    (
        Report {
            unverified,
            coverage,
        },
        diags,
    )
}

/// Reads and indexes each source's text (`None` without one), with a warning for each text
/// that cannot be read.
pub fn load(settings: &Settings) -> (Vec<Option<SourceIndex>>, Vec<Diagnostic>) {
    let mut warnings = Vec::new();
    let indexes = settings
        .config
        .sources
        .iter()
        .map(|s| {
            if s.text.is_empty() {
                return None;
            }
            match read_text(settings, s) {
                Ok(index) => Some(index),
                Err(why) => {
                    warnings.push(
                        Diagnostic::file_error(
                            "site.yaml",
                            format!("quotations not verified: {} {why}", s.text),
                        )
                        .with_help(format!(
                            "the text of source `{}` is read from there (relative to the project folder)",
                            s.id
                        ))
                        .warning(),
                    );
                    None
                }
            }
        })
        .collect();
    (indexes, warnings)
}

fn read_text(settings: &Settings, s: &Source) -> Result<SourceIndex, String> {
    let path = settings.root.join(&s.text);
    let bytes = std::fs::read(&path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => "not found".to_string(),
        _ => format!("cannot be read: {e}"),
    })?;
    let text = crate::content::load::decode_text(&s.text, bytes)
        .map_err(|d| format!("cannot be read: {}", d.message))?;
    let markdown = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"));
    let end = (!s.text_end.is_empty()).then_some(s.text_end.as_str());
    Ok(SourceIndex::new(&text, markdown, end))
}

/// A note's misquotes and the source paragraphs it quotes: (source, paragraph).
type NoteResult = (Vec<Diagnostic>, Vec<(usize, u32)>);

/// The misquotes of one note and the source paragraphs it quotes: (source, paragraph).
/// A note is checked only when every source it cites has a text: a quotation could come from
/// any of them.
fn check_note(n: &Note, sources: &[Source], indexes: &[Option<SourceIndex>]) -> NoteResult {
    let mut out = (Vec::new(), Vec::new());
    if n.front.sources.is_empty() || !n.has_source() {
        return out;
    }
    let mut cited = Vec::new();
    let mut which = Vec::new();
    for id in &n.front.sources {
        let Some(i) = sources.iter().position(|s| &s.id == id) else {
            return out; // an unknown source, reported by the front-matter check
        };
        let Some(index) = &indexes[i] else {
            return out;
        };
        cited.push(Cited { id, index });
        which.push(i);
    }
    for q in extract::quotations(n.body()) {
        if q.exempt {
            continue;
        }
        match verify::verify(&q.text, &cited) {
            Verdict::Found {
                source,
                paragraph: Some(p),
            } => out.1.push((which[source], p)),
            Verdict::Found { .. } => {}
            Verdict::Missed { message, help } => out.0.push(
                Diagnostic::at(
                    &n.display_path,
                    &n.text,
                    n.body_start + q.span.start,
                    q.span.len(),
                    message,
                )
                .with_label(if q.block {
                    "blockquote not in the source"
                } else {
                    "misquote"
                })
                .with_help(help),
            ),
        }
    }
    out
}

/// Prints the "quotations not verified" warnings of a report to stderr.
pub fn warn_unverified(report: &Report) {
    if !report.unverified.is_empty() {
        let d = crate::diagnostics::Diagnostics(report.unverified.clone());
        crate::serve::warn(&d.render(crate::serve::color()));
    }
}
