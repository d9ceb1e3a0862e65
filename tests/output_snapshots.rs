//! Whole outputs of the `basic` fixture, built with the built-in templates, as snapshots: the
//! guard that performance work keeps every byte of a site the same. Review changes with
//! `INSTA_UPDATE=always cargo test --test output_snapshots` and a diff of tests/snapshots/.

mod common;

use common::*;

/// The outputs compared: a page with links, headings, tags and backlinks; home; a section; the
/// tag list and a tag page; the timeline; 404; feed, sitemap and the search index.
const FILES: &[&str] = &[
    "topics/xi-visit/index.html",
    "index.html",
    "topics/index.html",
    "tags/index.html",
    "tags/china/index.html",
    "timeline/index.html",
    "404.html",
    "atom.xml",
    "sitemap.xml",
    "search-index.js",
];

fn snapshot_all(out: &std::path::Path, prefix: &str) {
    let tree = tree(out);
    for file in FILES {
        let bytes = tree
            .get(*file)
            .unwrap_or_else(|| panic!("{file} was not written; outputs: {:?}", tree.keys()));
        let text = String::from_utf8(bytes.clone()).expect("outputs are UTF-8");
        let name = format!("{prefix}{}", file.replace('/', "__"));
        insta::assert_snapshot!(name, text);
    }
}

#[test]
fn built_in_templates_write_the_same_bytes() {
    let s = site("basic");
    let out = s.build(&[]);
    snapshot_all(&out, "");
}

#[test]
fn file_links_write_the_same_bytes() {
    let s = site("basic");
    let out = s.build(&["--file-links"]);
    snapshot_all(&out, "file_links__");
}
