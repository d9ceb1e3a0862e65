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
fn a_bad_date_time_is_an_error_at_its_line() {
    let s = vault();
    s.write(
        "content/late.md",
        "---\ntitle: Late\ndate: 2025-07-26T25:61\n---\nSee [[Aliased]].\n",
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
