//! Social cards: every page names a 1200×630 PNG in `og:image` that exists; the same input gives
//! the same bytes; the cache makes a second build draw nothing and a title change draw one card
//! (the build's summary line ends `(8 social cards drawn)` when it drew any).

mod common;

use common::*;
use std::collections::BTreeMap;
use std::path::Path;

/// Decodes a PNG whole and returns its width and height.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .expect("a PNG");
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut pixels).expect("PNG pixels decode");
    (frame.width, frame.height)
}

/// The `content` of the `<meta>` with `property` or `name` `key`.
fn meta(html: &scraper::Html, key: &str) -> Option<String> {
    let css = format!("meta[property=\"{key}\"], meta[name=\"{key}\"]");
    attrs(html, &css, "content").into_iter().next()
}

/// Every card file in the output: path → bytes.
fn cards(out: &Path) -> BTreeMap<String, Vec<u8>> {
    tree(out)
        .into_iter()
        .filter(|(p, _)| p.ends_with("card.png"))
        .collect()
}

fn build(site: &Site) -> Run {
    let r = site.cmd("build", &[]);
    assert_eq!(r.code, 0, "build failed:\n{}", r.stderr);
    r
}

#[test]
fn every_page_names_its_card_which_is_a_1200_by_630_png() {
    let site = site("cards");
    let out = site.build(&[]);
    let pages: Vec<String> = html_files(&out)
        .into_iter()
        .filter(|p| p != "404.html")
        .collect();
    // Home, a section, two pages, the tag list, one tag, the timeline, the graph page.
    assert_eq!(pages.len(), 8, "{pages:?}");
    for rel in &pages {
        let html = page(&out, rel);
        let image = meta(&html, "og:image").unwrap_or_else(|| panic!("{rel}: no og:image"));
        let (path, version) = image
            .strip_prefix("https://cards.example/sub/")
            .and_then(|p| p.split_once("?h="))
            .unwrap_or_else(|| panic!("{rel}: og:image {image} is not absolute and versioned"));
        assert_eq!(version.len(), 8, "{image}");
        assert_eq!(
            path,
            rel.replace("index.html", "card.png"),
            "beside its page"
        );
        let bytes = std::fs::read(out.join(path)).unwrap_or_else(|_| panic!("{rel}: no {path}"));
        assert_eq!(png_size(&bytes), (1200, 630), "{path}");
        assert_eq!(meta(&html, "og:image:width").as_deref(), Some("1200"));
        assert_eq!(meta(&html, "og:image:height").as_deref(), Some("630"));
        assert_eq!(meta(&html, "og:image:type").as_deref(), Some("image/png"));
        assert_eq!(
            meta(&html, "twitter:card").as_deref(),
            Some("summary_large_image")
        );
        assert!(meta(&html, "og:image:alt").is_some_and(|a| a.contains("Cards & previews")));
    }
    assert!(
        meta(&page(&out, "404.html"), "og:image").is_none(),
        "the 404 page is never shared"
    );
    assert_eq!(cards(&out).len(), pages.len(), "one card per page");
}

#[test]
fn the_tagline_gives_the_page_date_or_the_latest_source_date() {
    let site = site("cards");
    let out = site.build(&[]);
    let alt = |rel: &str| meta(&page(&out, rel), "og:image:alt").unwrap();
    assert_eq!(
        alt("topics/visit/index.html"),
        "Will Xi visit Seoul? <maybe> — Cards & previews — As reported on 26 September 2023"
    );
    assert!(
        alt("topics/long/index.html").ends_with("— As reported on 2 October 2023"),
        "{}",
        alt("topics/long/index.html")
    );
    assert_eq!(
        alt("tags/diplomacy/index.html"),
        "Notes tagged “diplomacy” — Cards & previews — As reported on 2 October 2023"
    );
}

#[test]
fn the_same_site_gives_the_same_cards_byte_for_byte() {
    let (a, b) = (site("cards"), site("cards"));
    let first = cards(&a.build(&[]));
    assert_eq!(first, cards(&b.build(&[])), "two fresh projects");
    // Drawn again without the cache, in another build.
    std::fs::remove_dir_all(a.root().join(".explainer-cache")).unwrap();
    assert_eq!(first, cards(&a.build(&[])), "drawn again");
}

#[test]
fn a_second_build_draws_no_card_and_a_new_title_draws_one() {
    let site = site("cards");
    let first = build(&site);
    assert!(
        first.stdout.contains("(8 social cards drawn)"),
        "{}",
        first.stdout
    );
    let before = cards(&site.public());
    let again = build(&site);
    assert!(!again.stdout.contains("drawn"), "{}", again.stdout);
    assert_eq!(before, cards(&site.public()));

    let visit = site.read("content/topics/visit.md");
    site.write(
        "content/topics/visit.md",
        visit.replace("Will Xi visit Seoul?", "Will Xi go to Seoul?"),
    );
    let edited = build(&site);
    assert!(
        edited.stdout.contains("(1 social card drawn)"),
        "{}",
        edited.stdout
    );
    let after = cards(&site.public());
    let changed: Vec<&String> = after.keys().filter(|k| before[*k] != after[*k]).collect();
    assert_eq!(changed, ["topics/visit/card.png"]);
    // The cache keeps only the site's current cards.
    let cached = std::fs::read_dir(site.root().join(".explainer-cache/cards")).unwrap();
    assert_eq!(cached.count(), 8);
}

#[test]
fn cards_can_be_turned_off_and_check_draws_none() {
    let site = site("cards");
    let r = site.cmd("check", &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        !site.root().join(".explainer-cache").exists(),
        "check drew cards"
    );

    let config = site.read("site.yaml");
    site.write(
        "site.yaml",
        config.replace("  tagline:", "  enabled: false\n  tagline:"),
    );
    let r = build(&site);
    assert!(!r.stdout.contains("drawn"), "{}", r.stdout);
    let out = site.public();
    assert!(cards(&out).is_empty());
    let html = page(&out, "topics/visit/index.html");
    assert_eq!(meta(&html, "og:image"), None);
    assert_eq!(meta(&html, "twitter:card").as_deref(), Some("summary"));
}

#[test]
fn a_title_the_font_cannot_draw_is_a_warning_naming_the_note() {
    let site = site("cards");
    site.write(
        "content/topics/xi.md",
        "---\ntitle: 习近平\n---\nSee [[visit]].\n",
    );
    let r = build(&site);
    assert!(
        r.stderr
            .contains("the social card of this note has characters its font cannot draw (习近平)"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("content/topics/xi.md"), "{}", r.stderr);
}

#[test]
fn file_links_keep_absolute_card_urls() {
    let site = site("cards");
    let out = site.build(&["--file-links"]);
    let image = meta(&page(&out, "topics/visit/index.html"), "og:image").unwrap();
    assert!(
        image.starts_with("https://cards.example/sub/topics/visit/card.png?h="),
        "{image}"
    );
}

#[test]
fn serve_draws_the_new_card_of_a_renamed_note_as_a_clean_build_would() {
    let site = site("cards");
    let mut live = Live::new(&site);
    let card = live.dir.join("topics/visit/card.png");
    let before = std::fs::read(&card).unwrap();
    let visit = site.read("content/topics/visit.md");
    site.write(
        "content/topics/visit.md",
        visit.replace("Will Xi visit Seoul?", "Xi in Seoul"),
    );
    live.changed("content/topics/visit.md").unwrap();
    assert_ne!(
        before,
        std::fs::read(&card).unwrap(),
        "the card was not drawn again"
    );
    let html = page(&live.dir, "topics/visit/index.html");
    assert!(meta(&html, "og:image:alt").is_some_and(|a| a.starts_with("Xi in Seoul <maybe>")));
    live.assert_same_as_clean_build(&site, "a new title");
}
