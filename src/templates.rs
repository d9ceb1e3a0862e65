//! Tera templates: the project's `templates/` over embedded defaults, and template errors as diagnostics.

use crate::content::load::{decode_text, display};
use crate::diagnostics::Diagnostic;
use std::collections::BTreeMap;
use std::path::Path;
use tera::{Context, ErrorKind, Tera};
use walkdir::WalkDir;

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
    ("404.html", include_str!("default_templates/404.html")),
];

/// Loaded templates plus their sources, so errors can quote the offending line.
pub struct Templates {
    tera: Tera,
    sources: BTreeMap<String, (String, String)>,
}

impl Templates {
    /// Loads every file under `dir` (if it exists) over the embedded defaults.
    pub fn load(dir: &Path, project_root: &Path) -> Result<Templates, Vec<Diagnostic>> {
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
        let mut tera = Tera::new();
        let all: Vec<(&str, &str)> = sources
            .iter()
            .map(|(n, (_, t))| (n.as_str(), t.as_str()))
            .collect();
        let mut templates = Templates {
            tera: Tera::new(),
            sources: BTreeMap::new(),
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
        let while_rendering = |d: Diagnostic| match rendering {
            Some(page) => d.with_help(format!("while rendering {page}")),
            None => d.with_help(
                "fix the template; see the Tera 2 syntax at https://keats.github.io/tera/",
            ),
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
                    let help = if shown.starts_with("(built-in") {
                        "built-in templates extend your templates/base.html: it must define the blocks \
                         `title`, `head` and `content`, or provide this template yourself"
                    } else {
                        "fix the template; see the Tera 2 syntax at https://keats.github.io/tera/"
                    };
                    out.push(
                        Diagnostic::at_line_col(
                            shown,
                            src,
                            line_no,
                            col,
                            format!("template error: {m}"),
                        )
                        .with_help(help),
                    );
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

impl Templates {
    /// True if template `name` (with its parents and includes) may read the top-level variable `var`.
    /// Used to decide which pages an incremental rebuild must render again.
    pub fn uses(&self, name: &str, var: &str) -> bool {
        self.tera
            .get_template_variables(name)
            .map_or(true, |vars| vars.contains(var))
    }
}
