//! Tera templates: the project's `templates/` over embedded defaults, and template errors as diagnostics.

use crate::content::load::{decode_text, display};
use crate::diagnostics::Diagnostic;
use std::collections::BTreeMap;
use std::path::Path;
use tera::{Context, ErrorKind, Tera};
use walkdir::WalkDir;

/// The icon the built-in `base.html` links, written as `favicon.svg` at the output's root (a
/// project's `static/favicon.svg` or `content/favicon.svg` wins): with an icon declared, browsers
/// do not ask for `/favicon.ico`, which would be a 404.
pub const FAVICON_SVG: &str = include_str!("assets/favicon.svg");

/// The templates the binary carries, used for any the project does not provide.
pub const DEFAULTS: &[(&str, &str)] = &[
    ("base.html", include_str!("default_templates/base.html")),
    ("index.html", include_str!("default_templates/index.html")),
    (
        "section.html",
        include_str!("default_templates/section.html"),
    ),
    ("page.html", include_str!("default_templates/page.html")),
    (
        "taxonomy.html",
        include_str!("default_templates/taxonomy.html"),
    ),
    ("term.html", include_str!("default_templates/term.html")),
    (
        "timeline.html",
        include_str!("default_templates/timeline.html"),
    ),
    ("graph.html", include_str!("default_templates/graph.html")),
    ("404.html", include_str!("default_templates/404.html")),
    (
        "explainer/head.html",
        include_str!("default_templates/explainer/head.html"),
    ),
    (
        "explainer/search.html",
        include_str!("default_templates/explainer/search.html"),
    ),
    (
        "explainer/pager.html",
        include_str!("default_templates/explainer/pager.html"),
    ),
    (
        "explainer/previews.html",
        include_str!("default_templates/explainer/previews.html"),
    ),
];

/// Loaded templates plus their sources, so errors can quote the offending line.
pub struct Templates {
    tera: Tera,
    sources: BTreeMap<String, (String, String)>,
    /// The project has templates of its own, so pages carry their toc as data too.
    toc_data: bool,
}

impl Templates {
    /// Loads every file under `dir` (if it exists) over the embedded defaults.
    /// `asset_dirs` are where `asset_url(path=…)` looks for files (static/ first, then content/).
    pub fn load(
        dir: &Path,
        project_root: &Path,
        asset_dirs: &[std::path::PathBuf],
    ) -> Result<Templates, Vec<Diagnostic>> {
        let mut sources: BTreeMap<String, (String, String)> = DEFAULTS
            .iter()
            .map(|(name, text)| {
                (
                    name.to_string(),
                    (format!("(built-in template) {name}"), text.to_string()),
                )
            })
            .collect();
        let mut diags = Vec::new();
        if dir.is_dir() {
            for entry in WalkDir::new(dir).follow_links(true).sort_by_file_name() {
                let entry = match entry {
                    Ok(e) => e,
                    Err(e) => {
                        diags.push(Diagnostic::file_error(
                            display(project_root, dir),
                            format!("cannot read templates: {e}"),
                        ));
                        continue;
                    }
                };
                if !entry.file_type().is_file()
                    || entry.file_name().to_string_lossy().starts_with('.')
                {
                    continue;
                }
                let Ok(rel) = entry.path().strip_prefix(dir) else {
                    continue;
                };
                let name = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                let shown = display(project_root, entry.path());
                match std::fs::read(entry.path()) {
                    Ok(bytes) => match decode_text(&shown, bytes) {
                        Ok(text) => {
                            sources.insert(name, (shown, text));
                        }
                        Err(d) => diags.push(d),
                    },
                    Err(e) => {
                        diags.push(Diagnostic::file_error(shown, format!("cannot read: {e}")))
                    }
                }
            }
        }
        if !diags.is_empty() {
            return Err(diags);
        }
        // The built-in templates print `page.toc_html` and never read `page.toc`: only a
        // project's own templates may (or may print `page` whole).
        let toc_data = sources
            .iter()
            .any(|(name, (_, text))| DEFAULTS.iter().all(|(n, t)| n != name || t != text));
        without_head_block_if_base_has_none(&mut sources);
        let mut tera = Tera::new();
        register_helpers(&mut tera, asset_dirs.to_vec());
        let all: Vec<(&str, &str)> = sources
            .iter()
            .map(|(n, (_, t))| (n.as_str(), t.as_str()))
            .collect();
        let mut templates = Templates {
            tera: Tera::new(),
            sources: BTreeMap::new(),
            toc_data,
        };
        if let Err(e) = tera.add_raw_templates(all) {
            templates.sources = sources;
            let embedded = templates.embedded_reports(&e.to_string());
            if !embedded.is_empty() {
                return Err(embedded);
            }
            return Err(vec![templates.diagnostic(&e, None)]);
        }
        templates.tera = tera;
        templates.sources = sources;
        Ok(templates)
    }

    /// True if a template of that name exists (project or built-in).
    pub fn has(&self, name: &str) -> bool {
        self.sources.contains_key(name)
    }

    /// Names of all templates, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.sources.keys().map(String::as_str)
    }

    /// Renders `name`; an error names the template, line and column, and the page being rendered.
    pub fn render(
        &self,
        name: &str,
        ctx: &Context,
        rendering: &str,
    ) -> Result<Vec<u8>, Diagnostic> {
        let mut buf = Vec::with_capacity(16 * 1024);
        match self.tera.render_to(name, ctx, &mut buf) {
            Ok(()) => Ok(buf),
            Err(e) => Err(self.diagnostic(&e, Some(rendering))),
        }
    }

    fn diagnostic(&self, e: &tera::Error, rendering: Option<&str>) -> Diagnostic {
        let while_rendering = |d: Diagnostic| {
            let hint = field_suggestion(&d.message)
                .or_else(|| name_suggestion(&d).map(str::to_string))
                .map(|s| format!("did you mean `{s}`? "))
                .unwrap_or_default();
            match rendering {
                Some(page) => d.with_help(format!("{hint}while rendering {page}")),
                None => d.with_help(format!("{hint}{SYNTAX_HELP}")),
            }
        };
        let report = match e.kind() {
            ErrorKind::SyntaxError(r) => Some(("template syntax error", r)),
            ErrorKind::RenderingError(r) => Some(("template error", r)),
            _ => None,
        };
        if let Some((what, r)) = report
            && let Some((shown, text)) = self.sources.get(r.filename())
        {
            let span = r.span();
            let d = Diagnostic::at_line_col(
                shown,
                text,
                span.start_line,
                span.start_col + 1,
                format!("{what}: {}", r.message()),
            );
            let len = if span.end_line == span.start_line {
                span.end_col.saturating_sub(span.start_col).max(1)
            } else {
                1
            };
            let mut d = Diagnostic {
                span: d.span.start
                    ..(d.span.start + len).min(d.source_line.as_ref().map_or(0, String::len)),
                ..d
            };
            if d.span.end < d.span.start {
                d.span.end = d.span.start;
            }
            return while_rendering(d);
        }
        let (path, message) = match e.kind() {
            ErrorKind::MissingParent { current, parent } => (
                self.shown(current),
                format!("template `{current}` extends `{parent}`, which does not exist"),
            ),
            ErrorKind::TemplateNotFound(name) => (
                "templates/".to_string(),
                format!("template `{name}` does not exist"),
            ),
            ErrorKind::CircularExtend {
                tpl,
                inheritance_chain,
            } => (
                self.shown(tpl),
                format!(
                    "templates extend each other in a loop: {}",
                    inheritance_chain.join(" → ")
                ),
            ),
            ErrorKind::CircularInclude { tpl, include_chain } => (
                self.shown(tpl),
                format!(
                    "templates include each other in a loop: {}",
                    include_chain.join(" → ")
                ),
            ),
            _ => ("templates/".to_string(), format!("template error: {e}")),
        };
        while_rendering(Diagnostic::file_error(path, message))
    }

    /// Tera reports several template problems at once as one text of rustc-like reports
    /// (`error: …` then `--> name:line:col`); turn each into a diagnostic on our copy of the source.
    fn embedded_reports(&self, text: &str) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        let mut message: Option<String> = None;
        for line in text.lines() {
            let t = line.trim();
            if let Some(m) = t.strip_prefix("error: ") {
                message = Some(m.trim_start_matches("error: ").to_string());
            } else if let Some(loc) = t.strip_prefix("--> ")
                && let Some(m) = message.take()
            {
                let mut parts = loc.rsplitn(3, ':');
                let (col, line_no, name) = (parts.next(), parts.next(), parts.next());
                let (Some(col), Some(line_no), Some(name)) = (col, line_no, name) else {
                    continue;
                };
                let (Ok(col), Ok(line_no)) = (col.parse::<usize>(), line_no.parse::<usize>())
                else {
                    continue;
                };
                if let Some((shown, src)) = self.sources.get(name) {
                    let d = Diagnostic::at_line_col(
                        shown,
                        src,
                        line_no,
                        col,
                        format!("template error: {m}"),
                    );
                    let help = if shown.starts_with("(built-in") && m.contains("Block") {
                        "built-in templates extend your templates/base.html: it must define the blocks \
                         `title`, `head` and `content`, or provide this template yourself"
                            .to_string()
                    } else {
                        match name_suggestion(&d) {
                            Some(s) => format!("did you mean `{s}`? {SYNTAX_HELP}"),
                            None => SYNTAX_HELP.to_string(),
                        }
                    };
                    out.push(d.with_help(help));
                }
            }
        }
        out
    }

    fn shown(&self, name: &str) -> String {
        self.sources
            .get(name)
            .map_or_else(|| format!("templates/{name}"), |(s, _)| s.clone())
    }
}

/// Adds the helpers templates can call:
/// `value | json` (JSON, safe inside `<script>`), `timeline_svg(compact=false)` (the drawn
/// timeline, see `crate::timeline`), and `asset_url(path="style.css")`, a static or content
/// file's path with a content hash (`style.css?h=1a2b3c4d`) so it can be cached forever.
fn register_helpers(tera: &mut Tera, asset_dirs: Vec<std::path::PathBuf>) {
    tera.set_escape_fn(crate::escape::write_html);
    tera.register_filter(
        "json",
        |v: tera::Value, _: tera::Kwargs, _: &tera::State| {
            let text = serde_json::to_string(&v)
                .map_err(|e| tera::Error::message(format!("json: {e}")))?;
            Ok::<_, tera::Error>(tera::Value::safe_string(&crate::json::script_safe(&text)))
        },
    );
    tera.register_function("timeline_svg", crate::timeline::template_function);
    let cache: std::sync::Arc<std::sync::Mutex<BTreeMap<String, String>>> = Default::default();
    tera.register_function("asset_url", move |kwargs: tera::Kwargs, _: &tera::State| {
        let path: String = kwargs.must_get("path")?;
        let rel = path.trim_start_matches('/').to_string();
        if let Ok(c) = cache.lock()
            && let Some(hit) = c.get(&rel)
        {
            return Ok::<_, tera::Error>(tera::Value::from(hit.as_str()));
        }
        let bytes = asset_dirs
            .iter()
            .find_map(|d| std::fs::read(d.join(&rel)).ok())
            .ok_or_else(|| {
                tera::Error::message(format!("asset_url: no file `{rel}` in static/ or content/"))
            })?;
        let url = format!("{rel}?h={:08x}", fnv1a(&bytes) as u32);
        if let Ok(mut c) = cache.lock() {
            c.insert(rel, url.clone());
        }
        Ok(tera::Value::from(url))
    });
}

/// FNV-1a, 64 bits: a small hash that stays the same across Rust releases (for cache-busting).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

impl Templates {
    /// True if any template calls `asset_url`, so a changed static file changes pages too.
    pub fn uses_asset_urls(&self) -> bool {
        self.mention("asset_url")
    }

    /// True if any template's text contains `name` (a field worth building only for templates
    /// that print it, such as `map_svg`).
    pub fn mention(&self, name: &str) -> bool {
        self.sources.values().any(|(_, text)| text.contains(name))
    }

    /// True if the project has templates of its own, which may read `page.toc` (or print `page`
    /// whole). The built-in templates print `page.toc_html`: with only them, no page needs the
    /// toc as a list of maps, a large part of rendering a big site.
    pub fn toc_data(&self) -> bool {
        self.toc_data
    }

    /// Hands the build's timeline drawing to `timeline_svg()` (through Tera's global context,
    /// so no page's context carries it).
    pub fn set_timeline(&mut self, drawing: tera::Value) {
        self.tera
            .global_context()
            .insert_value(crate::timeline::DRAWING_VAR, drawing);
    }

    /// True if template `name`, or a template it may extend, include or import, may call the
    /// function `f`. Read from the sources (Tera does not list function calls): every quoted
    /// template name in a template counts as used, and a template defining components may be
    /// used from anywhere, so the answer errs on the side of yes.
    pub fn calls(&self, name: &str, f: &str) -> bool {
        let called = |text: &str| {
            text.match_indices(f).any(|(i, _)| {
                let before = text[..i].chars().next_back();
                !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
                    && text[i + f.len()..].trim_start().starts_with('(')
            })
        };
        if self
            .sources
            .values()
            .any(|(_, text)| text.contains("{% component") && called(text))
        {
            return true;
        }
        let mut seen: std::collections::BTreeSet<&str> = std::collections::BTreeSet::new();
        let mut todo = vec![name];
        while let Some(n) = todo.pop() {
            let Some((_, text)) = self.sources.get(n) else {
                continue;
            };
            if !seen.insert(n) {
                continue;
            }
            if called(text) {
                return true;
            }
            for quoted in text.split(['"', '\'']).skip(1).step_by(2) {
                if let Some((known, _)) = self.sources.get_key_value(quoted) {
                    todo.push(known.as_str());
                }
            }
        }
        false
    }

    /// True if template `name` (with its parents and includes) may read the top-level variable `var`.
    /// Used to decide which pages an incremental rebuild must render again.
    pub fn uses(&self, name: &str, var: &str) -> bool {
        self.tera
            .get_template_variables(name)
            .map_or(true, |vars| vars.contains(var))
    }
}

/// The help every template syntax error ends with.
const SYNTAX_HELP: &str =
    "fix the template; see the Tera 2 syntax at https://keats.github.io/tera/";

/// The closest tag, filter, test or function name for an "Unknown …" error at `d`'s position.
fn name_suggestion(d: &Diagnostic) -> Option<&'static str> {
    crate::template_names::suggestion(&d.message, d.source_line.as_deref(), d.span.start)
}

/// The built-in list templates fill `head` (their `rel="prev"`/`"next"` links). A project's
/// `base.html` without a `head` block (written before they did) would make them fail to load:
/// they are then loaded without it, and only those links are missing.
fn without_head_block_if_base_has_none(sources: &mut BTreeMap<String, (String, String)>) {
    const HEAD: (&str, &str) = ("{% block head %}", "{% endblock head %}");
    let defines_head = |text: &str| {
        text.match_indices("block")
            .any(|(at, _)| text[at + "block".len()..].trim_start().starts_with("head"))
    };
    match sources.get("base.html") {
        Some((shown, text)) if !shown.starts_with("(built-in") && !defines_head(text) => {}
        _ => return,
    }
    for (shown, text) in sources.values_mut() {
        if !shown.starts_with("(built-in") {
            continue;
        }
        if let Some(start) = text.find(HEAD.0)
            && let Some(len) = text[start..].find(HEAD.1)
        {
            text.replace_range(start..start + len + HEAD.1.len(), "");
        }
    }
}

/// For Tera's "Field `titel` is not defined. Available fields: a, b, …", the closest field.
fn field_suggestion(message: &str) -> Option<String> {
    let (_, rest) = message.split_once("Field `")?;
    let (wanted, rest) = rest.split_once('`')?;
    let (_, fields) = rest.split_once("Available fields: ")?;
    let fields: Vec<&str> = fields
        .split(',')
        .map(|f| f.trim().trim_end_matches('.'))
        .collect();
    crate::diagnostics::did_you_mean(wanted, fields.iter().copied()).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toc_data_only_for_projects_with_templates_of_their_own() {
        // The built-in templates print the toc's HTML, never `.toc`.
        for (name, text) in DEFAULTS {
            for (i, _) in text.match_indices(".toc") {
                assert!(text[i..].starts_with(".toc_html"), "{name} reads page.toc");
            }
        }
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("templates");
        let load = || Templates::load(&dir, tmp.path(), &[]).unwrap();
        assert!(!load().toc_data());
        // A copy of a built-in template is still the built-in one.
        std::fs::create_dir(&dir).unwrap();
        let (name, text) = DEFAULTS.iter().find(|(n, _)| *n == "page.html").unwrap();
        std::fs::write(dir.join(name), text).unwrap();
        assert!(!load().toc_data());
        std::fs::write(dir.join("404.html"), "{{ page | json }}").unwrap();
        assert!(load().toc_data());
    }

    #[test]
    fn function_calls_are_found_through_parents_and_includes() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("templates");
        std::fs::create_dir(&dir).unwrap();
        let write = |name: &str, text: &str| std::fs::write(dir.join(name), text).unwrap();
        write(
            "base.html",
            "{% block title %}{% endblock title %}{% block head %}{% endblock head %}{% block content %}{% endblock content %}",
        );
        write(
            "page.html",
            "{% extends \"base.html\" %}{% block content %}{% include \"part.html\" %}{% endblock content %}",
        );
        write("part.html", "{{ timeline_svg(compact=true) }}");
        write(
            "term.html",
            "{% extends 'base.html' %}{% block content %}my_timeline_svg{% endblock content %}",
        );
        let t = Templates::load(&dir, tmp.path(), &[]).unwrap();
        assert!(t.calls("page.html", "timeline_svg"));
        assert!(!t.calls("term.html", "timeline_svg"));
        assert!(
            t.calls("timeline.html", "timeline_svg"),
            "the built-in timeline page"
        );
    }

    #[test]
    fn a_base_without_a_head_block_still_loads_the_built_in_list_templates() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("templates");
        std::fs::create_dir(&dir).unwrap();
        let base = "<title>{% block title %}{% endblock title %}</title>{% block content %}{% endblock content %}";
        std::fs::write(dir.join("base.html"), base).unwrap();
        let t = Templates::load(&dir, tmp.path(), &[]).unwrap();
        assert!(t.uses("section.html", "paginator"), "still paginated");
        // With a `head` block, the built-in ones fill it.
        std::fs::write(
            dir.join("base.html"),
            format!("{base}{{% block head %}}{{% endblock head %}}"),
        )
        .unwrap();
        assert!(Templates::load(&dir, tmp.path(), &[]).is_ok());
    }
}
