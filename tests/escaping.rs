//! Escaping: titles, descriptions, tags, event text and site settings written by editors are text,
//! never markup. Each output format is checked: HTML text, HTML attributes (meta description,
//! `title=`, `lang=`), the Atom feed, the sitemap, the timeline, tag pages, alias redirect pages,
//! the 404 page and the search index. Only rendered Markdown is inserted as HTML.

mod common;

use common::*;
use scraper::Html;
use std::path::Path;

const SITE_TITLE: &str = r#"Site "><script>alert('site')</script> & co"#;
const SITE_DESC: &str = r#"Desc </title><img src=x onerror=alert('sitedesc')> 'q'"#;
const SITE_AUTHOR: &str = "Auth <b onmouseover=alert('author')>x</b> & y";
const LANG: &str = r#"en" onclick="alert('lang')"#;
const HOME_TITLE: &str = r#"Home "><script>alert('home')</script>"#;
const HOME_DESC: &str = "Home desc <script>alert('homedesc')</script>";
const TITLE: &str = r#""><script>alert(1)</script>"#;
const DESC: &str = r#"</title><img src=x onerror=alert(2)> & 'x' "y""#;
const TAG_SCRIPT: &str = "<script>alert('tag')</script>";
const TAG_ATTR: &str = r#""onmouseover="alert('tag2')"#;
const TAG_AMP: &str = "Tom & Jerry";
const EVENT: &str = r#"Event <img src=x onerror=alert('event')> & "q""#;
const SECTION_TITLE: &str = "Sec </title><svg onload=alert('sec')>";
const SECTION_DESC: &str = r#"Sec "desc" <iframe src=javascript:alert('secdesc')>"#;
const P2_TITLE: &str = "P2 '><img src=x onerror=alert('p2')>";
const P2_SLUG: &str = "q&a'b";
const ALIAS: &str = "old-evil";

/// A YAML double-quoted string.
fn yq(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn hostile_site() -> Site {
    let tmp = tempfile::tempdir().unwrap();
    let s = Site { tmp };
    s.write(
        "site.yaml",
        format!(
            "title: {}\ndescription: {}\nauthor: {}\nlanguage: {}\nbase_url: https://example.org/sub/\n",
            yq(SITE_TITLE),
            yq(SITE_DESC),
            yq(SITE_AUTHOR),
            yq(LANG)
        ),
    );
    s.write(
        "content/_index.md",
        format!(
            "---\ntitle: {}\ndescription: {}\n---\nRead [[evil]] and [the section](topics/_index.md).\n",
            yq(HOME_TITLE),
            yq(HOME_DESC)
        ),
    );
    s.write(
        "content/evil.md",
        format!(
            "---\ntitle: {}\ndescription: {}\ndate: 2023-10-02\ntags: [{}, {}, {}]\naliases: [{}]\n\
events:\n  - {{date: \"2023-09-23\", title: {}}}\n---\n## Why it matters\n\n\
Body with **bold**, see [the other](topics/page2.md).\n",
            yq(TITLE),
            yq(DESC),
            yq(TAG_SCRIPT),
            yq(TAG_ATTR),
            yq(TAG_AMP),
            ALIAS,
            yq(EVENT)
        ),
    );
    s.write(
        "content/topics/_index.md",
        format!(
            "---\ntitle: {}\ndescription: {}\n---\nThe section.\n",
            yq(SECTION_TITLE),
            yq(SECTION_DESC)
        ),
    );
    s.write(
        "content/topics/page2.md",
        format!(
            "---\ntitle: {}\ndescription: {}\ndate: 2023-10-01\nslug: {}\ntags: [{}]\n---\nBack to [[evil]].\n",
            yq(P2_TITLE),
            yq(DESC),
            yq(P2_SLUG),
            yq(TAG_SCRIPT)
        ),
    );
    s
}

fn built() -> (Site, std::path::PathBuf) {
    let s = hostile_site();
    let out = s.build(&[]);
    (s, out)
}

/// The classes of the SVG drawings the build writes itself (their text is checked as any other).
const DRAWN_SVG: &[&str] = &["note-map", "site-graph"];

/// Every element and attribute of every HTML page: nothing an editor wrote became markup.
fn assert_no_injected_markup(out: &Path) {
    let mut problems = Vec::new();
    for f in html_files(out) {
        let text = std::fs::read_to_string(out.join(&f)).unwrap();
        let html = Html::parse_document(&text);
        for el in html.select(&sel("*")) {
            let v = el.value();
            for (name, value) in v.attrs() {
                if name.starts_with("on") {
                    problems.push(format!("{f}: <{}> has an `{name}` attribute", v.name()));
                }
                // Values are text (the parser has decoded them); only a URL could run code.
                if ["href", "src", "action"].contains(&name)
                    && value
                        .trim_start()
                        .to_ascii_lowercase()
                        .starts_with("javascript:")
                {
                    problems.push(format!("{f}: <{} {name}=\"{value}\">", v.name()));
                }
            }
            match v.name() {
                "script" => {
                    let code = el.text().collect::<String>();
                    if v.attr("type") == Some("application/ld+json") {
                        // Data, not code: editors' text must not be able to close the element.
                        if code.contains('<') {
                            problems.push(format!("{f}: a raw `<` in JSON-LD: {code}"));
                        }
                    } else if code.contains("alert") {
                        problems.push(format!("{f}: a <script> holds `{code}`"));
                    }
                }
                // The drawn timeline is the tool's own SVG; what it holds is checked like the rest.
                "svg" if v.classes().any(|c| c == "timeline-svg") => {}
                "svg" if DRAWN_SVG.contains(&v.attr("class").unwrap_or("")) => {}
                "svg" | "iframe" => problems.push(format!("{f}: an injected <{}>", v.name())),
                "img" if v.attr("src") == Some("x") => {
                    problems.push(format!("{f}: an injected <img src=x>"))
                }
                _ => {}
            }
        }
        // Nothing slipped out of an attribute or the <title>.
        let text = DRAWN_SVG.iter().fold(text, |t, class| {
            t.replace(&format!("<svg class=\"{class}\""), "<drawn")
        });
        for bad in [
            "<script>alert",
            "<img src=x",
            "<svg",
            "<iframe",
            "\"onmouseover=\"",
        ] {
            let own = if bad == "<svg" {
                text.matches("<svg class=\"timeline-svg ").count()
            } else {
                0
            };
            if text.matches(bad).count() > own {
                problems.push(format!("{f}: raw `{bad}` in the HTML"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "markup injected:\n{}",
        problems.join("\n")
    );
}

/// Undoes XML escaping (for comparing feed and sitemap values with the raw strings).
fn xml_unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

fn one_attr(html: &Html, css: &str, attr: &str) -> String {
    let found = attrs(html, css, attr);
    assert_eq!(found.len(), 1, "`{css}` [{attr}]: {found:?}");
    found[0].clone()
}

fn title_of(html: &Html) -> String {
    texts(html, "title").join("")
}

#[test]
fn no_page_of_the_site_contains_injected_markup() {
    let (_s, out) = built();
    assert_no_injected_markup(&out);
}

#[test]
fn note_title_and_description_are_text_in_html_and_attributes() {
    let (_s, out) = built();
    let html = page(&out, "evil/index.html");
    assert_eq!(texts(&html, "h1"), vec![TITLE]);
    let title = title_of(&html);
    assert!(
        title.contains(TITLE) && title.contains(SITE_TITLE),
        "{title}"
    );
    assert_eq!(
        one_attr(&html, r#"meta[name="description"]"#, "content"),
        DESC
    );
    assert_eq!(one_attr(&html, "html", "lang"), LANG);
    assert_eq!(
        one_attr(&html, r#"link[rel="alternate"]"#, "title"),
        SITE_TITLE
    );
    // Backlinks and breadcrumbs show other notes' titles as text.
    let all = links(&html, "a");
    assert!(all.iter().any(|(_, t)| t == HOME_TITLE), "{all:?}");
    assert!(all.iter().any(|(_, t)| t == P2_TITLE), "{all:?}");
    // Rendered Markdown is HTML, not text.
    assert_eq!(texts(&html, "article strong"), vec!["bold"]);
}

#[test]
fn home_and_section_pages_show_titles_and_descriptions_as_text() {
    let (_s, out) = built();
    let home = page(&out, "index.html");
    assert!(title_of(&home).contains(SITE_TITLE), "{}", title_of(&home));
    assert_eq!(
        one_attr(&home, r#"meta[name="description"]"#, "content"),
        HOME_DESC
    );
    // A wikilink's text is the target's title: text, even inside rendered Markdown.
    let home_links = links(&home, "main a");
    assert!(
        home_links.contains(&("./evil/".to_string(), TITLE.to_string())),
        "{home_links:?}"
    );
    let section = page(&out, "topics/index.html");
    assert_eq!(texts(&section, "h1"), vec![SECTION_TITLE]);
    assert_eq!(
        one_attr(&section, r#"meta[name="description"]"#, "content"),
        SECTION_DESC
    );
    assert!(
        links(&section, "main a").iter().any(|(_, t)| t == P2_TITLE),
        "{:?}",
        links(&section, "main a")
    );
}

#[test]
fn page_urls_with_ampersands_and_quotes_are_escaped_in_hrefs() {
    let (_s, out) = built();
    let html = page(&out, "evil/index.html");
    let want = format!("../topics/{P2_SLUG}/");
    assert!(hrefs(&html, "a").contains(&want), "{:?}", hrefs(&html, "a"));
    assert!(
        out.join("topics")
            .join(P2_SLUG)
            .join("index.html")
            .is_file()
    );
    assert!(broken_refs(&out).is_empty(), "{:?}", broken_refs(&out));
}

#[test]
fn tag_names_are_text_on_notes_the_tag_list_and_term_pages() {
    let (_s, out) = built();
    let note = page(&out, "evil/index.html");
    let tag_texts: Vec<String> = links(&note, "p.muted a")
        .into_iter()
        .map(|(_, t)| t)
        .collect();
    for tag in [TAG_SCRIPT, TAG_ATTR, TAG_AMP] {
        assert!(
            tag_texts.contains(&format!("#{tag}")),
            "{tag}: {tag_texts:?}"
        );
    }
    let list = page(&out, "tags/index.html");
    let list_text = texts(&list, "main").join(" ");
    for tag in [TAG_SCRIPT, TAG_ATTR, TAG_AMP] {
        assert!(
            list_text.contains(tag),
            "{tag} missing from the tag list: {list_text}"
        );
    }
    let mut terms = 0;
    for f in html_files(&out)
        .into_iter()
        .filter(|f| f.starts_with("tags/") && f != "tags/index.html")
    {
        let html = page(&out, &f);
        let h1 = texts(&html, "h1").join("");
        let tag = [TAG_SCRIPT, TAG_ATTR, TAG_AMP]
            .into_iter()
            .find(|t| h1.contains(t))
            .unwrap_or_else(|| panic!("{f}: h1 `{h1}` shows no tag name as text"));
        assert!(title_of(&html).contains(tag), "{f}: {}", title_of(&html));
        terms += 1;
    }
    assert_eq!(terms, 3);
}

#[test]
fn event_text_is_text_on_the_timeline() {
    let (_s, out) = built();
    let html = page(&out, "timeline/index.html");
    let items = texts(&html, "main li");
    assert!(
        items.iter().any(|i| i.contains(EVENT) && i.contains(TITLE)),
        "{items:?}"
    );
}

#[test]
fn alias_redirect_pages_show_the_title_as_text() {
    let (_s, out) = built();
    let html = page(&out, &format!("{ALIAS}/index.html"));
    assert!(title_of(&html).contains(TITLE), "{}", title_of(&html));
    assert_eq!(refresh_target(&html).as_deref(), Some("../evil/"));
    assert_eq!(
        links(&html, "a"),
        vec![("../evil/".to_string(), TITLE.to_string())]
    );
}

#[test]
fn the_404_page_shows_the_site_title_as_text() {
    let (_s, out) = built();
    let html = page(&out, "404.html");
    assert!(title_of(&html).contains(SITE_TITLE), "{}", title_of(&html));
    assert_eq!(one_attr(&html, "html", "lang"), LANG);
}

#[test]
fn the_feed_escapes_every_text() {
    let (_s, out) = built();
    let xml = std::fs::read_to_string(out.join("atom.xml")).unwrap();
    assert_xml_escaped(&xml);
    let titles: Vec<String> = xml_values(&xml, "title")
        .iter()
        .map(|t| xml_unescape(t))
        .collect();
    for t in [SITE_TITLE, TITLE, P2_TITLE] {
        assert!(titles.contains(&t.to_string()), "{t}: {titles:?}");
    }
    let summaries: Vec<String> = xml_values(&xml, "summary")
        .iter()
        .map(|t| xml_unescape(t))
        .collect();
    assert!(summaries.contains(&DESC.to_string()), "{summaries:?}");
    assert_eq!(
        xml_values(&xml, "subtitle")
            .iter()
            .map(|t| xml_unescape(t))
            .collect::<Vec<_>>(),
        vec![SITE_DESC]
    );
    assert_eq!(
        xml_values(&xml, "name")
            .iter()
            .map(|t| xml_unescape(t))
            .collect::<Vec<_>>(),
        vec![SITE_AUTHOR]
    );
    let lang = format!(
        "xml:lang=\"{}\"",
        LANG.replace('"', "&quot;").replace('\'', "&#39;")
    );
    let lang_alt = format!("xml:lang=\"{}\"", LANG.replace('"', "&quot;"));
    assert!(xml.contains(&lang) || xml.contains(&lang_alt), "{xml}");
    let p2 = format!("https://example.org/sub/topics/{}/", P2_SLUG);
    let ids: Vec<String> = xml_values(&xml, "id")
        .iter()
        .map(|t| xml_unescape(t))
        .collect();
    assert!(ids.contains(&p2), "{ids:?}");
}

#[test]
fn the_sitemap_escapes_urls() {
    let (_s, out) = built();
    let xml = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert_xml_escaped(&xml);
    let locs: Vec<String> = xml_values(&xml, "loc")
        .iter()
        .map(|t| xml_unescape(t))
        .collect();
    let p2 = format!("https://example.org/sub/topics/{}/", P2_SLUG);
    assert!(locs.contains(&p2), "{locs:?}");
    assert!(!xml.contains("<script"), "{xml}");
}

#[test]
fn the_search_index_cannot_close_a_script_element() {
    let (_s, out) = built();
    for (name, bytes) in tree(&out) {
        if name.ends_with(".js") {
            let js = String::from_utf8(bytes).unwrap();
            assert!(!js.contains("</script"), "{name} holds `</script`");
            assert!(!js.contains("<!--"), "{name} holds `<!--`");
        }
    }
}

#[test]
fn project_templates_keep_autoescaping_on() {
    let s = hostile_site();
    s.write(
        "templates/page.html",
        "<!DOCTYPE html>\n<html lang=\"{{ site.language }}\"><head><title>{{ page.title }}</title></head>\n\
<body><main><h1 title=\"{{ page.title }}\">{{ page.title }}</h1>\n<p class=\"d\" data-d='{{ page.description }}'>{{ page.description }}</p>\n\
<ul>{% for t in page.tags %}<li data-t=\"{{ t.name }}\">{{ t.name }}</li>{% endfor %}</ul>\n\
<ol>{% for e in page.events %}<li>{{ e.title }}</li>{% endfor %}</ol>\n\
<div class=\"c\">{{ page.content }}</div></main></body></html>\n",
    );
    let out = s.build(&[]);
    assert_no_injected_markup(&out);
    let html = page(&out, "evil/index.html");
    assert_eq!(texts(&html, "h1"), vec![TITLE]);
    assert_eq!(one_attr(&html, "h1", "title"), TITLE);
    assert_eq!(one_attr(&html, "p.d", "data-d"), DESC);
    assert_eq!(texts(&html, "p.d"), vec![DESC]);
    let mut tags = attrs(&html, "li[data-t]", "data-t");
    tags.sort();
    let mut want = vec![TAG_SCRIPT, TAG_ATTR, TAG_AMP];
    want.sort();
    assert_eq!(tags, want);
    let mut tag_texts = texts(&html, "li[data-t]");
    tag_texts.sort();
    assert_eq!(tag_texts, want);
    assert!(texts(&html, "ol li").contains(&EVENT.to_string()));
    // page.content is the rendered Markdown, inserted as HTML.
    assert_eq!(texts(&html, "div.c strong"), vec!["bold"]);
    assert_eq!(texts(&html, "div.c h2").len(), 1);
}

#[test]
fn a_base_url_with_markup_characters_is_escaped_wherever_it_is_written() {
    let s = hostile_site();
    let base = "https://example.org/x\"y<z>&w'/";
    let out = s.build(&["--base-url", base]);
    assert_no_injected_markup(&out);
    let html = page(&out, "evil/index.html");
    assert_eq!(
        one_attr(&html, r#"link[rel="canonical"]"#, "href"),
        format!("{base}evil/")
    );
    for f in ["atom.xml", "sitemap.xml"] {
        let xml = std::fs::read_to_string(out.join(f)).unwrap();
        assert_xml_escaped(&xml);
        assert!(!xml.contains("<z>"), "{f}: {xml}");
    }
    let xml = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    let locs: Vec<String> = xml_values(&xml, "loc")
        .iter()
        .map(|t| xml_unescape(t))
        .collect();
    assert!(locs.contains(&format!("{base}evil/")), "{locs:?}");
}
