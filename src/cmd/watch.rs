//! `explainer watch`: build into the output folder, then rebuild on every change, file by file.

use crate::cmd::report;
use crate::config::Settings;
use crate::error::Error;
use crate::output::Staging;
use crate::serve::{Message, Session, rebuild_loop, watcher};
use std::sync::mpsc;

/// The folders the watcher looks at, for these settings.
pub fn layout(settings: &Settings) -> watcher::Layout {
    watcher::Layout {
        root: settings.root.clone(),
        content: settings.content_dir.clone(),
        templates: settings.templates_dir.clone(),
        statics: settings.static_dir.clone(),
        output: settings.output_dir.clone(),
    }
}

/// Sends `Stop` on Ctrl-C, SIGTERM or SIGHUP, so the loop ends cleanly and temporary files go.
pub fn stop_on_ctrl_c(tx: mpsc::Sender<Message>) {
    std::thread::spawn(move || {
        let Ok(rt) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        else {
            return;
        };
        rt.block_on(stop_signal());
        tx.send(Message::Stop).ok();
    });
}

/// Waits for Ctrl-C, SIGTERM or SIGHUP.
#[cfg(unix)]
async fn stop_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut term), Ok(mut hup)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::hangup()),
    ) else {
        tokio::signal::ctrl_c().await.ok();
        return;
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
        _ = hup.recv() => {}
    }
}

/// Waits for Ctrl-C (Ctrl-Break and console close too, through tokio's `ctrl_c` on Windows).
#[cfg(not(unix))]
async fn stop_signal() {
    tokio::signal::ctrl_c().await.ok();
}

/// Builds once (atomically), then rebuilds into the output folder until Ctrl-C.
pub fn run(settings: Settings) -> Result<String, Error> {
    settings.check_output_dir().map_err(Error::Usage)?;
    let output = settings.output_dir.clone();
    // First build into a staging folder swapped in whole, like `build`.
    let staging = Staging::begin(&output).map_err(|e| Error::io(&output, e))?;
    let mut session = Session::new(settings.clone(), staging.dir().to_path_buf(), false);
    let first = session.full().map_err(Error::Site)?;
    staging.commit().map_err(|e| Error::io(&output, e))?;
    let mut session = Session::new(settings.clone(), output.clone(), false);
    session.full().map_err(Error::Site)?; // same bytes: records what is on disk, writes nothing
    let summary = session.summary().unwrap_or_default();
    report::print_warnings(&summary.warnings);
    crate::serve::say(&format!(
        "built {} in {} ms → {}; watching for changes (Ctrl-C to stop)",
        report::outputs(&summary),
        first.ms,
        output.display()
    ));
    let (tx, rx) = mpsc::channel();
    let layout = layout(&settings);
    let watcher_tx = tx.clone();
    let (ptx, prx) = mpsc::channel();
    let _debouncer = watcher::watch(&layout, ptx)
        .map_err(|e| Error::Usage(format!("cannot watch the project: {e}")))?;
    std::thread::spawn(move || {
        for paths in prx {
            if watcher_tx.send(Message::Changed(paths)).is_err() {
                break;
            }
        }
    });
    stop_on_ctrl_c(tx);
    rebuild_loop(&mut session, &layout, &rx, |_| {});
    Ok("stopped; the output folder holds the last good build".into())
}
