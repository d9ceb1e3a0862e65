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

/// RFC 3986 §5.2.4: removes `.` and `..` segments from an absolute path.
pub fn remove_dot_segments(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').collect();
    let last = segments.len() - 1;
    for (i, seg) in segments.iter().enumerate() {
        match *seg {
            "." => {
                if i == last {
                    out.push("");
                }
            }
            ".." => {
                if out.len() > 1 {
                    out.pop();
                }
                if i == last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    let joined = out.join("/");
    if joined.starts_with('/') {
        joined
    } else {
        format!("/{joined}")
    }
}

/// Resolves a relative-path `href` against the absolute path of the document containing it, like
/// a browser (RFC 3986 §5.2.2; query and fragment dropped).
pub fn browser_resolve(document: &str, href: &str) -> String {
    assert!(
        document.starts_with('/'),
        "document `{document}` is not absolute"
    );
    let href = href.split('#').next().unwrap_or("");
    let href = href.split('?').next().unwrap_or("");
    if href.is_empty() {
        return document.to_string();
    }
    assert_relative(href);
    let base_dir = &document[..=document.rfind('/').unwrap()];
    remove_dot_segments(&format!("{base_dir}{href}"))
}

/// An href explainer writes must be a relative-path reference: no leading `/`, no scheme, no host.
pub fn assert_relative(href: &str) {
    assert!(!href.starts_with('/'), "href `{href}` starts with /");
    let first = href.split(['/', '?', '#']).next().unwrap_or("");
    assert!(
        !first.contains(':'),
        "href `{href}` would be read as having a scheme"
    );
}

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
