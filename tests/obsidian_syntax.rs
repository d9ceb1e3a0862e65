//! Obsidian's Markdown dialect on a fixture vault (`tests/fixtures/obsidian-syntax`): comments,
//! callouts, highlights, inline tags and math, checked in the built HTML, search index and feed.

mod common;

use common::*;

fn built() -> (Site, std::path::PathBuf) {
    let s = site("obsidian-syntax");
    let out = s.build(&[]);
    (s, out)
}

fn read(out: &std::path::Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap()
}

#[test]
fn comment_text_is_never_published() {
    let (_s, out) = built();
    for (rel, bytes) in tree(&out) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("SECRET"), "{rel} publishes comment text");
    }
    // The search index, the feed and the page's metadata were among the files checked above;
    // make sure they exist and show the note.
    assert!(read(&out, "search-index.js").contains("Last visible words"));
    assert!(read(&out, "atom.xml").contains("What the reader sees"));
    let html = read(&out, "comments/index.html");
    assert!(html.contains("application/ld+json"));
}

#[test]
fn comments_render_as_obsidian_shows_them() {
    let (_s, out) = built();
    let html = page(&out, "comments/index.html");
    let paras = texts(&html, "article > p");
    let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let paras: Vec<String> = paras.iter().map(|p| squash(p)).collect();
    assert!(
        paras.contains(&"Visible before visible after.".to_string()),
        "{paras:#?}"
    );
    // A comment opening a line leaves no code block; one ending a line leaves no line break.
    assert!(
        paras.contains(
            &"Text after a comment that opens its line. Text before a comment at the end of a line continues the same paragraph."
                .to_string()
        ),
        "{paras:#?}"
    );
    assert!(html.select(&sel("article br")).next().is_none());
    // A block comment leaves no empty paragraph.
    assert!(!paras.iter().any(|p| p.is_empty()), "{paras:#?}");
    // `%%` in code is literal.
    assert_eq!(texts(&html, "article p code"), vec!["%%not a comment%%"]);
    assert_eq!(
        texts(&html, "article pre code"),
        vec!["%%also not a comment%%"]
    );
    assert_eq!(attrs(&html, "article h2", "id"), vec!["heading"]);
    assert_eq!(paras.last().unwrap(), "Last visible words.");
}

#[test]
fn links_inside_comments_are_not_links() {
    let s = site("obsidian-syntax");
    // `nowhere.md` and `[[missing-inline]]` inside comments would be broken links.
    let r = s.cmd("build", &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("nowhere"), "{}", r.stderr);
    assert!(!r.stderr.contains("missing-inline"), "{}", r.stderr);
    // `[[highlights]]` and `[[callouts]]` inside comments give no backlinks.
    let out = s.public();
    for note in ["callouts", "highlights"] {
        let html = page(&out, &format!("{note}/index.html"));
        let backlinks = texts(&html, "aside[aria-labelledby=x-backlinks] li");
        assert!(
            !backlinks.contains(&"Comments".to_string()),
            "{note}: {backlinks:?}"
        );
    }
}
