//! What `build`, `serve` and `watch` print about a good build: the same count of pages in
//! every command, with correct plurals, and `build`'s warnings in full up to a limit.

mod common;

use common::*;
use std::ffi::OsStr;
use std::path::Path;

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
    let mut all: Vec<&OsStr> = vec![command.as_ref(), "--root".as_ref(), root.as_os_str()];
    all.extend(args.iter().map(OsStr::new));
    let (mut child, rx) = spawn_lines(&all);
    let line = first_line(&rx, 30, |l| l.starts_with("built"));
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
