//! Snapshots of Markdown rendering (HTML and table of contents) through a small fake resolver.
//! Review changes with `INSTA_UPDATE=always cargo test --test markdown_snapshots` and a diff of
//! tests/snapshots/.

use explainer::content::NoteId;
use explainer::markdown::{
    LinkProblem, LinkSyntax, Rendered, Resolved, Resolver, TEXT_LIMIT, TocEntry, is_external,
    render,
};
use std::fmt::Write;

/// A site of three notes: `xi-visit.md` / `[[xi-visit]]` (note 1, "Xi's visit"),
/// `summit.md` / `[[summit]]` (note 2, "The summit"), and the page itself (note 0, "This page");
/// one image `map.png`. Links are written as the pipeline writes them, relative from `topics/page/`.
struct FakeSite;

impl FakeSite {
    fn note(&self, n: usize, frag: Option<&str>, wiki: bool) -> Resolved {
        let (url, title) = match n {
            0 => ("", "This page"),
            1 => ("../../topics/xi-visit/", "Xi's visit"),
            _ => ("../../topics/summit/", "The summit"),
        };
        // Wikilinks name headings by their text; the resolver turns that into the heading's id.
        let fragment = frag.map(|f| {
            if wiki {
                explainer::markdown::heading_id(f)
            } else {
                f.to_string()
            }
        });
        let mut href = url.to_string();
        if let Some(f) = &fragment {
            href.push('#');
            href.push_str(f);
        }
        Resolved {
            href,
            note: Some(NoteId::new(n)),
            fragment,
            title: Some(title.into()),
            image: None,
        }
    }
}

impl Resolver for FakeSite {
    fn resolve(&self, syntax: LinkSyntax, dest: &str) -> Result<Option<Resolved>, LinkProblem> {
        if is_external(dest) {
            return Ok(None);
        }
        let wiki = syntax == LinkSyntax::Wiki;
        // Like the real resolver: `[[note\|label]]` in a table arrives as `note\`.
        let dest = if wiki {
            dest.trim_end_matches('\\')
        } else {
            dest
        };
        let (path, frag) = match dest.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (dest, None),
        };
        let found = match (syntax, path.to_lowercase().as_str()) {
            (LinkSyntax::Markdown | LinkSyntax::Wiki, "") => Some(self.note(0, frag, wiki)),
            (LinkSyntax::Markdown, "xi-visit.md") | (LinkSyntax::Wiki, "xi-visit" | "xi trip") => {
                Some(self.note(1, frag, wiki))
            }
            (LinkSyntax::Markdown, "summit.md") | (LinkSyntax::Wiki, "summit") => {
                Some(self.note(2, frag, wiki))
            }
            (LinkSyntax::Image | LinkSyntax::WikiImage, "map.png") => Some(Resolved {
                href: "../../topics/map.png".into(),
                note: None,
                fragment: None,
                title: None,
                image: None,
            }),
            _ => None,
        };
        found.map(Some).ok_or_else(|| LinkProblem {
            message: format!("no note `{path}`"),
            help: Some("the closest existing note is `summit.md`".into()),
            ..LinkProblem::default()
        })
    }
}

fn toc_text(toc: &[TocEntry], depth: usize, out: &mut String) {
    for e in toc {
        writeln!(
            out,
            "{}- h{} #{} {}",
            "  ".repeat(depth),
            e.level,
            e.id,
            e.title
        )
        .unwrap();
        toc_text(&e.children, depth + 1, out);
    }
}

/// Everything `render` found, as one readable text: HTML, toc, ids, links, problems.
fn report(markdown: &str) -> String {
    let r: Rendered = render(markdown, &FakeSite, TEXT_LIMIT);
    let mut s = String::new();
    s.push_str("--- html\n");
    s.push_str(&r.html);
    s.push_str("--- toc\n");
    toc_text(&r.toc, 0, &mut s);
    writeln!(s, "--- ids\n{}", r.ids.join(" ")).unwrap();
    s.push_str("--- links\n");
    for l in &r.links {
        writeln!(
            s,
            "note {} #{} at {:?} `{}`",
            l.note.index(),
            l.fragment.as_deref().unwrap_or(""),
            l.span,
            &markdown[l.span.clone()]
        )
        .unwrap();
    }
    s.push_str("--- problems\n");
    for (span, p) in &r.problems {
        writeln!(s, "{:?} `{}`: {}", span, &markdown[span.clone()], p.message).unwrap();
    }
    writeln!(s, "--- images without alt: {}", r.images_without_alt.len()).unwrap();
    s
}

#[test]
fn headings_duplicates_and_explicit_ids() {
    insta::assert_snapshot!(report(
        "# Why China and Korea\n\n## Background\n\nText.\n\n## Background\n\n### Details {#custom-id}\n\n## Background\n\n## Custom id\n\n## “Quoted” & `code`\n\n#### Deep\n"
    ));
}

#[test]
fn tables_and_inline_formatting() {
    insta::assert_snapshot!(report(
        "| Country | Leader | Visits |\n|:---|:---:|---:|\n| China | Xi | **2** |\n| Korea | Yoon | ~~0~~ 1 |\n"
    ));
}

#[test]
fn footnotes() {
    insta::assert_snapshot!(report(
        "Xi visited in 2014.[^visit] The summit was in 2019.[^summit]\n\n[^visit]: Reported by Yonhap.\n[^summit]: In Chengdu.\n"
    ));
}

#[test]
fn task_lists_strikethrough_and_smart_punctuation() {
    insta::assert_snapshot!(report(
        "- [x] Plan the \"visit\"\n- [ ] Hold the summit -- soon...\n- It's ~~over~~ not over --- yet\n"
    ));
}

#[test]
fn wikilinks_with_labels_fragments_and_aliases() {
    insta::assert_snapshot!(report(
        "## Intro\n\nSee [[xi-visit]], [[summit|the summit]], [[summit#Why it matters]], [[Xi trip]], [[#Intro]] and [[nowhere]].\n\n| a | b |\n|---|---|\n| [[summit\\|in a table]] | x |\n"
    ));
}

#[test]
fn markdown_links_external_links_and_unsafe_schemes() {
    insta::assert_snapshot!(report(
        "[the visit](xi-visit.md#background \"Title\"), [missing](gone.md), [Yonhap](https://en.yna.co.kr/), <https://example.org/auto>, [mail](mailto:a@example.org), [bad](javascript:alert(1)) and [top](#top).\n"
    ));
}

#[test]
fn images() {
    insta::assert_snapshot!(report(
        "![A map of the region](map.png)\n\n![](map.png)\n\n![[map.png]]\n\n![remote](https://example.org/x.png)\n\n![gone](gone.png)\n"
    ));
}

#[test]
fn raw_html_ids_count_as_anchors() {
    insta::assert_snapshot!(report(
        "<div id=\"box\">\n\nInside.\n\n</div>\n\nText with <a name=\"old-anchor\"></a> an anchor.\n"
    ));
}

#[test]
fn obsidian_dialect() {
    let md = "> [!tip]- A ==marked== #title-tag and $x$\n> Body with [[summit]] and #Body/Tag.\n> > [!custom]\n> > Nested.\n\nText ==with *em*== and #tag, #123, `#code`, a == b, $$\\frac{1}{2}$$, $\\frac{1}$ and $5 or $6.\n";
    let r = render(md, &FakeSite, TEXT_LIMIT);
    let mut s = report(md);
    writeln!(s, "--- tags\n{}", r.tags.join(" ")).unwrap();
    s.push_str("--- math errors\n");
    for (span, why) in &r.math_errors {
        writeln!(s, "{:?} `{}`: {}", span, &md[span.clone()], why).unwrap();
    }
    insta::assert_snapshot!(s);
}
