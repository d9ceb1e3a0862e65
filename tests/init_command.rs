//! `explainer init`: a new project that builds as it is, the built-in templates copied out for
//! editing, and refusals that never overwrite the user's files.

mod common;

use common::*;
use std::path::Path;

/// Runs `explainer init <args>` in `dir`.
fn init(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["init"];
    all.extend_from_slice(args);
    run_in(dir, &all)
}

#[test]
fn init_creates_a_project_that_builds_without_warnings() {
    let tmp = tempfile::tempdir().unwrap();
    let r = init(tmp.path(), &["mysite"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("cd mysite"), "{}", r.stdout);
    let root = tmp.path().join("mysite");
    for f in [
        "site.yaml",
        "content/_index.md",
        "content/notes/_index.md",
        "content/notes/first-note.md",
    ] {
        assert!(root.join(f).is_file(), "{f} missing");
    }
    let site_yaml = std::fs::read_to_string(root.join("site.yaml")).unwrap();
    assert!(
        site_yaml.lines().filter(|l| l.starts_with('#')).count() >= 10,
        "site.yaml should explain its keys:\n{site_yaml}"
    );

    // `cd mysite && explainer build`
    let b = run_in(&root, &["build"]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    assert!(
        b.stderr.is_empty(),
        "a new project has no warnings:\n{}",
        b.stderr
    );
    let out = root.join("public");
    assert!(broken_refs(&out).is_empty(), "{:?}", broken_refs(&out));

    // The note shows each feature: a relative link, wikilinks, tags and an event.
    let note = page(&out, "notes/first-note/index.html");
    let body = hrefs(&note, "article a");
    assert!(
        body.contains(&"../../notes/second-note/".to_string()),
        "{body:?}"
    );
    assert!(
        body.contains(&"../../notes/second-note/#what-next".to_string()),
        "{body:?}"
    );
    assert!(
        links(&note, "article a")
            .iter()
            .any(|(h, t)| h == "../../notes/second-note/" && t == "the other note"),
        "wikilink with a label"
    );
    assert!(body.contains(&"../../tags/links/".to_string()), "{body:?}");
    let second = page(&out, "notes/second-note/index.html");
    assert!(
        hrefs(&second, "aside a").contains(&"../../notes/first-note/".to_string()),
        "backlinks"
    );
    let timeline = page(&out, "timeline/index.html");
    assert!(
        texts(&timeline, "main")
            .concat()
            .contains("The first note is written"),
        "the event is on the timeline"
    );
    assert!(out.join("tags/getting-started/index.html").is_file());
}

#[test]
fn init_in_the_current_folder_and_in_one_with_only_hidden_entries() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join(".git")).unwrap();
    let r = init(tmp.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(tmp.path().join("content/_index.md").is_file());
    assert_eq!(run_in(tmp.path(), &["check"]).code, 0);
}

#[test]
fn init_refuses_a_folder_that_is_not_empty_and_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("notes");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("todo.md"), "mine").unwrap();
    let r = init(tmp.path(), &["notes"]);
    assert_eq!(r.code, 2, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("not empty"), "{}", r.stderr);
    assert!(r.stderr.contains("todo.md"), "{}", r.stderr);
    assert_eq!(
        tree(&dir).into_keys().collect::<Vec<_>>(),
        vec!["todo.md".to_string()]
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("todo.md")).unwrap(),
        "mine"
    );
}

#[test]
fn init_templates_writes_every_built_in_template_and_the_build_uses_them() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("mysite");
    assert_eq!(init(tmp.path(), &["mysite"]).code, 0);
    let r = init(&root, &["--templates"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let written = tree(&root.join("templates"));
    for (name, text) in explainer::templates::DEFAULTS {
        assert_eq!(
            written.get(*name).map(Vec::as_slice),
            Some(text.as_bytes()),
            "{name}"
        );
    }
    assert!(written.contains_key("base.html") && written.contains_key("explainer/head.html"));

    // An edit to a copied template shows in the next build.
    let base = root.join("templates/base.html");
    let edited = std::fs::read_to_string(&base).unwrap().replace(
        "<footer class=\"wrap muted\">",
        "<footer class=\"wrap muted\"><p>Edited</p>",
    );
    std::fs::write(&base, edited).unwrap();
    assert_eq!(run_in(&root, &["build"]).code, 0);
    let home = page(&root.join("public"), "index.html");
    assert!(texts(&home, "footer p").contains(&"Edited".to_string()));
}

#[test]
fn init_templates_keeps_existing_templates_unless_forced() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(root.join("templates/page.html"), "mine").unwrap();
    let r = init(root, &["--templates"]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains("templates/page.html"), "{}", r.stderr);
    assert!(r.stderr.contains("--force"), "{}", r.stderr);
    assert_eq!(
        std::fs::read_to_string(root.join("templates/page.html")).unwrap(),
        "mine"
    );
    // The others were written.
    assert!(root.join("templates/base.html").is_file());

    let r = init(root, &["--templates", "--force"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_ne!(
        std::fs::read_to_string(root.join("templates/page.html")).unwrap(),
        "mine"
    );
}

#[test]
fn a_template_fills_the_blocks_of_base_html_the_readme_documents() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("mysite");
    assert_eq!(init(tmp.path(), &["mysite"]).code, 0);
    write_file(
        &root,
        "templates/page.html",
        "{% extends \"base.html\" %}\
         {% block title %}Note: {{ super() }}{% endblock title %}\
         {% block head %}<meta name=\"x-test\" content=\"head\">{% endblock head %}\
         {% block content %}<p id=\"mine\">{{ page.title }}</p>{% endblock content %}",
    );
    assert_eq!(run_in(&root, &["build"]).code, 0);
    let note = page(&root.join("public"), "notes/first-note/index.html");
    assert_eq!(
        texts(&note, "title"),
        vec!["Note: The first note · My explainer"]
    );
    assert_eq!(
        attrs(&note, "head meta[name=x-test]", "content"),
        vec!["head"]
    );
    assert_eq!(texts(&note, "main#main p#mine"), vec!["The first note"]);
}
