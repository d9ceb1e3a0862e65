//! Math: `$…$` and `$$…$$` rendered at build time to MathML (pulldown-latex), so pages need no
//! script. The renderer writes some input unescaped (`\operatorname{<b>}` gives `<b>`, `a < b`
//! gives `<mo><</mo>`): names holding `<>&"` are refused, lone `<`, `>`, `&` are escaped, and
//! the output is kept only if every tag and attribute in it is MathML from a short list, with
//! plain values. Anything else, and LaTeX it cannot read, is shown as escaped source in
//! `<code class="math-error">`.

use crate::escape::push_html;
use pulldown_latex::config::DisplayMode;
use pulldown_latex::event::{Content, Event as LatexEvent};
use pulldown_latex::{Parser, RenderConfig, Storage, push_mathml};

/// The most LaTeX one formula may hold; longer is shown as source (bounds the renderer's work).
const MAX_LATEX: usize = 20_000;

/// Renders one formula to MathML; `Err` holds why it could not be read.
pub fn render(latex: &str, display: bool) -> Result<String, String> {
    if latex.len() > MAX_LATEX {
        return Err(format!("formula longer than {MAX_LATEX} bytes"));
    }
    let storage = Storage::new();
    let mut events = Vec::new();
    for e in Parser::new(latex, &storage) {
        match e {
            Ok(LatexEvent::Content(Content::Function(s) | Content::Number(s)))
                if s.contains(['<', '>', '&', '"']) =>
            {
                return Err(format!("`{s}` holds characters that would be read as HTML"));
            }
            Ok(e) => events.push(Ok::<_, std::io::Error>(e)),
            // The renderer's message draws its own box around the formula: keep the first line.
            Err(e) => return Err(e.to_string().lines().next().unwrap_or("").to_string()),
        }
    }
    let config = RenderConfig {
        display_mode: if display {
            DisplayMode::Block
        } else {
            DisplayMode::Inline
        },
        ..RenderConfig::default()
    };
    let mut out = String::with_capacity(latex.len() * 8 + 64);
    push_mathml(&mut out, events.into_iter(), config).map_err(|e| e.to_string())?;
    let out = escape_lone(out);
    if !is_plain_mathml(&out) {
        return Err("the formula holds characters that would be read as HTML".into());
    }
    Ok(out)
}

/// `<` that opens no tag, `>` outside tags and `&` that starts no entity, escaped (the
/// renderer writes operators such as `<` as they are).
fn escape_lone(html: String) -> String {
    let b = html.as_bytes();
    let lone = |i: usize| match b[i] {
        b'<' => !b
            .get(i + 1)
            .is_some_and(|c| c.is_ascii_lowercase() || *c == b'/'),
        b'&' => {
            let n = b[i + 1..]
                .iter()
                .take(32)
                .take_while(|c| c.is_ascii_alphanumeric() || **c == b'#')
                .count();
            n == 0 || b.get(i + 1 + n) != Some(&b';')
        }
        _ => false,
    };
    let mut in_tag = false;
    let needs = (0..b.len()).any(|i| {
        let c = b[i];
        let r = lone(i) || (c == b'>' && !in_tag);
        if c == b'<' && !lone(i) {
            in_tag = true;
        } else if c == b'>' {
            in_tag = false;
        }
        r
    });
    if !needs {
        return html;
    }
    let mut out = String::with_capacity(html.len() + 16);
    let mut in_tag = false;
    for (i, ch) in html.char_indices() {
        match ch {
            '<' if lone(i) => out.push_str("&lt;"),
            '&' if lone(i) => out.push_str("&amp;"),
            '>' if !in_tag => out.push_str("&gt;"),
            _ => {
                if ch == '<' {
                    in_tag = true;
                } else if ch == '>' {
                    in_tag = false;
                }
                out.push(ch);
            }
        }
    }
    out
}

/// The MathML elements the renderer writes.
const TAGS: &[&str] = &[
    "math",
    "semantics",
    "annotation",
    "merror",
    "mi",
    "mn",
    "mo",
    "ms",
    "mtext",
    "mrow",
    "mfrac",
    "msqrt",
    "mroot",
    "msub",
    "msup",
    "msubsup",
    "mover",
    "munder",
    "munderover",
    "mtable",
    "mtr",
    "mtd",
    "mspace",
    "mpadded",
    "mphantom",
    "menclose",
    "mstyle",
    "mmultiscripts",
    "mprescripts",
    "none",
];

/// The attributes the renderer writes (no `href`, no event handlers).
const ATTRS: &[&str] = &[
    "class",
    "depth",
    "display",
    "displaystyle",
    "encoding",
    "height",
    "largeop",
    "linethickness",
    "mathvariant",
    "maxsize",
    "minsize",
    "movablelimits",
    "scriptlevel",
    "stretchy",
    "style",
    "symmetric",
    "width",
    "xmlns",
    "lspace",
    "rspace",
    "fence",
    "separator",
    "form",
    "accent",
    "accentunder",
    "columnalign",
    "rowspacing",
    "columnspacing",
];

/// True if every tag in `html` is a listed MathML element with listed attributes whose values
/// hold only letters, digits, spaces and `.:;#()%,-/` (no `url(`): text between tags is escaped
/// by the renderer or harmless, so nothing in it can become an element or a script.
fn is_plain_mathml(html: &str) -> bool {
    let b = html.as_bytes();
    let mut i = 0;
    while let Some(p) = b[i..].iter().position(|&c| c == b'<').map(|p| i + p) {
        let mut j = p + 1;
        let closing = b.get(j) == Some(&b'/');
        if closing {
            j += 1;
        }
        let name_len = b[j..].iter().take_while(|c| c.is_ascii_lowercase()).count();
        if !TAGS.contains(&&html[j..j + name_len]) {
            return false;
        }
        j += name_len;
        loop {
            j += b[j..].iter().take_while(|&&c| c == b' ').count();
            match b.get(j) {
                Some(b'>') => break,
                Some(b'/') if !closing && b.get(j + 1) == Some(&b'>') => {
                    j += 1;
                    break;
                }
                Some(c) if !closing && c.is_ascii_lowercase() => {
                    let n = b[j..]
                        .iter()
                        .take_while(|c| c.is_ascii_lowercase() || **c == b'-')
                        .count();
                    if !ATTRS.contains(&&html[j..j + n]) || !html[j + n..].starts_with("=\"") {
                        return false;
                    }
                    j += n + 2;
                    let v = b[j..].iter().take_while(|&&c| c != b'"').count();
                    let value = &html[j..j + v];
                    let plain = value
                        .bytes()
                        .all(|c| c.is_ascii_alphanumeric() || b" .:;#()%,-/".contains(&c));
                    if !plain || value.contains("url(") || j + v >= b.len() {
                        return false;
                    }
                    j += v + 1;
                }
                _ => return false,
            }
        }
        i = j + 1;
    }
    true
}

/// The HTML shown for a formula that could not be rendered: its source, escaped.
pub fn error_html(latex: &str, display: bool) -> String {
    let fence = if display { "$$" } else { "$" };
    let mut out = String::with_capacity(latex.len() + 48);
    out.push_str("<code class=\"math-error\">");
    out.push_str(fence);
    push_html(&mut out, latex);
    out.push_str(fence);
    out.push_str("</code>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_mathml() {
        let m = render("x^2", false).unwrap();
        assert!(m.starts_with("<math"), "{m}");
        assert!(m.contains("<msup>"), "{m}");
        assert!(
            render("\\sum_{k=1}^n k", true)
                .unwrap()
                .contains("display=\"block\"")
        );
    }

    #[test]
    fn bad_latex_is_an_error_not_markup() {
        assert!(render("\\frac{1}{", false).is_err());
        assert_eq!(
            error_html("<b>", false),
            "<code class=\"math-error\">$&lt;b&gt;$</code>"
        );
    }

    #[test]
    fn text_in_formulas_is_escaped() {
        for hostile in [
            "<script>alert(1)</script>",
            "\\text{<img src=x onerror=alert(1)>}",
            "\\text{\"'&}",
            "\\operatorname{<b>}",
            "\\mathrm{</math><script>}",
        ] {
            let html = render(hostile, false).unwrap_or_else(|_| error_html(hostile, false));
            assert!(!html.contains("<script"), "{hostile}: {html}");
            assert!(!html.contains("<img"), "{hostile}: {html}");
            assert!(!html.contains("<b>"), "{hostile}: {html}");
        }
    }

    #[test]
    fn common_formulas_pass_the_markup_check() {
        for ok in [
            "e^{i\\pi} + 1 = 0",
            "\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}",
            "\\sqrt[3]{x} \\leq \\int_0^\\infty f(x)\\,dx",
            "\\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix}",
            "\\mathbb{R} \\to \\mathcal{C}, \\text{if } a < b > c",
            "\\color{red} x \\quad \\hat{y} \\overline{z} \\operatorname{sin} x",
            "\\left( \\frac{a}{b} \\right] \\binom{n}{k}",
        ] {
            let html = render(ok, true);
            assert!(html.is_ok(), "{ok}: {html:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(500))]
        #[test]
        fn any_input_renders_or_fails_without_markup(
            latex in "([\\\\{}^_&<>\"'a-z0-9 ]|\\\\(frac|text|operatorname|sqrt|left|right|begin|end|color|mathrm|over|hat|sum)){0,24}"
        ) {
            if let Ok(html) = render(&latex, false) {
                proptest::prop_assert!(is_plain_mathml(&html), "{}", html);
                proptest::prop_assert!(!html.contains("<script") && !html.contains("<b"), "{}", html);
            }
        }
    }

    #[test]
    fn deep_nesting_does_not_crash() {
        let deep = format!("{}x{}", "{".repeat(5000), "}".repeat(5000));
        let _ = render(&deep, false);
        let deep = "\\frac{".repeat(3000);
        let _ = render(&deep, false);
    }
}
