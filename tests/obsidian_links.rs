//! Links in an Obsidian vault resolve as Obsidian resolves them (its default "shortest path"
//! mode): paths, names in the note's own folder, the name nearest the top, aliases after names,
//! headings by text, block ids; links to notes not written yet follow `links.missing`; and
//! "did you mean" suggests only close names of the same kind.

mod common;

use common::*;
use std::collections::BTreeMap;

fn vault() -> Site {
    site("obsidian-links/vault")
}

/// `link text → href` of every link in the article of `rel`.
fn article_links(out: &std::path::Path, rel: &str) -> BTreeMap<String, String> {
    links(&page(out, rel), "article a[href]")
        .into_iter()
        .map(|(h, t)| (t, h))
        .collect()
}

fn assert_links(got: &BTreeMap<String, String>, expected: &[(&str, &str)]) {
    for (text, href) in expected {
        assert_eq!(
            got.get(*text).map(String::as_str),
            Some(*href),
            "link `{text}`; all links: {got:#?}"
        );
    }
}

#[test]
fn names_and_paths_resolve_as_obsidian_does() {
    let s = vault();
    let out = s.build(&[]);
    let got = article_links(&out, "links/index.html");
    assert_links(
        &got,
        &[
            // Case-insensitive name.
            ("case", "../top-note/"),
            // Exact path from content/, without and with `.md`, wins over the name.
            ("path", "../a/dup/"),
            ("path-md", "../a/dup/"),
            // Several notes named Dup: the one nearest the top of content/.
            ("top-dup", "../dup/"),
            // Same depth: the first in path order (c/ before d/), no error.
            ("first-in-path-order", "../c/x/same/"),
            // A file name outranks another note's alias of the same name.
            ("name-before-alias", "../top-note/"),
            // An alias, shown as written.
            ("Only Alias", "../z/other/"),
            // The tail of a path.
            ("path-tail", "../c/x/same/"),
            // `[[Dup\|label]]` in a table.
            ("table-label", "../dup/"),
            // A non-breaking space in the name is a space.
            ("no-break-space", "../top-note/"),
        ],
    );
}

#[test]
fn a_name_in_the_linking_notes_own_folder_comes_first() {
    let s = vault();
    let out = s.build(&[]);
    assert_links(
        &article_links(&out, "d/x/linker/index.html"),
        &[("own-folder", "../../../d/x/same/")],
    );
    // An exact path from content/ still comes before the own folder: `Dup.md` is at the top.
    assert_links(
        &article_links(&out, "a/linker/index.html"),
        &[("path-before-folder", "../../dup/")],
    );
    assert_links(
        &article_links(&out, "b/linker/index.html"),
        &[("shortest", "../../dup/")],
    );
}

#[test]
fn markdown_links_try_the_path_then_the_name() {
    let s = vault();
    let out = s.build(&[]);
    assert_links(
        &article_links(&out, "links/index.html"),
        &[
            ("percent", "../some-note/"),
            ("by-name", "../some-note/"),
            ("no-md", "../some-note/"),
            ("md-heading", "../headings/#my-id"),
            ("md-id", "../headings/#repeat-1"),
            ("md-block", "../headings/#block-para1"),
        ],
    );
}

#[test]
fn attachments_are_found_anywhere_by_file_name() {
    let s = vault();
    let out = s.build(&[]);
    let html = page(&out, "links/index.html");
    assert_links(
        &article_links(&out, "links/index.html"),
        &[("pdf", "../docs/file.pdf"), ("png", "../assets/pic.png")],
    );
    assert_eq!(
        attrs(&html, "article img", "src"),
        ["../assets/pic.png", "../assets/pic.png"]
    );
}

#[test]
fn headings_match_by_text_like_obsidian() {
    let s = vault();
    let out = s.build(&[]);
    assert_links(
        &article_links(&out, "links/index.html"),
        &[
            // Punctuation, curly quotes and spacing are ignored.
            ("punctuation", "../headings/#why-its-his-turn"),
            // A chain names the last heading, inside the one before it.
            ("nested", "../headings/#detail-1"),
            // A heading with a custom id is still found by its text.
            ("custom", "../headings/#my-id"),
            // Of two equal headings, the first.
            ("repeat", "../headings/#repeat"),
        ],
    );
    let headings = page(&out, "headings/index.html");
    assert_eq!(
        attrs(&headings, "article h2[id], article h3[id]", "id"),
        [
            "why-its-his-turn",
            "part",
            "detail",
            "other",
            "detail-1",
            "my-id",
            "repeat",
            "repeat-1"
        ]
    );
}

#[test]
fn block_ids_anchor_their_element_and_leave_the_text() {
    let s = vault();
    let out = s.build(&[]);
    assert_links(
        &article_links(&out, "links/index.html"),
        &[
            ("b-para", "../headings/#block-para1"),
            ("b-item", "../headings/#block-item1"),
            ("b-list", "../headings/#block-listblock"),
            ("b-quote", "../headings/#block-quoteblock"),
            ("b-table", "../headings/#block-tableblock"),
        ],
    );
    let h = page(&out, "headings/index.html");
    assert_eq!(texts(&h, "p#block-para1"), ["Para text with emphasis"]);
    assert_eq!(texts(&h, "li#block-item1"), ["item one"]);
    assert_eq!(texts(&h, "div#block-listblock > ul > li"), ["l1", "l2"]);
    assert_eq!(texts(&h, "div#block-quoteblock > blockquote"), ["A quote."]);
    assert_eq!(h.select(&sel("div#block-tableblock > table")).count(), 1);
    // `[[#^para1]]` on the same page.
    assert_links(
        &article_links(&out, "headings/index.html"),
        &[("my own paragraph", "#block-para1")],
    );
    let article = texts(&h, "article").join(" ");
    assert!(!article.contains('^'), "a marker is visible: {article}");
    assert!(broken_refs(&out).is_empty(), "{:#?}", broken_refs(&out));
}

/// Block ids as real vaults write them (Obsidian's help vault, a personal vault): on callouts,
/// on the line right under a block, under a heading; and headings named by their source.
#[test]
fn real_world_block_ids_and_headings_land_on_an_element() {
    let s = vault();
    let out = s.build(&[]);
    let h = page(&out, "blocks/index.html");
    let links = article_links(&out, "blocks/index.html");
    // (link text, anchor, a CSS selector for the element the anchor must be).
    let cases = [
        // A `^id` line after a blank line under a callout.
        (
            "c1",
            "block-callout1",
            "div#block-callout1 > div.callout-note",
        ),
        // A `^id` line right under a callout (Markdown reads it as part of the quote).
        (
            "c2",
            "block-callout2",
            "div#block-callout2 > div.callout-info",
        ),
        // A `^id` line right under a paragraph, and under an image embed.
        ("lazy", "block-lazy-para", "p#block-lazy-para"),
        ("image", "block-image-block", "p#block-image-block > img"),
        // A `^id` line under a heading.
        ("head", "block-head1", "div#block-head1 > h3#initial-state"),
        // Two `^id` lines under a folding callout.
        (
            "folded",
            "block-folded",
            "div#block-folded details.callout-tip",
        ),
        (
            "second",
            "block-second-id",
            "div#block-second-id > details.callout-tip",
        ),
        // Under a math block.
        ("math", "block-math1", "div#block-math1 math"),
        // At the end of a callout's only line, its title.
        (
            "title",
            "block-title-id",
            "div#block-title-id > div.callout-warning",
        ),
        // The first of two blocks with one id (ids match ignoring case).
        ("dup", "block-dup", "p#block-dup"),
    ];
    for (text, anchor, element) in cases {
        assert_eq!(
            links.get(text).map(String::as_str),
            Some(format!("#{anchor}").as_str()),
            "{text}"
        );
        assert_eq!(h.select(&sel(element)).count(), 1, "{element}");
    }
    assert_eq!(texts(&h, "p#block-lazy-para"), ["Some text."]);
    assert_eq!(texts(&h, "p#block-dup"), ["First"]);
    // A heading linked by its Markdown (a wikilink and a formula in it), as Obsidian writes it.
    assert_eq!(links["source heading"], "#the-links-and");
    assert_links(
        &article_links(&out, "block-links/index.html"),
        &[
            ("to the callout", "../blocks/#block-callout1"),
            ("to the heading", "../blocks/#the-links-and"),
            // An email autolink (Obsidian's help vault credits).
            ("someone@example.org", "mailto:someone@example.org"),
        ],
    );
    // Embedding a callout's block shows the callout.
    let embed = page(&out, "block-links/index.html");
    assert_eq!(
        texts(&embed, ".transclusion .callout-info .callout-content"),
        ["A callout whose id is on the line right under it."]
    );
    let article = texts(&h, "article").join(" ");
    assert!(!article.contains('^'), "a marker is visible: {article}");
    // No id twice on a page, and every fragment lands.
    let html = std::fs::read_to_string(out.join("blocks/index.html")).unwrap();
    let ids = attrs(&h, "[id]", "id");
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(ids.len(), unique.len(), "duplicate ids: {ids:?}");
    assert_eq!(html.matches("<div").count(), html.matches("</div>").count());
    assert!(broken_refs(&out).is_empty(), "{:#?}", broken_refs(&out));
}

const BROKEN: &str = "---\ntitle: Broken\n---\n[[Links]]: [[Not written yet]], [[Headings#No such heading]], [[Headings#^nope]], ![a map](gone.png), [file](notes/absent.md).\n";

#[test]
fn missing_targets_are_errors_by_default() {
    let s = vault();
    s.write("content/Broken.md", BROKEN);
    let r = s.cmd("build", &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    for what in [
        "wikilink to a missing note `Not written yet`",
        "`#No such heading` is not a heading, block or anchor",
        "`#^nope` is not a heading, block or anchor",
        "`gone.png`",
        "link to a missing note `notes/absent.md`",
    ] {
        assert!(r.stderr.contains(what), "{what}: {}", r.stderr);
    }
    assert_diagnostic(
        &r.stderr,
        "content/Broken.md:4:12",
        BROKEN.lines().nth(3).unwrap(),
    );
    assert!(r.stderr.contains("the site has 5 errors"), "{}", r.stderr);
    assert!(!s.public().exists());
}

#[test]
fn with_missing_warn_they_build_as_unresolved_spans() {
    let s = vault();
    s.write("content/Broken.md", BROKEN);
    s.write(
        "site.yaml",
        "title: Obsidian links\nbase_url: https://vault.example/\nlinks: {missing: warn}\n",
    );
    let r = s.cmd("build", &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("warning:"), "{}", r.stderr);
    let out = s.public();
    let h = page(&out, "broken/index.html");
    assert_eq!(
        texts(&h, "article span.unresolved"),
        [
            "Not written yet",
            "Headings#No such heading",
            "Headings#^nope",
            "a map",
            "file"
        ]
    );
    let titles = attrs(&h, "article span.unresolved", "title");
    assert!(titles[0].contains("Not written yet"), "{titles:?}");
    // Only the one good link is a link; no dead link or dead fragment anywhere.
    assert_eq!(hrefs(&h, "article p a"), ["../links/"]);
    assert!(broken_refs(&out).is_empty(), "{:#?}", broken_refs(&out));
    // `check` shows them as warnings and succeeds.
    let c = s.cmd("check", &[]);
    assert_eq!(c.code, 0, "{}", c.stderr);
    let all = format!("{}{}", c.stdout, c.stderr);
    assert!(
        all.contains("warning: wikilink to a missing note `Not written yet`"),
        "{all}"
    );
    assert!(all.contains("content/Broken.md:4:12"), "{all}");
}

#[test]
fn an_unknown_missing_policy_is_an_error_at_its_line() {
    let s = vault();
    s.write(
        "site.yaml",
        "title: Obsidian links\nlinks:\n  missing: ignore\n",
    );
    let r = s.cmd("build", &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("site.yaml:2:1"), "{}", r.stderr);
    assert!(
        r.stderr.contains("`missing` must be `error` or `warn`"),
        "{}",
        r.stderr
    );
}

/// The help line of the diagnostic whose message contains `what`.
fn help_of(stderr: &str, what: &str) -> Option<String> {
    let block = stderr.split("\n\n").find(|b| b.contains(what))?;
    block
        .lines()
        .find_map(|l| l.trim().strip_prefix("= help: ").map(str::to_string))
}

#[test]
fn suggestions_are_close_and_of_the_same_kind() {
    let s = vault();
    s.write(
        "content/people/yoon-suk-yeol.md",
        "---\ntitle: Yoon\n---\n[[Links]]\n",
    );
    s.write("content/Map.md", "---\ntitle: Map\n---\n[[Links]]\n");
    s.write(
        "content/Typos.md",
        "---\ntitle: Typos\n---\n[[Top Notr]]\n\n[[han-duck-soo]]\n\n![x](pik.png)\n\n![y](map.png)\n\n[[pic]]\n\n[a](people/han-duck-soo.md)\n",
    );
    let r = s.cmd("check", &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let e = &r.stderr;
    assert_eq!(
        help_of(e, "`Top Notr`").as_deref(),
        Some("the closest existing note is `Top Note.md`")
    );
    // A far name gets no note suggestion, even one in the same folder with the same suffix.
    for far in ["`han-duck-soo`", "`people/han-duck-soo.md`"] {
        let help = help_of(e, far).unwrap_or_default();
        assert!(!help.contains("yoon"), "{far}: {help}");
    }
    assert_eq!(
        help_of(e, "`pik.png`").as_deref(),
        Some("the closest existing file is `assets/pic.png`")
    );
    // A missing image suggests no note, and a missing note no image.
    assert_eq!(help_of(e, "`map.png`"), None, "{e}");
    let pic = help_of(e, "`pic`").unwrap_or_default();
    assert!(!pic.contains("pic.png"), "{pic}");
}

#[test]
fn a_renamed_heading_id_re_renders_the_notes_linking_to_it() {
    let s = vault();
    let mut watched = Live::new(&s);
    let live = watched.dir.clone();
    let headings = "content/Headings.md";
    let text = s.read(headings);
    s.write(headings, text.replace("{#my-id}", "{#new-id}"));
    watched.changed(headings).unwrap();
    assert_links(
        &article_links(&live, "links/index.html"),
        &[
            ("custom", "../headings/#new-id"),
            ("md-heading", "../headings/#new-id"),
        ],
    );
    // A heading the links name disappears: the update fails like a clean build would.
    s.write(
        headings,
        text.replace("## Custom heading {#my-id}", "## Renamed"),
    );
    let err = watched.changed(headings).unwrap_err();
    assert!(err.contains("`#Custom heading` is not a heading"), "{err}");
}

#[test]
fn check_lists_shared_names_with_the_note_they_reach() {
    let s = vault();
    let r = s.cmd("check", &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("info: [[dup]] matches 2 notes; it links to content/Dup.md"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("info: [[same]] matches 2 notes; it links to content/c/x/Same.md"),
        "{}",
        r.stderr
    );
    let b = s.cmd("build", &[]);
    assert!(!b.stderr.contains("info:"), "{}", b.stderr);
}

/// `[[./Note]]` and `[[../Note]]` are paths from the linking note's folder, and a Markdown path
/// with a `../` too many still finds its note or file by name, as Obsidian does (nothing outside
/// content/ is read).
#[test]
fn relative_wikilinks_and_paths_that_climb_too_far() {
    let s = vault();
    s.write(
        "content/a/Relative.md",
        "---\ntitle: Relative\n---\n[[./Linker|sibling]], [[../Links|up]], [too far](../../../Links.md), ![a picture](../../assets/pic.png)\n",
    );
    let out = s.build(&[]);
    let got = article_links(&out, "a/relative/index.html");
    assert_links(
        &got,
        &[
            ("sibling", "../../a/linker/"),
            ("up", "../../links/"),
            ("too far", "../../links/"),
        ],
    );
    assert_eq!(
        attrs(&page(&out, "a/relative/index.html"), "article img", "src"),
        ["../../assets/pic.png"]
    );
    s.write(
        "content/a/Relative.md",
        "---\ntitle: Relative\n---\n[gone](../../nowhere.md)\n",
    );
    let r = s.cmd("build", &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("points outside content/"), "{}", r.stderr);
}
