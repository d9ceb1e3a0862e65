//! Machine-read outputs: the Atom feed, the sitemap, robots.txt and alias redirect pages.

use crate::config::SiteConfig;
use crate::content::date::SiteDate;
use crate::escape::html as xml_escape;

/// One feed entry.
pub struct FeedEntry<'a> {
    /// Title.
    pub title: &'a str,
    /// Absolute URL.
    pub permalink: String,
    /// Publication date.
    pub date: SiteDate,
    /// Last update, if any.
    pub updated: Option<SiteDate>,
    /// Summary.
    pub summary: Option<&'a str>,
}

/// How many entries the feed keeps (newest first).
pub const FEED_LIMIT: usize = 50;

/// An Atom 1.0 feed with absolute URLs from `base_url`; entries must be sorted newest first.
pub fn atom(config: &SiteConfig, entries: &[FeedEntry<'_>]) -> String {
    atom_at(config, &config.title, "", entries)
}

/// An Atom feed titled `title` at `<url>atom.xml` (a URL path from the site root: `""` for the
/// site's feed, `categories/trade/` for a term's), about the page at `url`.
pub fn atom_at(config: &SiteConfig, title: &str, url: &str, entries: &[FeedEntry<'_>]) -> String {
    let base = &format!("{}{url}", config.base_url);
    let updated = entries
        .iter()
        .map(|e| e.updated.unwrap_or(e.date))
        .max()
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |d| d.rfc3339());
    let author = if config.author.is_empty() {
        &config.title
    } else {
        &config.author
    };
    let mut s = String::with_capacity(1024 + entries.len() * 512);
    s.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    s.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        xml_escape(&config.language)
    ));
    s.push_str(&format!("  <title>{}</title>\n", xml_escape(title)));
    if !config.description.is_empty() {
        s.push_str(&format!(
            "  <subtitle>{}</subtitle>\n",
            xml_escape(&config.description)
        ));
    }
    s.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}atom.xml\"/>\n",
        xml_escape(base)
    ));
    s.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        xml_escape(base)
    ));
    s.push_str(&format!(
        "  <id>{}</id>\n  <updated>{updated}</updated>\n",
        xml_escape(base)
    ));
    s.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        xml_escape(author)
    ));
    for e in entries.iter().take(FEED_LIMIT) {
        let link = xml_escape(&e.permalink);
        s.push_str("  <entry>\n");
        s.push_str(&format!("    <title>{}</title>\n", xml_escape(e.title)));
        s.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{link}\"/>\n"
        ));
        s.push_str(&format!("    <id>{link}</id>\n"));
        s.push_str(&format!(
            "    <published>{}</published>\n",
            e.date.rfc3339()
        ));
        s.push_str(&format!(
            "    <updated>{}</updated>\n",
            e.updated.unwrap_or(e.date).rfc3339()
        ));
        if let Some(summary) = e.summary {
            s.push_str(&format!("    <summary>{}</summary>\n", xml_escape(summary)));
        }
        s.push_str("  </entry>\n");
    }
    s.push_str("</feed>\n");
    s
}

/// A sitemap of absolute URLs with optional last-modified dates.
pub fn sitemap(urls: &[(String, Option<SiteDate>)]) -> String {
    let mut s = String::with_capacity(128 + urls.len() * 96);
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (url, lastmod) in urls {
        s.push_str(&format!("  <url>\n    <loc>{}</loc>\n", xml_escape(url)));
        if let Some(d) = lastmod.filter(SiteDate::is_full) {
            s.push_str(&format!("    <lastmod>{d}</lastmod>\n"));
        }
        s.push_str("  </url>\n");
    }
    s.push_str("</urlset>\n");
    s
}

/// robots.txt allowing everything and pointing at the sitemap.
pub fn robots(base_url: &str) -> String {
    format!("User-agent: *\nAllow: /\nSitemap: {base_url}sitemap.xml\n")
}

/// A small page that sends readers (and search engines) from an alias to the note.
pub fn redirect_page(language: &str, title: &str, relative: &str, absolute: &str) -> String {
    let (rel, abs, title) = (
        xml_escape(relative),
        xml_escape(absolute),
        xml_escape(title),
    );
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>Redirect to {title}</title>\n\
<link rel=\"canonical\" href=\"{abs}\">\n<meta name=\"robots\" content=\"noindex\">\n\
<meta http-equiv=\"refresh\" content=\"0; url={rel}\">\n</head>\n<body>\n<main>\n\
<p>This note has moved to <a href=\"{rel}\">{title}</a>.</p>\n</main>\n</body>\n</html>\n",
        xml_escape(language)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feed_escapes_and_uses_absolute_urls() {
        let c = SiteConfig {
            title: "A & B".into(),
            ..SiteConfig::default()
        };
        let e = FeedEntry {
            title: "</title><script>",
            permalink: "https://example.org/a/".into(),
            date: SiteDate::parse("2023-10-02").unwrap(),
            updated: None,
            summary: Some("x < y"),
        };
        let xml = atom(&c, &[e]);
        assert!(xml.contains("<title>A &amp; B</title>"));
        assert!(xml.contains("&lt;/title&gt;&lt;script&gt;"));
        assert!(xml.contains("<updated>2023-10-02T00:00:00Z</updated>"));
        assert!(xml.contains("href=\"https://example.org/a/\""));
    }

    #[test]
    fn sitemap_lists_urls() {
        let xml = sitemap(&[("https://example.org/".into(), SiteDate::parse("2023-10-02"))]);
        assert!(xml.contains("<loc>https://example.org/</loc>"));
        assert!(xml.contains("<lastmod>2023-10-02</lastmod>"));
    }
}
