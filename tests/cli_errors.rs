//! What the user sees when the site is wrong: exit code 1 and rustc-style diagnostics
//! (file:line:col, the source line, a caret, a help line), all problems at once, nothing written.

mod common;

use common::*;

/// Builds and expects exit code 1 with no output folder written.
fn build_fails(s: &Site) -> String {
    let r = s.cmd("build", &[]);
    assert_eq!(
        r.code, 1,
        "expected exit 1\nstdout: {}\nstderr: {}",
        r.stdout, r.stderr
    );
    assert!(
        !s.public().exists(),
        "a failed first build must not leave public/"
    );
    assert!(r.stderr.contains("error"), "{}", r.stderr);
    r.stderr
}

/// `other.md` of the tiny fixture with a body line of our choosing on line 8.
fn other_with_line_8(line: &str) -> String {
    format!(
        "---\ntitle: Other note\ntags: [a]\n---\n\n## First heading\n\n{line}\n\n## Second heading\n"
    )
}

#[test]
fn bad_site_yaml_shows_the_line_and_a_help() {
    let s = site("tiny");
    s.write("site.yaml", "title: [unclosed\n");
    let err = build_fails(&s);
    assert!(err.contains("site.yaml:"), "{err}");
    assert!(err.contains("YAML"), "{err}");
    assert_diagnostic(&err, "site.yaml:1:", "title: [unclosed");
    assert_has_help(&err);
}

#[test]
fn unknown_front_matter_key_suggests_the_nearest_known_key() {
    let s = site("tiny");
    s.write(
        "content/other.md",
        "---\ndescription: fine\ntitel: Other note\n---\n\n## First heading\n",
    );
    let err = build_fails(&s);
    assert!(err.contains("unknown key `titel`"), "{err}");
    assert_diagnostic(&err, "content/other.md:3:1", "titel: Other note");
    assert_help(&err, "did you mean `title`");
}

#[test]
fn unknown_site_yaml_key_suggests_the_nearest_known_key() {
    let s = site("tiny");
    s.write(
        "site.yaml",
        "title: Tiny\nbase_ulr: https://tiny.example/\n",
    );
    let err = build_fails(&s);
    assert_diagnostic(&err, "site.yaml:2:1", "base_ulr: https://tiny.example/");
    assert_help(&err, "did you mean `base_url`");
}

#[test]
fn broken_link_points_at_the_exact_line_and_column_counting_front_matter() {
    let s = site("tiny");
    s.write(
        "content/other.md",
        other_with_line_8("See [x](missing.md) here."),
    );
    let err = build_fails(&s);
    assert!(err.contains("missing.md"), "{err}");
    // Line 8 of the file: the four front-matter lines count.
    assert_diagnostic(&err, "content/other.md:8:5", "See [x](missing.md) here.");
}

#[test]
fn broken_link_suggests_the_closest_existing_note() {
    let s = site("tiny");
    s.write(
        "content/_index.md",
        "---\ntitle: Tiny home\n---\nSee [the other note](othr.md).\n",
    );
    let err = build_fails(&s);
    assert_diagnostic(
        &err,
        "content/_index.md:4:5",
        "See [the other note](othr.md).",
    );
    assert_help(&err, "closest existing note is `other.md`");
}

#[test]
fn broken_wikilink_is_reported_with_position() {
    let s = site("tiny");
    s.write(
        "content/other.md",
        other_with_line_8("Also [[Missing note]]."),
    );
    let err = build_fails(&s);
    assert!(err.contains("Missing note"), "{err}");
    assert_diagnostic(&err, "content/other.md:8:6", "Also [[Missing note]].");
}

#[test]
fn broken_fragment_lists_the_ids_that_exist() {
    let s = site("tiny");
    s.write(
        "content/_index.md",
        "---\ntitle: Tiny home\n---\nSee [the other note](other.md#nope).\n",
    );
    let err = build_fails(&s);
    assert!(err.contains("#nope"), "{err}");
    assert_diagnostic(
        &err,
        "content/_index.md:4:5",
        "See [the other note](other.md#nope).",
    );
    assert_help(&err, "first-heading");
}

#[test]
fn near_miss_fragment_suggests_the_heading() {
    let s = site("tiny");
    s.write(
        "content/_index.md",
        "---\ntitle: Tiny home\n---\nSee [[other#First headin]].\n",
    );
    let err = build_fails(&s);
    assert_diagnostic(&err, "content/_index.md:4:5", "See [[other#First headin]].");
    assert_help(&err, "did you mean `#first-heading`");
}

#[test]
fn two_notes_with_the_same_url_are_an_error_naming_both() {
    let s = site("tiny");
    s.write(
        "content/a.md",
        "---\nslug: same\n---\nLinks [o](other.md).\n",
    );
    s.write("content/b.md", "---\nslug: same\n---\nLinks [a](a.md).\n");
    let err = build_fails(&s);
    let line = err
        .lines()
        .find(|l| l.starts_with("error") && l.contains("same URL"))
        .unwrap_or_else(|| panic!("no duplicate-URL error in:\n{err}"));
    assert!(
        line.contains("content/a.md") && line.contains("content/b.md"),
        "{line}"
    );
    assert!(line.contains("/same/"), "{line}");
    assert_help(&err, "slug");
}

#[test]
fn template_error_names_the_template_line_and_the_page_being_rendered() {
    let s = site("tiny");
    s.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ page.title }}</h1>\n<p>{{ nope }}</p>\n{% endblock content %}\n",
    );
    let err = build_fails(&s);
    assert!(err.contains("nope"), "{err}");
    assert_diagnostic(&err, "templates/page.html:4:", "<p>{{ nope }}</p>");
    assert_help(&err, "while rendering content/other.md");
}

#[test]
fn template_syntax_error_names_the_template_and_line() {
    let s = site("tiny");
    s.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}\n{% if %}yes{% endif %}\n{% endblock content %}\n",
    );
    let err = build_fails(&s);
    assert!(err.contains("syntax"), "{err}");
    assert_diagnostic(&err, "templates/page.html:3:", "{% if %}yes{% endif %}");
    assert_has_help(&err);
}

#[test]
fn a_missing_template_named_in_front_matter_is_an_error_at_that_key() {
    let s = site("tiny");
    s.write(
        "content/other.md",
        "---\ntitle: Other note\ntemplate: fancy.html\n---\n## First heading\n",
    );
    let err = build_fails(&s);
    assert!(err.contains("`fancy.html`"), "{err}");
    assert_diagnostic(&err, "content/other.md:3:1", "template: fancy.html");
}

#[test]
fn check_reports_a_broken_link_and_a_bad_fragment_and_writes_nothing() {
    let s = site("tiny");
    s.write(
        "content/_index.md",
        "---\ntitle: Tiny home\n---\nSee [the other note](other.md#nope).\n\nAnd [gone](gone.md).\n",
    );
    let before = tree(s.tmp.path());
    let r = s.cmd("check", &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_diagnostic(
        &r.stderr,
        "content/_index.md:4:5",
        "See [the other note](other.md#nope).",
    );
    assert_diagnostic(&r.stderr, "content/_index.md:6:5", "And [gone](gone.md).");
    assert!(r.stderr.contains("2 errors"), "{}", r.stderr);
    assert!(before == tree(s.tmp.path()), "check wrote files");
}

#[test]
fn check_on_a_good_site_succeeds_and_writes_nothing() {
    let s = site("basic");
    let before = tree(s.tmp.path());
    let r = s.cmd("check", &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(before == tree(s.tmp.path()), "check wrote files");
}

#[test]
fn every_error_in_every_file_is_printed_in_one_run() {
    let s = site("basic");
    s.write(
        "content/topics/extra.md",
        "---\ntitle: Extra\ntitel: twice\n---\nSee [[xi-visit]].\n",
    );
    s.write(
        "content/people/xi-jinping.md",
        "---\ntitle: Xi Jinping\n---\n## Role\n\nSee [[nobody]].\n",
    );
    s.write(
        "content/_index.md",
        "Start with [the topics](topics/_index.md#nothing-here).\n",
    );
    let err = build_fails(&s);
    for loc in [
        "content/topics/extra.md:3:1",
        "content/people/xi-jinping.md:6:5",
        "content/_index.md:1:12",
    ] {
        assert!(
            err.contains(&format!("--> {loc}")),
            "missing {loc} in:\n{err}"
        );
    }
    assert!(err.contains("the site has 3 errors"), "{err}");
}

#[test]
fn a_non_utf8_note_is_an_error_with_line_and_column() {
    let s = site("tiny");
    s.write(
        "content/latin.md",
        b"---\ntitle: Latin\n---\nok line\nab\xFFc\n".as_slice(),
    );
    let err = build_fails(&s);
    assert!(err.contains("UTF-8"), "{err}");
    assert!(err.contains("--> content/latin.md:5:3"), "{err}");
    assert_help(&err, "UTF-8");
}

#[test]
fn an_unclosed_front_matter_is_an_error() {
    let s = site("tiny");
    s.write("content/open.md", "---\ntitle: Open\n\nNo closing line.\n");
    let err = build_fails(&s);
    assert!(err.contains("front matter is not closed"), "{err}");
    assert_diagnostic(&err, "content/open.md:1:1", "---");
    assert_help(&err, "---");
}

#[test]
fn crlf_notes_report_the_same_line_numbers() {
    let s = site("tiny");
    s.write(
        "content/other.md",
        other_with_line_8("See [x](missing.md) here.").replace('\n', "\r\n"),
    );
    let err = build_fails(&s);
    assert_diagnostic(&err, "content/other.md:8:5", "See [x](missing.md) here.");
}

#[test]
fn a_missing_project_folder_is_bad_usage() {
    let s = site("tiny");
    let r = s.run(&["build", "--root", "no-such-folder"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("no-such-folder"), "{}", r.stderr);
}

#[test]
fn a_front_matter_error_does_not_make_links_to_that_note_look_missing() {
    let s = site("basic");
    // russia-factor.md exists and is linked from two notes; only its front matter is wrong.
    s.write(
        "content/topics/russia-factor.md",
        "---\ntitle: The Russia factor\ntitel: twice\n---\n## Kim and Putin\n",
    );
    let err = build_fails(&s);
    assert!(
        err.contains("--> content/topics/russia-factor.md:3:1"),
        "{err}"
    );
    assert!(
        !err.contains("missing note"),
        "links to a note that exists are reported as missing:\n{err}"
    );
    assert!(err.contains("the site has 1 error"), "{err}");
}

/// A one-shot build frees each note's source once its Markdown is rendered, except where a
/// later check may point into it: these are those checks, each shown with its source line.
#[test]
fn checks_after_rendering_still_show_the_source_line() {
    let s = site("tiny");
    s.write(
        "content/cited.md",
        "---\ntitle: Cited\nsources: [nope]\naliases: [other]\n---\nSee [[other]].\n",
    );
    let err = build_fails(&s);
    assert_diagnostic(&err, "content/cited.md:3:", "sources: [nope]");
    assert_diagnostic(&err, "content/cited.md:4:", "aliases: [other]");

    s.write(
        "content/cited.md",
        "---\ntitle: Cited\n---\nSee [[other]].\n\n![](pic.png)\n",
    );
    s.write("content/pic.png", "png");
    s.write("content/empty.md", "---\ntitle: Empty\n---\n");
    let r = s.cmd("check", &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_diagnostic(&r.stderr, "content/cited.md:6:1", "![](pic.png)");
    assert!(r.stderr.contains("content/empty.md"), "{}", r.stderr);
    assert!(r.stderr.contains("note is empty"), "{}", r.stderr);
}

/// A template mistake that fails every page is printed once, with how many pages it affects and
/// the field it most likely meant.
#[test]
fn a_template_error_on_every_page_is_reported_once_with_a_suggestion() {
    let s = site("tiny");
    s.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<h1>{{ page.titel }}</h1>{% endblock content %}\n",
    );
    for i in 1..=5 {
        s.write(
            &format!("content/extra{i}.md"),
            format!("---\ntitle: Extra {i}\n---\nSee [[other]].\n"),
        );
    }
    let err = build_fails(&s);
    assert_eq!(
        err.matches("Field `titel` is not defined").count(),
        1,
        "{err}"
    );
    assert!(err.contains("did you mean `title`?"), "{err}");
    assert!(err.contains("and 5 other pages"), "{err}");
    assert!(err.contains("the site has 1 error"), "{err}");
}

/// A misspelt tag, filter or test in a template names the one it most likely meant, at its line.
#[test]
fn misspelt_template_tags_and_filters_get_a_suggestion() {
    for (body, wanted) in [
        ("{% if page.title %}x{% endiff %}", "did you mean `endif`?"),
        ("{{ page.title | uper }}", "did you mean `upper`?"),
        (
            "{% if page is defind %}x{% endif %}",
            "did you mean `defined`?",
        ),
    ] {
        let s = site("tiny");
        s.write(
            "templates/page.html",
            format!("{{% extends \"base.html\" %}}\n{{% block content %}}{body}{{% endblock content %}}\n"),
        );
        let err = build_fails(&s);
        assert!(err.contains(wanted), "{body}: {err}");
        assert!(err.contains("templates/page.html:2:"), "{body}: {err}");
    }
}
