//! `explainer serve` against hostile HTTP: encoded and double-encoded `..`, backslashes, NUL
//! bytes, very long paths, absolute-form targets, odd Host headers, malformed request lines, a
//! huge header block, symbolic links inside the served folder, slowloris-style partial requests
//! and rapid connect/close churn. Each request goes on its own connection. The server must never
//! serve a byte from outside its output folder (a secret file sits beside the site in the temp
//! folder, and /etc/passwd is tried too), must answer each request with a status line or close the
//! connection within 5 s, never answer a client's mistake with a 5xx, and must still answer
//! `GET /` with 200 afterwards. `SERVE_ATTACKS_LOG=1 ... -- --nocapture` prints every answer.

mod common;

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Child;
use std::time::{Duration, Instant};

/// Longest a request may take to be answered (or its connection closed).
const LIMIT: Duration = Duration::from_secs(5);

/// What /etc/passwd always holds.
const PASSWD: &str = "root:x:0:0";

struct Server {
    child: Child,
    port: u16,
    /// The temp folder: `site/` (the project), `secret.txt`, `outside/`.
    tmp: tempfile::TempDir,
    /// Text found only in files outside the output folder.
    secret: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
        // Killed, the server cannot remove its folder (and the links this test put there).
        std::fs::remove_dir_all(self.served_dir()).ok();
    }
}

impl Server {
    /// The folder the server builds into and serves (see `src/cmd/serve.rs`).
    fn served_dir(&self) -> PathBuf {
        std::env::temp_dir().join(format!("explainer-serve-{}", self.child.id()))
    }

    /// The temp folder's name, for targets relative to the served folder's parent:
    /// both live in `std::env::temp_dir()`, so `/../<name>/secret.txt` is the real way out.
    fn tmp_name(&self) -> String {
        self.tmp
            .path()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned()
    }

    /// The server process is alive and `GET /` answers 200.
    fn assert_up(&mut self, after: &str) {
        assert!(
            self.child.try_wait().unwrap().is_none(),
            "the server exited after {after}"
        );
        let r = send(self.port, &get_bytes("/"));
        assert_eq!(r.status(), Some(200), "GET / after {after}: {r:?}");
    }
}

fn write(root: &Path, rel: &str, text: &str) {
    common::write_file(root, rel, text);
}

fn start() -> Server {
    let tmp = tempfile::tempdir().unwrap();
    let secret = format!(
        "TOP-SECRET-{}-{}",
        std::process::id(),
        tmp.path().file_name().unwrap().to_string_lossy()
    );
    // Outside the output folder: beside the project, and a folder with an index page.
    write(tmp.path(), "secret.txt", &format!("{secret}\n"));
    write(
        tmp.path(),
        "outside/index.html",
        &format!("<html><body>{secret}</body></html>\n"),
    );
    write(tmp.path(), "outside/secret.txt", &format!("{secret}\n"));
    let root = tmp.path().join("site");
    common::write_small_site(&root, "Alpha first text.");
    // Inside the project but not part of the output either.
    write(&root, "secret.txt", &format!("{secret}\n"));
    let (child, url) = common::spawn_serve(&root);
    let port = common::port_of(&url);
    let server = Server {
        child,
        port,
        tmp,
        secret,
    };
    assert!(server.served_dir().join("index.html").is_file());
    server
}

/// What came back on one connection.
struct Reply {
    bytes: Vec<u8>,
    /// Still open after `LIMIT` without a complete status line and header block.
    hung: bool,
    elapsed: Duration,
}

impl std::fmt::Debug for Reply {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = String::from_utf8_lossy(&self.bytes);
        let first = text.lines().next().unwrap_or("");
        write!(
            f,
            "Reply {{ first line: {first:?}, {} bytes, hung: {}, after {:?} }}",
            self.bytes.len(),
            self.hung,
            self.elapsed
        )
    }
}

impl Reply {
    fn status(&self) -> Option<u16> {
        let text = String::from_utf8_lossy(&self.bytes[..self.bytes.len().min(64)]).into_owned();
        let mut words = text.split(' ');
        let version = words.next()?;
        if version != "HTTP/1.1" && version != "HTTP/1.0" {
            return None;
        }
        words.next()?.parse().ok()
    }

    fn contains(&self, needle: &str) -> bool {
        self.bytes
            .windows(needle.len())
            .any(|w| w == needle.as_bytes())
    }
}

/// Sends `request` on a new connection and reads until the server closes it (at most `LIMIT`).
/// A write error (the server closed early) is fine: what was answered is still read.
fn send(port: u16, request: &[u8]) -> Reply {
    let start = Instant::now();
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_write_timeout(Some(LIMIT)).unwrap();
    let write_hung = matches!(
        s.write_all(request),
        Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)
    );
    let mut bytes = Vec::new();
    let mut chunk = [0u8; 16384];
    let hung = write_hung
        || loop {
            let left = LIMIT.saturating_sub(start.elapsed());
            if left.is_zero() {
                break true;
            }
            s.set_read_timeout(Some(left)).unwrap();
            match s.read(&mut chunk) {
                Ok(0) => break false,
                Ok(n) => bytes.extend_from_slice(&chunk[..n]),
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                    break true;
                }
                Err(_) => break false, // reset: the connection was closed
            }
        };
    // A complete answer on a connection kept alive (no `Connection: close` sent) is not a hang.
    let answered = bytes.starts_with(b"HTTP/1.") && bytes.windows(4).any(|w| w == b"\r\n\r\n");
    Reply {
        bytes,
        hung: hung && !answered,
        elapsed: start.elapsed(),
    }
}

fn get_bytes(target: &str) -> Vec<u8> {
    format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").into_bytes()
}

/// Printable form of a request for messages (long ones shortened).
fn show(request: &[u8]) -> String {
    let text = format!("{:?}", String::from_utf8_lossy(request));
    if text.chars().count() > 300 {
        let head: String = text.chars().take(300).collect();
        format!("{head}… ({} bytes)", request.len())
    } else {
        text
    }
}

/// Never a hang; either a status line or a closed connection, and no byte of a secret.
fn check(s: &Server, request: &[u8], r: &Reply) {
    let what = show(request);
    // SERVE_ATTACKS_LOG=1 cargo test --test serve_attacks -- --nocapture: every answer.
    if std::env::var_os("SERVE_ATTACKS_LOG").is_some() {
        let short: String = what.chars().take(100).collect();
        eprintln!("{:?} {:?} {short}", r.status(), r.elapsed);
    }
    assert!(!r.hung, "no answer within {LIMIT:?} to {what}: {r:?}");
    assert!(
        r.bytes.is_empty() || r.status().is_some(),
        "not an HTTP status line in answer to {what}: {r:?}"
    );
    assert!(
        !r.contains(&s.secret),
        "{what} leaked the secret file: {r:?}"
    );
    assert!(!r.contains(PASSWD), "{what} leaked /etc/passwd: {r:?}");
}

/// `check`, and the answer is not a 200 (a way out must not look like a page).
fn check_refused(s: &Server, request: &[u8], r: &Reply) {
    check(s, request, r);
    assert_ne!(r.status(), Some(200), "{} was served: {r:?}", show(request));
}

#[test]
fn encoded_traversal_backslashes_and_nul_never_leave_the_output() {
    let mut s = start();
    let n = s.tmp_name();
    let abs = s
        .tmp
        .path()
        .to_string_lossy()
        .trim_start_matches('/')
        .to_string();
    let abs_enc = abs.replace('/', "%2f");
    let ups = "../".repeat(12);
    let ups_enc = "%2e%2e%2f".repeat(12);
    let targets: Vec<String> = vec![
        // The brief's literal forms (these reach TMPDIR/secret.txt, which does not exist) ...
        "/%2e%2e/secret.txt".into(),
        "/%2E%2E%2Fsecret.txt".into(),
        "/..%2f..%2fsecret.txt".into(),
        "/%252e%252e/secret.txt".into(),
        "/%252e%252e%252fsecret.txt".into(),
        // ... and the same aimed at the real secret beside the served folder.
        format!("/../{n}/secret.txt"),
        format!("/%2e%2e/{n}/secret.txt"),
        format!("/%2E%2E%2F{n}%2Fsecret.txt"),
        format!("/..%2f{n}%2fsecret.txt"),
        format!("/.%2e/{n}/secret.txt"),
        format!("/%2e./{n}/secret.txt"),
        format!("/./../{n}/secret.txt"),
        format!("/%2e/%2e%2e/{n}/secret.txt"),
        format!("/%252e%252e/{n}/secret.txt"),
        format!("/%252e%252e%252f{n}%252fsecret.txt"),
        format!("/%c0%ae%c0%ae/{n}/secret.txt"),
        format!("/%c0%ae%c0%ae%c0%af{n}%c0%afsecret.txt"),
        format!("/__explainer/events/../../{n}/secret.txt"),
        format!("/__explainer/events/%2e%2e/%2e%2e/{n}/secret.txt"),
        format!("/{ups}{abs}/secret.txt"),
        format!("/{ups_enc}{abs_enc}%2fsecret.txt"),
        format!("/../{n}/site/secret.txt"),
        format!("/%2e%2e/{n}/outside/"),
        // Backslashes.
        "/..\\secret.txt".into(),
        "/%5c..%5csecret.txt".into(),
        format!("/..\\{n}\\secret.txt"),
        format!("/%5c..%5c{n}%5csecret.txt"),
        format!("/..%5c{n}%5csecret.txt"),
        format!("/.\\..\\{n}\\secret.txt"),
        // NUL bytes.
        "/%00".into(),
        "/index.html%00.txt".into(),
        "/index.html%00".into(),
        format!("/%00/../{n}/secret.txt"),
        format!("/../{n}/secret.txt%00.html"),
        // /etc/passwd.
        "/../../../../../../../../etc/passwd".into(),
        "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd".into(),
        "/..%2f..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd".into(),
        "/%252e%252e%252f%252e%252e%252f%252e%252e%252fetc%252fpasswd".into(),
        "/....//....//....//....//etc/passwd".into(),
        "//etc/passwd".into(),
        "///etc/passwd".into(),
        "/%2fetc%2fpasswd".into(),
        "/%2F%2Fetc%2Fpasswd".into(),
        "/..\\..\\..\\..\\..\\..\\etc\\passwd".into(),
        // Invalid or odd percent-encodings.
        "/%ff".into(),
        "/%".into(),
        "/%zz".into(),
        "/%e2%82".into(),
        "/%c0%af".into(),
        "/%ff%2e%2e%2f%2e%2e%2fetc%2fpasswd".into(),
    ];
    for t in &targets {
        let req = get_bytes(t);
        let r = send(s.port, &req);
        check_refused(&s, &req, &r);
    }
    // Absolute-form request targets (the path inside must still be checked).
    for line in [
        "GET http://127.0.0.1/../secret.txt HTTP/1.1".to_string(),
        format!("GET http://127.0.0.1/../{n}/secret.txt HTTP/1.1"),
        format!("GET http://127.0.0.1/%2e%2e/{n}/secret.txt HTTP/1.1"),
        format!("GET http://127.0.0.1:{}/../{n}/secret.txt HTTP/1.1", s.port),
        "GET http://127.0.0.1/../../../../../../etc/passwd HTTP/1.1".to_string(),
        "GET file:///etc/passwd HTTP/1.1".to_string(),
        format!("GET file://{}/secret.txt HTTP/1.1", s.tmp.path().display()),
    ] {
        let req = format!("{line}\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").into_bytes();
        let r = send(s.port, &req);
        check_refused(&s, &req, &r);
    }
    // A foreign absolute-form host is just this server's page: sane, no leak.
    let req =
        b"GET http://evil.example/ HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n";
    let r = send(s.port, req);
    check(&s, req, &r);
    // A raw NUL byte in the request line.
    for req in [
        &b"GET /\0 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"[..],
        &b"GET /index.html\0.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"[..],
        &b"GET /../\0/secret.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"[..],
    ] {
        let r = send(s.port, req);
        check_refused(&s, req, &r);
    }
    s.assert_up("the traversal requests");
}

#[test]
#[cfg(unix)] // Unix symbolic links and permissions (Windows needs privileges for links)
fn symlinks_inside_the_output_are_not_followed_out() {
    let mut s = start();
    let dir = s.served_dir();
    assert!(dir.is_dir(), "{}", dir.display());
    let secret_file = s.tmp.path().join("secret.txt");
    assert!(
        std::fs::read_to_string(&secret_file)
            .unwrap()
            .contains(&s.secret)
    );
    std::os::unix::fs::symlink(&secret_file, dir.join("leak.txt")).unwrap();
    std::os::unix::fs::symlink(s.tmp.path().join("outside"), dir.join("leakdir")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", dir.join("passwd")).unwrap();
    // A real folder inside the output whose index page is a link out.
    std::fs::create_dir(dir.join("inner")).unwrap();
    std::os::unix::fs::symlink(&secret_file, dir.join("inner/index.html")).unwrap();
    // Through the link, the secret is one read away: the test can see a leak if there is one.
    assert!(
        std::fs::read_to_string(dir.join("leak.txt"))
            .unwrap()
            .contains(&s.secret)
    );
    let mut leaks = Vec::new();
    for t in [
        "/leak.txt",
        "/./leak.txt",
        "//leak.txt",
        "/leak%2etxt",
        "/%6ceak.txt",
        "/leak.txt?x=1",
        "/leak.txt/",
        "/leak.txt/.",
        "/leak.txt/./",
        "/leak.txt%2f",
        "/leak.txt/%2e",
        "/leak.txt//",
        "/leakdir",
        "/leakdir/",
        "/leakdir/index.html",
        "/leakdir/secret.txt",
        "/leakdir/./secret.txt",
        "/leakdir/secret.txt/",
        "/leakdir%2fsecret.txt",
        "/passwd",
        "/passwd/",
        "/passwd/.",
        "/inner/",
        "/inner/index.html",
        "/inner/index.html/",
    ] {
        let req = get_bytes(t);
        let r = send(s.port, &req);
        assert!(!r.hung, "{t} hung: {r:?}");
        if r.status() == Some(200) || r.contains(&s.secret) || r.contains(PASSWD) {
            leaks.push(format!(
                "GET {t} -> {:?}, secret in body: {}, passwd in body: {}",
                r.status(),
                r.contains(&s.secret),
                r.contains(PASSWD)
            ));
        }
    }
    assert!(
        leaks.is_empty(),
        "a symlink inside the output folder led outside it:\n{}",
        leaks.join("\n")
    );
    s.assert_up("the symlink requests");
}

/// A deterministic run of junk bytes.
fn junk(len: usize, mut seed: u64) -> Vec<u8> {
    (0..len)
        .map(|_| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as u8
        })
        .collect()
}

#[test]
fn odd_paths_hosts_request_lines_and_huge_headers_get_sane_answers() {
    let mut s = start();
    let mut requests: Vec<Vec<u8>> = vec![
        // Very long paths.
        get_bytes(&format!("/{}", "a".repeat(10 * 1024))),
        get_bytes(&format!("/{}", "a".repeat(100 * 1024))),
        get_bytes(&format!("/{}", "a/".repeat(5 * 1024))),
        get_bytes(&format!("/{}", "%2e%2e/".repeat(1500))),
        get_bytes(&format!("/?{}", "q".repeat(10 * 1024))),
        // Host headers: missing, foreign, empty, 10 KB, twice.
        b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n".to_vec(),
        b"GET / HTTP/1.0\r\n\r\n".to_vec(),
        b"GET / HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n".to_vec(),
        b"GET / HTTP/1.1\r\nHost: \r\nConnection: close\r\n\r\n".to_vec(),
        b"GET / HTTP/1.1\r\nHost:\r\nConnection: close\r\n\r\n".to_vec(),
        format!(
            "GET / HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            "h".repeat(10 * 1024)
        )
        .into_bytes(),
        b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n"
            .to_vec(),
        b"GET / HTTP/1.1\r\nHost: 127.0.0.1:99999\r\nConnection: close\r\n\r\n".to_vec(),
        b"GET / HTTP/1.1\r\nHost: [::1\r\nConnection: close\r\n\r\n".to_vec(),
        // Malformed request lines.
        b"GET\r\n\r\n".to_vec(),
        b"GET\r\nHost: 127.0.0.1\r\n\r\n".to_vec(),
        b"GARBAGE\r\n\r\n".to_vec(),
        b"GET / HTTP/9.9\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".to_vec(),
        b"GET / HTTP/1.1 extra\r\nHost: 127.0.0.1\r\n\r\n".to_vec(),
        b"GET  /  HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".to_vec(),
        b"get / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".to_vec(),
        b"GET / HTTP/1.1\nHost: 127.0.0.1\nConnection: close\n\n".to_vec(),
        // Empty lines before a request line are skipped (RFC 9112 2.2); without a request line
        // after them the connection is just idle, like the held ones in the slowloris test.
        b"\r\n\r\n\r\nGET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".to_vec(),
        format!(
            "{} / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
            "A".repeat(10_000)
        )
        .into_bytes(),
        b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Nul: a\0b\r\nConnection: close\r\n\r\n".to_vec(),
        b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nno colon here\r\n\r\n".to_vec(),
        b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n folded: header\r\n\r\n".to_vec(),
        b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -1\r\n\r\n".to_vec(),
        b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"
            .to_vec(),
        b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nnot-hex\r\n\r\n"
            .to_vec(),
        b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000000000\r\nConnection: close\r\n\r\nabc"
            .to_vec(),
        // Other methods.
        b"OPTIONS * HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".to_vec(),
        b"CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\nConnection: close\r\n\r\n".to_vec(),
        b"TRACE / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".to_vec(),
        b"DELETE /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".to_vec(),
        b"PUT /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 4\r\nConnection: close\r\n\r\npwnd"
            .to_vec(),
        b"POST /__explainer/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            .to_vec(),
        // Binary junk, and a TLS ClientHello start.
        junk(4096, 1),
        junk(64, 2),
        [&b"GET / HTTP/1.1\r\n"[..], &junk(2048, 3)].concat(),
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03".to_vec(),
        b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".to_vec(),
    ];
    // A huge header block (~200 KB): many headers, and one huge header.
    let mut many = String::from("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    for i in 0..50 {
        many.push_str(&format!("X-Pad-{i}: {}\r\n", "p".repeat(4000)));
    }
    many.push_str("\r\n");
    requests.push(many.into_bytes());
    requests.push(
        format!(
            "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nX-Big: {}\r\n\r\n",
            "b".repeat(200 * 1024)
        )
        .into_bytes(),
    );
    let mut count = String::from("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    for i in 0..2000 {
        count.push_str(&format!("X-{i}: v\r\n"));
    }
    count.push_str("\r\n");
    requests.push(count.into_bytes());
    // A client's odd request is the client's fault: 4xx, never "internal server error".
    let mut server_errors = Vec::new();
    for req in &requests {
        let r = send(s.port, req);
        check(&s, req, &r);
        assert!(
            s.child.try_wait().unwrap().is_none(),
            "the server exited after {}",
            show(req)
        );
        if let Some(code @ 500..=599) = r.status() {
            server_errors.push(format!("{code} for {}", show(req)));
        }
    }
    assert!(
        s.served_dir().join("index.html").is_file(),
        "DELETE/PUT must not touch the output"
    );
    s.assert_up("the malformed requests");
    let home = send(s.port, &get_bytes("/"));
    assert!(!home.contains("pwnd"), "PUT changed the page");
    assert!(
        server_errors.is_empty(),
        "5xx answers to client mistakes:\n{}",
        server_errors.join("\n")
    );
}

#[test]
fn slowloris_and_connection_churn_do_not_starve_other_clients() {
    let mut s = start();
    let port = s.port;
    // Partial requests held open: header lines never finished, or nothing sent at all.
    let mut held = Vec::new();
    for i in 0..20 {
        let mut c = TcpStream::connect(("127.0.0.1", port)).unwrap();
        if i % 4 != 0 {
            c.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
                .unwrap();
        }
        held.push(c);
    }
    // An events stream nobody reads.
    let mut sse = TcpStream::connect(("127.0.0.1", port)).unwrap();
    sse.write_all(b"GET /__explainer/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .unwrap();
    // One classic slowloris: a byte of header every 50 ms for the whole test.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let trickle = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut c = TcpStream::connect(("127.0.0.1", port)).unwrap();
            c.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Trickle: ")
                .unwrap();
            let mut sent = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                if c.write_all(b"a").is_err() {
                    return Err(format!(
                        "the server closed the trickling connection after {sent} bytes"
                    ));
                }
                sent += 1;
                std::thread::sleep(Duration::from_millis(50));
            }
            Ok(sent)
        })
    };
    std::thread::sleep(Duration::from_millis(200));
    // Meanwhile others are served promptly.
    for path in ["/", "/alpha/", "/style.css", "/missing/"] {
        for _ in 0..5 {
            let req = get_bytes(path);
            let r = send(port, &req);
            check(&s, &req, &r);
            let want = if path == "/missing/" { 404 } else { 200 };
            assert_eq!(
                r.status(),
                Some(want),
                "GET {path} while slow clients hold connections: {r:?}"
            );
            assert!(
                r.elapsed < Duration::from_secs(2),
                "GET {path} took {:?} while slow clients hold connections",
                r.elapsed
            );
        }
    }
    // 200 rapid connect/close cycles: half close at once, half after a partial request.
    for i in 0..200 {
        let mut c = TcpStream::connect(("127.0.0.1", port)).expect("connect during churn");
        if i % 2 == 1 {
            c.write_all(b"GET / HT").ok();
        }
        drop(c);
    }
    s.assert_up("200 connect/close cycles");
    // The held partial requests are still there, and finishing one gets a normal answer.
    let mut c = held.pop().unwrap();
    c.write_all(b"1\r\nConnection: close\r\n\r\n").unwrap();
    c.set_read_timeout(Some(LIMIT)).unwrap();
    let mut buf = Vec::new();
    c.read_to_end(&mut buf).ok();
    let finished = Reply {
        bytes: buf,
        hung: false,
        elapsed: Duration::ZERO,
    };
    assert_eq!(
        finished.status(),
        Some(200),
        "a held partial request, finished late: {finished:?}"
    );
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let trickled = trickle.join().unwrap();
    assert!(trickled.is_ok(), "{trickled:?}");
    drop(held);
    drop(sse);
    s.assert_up("the slow clients left");
}
