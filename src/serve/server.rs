//! The development HTTP server: serves the built folder (only files inside it), answers missing
//! paths with `404.html` and status 404, and pushes reload and error events to browsers (SSE).

use axum::Router;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use std::convert::Infallible;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tokio::sync::broadcast;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;
use tower_http::services::{ServeDir, ServeFile};

/// The path of the server-sent-events endpoint.
pub const EVENTS_PATH: &str = "/__explainer/events";

/// What browsers are told after a rebuild.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signal {
    /// Reload the page.
    Reload,
    /// Only stylesheets changed: swap them without reloading.
    Css,
    /// The rebuild failed: show this text in an overlay.
    Error(String),
}

/// Fans rebuild signals out to every connected browser and remembers the current error.
pub struct Hub {
    tx: broadcast::Sender<Signal>,
    error: Mutex<Option<String>>,
}

impl Default for Hub {
    fn default() -> Self {
        Hub {
            tx: broadcast::channel(64).0,
            error: Mutex::new(None),
        }
    }
}

impl Hub {
    /// Sends a signal to every browser; an error is remembered for browsers that connect later.
    pub fn send(&self, signal: Signal) {
        if let Ok(mut e) = self.error.lock() {
            *e = match &signal {
                Signal::Error(text) => Some(text.clone()),
                _ => None,
            };
        }
        self.tx.send(signal).ok();
    }

    /// A receiver for tests and for the SSE endpoint.
    pub fn subscribe(&self) -> broadcast::Receiver<Signal> {
        self.tx.subscribe()
    }

    fn current_error(&self) -> Option<String> {
        self.error.lock().ok().and_then(|e| e.clone())
    }
}

fn to_event(signal: Signal) -> Event {
    match signal {
        Signal::Reload => Event::default().event("reload").data("reload"),
        Signal::Css => Event::default().event("css").data("css"),
        Signal::Error(text) => Event::default().event("error-report").data(text),
    }
}

async fn events(hub: Arc<Hub>) -> impl IntoResponse {
    let first = hub.current_error().map(Signal::Error);
    let initial = tokio_stream::iter(first.map(|s| Ok::<_, Infallible>(to_event(s))));
    let updates = BroadcastStream::new(hub.subscribe())
        .filter_map(|r| r.ok())
        .map(|s| Ok::<_, Infallible>(to_event(s)));
    Sse::new(initial.chain(updates)).keep_alive(KeepAlive::default())
}

/// True if the request path, once decoded, stays inside `dir`: no `..`, no NUL or backslash,
/// and no symbolic link that leads outside.
pub fn stays_inside(dir: &std::path::Path, uri_path: &str) -> bool {
    let decoded = crate::links::percent_decode(uri_path);
    if decoded.contains('\0') || decoded.contains('\\') {
        return false;
    }
    if decoded.split('/').any(|seg| seg == "..") {
        return false;
    }
    // Longer than any file the site can hold (the file server would answer 500).
    if decoded.len() > 1024 || decoded.split('/').any(|seg| seg.len() > 255) {
        return false;
    }
    let Ok(base) = std::fs::canonicalize(dir) else {
        return false;
    };
    // The path the file server will open: its normal components (it drops `.`, `//` and a
    // trailing `/`), plus the `index.html` it adds for a folder.
    let mut candidate = dir.to_path_buf();
    for c in std::path::Path::new(decoded.trim_start_matches('/')).components() {
        if let std::path::Component::Normal(n) = c {
            candidate.push(n);
        }
    }
    let mut paths = vec![candidate.clone()];
    if candidate.is_dir() {
        paths.push(candidate.join("index.html"));
    }
    paths.iter().all(|p| match std::fs::canonicalize(p) {
        Ok(real) => real.starts_with(&base),
        Err(e) => e.kind() == std::io::ErrorKind::NotFound,
    })
}

async fn guard(dir: Arc<PathBuf>, prefix: Arc<String>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let inner = path
        .strip_prefix(prefix.trim_end_matches('/'))
        .unwrap_or(path);
    if path == EVENTS_PATH || stays_inside(&dir, inner) {
        next.run(req).await
    } else {
        let body = std::fs::read(dir.join("404.html")).unwrap_or_default();
        let mut res = Response::new(axum::body::Body::from(body));
        *res.status_mut() = StatusCode::NOT_FOUND;
        res.headers_mut().insert(
            "content-type",
            axum::http::HeaderValue::from_static("text/html; charset=utf-8"),
        );
        res
    }
}

/// The app: the site under `prefix` (`/` or `/sub/`), the events endpoint, and 404s.
/// Every request is checked to stay inside the output folder before a file is read.
pub fn app(dir: PathBuf, prefix: &str, hub: Arc<Hub>) -> Router {
    let guarded_dir = Arc::new(dir.clone());
    let guarded_prefix = Arc::new(prefix.to_string());
    let layer = middleware::from_fn(move |req: Request, next: Next| {
        guard(guarded_dir.clone(), guarded_prefix.clone(), req, next)
    });
    // Nothing is cached: Last-Modified has one-second precision, and two saves within a second
    // would otherwise get a 304 and show the older page after the reload.
    let no_store = middleware::map_response(|mut res: Response| async move {
        res.headers_mut().insert(
            "cache-control",
            axum::http::HeaderValue::from_static("no-store"),
        );
        res
    });
    Router::new()
        .merge(routes(dir, prefix, hub).layer(layer))
        .layer(no_store)
}

fn routes(dir: PathBuf, prefix: &str, hub: Arc<Hub>) -> Router {
    let not_found = ServeFile::new(dir.join("404.html"));
    let files = ServeDir::new(&dir)
        .append_index_html_on_directories(true)
        .not_found_service(not_found.clone());
    let router = Router::new().route(EVENTS_PATH, get(move || events(hub.clone())));
    let prefix = prefix.trim_end_matches('/');
    if prefix.is_empty() {
        router.fallback_service(files)
    } else {
        let target = format!("{prefix}/");
        router
            .route(
                "/",
                get(move || async move { Redirect::temporary(&target) }),
            )
            .nest_service(prefix, files)
            .fallback_service(
                ServeDir::new(&dir)
                    .fallback(not_found)
                    .append_index_html_on_directories(false),
            )
    }
}

/// The script injected into every served HTML page: listens for rebuilds, reloads, swaps CSS,
/// and shows build errors in an overlay until the next good build.
pub const RELOAD_SCRIPT: &str = r#"<script>(()=>{let o=null;const es=new EventSource("/__explainer/events");
const show=t=>{if(!o){o=document.createElement("div");o.id="explainer-error-overlay";o.setAttribute("role","alert");
o.style.cssText="position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:2rem;background:rgba(24,4,4,.95);color:#ffe9e9;font:14px/1.5 ui-monospace,monospace;white-space:pre-wrap";
document.body.appendChild(o);}o.textContent="explainer: the last change does not build; the page shows the last good version.\n\n"+t;};
es.addEventListener("reload",()=>location.reload());
es.addEventListener("css",()=>{for(const l of document.querySelectorAll('link[rel="stylesheet"]')){const u=new URL(l.href);u.searchParams.set("v",Date.now());l.href=u.href;}});
es.addEventListener("error-report",e=>show(e.data));})();</script>"#;

/// Adds the live-reload script to an HTML page, just before `</body>` (or at the end).
pub fn inject(html: Vec<u8>) -> Vec<u8> {
    let needle = b"</body>";
    let at = html
        .windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + RELOAD_SCRIPT.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(RELOAD_SCRIPT.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_is_refused() {
        let t = tempfile::tempdir().unwrap();
        let site = t.path().join("site");
        std::fs::create_dir(&site).unwrap();
        std::fs::write(site.join("ok.html"), "ok").unwrap();
        std::fs::write(t.path().join("secret"), "secret").unwrap();
        // A symbolic link that leads out (Unix only: Windows needs privileges to make one).
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(t.path().join("secret"), site.join("link")).unwrap();
            assert!(!stays_inside(&site, "/link"));
        }
        assert!(stays_inside(&site, "/ok.html"));
        assert!(stays_inside(&site, "/missing"));
        for bad in [
            "/../secret",
            "/%2e%2e/secret",
            "/..%2fsecret",
            "/a%00b",
            "/..\\secret",
        ] {
            assert!(!stays_inside(&site, bad), "{bad}");
        }
    }

    #[test]
    fn script_goes_before_body_end() {
        let out =
            String::from_utf8(inject(b"<html><body><p>x</p></body></html>".to_vec())).unwrap();
        assert!(out.ends_with("</script></body></html>"));
        let out = String::from_utf8(inject(b"<p>no body</p>".to_vec())).unwrap();
        assert!(out.starts_with("<p>no body</p><script>"));
    }

    #[test]
    fn hub_remembers_only_the_current_error() {
        let hub = Hub::default();
        hub.send(Signal::Error("bad".into()));
        assert_eq!(hub.current_error().as_deref(), Some("bad"));
        hub.send(Signal::Reload);
        assert_eq!(hub.current_error(), None);
    }
}
