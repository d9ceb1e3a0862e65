//! Opt-in phase timings for profiling: set `EXPLAINER_TIMINGS=1` and each phase prints its
//! duration to stderr. Off by default; costs one environment lookup per phase.

use std::time::Instant;

/// Runs `f`, printing how long it took under `label` when `EXPLAINER_TIMINGS` is set.
pub fn phase<T>(label: &str, f: impl FnOnce() -> T) -> T {
    if std::env::var_os("EXPLAINER_TIMINGS").is_none() {
        return f();
    }
    let start = Instant::now();
    let out = f();
    eprintln!(
        "  {label:<24} {:>8.2} ms",
        start.elapsed().as_secs_f64() * 1000.0
    );
    out
}
