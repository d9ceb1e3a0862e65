//! `explainer serve` end to end over HTTP: it serves the built site (and nothing outside it),
//! answers missing pages with 404.html, rebuilds on edits, renames and deletes, and tells
//! browsers to reload (or shows errors) over server-sent events.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Child;
use std::sync::mpsc;
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    port: u16,
    root: PathBuf,
    _tmp: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

fn write(root: &Path, rel: &str, text: &str) {
    common::write_file(root, rel, text);
}

fn start() -> Server {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    common::write_small_site(&root, "Alpha first text.");
    write(
        &root,
        "content/beta.md",
        "---\ntitle: Beta\n---\nBeta text, see [alpha](alpha.md).\n",
    );
    let (child, url) = common::spawn_serve(&root);
    let port = common::port_of(&url);
    Server {
        child,
        port,
        root,
        _tmp: tmp,
    }
}

struct Response {
    status: u16,
    headers: String,
    body: String,
}

fn raw(port: u16, request_target: &str) -> Response {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(
        s,
        "GET {request_target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).ok();
    let text = String::from_utf8_lossy(&buf).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    Response {
        status,
        headers: head.to_lowercase(),
        body: body.to_string(),
    }
}

fn get(port: u16, path: &str) -> Response {
    raw(port, path)
}

/// Polls `path` until `pred` holds (at most 3 s).
fn eventually(port: u16, path: &str, pred: impl Fn(&Response) -> bool) -> Response {
    let deadline = Instant::now() + Duration::from_secs(3);
    loop {
        let r = get(port, path);
        if pred(&r) || Instant::now() > deadline {
            return r;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A connection to the events endpoint; lines arrive on the channel.
fn events(port: u16) -> mpsc::Receiver<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        s,
        "GET /__explainer/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(s).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    std::thread::sleep(Duration::from_millis(200));
    rx
}

fn wait_for_event(rx: &mpsc::Receiver<String>, name: &str) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut seen = Vec::new();
    while Instant::now() < deadline {
        if let Ok(line) = rx.recv_timeout(Duration::from_millis(100)) {
            let done = line == format!("event: {name}");
            seen.push(line);
            if done {
                // Collect the data lines of this event.
                while let Ok(l) = rx.recv_timeout(Duration::from_millis(200)) {
                    if l.is_empty() {
                        break;
                    }
                    seen.push(l);
                }
                return seen;
            }
        }
    }
    panic!("no `{name}` event; saw {seen:?}");
}

#[test]
fn serves_pages_404s_and_content_types() {
    let s = start();
    let home = get(s.port, "/");
    assert_eq!(home.status, 200);
    assert!(
        home.headers.contains("content-type: text/html"),
        "{}",
        home.headers
    );
    assert!(
        home.body.contains("/__explainer/events"),
        "live-reload script injected"
    );
    let css = get(s.port, "/style.css");
    assert_eq!(css.status, 200);
    assert!(
        css.headers.contains("content-type: text/css"),
        "{}",
        css.headers
    );
    assert!(
        !css.body.contains("EventSource"),
        "scripts only go into HTML"
    );
    let missing = get(s.port, "/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.body.contains("Page not found"),
        "the site's 404.html is served"
    );
    assert!(
        !s.root.join("public").exists(),
        "serve never writes the project's output folder"
    );
}

#[test]
fn never_serves_files_outside_the_output() {
    let s = start();
    let serve_dir = std::env::temp_dir().join(format!("explainer-serve-{}", s.child.id()));
    assert!(serve_dir.is_dir());
    // A symbolic link that leads out (Unix only: Windows needs privileges to make one).
    #[cfg(unix)]
    std::os::unix::fs::symlink(s.root.join("content/alpha.md"), serve_dir.join("escape.md"))
        .unwrap();
    for target in [
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/..%2fCargo.toml",
        "/..%2F..%2F..%2Fetc%2Fpasswd",
        "/..\\..\\etc\\passwd",
        "/%00",
        "/escape.md",
        &format!("/{}", "a".repeat(5000)),
        "http://evil.example/../../etc/passwd",
    ] {
        let r = raw(s.port, target);
        assert_ne!(r.status, 200, "{target} was served");
        assert!(
            !r.body.contains("Alpha first text") && !r.body.contains("root:"),
            "{target} leaked a file"
        );
    }
    assert_eq!(get(s.port, "/").status, 200, "the server is still up");
}

#[test]
fn edits_renames_and_deletes_rebuild_and_signal_browsers() {
    let s = start();
    let rx = events(s.port);
    assert!(get(s.port, "/alpha/").body.contains("Alpha first text"));

    write(
        &s.root,
        "content/alpha.md",
        "---\ntitle: Alpha\n---\nAlpha second text.\n",
    );
    wait_for_event(&rx, "reload");
    let r = eventually(s.port, "/alpha/", |r| r.body.contains("Alpha second text"));
    assert!(r.body.contains("Alpha second text"));

    std::fs::rename(
        s.root.join("content/beta.md"),
        s.root.join("content/gamma.md"),
    )
    .unwrap();
    wait_for_event(&rx, "reload");
    assert_eq!(
        eventually(s.port, "/beta/", |r| r.status == 404).status,
        404
    );
    assert_eq!(get(s.port, "/gamma/").status, 200);

    std::fs::remove_file(s.root.join("content/gamma.md")).unwrap();
    wait_for_event(&rx, "reload");
    assert_eq!(
        eventually(s.port, "/gamma/", |r| r.status == 404).status,
        404
    );

    write(
        &s.root,
        "content/alpha.md",
        "---\ntitel: Alpha\n---\nAlpha broken text.\n",
    );
    let seen = wait_for_event(&rx, "error-report");
    let text = seen.join("\n");
    assert!(
        text.contains("content/alpha.md:2:1") && text.contains("titel"),
        "{text}"
    );
    assert!(
        get(s.port, "/alpha/").body.contains("Alpha second text"),
        "last good page still served"
    );

    write(
        &s.root,
        "content/alpha.md",
        "---\ntitle: Alpha\n---\nAlpha fixed text.\n",
    );
    wait_for_event(&rx, "reload");
    assert!(
        eventually(s.port, "/alpha/", |r| r.body.contains("Alpha fixed text"))
            .body
            .contains("Alpha fixed text")
    );

    write(&s.root, "static/style.css", "body { color: navy }\n");
    wait_for_event(&rx, "css");
    assert!(
        eventually(s.port, "/style.css", |r| r.body.contains("navy"))
            .body
            .contains("navy")
    );
}

#[test]
fn a_new_browser_sees_the_current_error() {
    let s = start();
    write(&s.root, "content/alpha.md", "---\ntitle: [oops\n---\nx\n");
    std::thread::sleep(Duration::from_millis(800));
    let rx = events(s.port);
    let seen = wait_for_event(&rx, "error-report").join("\n");
    assert!(seen.contains("content/alpha.md"), "{seen}");
}

#[test]
fn serves_under_the_base_url_path() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    write(
        &root,
        "site.yaml",
        "base_url: https://example.org/explainer/\n",
    );
    common::write_small_site(&root, "Alpha under a subpath.");
    let (mut child, url) = common::spawn_serve(&root);
    assert!(url.ends_with("/explainer/"), "{url}");
    let port = common::port_of(&url);
    assert!(
        get(port, "/explainer/alpha/")
            .body
            .contains("Alpha under a subpath")
    );
    let root_page = get(port, "/");
    assert!(
        matches!(root_page.status, 307 | 308 | 302 | 301),
        "{}",
        root_page.status
    );
    assert!(
        root_page.headers.contains("location: /explainer/"),
        "{}",
        root_page.headers
    );
    assert_eq!(get(port, "/explainer/nope/").status, 404);
    child.kill().ok();
    child.wait().ok();
}
