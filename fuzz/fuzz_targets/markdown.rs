//! Markdown rendering on arbitrary text, through a small fake resolver and through the real
//! `LinkIndex` resolver over a fixed in-memory site (from a page chosen by the input's length).
#![no_main]

mod common;

use explainer::markdown::{
    LinkProblem, LinkSyntax, Rendered, Resolved, Resolver, TEXT_LIMIT, is_external, render,
};
use libfuzzer_sys::fuzz_target;

/// Resolves `a.md`, `b/c.md`, `[[a]]`, `[[B C]]` and `pic.png`; everything else is missing.
struct Fake;

impl Resolver for Fake {
    fn resolve(&self, syntax: LinkSyntax, dest: &str) -> Result<Option<Resolved>, LinkProblem> {
        if is_external(dest) {
            return Ok(None);
        }
        let (path, frag) = dest
            .split_once('#')
            .map_or((dest, None), |(p, f)| (p, Some(f)));
        let note = match (syntax, path.trim()) {
            (LinkSyntax::Markdown, "a.md") | (LinkSyntax::Wiki, "a") => Some(1),
            (LinkSyntax::Markdown, "b/c.md") | (LinkSyntax::Wiki, "B C") => Some(2),
            (LinkSyntax::Image | LinkSyntax::WikiImage, "pic.png") => None,
            _ => {
                return Err(LinkProblem {
                    message: format!("no note `{path}`"),
                    ..LinkProblem::default()
                });
            }
        };
        Ok(Some(Resolved {
            href: format!(
                "../{path}/{}",
                frag.map(|f| format!("#{f}")).unwrap_or_default()
            ),
            note,
            fragment: frag.map(str::to_string),
            title: note.map(|n| format!("Note {n}")),
            image: None,
        }))
    }
}

fn check(md: &str, r: &Rendered, notes: usize) {
    let in_text = |span: &std::ops::Range<usize>| {
        span.start <= span.end
            && span.end <= md.len()
            && md.is_char_boundary(span.start)
            && md.is_char_boundary(span.end)
    };
    for l in &r.links {
        assert!(l.note < notes, "link to note {} of {notes}", l.note);
        assert!(in_text(&l.span), "link span {:?} outside the text", l.span);
    }
    for (span, _) in &r.problems {
        assert!(in_text(span), "problem span {span:?} outside the text");
    }
    for span in &r.images_without_alt {
        assert!(in_text(span), "image span {span:?} outside the text");
    }
    for e in &r.diagram_errors {
        assert!(in_text(&e.span), "diagram error span {:?} outside the text", e.span);
    }
    assert!(r.text.len() <= TEXT_LIMIT);
    for e in &r.toc {
        assert!((1..=6).contains(&e.level));
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(md) = std::str::from_utf8(data) else {
        return;
    };
    let r = render(md, &Fake, TEXT_LIMIT);
    check(md, &r, 3);

    let notes = &common::SITE.notes;
    let from = md.len() % notes.len();
    let index = if md.len() % 2 == 0 {
        &*common::INDEX
    } else {
        &*common::INDEX_FILES
    };
    let r = render(md, &index.resolver(notes, &common::OUTLINES, from), TEXT_LIMIT);
    check(md, &r, notes.len());
});
