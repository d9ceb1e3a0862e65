//! Pagination of section and tag lists (`paginate_by`), as Zola users know it: the first page at
//! the list's own URL, the others at `page/2/`, …; `rel="prev"`/`"next"` links and a pager; the
//! `paginator` template value; the sitemap; URL clashes; and incremental rebuilds that render
//! only the pages of a list whose notes moved or changed.
//!
//! The `pagination` fixture: `notes/` holds seven notes (`paginate_by: 3`, in weight order
//! `Note 1` … `Note 7`, each linking to the next); `custom/` (three notes, `paginate_by: 2`)
//! uses a template of the project's own that prints the `paginator`; site.yaml sets
//! `paginate_by: 2` for the rest, so the tag `all` (seven notes) has four pages and `shared`
//! (notes 1–5) three.

mod common;

use common::{Live, attrs, broken_refs, page, resolve_href, site, texts};
use std::path::Path;

/// The titles a page of the built-in section or term template lists.
fn listed(out: &Path, rel: &str) -> Vec<String> {
    texts(&page(out, rel), "main ul li > a:first-child")
}

fn exists(out: &Path, rel: &str) -> bool {
    out.join(rel).is_file()
}

#[test]
fn a_section_is_split_into_pages_the_first_at_its_own_url() {
    let s = site("pagination");
    let out = s.build(&[]);
    assert_eq!(
        listed(&out, "notes/index.html"),
        ["Note 1", "Note 2", "Note 3"]
    );
    assert_eq!(
        listed(&out, "notes/page/2/index.html"),
        ["Note 4", "Note 5", "Note 6"]
    );
    assert_eq!(listed(&out, "notes/page/3/index.html"), ["Note 7"]);
    assert!(
        !exists(&out, "notes/page/1/index.html"),
        "page 1 is the section's URL"
    );
    assert!(!exists(&out, "notes/page/4/index.html"));
    // The section's text on its first page only; later pages say which page they are.
    let first = page(&out, "notes/index.html");
    assert_eq!(texts(&first, "main h1"), ["Notes"]);
    assert!(texts(&first, "main p").contains(&"Seven notes, three a page.".to_string()));
    let second = page(&out, "notes/page/2/index.html");
    assert_eq!(texts(&second, "main h1"), ["Notes (page 2 of 3)"]);
    assert_eq!(texts(&second, "title"), ["Notes, page 2 of 3 · Paged"]);
    assert!(
        !texts(&second, "main p")
            .iter()
            .any(|p| p.contains("Seven notes"))
    );
    // Each page is its own canonical URL, under the site's subpath.
    assert_eq!(
        attrs(&second, "link[rel=canonical]", "href"),
        ["https://example.org/sub/notes/page/2/"]
    );
    // The listed notes still say where they are linked from.
    assert_eq!(
        texts(&second, "main li.listed .desc"),
        [
            "Linked from Note 3",
            "Linked from Note 4",
            "Linked from Note 5"
        ]
    );
}

#[test]
fn tag_pages_are_paginated_by_the_site_default() {
    let s = site("pagination");
    let out = s.build(&[]);
    assert_eq!(listed(&out, "tags/shared/index.html"), ["Note 1", "Note 2"]);
    assert_eq!(
        listed(&out, "tags/shared/page/2/index.html"),
        ["Note 3", "Note 4"]
    );
    assert_eq!(listed(&out, "tags/shared/page/3/index.html"), ["Note 5"]);
    assert!(!exists(&out, "tags/shared/page/4/index.html"));
    assert!(exists(&out, "tags/all/page/4/index.html"));
    assert!(!exists(&out, "tags/all/page/5/index.html"));
    let third = page(&out, "tags/shared/page/3/index.html");
    assert_eq!(texts(&third, "title"), ["shared, page 3 of 3 · Paged"]);
}

/// Where each `rel` link and pager link of every page of a list leads, as output files.
fn pager_targets(out: &Path, rel: &str, css: &str) -> Vec<String> {
    attrs(&page(out, rel), css, "href")
        .iter()
        .map(|h| resolve_href(rel, h).expect("a relative link").0)
        .collect()
}

#[test]
fn rel_links_and_the_pager_lead_to_the_next_and_previous_pages() {
    for flags in [&[][..], &["--file-links"][..]] {
        let s = site("pagination");
        let out = s.build(flags);
        let (one, two, three) = (
            "notes/index.html",
            "notes/page/2/index.html",
            "notes/page/3/index.html",
        );
        for (k, at, prev, next) in [
            (1, one, vec![], vec![two]),
            (2, two, vec![one], vec![three]),
            (3, three, vec![two], vec![]),
        ] {
            assert_eq!(
                pager_targets(&out, at, "link[rel=prev]"),
                prev,
                "{at} {flags:?}"
            );
            assert_eq!(
                pager_targets(&out, at, "link[rel=next]"),
                next,
                "{at} {flags:?}"
            );
            assert_eq!(pager_targets(&out, at, "nav.pager a[rel=prev]"), prev);
            assert_eq!(pager_targets(&out, at, "nav.pager a[rel=next]"), next);
            assert_eq!(
                texts(&page(&out, at), "nav.pager [aria-current=page]"),
                [format!("Page {k} of 3")]
            );
        }
        // The first page jumps to the last, the last to the first.
        assert!(pager_targets(&out, one, "nav.pager a").contains(&three.to_string()));
        assert!(pager_targets(&out, three, "nav.pager a").contains(&one.to_string()));
        if flags.is_empty() {
            assert_eq!(
                attrs(&page(&out, two), "link[rel=next]", "href"),
                ["../../../notes/page/3/"]
            );
        } else {
            assert_eq!(
                attrs(&page(&out, two), "link[rel=next]", "href"),
                ["../../../notes/page/3/index.html"]
            );
        }
        let broken = broken_refs(&out);
        assert!(broken.is_empty(), "{flags:?}:\n{}", broken.join("\n"));
    }
}

#[test]
fn the_paginator_reaches_templates_of_the_project() {
    let s = site("pagination");
    for (flags, suffix) in [(&[][..], ""), (&["--file-links"][..], "index.html")] {
        let out = s.build(flags);
        let values = |rel: &str| {
            let html = page(&out, rel);
            let dl = html.select(&common::sel("#paginator")).next().unwrap();
            let v = dl.value();
            [
                "current-index",
                "number-pagers",
                "paginate-by",
                "total-pages",
                "first",
                "last",
                "previous",
                "next",
                "section-pages",
            ]
            .map(|k| v.attr(&format!("data-{k}")).unwrap().to_string())
        };
        let p = |path: &str| format!("{path}{suffix}");
        assert_eq!(
            values("custom/index.html"),
            [
                "1".into(),
                "2".into(),
                "2".into(),
                "3".into(),
                p("custom/"),
                p("custom/page/2/"),
                String::new(),
                p("custom/page/2/"),
                "0".into(),
            ],
            "page 1 {flags:?}: `section.pages` is empty, the notes are in `paginator.pages`"
        );
        assert_eq!(
            values("custom/page/2/index.html"),
            [
                "2".into(),
                "2".into(),
                "2".into(),
                "3".into(),
                p("custom/"),
                p("custom/page/2/"),
                p("custom/"),
                String::new(),
                "0".into(),
            ]
        );
        assert_eq!(listed(&out, "custom/page/2/index.html"), ["Custom c"]);
    }
}

#[test]
fn the_sitemap_lists_every_page_of_every_list() {
    let s = site("pagination");
    let out = s.build(&[]);
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    for url in [
        "notes/",
        "notes/page/2/",
        "notes/page/3/",
        "custom/page/2/",
        "tags/shared/page/3/",
        "tags/all/page/4/",
    ] {
        let loc = format!("<loc>https://example.org/sub/{url}</loc>");
        assert!(sitemap.contains(&loc), "{url} missing:\n{sitemap}");
    }
    assert!(!sitemap.contains("page/1/"));
    assert!(!sitemap.contains("notes/page/4/"));
}

/// Sets `paginate_by` in `content/notes/_index.md` (3 in the fixture).
fn notes_paginate_by(s: &common::Site, n: usize) {
    let notes = s.read("content/notes/_index.md");
    let text = notes.replace("paginate_by: 3", &format!("paginate_by: {n}"));
    s.write("content/notes/_index.md", text);
}

/// `notes/` is one page listing `count` notes, without pager or rel links.
fn notes_on_one_page(out: &Path, count: usize) {
    assert_eq!(listed(out, "notes/index.html").len(), count);
    assert!(!exists(out, "notes/page/2/index.html"));
    let first = page(out, "notes/index.html");
    assert!(attrs(&first, "link[rel=next]", "href").is_empty());
    assert!(texts(&first, "nav.pager").is_empty());
}

/// A run's stderr says each of `wanted`.
fn says(r: &common::Run, wanted: &[&str]) {
    for w in wanted {
        assert!(r.stderr.contains(w), "{w:?} not in:\n{}", r.stderr);
    }
}

#[test]
fn paginate_by_zero_turns_pagination_off() {
    let s = site("pagination");
    s.write("site.yaml", "title: Paged\npaginate_by: 0\n");
    notes_paginate_by(&s, 0);
    let out = s.build(&[]);
    notes_on_one_page(&out, 7);
    assert_eq!(listed(&out, "tags/all/index.html").len(), 7);
    assert!(!exists(&out, "tags/all/page/2/index.html"));
}

#[test]
fn a_note_where_a_list_writes_its_pages_is_an_error_at_the_note() {
    let s = site("pagination");
    s.write(
        "content/notes/extra.md",
        "---\ntitle: Extra\nslug: page\n---\nSee [note 1](note-1.md).\n",
    );
    let r = s.cmd("build", &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    says(
        &r,
        &[
            // At the line of the slug that makes the URL.
            "content/notes/extra.md:3:",
            "this note's URL `/notes/page/` lies where the list of content/notes/_index.md \
             writes its later pages (`/notes/page/2/`, …)",
            "`paginate_by: 0` in content/notes/_index.md",
        ],
    );
    // A list of one page writes nothing into `page/`: no clash.
    notes_paginate_by(&s, 10);
    notes_on_one_page(&s.build(&[]), 8);
}

#[test]
fn paginate_by_where_it_does_nothing_is_a_warning() {
    let s = site("pagination");
    let note = s.read("content/notes/note-1.md");
    s.write(
        "content/notes/note-1.md",
        note.replace("weight: 1", "weight: 1\npaginate_by: 5"),
    );
    let home = s.read("content/_index.md");
    s.write(
        "content/_index.md",
        home.replace("title: Paged", "title: Paged\npaginate_by: 5"),
    );
    let r = s.cmd("build", &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    says(
        &r,
        &[
            "`paginate_by` only applies to a section's `_index.md`",
            "content/notes/note-1.md:4:",
            // The built-in home template prints its list whole, without `paginator`.
            "this list's template never reads `paginator`",
        ],
    );
    s.write("site.yaml", "title: Paged\npaginate_by: -1\n");
    let r = s.cmd("build", &[]);
    assert_eq!(r.code, 1);
    says(&r, &["`paginate_by` must be a whole number, 0 or more"]);
}

/// HTML pages a rebuild wrote or removed.
fn written(r: &explainer::serve::Rebuilt) -> Vec<&str> {
    r.written
        .iter()
        .filter(|p| p.ends_with(".html"))
        .map(String::as_str)
        .collect()
}

fn edit(s: &common::Site, rel: &str, from: &str, to: &str) {
    let text = s.read(rel);
    assert!(text.contains(from), "{rel} does not contain {from:?}");
    s.write(rel, text.replacen(from, to, 1));
}

#[test]
fn incremental_rebuilds_render_only_the_pages_whose_lists_changed() {
    let s = site("pagination");
    let mut live = Live::new(&s);

    // A body edit renders the note's own page, no page of any list.
    edit(&s, "content/notes/note-5.md", "of seven", "of all seven");
    let r = live.changed("content/notes/note-5.md").unwrap();
    assert_eq!(r.pages, 1, "rendered: {:?}", r.written);
    assert_eq!(written(&r), ["notes/note-5/index.html"]);
    live.assert_same_as_clean_build(&s, "body edit");

    // A title edit renders the one page of each list that shows the note, not the others.
    edit(
        &s,
        "content/notes/note-5.md",
        "title: Note 5",
        "title: Note 5b",
    );
    let r = live.changed("content/notes/note-5.md").unwrap();
    let w = written(&r);
    // Not `notes/index.html`, `notes/page/3/`, nor the other pages of the tags.
    assert_eq!(
        w,
        [
            "graph/index.html",
            "notes/note-4/index.html",
            "notes/note-5/index.html",
            "notes/note-6/index.html",
            "notes/page/2/index.html",
            "tags/all/page/3/index.html",
            "tags/shared/page/3/index.html",
        ]
    );
    // The note, the two around it (links, backlinks, previous and next), the home page (its
    // subsections carry their notes), the three list pages that show the note, and the graph page.
    assert_eq!(r.pages, 8, "written: {w:?}");
    live.assert_same_as_clean_build(&s, "title edit");

    // A weight edit moves a note from the first page to the last: the pages between change.
    edit(&s, "content/notes/note-2.md", "weight: 2", "weight: 9");
    let r = live.changed("content/notes/note-2.md").unwrap();
    let w = written(&r);
    for moved in [
        "notes/index.html",
        "notes/page/2/index.html",
        "notes/page/3/index.html",
    ] {
        assert!(w.contains(&moved), "{moved} not written: {w:?}");
    }
    live.assert_same_as_clean_build(&s, "weight edit");

    // A tag taken off leaves `shared` with two pages: its third is removed.
    edit(&s, "content/notes/note-5.md", "[all, shared]", "[all]");
    let r = live.changed("content/notes/note-5.md").unwrap();
    assert!(
        r.written
            .contains(&"tags/shared/page/3/index.html".to_string()),
        "{:?}",
        r.written
    );
    assert!(!live.dir.join("tags/shared/page/3/index.html").exists());
    live.assert_same_as_clean_build(&s, "tag removed");

    // A tag put back gives `shared` its third page again.
    edit(&s, "content/notes/note-5.md", "[all]", "[all, shared]");
    live.changed("content/notes/note-5.md").unwrap();
    assert!(live.dir.join("tags/shared/page/3/index.html").exists());
    live.assert_same_as_clean_build(&s, "tag added");

    // Notes added and removed change how many pages a list has.
    for k in [8, 9, 10] {
        s.write(
            &format!("content/notes/note-{k}.md"),
            format!("---\ntitle: Note {k}\nweight: {k}\n---\nAfter [note 1](note-1.md).\n"),
        );
        live.changed(&format!("content/notes/note-{k}.md")).unwrap();
    }
    assert!(live.dir.join("notes/page/4/index.html").exists());
    live.assert_same_as_clean_build(&s, "notes added");
    std::fs::remove_file(s.root().join("content/notes/note-10.md")).unwrap();
    live.changed("content/notes/note-10.md").unwrap();
    assert!(!live.dir.join("notes/page/4/index.html").exists());
    live.assert_same_as_clean_build(&s, "note removed");
}
