//! Crash safety: a build killed with SIGKILL at any moment leaves the output folder either the old
//! complete site or the new complete site, never a mix; the next build cleans up whatever the
//! killed one left beside the output folder.
//!
//! Two versions of a 300-note site, A and B, differ in every page. Builds of A and B into the same
//! output folder are started and killed after a random delay, 50 times; after each kill the output
//! folder must be exactly A's tree or B's tree (computed beforehand), or not exist at all if no build
//! has finished yet. Set `EXPLAINER_TEST_SEED` to replay a run.

mod common;

use common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const NOTES: usize = 300;
const KILLS: usize = 50;

/// Writes version `v` ("A" or "B") of the site into `root`: every page's text depends on `v`.
fn write_version(root: &Path, v: &str) {
    let lower = v.to_lowercase();
    std::fs::create_dir_all(root.join("content/notes")).unwrap();
    std::fs::write(
        root.join("site.yaml"),
        format!("title: Crash site {v}\nbase_url: https://{lower}.example.org/\n"),
    )
    .unwrap();
    let mut home = format!("---\ntitle: Home {v}\n---\nVersion {v} of the home page.\n\n");
    for i in 0..NOTES {
        home.push_str(&format!("- [[n{i:03}]]\n"));
    }
    std::fs::write(root.join("content/_index.md"), home).unwrap();
    std::fs::write(
        root.join("content/notes/_index.md"),
        format!("---\ntitle: Notes {v}\n---\nAll notes, version {v}.\n"),
    )
    .unwrap();
    for i in 0..NOTES {
        let next = (i + 1) % NOTES;
        std::fs::write(
            root.join(format!("content/notes/n{i:03}.md")),
            format!(
                "---\ntitle: Note {i} version {v}\ndescription: Note {i}, as of version {v}.\n\
date: 2023-{:02}-{:02}\ntags: [topic-{}-{lower}]\n---\n## Heading {i}\n\n\
Version {v} text of note {i}. {}\n\nNext: [[n{next:03}]].\n",
                i % 12 + 1,
                i % 28 + 1,
                i % 10,
                "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(6)
            ),
        )
        .unwrap();
    }
}

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_explainer")
}

fn build_cmd(root: &Path, out: &Path) -> Command {
    let mut c = Command::new(bin());
    c.arg("build")
        .arg("--root")
        .arg(root)
        .arg("--output")
        .arg(out)
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

/// A complete build of `root` into `out`, which must succeed; returns how long it took.
fn full_build(root: &Path, out: &Path) -> Duration {
    let start = Instant::now();
    let r = Command::new(bin())
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--output")
        .arg(out)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(
        r.status.success(),
        "build of {} failed: {}",
        root.display(),
        String::from_utf8_lossy(&r.stderr)
    );
    start.elapsed()
}

#[derive(Debug, Default)]
struct Tally {
    absent: usize,
    a: usize,
    b: usize,
    with_leftovers: usize,
}

#[test]
fn a_killed_build_leaves_the_old_site_or_the_new_one_never_a_mix() {
    let seed = TestRng::seed_from_env();
    eprintln!("EXPLAINER_TEST_SEED={seed}");
    let mut rng = TestRng::new(seed);
    let tmp = tempfile::tempdir().unwrap();
    let roots: [PathBuf; 2] = [tmp.path().join("site-a"), tmp.path().join("site-b")];
    write_version(&roots[0], "A");
    write_version(&roots[1], "B");

    // The two complete outputs, and how long a build takes here.
    let clean = [tmp.path().join("clean-a"), tmp.path().join("clean-b")];
    let start = Instant::now();
    let mut both: Vec<_> = (0..2)
        .map(|v| {
            let mut c = build_cmd(&roots[v], &clean[v]);
            c.stderr(Stdio::inherit());
            c.spawn().unwrap()
        })
        .collect();
    for c in &mut both {
        assert!(c.wait().unwrap().success(), "a clean build failed");
    }
    // Two builds ran side by side: one alone takes about half as long (at least).
    let took = start.elapsed() / 2;
    let trees: [BTreeMap<String, Vec<u8>>; 2] = [tree(&clean[0]), tree(&clean[1])];
    assert!(trees[0].len() > NOTES, "{} files", trees[0].len());
    assert_eq!(
        trees[0].keys().filter(|k| k.ends_with(".html")).count(),
        trees[1].keys().filter(|k| k.ends_with(".html")).count()
    );
    for (k, v) in &trees[0] {
        if k.ends_with(".html") || k.ends_with(".xml") {
            assert!(
                trees[1].get(k).is_none_or(|w| w != v),
                "{k} is the same in A and B: the test could not tell them apart"
            );
        }
    }

    // Kill builds into one output folder at random moments: half within the first 40 ms,
    // half anywhere in a build's measured length (so some land while writing or swapping),
    // capped so that a slow machine keeps the test short.
    let out = tmp.path().join("out");
    let span = (took.as_millis() as u64 * 13 / 10).clamp(41, 600);
    let mut tally = Tally::default();
    let mut ever_built = false;
    for i in 0..KILLS {
        let which = rng.below(2) as usize;
        let delay = if i % 2 == 0 {
            rng.below(41)
        } else {
            rng.below(span)
        };
        let mut child = build_cmd(&roots[which], &out).spawn().unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        child.kill().ok(); // SIGKILL; fails only if it already exited
        child.wait().unwrap();

        if !staging_leftovers(tmp.path()).is_empty() {
            tally.with_leftovers += 1;
        }
        if !out.exists() {
            assert!(
                !ever_built,
                "kill {i} (after {delay} ms, building {}): the output folder is gone; beside it: {:?}",
                ["A", "B"][which],
                staging_leftovers(tmp.path())
            );
            tally.absent += 1;
        } else {
            let now = tree(&out);
            if now == trees[0] {
                tally.a += 1;
            } else if now == trees[1] {
                tally.b += 1;
            } else {
                panic!(
                    "kill {i} (after {delay} ms, building {}): the output folder is neither A nor B.\n\
                     against A:\n{}\nagainst B:\n{}",
                    ["A", "B"][which],
                    tree_diff(&trees[0], &now),
                    tree_diff(&trees[1], &now)
                );
            }
            ever_built = true;
        }
        // Now and then a build runs to completion, so kills also land on top of both versions.
        if i % 25 == 12 {
            let v = rng.below(2) as usize;
            full_build(&roots[v], &out);
            assert!(
                tree(&out) == trees[v],
                "a complete build after kill {i} is not {}",
                ["A", "B"][v]
            );
            assert_eq!(staging_leftovers(tmp.path()), Vec::<String>::new());
            ever_built = true;
        }
    }
    eprintln!("build takes ~{took:?}; after {KILLS} kills: {tally:?}");
    assert!(
        tally.with_leftovers > 0,
        "no kill landed while a build was writing (build takes {took:?}): {tally:?}"
    );

    // A normal build cleans up what the killed ones left beside the output folder.
    full_build(&roots[0], &out);
    assert!(tree(&out) == trees[0], "the final build is not A");
    assert_eq!(
        staging_leftovers(tmp.path()),
        Vec::<String>::new(),
        "temporary folders left beside the output after a normal build"
    );
}

#[test]
fn leftovers_of_killed_builds_do_not_leak_into_the_next_output() {
    // A killed build's staging folder holds a partial site; the next build must not reuse it.
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    write_version(&root, "A");
    let out = tmp.path().join("out");
    full_build(&root, &out);
    let good = tree(&out);
    let stale = tmp.path().join(".out.explainer-tmp-999999");
    std::fs::create_dir_all(stale.join("notes/n000")).unwrap();
    std::fs::write(stale.join("notes/n000/index.html"), "half-written").unwrap();
    std::fs::write(stale.join("stray.html"), "stray").unwrap();
    let old = tmp.path().join(".out.explainer-old-999998");
    std::fs::create_dir_all(&old).unwrap();
    std::fs::write(old.join("stray.html"), "old stray").unwrap();
    full_build(&root, &out);
    assert!(tree(&out) == good, "{}", tree_diff(&good, &tree(&out)));
    assert_eq!(staging_leftovers(tmp.path()), Vec::<String>::new());
}
