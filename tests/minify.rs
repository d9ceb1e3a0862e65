//! `--minify`: smaller pages with the same content; scripts, `<pre>` and `<code>` untouched.

mod common;

use common::{html_files, site};
use scraper::{Html, Selector};

fn select_all(html: &Html, css: &str) -> Vec<String> {
    let sel = Selector::parse(css).unwrap();
    html.select(&sel).map(|e| e.inner_html()).collect()
}

fn words(html: &Html) -> Vec<String> {
    let sel = Selector::parse("body").unwrap();
    html.select(&sel)
        .flat_map(|b| b.text())
        .flat_map(|t| t.split_whitespace().map(str::to_string).collect::<Vec<_>>())
        .collect()
}

#[test]
fn minified_pages_are_smaller_and_say_the_same() {
    let s = site("basic");
    s.write(
        "content/topics/code.md",
        "---\ntitle: Code\n---\nSee [[xi-visit]].\n\n```\nline one\n    indented   line\n\n\nafter blanks\n```\n\nInline `a   b` code.\n\n<script>\n  var   x = 1; // keep\n</script>\n",
    );
    let plain = s.tmp.path().join("plain");
    let small = s.tmp.path().join("small");
    assert_eq!(s.cmd("build", &["-o", plain.to_str().unwrap()]).code, 0);
    let r = s.cmd("build", &["--minify", "-o", small.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (mut before, mut after) = (0, 0);
    for f in html_files(&plain) {
        let a = std::fs::read_to_string(plain.join(&f)).unwrap();
        let b = std::fs::read_to_string(small.join(&f)).unwrap();
        before += a.len();
        after += b.len();
        let (ha, hb) = (Html::parse_document(&a), Html::parse_document(&b));
        assert_eq!(words(&ha), words(&hb), "{f}: the text changed");
        for css in ["pre", "code", "script", "style", "title"] {
            assert_eq!(
                select_all(&ha, css),
                select_all(&hb, css),
                "{f}: <{css}> changed"
            );
        }
    }
    assert!(
        after < before,
        "minified {after} bytes, not smaller than {before}"
    );
    let code = std::fs::read_to_string(small.join("topics/code/index.html")).unwrap();
    assert!(
        code.contains("    indented   line\n\n\nafter blanks"),
        "pre kept as written"
    );
    assert!(
        code.contains("var   x = 1; // keep"),
        "script kept as written"
    );
    // Other files are not touched.
    for f in ["atom.xml", "sitemap.xml", "search.js"] {
        assert_eq!(
            std::fs::read(plain.join(f)).unwrap(),
            std::fs::read(small.join(f)).unwrap(),
            "{f}"
        );
    }
}
