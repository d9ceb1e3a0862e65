//! Shared by the fuzz targets: a small fixed site built by hand (no disk I/O) and a model of how
//! a browser resolves a relative href against the page that contains it.
#![allow(dead_code)]

use explainer::content::front_matter::FrontMatter;
use explainer::content::{Asset, Content, Note, NoteKind};
use explainer::links::LinkIndex;
use std::sync::LazyLock;

fn note(
    kind: NoteKind,
    rel: &str,
    url: &str,
    title: &str,
    aliases: &[&str],
    parent: Option<usize>,
) -> Note {
    Note {
        kind,
        rel_path: rel.to_string(),
        display_path: format!("content/{rel}"),
        text: String::new(),
        body_start: 0,
        front: FrontMatter {
            title: Some(title.to_string()),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            ..FrontMatter::default()
        },
        title: title.to_string(),
        url: url.to_string(),
        parent,
    }
}

/// Home first, then by path, as `content::load` orders them. Covers: pages at several depths, a
/// section, a non-ASCII file name, aliases, and a name that matches two notes (`xi-visit`: a page
/// and another page's alias).
pub fn content() -> Content {
    let notes = vec![
        note(NoteKind::Home, "_index.md", "", "Home", &[], None),
        note(
            NoteKind::Page,
            "about.md",
            "about/",
            "About",
            &["Who we are"],
            Some(0),
        ),
        note(
            NoteKind::Page,
            "people/xi-jinping.md",
            "people/xi-jinping/",
            "Xi Jinping",
            &["Xi visit", "President Xi"],
            Some(0),
        ),
        note(
            NoteKind::Section,
            "topics/_index.md",
            "topics/",
            "Topics",
            &[],
            Some(0),
        ),
        note(
            NoteKind::Page,
            "topics/Báo Quốc Tế.md",
            "topics/báo-quốc-tế/",
            "Báo Quốc Tế",
            &[],
            Some(3),
        ),
        note(
            NoteKind::Page,
            "topics/deep/nested/page.md",
            "topics/deep/nested/page/",
            "Deep page",
            &[],
            Some(3),
        ),
        note(
            NoteKind::Page,
            "topics/xi-visit.md",
            "topics/xi-visit/",
            "Xi's visit",
            &["Xi trip", "topics/2014/visit"],
            Some(3),
        ),
    ];
    let asset = |rel: &str| Asset {
        abs: std::path::PathBuf::from("/nonexistent/content").join(rel),
        rel: rel.to_string(),
    };
    Content {
        notes,
        assets: vec![
            asset("files/report 2024.pdf"),
            asset("img/map.png"),
            asset("topics/map.png"),
            asset("topics/xi-visit/photo.jpg"),
        ],
    }
}

pub static SITE: LazyLock<Content> = LazyLock::new(content);
/// Index with pretty URLs (`a/b/`).
pub static INDEX: LazyLock<LinkIndex> = LazyLock::new(|| LinkIndex::new(&SITE, false));
/// Index with `--file-links` (`a/b/index.html`).
pub static INDEX_FILES: LazyLock<LinkIndex> = LazyLock::new(|| LinkIndex::new(&SITE, true));
/// Every note's outline (headings and block ids that fragments resolve against).
pub static OUTLINES: LazyLock<Vec<explainer::outline::Outline>> = LazyLock::new(|| {
    SITE.notes
        .iter()
        .map(|n| explainer::outline::outline(n.body()))
        .collect()
});

// How a browser resolves relative URLs: shared with the integration tests (tests/url_props.rs).
#[path = "../../../tests/common/browser_url.rs"]
mod browser_url;
#[allow(unused_imports)] // not every fuzz target uses it
pub use browser_url::{assert_relative, browser_resolve};

/// The documents a browser may have open for a page at `url` (`""`, `a/b/` or `a/404.html`).
pub fn documents(url: &str, file_links: bool) -> Vec<String> {
    if url.is_empty() || url.ends_with('/') {
        if file_links {
            vec![format!("/{url}index.html"), format!("/{url}")]
        } else {
            vec![format!("/{url}")]
        }
    } else {
        vec![format!("/{url}")]
    }
}

/// Where a link to a directory URL `to` must land.
pub fn expected_target(to: &str, file_links: bool) -> String {
    if file_links {
        format!("/{to}index.html")
    } else {
        format!("/{to}")
    }
}
