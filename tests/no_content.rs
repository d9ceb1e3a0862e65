//! No silent empty sites: `build`, `check`, `serve` and `watch` run where there is no
//! `content/` folder exit 2, say where they looked and what to do, and write nothing
//! (serve and watch stop before binding a port or watching).

mod common;

use common::*;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

/// Runs the binary in `dir`, failing the test (and killing the process) if it has not exited
/// within a minute: `serve` and `watch` would otherwise run until stopped.
fn run_bounded(dir: &Path, args: &[&str]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_explainer"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run explainer");
    let read = |pipe: Option<Box<dyn std::io::Read + Send>>| {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut text = String::new();
            if let Some(mut p) = pipe {
                p.read_to_string(&mut text).ok();
            }
            tx.send(text).ok();
        });
        rx
    };
    let out = read(child.stdout.take().map(|p| Box::new(p) as _));
    let err = read(child.stderr.take().map(|p| Box::new(p) as _));
    // The pipes close when the process exits.
    let Ok(stderr) = err.recv_timeout(Duration::from_secs(60)) else {
        child.kill().ok();
        panic!("explainer {args:?} did not exit");
    };
    let stdout = out.recv().unwrap_or_default();
    let code = child.wait().unwrap().code().unwrap_or(-1);
    Run {
        code,
        stdout,
        stderr,
    }
}

fn assert_refused(r: &Run, looked_in: &Path, what: &str) {
    assert_eq!(
        r.code, 2,
        "{what}\nstdout: {}\nstderr: {}",
        r.stdout, r.stderr
    );
    assert!(r.stdout.is_empty(), "{what}: {}", r.stdout);
    let looked = std::fs::canonicalize(looked_in).unwrap().join("content");
    assert!(
        r.stderr.contains(&looked.display().to_string()),
        "{what}: the message names where it looked\n{}",
        r.stderr
    );
    assert!(r.stderr.contains("help:"), "{what}: {}", r.stderr);
}

#[test]
fn every_command_refuses_an_empty_folder_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    for args in [
        &["build"][..],
        &["check"],
        &["serve", "--port", "0"],
        &["watch"],
    ] {
        let r = run_bounded(tmp.path(), args);
        assert_refused(&r, tmp.path(), args[0]);
        assert!(r.stderr.contains("--root"), "{}", r.stderr);
        assert!(r.stderr.contains("explainer init"), "{}", r.stderr);
        assert!(r.stderr.contains("cd "), "{}", r.stderr);
        assert!(
            tree(tmp.path()).is_empty() && std::fs::read_dir(tmp.path()).unwrap().next().is_none(),
            "{}: wrote something",
            args[0]
        );
    }
}

#[test]
fn run_inside_content_it_points_one_folder_up_and_writes_no_public() {
    let s = site("tiny");
    let content = s.root().join("content");
    let before = tree(&s.root());
    for args in [
        &["build"][..],
        &["check"],
        &["serve", "--port", "0"],
        &["watch"],
    ] {
        let r = run_bounded(&content, args);
        assert_refused(&r, &content, args[0]);
        assert!(r.stderr.contains("--root .."), "{}", r.stderr);
        assert!(!content.join("public").exists(), "{}", args[0]);
    }
    assert_eq!(tree(&s.root()), before, "the project is unchanged");
    // From the right folder, the same site builds.
    assert_eq!(run_in(&s.root(), &["build"]).code, 0);
}

#[test]
fn root_pointing_at_a_folder_without_content_is_refused_too() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("site.yaml"), "title: x\n").unwrap();
    let r = run_in(
        tmp.path(),
        &["build", "--root", tmp.path().to_str().unwrap()],
    );
    assert_refused(&r, tmp.path(), "build --root");
    assert!(!tmp.path().join("public").exists());
}
