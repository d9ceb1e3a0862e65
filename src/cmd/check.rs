//! `explainer check`: build into nothing and report every error and warning, then how much of
//! each source's text the notes quote.

use crate::config::Settings;
use crate::diagnostics::Diagnostics;
use crate::error::Error;
use crate::output::NullSink;
use crate::pipeline;

/// Checks the site; warnings fail only with `strict`. With `coverage`, lists the paragraphs of
/// each source no note quotes.
pub fn run(settings: &Settings, strict: bool, coverage: bool) -> Result<String, Error> {
    let summary = pipeline::build(settings, &NullSink).map_err(Error::Site)?;
    crate::quotes::warn_unverified(&summary.quotes);
    let warnings = Diagnostics(summary.warnings);
    let mut out = if warnings.0.is_empty() {
        format!("checked {} notes: no problems found", summary.pages)
    } else {
        if strict {
            return Err(Error::Site(warnings));
        }
        crate::serve::warn(&warnings.render(crate::serve::color()));
        format!(
            "checked {} notes: {} warning{}",
            summary.pages,
            warnings.0.len(),
            if warnings.0.len() == 1 { "" } else { "s" }
        )
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
