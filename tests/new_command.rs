//! `explainer new`: scaffolding a note that is valid as written.

mod common;

use common::*;

fn new_note(s: &Site) -> Run {
    let root = s.root();
    s.run(&[
        "new",
        "topics/fresh.md",
        "--title",
        "Fresh note",
        "--root",
        root.to_str().unwrap(),
    ])
}

#[test]
fn new_creates_a_note_with_valid_front_matter() {
    let s = site("basic");
    let r = new_note(&s);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("content/topics/fresh.md"), "{}", r.stdout);
    let text = s.read("content/topics/fresh.md");
    assert!(text.starts_with("---\n"), "{text}");
    let fm_end = text[4..].find("\n---\n").expect("closed front matter") + 4;
    let front = &text[4..fm_end];
    assert!(
        front
            .lines()
            .any(|l| l == "title: \"Fresh note\"" || l == "title: Fresh note"),
        "{front}"
    );
}

#[test]
fn the_site_still_builds_after_new() {
    let s = site("basic");
    assert_eq!(new_note(&s).code, 0);
    let r = s.cmd("build", &[]);
    assert_eq!(
        r.code, 0,
        "a freshly scaffolded note breaks the build:\n{}",
        r.stderr
    );
    let html = page(&s.public(), "topics/fresh/index.html");
    assert_eq!(texts(&html, "h1"), vec!["Fresh note"]);
    let topics = page(&s.public(), "topics/index.html");
    assert!(hrefs(&topics, "main li a").contains(&"../topics/fresh/".to_string()));
}

#[test]
fn new_refuses_to_overwrite_an_existing_note() {
    let s = site("basic");
    assert_eq!(new_note(&s).code, 0);
    s.write(
        "content/topics/fresh.md",
        "---\ntitle: Edited by hand\n---\nKeep me.\n",
    );
    let r = new_note(&s);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("already exists"), "{}", r.stderr);
    assert_eq!(
        s.read("content/topics/fresh.md"),
        "---\ntitle: Edited by hand\n---\nKeep me.\n"
    );
}

#[test]
fn new_refuses_paths_outside_content() {
    let s = site("basic");
    let before = tree(s.tmp.path());
    let root = s.root();
    let r = s.run(&["new", "../escape.md", "--root", root.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(before == tree(s.tmp.path()), "files changed");
}

/// The `date:` line `explainer new` writes when the editor's time zone is `tz`.
fn date_written_in(tz: &str) -> String {
    let s = site("basic");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_explainer"))
        .args(["new", "topics/dated.md", "--root"])
        .arg(s.root())
        .env("TZ", tz)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = s.read("content/topics/dated.md");
    text.lines()
        .find_map(|l| l.strip_prefix("date: "))
        .unwrap_or_else(|| panic!("no date in\n{text}"))
        .to_string()
}

#[test]
fn new_dates_the_note_with_the_editors_local_day() {
    // UTC+14 and UTC-12 are 26 hours apart: at any moment they are on different days, so a
    // date taken from UTC would be the same for both.
    let east = date_written_in("Pacific/Kiritimati");
    let west = date_written_in("Etc/GMT+12");
    assert_ne!(east, west, "the date must follow the local time zone");
    for d in [&east, &west] {
        assert!(
            d.len() == 10 && d.as_bytes()[4] == b'-' && d.as_bytes()[7] == b'-',
            "{d}"
        );
    }
    assert!(east > west, "{east} is the later day");
}
