//! Property tests for relative URLs: for any two pages, the link written on one, resolved the way
//! a browser resolves it against the page's own URL, lands on the other, with and without
//! `--file-links`. First on the functions that write every internal URL
//! (`root_prefix` + `link_path`), then on whole generated sites built by the real pipeline.

mod common;

use common::browser_url::{assert_relative, browser_resolve};
use explainer::config::{Options, Settings};
use explainer::links::{link_path, root_prefix};
use explainer::output::DirSink;
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

/// One URL segment as slugs and file names can make it: letters of any script, digits, and the
/// punctuation a slug may keep; never `.`, `..`, `/`, `?`, `#`, `%`, `\` or spaces.
fn segment() -> impl Strategy<Value = String> {
    "[a-z0-9à-ž가-힣&'~!$()*+,;=:@._-]{1,8}"
        .prop_filter("dot segments are not page names", |s| s != "." && s != "..")
}

/// A page URL as explainer writes it: `""` (home), `a/b/` (pretty URLs), or `a/404.html` (a file).
fn page_url() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(segment(), 0..5),
        prop::option::weighted(0.15, segment()),
    )
        .prop_map(|(dirs, file)| {
            let mut url: String = dirs.iter().map(|d| format!("{d}/")).collect();
            if let Some(f) = file {
                url.push_str(&f);
                url.push_str(".html");
            }
            url
        })
}

/// The documents a browser may have open for a page at `url`.
fn documents(url: &str, file_links: bool) -> Vec<String> {
    if url.is_empty() || url.ends_with('/') {
        if file_links {
            // Opened from disk (…/index.html) or from a host that resolves indexes (…/).
            vec![format!("/{url}index.html"), format!("/{url}")]
        } else {
            vec![format!("/{url}")]
        }
    } else {
        vec![format!("/{url}")]
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn a_relative_link_lands_on_its_target(
        from in page_url(),
        to in page_url().prop_filter("targets are directories", |u| u.is_empty() || u.ends_with('/')),
        file_links in any::<bool>(),
        fragment in prop::option::of("[a-z][a-z0-9-]{0,8}"),
    ) {
        let mut href = format!("{}{}", root_prefix(&from), link_path(&to, file_links));
        if let Some(f) = &fragment {
            href.push('#');
            href.push_str(f);
        }
        assert_relative(&href);
        let expected = if file_links { format!("/{to}index.html") } else { format!("/{to}") };
        for doc in documents(&from, file_links) {
            prop_assert_eq!(
                browser_resolve(&doc, &href),
                expected.clone(),
                "from {} (document {}) the link `{}` to `{}`",
                from, doc, href, to
            );
        }
    }

    #[test]
    fn the_root_prefix_leads_home(from in page_url()) {
        let prefix = root_prefix(&from);
        assert_relative(&prefix);
        prop_assert!(prefix == "./" || prefix.chars().collect::<Vec<_>>().chunks(3).all(|c| c == ['.', '.', '/']));
        for doc in documents(&from, false) {
            prop_assert_eq!(browser_resolve(&doc, &prefix), "/");
        }
    }

    #[test]
    fn file_links_always_name_a_file(to in page_url().prop_filter("directories", |u| u.is_empty() || u.ends_with('/'))) {
        let l = link_path(&to, true);
        prop_assert!(l.ends_with("index.html"), "{}", l);
        let d = link_path(&to, false);
        prop_assert!(!d.contains("index.html"), "{}", d);
    }
}

// -------------------------------------------------------------------------------------------------
// Whole sites

/// A generated note: where it lives and how links to it are written.
#[derive(Debug, Clone)]
struct GenNote {
    /// Folder under `content/` (`""`, `a`, `a/cd`).
    dir: String,
    /// `None` for a section's `_index.md`; else the page's file stem.
    stem: Option<String>,
    /// A `slug:` for pages.
    slug: Option<String>,
    /// Link style used to reach this note (0–4).
    style: u8,
    /// Whether the page has an alias (a redirect page beside it).
    alias: bool,
}

impl GenNote {
    fn file(&self) -> String {
        let name = match &self.stem {
            Some(s) => format!("{s}.md"),
            None => "_index.md".into(),
        };
        if self.dir.is_empty() {
            name
        } else {
            format!("{}/{name}", self.dir)
        }
    }

    fn url(&self) -> String {
        let dir = if self.dir.is_empty() {
            String::new()
        } else {
            format!("{}/", self.dir)
        };
        match (&self.stem, &self.slug) {
            (None, _) => dir,
            (Some(_), Some(slug)) => format!("{dir}{slug}/"),
            (Some(stem), None) => format!("{dir}{stem}/"),
        }
    }

    fn alias_name(&self, i: usize) -> String {
        format!("al{i}")
    }
}

fn gen_site() -> impl Strategy<Value = Vec<GenNote>> {
    let dir = prop::collection::vec(prop::sample::select(vec!["a", "b", "cd", "ef"]), 0..3)
        .prop_map(|d| d.join("/"));
    let note = (
        dir,
        any::<bool>(),
        prop::option::of("[a-z0-9&'~+-]{1,5}"),
        0u8..5,
        any::<bool>(),
    );
    prop::collection::vec(note, 1..7).prop_map(|raw| {
        let mut notes: Vec<GenNote> = Vec::new();
        for (i, (dir, section, slug, style, alias)) in raw.into_iter().enumerate() {
            let section_free =
                !dir.is_empty() && !notes.iter().any(|n| n.stem.is_none() && n.dir == dir);
            if section && section_free {
                notes.push(GenNote {
                    dir,
                    stem: None,
                    slug: None,
                    style,
                    alias: false,
                });
            } else {
                notes.push(GenNote {
                    dir,
                    stem: Some(format!("p{i}")),
                    // `s` starts no folder name, and the index keeps slugs unique.
                    slug: slug.map(|s| format!("s{i}{s}")),
                    style,
                    alias,
                });
            }
        }
        notes
    })
}

/// A relative path from folder `from_dir` to file `to` (both under `content/`).
fn relative_file_path(from_dir: &str, to: &str) -> String {
    let from: Vec<&str> = from_dir.split('/').filter(|s| !s.is_empty()).collect();
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count()
        .min(to_parts.len() - 1);
    let mut out = "../".repeat(from.len() - common);
    out.push_str(&to_parts[common..].join("/"));
    out
}

/// The Markdown that links from a note in `from_dir` to `target` (index `j`), labelled `to-j`.
fn link_markdown(from_dir: &str, target: &GenNote, j: usize) -> String {
    let file = target.file();
    let frag = if j.is_multiple_of(2) {
        format!("#section-{j}")
    } else {
        String::new()
    };
    match target.style {
        0 => format!("[to-{j}]({}{frag})", relative_file_path(from_dir, &file)),
        1 => format!("[to-{j}](/{file}{frag})"),
        2 => {
            // Up to content/, then down: `../../a/p1.md`.
            let depth = from_dir.split('/').filter(|s| !s.is_empty()).count();
            format!("[to-{j}]({}{file}{frag})", "../".repeat(depth))
        }
        3 if target.stem.is_some() => {
            let name = file.strip_suffix(".md").unwrap();
            let heading = if frag.is_empty() {
                String::new()
            } else {
                format!("#Section {j}")
            };
            format!("[[{name}{heading}|to-{j}]]")
        }
        _ => match target.stem.as_ref().filter(|_| target.style == 4) {
            // By unique file name, anywhere in content/.
            Some(stem) => {
                let heading = if frag.is_empty() {
                    String::new()
                } else {
                    format!("#Section {j}")
                };
                format!("[[{stem}{heading}|to-{j}]]")
            }
            None => format!("[to-{j}]({}{frag})", relative_file_path(from_dir, &file)),
        },
    }
}

fn write_site(root: &Path, notes: &[GenNote]) {
    let home_links: Vec<String> = notes
        .iter()
        .enumerate()
        .map(|(j, n)| link_markdown("", n, j))
        .collect();
    let write = |rel: &str, text: String| {
        let p = root.join("content").join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write(
        "_index.md",
        format!(
            "---\ntitle: Home\n---\n## Home heading\n\n{}\n",
            home_links.join("\n\n")
        ),
    );
    for (i, n) in notes.iter().enumerate() {
        let mut fm = format!("title: Note {i}\n");
        if let Some(s) = &n.slug {
            fm.push_str(&format!("slug: \"{s}\"\n"));
        }
        if n.alias {
            fm.push_str(&format!("aliases: [{}]\n", n.alias_name(i)));
        }
        let body: Vec<String> = notes
            .iter()
            .enumerate()
            .map(|(j, t)| link_markdown(&n.dir, t, j))
            .collect();
        write(
            &n.file(),
            format!(
                "---\n{fm}---\n## Section {i}\n\n[home](/_index.md)\n\n{}\n",
                body.join("\n\n")
            ),
        );
    }
    std::fs::write(
        root.join("site.yaml"),
        "title: Generated\nbase_url: https://example.org/deep/sub/path/\n",
    )
    .unwrap();
}

fn build(root: &Path, out: &Path, file_links: bool) -> Result<(), String> {
    let settings = Settings::load(&Options {
        root: root.to_path_buf(),
        output: Some(out.to_path_buf()),
        base_url: None,
        drafts: false,
        file_links,
        ..Options::default()
    })
    .map_err(|e| e.to_string())?;
    explainer::pipeline::build(&settings, &DirSink::new(out))
        .map(|_| ())
        .map_err(|d| d.render(false))
}

/// Checks every `to-j` link on every note page of a built site.
fn check_site(out: &Path, notes: &[GenNote], file_links: bool) -> Result<(), String> {
    let mut sources: Vec<(String, String)> = vec![(String::new(), "home".into())];
    sources.extend(
        notes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.url(), format!("note {i}"))),
    );
    let files: BTreeMap<String, Vec<u8>> = common::tree(out);
    for (url, what) in &sources {
        let from_file = format!("{url}index.html");
        let html = common::page(out, &from_file);
        let found: BTreeMap<String, String> = common::links(&html, "main a")
            .into_iter()
            .filter(|(_, t)| t.starts_with("to-"))
            .map(|(h, t)| (t, h))
            .collect();
        for (j, target) in notes.iter().enumerate() {
            let href = found
                .get(&format!("to-{j}"))
                .ok_or_else(|| format!("{what} ({from_file}) has no link to-{j}: {found:?}"))?;
            assert_relative(href);
            let path_part = href.split('#').next().unwrap();
            if file_links && !path_part.is_empty() && !path_part.ends_with("index.html") {
                return Err(format!(
                    "{what}: with --file-links, `{href}` does not name a file"
                ));
            }
            if !file_links && path_part.contains("index.html") {
                return Err(format!(
                    "{what}: `{href}` names index.html without --file-links"
                ));
            }
            let want_file = format!("{}index.html", target.url());
            let want_frag = j.is_multiple_of(2).then(|| format!("section-{j}"));
            let docs = documents(url, file_links);
            for doc in docs {
                let landed = browser_resolve(&doc, href);
                let landed_file = if landed.ends_with('/') {
                    format!("{}index.html", &landed[1..])
                } else {
                    landed[1..].to_string()
                };
                if landed_file != want_file {
                    return Err(format!(
                        "{what}: from {doc}, `{href}` lands on /{landed_file}, not on note {j} at /{want_file}"
                    ));
                }
            }
            let got_frag = href.split_once('#').map(|(_, f)| f.to_string());
            if got_frag != want_frag {
                return Err(format!(
                    "{what}: `{href}` has fragment {got_frag:?}, want {want_frag:?}"
                ));
            }
            if !files.contains_key(&want_file) {
                return Err(format!("{want_file} was not written"));
            }
        }
    }
    // Alias redirect pages land on their note.
    for (i, n) in notes.iter().enumerate().filter(|(_, n)| n.alias) {
        let url = n.url();
        let parent = url
            .trim_end_matches('/')
            .rsplit_once('/')
            .map_or("", |(p, _)| p);
        let alias_url = if parent.is_empty() {
            format!("{}/", n.alias_name(i))
        } else {
            format!("{parent}/{}/", n.alias_name(i))
        };
        let file = format!("{alias_url}index.html");
        let html = common::page(out, &file);
        let target =
            common::refresh_target(&html).ok_or_else(|| format!("{file} has no refresh target"))?;
        assert_relative(&target);
        for doc in documents(&alias_url, file_links) {
            let landed = browser_resolve(&doc, &target);
            let want = if file_links {
                format!("/{url}index.html")
            } else {
                format!("/{url}")
            };
            if landed != want {
                return Err(format!(
                    "alias {file}: `{target}` from {doc} lands on {landed}, not {want}"
                ));
            }
        }
    }
    // And every other internal reference (navigation, backlinks, tags, assets) resolves too.
    let broken = common::broken_refs(out);
    if !broken.is_empty() {
        return Err(format!("broken references: {broken:#?}"));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn in_any_generated_site_every_link_lands_on_its_target(notes in gen_site()) {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        write_site(&root, &notes);
        for file_links in [false, true] {
            let out = tmp.path().join(if file_links { "out-files" } else { "out-dirs" });
            build(&root, &out, file_links).map_err(|e| TestCaseError::fail(format!("build failed: {e}")))?;
            check_site(&out, &notes, file_links).map_err(TestCaseError::fail)?;
        }
    }
}

#[test]
fn the_browser_model_agrees_with_known_cases() {
    assert_eq!(browser_resolve("/a/b/", "../../c/"), "/c/");
    assert_eq!(
        browser_resolve("/a/b/index.html", "../../c/index.html"),
        "/c/index.html"
    );
    assert_eq!(browser_resolve("/a/b/", "../../../../c/"), "/c/");
    assert_eq!(browser_resolve("/", "./"), "/");
    assert_eq!(browser_resolve("/a/", "../"), "/");
    assert_eq!(browser_resolve("/a/b/", "#x"), "/a/b/");
    assert_eq!(browser_resolve("/404.html", "./a/"), "/a/");
    assert_eq!(relative_file_path("a/cd", "a/p1.md"), "../p1.md");
    assert_eq!(relative_file_path("", "a/p1.md"), "a/p1.md");
    assert_eq!(relative_file_path("a", "a/_index.md"), "_index.md");
    assert_eq!(relative_file_path("a/b", "ef/p2.md"), "../../ef/p2.md");
}
