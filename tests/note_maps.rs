//! Note maps (`page.map_svg`): each note page draws the note, the notes linking to it and the notes
//! it links to as inline SVG whose nodes are links; crowded notes are bounded; the maps follow
//! incremental edits.

mod common;

use common::*;
use scraper::{ElementRef, Html};

const HUB: &str = "hub/index.html";

/// The map of a built page: the `<svg class="note-map">` element.
fn map<'a>(html: &'a Html, page_path: &str) -> ElementRef<'a> {
    html.select(&sel("svg.note-map"))
        .next()
        .unwrap_or_else(|| panic!("{page_path} has no note map"))
}

/// The map's node links, in document order: (href, the link's accessible name: its `<title>`
/// when the drawn title is cut short, else the drawn text, and its band: `in`, `both` or `out`).
fn nodes(svg: &ElementRef<'_>) -> Vec<(String, String, String)> {
    let mut found = Vec::new();
    for band in ["in", "both", "out"] {
        for a in svg.select(&sel(&format!("g.map-{band} a"))) {
            let drawn = a.select(&sel("text")).map(|t| text_of(&t)).collect();
            let name = a
                .select(&sel("title"))
                .next()
                .map_or(drawn, |t| text_of(&t));
            let href = a.value().attr("href").unwrap().to_string();
            found.push((href, name, band.to_string()));
        }
    }
    found
}

/// The `<h1>` of the page a map link from `from` leads to (the file must exist).
fn target_title(out: &std::path::Path, from: &str, href: &str) -> String {
    let (file, _) = resolve_href(from, href).expect("href stays inside the site");
    assert!(
        out.join(&file).is_file(),
        "{from}: {href} → {file} is missing"
    );
    texts(&page(out, &file), "h1").join("")
}

#[test]
fn a_note_map_shows_the_note_its_backlinks_and_its_links_as_relative_links() {
    let s = site("note-maps");
    let out = s.build(&[]);
    let html = page(&out, HUB);
    let svg = map(&html, HUB);

    // Text alternative: a title naming the note, a description counting the links.
    let title = texts(&html, "svg.note-map > title").join("");
    assert_eq!(
        title,
        "Links of The hub note, whose title is long enough to need two lines"
    );
    let desc = texts(&html, "svg.note-map > desc").join("");
    assert_eq!(
        desc,
        "Linked from 5 notes; links to 4 notes, 1 of them both ways."
    );

    // Linked from (note order), then linked both ways, then links to (order of appearance).
    let found = nodes(&svg);
    let names: Vec<(&str, &str)> = found
        .iter()
        .map(|(_, n, band)| (band.as_str(), n.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("in", "Home"),
            ("in", "Leaf, two folders down"),
            ("in", "In 1"),
            ("in", "In 2"),
            ("both", "Mutual"),
            ("out", "Out 1"),
            ("out", "Out 2"),
            ("out", "Out 3"),
        ]
    );
    for (href, name, _) in &found {
        assert!(!href.starts_with('/') && !href.contains("://"), "{href}");
        assert_eq!(&target_title(&out, HUB, href), name, "{href}");
    }
    // Every link in document order is a node (nothing outside the bands).
    assert_eq!(svg.select(&sel("a")).count(), found.len());
    assert_eq!(found[0].0, "../", "the home page, relative to hub/");

    // The note itself: highlighted, drawn on two lines, not a link, and not read out again
    // (the map's title names it).
    let me = svg
        .select(&sel("g.map-self"))
        .next()
        .expect("the note's node");
    let lines: Vec<String> = me.select(&sel("tspan")).map(|t| text_of(&t)).collect();
    assert_eq!(
        lines.join(" "),
        "The hub note, whose title is long enough to need two lines"
    );
    assert_eq!(lines.len(), 2, "wrapped on two lines: {lines:?}");
    assert_eq!(me.select(&sel("a")).count(), 0);
    assert_eq!(me.value().attr("aria-hidden"), Some("true"));
    // Lines and arrowheads say nothing to assistive technology.
    for g in svg.select(&sel("g.map-edges, g.map-heads")) {
        assert_eq!(g.value().attr("aria-hidden"), Some("true"));
    }

    // A page two folders down links with `../../`; a note without links draws no map.
    let leaf = page(&out, "deep/nested/leaf/index.html");
    let leaf_nodes = nodes(&map(&leaf, "leaf"));
    assert_eq!(
        leaf_nodes
            .iter()
            .map(|(h, ..)| h.as_str())
            .collect::<Vec<_>>(),
        ["../../../hub/", "../../../notes/in-1/"]
    );
    let lonely = page(&out, "lonely/index.html");
    assert_eq!(lonely.select(&sel("svg.note-map")).count(), 0);
    assert!(texts(&lonely, "h2").iter().all(|h| h != "Map of links"));
}

#[test]
fn file_links_maps_point_at_index_files() {
    let s = site("note-maps");
    let out = s.build(&["--file-links"]);
    let html = page(&out, HUB);
    for (href, ..) in nodes(&map(&html, HUB)) {
        assert!(href.ends_with("index.html"), "{href}");
        target_title(&out, HUB, &href);
    }
}

#[test]
fn a_crowded_note_draws_at_most_twelve_neighbours_and_counts_the_rest() {
    let s = site("note-maps");
    // 30 more notes link to the hub, and the hub links to 20 more.
    for k in 0..30 {
        s.write(
            &format!("content/many/in-{k:02}.md"),
            format!("---\ntitle: Many in {k:02}\n---\nSee [[hub]].\n"),
        );
    }
    let mut hub = s.read("content/hub.md");
    for k in 0..20 {
        s.write(
            &format!("content/many/out-{k:02}.md"),
            format!("---\ntitle: Many out {k:02}\n---\nA leaf.\n"),
        );
        hub.push_str(&format!(" [[out-{k:02}]]"));
    }
    s.write("content/hub.md", hub);
    let out = s.build(&[]);
    let html = page(&out, HUB);
    let svg = map(&html, HUB);
    let found = nodes(&svg);
    assert_eq!(found.len(), 12, "{found:?}");
    // Six each way (of 34 notes linking here only, and 24 linked to); the note linked both ways
    // comes first among the links.
    assert_eq!(
        (found[6].1.as_str(), found[6].2.as_str()),
        ("Mutual", "both")
    );
    let more: Vec<String> = svg
        .select(&sel("text.map-label"))
        .map(|t| text_of(&t))
        .filter(|t| t.starts_with('+'))
        .collect();
    assert_eq!(more, ["+28 more", "+18 more"]);
    let desc = texts(&html, "svg.note-map > desc").join("");
    assert!(desc.ends_with("; 12 of these 58 notes drawn."), "{desc}");
    for (href, ..) in &found {
        target_title(&out, HUB, href);
    }
}

#[test]
fn maps_are_the_same_bytes_in_every_build() {
    let s = site("note-maps");
    let a = std::fs::read(s.build(&[]).join(HUB)).unwrap();
    let b = std::fs::read(s.build(&[]).join(HUB)).unwrap();
    assert!(a == b, "two builds of the hub page differ");
}

#[test]
fn a_title_edit_redraws_the_maps_that_show_the_note() {
    let s = site("note-maps");
    let mut live = Live::new(&s);
    let edit = |rel: &str, from: &str, to: &str| {
        let text = s.read(rel);
        assert!(text.contains(from), "{rel}: {from:?}");
        s.write(rel, text.replacen(from, to, 1));
    };
    // A note the hub links to, one linking to it, and one linked both ways.
    for (rel, from, to) in [
        (
            "content/notes/out-2.md",
            "title: Out 2",
            "title: Out two, renamed",
        ),
        (
            "content/notes/in-1.md",
            "title: In 1",
            "title: In one, renamed",
        ),
        (
            "content/notes/mutual.md",
            "title: Mutual",
            "title: Mutual, renamed",
        ),
    ] {
        edit(rel, from, to);
        live.changed(rel).expect("rebuild");
        let html = page(&live.dir, HUB);
        let names: Vec<String> = nodes(&map(&html, HUB))
            .into_iter()
            .map(|(_, n, _)| n)
            .collect();
        let want = to.trim_start_matches("title: ");
        assert!(
            names.iter().any(|n| n.starts_with(want)),
            "the hub's map after renaming {rel}: {names:?}"
        );
        live.assert_same_as_clean_build(&s, &format!("renaming {rel}"));
    }
    // A new link back moves a note among those linked both ways.
    edit(
        "content/notes/out-3.md",
        "Nothing else",
        "Back to [[hub]]. Nothing else",
    );
    live.changed("content/notes/out-3.md").expect("rebuild");
    let found = nodes(&map(&page(&live.dir, HUB), HUB));
    assert!(
        found
            .iter()
            .any(|(_, n, band)| n == "Out 3" && band == "both"),
        "{found:?}"
    );
    live.assert_same_as_clean_build(&s, "a new link back");
}

#[test]
fn the_graph_page_draws_every_note_as_a_link() {
    let s = site("note-maps");
    let out = s.build(&[]);
    let at = "graph/index.html";
    let html = page(&out, at);
    let svg = html
        .select(&sel("svg.site-graph"))
        .next()
        .expect("the graph page draws the site");
    // Pairs of notes linked either way, each once (the hub and the note linking back are one).
    assert_eq!(
        texts(&html, "svg.site-graph > desc"),
        ["11 notes and 9 links between them."]
    );
    let nodes: Vec<(String, String)> = svg
        .select(&sel("a"))
        .map(|a| {
            let name = a.select(&sel("title")).map(|t| text_of(&t)).collect();
            (a.value().attr("href").unwrap().to_string(), name)
        })
        .collect();
    assert_eq!(nodes.len(), 11);
    for (href, name) in &nodes {
        assert_eq!(&target_title(&out, at, href), name, "{href}");
    }
    // Reachable from every page, and listed in the sitemap.
    let home = page(&out, "index.html");
    assert!(links(&home, "header nav a").contains(&("./graph/".into(), "Map".into())));
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("<loc>https://maps.example/sub/graph/</loc>"));

    // A note of that URL keeps it: no graph page, no link to one.
    s.write(
        "content/graph.md",
        "---\ntitle: Graph theory\n---\nSee [[hub]].\n",
    );
    let out = s.build(&[]);
    assert_eq!(texts(&page(&out, at), "h1"), ["Graph theory"]);
    let home = page(&out, "index.html");
    assert!(links(&home, "header nav a").iter().all(|(_, t)| t != "Map"));
}
