//! A progress line for long builds: on a terminal, after a moment, a spinner with the elapsed time
//! and the files written so far; nothing at all when stderr is piped or the build is quick.

use crate::output::Sink;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{self, IsTerminal};
use std::path::Path;
use std::sync::{Once, mpsc};
use std::time::Duration;

/// How long a build runs before the progress line appears: quick builds print only their summary.
const SHOW_AFTER: Duration = Duration::from_millis(1500);

/// Runs `f` with a sink that counts what it writes into a progress line on stderr (a terminal only).
pub fn with_progress<T>(sink: &dyn Sink, f: impl FnOnce(&dyn Sink) -> T) -> T {
    with_progress_on(io::stderr().is_terminal(), sink, f)
}

fn with_progress_on<T>(terminal: bool, sink: &dyn Sink, f: impl FnOnce(&dyn Sink) -> T) -> T {
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
    set_style(&bar, "{spinner} reading and rendering notes… ({elapsed})");
    let counting = Counting {
        inner: sink,
        bar: &bar,
        writing: Once::new(),
    };
    let (done, wait) = mpsc::channel::<()>();
    let out = std::thread::scope(|scope| {
        if terminal {
            let bar = bar.clone();
            scope.spawn(move || {
                if wait.recv_timeout(SHOW_AFTER).is_err() {
                    bar.set_draw_target(ProgressDrawTarget::stderr());
                    bar.enable_steady_tick(Duration::from_millis(120));
                }
            });
        }
        let out = f(&counting);
        done.send(()).ok();
        out
    });
    bar.finish_and_clear();
    out
}

fn set_style(bar: &ProgressBar, template: &str) {
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
}

/// Passes writes on to the real sink, counting them.
struct Counting<'a> {
    inner: &'a dyn Sink,
    bar: &'a ProgressBar,
    /// The line changes from reading to writing at the first file.
    writing: Once,
}

impl Counting<'_> {
    fn count(&self) {
        self.writing.call_once(|| {
            set_style(self.bar, "{spinner} writing… {pos} files ({elapsed})");
        });
        self.bar.inc(1);
    }
}

impl Sink for Counting<'_> {
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        self.count();
        self.inner.write(rel, bytes)
    }
    fn copy(&self, rel: &str, src: &Path) -> io::Result<()> {
        self.count();
        self.inner.copy(rel, src)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[derive(Default)]
    struct Recording(Mutex<Vec<String>>);

    impl Sink for Recording {
        fn write(&self, rel: &str, _: &[u8]) -> io::Result<()> {
            self.0.lock().unwrap().push(rel.to_string());
            Ok(())
        }
        fn copy(&self, rel: &str, _: &Path) -> io::Result<()> {
            self.write(rel, b"")
        }
    }

    #[test]
    fn writes_pass_through_and_a_pipe_shows_nothing() {
        let real = Recording::default();
        let n = with_progress_on(false, &real, |sink| {
            sink.write("a/index.html", b"x").unwrap();
            sink.copy("style.css", Path::new("static/style.css"))
                .unwrap();
            2
        });
        assert_eq!(n, 2);
        assert_eq!(*real.0.lock().unwrap(), ["a/index.html", "style.css"]);
    }
}
