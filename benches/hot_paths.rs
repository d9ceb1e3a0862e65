//! Micro-benchmarks of the hot paths, so regressions show (issue 5). Whole-process timings
//! against Hugo and the floor program are `bench/run`'s job; these time one piece each:
//!
//! * `markdown/render_note`: Markdown + link rewriting of one ~5 KB note with its links resolved
//!   through the real `LinkIndex` resolver (what `pipeline::analyze` does per note);
//! * `markdown/render_note_no_links`: the same note with a resolver that leaves every link alone,
//!   so the difference is the cost of link resolution;
//! * `pipeline/analyze_200`: load + render Markdown + check + graph + shared template values of a
//!   200-note site (reads the files, as a build does);
//! * `pipeline/render_all_200`: every output of that site, in memory (templates, feed, sitemap);
//! * `pipeline/render_one_page`: the outputs an incremental rebuild of one note renders
//!   (its page plus feed, sitemap and robots.txt, which are always included).
//!
//! The corpus comes from `../shared/bench/gen_corpus.py` (200 notes, seed 1) when Python 3 and
//! that script are there, else from a small generator below with the same shape.
//!
//!     cargo bench --bench hot_paths                 # full run (about a minute)
//!     cargo bench --bench hot_paths -- --quick      # a quick look
//!     cargo bench --bench hot_paths -- markdown     # only the Markdown benchmarks
//!
//! Under `cargo test --all-targets` this binary runs each benchmark once, as a smoke test.

use criterion::Criterion;
use explainer::config::{Options, Settings};
use explainer::content::{self, Content, NoteId};
use explainer::links::LinkIndex;
use explainer::markdown::{self, LinkProblem, LinkSyntax, Resolved, Resolver};
use explainer::pipeline::{self, Parts, Selection};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

const NOTES: usize = 200;

/// The generated site; the temp folder is removed when `main` returns.
struct Corpus {
    _tmp: tempfile::TempDir,
    root: PathBuf,
}

impl Corpus {
    fn new() -> Corpus {
        let tmp = tempfile::tempdir().expect("temp folder");
        let root = tmp.path().join("site");
        if !generate_with_python(&root) {
            generate_in_rust(&root);
        }
        Corpus { _tmp: tmp, root }
    }
}

fn generate_with_python(root: &Path) -> bool {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/gen_corpus.py");
    if !script.is_file() {
        return false;
    }
    Command::new("python3")
        .arg(&script)
        .args([
            "--notes",
            &NOTES.to_string(),
            "--seed",
            "1",
            "--flavor",
            "ours",
        ])
        .arg("--out")
        .arg(root)
        .arg("--force")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A stand-in for gen_corpus.py: front matter, headings, paragraphs, a list, a quote, a table
/// every 5th note, a footnote every 3rd, and 5 links to other notes; about 4.5 KB per note.
fn generate_in_rust(root: &Path) {
    const WORDS: &[&str] = &[
        "able", "about", "across", "action", "agent", "album", "anchor", "angle", "answer",
        "apply", "area", "argue", "around", "article", "aspect", "author", "balance", "bank",
        "basin", "beach", "become", "belief", "benefit", "bridge", "budget", "cabin", "cable",
        "camera", "canvas", "carbon", "castle", "chain", "chance", "change", "chapter", "circle",
        "claim", "clock", "coast", "coffee", "column", "corner", "cotton", "country", "craft",
        "credit", "cycle", "damage", "danger", "debate", "degree", "design", "device", "doctor",
    ];
    let notes_dir = root.join("content/notes");
    std::fs::create_dir_all(&notes_dir).unwrap();
    std::fs::write(
        root.join("content/_index.md"),
        "---\ntitle: Home\n---\n\nHome.\n",
    )
    .unwrap();
    std::fs::write(
        notes_dir.join("_index.md"),
        "---\ntitle: Notes\nsort_by: date\n---\n",
    )
    .unwrap();
    let mut state: u64 = 1;
    let mut next = move |n: usize| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 33) as usize) % n
    };
    for i in 0..NOTES {
        let words = |n: usize, next: &mut dyn FnMut(usize) -> usize| {
            (0..n)
                .map(|_| WORDS[next(WORDS.len())])
                .collect::<Vec<_>>()
                .join(" ")
        };
        let tags: Vec<String> = (0..3).map(|_| format!("tag-{}", next(50))).collect();
        let mut s = format!(
            "---\ntitle: \"{} {i}\"\ndate: 20{:02}-{:02}-{:02}\ntags: [{}]\ndescription: \"{}.\"\nweight: {}\n---\n\n",
            words(4, &mut next),
            10 + next(14),
            1 + next(12),
            1 + next(28),
            tags.join(", "),
            words(10, &mut next),
            next(100)
        );
        for section in 0..5 {
            s.push_str(&format!("## {}\n\n", words(4, &mut next)));
            let target = (i + 1 + next(NOTES - 1)) % NOTES;
            s.push_str(&format!(
                "{} *{}* [{}](note-{target:05}.md) {}.\n\n",
                words(30, &mut next),
                words(1, &mut next),
                words(2, &mut next),
                words(40, &mut next)
            ));
            match section {
                1 => {
                    for _ in 0..3 {
                        s.push_str(&format!("- {}\n", words(6, &mut next)));
                    }
                    s.push('\n');
                }
                2 => s.push_str(&format!("> {}.\n\n", words(25, &mut next))),
                3 if i % 5 == 0 => s.push_str(&format!(
                    "| a | b |\n|---|---|\n| {} | {} |\n| {} | {} |\n\n",
                    words(2, &mut next),
                    words(2, &mut next),
                    words(2, &mut next),
                    words(2, &mut next)
                )),
                4 if i % 3 == 0 => s.push_str(&format!(
                    "{}[^1].\n\n[^1]: {}.\n\n",
                    words(12, &mut next),
                    words(8, &mut next)
                )),
                _ => {}
            }
            s.push_str(&format!("{}.\n\n", words(45, &mut next)));
        }
        std::fs::write(notes_dir.join(format!("note-{i:05}.md")), s).unwrap();
    }
}

fn settings(root: &Path) -> Settings {
    Settings::load(&Options {
        root: root.to_path_buf(),
        output: Some(root.with_file_name("out")),
        ..Options::default()
    })
    .expect("settings of the generated site")
}

fn load_content(settings: &Settings) -> Content {
    let mut diags = Vec::new();
    let content = content::load(
        &settings.content_dir,
        &settings.root,
        &settings.config.title,
        &explainer::content::front_matter::Rules::of(&settings.config),
        settings.drafts,
        &mut diags,
    );
    let diags = explainer::diagnostics::Diagnostics(diags);
    assert!(
        !diags.has_errors(),
        "the corpus loads: {}",
        diags.render(false)
    );
    content
}

/// The page note whose body is closest to 5 KB among those with at least 5 links.
fn pick_note(content: &Content) -> NoteId {
    let links = |i: NoteId| content.notes[i].body().matches("](").count();
    NoteId::all(content.notes.len())
        .filter(|&i| content.notes[i].kind == explainer::content::NoteKind::Page)
        .filter(|&i| links(i) >= 5)
        .min_by_key(|&i| content.notes[i].body().len().abs_diff(5 * 1024))
        .or_else(|| NoteId::all(content.notes.len()).max_by_key(|&i| links(i)))
        .expect("a note")
}

/// Leaves every link as written (treats it as external): Markdown without link resolution.
struct NoResolve;

impl Resolver for NoResolve {
    fn resolve(&self, _: LinkSyntax, _: &str) -> Result<Option<Resolved>, LinkProblem> {
        Ok(None)
    }
}

fn bench_markdown(c: &mut Criterion, root: &Path) {
    let settings = settings(root);
    let content = load_content(&settings);
    let index = LinkIndex::new(&content, false);
    let i = pick_note(&content);
    let body = content.notes[i].body();
    let outlines: Vec<explainer::outline::Outline> = content
        .notes
        .iter()
        .map(|n| explainer::outline::outline(n.body()))
        .collect();
    let check = markdown::render(
        body,
        &index.resolver(&content.notes, &outlines, i),
        markdown::TEXT_LIMIT,
    );
    assert!(
        check.problems.is_empty(),
        "links of the benchmark note resolve"
    );
    assert!(
        !check.links.is_empty(),
        "the benchmark note has internal links"
    );

    let mut g = c.benchmark_group("markdown");
    g.throughput(criterion::Throughput::Bytes(body.len() as u64));
    g.bench_function("render_note", |b| {
        b.iter(|| {
            let resolver = index.resolver(&content.notes, &outlines, i);
            black_box(markdown::render(
                black_box(body),
                &resolver,
                markdown::TEXT_LIMIT,
            ))
        })
    });
    g.bench_function("render_note_no_links", |b| {
        b.iter(|| {
            black_box(markdown::render(
                black_box(body),
                &NoResolve,
                markdown::TEXT_LIMIT,
            ))
        })
    });
    g.finish();
}

fn bench_pipeline(c: &mut Criterion, root: &Path) {
    let settings = settings(root);
    let analysis = pipeline::analyze(&settings)
        .unwrap_or_else(|d| panic!("the generated site must build: {}", d.render(false)));
    let page = NoteId::all(analysis.content.notes.len())
        .find(|&i| analysis.content.notes[i].kind == explainer::content::NoteKind::Page)
        .expect("a page");
    let one = Selection::Some(Parts {
        notes: [page].into_iter().collect(),
        ..Parts::default()
    });

    let mut g = c.benchmark_group("pipeline");
    g.bench_function("analyze_200", |b| {
        b.iter(|| black_box(pipeline::analyze(&settings).expect("builds")))
    });
    g.bench_function("render_all_200", |b| {
        b.iter(|| {
            black_box(pipeline::render(&settings, &analysis, &Selection::All).expect("renders"))
        })
    });
    g.bench_function("render_one_page", |b| {
        b.iter(|| black_box(pipeline::render(&settings, &analysis, &one).expect("renders")))
    });
    g.finish();
}

fn criterion() -> Criterion {
    Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .without_plots()
}

// `criterion_group!`/`criterion_main!` expanded by hand, so the corpus outlives the benchmarks
// and its temp folder is removed at the end.
fn main() {
    let corpus = Corpus::new();
    let mut c = criterion().configure_from_args();
    bench_markdown(&mut c, &corpus.root);
    bench_pipeline(&mut c, &corpus.root);
    c.final_summary();
}
