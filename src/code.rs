//! Syntax highlighting of fenced code at build time: a block whose language the bundled
//! grammars know (Sublime Text's, through syntect) becomes `<pre class="highlight">` with
//! `<span>`s of short, Pygments-style class names (`k` keyword, `s` string, `c` comment…) that
//! the style sheets colour for light and dark, so one page serves both and needs no script.
//! The grammars load on the first block that asks for them, once per `Highlighter`.

use crate::escape::push_html;
use std::sync::{Arc, OnceLock};
use syntect::parsing::{
    BasicScopeStackOp, ParseState, Scope, ScopeStack, SyntaxReference, SyntaxSet,
};

/// Longest block highlighted, in bytes: a longer one stays plain (highlighting costs time
/// in proportion, and such a block is usually data or generated code).
pub const MAX_BLOCK: usize = 100_000;
/// Longest line highlighted, in bytes: grammars try their patterns at every position of a
/// line, so a minified line costs far more than its length; its block stays plain.
pub const MAX_LINE: usize = 5_000;

/// What a token is, as a class name short enough to repeat on every token. The names are
/// Pygments' (also used by Rouge and Chroma), so their style sheets fit too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// A comment.
    Comment,
    /// A keyword (`fn`, `if`, `let`).
    Keyword,
    /// A keyword that is an operator (`and`, `not`).
    OperatorWord,
    /// A string or character literal.
    String,
    /// An escape inside a string (`\n`).
    Escape,
    /// A number.
    Number,
    /// A constant of the language (`true`, `None`, `null`).
    Constant,
    /// Another named constant (`MAX`, a built-in constant).
    NamedConstant,
    /// A name the language gives meaning (`self`, `this`).
    Builtin,
    /// A function or macro name.
    Function,
    /// A type or class name.
    Type,
    /// A markup tag (`div` in HTML).
    Tag,
    /// A markup attribute (`href`).
    Attribute,
    /// A heading (Markdown, diff hunks).
    Heading,
    /// An inserted line (diff).
    Inserted,
    /// A deleted line (diff).
    Deleted,
    /// Emphasised text (Markdown).
    Emphasis,
    /// Strong text (Markdown).
    Strong,
}

impl Class {
    /// The class name written on the token's `<span>`.
    pub fn name(self) -> &'static str {
        match self {
            Class::Comment => "c",
            Class::Keyword => "k",
            Class::OperatorWord => "ow",
            Class::String => "s",
            Class::Escape => "se",
            Class::Number => "m",
            Class::Constant => "kc",
            Class::NamedConstant => "no",
            Class::Builtin => "bp",
            Class::Function => "nf",
            Class::Type => "nc",
            Class::Tag => "nt",
            Class::Attribute => "na",
            Class::Heading => "gh",
            Class::Inserted => "gi",
            Class::Deleted => "gd",
            Class::Emphasis => "ge",
            Class::Strong => "gs",
        }
    }
}

/// Grammar scopes and the class of a token inside them: the rule with the longest scope that
/// is a prefix of a token's innermost scope wins (`keyword.operator` over `keyword`), as in a
/// TextMate theme; `None` leaves the token unclassed (operators and punctuation are not
/// coloured, which keeps pages small). A scope no rule names takes its parent's class, so a
/// string's quotes are string too.
const RULES: &[(&str, Option<Class>)] = &[
    ("comment", Some(Class::Comment)),
    ("keyword", Some(Class::Keyword)),
    ("keyword.operator", None),
    ("keyword.operator.word", Some(Class::OperatorWord)),
    ("keyword.operator.logical.python", Some(Class::OperatorWord)),
    ("storage", Some(Class::Keyword)),
    ("string", Some(Class::String)),
    ("constant.character", Some(Class::String)),
    ("constant.character.escape", Some(Class::Escape)),
    ("constant.numeric", Some(Class::Number)),
    ("constant.language", Some(Class::Constant)),
    ("constant.other", Some(Class::NamedConstant)),
    ("support.constant", Some(Class::NamedConstant)),
    ("variable.language", Some(Class::Builtin)),
    ("entity.name.function", Some(Class::Function)),
    ("support.function", Some(Class::Function)),
    ("variable.function", Some(Class::Function)),
    ("support.macro", Some(Class::Function)),
    ("entity.name.type", Some(Class::Type)),
    ("entity.name.class", Some(Class::Type)),
    ("entity.name.struct", Some(Class::Type)),
    ("entity.name.enum", Some(Class::Type)),
    ("entity.name.trait", Some(Class::Type)),
    ("entity.name.interface", Some(Class::Type)),
    ("entity.other.inherited-class", Some(Class::Type)),
    ("support.type", Some(Class::Type)),
    ("support.class", Some(Class::Type)),
    ("storage.type.numeric", Some(Class::Type)),
    ("entity.name.tag", Some(Class::Tag)),
    ("entity.other.attribute-name", Some(Class::Attribute)),
    ("markup.heading", Some(Class::Heading)),
    ("markup.inserted", Some(Class::Inserted)),
    ("markup.deleted", Some(Class::Deleted)),
    ("markup.italic", Some(Class::Emphasis)),
    ("markup.bold", Some(Class::Strong)),
];

/// Language names common in fenced blocks (GitHub's) that are neither a file extension nor
/// the name of a bundled grammar, and the extension of the grammar they mean.
const ALIASES: &[(&str, &str)] = &[
    ("shell", "sh"),
    ("shellscript", "sh"),
    ("csharp", "cs"),
    ("golang", "go"),
    ("jsonc", "json"),
];

/// Highlights fenced code for one build (or one `serve` session): the grammars are loaded by
/// the first block with a language and shared by every thread and every clone after that.
#[derive(Clone, Default)]
pub struct Highlighter {
    grammars: Arc<OnceLock<Grammars>>,
}

impl std::fmt::Debug for Highlighter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Highlighter")
            .field("loaded", &self.grammars.get().is_some())
            .finish()
    }
}

/// The bundled grammars and the rules as scopes.
struct Grammars {
    syntaxes: SyntaxSet,
    rules: Vec<(Scope, Option<Class>)>,
}

impl Grammars {
    fn load() -> Self {
        Grammars {
            syntaxes: SyntaxSet::load_defaults_newlines(),
            rules: RULES
                .iter()
                .filter_map(|&(s, class)| Some((Scope::new(s).ok()?, class)))
                .collect(),
        }
    }

    /// The class of a token whose innermost scope is `scope`, inside a scope of class `parent`.
    fn class(&self, scope: Scope, parent: Option<Class>) -> Option<Class> {
        self.rules
            .iter()
            .filter(|(rule, _)| rule.is_prefix_of(scope))
            .max_by_key(|(rule, _)| rule.len())
            .map_or(parent, |&(_, class)| class)
    }
}

/// A grammar found for a block's language.
#[derive(Clone, Copy)]
pub struct Language<'h> {
    grammars: &'h Grammars,
    syntax: &'h SyntaxReference,
}

/// The language word of a fenced block's info string, as the HTML writer reads it for the
/// `language-…` class (everything up to the first space).
pub fn language_word(info: &str) -> &str {
    info.split(' ').next().unwrap_or("")
}

impl Highlighter {
    /// The grammar for the language of a fenced block with this info string (`rust`, `rs`,
    /// `Python`…): `None` when there is no language, the grammars do not know it, or it is
    /// plain text, so the block stays as it is.
    pub fn language(&self, info: &str) -> Option<Language<'_>> {
        let word = language_word(info);
        if word.is_empty() {
            return None;
        }
        let grammars = self.grammars.get_or_init(Grammars::load);
        let token = ALIASES
            .iter()
            .find(|(alias, _)| alias.eq_ignore_ascii_case(word))
            .map_or(word, |&(_, token)| token);
        let syntax = grammars.syntaxes.find_syntax_by_token(token)?;
        if syntax.name == grammars.syntaxes.find_syntax_plain_text().name {
            return None;
        }
        Some(Language { grammars, syntax })
    }
}

impl Language<'_> {
    /// Writes `code` as a highlighted block for a fenced block with this info string:
    /// `<pre class="highlight" data-lang="…"><code class="language-…">` and a `<span>` per
    /// classed run. `false` (and nothing written) if the block is too large to highlight or
    /// the grammar fails on it: it is then shown plain.
    pub fn write_block(&self, info: &str, code: &str, out: &mut String) -> bool {
        if code.len() > MAX_BLOCK || code.split('\n').any(|l| l.len() > MAX_LINE) {
            return false;
        }
        let Some(spans) = self.spans(code) else {
            return false;
        };
        let word = language_word(info);
        out.reserve(code.len() * 2 + 96);
        out.push_str("<pre class=\"highlight\" data-lang=\"");
        push_html(&mut *out, word);
        out.push_str("\"><code class=\"language-");
        push_html(&mut *out, word);
        out.push_str("\">");
        let mut start = 0;
        for (end, class) in spans {
            let text = &code[start..end];
            start = end;
            match class {
                Some(c) => {
                    out.push_str("<span class=\"");
                    out.push_str(c.name());
                    out.push_str("\">");
                    push_html(&mut *out, text);
                    out.push_str("</span>");
                }
                None => {
                    push_html(&mut *out, text);
                }
            }
        }
        out.push_str("</code></pre>\n");
        true
    }

    /// The code cut into runs of one class, each as (its end, its class), adjacent runs of
    /// the same class merged; `None` if the grammar fails.
    fn spans(&self, code: &str) -> Option<Vec<(usize, Option<Class>)>> {
        let g = self.grammars;
        let mut state = ParseState::new(self.syntax);
        let mut stack = ScopeStack::new();
        // The class at each depth of the scope stack (none at the bottom).
        let mut classes: Vec<Option<Class>> = Vec::new();
        let mut runs: Vec<(usize, Option<Class>)> = Vec::new();
        let mut line_start = 0;
        for line in code.split_inclusive('\n') {
            let ops = state.parse_line(line, &g.syntaxes).ok()?;
            let mut at = 0;
            for (i, op) in ops {
                if i > at {
                    let class = classes.last().copied().flatten();
                    push_run(&mut runs, line_start + i, class);
                    at = i;
                }
                stack
                    .apply_with_hook(&op, |basic, _| match basic {
                        BasicScopeStackOp::Push(scope) => {
                            let parent = classes.last().copied().flatten();
                            classes.push(g.class(scope, parent));
                        }
                        BasicScopeStackOp::Pop => {
                            classes.pop();
                        }
                    })
                    .ok()?;
            }
            if line.len() > at {
                let class = classes.last().copied().flatten();
                push_run(&mut runs, line_start + line.len(), class);
            }
            line_start += line.len();
        }
        Some(runs)
    }
}

/// Ends the runs at `end` with a run of `class`, merged into the last one if it has that class.
fn push_run(runs: &mut Vec<(usize, Option<Class>)>, end: usize, class: Option<Class>) {
    match runs.last_mut() {
        Some(last) if last.1 == class => last.0 = end,
        _ => runs.push((end, class)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn highlight(lang: &str, code: &str) -> Option<String> {
        let h = Highlighter::default();
        let l = h.language(lang)?;
        let mut out = String::new();
        l.write_block(lang, code, &mut out).then_some(out)
    }

    #[test]
    fn rust_keywords_strings_and_comments_get_classes() {
        let html = highlight("rust", "// hi\nfn main() { let s = \"a<b\"; }\n").unwrap();
        assert!(html.starts_with(
            "<pre class=\"highlight\" data-lang=\"rust\"><code class=\"language-rust\">"
        ));
        assert!(html.contains("<span class=\"c\">// hi\n</span>"), "{html}");
        assert!(html.contains("<span class=\"k\">fn</span>"), "{html}");
        assert!(
            html.contains("<span class=\"s\">&quot;a&lt;b&quot;</span>"),
            "{html}"
        );
        assert!(html.ends_with("</code></pre>\n"));
    }

    #[test]
    fn unknown_plain_and_absent_languages_are_not_highlighted() {
        let h = Highlighter::default();
        assert!(h.language("").is_none());
        assert!(h.language("no-such-language").is_none());
        assert!(h.language("text").is_none());
        assert!(h.language("txt").is_none());
        assert!(h.language("Rust").is_some());
        assert!(h.language("rs {.wide}").is_some());
        assert!(h.language("shell").is_some());
        assert!(h.language("Python").is_some());
    }

    #[test]
    fn too_large_blocks_stay_plain() {
        let long_line = "x".repeat(MAX_LINE + 1);
        assert!(highlight("rust", &long_line).is_none());
        let many = "let x = 1;\n".repeat(MAX_BLOCK / 10);
        assert!(highlight("rust", &many).is_none());
    }
}
