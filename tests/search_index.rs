//! The search index as a reader's browser gets it: a manifest and shards (scripts) that pages do
//! not load until search is used, holding every page (notes, home, timeline, tags) with its kind,
//! without the blocks `search: {skip: …}` names, and kept equal to a clean build by `serve`.

mod common;

use common::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// The index of a built site, read back from its files.
struct Index {
    /// (label, first page id) of each kind, in order.
    kinds: Vec<(String, u64)>,
    /// `[title, path, description, [heading, …], [heading id, …], text]` of each page, in id order.
    pages: Vec<Value>,
    /// Each word's pages and fields.
    words: BTreeMap<String, Vec<(u32, u8)>>,
}

impl Index {
    fn page(&self, title: &str) -> (usize, &Value) {
        self.pages
            .iter()
            .enumerate()
            .find(|(_, p)| p[0] == title)
            .unwrap_or_else(|| panic!("no page titled {title:?} in {:?}", self.titles()))
    }

    fn titles(&self) -> Vec<&str> {
        self.pages.iter().map(|p| p[0].as_str().unwrap()).collect()
    }

    fn kind(&self, id: usize) -> &str {
        let k = self
            .kinds
            .iter()
            .rev()
            .find(|k| k.1 as usize <= id)
            .unwrap();
        &k.0
    }
}

/// `(key, data)` of one of the index's scripts.
fn script_data(bytes: &[u8]) -> (String, Value) {
    explainer::search::read_script(bytes).expect("an index script")
}

fn read_index(out: &Path) -> Index {
    let files = tree(out);
    let (key, m) = script_data(&files["search-index.js"]);
    assert_eq!(key, "index");
    let shards: BTreeMap<String, Value> = files
        .iter()
        .filter(|(p, _)| p.starts_with("search/"))
        .map(|(p, bytes)| {
            let (key, data) = script_data(bytes);
            assert!(p.starts_with(&format!("search/{key}-")), "{p} holds {key}");
            (key, data)
        })
        .collect();
    let count = |family: &str| m[format!("{family}h")].as_str().unwrap().len() / 8;
    assert_eq!(
        shards.len(),
        count("d") + count("t") + count("w"),
        "every shard is listed, and no other is in search/"
    );
    let mut pages = Vec::new();
    for i in 0..count("d") {
        pages.extend(shards[&format!("d{i}")].as_array().unwrap().iter().cloned());
    }
    assert_eq!(pages.len() as u64, m["n"].as_u64().unwrap());
    let mut words = BTreeMap::new();
    for i in 0..count("t") {
        let flat = shards[&format!("t{i}")].as_array().unwrap();
        for pair in flat.chunks(2) {
            let postings = explainer::search::read_postings(pair[1].as_str().unwrap()).unwrap();
            words.insert(pair[0].as_str().unwrap().to_string(), postings);
        }
    }
    let kinds = m["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| (k[0].as_str().unwrap().to_string(), k[1].as_u64().unwrap()))
        .collect();
    Index {
        kinds,
        pages,
        words,
    }
}

#[test]
fn every_page_is_indexed_with_its_kind() {
    let s = site("basic");
    let out = s.build(&[]);
    let index = read_index(&out);
    let labels: Vec<&str> = index.kinds.iter().map(|k| k.0.as_str()).collect();
    // The one section first, then pages outside sections (people/ has no _index.md), home,
    // the timeline and the tags.
    assert_eq!(labels, ["Topics", "Page", "Home", "Timeline", "Tag"]);
    let (home, page) = index.page("Home of the notes");
    assert_eq!(index.kind(home), "Home");
    assert_eq!(page[1], "");
    let (xi, page) = index.page("Xi's visit & the thaw");
    assert_eq!(index.kind(xi), "Topics");
    assert_eq!(page[1], "topics/xi-visit/");
    assert_eq!(page[2], "Will Xi Jinping visit Seoul?");
    assert_eq!(page[3], serde_json::json!(["Background", "Outlook"]));
    assert_eq!(page[4], serde_json::json!(["background", "outlook"]));
    let text = |page: &Value| page[5].as_str().unwrap().to_string();
    assert!(text(page).starts_with("Background Xi last came to Seoul in 2014."));
    let (person, _) = index.page("Xi Jinping");
    assert_eq!(index.kind(person), "Page");
    let (timeline, page) = index.page("Timeline");
    assert_eq!(index.kind(timeline), "Timeline");
    assert_eq!(page[1], "timeline/");
    assert!(text(page).contains("23 September 2023: Han Duck-soo meets Xi in Hangzhou"));
    let (tag, page) = index.page("diplomacy");
    assert_eq!(
        (index.kind(tag), page[1].as_str().unwrap()),
        ("Tag", "tags/diplomacy/")
    );
    // Drafts stay out.
    assert!(!index.titles().contains(&"Secret draft plan"));

    // Words with where they occur: title 8, heading 4, description 2, text 1.
    let fields = |word: &str, id: usize| {
        index.words[word]
            .iter()
            .find(|(p, _)| *p as usize == id)
            .map(|p| p.1)
    };
    assert_eq!(fields("thaw", xi), Some(8));
    assert_eq!(fields("background", xi), Some(4 | 1));
    assert_eq!(fields("seoul", xi), Some(2 | 1));
    assert_eq!(fields("hangzhou", timeline), Some(1));
    assert_eq!(fields("china", tag), None);
    assert!(
        !index.words.contains_key("x"),
        "one-letter words are not indexed"
    );
}

#[test]
fn pages_load_no_part_of_the_index_until_search_is_used() {
    let s = site("basic");
    let out = s.build(&[]);
    for rel in html_files(&out) {
        let html = page(&out, &rel);
        let scripts = attrs(&html, "script[src]", "src");
        assert!(
            scripts
                .iter()
                .all(|src| !src.contains("search-index") && !src.contains("search/")),
            "{rel} loads {scripts:?}"
        );
        if refresh_target(&html).is_none() {
            assert!(
                scripts.iter().any(|s| s.ends_with("search.js")),
                "{rel}: {scripts:?}"
            );
        }
    }
}

#[test]
fn blocks_starting_with_a_skip_text_are_left_out() {
    let s = site("basic");
    s.write(
        "content/people/xi-jinping.md",
        "---\ntitle: Xi Jinping\n---\n## Role\n\nPresident of the People's Republic of China.\n\n\
         Source: the usual paper, see Sources.\n\n- Source: listed too\n- Kept item\n",
    );
    let with = |yaml: &str| {
        let base = s.read("site.yaml");
        let base = base.split("\n# search\n").next().unwrap().to_string();
        s.write("site.yaml", format!("{base}\n# search\n{yaml}"));
        let out = s.build(&[]);
        let index = read_index(&out);
        let text = index.page("Xi Jinping").1[5].as_str().unwrap().to_string();
        (text, index.words.contains_key("usual"))
    };
    let (text, usual) = with("search: true\n");
    assert!(text.contains("Source: the usual paper") && usual, "{text}");
    let (text, usual) = with("search:\n  skip: [\"Source:\"]\n");
    assert_eq!(
        text,
        "Role President of the People’s Republic of China. Kept item"
    );
    assert!(!usual, "a skipped block's words are not indexed");
}

#[test]
fn file_links_index_paths_end_in_index_html() {
    let s = site("basic");
    let out = s.build(&["--file-links"]);
    let index = read_index(&out);
    assert_eq!(
        index.page("Xi's visit & the thaw").1[1],
        "topics/xi-visit/index.html"
    );
    assert_eq!(index.page("Home of the notes").1[1], "index.html");
    assert_eq!(index.page("Timeline").1[1], "timeline/index.html");
}

#[test]
fn serve_keeps_the_index_equal_to_a_clean_build() {
    let s = site("basic");
    let mut live = Live::new(&s);
    let note = "content/topics/xi-visit.md";
    s.write(
        note,
        s.read(note).replace("Xi last came", "Xi last travelled"),
    );
    live.changed(note).unwrap();
    live.assert_same_as_clean_build(&s, "a body edit");
    let index = read_index(&live.dir);
    let text = index.page("Xi's visit & the thaw").1[5].as_str().unwrap();
    assert!(
        text.contains("Xi last travelled") && index.words.contains_key("travelled"),
        "{text}"
    );
    // New events change the timeline's entry.
    s.write(
        note,
        s.read(note)
            .replace("Xi's last visit to Seoul", "Xi's state visit to Seoul"),
    );
    live.changed(note).unwrap();
    live.assert_same_as_clean_build(&s, "an event edit");
    // A title edit of another note, then the first note again.
    let other = "content/topics/russia-factor.md";
    s.write(
        other,
        s.read(other)
            .replace("The Russia factor", "The Moscow factor"),
    );
    live.changed(other).unwrap();
    live.assert_same_as_clean_build(&s, "a title edit");
    s.write(
        note,
        s.read(note).replace("Xi last travelled", "Xi last flew"),
    );
    live.changed(note).unwrap();
    live.assert_same_as_clean_build(&s, "a second body edit");
    assert!(read_index(&live.dir).words.contains_key("moscow"));
}
