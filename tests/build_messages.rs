//! What `build`, `serve` and `watch` print about a good build: the same count of pages in
//! every command, with correct plurals, and `build`'s warnings in full up to a limit.

mod common;

use common::*;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The tiny fixture (a home page and one note) with `n` notes nobody links to.
fn site_with_orphans(n: usize) -> Site {
    let s = site("tiny");
    for i in 0..n {
        s.write(
            &format!("content/orphan-{i:02}.md"),
            format!("---\ntitle: Orphan {i}\n---\nText.\n"),
        );
    }
    s
}

/// Starts `explainer <command> --root ROOT <args>` and returns its first stdout line that
/// starts with `built`; the process is killed after.
fn first_built_line(root: &Path, command: &str, args: &[&str]) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_explainer"))
        .arg(command)
        .arg("--root")
        .arg(root)
        .args(args)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            tx.send(line).ok();
        }
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    let line = loop {
        match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(line) if line.starts_with("built") => break Some(line),
            Ok(_) => {}
            Err(_) => break None,
        }
    };
    child.kill().ok();
    child.wait().ok();
    line.unwrap_or_else(|| panic!("{command} printed no `built` line"))
}

#[test]
fn build_prints_a_warning_in_full() {
    let s = site_with_orphans(1);
    let r = s.cmd("build", &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("warning: orphan note"), "{}", r.stderr);
    assert!(r.stderr.contains("content/orphan-00.md"), "{}", r.stderr);
    assert!(r.stderr.contains("help: link to it"), "{}", r.stderr);
    assert!(!r.stderr.contains("run `explainer check`"), "{}", r.stderr);
    assert!(r.stdout.starts_with("built 3 pages, "), "{}", r.stdout);
}

#[test]
fn build_prints_twenty_warnings_then_counts_the_rest() {
    let s = site_with_orphans(23);
    let r = s.cmd("build", &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let shown = r.stderr.matches("warning: orphan note").count();
    assert_eq!(shown, 20, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("and 3 more warnings: run `explainer check` to see them all"),
        "{}",
        r.stderr
    );
    // `check` shows every one.
    let c = s.cmd("check", &[]);
    assert_eq!(c.stderr.matches("warning: orphan note").count(), 23);
    assert!(
        c.stdout.contains("checked 25 notes: 23 warnings"),
        "{}",
        c.stdout
    );
}

#[test]
fn one_page_is_singular() {
    let tmp = tempfile::tempdir().unwrap();
    write_files(
        tmp.path(),
        &[("content/_index.md", "---\ntitle: Home\n---\nHello.\n")],
    );
    let r = run_in(tmp.path(), &["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .starts_with("built 1 page, 1 tag page, feed, sitemap in "),
        "{}",
        r.stdout
    );
    let c = run_in(tmp.path(), &["check"]);
    assert!(
        c.stdout.contains("checked 1 note: no problems found"),
        "{}",
        c.stdout
    );
}

#[test]
fn build_serve_and_watch_count_pages_the_same_way() {
    let s = site("basic");
    let build = s.cmd("build", &[]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    let counts = |line: &str| {
        line.split(" in ")
            .next()
            .unwrap()
            .trim_start_matches("built ")
            .to_string()
    };
    let expected = counts(&build.stdout);
    assert!(expected.starts_with("6 pages, 5 tag pages"), "{expected}");
    let serve = first_built_line(&s.root(), "serve", &["--port", "0"]);
    assert_eq!(counts(&serve), expected, "{serve}");
    let out = s.tmp.path().join("watched");
    let watch = first_built_line(&s.root(), "watch", &["--output", out.to_str().unwrap()]);
    assert_eq!(counts(&watch), expected, "{watch}");
}
