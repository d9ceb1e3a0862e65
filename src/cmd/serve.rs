//! `explainer serve`: build into a temporary folder, serve it, rebuild on change, live reload.

use crate::cmd::report;
use crate::config::Settings;
use crate::error::Error;
use crate::serve::server::{self, Hub, Signal};
use crate::serve::{Message, Session, rebuild_loop, watcher};
use std::sync::{Arc, mpsc};

/// Where and how to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Address to bind.
    pub bind: String,
    /// Port (0 picks a free one).
    pub port: u16,
    /// Open the browser.
    pub open: bool,
}

/// Serves until Ctrl-C. The user's output folder is never touched.
pub fn run(settings: Settings, opts: ServeOptions) -> Result<String, Error> {
    let dir = std::env::temp_dir().join(format!("explainer-serve-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let hub = Arc::new(Hub::default());
    let mut session = Session::new(settings.clone(), dir.clone(), true);
    match session.full() {
        Ok(r) => {
            let summary = session.summary().unwrap_or_default();
            report::print_warnings(&summary.warnings);
            crate::serve::say(&format!(
                "built {} in {} ms",
                report::outputs(&summary),
                r.ms
            ));
        }
        Err(d) => {
            crate::serve::warn(&d.render(crate::serve::color()));
            let text = d.render(false);
            std::fs::write(
                dir.join("index.html"),
                server::inject(placeholder(&text).into_bytes()),
            )
            .ok();
            hub.send(Signal::Error(text));
        }
    }
    // Watch before announcing the address, so no edit made after the announcement is missed.
    let (tx, rx) = mpsc::channel();
    let layout = crate::cmd::watch::layout(&settings);
    let (ptx, prx) = mpsc::channel();
    let _debouncer = watcher::watch(&layout, ptx)
        .map_err(|e| Error::Usage(format!("cannot watch the project: {e}")))?;
    let watcher_tx = tx.clone();
    std::thread::spawn(move || {
        for paths in prx {
            if watcher_tx.send(Message::Changed(paths)).is_err() {
                break;
            }
        }
    });
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::Usage(format!("cannot start the server: {e}")))?;
    let addr = format!("{}:{}", opts.bind, opts.port);
    let listener = rt
        .block_on(tokio::net::TcpListener::bind(&addr))
        .map_err(|e| Error::Usage(format!("cannot listen on {addr}: {e}")))?;
    let local = listener
        .local_addr()
        .map_err(|e| Error::Usage(e.to_string()))?;
    let prefix = crate::config::base_path(&settings.config.base_url);
    let url = format!("http://{local}{prefix}");
    crate::serve::say(&format!("serving on {url} (Ctrl-C to stop)"));
    if opts.open {
        open_browser(&url);
    }
    let app = server::app(dir.clone(), &prefix, hub.clone());
    rt.spawn(async move {
        axum::serve(listener, app).await.ok();
    });

    crate::cmd::watch::stop_on_ctrl_c(tx);
    rebuild_loop(&mut session, &layout, &rx, |result| match result {
        Ok(r) if r.written.is_empty() => {}
        Ok(r) if r.css_only => hub.send(Signal::Css),
        Ok(_) => hub.send(Signal::Reload),
        Err(d) => hub.send(Signal::Error(d.render(false))),
    });
    rt.shutdown_timeout(std::time::Duration::from_millis(200));
    std::fs::remove_dir_all(&dir).ok();
    Ok("stopped".into())
}

fn placeholder(errors: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build error</title></head>\
<body><main><h1>The site does not build yet</h1><pre>{}</pre></main></body></html>\n",
        crate::escape::html(errors)
    )
}

/// Opens `url` in the default browser, with each system's own opener.
fn open_browser(url: &str) {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        // `start`'s first quoted argument is a window title: give it an empty one.
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    command.arg(url).spawn().ok();
}
