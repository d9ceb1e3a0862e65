//! Builds the repository's real microsite (content/, templates/, static/, site.yaml) in a temp folder
//! and checks what a reader relies on: topics reachable from home, backlinks on every note,
//! a timeline in date order, and every person linked from a topic note.

use scraper::{Html, Selector};
use std::path::{Path, PathBuf};
use std::process::Command;

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Copies the microsite into a temp folder and builds it; returns (temp guard, output folder).
fn build_site() -> (tempfile::TempDir, PathBuf) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    for dir in ["content", "templates", "static"] {
        if repo.join(dir).is_dir() {
            copy_tree(&repo.join(dir), &tmp.path().join(dir));
        }
    }
    std::fs::copy(repo.join("site.yaml"), tmp.path().join("site.yaml")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_explainer"))
        .args(["build", "--root"])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "build failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let public = tmp.path().join("public");
    (tmp, public)
}

fn page(public: &Path, url: &str) -> Html {
    let path = public.join(url).join("index.html");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Html::parse_document(&text)
}

/// The site paths (`topics/xi-visit/`) that a page at `url` links to, fragments dropped.
fn links_from(doc: &Html, url: &str) -> Vec<String> {
    let sel = Selector::parse("a[href]").unwrap();
    doc.select(&sel)
        .filter_map(|a| a.value().attr("href"))
        .filter(|h| !h.contains("://") && !h.starts_with('#') && !h.starts_with("mailto:"))
        .map(|h| resolve(url, h.split('#').next().unwrap_or("")))
        .collect()
}

fn resolve(from_url: &str, href: &str) -> String {
    let mut parts: Vec<&str> = from_url.split('/').filter(|s| !s.is_empty()).collect();
    for seg in href.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    let names_a_folder =
        href.ends_with('/') || href.is_empty() || href == "." || href.ends_with("/.");
    if names_a_folder && !out.is_empty() {
        out.push('/');
    }
    out
}

fn notes_in(dir: &str) -> Vec<String> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("content")
        .join(dir);
    let mut v: Vec<String> = std::fs::read_dir(repo)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md") && n != "_index.md")
        .map(|n| n.trim_end_matches(".md").to_string())
        .collect();
    v.sort();
    v
}

const TOPICS: [&str; 3] = [
    "topics/xi-visit/",
    "topics/trilateral-summit/",
    "topics/russia-north-korea/",
];

#[test]
fn topic_pages_exist_and_home_links_them() {
    let (_tmp, public) = build_site();
    let home = page(&public, "");
    let links = links_from(&home, "");
    for t in TOPICS {
        assert!(public.join(t).join("index.html").is_file(), "{t} missing");
        let main = Selector::parse("main a[href]").unwrap();
        let in_main: Vec<String> = home
            .select(&main)
            .filter_map(|a| a.value().attr("href"))
            .map(|h| resolve("", h.split('#').next().unwrap_or("")))
            .collect();
        assert!(
            in_main.contains(&t.to_string()),
            "home's content does not link {t}: {links:?}"
        );
    }
}

#[test]
fn every_note_shows_its_backlinks() {
    let (_tmp, public) = build_site();
    // Person pages list backlinks as "Appears in"; other notes mark them in "Related notes".
    let sel = Selector::parse(
        ".backlinks a[href], .related li[data-direction=in] > a, .related li[data-direction=both] > a",
    )
    .unwrap();
    for dir in ["topics", "context", "people", ""] {
        for stem in notes_in(dir) {
            let url = if dir.is_empty() {
                format!("{stem}/")
            } else {
                format!("{dir}/{stem}/")
            };
            let doc = page(&public, &url);
            let n = doc.select(&sel).count();
            assert!(n >= 1, "{url} shows no backlinks");
        }
    }
}

#[test]
fn timeline_lists_every_event_in_date_order() {
    let (_tmp, public) = build_site();
    let doc = page(&public, "timeline/");
    let sel = Selector::parse("main time[datetime]").unwrap();
    let dates: Vec<String> = doc
        .select(&sel)
        .filter_map(|t| t.value().attr("datetime").map(str::to_string))
        .collect();
    let mut expected = 0;
    for entry in walkdir::WalkDir::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("content")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "md") {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            let front = text.split("\n---").next().unwrap_or("");
            expected += front
                .lines()
                .filter(|l| l.trim_start().starts_with("- date:"))
                .count();
        }
    }
    assert!(
        expected >= 5,
        "the notes should carry the article's dated events"
    );
    assert_eq!(dates.len(), expected, "timeline shows {dates:?}");
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted, "timeline is not in date order");
    let links = links_from(&doc, "timeline/");
    assert!(
        links.iter().any(|l| l == "topics/xi-visit/"),
        "events link to their notes"
    );
}

#[test]
fn every_person_is_linked_from_a_topic_note() {
    let (_tmp, public) = build_site();
    let mut from_topics = Vec::new();
    for t in TOPICS {
        let doc = page(&public, t);
        let main = Selector::parse("main a[href]").unwrap();
        from_topics.extend(
            doc.select(&main)
                .filter_map(|a| a.value().attr("href"))
                .map(|h| resolve(t, h.split('#').next().unwrap_or(""))),
        );
    }
    let people = notes_in("people");
    assert!(people.len() >= 5);
    for p in people {
        let url = format!("people/{p}/");
        assert!(
            from_topics.contains(&url),
            "{url} is not linked from any topic note"
        );
    }
}

#[test]
fn check_is_clean_with_no_warnings() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new(env!("CARGO_BIN_EXE_explainer"))
        .args(["check", "--strict", "--root"])
        .arg(repo)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "explainer check --strict:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
