//! The build pipeline: load notes → render Markdown and resolve links → check → graph → templates → sink.
//! Every phase collects all its problems before the build stops, so the user sees them at once.

use crate::config::Settings;
use crate::content::{self, Content, NoteKind};
use crate::context::{SiteValues, TAGS_URL, TIMELINE_URL, term_url};
use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use crate::feeds::{self, FeedEntry};
use crate::graph::{self, Graph};
use crate::links::{LinkIndex, alias_url, link_path, root_prefix};
use crate::markdown::{self, Rendered};
use crate::output::Sink;
use crate::templates::Templates;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};

/// What a successful build produced.
#[derive(Debug, Default)]
pub struct Summary {
    /// Notes written (home, sections, pages).
    pub pages: usize,
    /// Tag pages written (the tag list and one per tag).
    pub tag_pages: usize,
    /// Redirect pages written for aliases.
    pub redirects: usize,
    /// Whether `atom.xml` was written.
    pub feed: bool,
    /// Static files and content assets copied.
    pub files: usize,
    /// Warnings (orphans, images without alt text, empty notes).
    pub warnings: Vec<Diagnostic>,
}

/// Builds the site described by `settings` into `sink`. On failure, every problem found is returned.
pub fn build(settings: &Settings, sink: &dyn Sink) -> Result<Summary, Diagnostics> {
    let mut diags: Vec<Diagnostic> = Vec::new();
    let cfg = &settings.config;
    let content = content::load(
        &settings.content_dir,
        &settings.root,
        &cfg.title,
        cfg.allow_unknown,
        settings.drafts,
        &mut diags,
    );
    let index = LinkIndex::new(&content, settings.file_links);
    let rendered: Vec<Rendered> = (0..content.notes.len())
        .into_par_iter()
        .map(|i| markdown::render(content.notes[i].body(), &index.resolver(i)))
        .collect();
    check_links(&content, &rendered, &mut diags);
    check_front_matter_refs(settings, &content, &mut diags);
    let templates = match Templates::load(&settings.templates_dir, &settings.root) {
        Ok(t) => Some(t),
        Err(d) => {
            diags.extend(d);
            None
        }
    };
    if let Some(t) = &templates {
        for n in &content.notes {
            if let Some(name) = &n.front.template
                && !t.has(name)
            {
                let known: Vec<&str> = t.names().collect();
                let mut d = n.key_error(
                    "template",
                    format!("template `{name}` does not exist in templates/"),
                );
                if let Some(s) = did_you_mean(name, known.iter().copied()) {
                    d = d.with_help(format!("did you mean `{s}`?"));
                }
                diags.push(d);
            }
        }
    }
    let links: Vec<_> = rendered.iter().map(|r| r.links.clone()).collect();
    let graph = graph::build(&content.notes, &links);
    let redirects = plan_redirects(&content, &graph, &mut diags);
    warn_orphans(&content, &graph, &mut diags);

    let mut all = Diagnostics(diags);
    all.sort();
    if all.has_errors() {
        return Err(all);
    }
    let Some(templates) = templates else {
        return Err(all);
    };
    let mut summary = write_site(
        settings, &content, &rendered, &graph, &templates, &redirects, sink,
    )?;
    summary.warnings = all.0;
    Ok(summary)
}

/// Turns unresolved links into diagnostics, then checks every `#fragment` against its target's ids.
fn check_links(content: &Content, rendered: &[Rendered], diags: &mut Vec<Diagnostic>) {
    let ids: Vec<HashSet<&str>> = rendered
        .iter()
        .map(|r| r.ids.iter().map(String::as_str).collect())
        .collect();
    for (i, r) in rendered.iter().enumerate() {
        let n = &content.notes[i];
        let at = |span: &std::ops::Range<usize>, msg: String| {
            Diagnostic::at(
                &n.display_path,
                &n.text,
                n.body_start + span.start,
                span.len(),
                msg,
            )
        };
        for (span, p) in &r.problems {
            let mut d = at(span, p.message.clone()).with_label("broken link");
            if let Some(h) = &p.help {
                d = d.with_help(h.clone());
            }
            diags.push(d);
        }
        for l in &r.links {
            let Some(f) = &l.fragment else { continue };
            if ids[l.note].contains(f.as_str()) {
                continue;
            }
            let target = &content.notes[l.note];
            let mut d = at(
                &l.span,
                format!(
                    "`#{f}` is not a heading or anchor in {}",
                    target.display_path
                ),
            )
            .with_label("broken fragment");
            d = match did_you_mean(f, rendered[l.note].ids.iter().map(String::as_str)) {
                Some(s) => d.with_help(format!("did you mean `#{s}`?")),
                None if rendered[l.note].ids.is_empty() => {
                    d.with_help(format!("{} has no headings", target.display_path))
                }
                None => d.with_help(format!("its ids are: {}", rendered[l.note].ids.join(", "))),
            };
            diags.push(d);
        }
        for span in &r.images_without_alt {
            diags.push(
                at(span, "image has no alt text".into())
                    .with_help("describe the image: ![a map of the region](map.png)")
                    .warning(),
            );
        }
    }
}

/// Source ids must exist in site.yaml.
fn check_front_matter_refs(settings: &Settings, content: &Content, diags: &mut Vec<Diagnostic>) {
    let known: Vec<&str> = settings
        .config
        .sources
        .iter()
        .map(|s| s.id.as_str())
        .collect();
    for n in &content.notes {
        for id in &n.front.sources {
            if !known.contains(&id.as_str()) {
                let mut d = n.key_error("sources", format!("unknown source `{id}`"));
                d = match did_you_mean(id, known.iter().copied()) {
                    Some(s) => d.with_help(format!("did you mean `{s}`?")),
                    None => d.with_help("list the source under `sources:` in site.yaml"),
                };
                diags.push(d);
            }
        }
    }
}

/// Alias redirect pages, checked against note URLs and each other: (url, target note).
fn plan_redirects(
    content: &Content,
    graph: &Graph,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(String, usize)> {
    let mut taken: HashMap<String, String> = content
        .notes
        .iter()
        .map(|n| (n.url.clone(), n.display_path.clone()))
        .collect();
    taken.insert(TAGS_URL.into(), "the tag list".into());
    taken.insert(TIMELINE_URL.into(), "the timeline".into());
    for t in &graph.tags {
        taken.insert(term_url(&t.slug), format!("the page of tag `{}`", t.name));
    }
    for n in &content.notes {
        if let Some(other) = [TAGS_URL, TIMELINE_URL].iter().find(|u| **u == n.url) {
            diags.push(
                Diagnostic::file_error(
                    &n.display_path,
                    format!("this note's URL `/{other}` is reserved for a generated page"),
                )
                .with_help("rename the file or set a different `slug`"),
            );
        }
    }
    let mut out = Vec::new();
    for (i, n) in content.notes.iter().enumerate() {
        for a in &n.front.aliases {
            let url = alias_url(n, a);
            if url.is_empty() {
                continue;
            }
            if url == n.url {
                continue; // an alias that only differs in case or spacing: a name, not a URL
            }
            match taken.get(&url) {
                Some(owner) => diags.push(n.key_error(
                    "aliases",
                    format!("alias `{a}` would be written to `/{url}`, which is already {owner}"),
                )),
                None => {
                    taken.insert(url.clone(), format!("an alias of {}", n.display_path));
                    out.push((url, i));
                }
            }
        }
    }
    out
}

fn warn_orphans(content: &Content, graph: &Graph, diags: &mut Vec<Diagnostic>) {
    for (i, n) in content.notes.iter().enumerate() {
        if n.kind == NoteKind::Page && graph.backlinks[i].is_empty() {
            diags.push(
                Diagnostic::file_error(&n.display_path, "orphan note: no other note links to it")
                    .with_help("link to it from a related note, e.g. [its title](path/to/note.md)")
                    .warning(),
            );
        }
    }
}

fn write_site(
    settings: &Settings,
    content: &Content,
    rendered: &[Rendered],
    graph: &Graph,
    templates: &Templates,
    redirects: &[(String, usize)],
    sink: &dyn Sink,
) -> Result<Summary, Diagnostics> {
    let cfg = &settings.config;
    let values = SiteValues::new(settings, &content.notes, rendered, graph);
    let io_error = |what: &str, e: std::io::Error| {
        Diagnostic::file_error(what.to_string(), format!("cannot write: {e}"))
    };

    // Notes, in parallel.
    let note_results: Vec<Result<(), Diagnostic>> = (0..content.notes.len())
        .into_par_iter()
        .map(|i| {
            let n = &content.notes[i];
            let name = n.front.template.as_deref().unwrap_or(match n.kind {
                NoteKind::Home => "index.html",
                NoteKind::Section => "section.html",
                NoteKind::Page => "page.html",
            });
            let ctx = values.note_context(&content.notes, i, &rendered[i], graph, &cfg.sources);
            let html = templates.render(name, &ctx, &n.display_path)?;
            let out = format!("{}index.html", n.url);
            sink.write(&out, &html).map_err(|e| io_error(&out, e))
        })
        .collect();
    let mut errors: Vec<Diagnostic> = note_results.into_iter().filter_map(Result::err).collect();

    // Generated lists.
    let mut generated: Vec<(String, Result<Vec<u8>, Diagnostic>)> = Vec::new();
    if !cfg.taxonomies.is_empty() {
        let ctx = values.base_context(TAGS_URL, "taxonomy");
        generated.push((
            format!("{TAGS_URL}index.html"),
            templates.render("taxonomy.html", &ctx, "the tag list"),
        ));
        let terms: Vec<_> = graph
            .tags
            .par_iter()
            .enumerate()
            .map(|(ti, t)| {
                let ctx = values.term_context(ti, t);
                (
                    format!("{}index.html", term_url(&t.slug)),
                    templates.render("term.html", &ctx, &format!("the page of tag `{}`", t.name)),
                )
            })
            .collect();
        generated.extend(terms);
    }
    let tag_pages = generated.len();
    let ctx = values.base_context(TIMELINE_URL, "timeline");
    generated.push((
        format!("{TIMELINE_URL}index.html"),
        templates.render("timeline.html", &ctx, "the timeline"),
    ));
    let ctx = values.base_context("404.html", "404");
    generated.push((
        "404.html".into(),
        templates.render("404.html", &ctx, "the 404 page"),
    ));
    for (path, result) in generated {
        match result {
            Ok(bytes) => {
                if let Err(e) = sink.write(&path, &bytes) {
                    errors.push(io_error(&path, e));
                }
            }
            Err(d) => errors.push(d),
        }
    }

    // Alias redirects.
    for (url, target) in redirects {
        let n = &content.notes[*target];
        let rel = format!(
            "{}{}",
            root_prefix(url),
            link_path(&n.url, settings.file_links)
        );
        let page = feeds::redirect_page(
            &cfg.language,
            &n.title,
            &rel,
            &format!("{}{}", cfg.base_url, n.url),
        );
        let path = format!("{url}index.html");
        if let Err(e) = sink.write(&path, page.as_bytes()) {
            errors.push(io_error(&path, e));
        }
    }

    // Feed, sitemap, robots.
    if cfg.feed {
        let mut entries: Vec<FeedEntry<'_>> = content
            .notes
            .iter()
            .filter(|n| n.kind == NoteKind::Page)
            .filter_map(|n| {
                Some(FeedEntry {
                    title: &n.title,
                    permalink: format!("{}{}", cfg.base_url, n.url),
                    date: n.front.date?,
                    updated: n.front.updated,
                    summary: n.front.description.as_deref(),
                })
            })
            .collect();
        entries.sort_by(|a, b| (b.date, a.title).cmp(&(a.date, b.title)));
        if let Err(e) = sink.write("atom.xml", feeds::atom(cfg, &entries).as_bytes()) {
            errors.push(io_error("atom.xml", e));
        }
    }
    let mut urls: Vec<(String, Option<_>)> = content
        .notes
        .iter()
        .map(|n| {
            (
                format!("{}{}", cfg.base_url, n.url),
                n.front.updated.or(n.front.date),
            )
        })
        .collect();
    if !cfg.taxonomies.is_empty() {
        urls.push((format!("{}{TAGS_URL}", cfg.base_url), None));
        urls.extend(
            graph
                .tags
                .iter()
                .map(|t| (format!("{}{}", cfg.base_url, term_url(&t.slug)), None)),
        );
    }
    urls.push((format!("{}{TIMELINE_URL}", cfg.base_url), None));
    for (path, body) in [
        ("sitemap.xml", feeds::sitemap(&urls)),
        ("robots.txt", feeds::robots(&cfg.base_url)),
    ] {
        if let Err(e) = sink.write(path, body.as_bytes()) {
            errors.push(io_error(path, e));
        }
    }

    // Files: content assets beside their notes, then static/.
    let mut files = 0;
    for a in &content.assets {
        match sink.copy(&a.rel, &a.abs) {
            Ok(()) => files += 1,
            Err(e) => errors.push(io_error(&a.rel, e)),
        }
    }
    let mut walk_diags = Vec::new();
    let statics = content::load::walk(&settings.static_dir, &settings.root, &mut walk_diags);
    errors.extend(walk_diags);
    for f in statics.notes.iter().chain(statics.assets.iter()) {
        match sink.copy(&f.rel, &f.abs) {
            Ok(()) => files += 1,
            Err(e) => errors.push(io_error(&f.rel, e)),
        }
    }

    if !errors.is_empty() {
        let mut d = Diagnostics(errors);
        d.sort();
        return Err(d);
    }
    Ok(Summary {
        pages: content.notes.len(),
        tag_pages,
        redirects: redirects.len(),
        feed: cfg.feed,
        files,
        warnings: Vec::new(),
    })
}
