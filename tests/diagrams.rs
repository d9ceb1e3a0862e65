//! Diagrams: ```` ```graph ```` and ```` ```dot ```` blocks built through the binary into inline
//! SVG figures (nodes, relative links, edges, text alternatives), their problems reported at
//! file:line:col with a failing exit code, and one small diagram's markup as a snapshot
//! (`INSTA_UPDATE=always cargo test --test diagrams` to review a change).

mod common;

use common::{Site, page, sel, site};
use explainer::content::NoteId;
use explainer::markdown::{
    LinkProblem, LinkSyntax, Missing, Resolved, Resolver, TEXT_LIMIT, is_external, render,
};
use scraper::{ElementRef, Html};

fn built() -> (Site, std::path::PathBuf) {
    let s = site("diagrams");
    let out = s.build(&[]);
    (s, out)
}

fn attr<'a>(e: &ElementRef<'a>, name: &str) -> &'a str {
    e.value().attr(name).unwrap_or("")
}

fn texts(doc: &Html, css: &str) -> Vec<String> {
    doc.select(&sel(css))
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

#[test]
fn a_graph_block_becomes_an_accessible_svg_figure() {
    let (_s, out) = built();
    let doc = page(&out, "index.html");
    assert_eq!(doc.select(&sel("main pre code")).count(), 0, "no code left");
    let figure = doc.select(&sel("figure.diagram")).next().expect("a figure");
    let svg = figure.select(&sel("svg")).next().expect("an inline SVG");
    assert!(attr(&svg, "viewBox").starts_with("0 0 "));
    assert_eq!(attr(&svg, "role"), "group");
    assert_eq!(
        texts(&doc, "figure.diagram svg > title"),
        ["Diagram: From pressures to a possible visit"]
    );
    assert_eq!(
        texts(&doc, "figure.diagram figcaption"),
        ["From pressures to a possible visit"]
    );
    let desc = texts(&doc, "figure.diagram svg > desc").join("");
    assert!(
        desc.contains("Russia–North Korea ties → Trilateral summit.")
            && desc.contains("Bilateral meetings → A possible Xi visit."),
        "{desc}"
    );
    // Six nodes, five of them links in reading order, each named by its label.
    assert_eq!(figure.select(&sel(".diagram-node")).count(), 6);
    let links: Vec<(String, String)> = figure
        .select(&sel("svg a"))
        .map(|a| {
            let title = a.select(&sel("title")).next().unwrap();
            (
                attr(&a, "href").to_string(),
                title.text().collect::<String>(),
            )
        })
        .collect();
    assert_eq!(
        links,
        [
            (
                "./topics/not-a-target/".to_string(),
                "Beijing not wanting to be “a target”".to_string()
            ),
            (
                "./topics/russia-north-korea/".into(),
                "Russia–North Korea ties".into()
            ),
            (
                "./topics/trilateral-summit/".into(),
                "Trilateral summit".into()
            ),
            (
                "./topics/bilateral-meetings/".into(),
                "Bilateral meetings".into()
            ),
            ("./topics/xi-visit/".into(), "A possible Xi visit".into()),
        ]
    );
    // Five edges, each a line with an arrowhead, hidden from screen readers (the description
    // and the list say them).
    let edges: Vec<ElementRef> = figure.select(&sel("g.diagram-edge")).collect();
    assert_eq!(edges.len(), 5);
    assert!(
        edges
            .iter()
            .all(|e| e.select(&sel("path.diagram-head")).count() == 1)
    );
    assert_eq!(
        figure
            .select(&sel("g.diagram-edges[aria-hidden=true]"))
            .count(),
        1
    );
    assert_eq!(figure.select(&sel("a.diagram-dashed")).count(), 1);
    // The same diagram as a list of edges.
    let items = texts(&doc, "figure.diagram details.diagram-text li");
    assert_eq!(items.len(), 5);
    assert_eq!(
        items[0],
        "US–Japan–South Korea alignment → Trilateral summit"
    );
}

#[test]
fn nodes_link_relative_from_nested_pages_and_label_edges() {
    let (_s, out) = built();
    let doc = page(&out, "topics/trilateral-summit/index.html");
    let hrefs: Vec<&str> = doc
        .select(&sel("figure.diagram svg a"))
        .map(|a| attr(&a, "href"))
        .collect();
    assert_eq!(
        hrefs,
        [
            "../../topics/bilateral-meetings/",
            "https://example.org/",
            "../../topics/xi-visit/"
        ]
    );
    assert_eq!(doc.select(&sel("svg a.external ellipse")).count(), 1);
    assert_eq!(
        texts(&doc, "svg .diagram-edge-label"),
        ["may lead to", "again"]
    );
    // `Xi visit -> A reply -> Xi visit` is one line with two heads; the loop has one.
    assert_eq!(doc.select(&sel("g.diagram-edge")).count(), 3);
    assert_eq!(doc.select(&sel("path.diagram-head")).count(), 4);
    let items = texts(&doc, "details.diagram-text li");
    assert_eq!(
        items,
        [
            "the talks → Xi visit (may lead to)",
            "Xi visit → A reply",
            "A reply → Xi visit",
            "A reply → A reply (again)",
            "Elsewhere",
        ]
    );
}

#[test]
fn diagram_links_count_as_backlinks() {
    let (s, out) = built();
    // `russia-north-korea` is linked only from the home page's diagram.
    let doc = page(&out, "topics/russia-north-korea/index.html");
    let html = doc.root_element().html();
    assert!(html.contains("Why relations may thaw"), "no backlink");
    let r = s.cmd("check", &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("orphan"), "{}", r.stderr);
}

#[test]
fn file_links_reach_index_files() {
    let s = site("diagrams");
    let out = s.build(&["--file-links"]);
    let doc = page(&out, "index.html");
    let first = doc.select(&sel("figure.diagram svg a")).next().unwrap();
    assert_eq!(attr(&first, "href"), "./topics/not-a-target/index.html");
}

#[test]
fn the_same_diagram_gives_the_same_bytes() {
    let s = site("diagrams");
    let out = s.build(&[]);
    let first = std::fs::read(out.join("index.html")).unwrap();
    let again = s.build(&[]);
    assert_eq!(first, std::fs::read(again.join("index.html")).unwrap());
}

#[test]
fn other_code_blocks_stay_code() {
    let s = site("diagrams");
    s.write(
        "content/topics/xi-visit.md",
        "---\ntitle: Xi visit\n---\n```graphql\na -> b\n```\n",
    );
    let out = s.build(&[]);
    let doc = page(&out, "topics/xi-visit/index.html");
    assert_eq!(doc.select(&sel("figure.diagram")).count(), 0);
    assert_eq!(texts(&doc, "pre code"), ["a -> b"]);
}

/// Writes `content/bad.md` holding `diagram` after three lines of text (so the block's first
/// line is line 8 of the file) and builds.
fn build_bad(diagram: &str) -> common::Run {
    let s = site("diagrams");
    s.write(
        "content/bad.md",
        format!("---\ntitle: Bad\n---\nSee [home](_index.md).\n\n```graph\n{diagram}\n```\n"),
    );
    s.cmd("build", &[])
}

#[test]
fn bad_diagrams_fail_at_file_line_and_column() {
    let cases = [
        (
            "a -> b\nb -> c [colour=red]",
            "content/bad.md:8:9",
            "cannot draw this diagram: unknown attribute `colour` for an edge",
        ),
        (
            "a -> b -> ",
            "content/bad.md:7:10",
            "expected a node, found the end of the diagram",
        ),
        (
            "a [shape=star]",
            "content/bad.md:7:10",
            "`star` is not a value of `shape`",
        ),
        (
            "  \"open -> b",
            "content/bad.md:7:3",
            "this quoted text is never closed",
        ),
    ];
    for (diagram, at, message) in cases {
        let r = build_bad(diagram);
        assert_eq!(r.code, 1, "{diagram}: {}", r.stderr);
        assert!(r.stderr.contains(at), "{diagram}: want {at}\n{}", r.stderr);
        assert!(
            r.stderr.contains(message),
            "{diagram}: want {message}\n{}",
            r.stderr
        );
        assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    }
    let r = build_bad("a -> b [lable=x]");
    assert!(r.stderr.contains("did you mean `label`?"), "{}", r.stderr);
}

#[test]
fn too_many_nodes_is_an_error_at_the_first_node_too_many() {
    let nodes: String = (0..=200).map(|i| format!("n{i}\n")).collect();
    let r = build_bad(nodes.trim_end());
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("content/bad.md:207:1"), "{}", r.stderr);
    assert!(
        r.stderr.contains("a diagram may have at most 200 nodes"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_missing_wikilink_node_is_a_broken_link() {
    let r = build_bad("[[xi-visit]] -> [[nowhere|Somewhere]]");
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("content/bad.md:7:17"), "{}", r.stderr);
    assert!(r.stderr.contains("broken link"), "{}", r.stderr);
    assert!(r.stderr.contains("nowhere"), "{}", r.stderr);
    // With `links: {missing: warn}` the site builds, the node shown without a link.
    let s = site("diagrams");
    s.write(
        "site.yaml",
        "title: Diagrams\nbase_url: https://diagrams.example/\nlinks:\n  missing: warn\n",
    );
    s.write(
        "content/bad.md",
        "---\ntitle: Bad\n---\nSee [home](_index.md).\n\n```graph\n[[xi-visit]] -> [[nowhere|Somewhere]]\n```\n",
    );
    let out = s.build(&[]);
    let doc = page(&out, "bad/index.html");
    assert_eq!(doc.select(&sel("svg.diagram-svg a")).count(), 1);
    let missing = doc.select(&sel("svg g.diagram-node.unresolved")).next();
    let text = missing
        .expect("an unresolved node")
        .text()
        .collect::<String>();
    assert!(text.contains("Somewhere"), "{text}");
}

/// Resolves `[[summit]]` to note 1, titled "The summit", from a page one folder down; anything
/// else internal is missing.
struct OneNote;

impl Resolver for OneNote {
    fn resolve(&self, _: LinkSyntax, dest: &str) -> Result<Option<Resolved>, LinkProblem> {
        if is_external(dest) {
            return Ok(None);
        }
        if dest == "summit" {
            return Ok(Some(Resolved {
                href: "../summit/".into(),
                note: Some(NoteId::new(1)),
                fragment: None,
                title: Some("The summit".into()),
                image: None,
            }));
        }
        Err(LinkProblem {
            message: format!("no note `{dest}`"),
            missing: Some(Missing::Note(dest.into())),
            ..LinkProblem::default()
        })
    }
}

#[test]
fn small_diagram_svg() {
    let md = "```graph\nlabel=\"Cause and effect\"\n\"A cause\" -> [[summit]] -> \"An effect\" [label=\"so\", style=dashed]\n```\n";
    let r = render(md, &OneNote, TEXT_LIMIT);
    assert!(r.diagram_errors.is_empty(), "{:?}", r.diagram_errors);
    assert_eq!(r.links.len(), 1);
    assert_eq!(&md[r.links[0].span.clone()], "[[summit]]");
    insta::assert_snapshot!(r.html);
}
