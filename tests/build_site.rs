//! Building the `basic` fixture site and checking what a reader and a host get.

mod common;

use common::*;
use std::collections::BTreeSet;

const BASE: &str = "https://example.org/sub/";

fn built() -> (Site, std::path::PathBuf) {
    let s = site("basic");
    let out = s.build(&[]);
    (s, out)
}

/// The links inside a note's body (the `<article>` minus navigation, toc and headings' self-links).
fn body_links(html: &scraper::Html) -> Vec<(String, String)> {
    links(html, "article > p a, article > table a")
}

#[test]
fn every_internal_link_is_relative_and_resolves() {
    let (_s, out) = built();
    let refs = internal_refs(&out);
    assert!(refs.len() > 50, "too few links found: {refs:?}");
    let absolute: Vec<_> = refs.iter().filter(|(_, h)| h.starts_with('/')).collect();
    assert!(absolute.is_empty(), "root-absolute links: {absolute:?}");
    let broken = broken_refs(&out);
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    for (_, h) in &refs {
        assert!(
            !h.contains(".md"),
            "a link still points at a Markdown file: {h}"
        );
    }
}

#[test]
fn only_external_links_are_absolute_and_they_carry_noopener() {
    let (_s, out) = built();
    let mut external = BTreeSet::new();
    for f in html_files(&out) {
        let html = page(&out, &f);
        for a in html.select(&sel("a[href]")) {
            let href = a.value().attr("href").unwrap();
            if href.starts_with("http") || href.starts_with("//") {
                let rel = a.value().attr("rel").unwrap_or("");
                assert!(
                    rel.split_whitespace().any(|r| r == "noopener"),
                    "{f}: external link {href} without rel=noopener"
                );
                external.insert(href.to_string());
            }
        }
    }
    assert_eq!(
        external.into_iter().collect::<Vec<_>>(),
        vec!["https://en.yna.co.kr/".to_string()],
        "the only absolute <a> link should be the note's external link"
    );
}

#[test]
fn markdown_links_are_rewritten_to_target_urls_keeping_fragments() {
    let (_s, out) = built();
    let visit = page(&out, "topics/xi-visit/index.html");
    let l = body_links(&visit);
    assert!(
        l.contains(&(
            "../../topics/trilateral-summit/".into(),
            "the summit".into()
        )),
        "{l:?}"
    );
    assert!(
        l.contains(&("../../people/xi-jinping/#role".into(), "Xi’s role".into())),
        "{l:?}"
    );
    let russia = page(&out, "topics/russia-factor/index.html");
    let l = body_links(&russia);
    assert!(
        l.contains(&(
            "../../topics/xi-visit/#background".into(),
            "the visit".into()
        )),
        "{l:?}"
    );
    // From the home page (depth 0) the same notes are one level closer.
    let home = page(&out, "index.html");
    let l = body_links_home(&home);
    assert!(
        l.contains(&("./topics/".into(), "the topics".into())),
        "{l:?}"
    );
}

fn body_links_home(html: &scraper::Html) -> Vec<(String, String)> {
    links(html, "main > p a")
}

#[test]
fn wikilinks_resolve_by_name_alias_and_heading_with_title_or_label() {
    let (_s, out) = built();
    let visit = page(&out, "topics/xi-visit/index.html");
    // [[trilateral-summit]]: no label, so the target's title is shown.
    assert!(
        body_links(&visit).contains(&(
            "../../topics/trilateral-summit/".into(),
            "The trilateral summit".into()
        )),
        "{:?}",
        body_links(&visit)
    );
    let summit = page(&out, "topics/trilateral-summit/index.html");
    let l = body_links(&summit);
    // [[russia-factor|The Russia factor]]: the label is shown.
    assert!(
        l.contains(&(
            "../../topics/russia-factor/".into(),
            "The Russia factor".into()
        )),
        "{l:?}"
    );
    // [[Xi trip]]: an alias of xi-visit.md.
    assert!(
        l.iter().any(|(h, _)| h == "../../topics/xi-visit/"),
        "alias wikilink not resolved: {l:?}"
    );
    let russia = page(&out, "topics/russia-factor/index.html");
    // [[trilateral-summit#Why it matters]]: heading text becomes the heading id.
    assert!(
        body_links(&russia)
            .iter()
            .any(|(h, _)| h == "../../topics/trilateral-summit/#why-it-matters"),
        "{:?}",
        body_links(&russia)
    );
    // [[#Why it matters]]: a heading on the same page.
    assert!(
        l.iter().any(|(h, _)| h == "#why-it-matters"),
        "same-page wikilink: {l:?}"
    );
}

#[test]
fn same_page_heading_wikilink_shows_the_heading_not_the_page_title() {
    let (_s, out) = built();
    let summit = page(&out, "topics/trilateral-summit/index.html");
    let l = body_links(&summit);
    let (_, text) = l
        .iter()
        .find(|(h, _)| h == "#why-it-matters")
        .unwrap_or_else(|| panic!("no [[#Why it matters]] link: {l:?}"));
    // As in Obsidian: `[[#Why it matters]]` reads "Why it matters", not the title of the page it is on.
    assert_eq!(text, "Why it matters");
}

#[test]
fn wikilink_with_escaped_pipe_inside_a_table_keeps_the_table_shape() {
    let (_s, out) = built();
    let summit = page(&out, "topics/trilateral-summit/index.html");
    let rows: Vec<_> = summit.select(&sel("article table tbody tr")).collect();
    assert_eq!(rows.len(), 2);
    for r in &rows {
        assert_eq!(r.select(&sel("td")).count(), 2, "{}", r.html());
    }
    let cell = links(&summit, "article table tbody tr:first-child td a");
    assert_eq!(
        cell,
        vec![(
            "../../topics/russia-factor/".to_string(),
            "Moscow’s role".to_string()
        )]
    );
    assert_eq!(
        texts(&summit, "article table thead th"),
        vec!["Country", "Note"]
    );
}

#[test]
fn backlinks_are_listed_on_the_target_page() {
    let (_s, out) = built();
    let xi = page(&out, "people/xi-jinping/index.html");
    let back = backlink_list(&xi);
    let hrefs: BTreeSet<_> = back.iter().map(|(h, _)| h.as_str()).collect();
    assert_eq!(
        hrefs,
        BTreeSet::from(["../../topics/xi-visit/", "../../topics/trilateral-summit/"]),
        "{back:?}"
    );
    assert!(back.iter().any(|(_, t)| t == "The trilateral summit"));
    // russia-factor.md links to trilateral-summit and xi-visit, so it is a backlink of both.
    let summit = page(&out, "topics/trilateral-summit/index.html");
    let back: BTreeSet<String> = backlink_list(&summit).into_iter().map(|(h, _)| h).collect();
    assert!(back.contains("../../topics/russia-factor/"), "{back:?}");
    assert!(!back.contains("../../people/xi-jinping/"), "{back:?}");
}

/// The links of the backlinks box: the `<aside>` whose heading says "Referenced by" / "Backlinks".
fn backlink_list(html: &scraper::Html) -> Vec<(String, String)> {
    // The built-in templates list links and backlinks together, once each, marking direction.
    html.select(&sel(
        "aside li[data-direction=in] > a, aside li[data-direction=both] > a",
    ))
    .map(|e| (e.value().attr("href").unwrap().to_string(), text_of(&e)))
    .collect()
}

fn hrefs_of(html: &scraper::Html, css: &str) -> BTreeSet<String> {
    hrefs(html, css).into_iter().collect()
}

#[test]
fn toc_lists_headings_by_id_and_headings_link_to_themselves() {
    let (_s, out) = built();
    let visit = page(&out, "topics/xi-visit/index.html");
    assert_eq!(hrefs(&visit, "nav.toc a"), vec!["#background", "#outlook"]);
    assert_eq!(texts(&visit, "nav.toc a"), vec!["Background", "Outlook"]);
    assert_eq!(
        attrs(&visit, "article h2[id]", "id"),
        vec!["background", "outlook"]
    );
    assert_eq!(
        hrefs(&visit, "article h2 a.heading-anchor"),
        vec!["#background", "#outlook"]
    );
}

#[test]
fn footnotes_link_to_their_definition() {
    let (_s, out) = built();
    let visit = page(&out, "topics/xi-visit/index.html");
    let refs = hrefs(&visit, "sup.footnote-reference a");
    assert_eq!(refs.len(), 1);
    let id = refs[0].trim_start_matches('#');
    let def = visit
        .select(&sel(&format!("[id=\"{id}\"]")))
        .next()
        .unwrap_or_else(|| panic!("no footnote definition with id {id}"));
    assert!(text_of(&def).contains("Photo caption credited to Yonhap."));
}

#[test]
fn tag_list_and_one_page_per_tag_list_the_right_notes() {
    let (_s, out) = built();
    let tags = page(&out, "tags/index.html");
    assert_eq!(
        hrefs(&tags, "main li a"),
        vec![
            "../tags/china/",
            "../tags/diplomacy/",
            "../tags/japan/",
            "../tags/security/"
        ]
    );
    let term = |slug: &str| -> BTreeSet<String> {
        hrefs_of(&page(&out, &format!("tags/{slug}/index.html")), "main li a")
    };
    assert_eq!(
        term("diplomacy"),
        BTreeSet::from([
            "../../topics/xi-visit/".to_string(),
            "../../topics/trilateral-summit/".to_string()
        ])
    );
    assert_eq!(
        term("china"),
        BTreeSet::from([
            "../../topics/xi-visit/".to_string(),
            "../../people/xi-jinping/".to_string()
        ])
    );
    assert_eq!(
        term("security"),
        BTreeSet::from(["../../topics/russia-factor/".to_string()])
    );
    // A note links to its own tags.
    let visit = page(&out, "topics/xi-visit/index.html");
    let own = hrefs_of(&visit, "article a[href*='tags/']");
    assert_eq!(
        own,
        BTreeSet::from([
            "../../tags/china/".to_string(),
            "../../tags/diplomacy/".to_string()
        ])
    );
}

#[test]
fn section_page_lists_its_pages() {
    let (_s, out) = built();
    let topics = page(&out, "topics/index.html");
    assert_eq!(texts(&topics, "main h1"), vec!["Topics"]);
    let listed = hrefs_of(&topics, "main li.listed > a");
    assert_eq!(
        listed,
        BTreeSet::from([
            "../topics/xi-visit/".to_string(),
            "../topics/trilateral-summit/".to_string(),
            "../topics/russia-factor/".to_string()
        ])
    );
}

#[test]
fn timeline_lists_events_in_date_order_linking_to_their_notes() {
    let (_s, out) = built();
    let tl = page(&out, "timeline/index.html");
    assert_eq!(
        attrs(&tl, "main li time", "datetime"),
        vec!["2014-07", "2019", "2023-09-23"]
    );
    let items = texts(&tl, "main li");
    assert!(items[0].contains("Xi's last visit to Seoul"), "{items:?}");
    assert!(items[1].contains("summit in Chengdu"), "{items:?}");
    assert!(items[2].contains("Hangzhou"), "{items:?}");
    assert_eq!(
        hrefs(&tl, "main li a"),
        vec![
            "../topics/xi-visit/",
            "../topics/trilateral-summit/",
            "../topics/xi-visit/"
        ]
    );
}

#[test]
fn atom_feed_uses_absolute_urls_is_escaped_and_has_entries() {
    let (_s, out) = built();
    let xml = std::fs::read_to_string(out.join("atom.xml")).unwrap();
    assert!(xml.starts_with("<?xml"));
    assert_xml_escaped(&xml);
    assert!(
        xml.contains("<title>Seoul &amp; Beijing &lt;notes&gt;</title>"),
        "{xml}"
    );
    assert!(xml.contains("Test &amp; Co"), "{xml}");
    let entries = xml_values(&xml, "entry");
    assert_eq!(entries.len(), 2, "dated pages become entries: {xml}");
    // Newest first.
    assert!(entries[0].contains("<id>https://example.org/sub/topics/xi-visit/</id>"));
    assert!(
        entries[0].contains("&amp; the thaw</title>"),
        "{}",
        entries[0]
    );
    assert!(entries[1].contains("<id>https://example.org/sub/topics/trilateral-summit/</id>"));
    for id in xml_values(&xml, "id") {
        assert!(id.starts_with(BASE), "feed id not under base_url: {id}");
    }
    for (i, _) in xml.match_indices("href=\"") {
        let href = &xml[i + 6..];
        let shown: String = href.chars().take(60).collect();
        assert!(
            href.starts_with(BASE),
            "feed link not under base_url: {shown}"
        );
    }
    assert!(
        !xml.contains("secret-plan"),
        "drafts must not be in the feed"
    );
}

/// `https://…/dir/` for every page of the output that is a real page (not 404, not a redirect).
fn expected_page_urls(out: &std::path::Path, base: &str) -> BTreeSet<String> {
    html_files(out)
        .into_iter()
        .filter(|f| f != "404.html")
        .filter(|f| refresh_target(&page(out, f)).is_none())
        .map(|f| format!("{base}{}", f.trim_end_matches("index.html")))
        .collect()
}

#[test]
fn sitemap_lists_the_absolute_url_of_every_page() {
    let (_s, out) = built();
    let xml = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert_xml_escaped(&xml);
    let locs: Vec<String> = xml_values(&xml, "loc");
    let unique: BTreeSet<String> = locs.iter().cloned().collect();
    assert_eq!(
        unique.len(),
        locs.len(),
        "duplicate sitemap entries: {locs:?}"
    );
    let expected = expected_page_urls(&out, BASE);
    assert!(expected.contains("https://example.org/sub/topics/xi-visit/"));
    assert!(expected.contains("https://example.org/sub/tags/china/"));
    assert_eq!(unique, expected);
}

#[test]
fn robots_txt_points_at_the_sitemap() {
    let (_s, out) = built();
    let robots = std::fs::read_to_string(out.join("robots.txt")).unwrap();
    assert!(
        robots
            .lines()
            .any(|l| l == "Sitemap: https://example.org/sub/sitemap.xml"),
        "{robots}"
    );
}

#[test]
fn not_found_page_exists() {
    let (_s, out) = built();
    let nf = page(&out, "404.html");
    assert_eq!(texts(&nf, "h1").len(), 1);
    assert_eq!(nf.select(&sel("main")).count(), 1);
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let s = site("basic");
    let out = s.build(&[]);
    assert!(!out.join("topics/secret-plan").exists());
    assert!(
        !out.join("tags/secret").exists(),
        "a draft's tags get no page"
    );
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(!sitemap.contains("secret"), "{sitemap}");
    let topics = page(&out, "topics/index.html");
    assert!(
        !hrefs(&topics, "main a")
            .iter()
            .any(|h| h.contains("secret-plan"))
    );
    let visit = page(&out, "topics/xi-visit/index.html");
    assert!(
        !hrefs(&visit, "aside a")
            .iter()
            .any(|h| h.contains("secret-plan"))
    );

    let out = s.build(&["--drafts"]);
    let draft = page(&out, "topics/secret-plan/index.html");
    assert_eq!(texts(&draft, "h1"), vec!["Secret draft plan"]);
    assert!(out.join("tags/secret/index.html").is_file());
    let topics = page(&out, "topics/index.html");
    assert!(hrefs(&topics, "main li.listed > a").contains(&"../topics/secret-plan/".to_string()));
    let visit = page(&out, "topics/xi-visit/index.html");
    assert!(
        backlink_list(&visit)
            .iter()
            .any(|(h, _)| h == "../../topics/secret-plan/"),
        "the draft's link shows as a backlink with --drafts"
    );
}

#[test]
fn alias_writes_a_redirect_page_to_the_note() {
    let (_s, out) = built();
    let redirect = page(&out, "topics/xi-trip/index.html");
    let target = refresh_target(&redirect).expect("meta refresh");
    let content = attrs(&redirect, r#"meta[http-equiv="refresh"]"#, "content");
    assert!(content[0].starts_with("0;"), "{content:?}");
    assert_eq!(
        resolve_href("topics/xi-trip/index.html", &target),
        Some(("topics/xi-visit/index.html".to_string(), None))
    );
    assert_eq!(
        attrs(&redirect, r#"link[rel="canonical"]"#, "href"),
        vec!["https://example.org/sub/topics/xi-visit/"]
    );
    assert_eq!(hrefs(&redirect, "a"), vec![target]);
}

#[test]
fn image_asset_is_copied_and_its_link_resolves() {
    let (_s, out) = built();
    let visit = page(&out, "topics/xi-visit/index.html");
    let imgs: Vec<_> = visit.select(&sel("article img")).collect();
    assert_eq!(imgs.len(), 1);
    assert_eq!(imgs[0].value().attr("alt"), Some("A map of the region"));
    let src = imgs[0].value().attr("src").unwrap();
    let (file, _) = resolve_href("topics/xi-visit/index.html", src).unwrap();
    assert_eq!(file, "topics/map.png");
    assert_eq!(
        std::fs::read(out.join(&file)).unwrap(),
        std::fs::read(fixture("basic").join("content/topics/map.png")).unwrap()
    );
}

#[test]
fn static_files_are_copied_as_is() {
    let (_s, out) = built();
    for f in ["style.css", "img/logo.txt"] {
        assert_eq!(
            std::fs::read(out.join(f)).unwrap(),
            std::fs::read(fixture("basic").join("static").join(f)).unwrap(),
            "{f}"
        );
    }
}

#[test]
fn file_links_make_every_internal_link_point_at_a_file() {
    let s = site("basic");
    let out = s.build(&["--file-links"]);
    let mut dir_links = BTreeSet::new();
    for (from, href) in internal_refs(&out) {
        let path = href.split('#').next().unwrap();
        if path.is_empty() {
            continue; // a fragment on the same page
        }
        let last = path.rsplit('/').next().unwrap();
        if !last.contains('.') || last == "." || last == ".." {
            dir_links.insert(format!("{from}: {href}"));
        }
    }
    assert!(
        dir_links.is_empty(),
        "links that need a directory index:\n{}",
        dir_links.into_iter().collect::<Vec<_>>().join("\n")
    );
    let broken = broken_refs(&out);
    assert!(broken.is_empty(), "{}", broken.join("\n"));
    let visit = page(&out, "topics/xi-visit/index.html");
    assert!(body_links(&visit).contains(&(
        "../../people/xi-jinping/index.html#role".into(),
        "Xi’s role".into()
    )));
}

#[test]
fn base_url_flag_overrides_site_yaml_in_feed_sitemap_and_canonical() {
    let s = site("basic");
    let out = s.build(&["--base-url", "https://other.test/x"]);
    let base = "https://other.test/x/";
    let feed = std::fs::read_to_string(out.join("atom.xml")).unwrap();
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    let robots = std::fs::read_to_string(out.join("robots.txt")).unwrap();
    for (name, text) in [
        ("atom.xml", &feed),
        ("sitemap.xml", &sitemap),
        ("robots.txt", &robots),
    ] {
        assert!(
            !text.contains("example.org"),
            "{name} still uses site.yaml's base_url:\n{text}"
        );
    }
    for id in xml_values(&feed, "id") {
        assert!(id.starts_with(base), "{id}");
    }
    let locs: BTreeSet<String> = xml_values(&sitemap, "loc").into_iter().collect();
    assert_eq!(locs, expected_page_urls(&out, base));
    assert!(robots.contains("Sitemap: https://other.test/x/sitemap.xml"));
    let visit = page(&out, "topics/xi-visit/index.html");
    assert_eq!(
        attrs(&visit, r#"link[rel="canonical"]"#, "href"),
        vec!["https://other.test/x/topics/xi-visit/"]
    );
}

#[test]
fn summary_line_is_printed_and_stderr_is_quiet() {
    let s = site("basic");
    let r = s.cmd("build", &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.starts_with("built 6 pages, 5 tag pages"),
        "{}",
        r.stdout
    );
    assert!(r.stderr.is_empty(), "{}", r.stderr);
}

#[test]
fn a_folder_with_only_content_builds_with_the_default_templates() {
    let s = site("bare");
    assert!(!s.root().join("templates").exists() && !s.root().join("site.yaml").exists());
    let out = s.build(&[]);
    let files = html_files(&out);
    for f in [
        "index.html",
        "guide/index.html",
        "guide/first-steps/index.html",
        "guide/second-steps/index.html",
        "tags/index.html",
        "tags/start/index.html",
        "timeline/index.html",
        "404.html",
    ] {
        assert!(files.contains(&f.to_string()), "{f} missing: {files:?}");
    }
    for f in &files {
        let html = page(&out, f);
        let lang = attrs(&html, "html", "lang");
        assert!(
            lang.len() == 1 && !lang[0].trim().is_empty(),
            "{f}: <html lang> missing"
        );
        assert_eq!(html.select(&sel("h1")).count(), 1, "{f}: one <h1>");
        assert_eq!(html.select(&sel("main")).count(), 1, "{f}: one <main>");
    }
    // A note without a title is named after its file.
    let second = page(&out, "guide/second-steps/index.html");
    assert_eq!(texts(&second, "h1"), vec!["second-steps"]);
    let broken = broken_refs(&out);
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

/// A page's JSON-LD `Article`, parsed.
fn json_ld(out: &std::path::Path, rel: &str) -> serde_json::Value {
    let html = page(out, rel);
    let code: String = html
        .select(&sel(r#"script[type="application/ld+json"]"#))
        .next()
        .unwrap_or_else(|| panic!("{rel} has no JSON-LD"))
        .text()
        .collect();
    serde_json::from_str(&code).unwrap()
}

#[test]
fn pages_carry_schema_org_articles_with_site_fallbacks() {
    let (_s, out) = built();
    let xi = json_ld(&out, "topics/xi-visit/index.html");
    assert_eq!(xi["@type"], "Article");
    assert_eq!(xi["headline"], "Xi's visit & the thaw");
    assert_eq!(xi["description"], "Will Xi Jinping visit Seoul?");
    assert_eq!(xi["datePublished"], "2023-10-01");
    assert_eq!(xi["dateModified"], "2023-10-01", "no `updated`: the date");
    assert_eq!(xi["inLanguage"], "en-GB");
    assert_eq!(xi["url"], format!("{BASE}topics/xi-visit/"));
    assert_eq!(xi["author"]["name"], "Test & Co");
    assert_eq!(xi["publisher"]["name"], "Seoul & Beijing <notes>");
    assert_eq!(xi["keywords"], "China, diplomacy");
    // No description and no date: the site's description, and nulls.
    let russia = json_ld(&out, "topics/russia-factor/index.html");
    assert_eq!(
        russia["description"],
        "A small fixture site for the explainer integration tests."
    );
    assert!(russia["datePublished"].is_null() && russia["dateModified"].is_null());
    // Sections are not articles.
    let topics = page(&out, "topics/index.html");
    assert_eq!(
        topics
            .select(&sel(r#"script[type="application/ld+json"]"#))
            .count(),
        0
    );
}

#[test]
fn toc_html_nests_every_level_and_toc_data_is_there_for_templates_that_read_it() {
    let s = site("tiny");
    let note = "---\ntitle: Deep\n---\n\n## One\n\n### One & a half\n\n#### Deeper \\<still\\>\n\n## Two\n";
    s.write("content/deep.md", note);
    let out = s.build(&[]);
    let deep = page(&out, "deep/index.html");
    // The built-in page template prints `page.toc_html`: every level, escaped.
    assert_eq!(
        hrefs(&deep, "nav.toc a"),
        vec!["#one", "#one--a-half", "#deeper-still", "#two"]
    );
    assert_eq!(
        texts(&deep, "nav.toc a"),
        vec!["One", "One & a half", "Deeper <still>", "Two"]
    );
    assert_eq!(
        hrefs(&deep, "nav.toc > ol > li > ol > li > ol > li > a"),
        vec!["#deeper-still"]
    );
    // A project template that reads `page.toc` gets it as data.
    s.write(
        "templates/page.html",
        "{% for h in page.toc %}<a href=\"#{{ h.id }}\">{{ h.level }}</a>\
         {% for c in h.children %}<a href=\"#{{ c.id }}\">{{ c.level }}</a>{% endfor %}{% endfor %}",
    );
    let out = s.build(&[]);
    let deep = page(&out, "deep/index.html");
    assert_eq!(hrefs(&deep, "a"), vec!["#one", "#one--a-half", "#two"]);
    assert_eq!(texts(&deep, "a"), vec!["2", "3", "2"]);
}

#[test]
fn related_notes_list_links_and_backlinks_once_with_their_direction() {
    let (_s, out) = built();
    let summit = page(&out, "topics/trilateral-summit/index.html");
    let items: Vec<(String, String)> = summit
        .select(&sel("aside li[data-direction]"))
        .map(|li| {
            let a = li.select(&sel("a")).next().unwrap();
            (
                a.value().attr("href").unwrap().to_string(),
                li.value().attr("data-direction").unwrap().to_string(),
            )
        })
        .collect();
    let hrefs: Vec<&str> = items.iter().map(|(h, _)| h.as_str()).collect();
    let unique: BTreeSet<&str> = hrefs.iter().copied().collect();
    assert_eq!(hrefs.len(), unique.len(), "a note listed twice: {items:?}");
    // xi-visit and russia-factor link here and are linked from here: one entry each, "both".
    for both in ["../../topics/xi-visit/", "../../topics/russia-factor/"] {
        assert!(
            items.iter().any(|(h, d)| h == both && d == "both"),
            "{both} not listed once as both ways: {items:?}"
        );
    }
    assert!(
        items
            .iter()
            .any(|(h, d)| h == "../../people/xi-jinping/" && d == "out"),
        "{items:?}"
    );
    let headings: Vec<String> = summit
        .select(&sel("aside h2"))
        .map(|h| text_of(&h))
        .collect();
    assert_eq!(
        headings
            .iter()
            .filter(|h| h.contains("Related") || h.contains("Referenced"))
            .count(),
        1,
        "one related list, not two: {headings:?}"
    );
}

#[test]
fn pages_link_to_the_previous_and_next_note_of_their_section() {
    let (_s, out) = built();
    let topics = page(&out, "topics/index.html");
    let order: Vec<String> = hrefs(&topics, "main li.listed > a")
        .into_iter()
        .map(|h| h.trim_start_matches("../").to_string())
        .collect();
    assert!(order.len() >= 3, "{order:?}");
    for (k, url) in order.iter().enumerate() {
        let doc = page(&out, &format!("{url}index.html"));
        let rel = |r: &str| {
            doc.select(&sel(&format!("nav.pager a[rel={r}]")))
                .map(|a| {
                    a.value()
                        .attr("href")
                        .unwrap()
                        .trim_start_matches("../")
                        .to_string()
                })
                .next()
        };
        assert_eq!(
            rel("prev"),
            k.checked_sub(1).map(|p| order[p].clone()),
            "{url}"
        );
        assert_eq!(rel("next"), order.get(k + 1).cloned(), "{url}");
    }
}

#[test]
fn section_lists_say_where_each_note_is_linked_from() {
    let (_s, out) = built();
    let topics = page(&out, "topics/index.html");
    let item = topics
        .select(&sel("main li.listed"))
        .find(|li| {
            li.select(&sel("a"))
                .next()
                .is_some_and(|a| a.value().attr("href") == Some("../topics/xi-visit/"))
        })
        .expect("xi-visit listed");
    let from: BTreeSet<&str> = item
        .select(&sel(".desc a"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(from.contains("../topics/trilateral-summit/"), "{from:?}");
    assert!(from.contains("../topics/russia-factor/"), "{from:?}");
}
