//! What search engines and browsers read from every page of the built-in templates: a meta
//! description on every page (the note's, else the site's, else a line worded from titles) and
//! an icon, so no browser asks for a missing `/favicon.ico`.
//!
//! The `pagination` fixture has no site description and long lists (pages at `page/2/`); the
//! `basic` fixture has a site description.

mod common;

use common::{attrs, broken_refs, html_files, page, refresh_target, resolve_href, site};
use std::path::Path;

/// The meta description of the page at `rel` (one, or the test fails).
fn description(out: &Path, rel: &str) -> String {
    let found = attrs(&page(out, rel), r#"meta[name="description"]"#, "content");
    assert_eq!(found.len(), 1, "{rel}: meta descriptions {found:?}");
    found[0].clone()
}

#[test]
fn every_page_has_a_description_worded_from_titles_when_the_site_has_none() {
    let s = site("pagination");
    let out = s.build(&[]);
    let files = html_files(&out);
    assert!(files.len() > 20, "{files:?}");
    for f in &files {
        assert!(!description(&out, f).trim().is_empty(), "{f}: empty");
    }
    let said = |rel: &str| description(&out, rel);
    assert_eq!(said("tags/all/index.html"), "Notes tagged “all” on Paged.");
    assert_eq!(
        said("tags/all/page/2/index.html"),
        "Notes tagged “all” on Paged."
    );
    assert_eq!(
        said("tags/index.html"),
        "Every tag on Paged, with how many notes carry it."
    );
    assert!(
        said("notes/page/2/index.html").starts_with("Notes in “"),
        "{}",
        said("notes/page/2/index.html")
    );
    assert!(said("timeline/index.html").starts_with("The timeline of Paged"));
    assert!(said("404.html").contains("no page at this address on Paged"));
}

#[test]
fn a_page_without_a_description_of_its_own_gets_the_site_s() {
    let s = site("basic");
    let out = s.build(&[]);
    let site_description = "A small fixture site for the explainer integration tests.";
    for f in ["tags/index.html", "timeline/index.html", "404.html"] {
        assert_eq!(description(&out, f), site_description, "{f}");
    }
    // Alias redirects are no pages of their own.
    let pages = html_files(&out)
        .into_iter()
        .filter(|f| refresh_target(&page(&out, f)).is_none());
    for f in pages {
        assert!(!description(&out, &f).trim().is_empty(), "{f}: empty");
    }
}

#[test]
fn every_page_links_the_built_in_icon_relative_to_itself() {
    for args in [&[][..], &["--file-links"][..]] {
        let s = site("pagination");
        let out = s.build(args);
        let icon = std::fs::read_to_string(out.join("favicon.svg")).unwrap();
        assert!(icon.starts_with("<svg"), "{icon}");
        for f in html_files(&out).into_iter().filter(|f| f != "404.html") {
            let hrefs = attrs(&page(&out, &f), r#"link[rel="icon"]"#, "href");
            assert_eq!(hrefs.len(), 1, "{f} ({args:?}): {hrefs:?}");
            let target = resolve_href(&f, &hrefs[0]).map(|(file, _)| file);
            assert_eq!(target.as_deref(), Some("favicon.svg"), "{f} ({args:?})");
        }
        // 404.html links it from the site's path (it is served at any depth).
        assert_eq!(
            attrs(&page(&out, "404.html"), r#"link[rel="icon"]"#, "href"),
            [if args.is_empty() {
                "/sub/favicon.svg"
            } else {
                "./favicon.svg"
            }]
        );
        assert_eq!(broken_refs(&out), Vec::<String>::new(), "{args:?}");
    }
}

#[test]
fn a_favicon_of_the_project_replaces_the_built_in_one() {
    let s = site("pagination");
    let own = r#"<svg xmlns="http://www.w3.org/2000/svg"><title>own</title></svg>"#;
    s.write("static/favicon.svg", own);
    let out = s.build(&[]);
    assert_eq!(
        std::fs::read_to_string(out.join("favicon.svg")).unwrap(),
        own
    );
}
