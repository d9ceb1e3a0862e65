//! Helpers shared by the integration tests: fixture sites in temp folders, running the CLI,
//! reading the built output and parsing it with scraper.
#![allow(dead_code)]

pub mod browser_url;

use scraper::{Html, Selector};
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::process::Command;

/// The fixture folder `tests/fixtures/<name>`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Copies a folder recursively.
pub fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).unwrap();
    for entry in std::fs::read_dir(src).unwrap() {
        let entry = entry.unwrap();
        let to = dst.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &to);
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
}

/// A fixture site copied into `<tempdir>/site`; the temp folder itself is free for outputs.
pub struct Site {
    pub tmp: tempfile::TempDir,
}

/// Copies `tests/fixtures/<name>` into a fresh temp folder.
pub fn site(name: &str) -> Site {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&fixture(name), &tmp.path().join("site"));
    Site { tmp }
}

/// The result of one CLI run.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Site {
    /// The project folder.
    pub fn root(&self) -> PathBuf {
        self.tmp.path().join("site")
    }

    /// The default output folder, `<root>/public`.
    pub fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    /// Writes (or overwrites) a file inside the project.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) {
        let p = self.root().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, contents).unwrap();
    }

    /// Reads a file inside the project.
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root().join(rel)).unwrap()
    }

    /// Runs `explainer <args>` with the temp folder as the current folder.
    pub fn run(&self, args: &[&str]) -> Run {
        run_in(self.tmp.path(), args)
    }

    /// Runs `explainer <command> --root <root> <args>`.
    pub fn cmd(&self, command: &str, args: &[&str]) -> Run {
        let root = self.root();
        let mut all = vec![command, "--root", root.to_str().unwrap()];
        all.extend_from_slice(args);
        self.run(&all)
    }

    /// `explainer build --root <root> <args>`, which must succeed; returns the output folder.
    pub fn build(&self, args: &[&str]) -> PathBuf {
        let r = self.cmd("build", args);
        assert_eq!(r.code, 0, "build failed:\n{}", r.stderr);
        self.public()
    }
}

/// The folders the watcher tells apart, as `settings` resolves them.
pub fn watch_layout(settings: &explainer::config::Settings) -> explainer::serve::watcher::Layout {
    explainer::serve::watcher::Layout {
        root: settings.root.clone(),
        content: settings.content_dir.clone(),
        templates: settings.templates_dir.clone(),
        statics: settings.static_dir.clone(),
        output: settings.output_dir.clone(),
    }
}

/// A `serve`-style session over a fixture site, after its first build into `<tmp>/live`: edits
/// are applied the way the watcher would, and the live folder can be compared with a clean build.
pub struct Live {
    pub settings: explainer::config::Settings,
    pub session: explainer::serve::Session,
    pub layout: explainer::serve::watcher::Layout,
    pub dir: PathBuf,
}

impl Live {
    /// Builds `site` once, as `serve` does.
    pub fn new(site: &Site) -> Live {
        let settings = explainer::config::Settings::load(&explainer::config::Options {
            root: site.root(),
            ..explainer::config::Options::default()
        })
        .unwrap();
        let dir = site.tmp.path().join("live");
        let mut session = explainer::serve::Session::new(settings.clone(), dir.clone(), false);
        session.full().expect("first build");
        let layout = watch_layout(&settings);
        Live {
            settings,
            session,
            layout,
            dir,
        }
    }

    /// Applies a change of the project file `rel` (already written) as the watcher would.
    pub fn changed(&mut self, rel: &str) -> Result<explainer::serve::Rebuilt, String> {
        let path = self.layout.root.join(rel);
        let changes =
            explainer::serve::watcher::classify(std::iter::once(path.as_path()), &self.layout);
        self.session.apply(&changes).map_err(|d| d.render(false))
    }

    /// The live folder equals a clean build of the project as it is now.
    pub fn assert_same_as_clean_build(&self, site: &Site, step: &str) {
        let clean = site
            .tmp
            .path()
            .join(format!("clean-{}", step.replace(' ', "-")));
        explainer::pipeline::build(&self.settings, &explainer::output::DirSink::new(&clean))
            .expect("clean build");
        let (live, fresh) = (tree(&self.dir), tree(&clean));
        assert_eq!(
            live.keys().collect::<Vec<_>>(),
            fresh.keys().collect::<Vec<_>>(),
            "after {step}: the files differ"
        );
        for (name, bytes) in &fresh {
            assert!(
                live[name] == *bytes,
                "after {step}: {name} differs from a clean build"
            );
        }
    }
}

/// Runs the binary in `dir` (colour off, no inherited HOME surprises).
pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_explainer"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run explainer");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Reads and parses `<out>/<rel>`; panics with the file list if it is missing.
pub fn page(out: &Path, rel: &str) -> Html {
    let p = out.join(rel);
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| {
        panic!(
            "cannot read {}: {e}\nfiles: {:#?}",
            p.display(),
            tree(out).keys().collect::<Vec<_>>()
        )
    });
    Html::parse_document(&text)
}

/// A CSS selector (panics on a typo in the test).
pub fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap()
}

/// Values of `attr` on every element matching `css`.
pub fn attrs(html: &Html, css: &str, attr: &str) -> Vec<String> {
    html.select(&sel(css))
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

/// `href`s of the `<a>` elements matching `css`.
pub fn hrefs(html: &Html, css: &str) -> Vec<String> {
    attrs(html, css, "href")
}

/// Text of every element matching `css`, whitespace collapsed.
pub fn texts(html: &Html, css: &str) -> Vec<String> {
    html.select(&sel(css)).map(|e| text_of(&e)).collect()
}

/// An element's text, whitespace collapsed.
pub fn text_of(e: &scraper::ElementRef<'_>) -> String {
    e.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// `(href, text)` of every `<a>` matching `css`.
pub fn links(html: &Html, css: &str) -> Vec<(String, String)> {
    html.select(&sel(css))
        .filter_map(|e| e.value().attr("href").map(|h| (h.to_string(), text_of(&e))))
        .collect()
}

/// Every file under `dir`: relative path (with `/`) → bytes, in sorted order.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                let rel = p
                    .strip_prefix(base)
                    .unwrap()
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    if dir.exists() {
        walk(dir, dir, &mut out);
    }
    out
}

/// Relative paths of the HTML files of a built site.
pub fn html_files(out: &Path) -> Vec<String> {
    tree(out)
        .into_keys()
        .filter(|k| k.ends_with(".html"))
        .collect()
}

/// True for hrefs that leave the site (`https:`, `mailto:`, `//host`).
pub fn is_external(href: &str) -> bool {
    href.starts_with("//")
        || href
            .split_once(':')
            .is_some_and(|(scheme, _)| !scheme.is_empty() && !scheme.contains('/'))
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(v);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Resolves a relative `href` found in the output file `from` (relative path) to
/// `(file in the output, fragment)`. Directory links resolve to their `index.html`.
/// `None` if it climbs above the output root.
pub fn resolve_href(from: &str, href: &str) -> Option<(String, Option<String>)> {
    let (path, frag) = match href.split_once('#') {
        Some((p, f)) => (p, Some(percent_decode(f))),
        None => (href, None),
    };
    let path = path.split('?').next().unwrap_or("");
    if path.is_empty() {
        return Some((from.to_string(), frag));
    }
    let path = percent_decode(path);
    let mut parts: Vec<String> = Path::new(from)
        .parent()
        .map(|p| {
            p.components()
                .filter_map(|c| match c {
                    Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s.to_string()),
        }
    }
    if path.ends_with('/') || path == "." || path == ".." || path.ends_with("/.") {
        parts.push("index.html".into());
    }
    Some((parts.join("/"), frag))
}

/// The `url=` part of a `<meta http-equiv="refresh">`, if the page has one.
pub fn refresh_target(html: &Html) -> Option<String> {
    let content = attrs(html, r#"meta[http-equiv="refresh"]"#, "content");
    let c = content.first()?;
    let i = c.find("url=")?;
    Some(c[i + 4..].trim().to_string())
}

/// Every internal reference of every HTML page: `(page, attribute value)` for `a[href]`,
/// `img[src]`, `link[href]` (except canonical) and meta refresh targets.
pub fn internal_refs(out: &Path) -> Vec<(String, String)> {
    let mut refs = Vec::new();
    for f in html_files(out) {
        let html = page(out, &f);
        let mut found = hrefs(&html, "a[href]");
        found.extend(attrs(&html, "img[src]", "src"));
        found.extend(
            html.select(&sel("link[href]"))
                .filter(|e| e.value().attr("rel") != Some("canonical"))
                .filter_map(|e| e.value().attr("href").map(str::to_string)),
        );
        found.extend(refresh_target(&html));
        // 404.html is served at any missing URL, at any depth, so its links start with the site's
        // path from base_url (read here from its canonical link); seen from the site root they
        // are ordinary relative links, and are checked as such.
        let base = (f == "404.html")
            .then(|| {
                attrs(&html, "link[rel=canonical]", "href")
                    .into_iter()
                    .next()
            })
            .flatten()
            .and_then(|c| c.split_once("://").map(|(_, r)| r.to_string()))
            .and_then(|r| r.find('/').map(|i| r[i..].to_string()))
            .map(|p| {
                p.rsplit_once('/')
                    .map_or("/".to_string(), |(d, _)| format!("{d}/"))
            });
        refs.extend(
            found
                .into_iter()
                .filter(|h| !is_external(h))
                .map(|h| match &base {
                    Some(b) if h.starts_with(b.as_str()) => format!("./{}", &h[b.len()..]),
                    _ => h,
                })
                .map(|h| (f.clone(), h)),
        );
    }
    refs
}

/// Problems with internal references: absolute paths, missing targets, missing fragments.
pub fn broken_refs(out: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    let mut ids: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (from, href) in internal_refs(out) {
        if href.starts_with('/') {
            problems.push(format!("{from}: `{href}` is not relative"));
            continue;
        }
        let Some((file, frag)) = resolve_href(&from, &href) else {
            problems.push(format!("{from}: `{href}` climbs above the site root"));
            continue;
        };
        if !out.join(&file).is_file() {
            problems.push(format!("{from}: `{href}` → {file} does not exist"));
            continue;
        }
        if let Some(frag) = frag.filter(|f| !f.is_empty())
            && file.ends_with(".html")
        {
            let known = ids
                .entry(file.clone())
                .or_insert_with(|| attrs(&page(out, &file), "[id]", "id"));
            if !known.contains(&frag) {
                problems.push(format!("{from}: `{href}` → no id `{frag}` in {file}"));
            }
        }
    }
    problems
}

/// The values of every `<tag>…</tag>` in an XML text (no nesting).
pub fn xml_values(xml: &str, tag: &str) -> Vec<String> {
    let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(i) = rest.find(&open) {
        rest = &rest[i + open.len()..];
        let end = rest.find(&close).expect("unclosed XML element");
        out.push(rest[..end].to_string());
        rest = &rest[end + close.len()..];
    }
    out
}

/// Checks that every `&` in an XML text starts an entity and no text contains a raw `<`
/// (a cheap well-formedness check for escaping; there is no XML parser among the dev-dependencies).
pub fn assert_xml_escaped(xml: &str) {
    for (i, _) in xml.match_indices('&') {
        let rest = &xml[i..];
        let ok = ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#"]
            .iter()
            .any(|e| rest.starts_with(e));
        assert!(
            ok,
            "unescaped `&` in XML near: {}",
            &rest[..rest.len().min(40)]
        );
    }
    // Between tags, text must not contain `<` or `>`: every `<` opens a tag name, `/`, `?` or `!`.
    for (i, _) in xml.match_indices('<') {
        let next = xml[i + 1..].chars().next().unwrap_or(' ');
        assert!(
            next.is_ascii_alphabetic() || "/?!".contains(next),
            "raw `<` in XML text near: {}",
            &xml[i..xml.len().min(i + 40)]
        );
    }
}

/// Asserts a diagnostic in `stderr` has a position `path:line:col`, shows `source_line`,
/// a caret under it, and a help line.
pub fn assert_diagnostic(stderr: &str, location: &str, source_line: &str) {
    assert!(
        stderr.contains(&format!("--> {location}")),
        "expected location `{location}` in:\n{stderr}"
    );
    assert!(
        stderr
            .lines()
            .any(|l| l.contains(" | ") && l.ends_with(source_line)),
        "expected the source line `{source_line}` in:\n{stderr}"
    );
    assert!(
        stderr
            .lines()
            .any(|l| l.trim_start().starts_with('|') && l.contains('^')),
        "expected a caret line in:\n{stderr}"
    );
}

/// Asserts the stderr has a `help:` line containing `text`.
pub fn assert_help(stderr: &str, text: &str) {
    assert!(
        stderr
            .lines()
            .any(|l| l.contains("help:") && l.contains(text)),
        "expected a help line containing `{text}` in:\n{stderr}"
    );
}

/// Asserts the stderr has at least one `help:` line.
pub fn assert_has_help(stderr: &str) {
    assert!(
        stderr.lines().any(|l| l.contains("help:")),
        "expected a help line in:\n{stderr}"
    );
}

/// Asserts a run did not panic or abort: no `panicked` in stderr, not exit code 101,
/// not killed by a signal (code -1).
pub fn assert_no_panic(r: &Run, what: &str) {
    assert!(
        !r.stderr.contains("panicked") && !r.stderr.contains("RUST_BACKTRACE"),
        "{what}: the process panicked:\n{}",
        r.stderr
    );
    assert!(
        r.code != 101 && r.code != -1,
        "{what}: exit code {} (panic or signal)\nstdout: {}\nstderr: {}",
        r.code,
        r.stdout,
        r.stderr
    );
}

/// The locations (`path:line:col`, or `path` for file-level problems) of every `error:`
/// diagnostic in a stderr, in order. Warnings are left out.
pub fn error_locations(stderr: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_error = false;
    for line in stderr.lines() {
        if line.starts_with("error") {
            in_error = true;
        } else if line.starts_with("warning") {
            in_error = false;
        } else if let Some(loc) = line.trim_start().strip_prefix("--> ")
            && in_error
        {
            out.push(loc.trim().to_string());
            in_error = false;
        }
    }
    out
}

/// Names of the entries of `parent` that look like explainer's temporary or old output folders
/// (`.<name>.explainer-tmp-PID`, `.<name>.explainer-old-PID`).
pub fn staging_leftovers(parent: &Path) -> Vec<String> {
    match std::fs::read_dir(parent) {
        Ok(entries) => entries
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| {
                n.starts_with('.')
                    && n.contains(".explainer-")
                    && n != ".explainer-output"
                    && n != ".explainer-cache"
            })
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// Like `tree`, without the `.explainer-output` marker file.
pub fn tree_without_marker(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut t = tree(dir);
    t.remove(".explainer-output");
    t
}

/// Describes how two output trees differ (first few differences), for assertion messages.
pub fn tree_diff(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> String {
    let mut out = Vec::new();
    for k in a.keys().filter(|k| !b.contains_key(*k)) {
        out.push(format!("only in the first: {k}"));
    }
    for k in b.keys().filter(|k| !a.contains_key(*k)) {
        out.push(format!("only in the second: {k}"));
    }
    for (k, v) in a {
        if b.get(k).is_some_and(|w| w != v) {
            out.push(format!("differs: {k}"));
        }
    }
    let n = out.len();
    out.truncate(12);
    if n > 12 {
        out.push(format!("… and {} more", n - 12));
    }
    out.join("\n")
}

/// A small deterministic pseudo-random generator (xorshift64*) for tests that need randomness
/// without a dependency; print the seed so a failure can be replayed.
pub struct TestRng(u64);

impl TestRng {
    /// A generator from `seed` (0 is replaced by a fixed non-zero value).
    pub fn new(seed: u64) -> Self {
        TestRng(if seed == 0 {
            0x9E37_79B9_7F4A_7C15
        } else {
            seed
        })
    }

    /// A seed from `EXPLAINER_TEST_SEED` if set, else from the clock.
    pub fn seed_from_env() -> u64 {
        std::env::var("EXPLAINER_TEST_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos() as u64)
                    .unwrap_or(1)
            })
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
}

/// Writes a file under `root`, creating its folders.
pub fn write_file(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// Writes several files under `root`: `(path, text)` pairs.
pub fn write_files(root: &Path, files: &[(&str, &str)]) {
    for (rel, text) in files {
        write_file(root, rel, text);
    }
}

/// The small site the server tests run on: a home page linking `alpha`, the note `alpha` with
/// `alpha_text` as its body, and `static/style.css`.
pub fn write_small_site(root: &Path, alpha_text: &str) {
    write_files(
        root,
        &[
            (
                "content/_index.md",
                "---\ntitle: Home\n---\nRead [[alpha]].\n",
            ),
            (
                "content/alpha.md",
                &format!("---\ntitle: Alpha\n---\n{alpha_text}\n"),
            ),
            ("static/style.css", "body { color: black }\n"),
        ],
    );
}

/// Starts `explainer <args>` with its stdout sent line by line into a channel (stderr discarded).
pub fn spawn_lines(
    args: &[&std::ffi::OsStr],
) -> (std::process::Child, std::sync::mpsc::Receiver<String>) {
    use std::io::{BufRead, BufReader};
    let mut child = Command::new(env!("CARGO_BIN_EXE_explainer"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            tx.send(line).ok();
        }
    });
    (child, rx)
}

/// The first line from `rx` that `wanted` accepts, within `secs` seconds (None if none came).
pub fn first_line(
    rx: &std::sync::mpsc::Receiver<String>,
    secs: u64,
    wanted: impl Fn(&str) -> bool,
) -> Option<String> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    loop {
        match rx.recv_timeout(deadline.saturating_duration_since(std::time::Instant::now())) {
            Ok(line) if wanted(&line) => return Some(line),
            Ok(_) => {}
            Err(_) => return None,
        }
    }
}

/// Starts `explainer serve --port 0 --root ROOT` and waits (20 s at most) for the address it
/// announces; returns the child and the URL it serves (`http://127.0.0.1:PORT/PREFIX/`).
pub fn spawn_serve(root: &Path) -> (std::process::Child, String) {
    let (child, rx) = spawn_lines(&[
        "serve".as_ref(),
        "--port".as_ref(),
        "0".as_ref(),
        "--root".as_ref(),
        root.as_os_str(),
    ]);
    let line = first_line(&rx, 20, |l| l.starts_with("serving on ")).expect("serve did not start");
    let url = line["serving on ".len()..]
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    (child, url)
}

/// The port of a `http://127.0.0.1:PORT/…` URL.
pub fn port_of(url: &str) -> u16 {
    url.trim_start_matches("http://127.0.0.1:")
        .split('/')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}
