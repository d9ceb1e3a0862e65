//! Obsidian embeds: `![[file]]` shows images, audio, video and PDFs by file name, `![[Note]]`,
//! `![[Note#Heading]]` and `![[Note#^block]]` transclude other notes, cycles are errors naming the
//! chain, runaway fan-out is cut off, and edits of an embedded note reach every page showing it.

mod common;

use common::{attrs, page, sel, site, text_of};
use std::path::Path;

fn host(out: &Path) -> scraper::Html {
    page(out, "notes/host/index.html")
}

#[test]
fn files_embed_by_name_as_image_audio_video_and_pdf() {
    let s = site("obsidian-embeds");
    let out = s.build(&[]);
    let html = host(&out);
    let imgs = attrs(&html, "article img.embed-image", "src");
    assert_eq!(
        imgs,
        vec![
            "../../attachments/pic.png",
            "../../attachments/pic.png",
            "../../attachments/icon.svg",
            "../../attachments/pic.png",
        ]
    );
    // `|300` sets the width, `|alt|300x200` the alt text and both sizes.
    assert_eq!(
        attrs(&html, "article img.embed-image", "width")[..2],
        ["300", "300"]
    );
    // A height not given follows the image's proportions (pic.png is 4×3, icon.svg 8×8).
    assert_eq!(
        attrs(&html, "article img.embed-image", "height"),
        vec!["225", "200", "8", "75"]
    );
    assert_eq!(
        attrs(&html, "article img.embed-image", "alt"),
        vec!["pic", "A small map", "icon", "pic"],
        "the label, else the file name, is the alt text"
    );
    // `#icon` is a styling hook, not part of the file name.
    assert_eq!(
        attrs(&html, "img.icon", "src"),
        vec!["../../attachments/icon.svg"]
    );
    // `\|` inside a table still sizes the image.
    assert_eq!(attrs(&html, "td img", "width"), vec!["100"]);
    assert_eq!(
        attrs(&html, "audio[controls]", "src"),
        vec!["../../attachments/talk.mp3"]
    );
    assert_eq!(
        attrs(&html, "video[controls]", "src"),
        vec!["../../attachments/clip.mp4"]
    );
    assert_eq!(attrs(&html, "video", "width"), vec!["640"]);
    assert_eq!(
        attrs(&html, "object[type='application/pdf']", "data"),
        vec!["../../attachments/paper.pdf"]
    );
    // The PDF viewer falls back to a link.
    assert_eq!(
        attrs(&html, "object a.embed-link", "href"),
        vec!["../../attachments/paper.pdf"]
    );
}

#[test]
fn check_does_not_ask_for_alt_text_on_wikilink_embeds() {
    let s = site("obsidian-embeds");
    let r = s.cmd("check", &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("alt text"), "{}", r.stderr);
}

#[test]
fn notes_sections_and_blocks_are_transcluded_with_links_for_the_host_page() {
    let s = site("obsidian-embeds");
    let out = s.build(&[]);
    let html = host(&out);
    let boxes: Vec<_> = html.select(&sel("article div.transclusion")).collect();
    assert_eq!(
        boxes.len(),
        4,
        "whole note, section, paragraph block, item block"
    );
    let sources: Vec<String> = boxes
        .iter()
        .map(|b| {
            let a = b.select(&sel("p.transclusion-source a")).next().unwrap();
            a.value().attr("href").unwrap().to_string()
        })
        .collect();
    assert_eq!(
        sources,
        vec![
            "../../library/embedded-note/",
            "../../library/embedded-note/#second-part",
            "../../library/embedded-note/#block-key-para",
            "../../library/embedded-note/#block-key-item",
        ],
        "each container links to where its text came from"
    );
    let whole = text_of(&boxes[0]);
    assert!(
        whole.contains("First part") && whole.contains("Third part"),
        "{whole}"
    );
    // A section runs to the next heading of the same or a higher level.
    let section = text_of(&boxes[1]);
    assert!(
        section.contains("Second part") && section.contains("A detail"),
        "{section}"
    );
    assert!(!section.contains("Third part"), "{section}");
    assert!(!section.contains("First part"), "{section}");
    // A block is just that paragraph (or list item), without its `^id` marker.
    let block = text_of(&boxes[2]);
    assert!(block.contains("A key paragraph worth quoting."), "{block}");
    assert!(
        !block.contains("^key-para") && !block.contains("an item"),
        "{block}"
    );
    let item = text_of(&boxes[3]);
    assert!(
        item.contains("the key item") && !item.contains("an item"),
        "{item}"
    );
    // Links inside embedded text resolve from the note they were written in, relative to the
    // page they land on.
    let links = attrs(
        &html,
        "div.transclusion a:not(.transclusion-source a)",
        "href",
    );
    assert!(
        links.contains(&"../../library/sibling/".to_string()),
        "{links:?}"
    );
    assert!(
        links.contains(&"../../library/embedded-note/#second-part".to_string()),
        "a same-note heading link points at the embedded note's page: {links:?}"
    );
    // Embedded headings and blocks carry no ids: the host page has one of each id only.
    assert!(html.select(&sel("div.transclusion [id]")).next().is_none());
    // No transcluded block sits inside a paragraph.
    assert!(html.select(&sel("p div")).next().is_none());
    assert!(
        common::broken_refs(&out).is_empty(),
        "{:?}",
        common::broken_refs(&out)
    );
}

#[test]
fn an_embedded_note_counts_as_linked() {
    let s = site("obsidian-embeds");
    let r = s.cmd("check", &[]);
    assert!(
        !r.stderr.contains("orphan note"),
        "embedded notes have backlinks: {}",
        r.stderr
    );
    let out = s.build(&[]);
    let note = page(&out, "library/embedded-note/index.html");
    let back = attrs(&note, "a", "href");
    assert!(
        back.iter().any(|h| h.contains("notes/host/")),
        "the host is a backlink: {back:?}"
    );
}

#[test]
fn a_cycle_is_an_error_naming_the_chain() {
    let s = site("obsidian-embeds-cycle");
    let r = s.cmd("build", &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("embed cycle: content/a.md → content/b.md → content/a.md"),
        "{}",
        r.stderr
    );
    common::assert_diagnostic(&r.stderr, "content/a.md:6:1", "![[b]]");
    assert!(!s.public().exists(), "a failed build writes nothing");
}

#[test]
fn a_missing_embed_is_reported_and_never_a_dead_link() {
    let s = site("obsidian-embeds");
    s.write(
        "content/notes/Host.md",
        "---\ntitle: Host\n---\n![[No such note]]\n\n![[gone.png|200]]\n",
    );
    let r = s.cmd("build", &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    common::assert_diagnostic(&r.stderr, "content/notes/Host.md:4:1", "![[No such note]]");
    common::assert_diagnostic(&r.stderr, "content/notes/Host.md:6:1", "![[gone.png|200]]");
    s.write("site.yaml", "title: Embeds vault\nlinks: {missing: warn}\n");
    let out = s.build(&[]);
    let html = host(&out);
    assert_eq!(
        common::texts(&html, "article span.unresolved"),
        vec!["No such note", "gone.png"]
    );
    assert!(common::broken_refs(&out).is_empty());
}

/// Forty notes, each embedding the next twice: 2^40 embeds if nothing stopped it.
#[test]
fn exponential_fan_out_finishes_with_a_cut_off_notice() {
    let s = site("obsidian-embeds-cycle");
    s.write("content/a.md", "---\ntitle: A\n---\n![[n0]]\n");
    s.write("content/b.md", "---\ntitle: B\n---\nSee [[a]].\n");
    for i in 0..40 {
        s.write(
            &format!("content/n{i}.md"),
            format!(
                "---\ntitle: N{i}\n---\nLevel {i}.\n\n![[n{}]]\n\n![[n{}]]\n",
                i + 1,
                i + 1
            ),
        );
    }
    s.write("content/n40.md", "---\ntitle: N40\n---\nThe bottom.\n");
    let started = std::time::Instant::now();
    let r = s.cmd("build", &[]);
    let took = started.elapsed();
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Generous for a debug build on a loaded machine; release builds take a fraction of this.
    assert!(took.as_secs() < 60, "took {took:?}");
    let size: u64 = common::tree(&s.public())
        .values()
        .map(|b| b.len() as u64)
        .sum();
    assert!(size < 64 << 20, "the output stays bounded: {size} bytes");
    let check = s.cmd("check", &[]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(
        check
            .stderr
            .contains("embeds nested more than 8 deep are not shown"),
        "{}",
        check.stderr
    );
    let top = page(&s.public(), "n0/index.html");
    assert!(top.select(&sel("p.embed-cut-off")).next().is_some());
}

#[test]
fn editing_an_embedded_note_rebuilds_every_page_that_shows_it() {
    fn edit(
        s: &common::Site,
        live: &mut common::Live,
        rel: &str,
        from: &str,
        to: &str,
    ) -> explainer::serve::Rebuilt {
        let text = s.read(rel);
        assert!(text.contains(from), "{rel}: {from}");
        s.write(rel, text.replacen(from, to, 1));
        live.changed(rel).unwrap()
    }
    let s = site("obsidian-embeds");
    let mut live = common::Live::new(&s);
    let r = edit(
        &s,
        &mut live,
        "content/library/Embedded note.md",
        "A detail of the second part.",
        "A revised detail.",
    );
    assert!(
        r.written.iter().any(|p| p == "notes/host/index.html"),
        "the host shows the edit: {:?}",
        r.written
    );
    let html = std::fs::read_to_string(live.dir.join("notes/host/index.html")).unwrap();
    assert!(html.contains("A revised detail."));
    live.assert_same_as_clean_build(&s, "section edit");
    // An embedded note's edit reaches the note that embeds it (sibling shows deep).
    let r = edit(
        &s,
        &mut live,
        "content/library/deep.md",
        "The deepest note",
        "The very deepest note",
    );
    assert!(
        r.written.iter().any(|p| p == "library/sibling/index.html"),
        "{:?}",
        r.written
    );
    live.assert_same_as_clean_build(&s, "nested edit");
}

/// `<someone@example.org>` is a mail link, as CommonMark says, not a file next to the page.
#[test]
fn email_autolinks_are_mailto_links() {
    let s = site("obsidian-embeds-cycle");
    s.write(
        "content/b.md",
        "---\ntitle: B\n---\nWrite to <someone@example.org> about [[a]].\n",
    );
    let out = s.build(&[]);
    let b = page(&out, "b/index.html");
    assert!(
        attrs(&b, "article a", "href").contains(&"mailto:someone@example.org".to_string()),
        "{:?}",
        attrs(&b, "article a", "href")
    );
    assert!(common::broken_refs(&out).is_empty());
}
