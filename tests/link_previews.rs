//! Link previews: `previews.js` and its data files (`previews/<n>.js`), sharded by a hash of each
//! note's URL so a page loads a small file, and kept in step with edits. The browser side is
//! tested in tests/browser/previews.mjs.

mod common;

use common::*;
use explainer::previews::{shard_of, shards};

/// Every `"url":["title","description"]` entry of the data files, with the shard it is in.
fn entries(out: &std::path::Path) -> Vec<(usize, String, String, String)> {
    let mut found = Vec::new();
    for (name, bytes) in tree(&out.join("previews")) {
        let n: usize = name
            .trim_end_matches(".js")
            .parse()
            .expect("a shard number");
        let text = String::from_utf8(bytes).unwrap();
        let json = text
            .strip_prefix("explainerPreviews(")
            .and_then(|t| t.strip_suffix(");\n"))
            .unwrap_or_else(|| panic!("previews/{name} is not one explainerPreviews(…) call"));
        assert!(
            !json.contains("</"),
            "previews/{name} is not safe in a script"
        );
        let map: serde_json::Map<String, serde_json::Value> = serde_json::from_str(json).unwrap();
        for (url, v) in map {
            let pair = v.as_array().unwrap();
            let text = |k: usize| pair[k].as_str().unwrap().to_string();
            found.push((n, url, text(0), text(1)));
        }
    }
    found
}

#[test]
fn every_note_has_a_preview_and_pages_load_the_script_from_their_root() {
    let s = site("note-maps");
    let out = s.build(&[]);
    let found = entries(&out);
    assert_eq!(found.len(), 11, "one entry per note: {found:?}");
    let hub = found
        .iter()
        .find(|e| e.1 == "hub/")
        .expect("the hub's entry");
    assert_eq!(
        (hub.2.as_str(), hub.3.as_str()),
        (
            "The hub note, whose title is long enough to need two lines",
            "Where every link of the test site meets."
        )
    );
    // Without a description, the beginning of the text stands in.
    let out1 = found.iter().find(|e| e.1 == "notes/out-1/").unwrap();
    assert_eq!(
        out1.3,
        "A note the hub links to, number 1. Nothing else is said here."
    );
    assert!(found.iter().any(|e| e.1.is_empty() && e.2 == "Home"));
    let script = std::fs::read_to_string(out.join("previews.js")).unwrap();
    assert!(
        script.starts_with("var explainerPreviewShards=1;\n"),
        "{script}"
    );
    for (rel, root) in [
        ("index.html", "./"),
        ("hub/index.html", "../"),
        ("deep/nested/leaf/index.html", "../../../"),
    ] {
        let html = page(&out, rel);
        assert_eq!(
            attrs(&html, "script[data-root]", "src")
                .into_iter()
                .filter(|s| s.ends_with("previews.js"))
                .collect::<Vec<_>>(),
            [format!("{root}previews.js")],
            "{rel}"
        );
    }
}

#[test]
fn a_large_site_gets_small_shards_each_note_where_the_script_looks() {
    let s = site("note-maps");
    let long = "A description as long as a preview shows, and longer still, ".repeat(8);
    for k in 0..400 {
        s.write(
            &format!("content/bulk/n{k:03}.md"),
            format!(
                "---\ntitle: \"Note number {k}, with a title of a fair length for a note\"\ndescription: \"{long}\"\n---\nText.\n"
            ),
        );
    }
    let out = s.build(&[]);
    let count = shards(411);
    assert_eq!(count, 9);
    let script = std::fs::read_to_string(out.join("previews.js")).unwrap();
    assert!(script.starts_with(&format!("var explainerPreviewShards={count};\n")));
    let files = tree(&out.join("previews"));
    assert_eq!(files.len(), count);
    for (name, bytes) in &files {
        assert!(
            bytes.len() <= 50_000,
            "previews/{name} is {} bytes",
            bytes.len()
        );
    }
    let found = entries(&out);
    assert_eq!(found.len(), 411);
    for (n, url, _, desc) in &found {
        assert_eq!(*n, shard_of(url, count), "{url}");
        assert!(desc.len() <= 240 + '…'.len_utf8(), "{url}: {desc}");
    }
}

#[test]
fn previews_off_writes_no_script_and_no_data() {
    let s = site("note-maps");
    let yaml = s.read("site.yaml");
    s.write("site.yaml", format!("{yaml}previews: false\n"));
    let out = s.build(&[]);
    assert!(!out.join("previews.js").exists());
    assert!(!out.join("previews").exists());
    let html = std::fs::read_to_string(out.join(HUB_PAGE)).unwrap();
    assert!(!html.contains("previews.js"));
}

const HUB_PAGE: &str = "hub/index.html";

#[test]
fn an_edit_rewrites_the_shard_of_the_note_and_nothing_else() {
    let s = site("note-maps");
    let mut live = Live::new(&s);
    let rel = "content/notes/out-1.md";
    let text = s.read(rel);
    s.write(
        rel,
        text.replacen(
            "title: Out 1",
            "title: Out 1\ndescription: Now described.",
            1,
        ),
    );
    let rebuilt = live.changed(rel).expect("rebuild");
    assert!(
        rebuilt.written.iter().any(|w| w == "previews/0.js"),
        "{:?}",
        rebuilt.written
    );
    let found = entries(&live.dir);
    let e = found.iter().find(|e| e.1 == "notes/out-1/").unwrap();
    assert_eq!(e.3, "Now described.");
    live.assert_same_as_clean_build(&s, "a new description");
    // A body edit that leaves the preview as it was does not rewrite the data.
    let text = s.read("content/hub.md");
    s.write("content/hub.md", format!("{text}\nOne more line.\n"));
    let rebuilt = live.changed("content/hub.md").expect("rebuild");
    assert!(
        !rebuilt.written.iter().any(|w| w.starts_with("previews/")),
        "{:?}",
        rebuilt.written
    );
    live.assert_same_as_clean_build(&s, "a body edit");
}
