//! Quotations checked against the texts of their sources: every matching rule passes, misquotes
//! fail `check` with file:line, a caret and the closest passage, a missing text only warns, and
//! the real microsite's quotations all verify against the article.

mod common;

use common::{Run, Site, site};
use explainer::config::{Options, Settings};
use explainer::output::NullSink;
use std::path::Path;

/// Asserts that `out` (a command's stdout or stderr) contains `want`, showing it otherwise.
#[track_caller]
fn says(out: &str, want: &str) {
    assert!(out.contains(want), "expected {want:?} in:\n{out}");
}

/// `explainer check` on the fixture with `note` (front matter citing `sources`) added.
fn check_with_note(sources: &str, body: &str) -> (Site, Run) {
    let s = site("quotes");
    s.write(
        "content/bad.md",
        format!("---\ntitle: Bad\nsources: [{sources}]\n---\n\n{body}\n"),
    );
    let r = s.cmd("check", &[]);
    (s, r)
}

#[test]
fn every_matching_rule_passes_and_check_reports_coverage() {
    let s = site("quotes");
    let r = s.cmd("check", &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    says(&r.stdout, "checked 4 notes: no problems found");
    says(&r.stdout, "source `harbour`: 5 of 7 paragraphs quoted");
    says(&r.stdout, "source `ferry`: 2 of 3 paragraphs quoted");
    assert!(!r.stdout.contains("not quoted:"), "only with --coverage");
}

#[test]
fn coverage_lists_the_paragraphs_no_note_quotes() {
    let s = site("quotes");
    let r = s.cmd("check", &["--coverage"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    says(
        &r.stdout,
        "source `harbour`: 5 of 7 paragraphs quoted; not quoted:\n  line 1: The Harbour Report\n  line 3: Filed 1 May 2024\n",
    );
    says(&r.stdout, "  line 1: Ferry timetable");
}

#[test]
fn a_one_word_misquote_is_an_error_with_caret_and_closest_passage() {
    let (_s, r) = check_with_note(
        "harbour",
        "Critics called the plan \"a costly error\" at once.",
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    let e = &r.stderr;
    says(e, "error: quotation not found in the source `harbour`");
    says(e, "content/bad.md:6:25");
    says(e, "  |                         ^^^^^^^^^^^^^^^^ misquote");
    says(
        e,
        "help: closest passage in `harbour` (line 7): “a costly mistake”",
    );
    says(
        e,
        "the source has “mistake” where the quotation has “error”",
    );
}

#[test]
fn an_invented_quotation_is_an_error() {
    let (_s, r) = check_with_note(
        "harbour",
        "The mayor said \"the bridge will be free for everyone\".",
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    says(&r.stderr, "content/bad.md:6:16");
    says(&r.stderr, "no passage of the source comes close");
    says(&r.stderr, "set it in italics");
}

#[test]
fn a_changed_blockquote_and_a_wrong_scare_quote_are_errors() {
    let (_s, r) = check_with_note(
        "harbour",
        "> The harbour will have room for fifty boats and a new ferry terminal.\n\nA \"cheap\" plan.",
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    says(&r.stderr, "content/bad.md:6:3");
    says(&r.stderr, "blockquote not in the source");
    says(
        &r.stderr,
        "the source has “forty” where the quotation has “fifty”",
    );
    says(&r.stderr, "the word “cheap” is not in the source `harbour`");
    says(&r.stderr, "content/bad.md:8:3");
}

#[test]
fn parts_out_of_order_and_text_after_the_end_marker_do_not_match() {
    let (_s, r) = check_with_note(
        "harbour",
        "\"we will build it well … We will build it on time\" and \"a mistake nobody quoted\".",
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    says(&r.stderr, "not in this order within one paragraph");
    says(&r.stderr, "content/bad.md:6:56");
}

#[test]
fn a_note_citing_two_sources_may_quote_either_but_nothing_else() {
    let (_s, r) = check_with_note(
        "harbour, ferry",
        "\"every twenty minutes\" and \"a costly mistake\" but \"every ten minutes between the harbour\".",
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        r.stderr.matches("error: quotation").count(),
        1,
        "{}",
        r.stderr
    );
    says(
        &r.stderr,
        "quotation not found in the sources `harbour` or `ferry`",
    );
    says(&r.stderr, "closest passage in `ferry` (line 3)");
}

#[test]
fn a_missing_text_warns_once_per_source_and_the_site_still_builds() {
    let s = site("quotes");
    let r = s.cmd("build", &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stderr
            .matches("warning: quotations not verified: texts/nowhere.txt not found")
            .count(),
        1,
        "{}",
        r.stderr
    );
    let r = s.cmd("check", &["--strict"]);
    assert_eq!(
        r.code, 0,
        "a clone without the texts passes --strict:\n{}",
        r.stderr
    );
    assert_eq!(r.stderr.matches("quotations not verified").count(), 1);
}

#[test]
fn the_output_is_the_same_with_or_without_the_texts() {
    let s = site("quotes");
    let with = s.tmp.path().join("with");
    let without = s.tmp.path().join("without");
    assert_eq!(s.cmd("build", &["-o", with.to_str().unwrap()]).code, 0);
    std::fs::remove_dir_all(s.root().join("texts")).unwrap();
    let r = s.cmd("build", &["-o", without.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stderr.matches("quotations not verified").count(), 3);
    assert!(common::tree(&with) == common::tree(&without));
    assert!(
        !common::tree(&with)
            .keys()
            .any(|k| k.contains("harbour.txt"))
    );
}

/// The repository's microsite, with the article at ../shared/source/article.txt.
fn article() -> Option<std::path::PathBuf> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = repo.join("../shared/source/article.txt");
    if text.is_file() {
        Some(text)
    } else {
        println!(
            "notice: {} is absent, microsite quotations not checked",
            text.display()
        );
        None
    }
}

#[test]
fn the_microsite_quotations_all_verify_against_the_article() {
    if article().is_none() {
        return;
    }
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let r = common::run_in(repo, &["check", "--root", repo.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("quotation"), "{}", r.stderr);
    says(&r.stdout, "source `baoquocte-2023-10-02`: ");
}

/// A copy of the microsite whose site.yaml points at the article by absolute path.
fn microsite_copy(article: &Path) -> tempfile::TempDir {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    for dir in ["content", "templates", "static"] {
        if repo.join(dir).is_dir() {
            common::copy_dir(&repo.join(dir), &tmp.path().join(dir));
        }
    }
    let yaml = std::fs::read_to_string(repo.join("site.yaml")).unwrap();
    let yaml = yaml.replace(
        "text: ../shared/source/article.txt",
        &format!("text: {}", article.display()),
    );
    std::fs::write(tmp.path().join("site.yaml"), yaml).unwrap();
    tmp
}

/// The errors of checking the project at `root`, as (path, line, message).
fn errors(root: &Path) -> Vec<(String, usize, String)> {
    let settings = Settings::load(&Options {
        root: root.to_path_buf(),
        ..Options::default()
    })
    .unwrap();
    match explainer::pipeline::build(&settings, &NullSink) {
        Ok(_) => Vec::new(),
        Err(d) => {
            d.0.into_iter()
                .filter(|d| d.severity == explainer::diagnostics::Severity::Error)
                .map(|d| (d.path, d.line, d.message))
                .collect()
        }
    }
}

/// Issue 14's "done when": changing one word inside any quotation of five words or more makes
/// `check` fail naming that file and line; so does an invented quotation appended to any note.
#[test]
fn every_microsite_misquote_and_invented_quotation_is_caught() {
    let Some(article) = article() else { return };
    let tmp = microsite_copy(&article);
    assert!(errors(tmp.path()).is_empty());
    let notes: Vec<_> = walkdir::WalkDir::new(tmp.path().join("content"))
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    let mut mutated = 0;
    for path in &notes {
        let text = std::fs::read_to_string(path).unwrap();
        let rel = path
            .strip_prefix(tmp.path())
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let body_start = text[3..].find("\n---").map_or(0, |i| i + 8);
        for q in explainer::quotes::extract::quotations(&text[body_start..]) {
            let words: Vec<&str> = q.text.split_whitespace().collect();
            if words.len() < 5 || q.exempt {
                continue;
            }
            // Replace the third word of the quotation with a word the article never uses.
            let start = body_start + q.span.start;
            let quoted = &text[start..body_start + q.span.end];
            let word = words[2].trim_matches(|c: char| !c.is_alphanumeric());
            let at = start + quoted.find(word).unwrap();
            let changed = format!("{}zebra{}", &text[..at], &text[at + word.len()..]);
            std::fs::write(path, &changed).unwrap();
            let line = text[..at].matches('\n').count() + 1;
            let found = errors(tmp.path());
            assert!(
                found.iter().any(|(p, l, _)| p == &rel && *l == line),
                "changing “{word}” in {rel}:{line} was not caught: {found:?}"
            );
            mutated += 1;
        }
        let invented =
            format!("{text}\nIt said \"the summit will surely be held in Busan next spring\".\n");
        std::fs::write(path, invented).unwrap();
        let found = errors(tmp.path());
        assert!(
            found
                .iter()
                .any(|(p, _, m)| p == &rel && m.starts_with("quotation not found")),
            "an invented quotation in {rel} was not caught: {found:?}"
        );
        std::fs::write(path, &text).unwrap();
    }
    assert!(
        mutated >= 30,
        "only {mutated} quotations of five words or more"
    );
}
