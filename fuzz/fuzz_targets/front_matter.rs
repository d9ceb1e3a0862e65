//! Front matter, `site.yaml` and file decoding on arbitrary bytes: `decode_text`, `front_matter::split`,
//! `front_matter::parse` (with and without `allow_unknown`) and `SiteConfig::parse`. Every diagnostic
//! they return is rendered, since rendering slices the source line by the diagnostic's span.
#![no_main]

use explainer::config::SiteConfig;
use explainer::content::front_matter;
use explainer::content::load::decode_text;
use explainer::diagnostics::Diagnostic;
use explainer::yaml::YamlDoc;
use libfuzzer_sys::fuzz_target;

fn render(d: &Diagnostic) {
    let _ = d.render(false);
    let _ = d.render(true);
    if let Some(src) = &d.source_line {
        assert!(
            d.span.start <= d.span.end && d.span.end <= src.len(),
            "span {:?} outside its line ({} bytes): {d:?}",
            d.span,
            src.len()
        );
        assert!(
            src.is_char_boundary(d.span.start) && src.is_char_boundary(d.span.end),
            "{d:?}"
        );
        assert!(d.line >= 1, "{d:?}");
    }
}

fn check_text(path: &str, text: &str) {
    match front_matter::split(path, text) {
        Err(d) => render(&d),
        Ok(split) => {
            assert!(split.body_start <= text.len(), "{split:?}");
            assert!(text.is_char_boundary(split.body_start), "{split:?}");
            if let Some((start, len)) = split.yaml {
                assert!(start + len <= split.body_start, "{split:?}");
                let doc = YamlDoc {
                    path,
                    text,
                    start,
                    len,
                };
                for allow_unknown in [false, true] {
                    match front_matter::parse(&doc, allow_unknown) {
                        Ok(_) => {}
                        Err(ds) => {
                            assert!(!ds.is_empty(), "an error without diagnostics");
                            ds.iter().for_each(render);
                        }
                    }
                }
            }
        }
    }
    if let Err(ds) = SiteConfig::parse("site.yaml", text) {
        assert!(!ds.is_empty(), "an error without diagnostics");
        ds.iter().for_each(render);
    }
}

fuzz_target!(|data: &[u8]| {
    match decode_text("x.md", data.to_vec()) {
        Ok(text) => {
            assert!(!text.contains('\r'), "CR left in decoded text");
            check_text("x.md", &text);
        }
        Err(d) => render(&d),
    }
    // Also the raw text (BOM and CRs kept), and the lossy reading of invalid UTF-8.
    match std::str::from_utf8(data) {
        Ok(text) => check_text("x.md", text),
        Err(_) => check_text("x.md", &String::from_utf8_lossy(data)),
    }
});
