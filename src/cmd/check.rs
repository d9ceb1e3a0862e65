//! `explainer check`: build into nothing and report every error and warning, which note a name
//! shared by several notes reaches, then how much of each source's text the notes quote.

use crate::cmd::report::count;
use crate::config::Settings;
use crate::content::NoteId;
use crate::diagnostics::Diagnostics;
use crate::error::Error;
use crate::output::NullSink;
use crate::pipeline::{self, Analysis};

/// Checks the site; warnings fail only with `strict`. With `coverage`, lists the paragraphs of
/// each source no note quotes.
pub fn run(settings: &Settings, strict: bool, coverage: bool) -> Result<String, Error> {
    let (summary, analysis) = pipeline::build_keeping(settings, &NullSink).map_err(Error::Site)?;
    crate::quotes::warn_unverified(&summary.quotes);
    let shared = shared_names(&analysis);
    if !shared.is_empty() {
        crate::serve::warn(&shared);
    }
    let warnings = Diagnostics(summary.warnings);
    let notes = count(summary.pages, "note");
    let mut out = if warnings.0.is_empty() {
        format!("checked {notes}: no problems found")
    } else {
        if strict {
            return Err(Error::Site(warnings));
        }
        crate::serve::warn(&warnings.render(crate::serve::color()));
        format!("checked {notes}: {}", count(warnings.0.len(), "warning"))
    };
    for c in &summary.quotes.coverage {
        out.push('\n');
        out.push_str(&c.line());
        if coverage && !c.unquoted.is_empty() {
            out.push_str("; not quoted:\n");
            out.push_str(c.unquoted_lines().trim_end());
        }
    }
    Ok(out)
}

/// Names several notes share, and the note a link by each name reaches (from a folder holding
/// none of them): not a problem, as in Obsidian, but worth knowing. At most `SHOWN` names.
fn shared_names(a: &Analysis) -> String {
    const SHOWN: usize = 10;
    let shared = a.links.shared_names();
    let mut out = String::new();
    let path = |i: NoteId| a.content.notes[i].display_path.as_str();
    for (name, notes) in shared.iter().take(SHOWN) {
        out.push_str(&format!(
            "info: [[{name}]] matches {} notes; it links to {} (write the path to choose another: {})\n",
            notes.len(),
            path(notes[0]),
            notes[1..].iter().map(|&i| path(i)).collect::<Vec<_>>().join(", ")
        ));
    }
    if shared.len() > SHOWN {
        out.push_str(&format!(
            "info: … and {} more names shared by several notes\n",
            shared.len() - SHOWN
        ));
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out
}
