//! Incremental rebuilds (what `watch` and `serve` do) must give exactly the bytes of a clean build,
//! after every kind of edit, and must re-render only what an edit affects.

mod common;

use explainer::config::{Options, Settings};
use explainer::output::DirSink;
use explainer::serve::watcher::{Layout, classify};
use explainer::serve::{Rebuilt, Session};
use std::path::{Path, PathBuf};

struct Harness {
    site: common::Site,
    session: Session,
    layout: Layout,
}

impl Harness {
    fn new() -> Self {
        Self::on(common::site("basic"))
    }

    /// The `basic` site as a vault's is set up: unknown front-matter keys allowed.
    fn vault() -> Self {
        let site = common::site("basic");
        let yaml = site.read("site.yaml");
        site.write(
            "site.yaml",
            format!("{yaml}front_matter: {{allow_unknown: true}}\n"),
        );
        Self::on(site)
    }

    fn on(site: common::Site) -> Self {
        let settings = settings(&site.root());
        let out = site.tmp.path().join("live");
        let mut session = Session::new(settings.clone(), out, false);
        session.full().expect("first build");
        let layout = common::watch_layout(&settings);
        Harness {
            site,
            session,
            layout,
        }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.layout.root.join(rel)
    }

    /// Applies a change to the files `touched` (relative to the project) the way the watcher would.
    fn changed(&mut self, touched: &[&str]) -> Result<Rebuilt, String> {
        let paths: Vec<PathBuf> = touched.iter().map(|t| self.path(t)).collect();
        let changes = classify(paths.iter().map(PathBuf::as_path), &self.layout);
        self.session.apply(&changes).map_err(|d| d.render(false))
    }

    fn edit(&mut self, rel: &str, from: &str, to: &str) -> Result<Rebuilt, String> {
        let text = self.site.read(rel);
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        self.site.write(rel, text.replacen(from, to, 1));
        self.changed(&[rel])
    }

    /// The live folder equals a clean build of the project as it is now.
    fn assert_same_as_clean_build(&self, step: &str) {
        let clean = self
            .site
            .tmp
            .path()
            .join(format!("clean-{}", step.replace(' ', "-")));
        let settings = settings(&self.site.root());
        explainer::pipeline::build(&settings, &DirSink::new(&clean)).expect("clean build");
        let live = common::tree(self.session.dir());
        let fresh = common::tree(&clean);
        let live_names: Vec<&String> = live.keys().collect();
        let fresh_names: Vec<&String> = fresh.keys().collect();
        assert_eq!(live_names, fresh_names, "after {step}: the files differ");
        for (name, bytes) in &fresh {
            assert!(
                live[name] == *bytes,
                "after {step}: {name} differs from a clean build"
            );
        }
    }
}

fn settings(root: &Path) -> Settings {
    Settings::load(&Options {
        root: root.to_path_buf(),
        ..Options::default()
    })
    .unwrap()
}

fn pages(r: &Rebuilt) -> Vec<String> {
    r.written
        .iter()
        .filter(|p| p.ends_with(".html"))
        .cloned()
        .collect()
}

#[test]
fn a_sequence_of_edits_ends_byte_identical_to_a_clean_build() {
    let mut h = Harness::new();

    let r = h
        .edit(
            "content/topics/xi-visit.md",
            "Xi last came",
            "Xi Jinping last came",
        )
        .unwrap();
    assert_eq!(r.pages, 1, "a body edit renders only its page");
    assert_eq!(pages(&r), vec!["topics/xi-visit/index.html"]);
    h.assert_same_as_clean_build("body edit");

    let r = h
        .edit(
            "content/topics/trilateral-summit.md",
            "title:",
            "title: Renamed —",
        )
        .unwrap();
    assert!(r.pages > 1, "a title shows on other pages");
    assert!(
        pages(&r).contains(&"topics/xi-visit/index.html".to_string()),
        "the wikilink text and backlinks change"
    );
    h.assert_same_as_clean_build("title edit");

    let r = h
        .edit(
            "content/topics/russia-factor.md",
            "\n---\n",
            "\n---\nSee [Xi](../people/xi-jinping.md).\n\n",
        )
        .unwrap();
    assert!(
        pages(&r).contains(&"people/xi-jinping/index.html".to_string()),
        "the target's backlinks change"
    );
    h.assert_same_as_clean_build("link added");

    h.edit(
        "content/topics/russia-factor.md",
        "tags: [",
        "tags: [diplomacy, ",
    )
    .unwrap();
    h.assert_same_as_clean_build("tag added");

    h.edit(
        "content/topics/xi-visit.md",
        "Xi's last visit to Seoul",
        "Xi's last visit to South Korea",
    )
    .unwrap();
    h.assert_same_as_clean_build("event edited");

    // Order changes: a weight and a date move notes within their section and tag lists.
    h.edit(
        "content/topics/russia-factor.md",
        "title:",
        "weight: -5\ntitle:",
    )
    .unwrap();
    h.assert_same_as_clean_build("weight edit");
    h.edit(
        "content/topics/xi-visit.md",
        "date: 2023-10-01",
        "date: 2019-01-01",
    )
    .unwrap();
    h.assert_same_as_clean_build("date edit");

    h.site.write(
        "content/topics/fresh.md",
        "---\ntitle: Fresh\ndate: 2023-10-03\n---\nSee [[xi-visit]].\n",
    );
    h.changed(&["content/topics/fresh.md"]).unwrap();
    h.assert_same_as_clean_build("note created");

    std::fs::remove_file(h.path("content/topics/fresh.md")).unwrap();
    h.changed(&["content/topics/fresh.md"]).unwrap();
    h.assert_same_as_clean_build("note deleted");

    let err = h
        .edit("content/people/xi-jinping.md", "title:", "titel:")
        .unwrap_err();
    assert!(err.contains("unknown key `titel`"), "{err}");
    h.edit("content/people/xi-jinping.md", "titel:", "title:")
        .unwrap();
    h.assert_same_as_clean_build("error fixed");

    // Rename a linked note away (links break), then back.
    std::fs::rename(
        h.path("content/topics/russia-factor.md"),
        h.path("content/topics/russia.md"),
    )
    .unwrap();
    let err = h
        .changed(&[
            "content/topics/russia-factor.md",
            "content/topics/russia.md",
        ])
        .unwrap_err();
    assert!(err.contains("russia-factor"), "{err}");
    std::fs::rename(
        h.path("content/topics/russia.md"),
        h.path("content/topics/russia-factor.md"),
    )
    .unwrap();
    h.changed(&[
        "content/topics/russia-factor.md",
        "content/topics/russia.md",
    ])
    .unwrap();
    h.assert_same_as_clean_build("rename and back");

    let css = h.site.read("static/style.css");
    h.site
        .write("static/style.css", format!("{css}\nbody {{ margin: 0 }}\n"));
    let r = h.changed(&["static/style.css"]).unwrap();
    assert!(r.css_only);
    assert_eq!(r.written, vec!["style.css"]);
    h.assert_same_as_clean_build("css edit");

    h.site.write("templates/page.html", "{% extends \"base.html\" %}{% block content %}<h1>{{ page.title }}</h1>{{ page.content }}{% endblock content %}");
    let r = h.changed(&["templates/page.html"]).unwrap();
    assert!(r.pages > 3, "a template change renders everything");
    h.assert_same_as_clean_build("template added");

    h.edit("site.yaml", "title:", "title: Retitled").unwrap();
    h.assert_same_as_clean_build("site.yaml edited");

    // Editor noise changes nothing.
    h.site.write("content/topics/.xi-visit.md.swp", "swap");
    h.site.write("content/topics/xi-visit.md~", "backup");
    let paths = [
        "content/topics/.xi-visit.md.swp",
        "content/topics/xi-visit.md~",
    ];
    let changes = classify(
        paths
            .iter()
            .map(|p| h.path(p))
            .collect::<Vec<_>>()
            .iter()
            .map(PathBuf::as_path),
        &h.layout,
    );
    assert!(changes.is_empty());
}

#[test]
fn a_deleted_note_removes_its_page_and_reports_the_links_that_break() {
    let mut h = Harness::new();
    std::fs::remove_file(h.path("content/people/xi-jinping.md")).unwrap();
    let err = h.changed(&["content/people/xi-jinping.md"]).unwrap_err();
    assert!(err.contains("people/xi-jinping.md"), "{err}");
    assert!(
        h.session
            .dir()
            .join("people/xi-jinping/index.html")
            .exists(),
        "the last good site stays"
    );
    // Remove the links too: now the page goes away.
    for rel in [
        "content/topics/xi-visit.md",
        "content/topics/trilateral-summit.md",
        "content/topics/russia-factor.md",
        "content/_index.md",
    ] {
        let text = h.site.read(rel);
        let cleaned: String = text
            .lines()
            .map(|l| {
                if l.contains("xi-jinping") {
                    "Removed."
                } else {
                    l
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        h.site.write(rel, cleaned);
    }
    h.changed(&[
        "content/topics/xi-visit.md",
        "content/topics/trilateral-summit.md",
        "content/topics/russia-factor.md",
        "content/_index.md",
    ])
    .unwrap();
    assert!(
        !h.session
            .dir()
            .join("people/xi-jinping/index.html")
            .exists()
    );
    h.assert_same_as_clean_build("deleted note");
}

/// With templates that show no site-wide lists, a title edit re-renders only the pages that
/// show that note, and the result still equals a clean build.
#[test]
fn precise_dependencies_when_templates_use_no_global_lists() {
    let mut h = Harness::new();
    h.site.write("templates/base.html", "<!DOCTYPE html><html lang=\"en\"><head><title>{% block title %}t{% endblock title %}</title></head><body>{% block content %}{% endblock content %}</body></html>\n");
    h.site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<h1>{{ page.title }}</h1>{{ page.content }}\
<ul class=\"backlinks\">{% for b in page.backlinks %}<li>{{ b.title }}</li>{% endfor %}</ul>\
<ul class=\"links\">{% for b in page.links %}<li>{{ b.title }}</li>{% endfor %}</ul>{% endblock content %}",
    );
    h.site.write(
        "templates/section.html",
        "{% extends \"base.html\" %}{% block content %}<h1>{{ section.title }}</h1>{% for p in section.pages %}{{ p.title }}{% endfor %}{% endblock content %}",
    );
    h.site
        .write("templates/index.html", "{% extends \"section.html\" %}");
    h.changed(&["templates/base.html"]).unwrap();
    h.assert_same_as_clean_build("templates");

    let r = h
        .edit("content/people/xi-jinping.md", "title:", "title: President")
        .unwrap();
    let written = pages(&r);
    assert!(written.contains(&"people/xi-jinping/index.html".to_string()));
    assert!(
        written.contains(&"topics/xi-visit/index.html".to_string()),
        "links to it show its title"
    );
    assert!(
        !written.contains(&"topics/russia-factor/index.html".to_string()),
        "{written:?}"
    );
    assert!(
        r.pages < 9,
        "only the pages that show the note are rendered, not {}",
        r.pages
    );
    h.assert_same_as_clean_build("title edit, precise");

    h.edit(
        "content/topics/russia-factor.md",
        "\n---\n",
        "\n---\nSee [Xi](../people/xi-jinping.md).\n\n",
    )
    .unwrap();
    h.assert_same_as_clean_build("link added, precise");
    h.edit(
        "content/topics/russia-factor.md",
        "title:",
        "title: Moscow —",
    )
    .unwrap();
    h.assert_same_as_clean_build("title of a linking note, precise");
    h.edit("content/topics/xi-visit.md", "tags: [", "tags: [people, ")
        .unwrap_or_else(|e| panic!("{e}"));
    h.assert_same_as_clean_build("tags, precise");
}

#[test]
fn publish_permalink_and_cssclasses_rebuild_what_they_affect() {
    let mut h = Harness::new();

    let r = h
        .edit(
            "content/topics/xi-visit.md",
            "tags: [",
            "cssclasses: [wide]\ntags: [",
        )
        .unwrap();
    assert!(pages(&r).contains(&"topics/xi-visit/index.html".to_string()));
    let live = h.session.dir().to_path_buf();
    let html = common::page(&live, "topics/xi-visit/index.html");
    assert_eq!(common::attrs(&html, "article", "class"), ["wide"]);
    h.assert_same_as_clean_build("cssclasses added");

    h.site.write(
        "content/topics/aside.md",
        "---\ntitle: Aside\n---\nAbout [[xi-visit]].\n",
    );
    h.changed(&["content/topics/aside.md"]).unwrap();
    assert!(live.join("topics/aside/index.html").is_file());
    h.assert_same_as_clean_build("note added");

    h.edit(
        "content/topics/aside.md",
        "title:",
        "publish: false\ntitle:",
    )
    .unwrap();
    assert!(
        !live.join("topics/aside").exists(),
        "an unpublished note goes"
    );
    h.assert_same_as_clean_build("publish: false");

    h.edit(
        "content/topics/aside.md",
        "publish: false",
        "permalink: elsewhere/aside",
    )
    .unwrap();
    assert!(live.join("elsewhere/aside/index.html").is_file());
    assert!(!live.join("topics/aside").exists());
    h.assert_same_as_clean_build("permalink");

    h.edit(
        "content/topics/secret-plan.md",
        "draft: true",
        "publish: true",
    )
    .unwrap();
    assert!(live.join("topics/secret-plan/index.html").is_file());
    h.assert_same_as_clean_build("a draft published");
}

/// Tags written in a body (`#tag`) are the note's tags too: adding or removing one re-renders the
/// tag pages, and every step equals a clean build. Comments leave nothing behind.
#[test]
fn inline_tag_edits_rebuild_tag_pages_like_a_clean_build() {
    let mut h = Harness::new();
    let note = "content/topics/russia-factor.md";

    // A tag other notes have: its page lists one more note.
    let r = h
        .edit(note, "\n---\n", "\n---\nOn #Diplomacy too.\n\n")
        .unwrap();
    assert!(
        r.written.contains(&"tags/diplomacy/index.html".to_string()),
        "{:?}",
        r.written
    );
    h.assert_same_as_clean_build("inline tag added");

    // A tag no note had: a new tag page, nested.
    h.edit(
        note,
        "On #Diplomacy too.",
        "On #Diplomacy and #region/east-asia.",
    )
    .unwrap();
    assert!(
        h.session
            .dir()
            .join("tags/region/east-asia/index.html")
            .is_file()
    );
    h.assert_same_as_clean_build("new nested inline tag");

    // A body edit that keeps the tags renders only the page.
    let r = h.edit(note, "On #Diplomacy", "Also on #Diplomacy").unwrap();
    assert_eq!(pages(&r), vec!["topics/russia-factor/index.html"]);
    h.assert_same_as_clean_build("text around tags edited");

    // Removing them: the new tag page goes, the shared one lists one note fewer.
    h.edit(
        note,
        "Also on #Diplomacy and #region/east-asia.",
        "No tags here.",
    )
    .unwrap();
    assert!(
        !h.session
            .dir()
            .join("tags/region/east-asia/index.html")
            .exists()
    );
    h.assert_same_as_clean_build("inline tags removed");

    // A tag inside a comment is no tag.
    h.edit(note, "No tags here.", "No tags %%#hidden%% here.")
        .unwrap();
    assert!(!h.session.dir().join("tags/hidden").exists());
    h.assert_same_as_clean_build("tag in a comment");
}

/// In a vault, front matter that is no YAML is a warning and the note builds without properties:
/// an edit that breaks it (or mends it) rebuilds like a clean build instead of failing.
#[test]
fn a_vault_note_whose_front_matter_stops_being_yaml_still_rebuilds() {
    let mut h = Harness::vault();
    let rel = "content/topics/russia-factor.md";
    let before = h.site.read(rel);
    h.edit(rel, "---\n", "---\nlevel: {{level}}\nbroken: [\n")
        .unwrap();
    let live = h.session.dir().to_path_buf();
    let html = common::page(&live, "topics/russia-factor/index.html");
    assert_eq!(
        common::texts(&html, "h1"),
        ["russia-factor"],
        "no properties: the file name"
    );
    h.assert_same_as_clean_build("front matter broken");

    h.site.write(rel, &before);
    h.changed(&[rel]).unwrap();
    h.assert_same_as_clean_build("front matter mended");
}

/// A taxonomy other than tags (`categories`) is selected like tags: an edit of a note's
/// `categories:` renders its term pages and feeds again, and the output equals a clean build.
#[test]
fn category_edits_rebuild_term_pages_like_a_clean_build() {
    let mut h = Harness::on(common::site("taxonomies"));
    let note = "content/notes/summit.md";
    // Leaving a category other notes keep: its pages and feed list one note fewer.
    let r = h
        .edit(
            note,
            "categories: [Diplomacy, Trade]",
            "categories: [Trade, Diplomacy]",
        )
        .unwrap();
    assert!(
        !r.written.iter().any(|w| w.starts_with("categories/")),
        "same terms, other order: {:?}",
        r.written
    );
    h.assert_same_as_clean_build("categories reordered");
    let r = h
        .edit(
            note,
            "categories: [Trade, Diplomacy]",
            "categories: [Trade]",
        )
        .unwrap();
    for written in [
        "categories/diplomacy/index.html",
        "categories/diplomacy/atom.xml",
        "categories/index.html",
    ] {
        assert!(r.written.contains(&written.to_string()), "{:?}", r.written);
    }
    h.assert_same_as_clean_build("category left");
    // A new category: new pages.
    h.edit(note, "categories: [Trade]", "categories: [Trade, Summits]")
        .unwrap();
    assert!(
        h.session
            .dir()
            .join("categories/summits/index.html")
            .is_file()
    );
    h.assert_same_as_clean_build("category added");
}
