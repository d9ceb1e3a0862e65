//! `explainer check`: build into nothing and report every error and warning.

use crate::cmd::report::count;
use crate::config::Settings;
use crate::diagnostics::Diagnostics;
use crate::error::Error;
use crate::output::NullSink;
use crate::pipeline;

/// Checks the site; warnings fail only with `strict`.
pub fn run(settings: &Settings, strict: bool) -> Result<String, Error> {
    let summary = pipeline::build(settings, &NullSink).map_err(Error::Site)?;
    let warnings = Diagnostics(summary.warnings);
    let notes = count(summary.pages, "note");
    if warnings.0.is_empty() {
        return Ok(format!("checked {notes}: no problems found"));
    }
    if strict {
        return Err(Error::Site(warnings));
    }
    crate::serve::warn(&warnings.render(crate::serve::color()));
    Ok(format!(
        "checked {notes}: {}",
        count(warnings.0.len(), "warning")
    ))
}
