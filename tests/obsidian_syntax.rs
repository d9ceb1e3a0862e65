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
    let index: String = tree(&out)
        .iter()
        .filter(|(rel, _)| rel.starts_with("search/"))
        .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
        .collect();
    assert!(index.contains("Last visible words"));
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

#[test]
fn callouts_become_titled_boxes() {
    let (_s, out) = built();
    let html = page(&out, "callouts/index.html");
    // (element, data-callout, class, title, content)
    let callouts: Vec<(String, String, String, String, String)> = html
        .select(&sel("article .callout"))
        .map(|c| {
            let v = c.value();
            let title = c
                .select(&sel(".callout-title"))
                .next()
                .map(|t| text_of(&t))
                .unwrap_or_default();
            let content = c
                .select(&sel(".callout-content > p"))
                .next()
                .map(|t| text_of(&t))
                .unwrap_or_default();
            (
                v.name().to_string(),
                v.attr("data-callout").unwrap_or("").to_string(),
                v.attr("class").unwrap_or("").to_string(),
                title.trim().to_string(),
                content,
            )
        })
        .collect();
    let row = |e: &str, d: &str, c: &str, t: &str, p: &str| {
        (e.into(), d.into(), c.into(), t.into(), p.into())
    };
    assert_eq!(
        callouts,
        vec![
            row(
                "div",
                "warning",
                "callout callout-warning",
                "Mind the gap",
                "The platform is narrow."
            ),
            row(
                "div",
                "tip",
                "callout callout-tip",
                "Tip",
                "A callout without a title takes its type as title."
            ),
            row(
                "details",
                "faq",
                "callout callout-question",
                "Why fold?",
                "Because it is long."
            ),
            row(
                "details",
                "example",
                "callout callout-example",
                "Open by default",
                "Shown at first."
            ),
            row(
                "div",
                "tldr",
                "callout callout-abstract",
                "Short version",
                "Aliases keep their own name."
            ),
            row(
                "div",
                "my-custom",
                "callout",
                "Custom type",
                "Styled as a note."
            ),
            row(
                "div",
                "note",
                "callout callout-note",
                "Outer",
                "Outer text."
            ),
            row(
                "div",
                "danger",
                "callout callout-danger",
                "Inner",
                "Inner text."
            ),
        ]
    );
    // Folding: `-` closed, `+` open, with the title as the summary.
    let open: Vec<Option<&str>> = html
        .select(&sel("details.callout"))
        .map(|d| d.value().attr("open"))
        .collect();
    assert_eq!(open, vec![None, Some("")]);
    assert_eq!(
        texts(&html, "details.callout > summary"),
        vec!["Why fold?", "Open by default"]
    );
    // Markup in a title stays markup; the nested callout sits in its parent's content.
    assert_eq!(
        texts(&html, ".callout-warning .callout-content em"),
        vec!["narrow"]
    );
    assert_eq!(
        texts(
            &html,
            "[data-callout=note] > .callout-content > .callout > .callout-title"
        ),
        vec!["Inner"]
    );
    // A plain quote stays a quote; no marker text is left anywhere.
    assert_eq!(
        texts(&html, "article blockquote p"),
        vec!["A plain quote stays a quote."]
    );
    assert!(!text_of(&html.select(&sel("article")).next().unwrap()).contains("[!"));
}

#[test]
fn highlights_become_marks_outside_code() {
    let (_s, out) = built();
    let html = page(&out, "highlights/index.html");
    assert_eq!(
        texts(&html, "article mark"),
        vec![
            "highlighted text",
            "emphasis inside",
            "a link inside",
            "marked"
        ]
    );
    assert_eq!(texts(&html, "article mark em"), vec!["emphasis"]);
    assert_eq!(hrefs(&html, "article mark a"), vec!["../callouts/"]);
    let p = texts(&html, "article p");
    assert!(
        p.iter()
            .any(|t| t.starts_with("A comparison a == b stays text")),
        "{p:?}"
    );
    assert_eq!(texts(&html, "article p code"), vec!["==code=="]);
    assert_eq!(
        texts(&html, "article pre code"),
        vec!["==not marked in code=="]
    );
    // The heading's id and table of contents ignore the marks.
    assert_eq!(attrs(&html, "article h2", "id"), vec!["a-marked-heading"]);
}

#[test]
fn inline_tags_join_the_note_tags_and_link_to_tag_pages() {
    let (_s, out) = built();
    let html = page(&out, "inline-tags/index.html");
    assert_eq!(
        links(&html, "article p a.tag"),
        vec![
            ("../tags/politics/".into(), "#politics".into()),
            (
                "../tags/region/east-asia/".into(),
                "#Region/East-Asia".into()
            ),
            ("../tags/politics/".into(), "#POLITICS".into()),
            ("../tags/shown/".into(), "#shown".into()),
        ]
    );
    // Not tags: numbers, code, link text, URLs, words, headings, fences.
    let all: Vec<String> = texts(&html, "a.tag");
    for not in [
        "#123",
        "#code",
        "#in-link",
        "#fragment",
        "#b",
        "#heading-tag",
        "#in-fence",
    ] {
        assert!(!all.iter().any(|t| t == not), "{not} became a tag");
    }
    // The note's tags: front matter and body, case variants merged.
    let page_tags = texts(&html, "p.muted a");
    assert_eq!(page_tags, vec!["#politics", "#Region/East-Asia", "#shown"]);
    // Tag pages exist for inline tags, nested ones included, and list the note.
    for tag in ["politics", "region/east-asia", "shown"] {
        let term = page(&out, &format!("tags/{tag}/index.html"));
        let listed = texts(&term, "main li a");
        assert!(
            listed.contains(&"Inline tags".to_string()),
            "{tag}: {listed:?}"
        );
    }
    let taxonomy = texts(&page(&out, "tags/index.html"), "main li a");
    assert!(
        taxonomy
            .iter()
            .all(|t| !t.contains("heading-tag") && !t.contains("123")),
        "{taxonomy:?}"
    );
    let broken = broken_refs(&out);
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn inline_tags_respect_file_links() {
    let s = site("obsidian-syntax");
    let out = s.build(&["--file-links"]);
    let html = page(&out, "inline-tags/index.html");
    assert_eq!(
        hrefs(&html, "article p a.tag")[1],
        "../tags/region/east-asia/index.html"
    );
    assert!(broken_refs(&out).is_empty());
}

#[test]
fn math_becomes_mathml_and_never_markup() {
    let s = site("obsidian-syntax");
    let r = s.cmd("build", &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = s.public();
    let html = page(&out, "math/index.html");
    let maths: Vec<String> = attrs(&html, "article math", "display");
    assert_eq!(maths, vec!["inline", "block", "inline", "inline"]);
    assert!(html.select(&sel("article math msup")).next().is_some());
    assert!(html.select(&sel("article math mfrac")).next().is_some());
    // Money is text.
    let p = texts(&html, "article p");
    assert!(
        p.contains(&"Money stays text: it costs $5 and $10 today.".to_string()),
        "{p:?}"
    );
    // Invalid LaTeX: its source, escaped, and a warning at file:line.
    assert_eq!(
        texts(&html, "code.math-error"),
        vec!["$\\frac{1}$", "$\\operatorname{<b onclick=x>}$"]
    );
    let r = s.cmd("check", &[]);
    assert!(r.stderr.contains("content/math.md:10:9"), "{}", r.stderr);
    assert!(
        r.stderr.contains("cannot render this formula"),
        "{}",
        r.stderr
    );
    // Hostile input makes no element of its own.
    for bad in ["script", "img", "b"] {
        assert!(
            html.select(&sel(&format!("article {bad}")))
                .next()
                .is_none(),
            "math made a <{bad}>"
        );
    }
    assert!(
        html.select(&sel("article [onerror], article [onclick]"))
            .next()
            .is_none()
    );
    assert_eq!(
        texts(&html, "article math mtext"),
        vec!["<img src=x onerror=alert(1)>"]
    );
}
