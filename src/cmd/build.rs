//! `explainer build`: guard the output folder, build into a staging folder, swap it in, summarise.

use crate::cmd::{progress, report};
use crate::config::Settings;
use crate::error::Error;
use crate::output::Staging;
use crate::pipeline::{self, Summary};
use std::time::Instant;

/// Builds the site into `settings.output_dir`.
pub fn run(settings: &Settings) -> Result<String, Error> {
    let start = Instant::now();
    settings.check_output_dir().map_err(Error::Usage)?;
    let staging =
        Staging::begin(&settings.output_dir).map_err(|e| Error::io(&settings.output_dir, e))?;
    let sink = staging.sink();
    let (summary, analysis) =
        progress::with_progress(&sink, |sink| pipeline::build_keeping(settings, sink))
            .map_err(Error::Site)?;
    // The process ends after this command: the OS takes the analysis back at once, where
    // freeing its million small allocations one by one took ~30 ms on one core (10k notes).
    std::mem::forget(analysis);
    crate::quotes::warn_unverified(&summary.quotes);
    staging
        .commit()
        .map_err(|e| Error::io(&settings.output_dir, e))?;
    let shown = settings
        .output_dir
        .strip_prefix(std::env::current_dir().unwrap_or_default())
        .unwrap_or(&settings.output_dir)
        .display()
        .to_string();
    // Warnings in full (up to a limit) on stderr, the summary on stdout.
    report::print_warnings(&summary.warnings);
    Ok(summary_line(&summary, start.elapsed().as_millis(), &shown))
}

/// `built 31 pages, 9 tag pages, feed, sitemap in 14 ms → public/`, and when social cards had
/// to be drawn (not taken from the cache), how many: ` (3 social cards drawn)`.
pub fn summary_line(s: &Summary, ms: u128, output: &str) -> String {
    let mut line = format!("built {} in {ms} ms → {output}/", report::outputs(s));
    if s.cards.drawn > 0 {
        line.push_str(&format!(
            " ({} drawn)",
            report::count(s.cards.drawn, "social card")
        ));
    }
    line
}
