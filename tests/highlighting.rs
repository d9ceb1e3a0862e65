//! Syntax highlighting of fenced code, built through the binary: a known language gets token
//! classes, unknown and absent languages stay plain (and escaped), diagrams stay diagrams,
//! transcluded code is highlighted too, `highlight: {enabled: false}` turns it off, and the
//! style sheets colour the classes for light and dark. The highlighter's text is the code
//! exactly (proptest), and one small block's markup is a snapshot
//! (`INSTA_UPDATE=always cargo test --test highlighting` to review a change).

mod common;

use common::{page, sel, site};
use explainer::code::Highlighter;
use proptest::prelude::*;
use scraper::Html;

fn text(doc: &Html, css: &str) -> Vec<String> {
    doc.select(&sel(css))
        .map(|e| e.text().collect::<String>())
        .collect()
}

/// The blocks of the home page's own text (the transcluded note excluded).
fn own_blocks(doc: &Html) -> Vec<scraper::ElementRef<'_>> {
    doc.select(&sel("main pre"))
        .filter(|pre| {
            !pre.ancestors()
                .filter_map(scraper::ElementRef::wrap)
                .any(|a| {
                    a.value()
                        .has_class("transclusion", scraper::CaseSensitivity::CaseSensitive)
                })
        })
        .collect()
}

#[test]
fn a_rust_block_gets_token_classes_and_keeps_its_text() {
    let s = site("highlighting");
    let out = s.build(&[]);
    let doc = page(&out, "index.html");
    let pre = doc
        .select(&sel("main pre.highlight[data-lang=rust]"))
        .next()
        .expect("a highlighted Rust block");
    let code = pre
        .select(&sel("code.language-rust"))
        .next()
        .expect("its <code> keeps the language class");
    assert_eq!(
        code.text().collect::<String>(),
        "// Greets.\nfn main() {\n    let who = \"a <b> & c\";\n    println!(\"{who}\");\n}\n"
    );
    let classed = |class: &str| text(&doc, &format!("pre[data-lang=rust] span.{class}"));
    assert_eq!(classed("c"), ["// Greets.\n"]);
    assert!(
        classed("k").contains(&"fn".to_string()),
        "{:?}",
        classed("k")
    );
    assert!(classed("k").contains(&"let".to_string()));
    assert_eq!(classed("nf").first().map(String::as_str), Some("main"));
    assert!(
        classed("s").concat().contains("a <b> & c"),
        "{:?}",
        classed("s")
    );
    // No inline styles: the colours come from the style sheet.
    assert_eq!(doc.select(&sel("main pre [style]")).count(), 0);
}

#[test]
fn unknown_plain_and_indented_blocks_stay_plain_and_escaped() {
    let s = site("highlighting");
    let out = s.build(&[]);
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    // Byte for byte what Markdown gives any code block.
    assert!(html.contains(
        "<pre><code class=\"language-nosuchlang\">if a &lt; b &amp;&amp; c &gt; d then \"x\"\n</code></pre>"
    ));
    assert!(html.contains("<pre><code>plain &lt;text&gt; &amp; more\n</code></pre>"));
    assert!(html.contains("<pre><code>indented &lt;code&gt;\n</code></pre>"));
    let doc = Html::parse_document(&html);
    let langs: Vec<Option<&str>> = own_blocks(&doc)
        .iter()
        .map(|p| p.value().attr("data-lang"))
        .collect();
    assert_eq!(langs, [Some("rust"), None, None, None, Some("python")]);
}

#[test]
fn a_graph_block_stays_a_diagram_and_list_and_transcluded_code_is_highlighted() {
    let s = site("highlighting");
    let out = s.build(&[]);
    let doc = page(&out, "index.html");
    assert_eq!(doc.select(&sel("main figure.diagram svg")).count(), 1);
    assert_eq!(
        doc.select(&sel("pre[data-lang=graph], code.language-graph"))
            .count(),
        0
    );
    let py = text(&doc, "main li pre.highlight[data-lang=python] code");
    assert_eq!(py, ["def f(): return 'x'\n"]);
    assert_eq!(
        text(&doc, "li pre[data-lang=python] span.k"),
        ["def", "return"]
    );
    // The transcluded note's block, on the home page and on its own.
    let js = "main .transclusion pre.highlight[data-lang=js] span.k";
    assert_eq!(text(&doc, js), ["const"]);
    let own = page(&out, "notes/shown/index.html");
    assert_eq!(
        text(&own, "main pre.highlight[data-lang=js] span.m"),
        ["42"]
    );
}

#[test]
fn highlighting_can_be_turned_off_in_site_yaml() {
    let s = site("highlighting");
    s.write(
        "site.yaml",
        "title: Highlighting\nbase_url: https://highlighting.example/\nhighlight: {enabled: false}\n",
    );
    let out = s.build(&[]);
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(!html.contains("class=\"highlight\""));
    assert!(!html.contains("<span class="), "no token spans");
    assert!(html.contains(
        "<pre><code class=\"language-rust\">// Greets.\nfn main() {\n    let who = \"a &lt;b&gt; &amp; c\";"
    ));
}

#[test]
fn a_wrong_highlight_setting_is_an_error_at_its_line() {
    let s = site("highlighting");
    s.write(
        "site.yaml",
        "title: Highlighting\nbase_url: https://highlighting.example/\nhighlight: {enable: false}\n",
    );
    let r = s.cmd("build", &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    common::assert_diagnostic(&r.stderr, "site.yaml:3:1", "highlight: {enable: false}");
    assert!(
        r.stderr
            .contains("`highlight` accepts only `enabled: true` or `enabled: false`"),
        "{}",
        r.stderr
    );
}

/// The rules of a style sheet, split into those for light (outside a dark media query) and
/// those for dark.
fn light_and_dark(css: &str) -> (String, String) {
    let (mut light, mut dark) = (String::new(), String::new());
    let mut rest = css;
    while let Some(i) = rest.find("@media (prefers-color-scheme") {
        light.push_str(&rest[..i]);
        // The media block ends where its braces balance.
        let mut depth = 0;
        let mut end = rest.len();
        for (j, c) in rest[i..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i + j + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        dark.push_str(&rest[i..end]);
        rest = &rest[end..];
    }
    light.push_str(rest);
    (light, dark)
}

#[test]
fn the_style_sheets_colour_the_classes_for_light_and_dark() {
    let s = site("highlighting");
    let out = s.build(&[]);
    let doc = page(&out, "index.html");
    let inline = text(&doc, "head style").concat();
    let (light, dark) = light_and_dark(&inline);
    let project = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("static/style.css"),
    )
    .unwrap();
    let (plight, pdark) = light_and_dark(&project);
    for class in ["k", "s", "m", "nf", "nc", "nt", "gi", "gd"] {
        for (sheet, rules) in [
            ("built-in light", &light),
            ("built-in dark", &dark),
            ("static/style.css light", &plight),
            ("static/style.css dark", &pdark),
        ] {
            assert!(
                rules.contains(&format!(".highlight .{class}{{"))
                    || rules.contains(&format!(".highlight .{class} {{"))
                    || rules.contains(&format!(".{class},"))
                    || rules.contains(&format!(".{class})")),
                "{sheet} has no rule for .{class}"
            );
        }
    }
    assert!(light.contains(".highlight .c{") && dark.contains(".highlight .c{"));
}

#[test]
fn a_small_block_as_markup() {
    let h = Highlighter::default();
    let code = "let n: u8 = 1; // one\n";
    let mut html = String::new();
    assert!(
        h.language("rust")
            .unwrap()
            .write_block("rust", code, &mut html)
    );
    insta::assert_snapshot!(html);
}

/// The text content of `html` (one highlighted block).
fn text_of(html: &str) -> String {
    let doc = Html::parse_fragment(html);
    doc.select(&sel("code"))
        .next()
        .map(|c| c.text().collect())
        .unwrap_or_default()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Whatever the code, the highlighted block's text is the code, escaped where needed.
    #[test]
    fn the_highlighted_text_is_the_code(
        code in "(fn |let |mut |\"|'|<|>|&|&amp;|//|/\\*|\\*/|#|\\{|\\}|\\(|\\)|\\[|\\]|!|\\\\|[a-z0-9_ .:;,=+-]{1,6}|é|\t|\n){0,40}",
        lang in "rust|python|html|js|sh",
    ) {
        let h = shared();
        let mut html = String::new();
        prop_assert!(h.language(&lang).unwrap().write_block(&lang, &code, &mut html));
        prop_assert_eq!(text_of(&html), code);
    }
}

/// One highlighter for every proptest case, so the grammars load once.
fn shared() -> &'static Highlighter {
    static H: std::sync::OnceLock<Highlighter> = std::sync::OnceLock::new();
    H.get_or_init(Highlighter::default)
}
