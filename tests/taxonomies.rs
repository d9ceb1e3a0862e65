//! Taxonomies beyond tags, as Zola has them: `taxonomies: [{name: tags}, {name: categories,
//! feed: true}]` in site.yaml gives each taxonomy a list page at `/<name>/`, a page per term at
//! `/<name>/<slug>/` and, with `feed: true`, an Atom feed per term; notes list their terms under
//! the taxonomy's name in front matter.
//!
//! The `taxonomies` fixture: `notes/summit.md` (2023, tag `diplomacy`, categories `Diplomacy`
//! and `Trade`), `notes/tariffs.md` (2023, category `Trade`), `notes/visit.md` (2022, tag
//! `diplomacy` and the inline tag `#travel`, no category) and `about.md` (undated, category
//! `Diplomacy` written as one text).

mod common;

use common::{
    Live, assert_diagnostic, assert_help, broken_refs, hrefs, links, page, resolve_href, site,
    texts, xml_values,
};
use std::path::Path;

/// The titles a built-in term page lists, with the output file each link leads to.
fn listed(out: &Path, rel: &str) -> Vec<(String, String)> {
    links(&page(out, rel), "main ul li > a")
        .into_iter()
        .map(|(href, title)| {
            let (file, _) = resolve_href(rel, &href).expect("a relative link inside the site");
            assert!(out.join(&file).is_file(), "{rel}: `{href}` leads nowhere");
            (title, file)
        })
        .collect()
}

#[test]
fn each_taxonomy_gets_a_list_page_and_a_page_per_term() {
    let s = site("taxonomies");
    let out = s.build(&[]);
    let list = page(&out, "categories/index.html");
    assert_eq!(texts(&list, "main h1"), ["Categories"]);
    assert_eq!(texts(&list, "title"), ["Categories · Taxa"]);
    assert_eq!(
        texts(&list, "main li"),
        ["Diplomacy (2)", "Trade (2)"],
        "terms by slug, with their counts"
    );
    assert_eq!(
        hrefs(&list, "main li a"),
        ["../categories/diplomacy/", "../categories/trade/"],
        "links are relative"
    );
    // Newest first; an undated note after the dated ones.
    assert_eq!(
        listed(&out, "categories/diplomacy/index.html"),
        [
            ("The summit".into(), "notes/summit/index.html".into()),
            ("Background".into(), "about/index.html".into()),
        ]
    );
    let trade = page(&out, "categories/trade/index.html");
    assert_eq!(texts(&trade, "main h1"), ["Categories: Trade"]);
    assert_eq!(
        texts(&trade, "nav.breadcrumbs a"),
        ["Taxa", "Categories"],
        "the breadcrumb leads to the taxonomy's list"
    );
    assert_eq!(
        listed(&out, "categories/trade/index.html")
            .into_iter()
            .map(|(t, _)| t)
            .collect::<Vec<_>>(),
        ["The summit", "Tariffs"]
    );
    // Tags keep their pages and wording; a category is no tag.
    let tag = page(&out, "tags/diplomacy/index.html");
    assert_eq!(texts(&tag, "main h1"), ["Notes tagged “diplomacy”"]);
    assert!(
        out.join("tags/travel/index.html").is_file(),
        "inline tags stay tags"
    );
    assert!(!out.join("tags/trade").exists());
    assert!(!out.join("categories/travel").exists());
    // Every taxonomy in the navigation; a note shows its terms of every taxonomy.
    let summit = page(&out, "notes/summit/index.html");
    assert_eq!(
        texts(&summit, "header nav a")
            .into_iter()
            .filter(|t| t == "Tags" || t == "Categories")
            .collect::<Vec<_>>(),
        ["Tags", "Categories"]
    );
    assert_eq!(
        links(&summit, "main p.muted a"),
        [
            (
                "../../tags/diplomacy/".to_string(),
                "#diplomacy".to_string()
            ),
            ("../../categories/diplomacy/".into(), "Diplomacy".into()),
            ("../../categories/trade/".into(), "Trade".into()),
        ]
    );
    // Term and list pages are in the sitemap.
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    let locs = xml_values(&sitemap, "loc");
    for url in [
        "categories/",
        "categories/trade/",
        "categories/diplomacy/",
        "tags/travel/",
    ] {
        assert!(
            locs.contains(&format!("https://example.org/{url}")),
            "{url} missing from {locs:?}"
        );
    }
    assert!(broken_refs(&out).is_empty(), "{:#?}", broken_refs(&out));
}

#[test]
fn a_taxonomy_with_feed_writes_an_atom_feed_per_term() {
    let s = site("taxonomies");
    let out = s.build(&[]);
    let xml = std::fs::read_to_string(out.join("categories/trade/atom.xml")).unwrap();
    common::assert_xml_escaped(&xml);
    assert_eq!(
        xml_values(&xml, "title"),
        ["Taxa · Trade", "The summit", "Tariffs"],
        "the term's dated notes, newest first"
    );
    assert!(xml.contains(
        "<link rel=\"self\" type=\"application/atom+xml\" href=\"https://example.org/categories/trade/atom.xml\"/>"
    ));
    assert!(xml.contains("<id>https://example.org/categories/trade/</id>"));
    assert!(xml.contains("<summary>Leaders met &amp; talked.</summary>"));
    // An undated note is in no feed.
    let diplomacy = std::fs::read_to_string(out.join("categories/diplomacy/atom.xml")).unwrap();
    assert_eq!(
        xml_values(&diplomacy, "title"),
        ["Taxa · Diplomacy", "The summit"]
    );
    // The term page announces its feed; tags have none (no `feed: true`).
    let trade = page(&out, "categories/trade/index.html");
    assert_eq!(
        common::attrs(&trade, "link[type='application/atom+xml']", "href"),
        ["../../atom.xml", "../../categories/trade/atom.xml"]
    );
    assert!(!out.join("tags/diplomacy/atom.xml").exists());
    // The site's own feed is unchanged: every dated page.
    let site_feed = std::fs::read_to_string(out.join("atom.xml")).unwrap();
    assert_eq!(
        xml_values(&site_feed, "title"),
        ["Taxa", "The summit", "Tariffs", "The visit"]
    );
}

#[test]
fn file_links_lead_to_the_term_pages_index_files() {
    let s = site("taxonomies");
    let out = s.build(&["--file-links"]);
    let list = page(&out, "categories/index.html");
    assert_eq!(
        hrefs(&list, "main li a"),
        [
            "../categories/diplomacy/index.html",
            "../categories/trade/index.html"
        ]
    );
    let summit = page(&out, "notes/summit/index.html");
    assert!(hrefs(&summit, "main p.muted a").contains(&"../../categories/trade/index.html".into()));
    assert_eq!(
        listed(&out, "categories/trade/index.html")[1],
        ("Tariffs".into(), "notes/tariffs/index.html".into())
    );
    assert!(broken_refs(&out).is_empty(), "{:#?}", broken_refs(&out));
}

#[test]
fn the_short_form_lists_names_and_an_empty_list_turns_taxonomies_off() {
    let s = site("taxonomies");
    s.write("site.yaml", "title: Taxa\ntaxonomies: [tags, categories]\n");
    let out = s.build(&[]);
    assert!(out.join("categories/trade/index.html").is_file());
    assert!(
        !out.join("categories/trade/atom.xml").exists(),
        "no feed unless asked"
    );
    let s = site("taxonomies");
    // Without `categories` listed, the key is no taxonomy: an unknown front-matter key.
    s.write("site.yaml", "title: Taxa\ntaxonomies: []\n");
    let r = s.cmd("build", &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_diagnostic(&r.stderr, "content/about.md:3:1", "categories: Diplomacy");
    for note in [
        "content/about.md",
        "content/notes/summit.md",
        "content/notes/tariffs.md",
    ] {
        let text = s.read(note);
        let kept: Vec<&str> = text
            .lines()
            .filter(|l| !l.starts_with("categories") && !l.starts_with("  - Trade"))
            .collect();
        s.write(note, kept.join("\n") + "\n");
    }
    let out = s.build(&[]);
    assert!(!out.join("tags").exists() && !out.join("categories").exists());
}

#[test]
fn a_misspelt_taxonomy_key_is_an_error_at_its_place_with_a_suggestion() {
    let s = site("taxonomies");
    s.write(
        "site.yaml",
        "title: Taxa\ntaxonomies: [{name: categories, feeds: true}]\n",
    );
    let r = s.cmd("build", &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_diagnostic(
        &r.stderr,
        "site.yaml:2:33",
        "taxonomies: [{name: categories, feeds: true}]",
    );
    assert!(
        r.stderr.contains("unknown key `feeds` in a taxonomy"),
        "{}",
        r.stderr
    );
    assert_help(&r.stderr, "did you mean `feed`?");
    assert!(!s.public().exists(), "nothing written");

    // Names are slugs, each listed once, and cannot take a front-matter key's name.
    s.write(
        "site.yaml",
        "title: Taxa\ntaxonomies:\n  - tags\n  - name: Big Ideas\n  - tags\n  - title\n",
    );
    let r = s.cmd("build", &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_diagnostic(&r.stderr, "site.yaml:4:5", "  - name: Big Ideas");
    assert!(
        r.stderr.contains("`Big Ideas` is not a slug"),
        "{}",
        r.stderr
    );
    assert_diagnostic(&r.stderr, "site.yaml:5:3", "  - tags");
    assert!(r.stderr.contains("taxonomy `tags` is listed twice"));
    assert_diagnostic(&r.stderr, "site.yaml:6:3", "  - title");
}

#[test]
fn editing_a_notes_categories_rebuilds_like_a_clean_build() {
    let s = site("taxonomies");
    let mut live = Live::new(&s);
    let note = "content/notes/tariffs.md";
    // A new category: its pages and feed appear.
    s.write(
        note,
        s.read(note)
            .replace("  - Trade\n", "  - Trade\n  - Economy\n"),
    );
    live.changed(note).unwrap();
    assert!(live.dir.join("categories/economy/atom.xml").is_file());
    live.assert_same_as_clean_build(&s, "category added");
    // A retitled note: the term pages and feeds that list it follow.
    s.write(
        note,
        s.read(note).replace("title: Tariffs", "title: Duties"),
    );
    let r = live.changed(note).unwrap();
    assert!(
        r.written
            .contains(&"categories/trade/index.html".to_string()),
        "{:?}",
        r.written
    );
    live.assert_same_as_clean_build(&s, "retitled");
    // Leaving a category with other notes: its page lists one note fewer.
    s.write(
        "content/notes/summit.md",
        s.read("content/notes/summit.md")
            .replace("[Diplomacy, Trade]", "[Diplomacy]"),
    );
    live.changed("content/notes/summit.md").unwrap();
    live.assert_same_as_clean_build(&s, "category left");
}
