//! Opt-in phase timings for profiling: set `EXPLAINER_TIMINGS=1` and each phase prints its
//! duration and the peak memory so far to stderr. Off by default; costs one environment lookup
//! per phase.

use std::time::Instant;

/// Runs `f`, printing how long it took under `label` when `EXPLAINER_TIMINGS` is set.
pub fn phase<T>(label: &str, f: impl FnOnce() -> T) -> T {
    if std::env::var_os("EXPLAINER_TIMINGS").is_none() {
        return f();
    }
    let start = Instant::now();
    let out = f();
    eprintln!(
        "  {label:<24} {:>8.2} ms   peak memory so far {:>5} MiB",
        start.elapsed().as_secs_f64() * 1000.0,
        peak_mib()
    );
    out
}

/// The process's peak resident memory (VmHWM) in MiB, where /proc tells it; 0 elsewhere.
fn peak_mib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb / 1024)
}
