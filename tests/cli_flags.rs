//! Each command offers only the flags that change what it does, and the README's command
//! summary lists every flag each command has.

mod common;

use common::*;

/// The `--long` flags `explainer <command> --help` offers (without `--help`/`--version`).
fn flags(command: &str) -> Vec<String> {
    let r = run_in(std::env::temp_dir().as_path(), &[command, "--help"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Option lines read `  -o, --output <DIR>  …` or `      --drafts  …`.
    let mut out: Vec<String> = r
        .stdout
        .lines()
        .filter(|l| l.trim_start().starts_with('-'))
        .filter_map(|l| {
            l.split(|c: char| c.is_whitespace() || c == ',')
                .find(|w| w.starts_with("--"))
        })
        .map(str::to_string)
        .filter(|w| w != "--help" && w != "--version")
        .collect();
    out.sort();
    out.dedup();
    out
}

#[test]
fn check_offers_no_output_flags() {
    let check = flags("check");
    for f in ["--minify", "--file-links", "--base-url", "--output"] {
        assert!(
            !check.contains(&f.to_string()),
            "check offers {f}: {check:?}"
        );
    }
    assert!(check.contains(&"--strict".to_string()), "{check:?}");
    let r = run_in(std::env::temp_dir().as_path(), &["check", "--minify"]);
    assert_eq!(r.code, 2, "an unknown flag is a usage error");
}

#[test]
fn the_readme_command_summary_lists_every_flag() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let summary = readme
        .split("## Commands\n\n```\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a command summary in README.md");
    for command in ["init", "build", "serve", "watch", "check", "new"] {
        let lines: Vec<&str> = summary
            .lines()
            .filter(|l| l.starts_with(&format!("explainer {command} ")))
            .collect();
        assert!(!lines.is_empty(), "{command} is missing from the summary");
        let documented = lines.join(" ");
        for flag in flags(command) {
            assert!(
                documented.contains(&format!("[{flag}"))
                    || documented.contains(&format!(" {flag}")),
                "README's summary of `{command}` lacks {flag}:\n{documented}"
            );
        }
    }
}
