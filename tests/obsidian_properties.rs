//! Front matter as Obsidian vaults write it (issue 12, properties): the `obsidian-properties`
//! fixture is a vault with `front_matter: {allow_unknown: true}`, built through the binary.

mod common;

use common::*;
use std::path::Path;

fn vault() -> Site {
    site("obsidian-properties")
}

/// The `<a>` texts of a page's tag line.
fn tag_names(html: &scraper::Html) -> Vec<String> {
    texts(html, "article p.muted a")
}

#[test]
fn loose_values_empty_items_and_date_times_build() {
    let s = vault();
    let out = s.build(&[]);
    let loose = page(&out, "loose-values/index.html");
    assert_eq!(
        texts(&loose, "h1"),
        ["loose-values"],
        "empty title: the file name"
    );
    assert_eq!(
        tag_names(&loose),
        ["#alpha", "#beta"],
        "empty items are left out"
    );
    assert_eq!(attrs(&loose, "article time", "datetime"), ["2025-07-26"]);
    let feed = std::fs::read_to_string(out.join("atom.xml")).unwrap();
    assert!(feed.contains("<published>2025-07-26T00:00:00Z</published>"));
    assert!(feed.contains("<updated>2025-07-27T00:00:00Z</updated>"));
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(
        sitemap.contains("<lastmod>2025-07-27</lastmod>"),
        "{sitemap}"
    );

    let flow = page(&out, "flow-lists/index.html");
    assert_eq!(tag_names(&flow), ["#delta", "#gamma"], "`[gamma, , delta]`");
    let redirect = std::fs::read_to_string(out.join("single-alias/index.html")).unwrap();
    assert!(
        redirect.contains("url=../flow-lists/"),
        "a single-text alias: {redirect}"
    );

    let styled = page(&out, "styled/index.html");
    assert_eq!(tag_names(&styled), ["#one", "#two"], "`tags: \"one, two\"`");
}

/// Runs `check`, which must fail, and asserts its messages hold every one of `expected`.
fn check_fails_with(s: &Site, expected: &[&str]) -> Run {
    let r = s.cmd("check", &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    for e in expected {
        assert!(r.stderr.contains(e), "no {e:?} in:\n{}", r.stderr);
    }
    r
}

#[test]
fn obsidian_keys_are_no_errors_but_a_near_miss_is() {
    let s = vault();
    let r = s.cmd("check", &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("unknown key"), "{}", r.stderr);

    s.write(
        "content/typo.md",
        "---\ntitel: Typo\n---\nSee [[Aliased]].\n",
    );
    check_fails_with(
        &s,
        &[
            "content/typo.md:2:1",
            "unknown key `titel`",
            "did you mean `title`?",
        ],
    );
}

#[test]
fn a_bad_date_time_is_reported_at_its_line() {
    let s = vault();
    s.write(
        "content/late.md",
        "---\ntitle: Late\ndate: 2025-07-26T25:61\n---\nSee [[Aliased]].\n",
    );
    // A vault's site (allow_unknown) builds the note without the value, as Obsidian shows it.
    let r = s.cmd("check", &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for e in ["warning: ", "content/late.md:3:1", "`2025-07-26T25:61`"] {
        assert!(r.stderr.contains(e), "no {e:?} in:\n{}", r.stderr);
    }
    // A strict site fails on it.
    s.write(
        "site.yaml",
        "title: Vault\nbase_url: https://vault.example/\n",
    );
    check_fails_with(&s, &["content/late.md:3:1", "`2025-07-26T25:61`"]);
}

#[test]
fn without_allow_unknown_only_the_publishing_keys_are_known() {
    let s = vault();
    s.write(
        "site.yaml",
        "title: Vault\nbase_url: https://vault.example/\n",
    );
    let r = check_fails_with(
        &s,
        &[
            "unknown key `Status`",
            "unknown key `created`",
            "unknown key `cssclass`",
        ],
    );
    for key in ["publish", "permalink", "cssclasses"] {
        assert!(
            !r.stderr.contains(&format!("unknown key `{key}`")),
            "{key}: {}",
            r.stderr
        );
    }
}

/// Every file of the output whose bytes contain `needle`.
fn files_containing(out: &Path, needle: &str) -> Vec<String> {
    tree(out)
        .into_iter()
        .filter(|(_, bytes)| String::from_utf8_lossy(bytes).contains(needle))
        .map(|(name, _)| name)
        .collect()
}

#[test]
fn an_unpublished_note_is_in_no_output_file_even_with_drafts() {
    for args in [&[][..], &["--drafts"][..]] {
        let s = vault();
        let out = s.build(args);
        for needle in ["Zebra", "zebra", "classified", "private/", "hidden-zebra"] {
            assert_eq!(
                files_containing(&out, needle),
                Vec::<String>::new(),
                "{needle} {args:?}"
            );
        }
        assert!(out.join("styled/index.html").is_file());
    }
}

#[test]
fn a_link_to_an_unpublished_note_or_a_draft_says_why_it_is_missing() {
    let s = vault();
    s.write(
        "content/linker.md",
        "---\ntitle: Linker\n---\n[[Hidden zebra]], [plans](private.md) and [[Draft plan]].\n",
    );
    s.write(
        "content/draft-plan.md",
        "---\ndraft: true\n---\nNot yet. See [[Linker]].\n",
    );
    let unpublished = "content/private.md is not published (`publish: false`)";
    let r = check_fails_with(&s, &["content/draft-plan.md is a draft"]);
    assert_eq!(r.stderr.matches(unpublished).count(), 2, "{}", r.stderr);
    let r = s.cmd("check", &["--drafts"]);
    assert_eq!(r.code, 1, "--drafts does not publish `publish: false`");
    assert_eq!(r.stderr.matches(unpublished).count(), 2, "{}", r.stderr);
    assert!(
        !r.stderr.contains("draft-plan.md is a draft"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_permalink_sets_the_url() {
    let s = vault();
    let out = s.build(&[]);
    assert!(
        !out.join("moved").exists(),
        "the file name's URL is not used"
    );
    let moved = page(&out, "elsewhere/moved-here/index.html");
    assert_eq!(texts(&moved, "h1"), ["Moved"]);
    assert_eq!(
        hrefs(&moved, "article > p a"),
        ["../../styled/"],
        "its links are relative to its new place"
    );
    let home = page(&out, "index.html");
    assert!(
        hrefs(&home, "a").contains(&"./elsewhere/moved-here/".to_string()),
        "{:?}",
        hrefs(&home, "a")
    );

    s.write(
        "content/clash.md",
        "---\npermalink: styled\n---\nSee [[Aliased]].\n",
    );
    check_fails_with(&s, &["content/clash.md and content/styled.md"]);
}

#[test]
fn cssclasses_reach_the_article_class_escaped() {
    let s = vault();
    let out = s.build(&[]);
    let raw = std::fs::read_to_string(out.join("styled/index.html")).unwrap();
    assert!(!raw.contains("<script>alert"), "class names are escaped");
    let html = page(&out, "styled/index.html");
    let class = attrs(&html, "article", "class");
    assert_eq!(class.len(), 1, "{raw}");
    let classes: Vec<&str> = class[0].split_whitespace().collect();
    assert_eq!(classes, ["wide", "x\"><script>alert(1)</script>", "legacy"]);
    let plain = page(&out, "flow-lists/index.html");
    assert_eq!(attrs(&plain, "article", "class"), Vec::<String>::new());
}

#[test]
fn aliases_merge_and_a_taken_url_is_a_warning_not_a_replacement() {
    let s = vault();
    let r = s.cmd("check", &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let warnings: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.contains("no redirect written"))
        .collect();
    assert_eq!(warnings.len(), 2, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "alias `Loose values` of content/aliased.md would be written to `/loose-values/`, \
             which is already content/loose-values.md"
        ),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(
            "alias `Shared name` of content/also-aliased.md would be written to \
             `/shared-name/`, which is already an alias of content/aliased.md"
        ),
        "{}",
        r.stderr
    );

    let out = s.build(&[]);
    let loose = page(&out, "loose-values/index.html");
    assert_eq!(texts(&loose, "h1"), ["loose-values"], "the page stays");
    for (alias, target) in [
        ("old-name", "../aliased/"),
        ("shared-name", "../aliased/"),
        ("its-own-name", "../also-aliased/"),
    ] {
        let redirect = std::fs::read_to_string(out.join(alias).join("index.html")).unwrap();
        assert!(
            redirect.contains(&format!("url={target}")),
            "{alias}: {redirect}"
        );
    }
}

/// Obsidian Publish names its home page `permalink: /`: without `content/_index.md` that note is
/// the home page (and keeps its name for wikilinks); with one, the permalink is ignored.
#[test]
fn permalink_slash_makes_the_home_page() {
    let s = common::site("obsidian-embeds-cycle");
    std::fs::remove_file(s.root().join("content/_index.md")).unwrap();
    s.write(
        "content/Start here.md",
        "---\npermalink: /\n---\n# Welcome\n\nSee [[a]].\n",
    );
    s.write(
        "content/b.md",
        "---\ntitle: B\n---\nBack to [[Start here]].\n",
    );
    s.write("content/a.md", "---\ntitle: A\n---\nA, see [[b]].\n");
    let out = s.build(&[]);
    let home = page(&out, "index.html");
    assert!(common::text_of(&home.root_element()).contains("Welcome"));
    assert!(!out.join("start-here").exists());
    let b = page(&out, "b/index.html");
    assert!(
        hrefs(&b, "article a").contains(&"../".to_string()),
        "{:?}",
        hrefs(&b, "article a")
    );

    s.write(
        "content/_index.md",
        "---\ntitle: Home\n---\nThe real home. [[Start here]]\n",
    );
    let r = s.cmd("build", &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let check = s.cmd("check", &[]);
    assert!(
        check
            .stderr
            .contains("`permalink: /` asks for the home page's URL"),
        "{}",
        check.stderr
    );
    assert!(s.public().join("start-here/index.html").is_file());
}

/// A permalink may not take a page the build writes itself (`tags/`, `timeline/`).
#[test]
fn a_permalink_to_a_generated_page_is_ignored_with_a_warning() {
    let s = common::site("obsidian-embeds-cycle");
    s.write(
        "content/b.md",
        "---\ntitle: B\npermalink: tags\ntags: [x]\n---\nSee [[a]].\n",
    );
    s.write("content/a.md", "---\ntitle: A\n---\nA, see [[b]].\n");
    let out = s.build(&[]);
    assert!(out.join("b/index.html").is_file());
    let tags = page(&out, "tags/index.html");
    assert!(
        hrefs(&tags, "a").iter().any(|h| h.contains("x/")),
        "the tag list stays"
    );
    let check = s.cmd("check", &[]);
    assert!(
        check
            .stderr
            .contains("`permalink: tags` is the URL of a generated page"),
        "{}",
        check.stderr
    );
}

/// Vault notes whose properties Obsidian cannot read still build (a warning each), Obsidian's
/// `published` is no misspelling of `publish`, and two file names that make one URL are told
/// apart instead of failing the build.
#[test]
fn vault_notes_with_unreadable_properties_or_clashing_names_still_build() {
    let s = vault();
    s.write(
        "content/people/at-handle.md",
        "---\naliases:\n- @someone\n---\nA person. See [[moved]].\n",
    );
    s.write(
        "content/template.md",
        "---\ndate: {{date}}\naliases: {x: 1}\npublished: 2021-04-17\n---\nA template. See [[moved]].\n",
    );
    s.write(
        "content/RedShift - OLED.md",
        "---\ntitle: One\n---\nFirst. [[moved]]\n",
    );
    s.write(
        "content/RedShift: OLED.md",
        "---\ntitle: Two\n---\nSecond. [[moved]]\n",
    );
    let out = s.build(&[]);
    assert!(out.join("people/at-handle/index.html").is_file());
    assert!(out.join("template/index.html").is_file());
    assert_eq!(
        texts(&page(&out, "redshift-oled/index.html"), "h1"),
        ["One"]
    );
    assert_eq!(
        texts(&page(&out, "redshift-oled-2/index.html"), "h1"),
        ["Two"]
    );
    let check = s.cmd("check", &[]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    for expected in [
        "front matter is not valid YAML",
        "`date` must be",
        "already has the URL `/redshift-oled/`",
    ] {
        assert!(
            check.stderr.contains(expected),
            "{expected}: {}",
            check.stderr
        );
    }
    assert!(!check.stderr.contains("`published`"), "{}", check.stderr);
    // A near miss of a known key is still an error.
    s.write("content/template.md", "---\ntitel: Oops\n---\nText.\n");
    assert_eq!(s.cmd("check", &[]).code, 1);
}
