//! The output folder: deterministic builds, atomic replacement, and refusing dangerous folders.

mod common;

use common::*;
use std::path::Path;

fn assert_same_tree(a: &Path, b: &Path) {
    let (ta, tb) = (tree(a), tree(b));
    assert_eq!(
        ta.keys().collect::<Vec<_>>(),
        tb.keys().collect::<Vec<_>>(),
        "the two builds wrote different files"
    );
    for (k, v) in &ta {
        assert!(v == &tb[k], "{k} differs between the two builds");
    }
}

#[test]
fn two_builds_of_the_same_site_are_byte_identical() {
    // Two copies in different folders, built by two processes (different hash seeds, thread timing).
    let a = site("basic");
    let b = site("basic");
    let out_a = a.build(&[]);
    let out_b = b.build(&[]);
    assert!(tree(&out_a).len() > 15);
    assert_same_tree(&out_a, &out_b);
    // Rebuilding in place gives the same bytes again.
    let before = tree(&out_a);
    a.build(&[]);
    assert!(before == tree(&out_a), "a rebuild changed the output");
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let s = site("basic");
    let out = s.build(&[]);
    let before = tree(&out);
    assert!(before.contains_key("topics/xi-visit/index.html"));
    s.write(
        "content/topics/russia-factor.md",
        "---\ntitle: The Russia factor\n---\nNow broken: [x](nowhere.md).\n",
    );
    let r = s.cmd("build", &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("nowhere.md"), "{}", r.stderr);
    assert!(
        before == tree(&out),
        "the failed build changed the output folder"
    );
    assert_eq!(
        staging_leftovers(&s.root()),
        Vec::<String>::new(),
        "temporary folders left behind"
    );
}

#[test]
fn a_successful_rebuild_replaces_the_output_and_removes_stale_files() {
    let s = site("basic");
    let out = s.build(&[]);
    assert!(out.join("topics/russia-factor/index.html").is_file());
    std::fs::remove_file(s.root().join("content/topics/russia-factor.md")).unwrap();
    for f in [
        "content/topics/xi-visit.md",
        "content/topics/trilateral-summit.md",
    ] {
        let text = s
            .read(f)
            .replace("[Russia factor](russia-factor.md)", "Russia factor")
            .replace("[[russia-factor|The Russia factor]]", "The Russia factor")
            .replace("[[russia-factor\\|Moscow's role]]", "Moscow");
        s.write(f, text);
    }
    s.build(&[]);
    assert!(
        !out.join("topics/russia-factor").exists(),
        "stale page kept"
    );
    assert!(!out.join("tags/security").exists(), "stale tag page kept");
    assert!(out.join(".explainer-output").is_file());
    assert_eq!(staging_leftovers(&s.root()), Vec::<String>::new());
}

/// A rebuild links the previous output's copies of files that did not change (same size and
/// time) instead of copying them again; a changed file is copied anew; and when a static file
/// replaces a content file of the same path, the previous output's copy is not written through
/// the link (it must stay intact should the build fail).
#[cfg(unix)]
#[test]
fn a_rebuild_links_unchanged_copies_and_never_writes_through_them() {
    use std::io::Read;
    use std::os::unix::fs::MetadataExt;
    let s = site("basic");
    let out = s.build(&[]);
    let ino = |rel: &str| std::fs::metadata(out.join(rel)).unwrap().ino();
    let (map, css) = (ino("topics/map.png"), ino("style.css"));
    s.build(&[]);
    assert_eq!(
        ino("topics/map.png"),
        map,
        "an unchanged image was copied again"
    );
    assert_eq!(
        ino("style.css"),
        css,
        "an unchanged static file was copied again"
    );

    // Hold the previous output's image open: its bytes must survive the next build.
    let png = std::fs::read(out.join("topics/map.png")).unwrap();
    let mut held = std::fs::File::open(out.join("topics/map.png")).unwrap();
    s.write("static/style.css", "body { color: red }\n");
    s.write("static/topics/map.png", "a static file of the same path");
    s.build(&[]);
    assert_eq!(s.read("public/style.css"), "body { color: red }\n");
    assert_eq!(
        s.read("public/topics/map.png"),
        "a static file of the same path"
    );
    let mut kept = Vec::new();
    held.read_to_end(&mut kept).unwrap();
    assert!(
        kept == png,
        "the build wrote into the previous output's copy"
    );
}

/// Runs a build into `output` and checks it is refused with exit code 2, touching nothing.
fn assert_refused(s: &Site, output: &Path, why: &str) {
    let watched = s.tmp.path();
    let before = tree(watched);
    let r = s.cmd("build", &["--output", output.to_str().unwrap()]);
    assert_eq!(
        r.code, 2,
        "{why}: expected exit 2\nstdout: {}\nstderr: {}",
        r.stdout, r.stderr
    );
    assert!(r.stderr.contains("refusing"), "{why}: {}", r.stderr);
    assert!(before == tree(watched), "{why}: files changed");
    assert!(staging_leftovers(s.tmp.path()).is_empty() && staging_leftovers(&s.root()).is_empty());
}

#[test]
fn output_into_the_project_root_is_refused() {
    let s = site("basic");
    assert_refused(&s, &s.root(), "project root");
}

#[test]
fn output_into_a_source_folder_is_refused() {
    let s = site("basic");
    assert_refused(&s, &s.root().join("content"), "content/");
    assert_refused(&s, &s.root().join("static"), "static/");
    assert_refused(&s, &s.root().join("content/topics"), "inside content/");
}

#[test]
fn output_into_an_ancestor_of_the_project_is_refused() {
    let s = site("basic");
    assert_refused(&s, s.tmp.path(), "parent of the project");
}

#[test]
fn output_into_a_foreign_non_empty_folder_is_refused() {
    let s = site("basic");
    let foreign = s.tmp.path().join("photos");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(foreign.join("holiday.jpg"), b"precious").unwrap();
    assert_refused(&s, &foreign, "non-empty folder without marker");
    assert_eq!(
        std::fs::read(foreign.join("holiday.jpg")).unwrap(),
        b"precious"
    );
}

#[test]
fn output_into_a_new_or_previously_built_folder_is_accepted() {
    let s = site("basic");
    let out = s.tmp.path().join("dist");
    let arg = out.to_str().unwrap();
    let r = s.cmd("build", &["--output", arg]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(out.join("index.html").is_file() && out.join(".explainer-output").is_file());
    // The marker makes the folder ours: building again replaces it.
    let r = s.cmd("build", &["--output", arg]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(staging_leftovers(s.tmp.path()).is_empty());
}
