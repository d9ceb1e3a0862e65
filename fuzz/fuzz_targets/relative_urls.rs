//! Relative URLs between two pages. Input: two `/`-separated paths (first two lines; an optional
//! third line is a heading for a fragment). Each path becomes a page URL the way `content::load`
//! makes one (`slugify` per segment, empty segments dropped, trailing `/`). The href written on
//! page a for page b, `root_prefix(a) + link_path(b, file_links)`, resolved like a browser from
//! every document that can show page a (also a as a file, like `404.html`), must land on page b.
#![no_main]

mod common;

use common::{assert_relative, browser_resolve, documents, expected_target};
use explainer::content::slugify;
use explainer::links::{link_path, root_prefix};
use explainer::markdown::heading_id;
use libfuzzer_sys::fuzz_target;

fn page_url(path: &str) -> String {
    path.split('/')
        .map(slugify)
        .filter(|s| !s.is_empty())
        .map(|s| format!("{s}/"))
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut lines = text.splitn(3, '\n');
    let a = page_url(lines.next().unwrap_or(""));
    let b = page_url(lines.next().unwrap_or(""));
    let fragment = lines.next().map(heading_id);

    for seg in a.split_terminator('/').chain(b.split_terminator('/')) {
        assert!(
            !seg.is_empty() && seg != "." && seg != "..",
            "slugify made segment `{seg}`"
        );
        assert!(
            !seg.contains(['/', '?', '#', '\\', ':', ' ']),
            "slugify made segment `{seg}`"
        );
    }

    // Page a as a directory URL, and as a file at the same depth (like `a/404.html`).
    for from in [a.clone(), format!("{a}404.html")] {
        let prefix = root_prefix(&from);
        assert_relative(&prefix);
        for doc in documents(&from, false) {
            assert_eq!(
                browser_resolve(&doc, &prefix),
                "/",
                "root prefix `{prefix}` from `{doc}`"
            );
        }
        for file_links in [false, true] {
            let mut href = format!("{prefix}{}", link_path(&b, file_links));
            if let Some(f) = &fragment {
                href.push('#');
                href.push_str(f);
            }
            assert_relative(&href);
            let expected = expected_target(&b, file_links);
            for doc in documents(&from, file_links) {
                assert_eq!(
                    browser_resolve(&doc, &href),
                    expected,
                    "from `{from}` (document `{doc}`) the link `{href}` to `{b}`"
                );
            }
        }
    }
});
