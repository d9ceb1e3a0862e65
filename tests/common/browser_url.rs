//! How a browser resolves a relative href against the page that contains it (RFC 3986 §5.2):
//! the oracle the URL property tests (tests/url_props.rs) and the fuzz targets (fuzz/) check
//! explainer's links against.

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
