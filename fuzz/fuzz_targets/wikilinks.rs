//! Arbitrary text as a link target, against the real `LinkIndex` resolver over a fixed in-memory
//! site: rendered as `[[t]]`, `[[t|label]]`, `![[t]]`, `[x](t)` and `[x](<t>)`, and resolved
//! directly with every link syntax from a few notes, with and without `--file-links`. Whenever the
//! resolver returns an href, a browser following it from the linking page must land on the note
//! (or file) the resolver said. Also `normalize`, `percent_decode`, `name_key` and `alias_url`.
#![no_main]

mod common;

use common::{
    INDEX, INDEX_FILES, SITE, assert_relative, browser_resolve, documents, expected_target,
};
use explainer::links::{alias_url, name_key, normalize, percent_decode};
use explainer::markdown::{LinkSyntax, Resolver, is_external, render};
use libfuzzer_sys::fuzz_target;

const SYNTAXES: [LinkSyntax; 4] = [
    LinkSyntax::Markdown,
    LinkSyntax::Wiki,
    LinkSyntax::Image,
    LinkSyntax::WikiImage,
];

fn check_resolve(t: &str) {
    let notes = &SITE.notes;
    // Every note from every index would be 56 resolutions per input, most of them failing: too
    // slow to fuzz. The deepest page is always tried; two more pages, one per index, vary with
    // the input.
    let n = notes.len();
    let runs = [
        (&*INDEX, false, vec![5, t.len() % n]),
        (&*INDEX_FILES, true, vec![(t.len() / 2 + 3) % n]),
    ];
    for (index, file_links, froms) in runs {
        for from in froms {
            let resolver = index.resolver(notes, &common::OUTLINES, from);
            for syntax in SYNTAXES {
                let r = match resolver.resolve(syntax, t) {
                    Ok(Some(r)) => r,
                    Ok(None) => {
                        assert!(
                            is_external(t.trim()),
                            "`{t}` ({syntax:?}) left alone but not external"
                        );
                        continue;
                    }
                    Err(p) => {
                        assert!(!p.message.is_empty());
                        continue;
                    }
                };
                let ctx = format!(
                    "`{t}` ({syntax:?}, file_links={file_links}) from `{}` -> {r:?}",
                    notes[from].url
                );
                assert_relative(&r.href);
                if let Some(f) = &r.fragment {
                    assert!(
                        r.href.ends_with(&format!("#{f}")),
                        "fragment not at the end of the href: {ctx}"
                    );
                }
                let path = r.href.split('#').next().unwrap_or("");
                let expected = match r.note {
                    Some(i) => {
                        assert!(i < notes.len(), "{ctx}");
                        if path.is_empty() {
                            assert_eq!(i, from, "an empty href must mean this page: {ctx}");
                            continue;
                        }
                        expected_target(&notes[i].url, file_links)
                    }
                    None => {
                        let landed = browser_resolve(&format!("/{}", notes[from].url), &r.href);
                        assert!(
                            SITE.assets.iter().any(|a| landed == format!("/{}", a.rel)),
                            "lands on `{landed}`, not an asset: {ctx}"
                        );
                        continue;
                    }
                };
                for doc in documents(&notes[from].url, file_links) {
                    let landed = browser_resolve(&doc, &r.href);
                    assert_eq!(landed, expected, "document {doc}: {ctx}");
                }
            }
        }
    }
}

fn check_helpers(t: &str) {
    if let Some(n) = normalize(t) {
        assert!(!n.starts_with('/'), "normalize(`{t}`) = `{n}`");
        let body = n.strip_suffix('/').unwrap_or(&n);
        if !body.is_empty() {
            for seg in body.split('/') {
                assert!(!matches!(seg, "" | "." | ".."), "normalize(`{t}`) = `{n}`");
            }
        }
        assert_eq!(
            normalize(&n).as_deref(),
            Some(n.as_str()),
            "normalize is not idempotent on `{t}`"
        );
    }
    let d = percent_decode(t);
    if !t.contains('%') {
        assert_eq!(d, t);
    }
    let _ = name_key(t);
    for note in &SITE.notes {
        let url = alias_url(note, t);
        assert!(
            url.is_empty() || url.ends_with('/'),
            "alias_url(`{t}`) = `{url}`"
        );
        for seg in url.split_terminator('/') {
            assert!(
                !matches!(seg, "" | "." | "..") && !seg.contains(['?', '#', '\\', '%']),
                "alias_url(`{t}`) = `{url}`"
            );
        }
    }
}

fuzz_target!(|data: &[u8]| {
    // A link target longer than this is not worth the time (edit distances grow with it).
    if data.len() > 512 {
        return;
    }
    let t = String::from_utf8_lossy(data);
    let t = t.as_ref();
    check_helpers(t);
    check_resolve(t);

    let notes = &SITE.notes;
    let md = format!("[[{t}]] [[{t}|label]] ![[{t}]] [x]({t}) [y](<{t}>)\n");
    let (index, from) = if t.len() % 2 == 0 {
        (&*INDEX, 5)
    } else {
        (&*INDEX_FILES, 0)
    };
    let r = render(&md, &index.resolver(notes, &common::OUTLINES, from), explainer::markdown::TEXT_LIMIT);
    for l in &r.links {
        assert!(l.note < notes.len());
        assert!(l.span.end <= md.len());
    }
});
