//! `explainer watch` under churn: 500 edits, renames, moves, deletes and re-creations across 50
//! notes within a few seconds. Once the watcher settles, its output must equal a clean build of
//! the final project byte for byte (the `.explainer-output` marker aside), and the watcher must
//! still be running and stop cleanly on SIGINT. Notes link only to the stable home page, so
//! every intermediate and final state builds. Set `EXPLAINER_TEST_SEED` to replay a run.

mod common;

use common::*;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const NOTES: usize = 50;
const OPS: usize = 500;
const TAGS: [&str; 5] = ["alpha", "beta", "gamma", "delta", "epsilon"];

/// Kills the watcher if the test fails before stopping it.
struct Watcher {
    child: Child,
    lines: mpsc::Receiver<String>,
    stderr: Arc<Mutex<String>>,
}

impl Drop for Watcher {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            self.child.kill().ok();
            self.child.wait().ok();
        }
    }
}

/// `../` as many times as `rel` (a path from the project root, `content/…`) is deep inside content/.
fn up(rel: &str) -> String {
    "../".repeat(rel.matches('/').count() - 1)
}

/// A note at `rel`: random tags, date and sometimes an event; links only to the home page.
fn note_text(rng: &mut TestRng, rel: &str, title: &str, version: usize) -> String {
    let tag_a = TAGS[rng.below(TAGS.len() as u64) as usize];
    let tag_b = TAGS[rng.below(TAGS.len() as u64) as usize];
    let mut fm = format!(
        "title: {title} (v{version})\ndescription: Version {version} of {title}.\ndate: 2023-{:02}-{:02}\ntags: [{tag_a}, {tag_b}]\n",
        rng.below(12) + 1,
        rng.below(28) + 1
    );
    if rng.below(4) == 0 {
        fm.push_str(&format!(
            "events:\n  - {{date: \"20{:02}-{:02}\", title: \"{title} happened (v{version})\"}}\n",
            10 + rng.below(14),
            rng.below(12) + 1
        ));
    }
    let paragraphs = 1 + rng.below(4);
    let mut body = String::new();
    for p in 0..paragraphs {
        body.push_str(&format!(
            "## Part {p}\n\nText {version}.{p} of {title}, back to [the home page]({}_index.md).\n\n",
            up(rel)
        ));
    }
    format!("---\n{fm}---\n{body}")
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn start_watch(root: &Path, out: &Path) -> Watcher {
    let mut child = Command::new(env!("CARGO_BIN_EXE_explainer"))
        .arg("watch")
        .arg("--root")
        .arg(root)
        .arg("--output")
        .arg(out)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let stderr = Arc::new(Mutex::new(String::new()));
    let mut err_pipe = child.stderr.take().unwrap();
    let sink = stderr.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = err_pipe.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    });
    let w = Watcher {
        child,
        lines,
        stderr,
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match w.lines.recv_timeout(left) {
            Ok(line) if line.contains("watching") => break,
            Ok(_) => {}
            Err(_) => panic!("watch did not start; stderr:\n{}", w.stderr.lock().unwrap()),
        }
    }
    w
}

/// Like `tree_without_marker`, for a folder that is being written: a file or folder that vanishes
/// while it is read makes the snapshot start over.
fn live_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) -> std::io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let p = entry?.path();
            if p.is_dir() {
                walk(base, &p, out)?;
            } else {
                let rel = p
                    .strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read(&p)?);
            }
        }
        Ok(())
    }
    for _ in 0..100 {
        let mut out = BTreeMap::new();
        if walk(dir, dir, &mut out).is_ok() {
            out.remove(".explainer-output");
            return out;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("{} kept changing while it was read", dir.display());
}

/// Waits until the output folder has not changed (and the watcher printed nothing) for 1.5 s;
/// at most 30 s. Returns the settled tree and how many `rebuilt` lines were seen meanwhile.
fn settle(w: &Watcher, out: &Path) -> (BTreeMap<String, Vec<u8>>, usize) {
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut last = live_tree(out);
    let mut since = Instant::now();
    let mut rebuilt = 0;
    loop {
        std::thread::sleep(Duration::from_millis(250));
        let mut printed = false;
        while let Ok(line) = w.lines.try_recv() {
            printed = true;
            if line.starts_with("rebuilt") {
                rebuilt += 1;
            }
        }
        let now = live_tree(out);
        if now != last || printed {
            last = now;
            since = Instant::now();
        } else if since.elapsed() >= Duration::from_millis(1500) {
            return (last, rebuilt);
        }
        assert!(
            Instant::now() < deadline,
            "the watcher did not settle within 30 s"
        );
    }
}

#[test]
fn watch_output_equals_a_clean_build_after_heavy_churn() {
    let seed = TestRng::seed_from_env();
    eprintln!("EXPLAINER_TEST_SEED={seed}");
    let mut rng = TestRng::new(seed);
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let out = tmp.path().join("out");
    write(
        &root,
        "site.yaml",
        // No social cards: drawing hundreds of them after the churn (in a debug build, on a busy
        // machine) outlasts the quiet spell `settle` takes for the end of rebuilding.
        "title: Churn\nbase_url: https://churn.example/\ncards: false\n",
    );
    write(
        &root,
        "content/_index.md",
        "---\ntitle: Home\n---\n## Welcome\n\nThe stable home page.\n",
    );
    write(
        &root,
        "content/notes/_index.md",
        "---\ntitle: Notes\nsort_by: date\n---\nAll the notes.\n",
    );
    // Live notes: path relative to the root → title. Names are never reused.
    let mut live: Vec<String> = Vec::new();
    let mut version = 0;
    for i in 0..NOTES {
        let rel = format!("content/notes/n{i:02}.md");
        write(
            &root,
            &rel,
            &note_text(&mut rng, &rel, &format!("Note {i}"), 0),
        );
        live.push(rel);
    }
    let w = start_watch(&root, &out);
    assert!(out.join("index.html").is_file());

    let mut counts = [0usize; 6];
    let started = Instant::now();
    let mut next_name = NOTES;
    for op in 0..OPS {
        version += 1;
        let pick = rng.below(live.len() as u64) as usize;
        let kind = match rng.below(100) {
            0..=4 => 5,                      // a broken save, fixed a moment later
            5..=44 => 0,                     // edit in place
            45..=59 => 1,                    // editor-style atomic save (hidden temp + rename)
            60..=74 => 2,                    // rename or move to another folder
            75..=86 if live.len() > 10 => 3, // delete
            _ => 4,                          // create
        };
        counts[kind] += 1;
        match kind {
            0 => {
                let title = format!("Note at {}", live[pick]);
                let text = note_text(&mut rng, &live[pick], &title, version);
                write(&root, &live[pick], &text);
            }
            1 => {
                let target = root.join(&live[pick]);
                let tmpfile = target.with_file_name(format!(".save-{op}.tmp"));
                let title = format!("Saved {}", live[pick]);
                std::fs::write(&tmpfile, note_text(&mut rng, &live[pick], &title, version))
                    .unwrap();
                std::fs::rename(&tmpfile, &target).unwrap();
            }
            2 => {
                let folder = ["content/notes", "content/more", "content/notes/deeper"]
                    [rng.below(3) as usize];
                let to = format!("{folder}/r{next_name:03}.md");
                next_name += 1;
                std::fs::create_dir_all(root.join(folder)).unwrap();
                std::fs::rename(root.join(&live[pick]), root.join(&to)).unwrap();
                // Keep the link to the home page valid at the new depth.
                let (from_up, to_up) = (up(&live[pick]), up(&to));
                if from_up != to_up {
                    let text = std::fs::read_to_string(root.join(&to)).unwrap();
                    let fixed = text.replace(
                        &format!("]({from_up}_index.md)"),
                        &format!("]({to_up}_index.md)"),
                    );
                    std::fs::write(root.join(&to), fixed).unwrap();
                }
                live[pick] = to;
            }
            5 => {
                // Unclosed front matter: an error the watcher reports, then recovers from.
                write(&root, &live[pick], "---\ntitle: Half-typed\n\n## Oops\n");
                std::thread::sleep(Duration::from_millis(40));
                let text = note_text(&mut rng, &live[pick], "Fixed", version);
                write(&root, &live[pick], &text);
            }
            3 => {
                std::fs::remove_file(root.join(&live[pick])).unwrap();
                live.swap_remove(pick);
            }
            _ => {
                let rel = format!("content/notes/c{next_name:03}.md");
                next_name += 1;
                let text = note_text(&mut rng, &rel, &format!("New {rel}"), version);
                write(&root, &rel, &text);
                live.push(rel);
            }
        }
        if op % 4 == 3 {
            std::thread::sleep(Duration::from_millis(12));
        }
    }
    let churn = started.elapsed();
    // The test keeps every note's link to the home page right for its folder.
    for rel in &live {
        let text = std::fs::read_to_string(root.join(rel)).unwrap();
        assert!(
            text.contains(&format!("]({}_index.md)", up(rel))),
            "{rel}: {text}"
        );
    }

    let (watched, rebuilt) = settle(&w, &out);
    eprintln!(
        "{OPS} changes in {churn:?} (edits, saves, moves, deletes, creates, broken saves: {counts:?}); {rebuilt} rebuilds after the churn"
    );
    let mut w = w;
    assert!(
        matches!(w.child.try_wait(), Ok(None)),
        "the watcher exited during the churn; stderr:\n{}",
        w.stderr.lock().unwrap()
    );
    {
        let err = w.stderr.lock().unwrap();
        assert!(!err.contains("panicked"), "the watcher panicked:\n{err}");
    }

    let clean = tmp.path().join("clean");
    let r = run_in(
        tmp.path(),
        &[
            "build",
            "--root",
            root.to_str().unwrap(),
            "--output",
            clean.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 0, "the final project does not build: {}", r.stderr);
    let fresh = tree_without_marker(&clean);
    assert!(
        watched == fresh,
        "after {OPS} changes the watched output differs from a clean build:\n{}",
        tree_diff(&watched, &fresh)
    );
    assert_eq!(
        staging_leftovers(tmp.path()),
        Vec::<String>::new(),
        "temporary folders beside the output"
    );
    let part_files: Vec<String> = tree(&out)
        .into_keys()
        .filter(|k| k.contains(".explainer-part-"))
        .collect();
    assert!(part_files.is_empty(), "half-written files: {part_files:?}");

    // SIGINT (Ctrl-C) stops it cleanly.
    let pid = w.child.id().to_string();
    let status = Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("run kill");
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let exit = loop {
        if let Some(s) = w.child.try_wait().unwrap() {
            break s;
        }
        assert!(
            Instant::now() < deadline,
            "watch did not stop within 10 s of SIGINT"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(
        exit.success(),
        "watch exited with {exit} after SIGINT; stderr:\n{}",
        w.stderr.lock().unwrap()
    );
    assert!(
        tree_without_marker(&out) == fresh,
        "stopping the watcher changed the output"
    );
}
