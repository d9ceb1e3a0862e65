//! Hostile input: every case starts from a good build of `tests/fixtures/hostile/base`, then
//! breaks one thing (the case's fixture, written by the test because many need bytes a fixture file
//! cannot keep: CR line endings, invalid UTF-8, symbolic links, 10 MB). A case is either
//!
//! * **refused**: exit code 1 (2 for an unsafe output folder), every error names the file and line
//!   (the file alone for file-level problems such as a symlink loop), no error blames an innocent
//!   file, `check` agrees, and the previous output is byte-identical afterwards; or
//! * **accepted**: exit code 0, quickly, with the content intact.
//!
//! In every case the process must not panic (no `panicked`, no exit code 101, no signal).

mod common;

use common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A built copy of the base fixture and a snapshot of its output.
struct Hostile {
    s: Site,
    before: BTreeMap<String, Vec<u8>>,
}

fn base() -> Hostile {
    let s = site("hostile/base");
    let out = s.build(&[]);
    let before = tree(&out);
    assert!(
        before.contains_key("note/index.html"),
        "{:?}",
        before.keys()
    );
    Hostile { s, before }
}

/// A bound that catches work growing faster than the input (a quadratic pass over a 10 MB note
/// takes hours), not a speed check: speed is measured by the benchmarks. Generous, because the
/// tests run the debug binary, several at once on a loaded two-core machine.
fn quick() -> Duration {
    if cfg!(debug_assertions) {
        Duration::from_secs(90)
    } else {
        Duration::from_secs(20)
    }
}

fn file_of(location: &str) -> &str {
    location.split(':').next().unwrap_or(location)
}

impl Hostile {
    fn root(&self) -> PathBuf {
        self.s.root()
    }

    fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) {
        self.s.write(rel, bytes);
    }

    /// The output is exactly what the base build wrote, and no staging folder was left behind.
    fn assert_output_untouched(&self, what: &str) {
        let now = tree(&self.s.public());
        assert!(
            now == self.before,
            "{what}: the previous output changed:\n{}",
            tree_diff(&self.before, &now)
        );
        assert_eq!(
            staging_leftovers(&self.root()),
            Vec::<String>::new(),
            "{what}: temporary folders left behind"
        );
    }

    /// `build` and `check` both fail with exit code 1; each of `expected` (`path:line:` or, for
    /// file-level problems, `path`) starts an error location; every error location is in one of
    /// the files of `expected` or `also`; the previous output is untouched. Returns build's stderr.
    fn fails_with(&self, expected: &[&str], also: &[&str]) -> String {
        let mut stderr = String::new();
        for cmd in ["build", "check"] {
            let r = self.s.cmd(cmd, &[]);
            assert_no_panic(&r, cmd);
            assert_eq!(
                r.code, 1,
                "{cmd}: expected exit code 1\nstdout: {}\nstderr: {}",
                r.stdout, r.stderr
            );
            let locations = error_locations(&r.stderr);
            for want in expected {
                assert!(
                    locations.iter().any(|l| l.starts_with(want)),
                    "{cmd}: no error at `{want}`; errors are at {locations:?}:\n{}",
                    r.stderr
                );
            }
            let allowed: Vec<&str> = expected
                .iter()
                .map(|e| file_of(e))
                .chain(also.iter().copied())
                .collect();
            for l in &locations {
                assert!(
                    allowed.contains(&file_of(l)),
                    "{cmd}: an error blames `{l}`, but only {allowed:?} are wrong:\n{}",
                    r.stderr
                );
            }
            assert!(r.stderr.contains("error: the site has"), "{}", r.stderr);
            if cmd == "build" {
                stderr = r.stderr;
            }
        }
        self.assert_output_untouched("after the failed build");
        stderr
    }

    fn fails(&self, expected: &[&str]) -> String {
        self.fails_with(expected, &[])
    }

    /// `build` succeeds within the time bound; returns the run and the output folder.
    fn builds(&self) -> (Run, PathBuf) {
        let start = Instant::now();
        let r = self.s.cmd("build", &[]);
        let took = start.elapsed();
        assert_no_panic(&r, "build");
        assert_eq!(
            r.code, 0,
            "expected the build to succeed\nstdout: {}\nstderr: {}",
            r.stdout, r.stderr
        );
        assert!(
            took < quick(),
            "the build took {took:?} (limit {:?})",
            quick()
        );
        assert_eq!(staging_leftovers(&self.root()), Vec::<String>::new());
        (r, self.s.public())
    }

    /// `build --output <out>` is refused with exit code 2 and touches nothing in the temp folder.
    fn output_refused(&self, out: &Path, what: &str) -> Run {
        let watched = self.s.tmp.path();
        let before = tree(watched);
        let r = self.s.cmd("build", &["--output", out.to_str().unwrap()]);
        assert_no_panic(&r, what);
        assert_eq!(
            r.code, 2,
            "{what}: expected exit code 2\nstdout: {}\nstderr: {}",
            r.stdout, r.stderr
        );
        assert!(r.stderr.contains("refusing"), "{what}: {}", r.stderr);
        assert!(
            tree(watched) == before,
            "{what}: files changed:\n{}",
            tree_diff(&before, &tree(watched))
        );
        assert!(
            staging_leftovers(watched).is_empty() && staging_leftovers(&self.root()).is_empty()
        );
        r
    }
}

/// `other.md` of the base fixture with `line` appended as line 6 (column 1).
fn other_with_line_6(line: &str) -> String {
    format!("---\ntitle: Other\n---\nBack to [the note](note.md#first-heading).\n\n{line}\n")
}

// ---------------------------------------------------------------------------------------------
// Front matter

#[test]
fn malformed_yaml_is_an_error_at_its_line() {
    let h = base();
    h.write(
        "content/note.md",
        "---\ntitle: [The note\n---\n## First heading\n\nText.\n",
    );
    let err = h.fails(&["content/note.md:2:"]);
    assert!(err.contains("YAML"), "{err}");
    assert_has_help(&err);
}

#[test]
fn a_tab_in_the_indentation_is_an_error_at_its_line() {
    let h = base();
    h.write(
        "content/note.md",
        "---\ntitle: The note\n\ttags: [base]\n---\n## First heading\n",
    );
    h.fails(&["content/note.md:3:"]);
}

#[test]
fn a_duplicate_key_is_an_error_at_the_second_occurrence() {
    let h = base();
    h.write(
        "content/note.md",
        "---\ntitle: The note\ntitle: Another title\n---\n## First heading\n",
    );
    let err = h.fails(&["content/note.md:"]);
    assert!(err.contains("title"), "{err}");
    assert!(
        error_locations(&err)
            .iter()
            .any(|l| l.starts_with("content/note.md:3:")),
        "the duplicate `title` is on line 3, the error should point there:\n{err}"
    );
}

#[test]
fn front_matter_not_closed_is_an_error_at_its_opening_line() {
    let h = base();
    h.write(
        "content/note.md",
        "---\ntitle: The note\ntags: [base]\n\n## First heading\n\nText.\n",
    );
    let err = h.fails(&["content/note.md:1:"]);
    assert!(err.contains("not closed"), "{err}");
    assert_has_help(&err);
}

#[test]
fn front_matter_that_is_a_list_is_an_error() {
    let h = base();
    h.write(
        "content/note.md",
        "---\n- title\n- The note\n---\n## First heading\n",
    );
    let err = h.fails(&["content/note.md:2:"]);
    assert!(err.contains("list"), "{err}");
}

#[test]
fn front_matter_that_is_a_scalar_is_an_error() {
    let h = base();
    h.write(
        "content/note.md",
        "---\njust a sentence\n---\n## First heading\n",
    );
    let err = h.fails(&["content/note.md:2:"]);
    assert!(err.contains("mapping"), "{err}");
}

#[test]
fn tags_that_are_a_number_are_an_error_at_their_line() {
    let h = base();
    h.write(
        "content/note.md",
        "---\ntitle: The note\ntags: 5\n---\n## First heading\n",
    );
    let err = h.fails(&["content/note.md:3:"]);
    assert!(err.contains("tags"), "{err}");
}

#[test]
fn a_date_that_is_not_a_date_is_an_error_at_its_line() {
    let h = base();
    h.write(
        "content/note.md",
        "---\ntitle: The note\ndate: soon\n---\n## First heading\n",
    );
    let err = h.fails(&["content/note.md:3:"]);
    assert!(err.contains("soon"), "{err}");
    assert_has_help(&err);
}

#[test]
fn draft_maybe_is_an_error_at_its_line() {
    let h = base();
    h.write(
        "content/note.md",
        "---\ntitle: The note\ndraft: maybe\n---\n## First heading\n",
    );
    let err = h.fails(&["content/note.md:3:"]);
    assert!(err.contains("maybe"), "{err}");
}

#[test]
fn every_wrong_type_is_reported_in_one_run() {
    let h = base();
    h.write(
        "content/note.md",
        "---\ntitle: The note\ntags: 5\ndate: soon\ndraft: maybe\nweight: heavy\n---\n## First heading\n",
    );
    h.fails(&[
        "content/note.md:3:",
        "content/note.md:4:",
        "content/note.md:5:",
        "content/note.md:6:",
    ]);
}

#[test]
fn unknown_keys_are_errors_with_a_suggestion() {
    let h = base();
    h.write(
        "content/note.md",
        "---\ntitle: The note\ncolour: red\ntgas: [base]\n---\n## First heading\n",
    );
    let err = h.fails(&["content/note.md:3:1", "content/note.md:4:1"]);
    assert_help(&err, "did you mean `tags`");
}

#[test]
fn an_event_with_a_bad_date_is_an_error_in_the_events_block() {
    let h = base();
    h.write(
        "content/note.md",
        "---\ntitle: The note\nevents:\n  - {date: soon, title: Something}\n---\n## First heading\n",
    );
    let err = h.fails(&["content/note.md:"]);
    let locs = error_locations(&err);
    assert!(
        locs.iter()
            .any(|l| l.starts_with("content/note.md:3:") || l.starts_with("content/note.md:4:")),
        "{err}"
    );
}

#[test]
fn a_yaml_alias_bomb_is_refused_quickly() {
    let h = base();
    let mut fm =
        String::from("---\ntitle: The note\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    let names = ["b", "c", "d", "e", "f", "g", "h", "i"];
    let mut prev = "a";
    for n in names {
        fm.push_str(&format!(
            "{n}: &{n} [{}]\n",
            vec![format!("*{prev}"); 9].join(", ")
        ));
        prev = n;
    }
    fm.push_str("extra: {boom: *i}\n---\n## First heading\n");
    h.write("content/note.md", fm);
    let start = Instant::now();
    h.fails(&["content/note.md:"]);
    assert!(start.elapsed() < quick(), "took {:?}", start.elapsed());
}

#[test]
fn deeply_nested_yaml_is_refused_without_overflowing_the_stack() {
    let h = base();
    let deep = format!(
        "---\ntitle: The note\nextra: {{x: {}{}}}\n---\n## First heading\n",
        "[".repeat(20_000),
        "]".repeat(20_000)
    );
    h.write("content/note.md", deep);
    h.fails(&["content/note.md:3:"]);
}

// ---------------------------------------------------------------------------------------------
// Encodings and line endings

#[test]
fn non_utf8_bytes_are_an_error_at_the_first_bad_byte_and_links_to_the_note_still_resolve() {
    let h = base();
    h.write(
        "content/note.md",
        b"---\ntitle: The note\n---\n## First heading\n\nCaf\xE9 au lait.\n".as_slice(),
    );
    // Only note.md is wrong: the home page and other.md link to it, and must not be blamed.
    let err = h.fails(&["content/note.md:6:4"]);
    assert!(err.contains("UTF-8"), "{err}");
    assert_has_help(&err);
}

#[test]
fn a_utf8_bom_is_accepted_and_changes_nothing() {
    let h = base();
    let text = std::fs::read(h.root().join("content/note.md")).unwrap();
    let mut with_bom = b"\xEF\xBB\xBF".to_vec();
    with_bom.extend_from_slice(&text);
    h.write("content/note.md", with_bom);
    let (_, out) = h.builds();
    let now = tree(&out);
    assert!(
        now == h.before,
        "a BOM changed the output:\n{}",
        tree_diff(&h.before, &now)
    );
}

#[test]
fn crlf_line_endings_are_accepted_and_change_nothing() {
    let h = base();
    for f in [
        "content/_index.md",
        "content/note.md",
        "content/other.md",
        "site.yaml",
    ] {
        let text = h.s.read(f);
        h.write(f, text.replace('\n', "\r\n"));
    }
    let (_, out) = h.builds();
    let now = tree(&out);
    assert!(
        now == h.before,
        "CRLF line endings changed the output:\n{}",
        tree_diff(&h.before, &now)
    );
}

#[test]
fn mixed_and_cr_only_line_endings_are_accepted_and_change_nothing() {
    let h = base();
    h.write(
        "content/note.md",
        "---\r\ntitle: The note\rtags: [base]\n---\r\n## First heading\r\rText of the note.\n",
    );
    let (_, out) = h.builds();
    let now = tree(&out);
    assert!(
        now == h.before,
        "mixed line endings changed the output:\n{}",
        tree_diff(&h.before, &now)
    );
}

#[test]
fn an_error_after_crlf_lines_still_has_the_right_line_and_column() {
    let h = base();
    h.write(
        "content/other.md",
        other_with_line_6("[gone](gone.md) is missing.").replace('\n', "\r\n"),
    );
    let err = h.fails(&["content/other.md:6:1"]);
    assert!(err.contains("gone.md"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// Empty, tiny and huge notes

#[test]
fn an_empty_file_builds_with_a_warning() {
    let h = base();
    h.write("content/empty.md", "");
    let (_, out) = h.builds();
    assert!(out.join("empty/index.html").is_file());
    let r = h.s.cmd("check", &[]);
    assert_no_panic(&r, "check");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let said = format!("{}{}", r.stdout, r.stderr);
    assert!(
        said.contains("empty") && said.contains("content/empty.md"),
        "check should warn about the empty note:\n{said}"
    );
}

#[test]
fn a_file_of_only_front_matter_builds() {
    let h = base();
    h.write(
        "content/only-front-matter.md",
        "---\ntitle: Only front matter\ntags: [base]\n---\n",
    );
    let (_, out) = h.builds();
    let html = page(&out, "only-front-matter/index.html");
    assert_eq!(texts(&html, "h1"), vec!["Only front matter"]);
}

#[test]
fn a_front_matter_block_with_no_closing_newline_builds() {
    let h = base();
    h.write("content/abrupt.md", "---\ntitle: Abrupt\n---");
    let (_, out) = h.builds();
    assert_eq!(
        texts(&page(&out, "abrupt/index.html"), "h1"),
        vec!["Abrupt"]
    );
}

#[test]
fn a_10_mb_note_builds_quickly_and_keeps_every_byte() {
    let h = base();
    let mut text = String::from("---\ntitle: Big\n---\n[home](_index.md)\n\n");
    let para = "Lorem ipsum dolor sit amet, *consectetur* adipiscing elit, [the note](note.md) sed do eiusmod.\n\n";
    let mut i = 0;
    while text.len() < 10 * 1024 * 1024 {
        if i % 500 == 0 {
            text.push_str(&format!("## Part {i}\n\n"));
        }
        text.push_str(para);
        i += 1;
    }
    text.push_str("The last sentence: END-OF-THE-BIG-NOTE.\n");
    h.write("content/big.md", &text);
    let (_, out) = h.builds();
    let html = std::fs::read_to_string(out.join("big/index.html")).unwrap();
    assert!(html.len() > 10 * 1024 * 1024, "{} bytes", html.len());
    assert!(
        html.contains("END-OF-THE-BIG-NOTE"),
        "the end of the note was lost"
    );
    assert_eq!(html.matches("<p>Lorem ipsum").count(), i, "paragraphs lost");
}

#[test]
fn a_note_with_5000_links_builds_quickly() {
    let h = base();
    let mut text = String::from("---\ntitle: Links\n---\n");
    for i in 0..5000 {
        match i % 4 {
            0 => text.push_str(&format!("[link {i}](note.md#first-heading) ")),
            1 => text.push_str("[[other]] "),
            2 => text.push_str(&format!("[[note#First heading|label {i}]] ")),
            _ => text.push_str(&format!("[home {i}](_index.md) ")),
        }
        if i % 50 == 49 {
            text.push_str("\n\n");
        }
    }
    h.write("content/links.md", &text);
    let (_, out) = h.builds();
    let html = page(&out, "links/index.html");
    let found = hrefs(&html, "article p a");
    assert_eq!(found.len(), 5000, "links lost");
    assert!(
        found
            .iter()
            .all(|l| ["../note/#first-heading", "../other/", "../"].contains(&l.as_str())),
        "unexpected hrefs"
    );
    assert!(broken_refs(&out).is_empty(), "{:?}", broken_refs(&out));
}

#[test]
fn deeply_nested_lists_blockquotes_and_brackets_build() {
    let h = base();
    let mut text = String::from("---\ntitle: Deep\n---\n[home](_index.md)\n\n");
    for i in 0..1000 {
        text.push_str(&"  ".repeat(i));
        text.push_str(&format!("- level {i}\n"));
    }
    text.push_str(&"  ".repeat(1000));
    text.push_str("- innermost-list-item\n\n");
    text.push_str(&"> ".repeat(1000));
    text.push_str("innermost-quote\n\n");
    for i in 0..300 {
        text.push_str(&"   ".repeat(i));
        text.push_str("1. numbered\n");
    }
    text.push('\n');
    text.push_str(&"[".repeat(10_000));
    text.push_str("brackets\n\n");
    text.push_str(&"*".repeat(10_000));
    text.push_str("stars\n\n");
    text.push_str("after-the-nesting\n");
    h.write("content/deep.md", &text);
    let (_, out) = h.builds();
    let html = std::fs::read_to_string(out.join("deep/index.html")).unwrap();
    for s in [
        "innermost-list-item",
        "innermost-quote",
        "after-the-nesting",
    ] {
        assert!(html.contains(s), "`{s}` lost");
    }
}

// ---------------------------------------------------------------------------------------------
// Links

#[test]
fn a_link_to_a_missing_note_is_an_error_at_its_position() {
    let h = base();
    h.write(
        "content/other.md",
        other_with_line_6("[gone](gone.md) is missing."),
    );
    let err = h.fails(&["content/other.md:6:1"]);
    assert_diagnostic(&err, "content/other.md:6:1", "[gone](gone.md) is missing.");
}

#[test]
fn a_link_to_a_missing_fragment_is_an_error_listing_the_ids() {
    let h = base();
    h.write(
        "content/other.md",
        other_with_line_6("[x](note.md#nope) here."),
    );
    let err = h.fails(&["content/other.md:6:1"]);
    assert_help(&err, "first-heading");
}

#[test]
fn links_leaving_content_are_errors() {
    let h = base();
    h.write(
        "content/other.md",
        "---\ntitle: Other\n---\nBack to [the note](note.md#first-heading).\n\n[config](../site.yaml)\n\n[passwd](../../../../../../etc/passwd)\n\n[up](../)\n",
    );
    h.fails(&[
        "content/other.md:6:1",
        "content/other.md:8:1",
        "content/other.md:10:1",
    ]);
}

#[test]
fn javascript_links_are_errors_in_every_spelling() {
    let h = base();
    h.write(
        "content/other.md",
        "---\ntitle: Other\n---\nBack to [the note](note.md#first-heading).\n\n\
[a](javascript:alert(1))\n\n[b](JavaScript:alert(1))\n\n<javascript:alert(1)>\n\n\
[c](java&#115;cript:alert(1))\n\n[d][ref]\n\n[ref]: javascript:alert(1)\n",
    );
    h.fails(&[
        "content/other.md:6:1",
        "content/other.md:8:1",
        "content/other.md:10:1",
        "content/other.md:12:1",
        "content/other.md:14:1",
    ]);
}

#[test]
fn data_links_are_errors() {
    let h = base();
    h.write(
        "content/other.md",
        other_with_line_6("[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"),
    );
    h.fails(&["content/other.md:6:1"]);
}

#[test]
fn a_javascript_image_source_is_an_error() {
    let h = base();
    h.write(
        "content/other.md",
        other_with_line_6("![a picture](javascript:alert(1))"),
    );
    h.fails(&["content/other.md:6:1"]);
}

#[test]
fn wikilinks_with_labels_headings_and_spaces_resolve() {
    let h = base();
    h.write(
        "content/topics/Trilateral summit.md",
        "---\ntitle: The summit\n---\n## Why it matters\n\nText.\n",
    );
    h.write(
        "content/wiki.md",
        "---\ntitle: Wiki\n---\n## Local heading\n\n\
A [[Trilateral summit]], B [[trilateral-summit|the summit]], C [[Trilateral Summit#Why it matters]], \
D [[#Local heading]], E [[topics/Trilateral summit#Why it matters|why]], F [[note]].\n\n\
| col |\n|---|\n| [[trilateral summit\\|in a table]] |\n",
    );
    let (_, out) = h.builds();
    let html = page(&out, "wiki/index.html");
    let found = links(&html, "article p a, article td a");
    let want = [
        ("../topics/trilateral-summit/", "The summit"),
        ("../topics/trilateral-summit/", "the summit"),
        ("../topics/trilateral-summit/#why-it-matters", "The summit"),
        ("#local-heading", "Local heading"),
        ("../topics/trilateral-summit/#why-it-matters", "why"),
        ("../note/", "The note"),
        ("../topics/trilateral-summit/", "in a table"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(found, want);
    assert!(broken_refs(&out).is_empty(), "{:?}", broken_refs(&out));
}

#[test]
fn a_wikilink_to_a_missing_heading_is_an_error_with_a_suggestion() {
    let h = base();
    h.write(
        "content/other.md",
        other_with_line_6("[[note#First headin|label]] and more."),
    );
    let err = h.fails(&["content/other.md:6:1"]);
    assert_help(&err, "first-heading");
}

#[test]
fn a_wikilink_to_a_missing_name_with_spaces_is_an_error() {
    let h = base();
    h.write(
        "content/other.md",
        other_with_line_6("[[No such note]] here."),
    );
    let err = h.fails(&["content/other.md:6:1"]);
    assert!(err.contains("No such note"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// URLs and slugs

#[test]
fn two_notes_on_one_url_are_an_error_naming_both() {
    let h = base();
    h.write(
        "content/copy.md",
        "---\ntitle: Copy\nslug: note\n---\nSee [[other]].\n",
    );
    let err = h.fails_with(&["content/"], &["content/copy.md", "content/note.md"]);
    let line = err
        .lines()
        .find(|l| l.starts_with("error") && l.contains("same URL"))
        .unwrap_or_else(|| panic!("no duplicate-URL error in:\n{err}"));
    assert!(
        line.contains("content/copy.md") && line.contains("content/note.md"),
        "{line}"
    );
}

#[test]
fn a_section_and_a_page_on_one_url_are_an_error_naming_both() {
    let h = base();
    h.write(
        "content/note/_index.md",
        "---\ntitle: Note section\n---\nSee [[other]].\n",
    );
    let err = h.fails_with(
        &["content/"],
        &["content/note.md", "content/note/_index.md"],
    );
    assert!(
        err.contains("content/note.md") && err.contains("content/note/_index.md"),
        "{err}"
    );
}

#[test]
fn a_slug_with_a_slash_is_an_error_at_its_line() {
    let h = base();
    h.write(
        "content/note.md",
        "---\ntitle: The note\nslug: a/b\n---\n## First heading\n",
    );
    h.fails(&["content/note.md:3:"]);
}

#[test]
fn a_slug_of_dot_dot_is_an_error_at_its_line() {
    let h = base();
    h.write(
        "content/note.md",
        "---\ntitle: The note\nslug: \"..\"\n---\n## First heading\n",
    );
    h.fails(&["content/note.md:3:"]);
}

#[test]
fn a_slug_with_spaces_is_an_error_at_its_line() {
    let h = base();
    h.write(
        "content/note.md",
        "---\ntitle: The note\nslug: two words\n---\n## First heading\n",
    );
    h.fails(&["content/note.md:3:"]);
}

#[test]
fn a_file_name_without_letters_is_an_error_naming_the_file() {
    let h = base();
    h.write("content/???.md", "---\ntitle: Marks\n---\nSee [[other]].\n");
    let err = h.fails(&["content/???.md"]);
    assert_has_help(&err);
}

// ---------------------------------------------------------------------------------------------
// Symbolic links and unreadable files

#[test]
#[cfg(unix)] // Unix symbolic links and permissions (Windows needs privileges for links)
fn a_symlink_loop_is_an_error_naming_the_link() {
    let h = base();
    std::fs::create_dir_all(h.root().join("content/loop")).unwrap();
    std::os::unix::fs::symlink("..", h.root().join("content/loop/back")).unwrap();
    let err = h.fails(&["content/loop/back"]);
    assert!(err.contains("loop"), "{err}");
}

#[test]
#[cfg(unix)] // Unix symbolic links and permissions (Windows needs privileges for links)
fn a_symlink_to_itself_is_an_error_naming_the_link() {
    let h = base();
    std::os::unix::fs::symlink("self.md", h.root().join("content/self.md")).unwrap();
    let err = h.fails(&["content/self.md"]);
    assert!(err.contains("loop"), "{err}");
}

#[test]
#[cfg(unix)] // Unix symbolic links and permissions (Windows needs privileges for links)
fn a_symlinked_file_outside_the_project_is_an_error_and_is_not_published() {
    let h = base();
    let outside = h.s.tmp.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(
        outside.join("secret.md"),
        "---\ntitle: Secret\n---\nTOP-SECRET-TEXT\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(
        outside.join("secret.md"),
        h.root().join("content/secret.md"),
    )
    .unwrap();
    let err = h.fails(&["content/secret.md"]);
    assert!(err.contains("outside"), "{err}");
}

#[test]
#[cfg(unix)] // Unix symbolic links and permissions (Windows needs privileges for links)
fn a_symlinked_folder_outside_the_project_is_an_error_and_is_not_published() {
    let h = base();
    let outside = h.s.tmp.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(
        outside.join("secret.md"),
        "---\ntitle: Secret\n---\nTOP-SECRET-TEXT\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(&outside, h.root().join("content/shared")).unwrap();
    // The build must refuse: following the link would publish files from outside the project.
    let r = h.s.cmd("build", &[]);
    assert_no_panic(&r, "build");
    let published = tree(&h.s.public())
        .values()
        .any(|v| String::from_utf8_lossy(v).contains("TOP-SECRET-TEXT"));
    assert!(!published, "a file from outside the project was published");
    assert_eq!(r.code, 1, "stdout: {}\nstderr: {}", r.stdout, r.stderr);
    let err = h.fails(&["content/shared"]);
    assert!(err.contains("outside"), "{err}");
}

#[test]
#[cfg(unix)] // Unix symbolic links and permissions (Windows needs privileges for links)
fn an_unreadable_file_is_an_error_naming_it() {
    use std::os::unix::fs::PermissionsExt;
    let h = base();
    let p = h.root().join("content/locked.md");
    std::fs::write(&p, "---\ntitle: Locked\n---\nSee [[other]].\n").unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&p).is_ok() {
        // Running as root: permissions do not stop reads. A link to nothing cannot be read either.
        std::fs::remove_file(&p).unwrap();
        std::os::unix::fs::symlink("nowhere/locked.md", &p).unwrap();
    }
    let err = h.fails(&["content/locked.md"]);
    assert!(err.contains("cannot read"), "{err}");
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).ok();
}

// ---------------------------------------------------------------------------------------------
// Templates

#[test]
fn a_template_syntax_error_names_the_template_and_line() {
    let h = base();
    h.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ page.title }</h1>\n{% endblock content %}\n",
    );
    let err = h.fails(&["templates/page.html:3:"]);
    assert_has_help(&err);
}

#[test]
fn a_template_looping_over_a_missing_variable_names_the_line_and_the_page() {
    let h = base();
    h.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<ul>\n{% for x in page.nothing_here %}<li>{{ x }}</li>{% endfor %}\n</ul>\n{% endblock content %}\n",
    );
    let err = h.fails(&["templates/page.html:4:"]);
    assert_help(&err, "while rendering content/");
}

#[test]
fn a_template_extending_a_missing_template_is_an_error_naming_it() {
    let h = base();
    h.write("templates/page.html", "{% extends \"nowhere.html\" %}\n");
    let err = h.fails(&["templates/page.html"]);
    assert!(err.contains("nowhere.html"), "{err}");
}

#[test]
fn a_missing_template_named_by_template_is_an_error_at_that_key() {
    let h = base();
    h.write(
        "content/note.md",
        "---\ntitle: The note\ntemplate: fancy.html\n---\n## First heading\n",
    );
    let err = h.fails(&["content/note.md:3:"]);
    assert!(err.contains("fancy.html"), "{err}");
}

#[test]
fn a_template_name_climbing_out_of_templates_is_an_error() {
    let h = base();
    h.write(
        "content/note.md",
        "---\ntitle: The note\ntemplate: ../site.yaml\n---\n## First heading\n",
    );
    h.fails(&["content/note.md:3:"]);
}

// ---------------------------------------------------------------------------------------------
// site.yaml

#[test]
fn invalid_site_yaml_is_an_error_at_its_line() {
    let h = base();
    h.write(
        "site.yaml",
        "title: Hostile\nbase_url: [https://hostile.example/\n",
    );
    let err = h.fails(&["site.yaml:2:"]);
    assert!(err.contains("YAML"), "{err}");
}

#[test]
fn site_yaml_that_is_a_list_is_an_error() {
    let h = base();
    h.write("site.yaml", "- title\n- Hostile\n");
    h.fails(&["site.yaml:1:"]);
}

#[test]
fn site_yaml_with_wrong_types_and_unknown_keys_lists_every_problem() {
    let h = base();
    h.write(
        "site.yaml",
        "title: Hostile\nfeed: maybe\nbase_ulr: https://hostile.example/\nbase_url: not-a-url\n",
    );
    let err = h.fails(&["site.yaml:2:", "site.yaml:3:", "site.yaml:4:"]);
    assert_help(&err, "did you mean `base_url`");
}

#[test]
fn site_yaml_that_is_not_utf8_is_an_error() {
    let h = base();
    h.write("site.yaml", b"title: Caf\xE9\n".as_slice());
    let err = h.fails(&["site.yaml:1:"]);
    assert!(err.contains("UTF-8"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// Output folder

#[test]
fn output_equal_to_the_project_root_is_refused() {
    let h = base();
    h.output_refused(&h.root(), "the project root");
}

#[test]
fn output_equal_to_content_is_refused() {
    let h = base();
    h.output_refused(&h.root().join("content"), "content/");
    h.output_refused(
        &h.root().join("public/../content"),
        "content/ spelled with ..",
    );
}

#[test]
#[cfg(unix)] // Unix symbolic links and permissions (Windows needs privileges for links)
fn output_through_a_symlink_to_content_is_refused() {
    let h = base();
    let link = h.s.tmp.path().join("content-link");
    std::os::unix::fs::symlink(h.root().join("content"), &link).unwrap();
    h.output_refused(&link, "a symlink to content/");
}

#[test]
fn output_into_a_non_empty_foreign_folder_is_refused() {
    let h = base();
    let foreign = h.s.tmp.path().join("documents");
    std::fs::create_dir_all(foreign.join("taxes")).unwrap();
    std::fs::write(foreign.join("taxes/2023.pdf"), b"precious").unwrap();
    h.output_refused(&foreign, "a non-empty foreign folder");
    assert_eq!(
        std::fs::read(foreign.join("taxes/2023.pdf")).unwrap(),
        b"precious"
    );
}

#[test]
fn output_that_is_a_file_is_refused() {
    let h = base();
    h.output_refused(&h.root().join("site.yaml"), "site.yaml");
}

#[test]
fn the_file_system_root_and_home_are_refused_by_the_guard() {
    use explainer::config::check_output_dir;
    let h = base();
    let root = h.root();
    let content = root.join("content");
    let sources = [content.as_path()];
    let home = std::env::var_os("HOME").map(PathBuf::from);
    assert!(check_output_dir(Path::new("/"), &root, &sources, home.as_deref()).is_err());
    assert!(check_output_dir(Path::new("/"), &root, &sources, None).is_err());
    if let Some(home) = &home {
        let e = check_output_dir(home, &root, &sources, Some(home)).unwrap_err();
        assert!(e.contains("home"), "{e}");
        // Written with a trailing slash.
        let slash = PathBuf::from(format!("{}/", home.display()));
        assert!(check_output_dir(&slash, &root, &sources, Some(home)).is_err());
        assert!(check_output_dir(home, &root, &sources, Some(&slash)).is_err());
    }
}

#[test]
fn a_home_folder_is_refused_even_when_it_holds_a_marker() {
    use explainer::config::check_output_dir;
    let h = base();
    let root = h.root();
    let content = root.join("content");
    let sources = [content.as_path()];
    let home = h.s.tmp.path().join("home/me");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::write(home.join(".bashrc"), "# mine\n").unwrap();
    std::fs::write(home.join(".explainer-output"), "").unwrap();
    let e = check_output_dir(&home, &root, &sources, Some(&home)).unwrap_err();
    assert!(e.contains("home"), "{e}");
}

#[test]
#[cfg(unix)] // Unix symbolic links and permissions (Windows needs privileges for links)
fn a_home_folder_reached_through_a_symlink_is_refused() {
    use explainer::config::{check_output_dir, normalize_path};
    let h = base();
    let root = h.root();
    let content = root.join("content");
    let sources = [content.as_path()];
    // $HOME=/tmp/…/home/me where /tmp/…/home is a symlink to /tmp/…/usr/home (as on FreeBSD).
    let real = h.s.tmp.path().join("usr/home/me");
    std::fs::create_dir_all(&real).unwrap();
    std::fs::write(real.join(".explainer-output"), "").unwrap();
    std::os::unix::fs::symlink(h.s.tmp.path().join("usr/home"), h.s.tmp.path().join("home"))
        .unwrap();
    let home_var = h.s.tmp.path().join("home/me");
    // `Settings` resolves the output folder's symlinks before the guard sees it.
    let output = normalize_path(&home_var);
    assert!(
        check_output_dir(&output, &root, &sources, Some(&home_var)).is_err(),
        "{} (the home folder {} through a symlink) was accepted",
        output.display(),
        home_var.display()
    );
}

// ---------------------------------------------------------------------------------------------
// The terminal

/// Runs `explainer build --root <root>` with stdout and stderr connected to pipes whose reading
/// ends are already closed (as in `explainer build 2>&1 | head -0`); returns the exit code.
fn build_into_closed_pipes(root: &Path) -> Option<i32> {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_explainer"))
        .arg("build")
        .arg("--root")
        .arg(root)
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    drop(child.stderr.take());
    child.wait().unwrap().code()
}

#[test]
fn closed_output_pipes_do_not_turn_errors_into_a_panic() {
    let h = base();
    h.write("site.yaml", "base_url: not-a-url\n");
    let code = build_into_closed_pipes(&h.root());
    assert_eq!(
        code,
        Some(1),
        "a failing build whose stderr reader has gone must still exit 1 (101 is a panic)"
    );
    h.assert_output_untouched("after the failed build");
}

#[test]
fn closed_output_pipes_do_not_turn_a_good_build_into_a_panic() {
    let h = base();
    h.write(
        "content/extra.md",
        "---\ntitle: Extra\n---\nSee [[other]].\n",
    );
    let code = build_into_closed_pipes(&h.root());
    assert!(
        code == Some(0) || code == Some(2),
        "exit code {code:?} (101 is a panic on the closed stdout)"
    );
    assert!(h.s.public().join("extra/index.html").is_file());
}
