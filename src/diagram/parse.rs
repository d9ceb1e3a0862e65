//! The diagram language: a small subset of Graphviz DOT (`a -> b -> c [label="…"]`, quoted
//! labels, `{a b} -> c`, `rankdir=LR`) whose nodes may also be wikilinks (`[[note|label]]`) or
//! Markdown links (`[label](note.md)`). Pure: text in, a `Graph` or the first `Error` out, with
//! byte ranges into the text.

use std::ops::Range;

/// The most nodes one diagram may have (bounds the layout's work and the page's size).
pub const MAX_NODES: usize = 200;
/// The most edges one diagram may have.
pub const MAX_EDGES: usize = 400;
/// The most bytes one diagram's source may hold.
pub const MAX_SOURCE: usize = 64 * 1024;

/// A parsed diagram.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Graph {
    /// Which way edges run.
    pub direction: Direction,
    /// The graph's `label`: the figure's caption.
    pub caption: Option<String>,
    /// Nodes in order of first mention.
    pub nodes: Vec<Node>,
    /// Edges in order of appearance.
    pub edges: Vec<Edge>,
}

/// Which way a diagram's edges run (`rankdir`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Direction {
    /// Top to bottom (`TB`, the default: reads on a phone).
    #[default]
    Down,
    /// Left to right (`LR`).
    Right,
}

/// A node's outline.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Shape {
    /// A box with rounded corners (the default).
    #[default]
    Box,
    /// An ellipse.
    Ellipse,
}

/// How a node's outline or an edge's line is drawn.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Style {
    /// A plain line (the default).
    #[default]
    Solid,
    /// A dashed line: something pending or possible.
    Dashed,
    /// A thick line: something to stress.
    Bold,
}

/// How a node links, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// A wikilink (`[[…]]`) rather than a Markdown destination.
    pub wiki: bool,
    /// The target as written, without a wikilink's label.
    pub dest: String,
    /// Where it is written.
    pub span: Range<usize>,
}

/// One node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// Its label, if one was given (`label=`, a wikilink's `|label`, a link's text, a quoted
    /// or bare name); `None` for `[[note]]`, which shows the note's title.
    pub label: Option<String>,
    /// The name it has in the source (shown when a wikilink's note is missing).
    pub name: String,
    /// Where it links, if anywhere.
    pub link: Option<Link>,
    /// Its outline.
    pub shape: Shape,
    /// How its outline is drawn.
    pub style: Style,
    /// Where it is first mentioned.
    pub span: Range<usize>,
}

/// One edge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    /// The node it starts from.
    pub from: usize,
    /// The node it goes to.
    pub to: usize,
    /// Its label.
    pub label: Option<String>,
    /// How its line is drawn.
    pub style: Style,
    /// An arrowhead at its start.
    pub head_at_start: bool,
    /// An arrowhead at its end.
    pub head_at_end: bool,
}

/// Why a diagram cannot be read: where, what, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// Byte range in the diagram's source.
    pub span: Range<usize>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
}

impl Error {
    fn new(span: Range<usize>, message: impl Into<String>) -> Self {
        Error {
            span,
            message: message.into(),
            help: None,
        }
    }

    fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// The attributes each kind of statement accepts.
const GRAPH_ATTRS: &[&str] = &["rankdir", "label"];
const NODE_ATTRS: &[&str] = &["label", "href", "shape", "style"];
const EDGE_ATTRS: &[&str] = &["label", "style", "dir"];

/// DOT's keywords: a node with one of these names must be quoted.
const KEYWORDS: &[&str] = &["graph", "digraph", "subgraph", "node", "edge", "strict"];

/// Parses a diagram's source.
pub fn parse(src: &str) -> Result<Graph, Error> {
    if src.len() > MAX_SOURCE {
        return Err(Error::new(
            0..0,
            format!("the diagram is longer than {} KB", MAX_SOURCE / 1024),
        )
        .help("split it into smaller diagrams"));
    }
    let tokens = lex(src)?;
    let mut p = Parser {
        tokens,
        at: 0,
        graph: Graph::default(),
        keys: Vec::new(),
        node_defaults: Vec::new(),
        edge_defaults: Vec::new(),
        end: src.trim_end().len(),
    };
    p.document()?;
    if p.graph.nodes.is_empty() {
        return Err(Error::new(0..0, "the diagram has no nodes")
            .help("write edges such as `\"First\" -> \"Second\"`, one per line"));
    }
    Ok(p.graph)
}

/// One token and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Token {
    kind: Tok,
    span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    /// A bare name: letters, digits, `_`, `.`.
    Id(String),
    /// A quoted string, unescaped.
    Str(String),
    /// `[[inner]]`.
    Wiki(String),
    /// `[text](dest)`.
    Md {
        text: String,
        dest: String,
    },
    /// `->`
    Arrow,
    /// `--`
    Line,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    Eq,
    Comma,
    Semi,
}

impl Tok {
    fn describe(&self) -> String {
        match self {
            Tok::Id(s) => format!("`{s}`"),
            Tok::Str(_) => "a quoted text".into(),
            Tok::Wiki(_) => "a wikilink".into(),
            Tok::Md { .. } => "a link".into(),
            Tok::Arrow => "`->`".into(),
            Tok::Line => "`--`".into(),
            Tok::LBracket => "`[`".into(),
            Tok::RBracket => "`]`".into(),
            Tok::LBrace => "`{`".into(),
            Tok::RBrace => "`}`".into(),
            Tok::Eq => "`=`".into(),
            Tok::Comma => "`,`".into(),
            Tok::Semi => "`;`".into(),
        }
    }
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '.'
}

/// Splits `src` into tokens, skipping whitespace and comments (`// …`, `/* … */`, and lines
/// starting with `#`).
fn lex(src: &str) -> Result<Vec<Token>, Error> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut line_start = true;
    while i < b.len() {
        let c = b[i];
        let start = i;
        let rest = &src[i..];
        if c == b'\n' {
            line_start = true;
            i += 1;
            continue;
        }
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let at_line_start = std::mem::take(&mut line_start);
        if rest.starts_with("//") || (c == b'#' && at_line_start) {
            i += rest.find('\n').unwrap_or(rest.len());
            continue;
        }
        if let Some(body) = rest.strip_prefix("/*") {
            let Some(end) = body.find("*/") else {
                return Err(Error::new(start..start + 2, "this comment is never closed")
                    .help("end it with `*/`"));
            };
            i += end + 4;
            continue;
        }
        let (kind, len) = match c {
            b'-' if rest.starts_with("->") => (Tok::Arrow, 2),
            b'-' if rest.starts_with("--") => (Tok::Line, 2),
            b'[' if rest.starts_with("[[") => {
                let Some(end) = rest.find("]]").filter(|&e| !rest[..e].contains('\n')) else {
                    return Err(
                        Error::new(start..start + 2, "this wikilink is never closed")
                            .help("end it with `]]` on the same line"),
                    );
                };
                let inner = &rest[2..end];
                if inner.trim().is_empty() {
                    return Err(Error::new(start..start + end + 2, "this wikilink is empty")
                        .help("name a note: [[note]] or [[note|label]]"));
                }
                (Tok::Wiki(inner.to_string()), end + 2)
            }
            b'[' => match markdown_link(rest) {
                Some((text, dest, len)) => (Tok::Md { text, dest }, len),
                None => (Tok::LBracket, 1),
            },
            b']' => (Tok::RBracket, 1),
            b'{' => (Tok::LBrace, 1),
            b'}' => (Tok::RBrace, 1),
            b'=' => (Tok::Eq, 1),
            b',' => (Tok::Comma, 1),
            b';' => (Tok::Semi, 1),
            b'"' => {
                let (text, len) = quoted(rest).ok_or_else(|| {
                    Error::new(start..start + 1, "this quoted text is never closed")
                        .help("end it with `\"`; write `\\\"` for a quote mark inside it")
                })?;
                (Tok::Str(text), len)
            }
            _ => {
                let len: usize = rest
                    .chars()
                    .take_while(|&ch| is_name_char(ch))
                    .map(char::len_utf8)
                    .sum();
                if len == 0 {
                    let ch = rest.chars().next().unwrap_or(' ');
                    let span = start..start + ch.len_utf8();
                    return Err(Error::new(span, format!("unexpected `{ch}`")).help(
                        "names are letters, digits and `_`; put other text in quotes: \"like this\"",
                    ));
                }
                (Tok::Id(rest[..len].to_string()), len)
            }
        };
        out.push(Token {
            kind,
            span: start..start + len,
        });
        i += len;
    }
    Ok(out)
}

/// `[text](dest)` at the start of `s`: its text, destination and length.
fn markdown_link(s: &str) -> Option<(String, String, usize)> {
    let close = s.find(']')?;
    let text = &s[1..close];
    if text.contains(['\n', '[']) || !s[close + 1..].starts_with('(') {
        return None;
    }
    let rest = &s[close + 2..];
    let end = rest.find(')')?;
    let dest = &rest[..end];
    if dest.contains('\n') {
        return None;
    }
    Some((
        text.to_string(),
        dest.trim().to_string(),
        close + 2 + end + 1,
    ))
}

/// A quoted string at the start of `s` (which starts with `"`): its text with `\"` and `\\`
/// unescaped and `\n` as a line break, and its length.
fn quoted(s: &str) -> Option<(String, usize)> {
    let mut text = String::new();
    let mut chars = s.char_indices().skip(1);
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((text, i + 1)),
            '\\' => match chars.next() {
                Some((_, 'n' | 'l' | 'r')) => text.push('\n'),
                Some((_, e)) => {
                    if e != '"' && e != '\\' {
                        text.push('\\');
                    }
                    text.push(e);
                }
                None => return None,
            },
            c => text.push(c),
        }
    }
    None
}

/// One `key=value` and where each is.
struct Attr {
    key: String,
    key_span: Range<usize>,
    value: Tok,
    value_span: Range<usize>,
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
    graph: Graph,
    /// Each node's key (how later mentions find it), same indices as `graph.nodes`.
    keys: Vec<String>,
    /// `node [...]` and `edge [...]` attributes, applied to later nodes and edges.
    node_defaults: Vec<Attr>,
    edge_defaults: Vec<Attr>,
    /// Where the source's text ends (where "end of diagram" errors point).
    end: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn peek_kind(&self, ahead: usize) -> Option<&Tok> {
        self.tokens.get(self.at + ahead).map(|t| &t.kind)
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.at).cloned();
        self.at += usize::from(t.is_some());
        t
    }

    fn eat(&mut self, kind: &Tok) -> bool {
        if self.peek_kind(0) == Some(kind) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn end_span(&self) -> Range<usize> {
        self.end..self.end
    }

    fn unexpected(&self, wanted: &str) -> Error {
        match self.peek() {
            Some(t) => Error::new(
                t.span.clone(),
                format!("expected {wanted}, found {}", t.kind.describe()),
            ),
            None => Error::new(
                self.end_span(),
                format!("expected {wanted}, found the end of the diagram"),
            ),
        }
    }

    /// The whole source: statements, optionally inside `digraph name { … }`.
    fn document(&mut self) -> Result<(), Error> {
        let wrapped = match (self.peek_kind(0), self.peek_kind(1), self.peek_kind(2)) {
            (Some(Tok::Id(k)), Some(Tok::LBrace), _) if is_graph_keyword(k) => {
                self.at += 2;
                true
            }
            (Some(Tok::Id(k)), Some(Tok::Id(_) | Tok::Str(_)), Some(Tok::LBrace))
                if is_graph_keyword(k) =>
            {
                self.at += 3;
                true
            }
            _ => false,
        };
        self.statements(wrapped)?;
        if wrapped {
            if !self.eat(&Tok::RBrace) {
                return Err(self.unexpected("`}` closing the graph"));
            }
            if self.peek().is_some() {
                return Err(self.unexpected("nothing after the graph's `}`"));
            }
        }
        Ok(())
    }

    fn statements(&mut self, wrapped: bool) -> Result<(), Error> {
        loop {
            while self.eat(&Tok::Semi) || self.eat(&Tok::Comma) {}
            match self.peek_kind(0) {
                None => return Ok(()),
                Some(Tok::RBrace) if wrapped => return Ok(()),
                _ => self.statement()?,
            }
        }
    }

    fn statement(&mut self) -> Result<(), Error> {
        let Some(first) = self.peek().cloned() else {
            return Ok(());
        };
        if let Tok::Id(word) = &first.kind {
            let lower = word.to_ascii_lowercase();
            if self.peek_kind(1) == Some(&Tok::Eq) {
                // `rankdir=LR`: a graph attribute.
                self.at += 2;
                let value = self.value()?;
                let attr = Attr {
                    key: word.clone(),
                    key_span: first.span.clone(),
                    value: value.kind,
                    value_span: value.span,
                };
                return self.graph_attr(&attr);
            }
            if KEYWORDS.contains(&lower.as_str()) {
                self.at += 1;
                let attrs = match (lower.as_str(), self.peek_kind(0)) {
                    ("graph" | "node" | "edge", Some(Tok::LBracket)) => self.attrs()?,
                    _ => {
                        return Err(Error::new(
                            first.span,
                            format!("`{word}` is a keyword of the diagram language"),
                        )
                        .help(format!(
                            "to name a node `{word}`, quote it: \"{word}\"; `graph [...]`, `node [...]` and `edge [...]` set attributes"
                        )));
                    }
                };
                match lower.as_str() {
                    "graph" => {
                        for a in &attrs {
                            self.graph_attr(a)?;
                        }
                    }
                    "node" => {
                        for a in &attrs {
                            check_key(a, NODE_ATTRS, "a node")?;
                        }
                        self.node_defaults.extend(attrs);
                    }
                    _ => {
                        for a in &attrs {
                            check_key(a, EDGE_ATTRS, "an edge")?;
                        }
                        self.edge_defaults.extend(attrs);
                    }
                }
                return Ok(());
            }
        }
        // Nodes, or a chain of edges between them.
        let mut chain: Vec<(Vec<usize>, Option<Tok>)> = vec![(self.operand()?, None)];
        while let Some(op @ (Tok::Arrow | Tok::Line)) = self.peek_kind(0).cloned() {
            self.at += 1;
            let next = self.operand()?;
            chain.push((next, Some(op)));
        }
        let attrs = if self.peek_kind(0) == Some(&Tok::LBracket) {
            self.attrs()?
        } else {
            Vec::new()
        };
        if chain.len() == 1 {
            for a in &attrs {
                check_key(a, NODE_ATTRS, "a node")?;
            }
            for &n in &chain[0].0 {
                for a in &attrs {
                    self.node_attr(n, a)?;
                }
            }
            return Ok(());
        }
        for a in &attrs {
            check_key(a, EDGE_ATTRS, "an edge")?;
        }
        for w in chain.windows(2) {
            let arrow = w[1].1 == Some(Tok::Arrow);
            for &from in &w[0].0 {
                for &to in &w[1].0 {
                    if self.graph.edges.len() == MAX_EDGES {
                        return Err(Error::new(
                            first.span.clone(),
                            format!("a diagram may have at most {MAX_EDGES} edges"),
                        )
                        .help("split it into smaller diagrams"));
                    }
                    let mut e = Edge {
                        from,
                        to,
                        label: None,
                        style: Style::Solid,
                        head_at_start: false,
                        head_at_end: arrow,
                    };
                    for a in self.edge_defaults.iter().chain(&attrs) {
                        edge_attr(&mut e, a)?;
                    }
                    self.graph.edges.push(e);
                }
            }
        }
        Ok(())
    }

    /// A node, or a group of nodes in braces: their indices.
    fn operand(&mut self) -> Result<Vec<usize>, Error> {
        if !self.eat(&Tok::LBrace) {
            return Ok(vec![self.node()?]);
        }
        let mut nodes = Vec::new();
        loop {
            while self.eat(&Tok::Semi) || self.eat(&Tok::Comma) {}
            if self.eat(&Tok::RBrace) {
                break;
            }
            if self.peek().is_none() {
                return Err(self.unexpected("`}` closing the group"));
            }
            nodes.push(self.node()?);
        }
        if nodes.is_empty() {
            return Err(self.unexpected_before("a node inside `{ }`"));
        }
        Ok(nodes)
    }

    /// An error about the token just taken.
    fn unexpected_before(&self, wanted: &str) -> Error {
        let span = self.tokens[self.at - 1].span.clone();
        Error::new(span, format!("expected {wanted}"))
    }

    /// A node reference: found, or made.
    fn node(&mut self) -> Result<usize, Error> {
        let Some(t) = self.next() else {
            return Err(Error::new(
                self.end_span(),
                "expected a node, found the end of the diagram",
            ));
        };
        let (key, name, label, link) = match &t.kind {
            Tok::Id(s) if KEYWORDS.contains(&s.to_ascii_lowercase().as_str()) => {
                return Err(Error::new(
                    t.span,
                    format!("`{s}` is a keyword of the diagram language"),
                )
                .help(format!("to name a node `{s}`, quote it: \"{s}\"")));
            }
            Tok::Id(s) | Tok::Str(s) => (s.clone(), s.clone(), Some(s.clone()), None),
            Tok::Wiki(inner) => {
                let (target, label) = match inner.split_once('|') {
                    Some((t, l)) => (t.trim(), Some(l.trim().to_string())),
                    None => (inner.trim(), None),
                };
                let link = Link {
                    wiki: true,
                    dest: target.to_string(),
                    span: t.span.clone(),
                };
                let key = format!("[[{}]]", target.to_lowercase());
                (key, target.to_string(), label, Some(link))
            }
            Tok::Md { text, dest } => {
                let link = Link {
                    wiki: false,
                    dest: dest.clone(),
                    span: t.span.clone(),
                };
                (
                    format!("]({dest}"),
                    text.clone(),
                    Some(text.clone()),
                    Some(link),
                )
            }
            other => {
                return Err(Error::new(
                    t.span.clone(),
                    format!("expected a node, found {}", other.describe()),
                )
                .help("a node is a name, a quoted text, a [[wikilink]] or a [link](note.md)"));
            }
        };
        if let Some(i) = self.keys.iter().position(|k| *k == key) {
            let n = &mut self.graph.nodes[i];
            // A later label (a wikilink's, a link's) replaces an earlier one, as in DOT.
            if matches!(t.kind, Tok::Wiki(_) | Tok::Md { .. }) && label.is_some() {
                n.label = label;
            }
            return Ok(i);
        }
        if self.graph.nodes.len() == MAX_NODES {
            return Err(Error::new(
                t.span,
                format!("a diagram may have at most {MAX_NODES} nodes"),
            )
            .help("split it into smaller diagrams"));
        }
        self.keys.push(key);
        self.graph.nodes.push(Node {
            label,
            name,
            link,
            shape: Shape::Box,
            style: Style::Solid,
            span: t.span,
        });
        let i = self.graph.nodes.len() - 1;
        let defaults = std::mem::take(&mut self.node_defaults);
        let applied = defaults.iter().try_for_each(|a| self.node_attr(i, a));
        self.node_defaults = defaults;
        applied?;
        Ok(i)
    }

    /// `[key=value, …]`
    fn attrs(&mut self) -> Result<Vec<Attr>, Error> {
        let mut out = Vec::new();
        if !self.eat(&Tok::LBracket) {
            return Err(self.unexpected("`[`"));
        }
        loop {
            while self.eat(&Tok::Comma) || self.eat(&Tok::Semi) {}
            if self.eat(&Tok::RBracket) {
                // `a [x=1] [y=2]`: DOT allows several lists.
                if self.peek_kind(0) == Some(&Tok::LBracket) {
                    self.at += 1;
                    continue;
                }
                return Ok(out);
            }
            let Some(Token {
                kind: Tok::Id(key),
                span: key_span,
            }) = self.peek().cloned()
            else {
                return Err(self.unexpected("an attribute name or `]`"));
            };
            self.at += 1;
            if !self.eat(&Tok::Eq) {
                return Err(self.unexpected(&format!("`=` after `{key}`")));
            }
            let value = self.value()?;
            out.push(Attr {
                key,
                key_span,
                value: value.kind,
                value_span: value.span,
            });
        }
    }

    fn value(&mut self) -> Result<Token, Error> {
        match self.peek_kind(0) {
            Some(Tok::Id(_) | Tok::Str(_) | Tok::Wiki(_)) => Ok(self.next().expect("peeked")),
            _ => Err(self.unexpected("a value")),
        }
    }

    fn graph_attr(&mut self, a: &Attr) -> Result<(), Error> {
        check_key(a, GRAPH_ATTRS, "the graph")?;
        match a.key.as_str() {
            "rankdir" => {
                self.graph.direction = match text_of(&a.value).to_ascii_uppercase().as_str() {
                    "TB" => Direction::Down,
                    "LR" => Direction::Right,
                    _ => return Err(bad_value(a, &["TB", "LR"])),
                }
            }
            _ => self.graph.caption = Some(text_of(&a.value)),
        }
        Ok(())
    }

    fn node_attr(&mut self, n: usize, a: &Attr) -> Result<(), Error> {
        let node = &mut self.graph.nodes[n];
        match a.key.as_str() {
            "label" => node.label = Some(text_of(&a.value)),
            "href" => {
                let (wiki, dest) = match &a.value {
                    Tok::Wiki(inner) => (true, inner.clone()),
                    other => {
                        let t = text_of(other);
                        match t.strip_prefix("[[").and_then(|t| t.strip_suffix("]]")) {
                            Some(inner) => (true, inner.to_string()),
                            None => (false, t.trim().to_string()),
                        }
                    }
                };
                // A wikilink's label is the node's label unless it has one.
                let (dest, label) = match dest.split_once('|') {
                    Some((d, l)) if wiki => (d.trim().to_string(), Some(l.trim().to_string())),
                    _ => (dest.trim().to_string(), None),
                };
                if dest.is_empty() {
                    return Err(Error::new(a.value_span.clone(), "the link is empty")
                        .help("name a note: href=[[note]] or href=\"note.md\""));
                }
                if let Some(l) = label {
                    node.label = Some(l);
                }
                node.link = Some(Link {
                    wiki,
                    dest,
                    span: a.value_span.clone(),
                });
            }
            "shape" => {
                node.shape = match text_of(&a.value).to_ascii_lowercase().as_str() {
                    "box" | "rect" | "rectangle" => Shape::Box,
                    "ellipse" | "oval" => Shape::Ellipse,
                    _ => return Err(bad_value(a, &["box", "ellipse"])),
                }
            }
            _ => node.style = style(a)?,
        }
        Ok(())
    }
}

fn is_graph_keyword(k: &str) -> bool {
    matches!(
        k.to_ascii_lowercase().as_str(),
        "digraph" | "graph" | "strict"
    )
}

fn edge_attr(e: &mut Edge, a: &Attr) -> Result<(), Error> {
    match a.key.as_str() {
        "label" => e.label = Some(text_of(&a.value)),
        "dir" => {
            (e.head_at_start, e.head_at_end) = match text_of(&a.value).to_ascii_lowercase().as_str()
            {
                "forward" => (false, true),
                "back" => (true, false),
                "both" => (true, true),
                "none" => (false, false),
                _ => return Err(bad_value(a, &["forward", "back", "both", "none"])),
            }
        }
        _ => e.style = style(a)?,
    }
    Ok(())
}

fn style(a: &Attr) -> Result<Style, Error> {
    match text_of(&a.value).to_ascii_lowercase().as_str() {
        "solid" => Ok(Style::Solid),
        "dashed" | "dotted" => Ok(Style::Dashed),
        "bold" => Ok(Style::Bold),
        _ => Err(bad_value(a, &["solid", "dashed", "bold"])),
    }
}

/// An attribute's value as text.
fn text_of(t: &Tok) -> String {
    match t {
        Tok::Id(s) | Tok::Str(s) => s.clone(),
        Tok::Wiki(inner) => format!("[[{inner}]]"),
        other => other.describe(),
    }
}

/// An error unless `a`'s key is one of `known`.
fn check_key(a: &Attr, known: &[&str], what: &str) -> Result<(), Error> {
    if known.contains(&a.key.as_str()) {
        return Ok(());
    }
    let mut e = Error::new(
        a.key_span.clone(),
        format!("unknown attribute `{}` for {what}", a.key),
    );
    let list = known
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ");
    e = match crate::diagnostics::did_you_mean(&a.key, known.iter().copied()) {
        Some(s) => e.help(format!("did you mean `{s}`? {what} takes {list}")),
        None => e.help(format!("{what} takes {list}")),
    };
    Err(e)
}

fn bad_value(a: &Attr, allowed: &[&str]) -> Error {
    let list = allowed
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ");
    Error::new(
        a.value_span.clone(),
        format!("`{}` is not a value of `{}`", text_of(&a.value), a.key),
    )
    .help(format!("`{}` is one of {list}", a.key))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(g: &Graph) -> Vec<String> {
        g.nodes
            .iter()
            .map(|n| n.label.clone().unwrap_or_else(|| format!("<{}>", n.name)))
            .collect()
    }

    #[test]
    fn chains_groups_and_quoted_labels() {
        let g = parse(
            "// the story\n{\"US–Japan–Korea\" \"Not a target\"} -> summit -> [[Xi visit|a visit]]\nsummit [label=\"The summit\", shape=ellipse]\n",
        )
        .unwrap();
        assert_eq!(
            labels(&g),
            ["US–Japan–Korea", "Not a target", "The summit", "a visit"]
        );
        assert_eq!(g.edges.len(), 3);
        assert_eq!((g.edges[2].from, g.edges[2].to), (2, 3));
        assert_eq!(g.nodes[2].shape, Shape::Ellipse);
        let link = g.nodes[3].link.as_ref().unwrap();
        assert!(link.wiki);
        assert_eq!(link.dest, "Xi visit");
    }

    #[test]
    fn digraph_wrapper_defaults_and_graph_attributes() {
        let g = parse(
            "digraph G {\n  rankdir=LR; label=\"Why\"\n  node [style=dashed]\n  a -- b [dir=both]\n  [[Note]] -> [t](x.md)\n}\n",
        )
        .unwrap();
        assert_eq!(g.direction, Direction::Right);
        assert_eq!(g.caption.as_deref(), Some("Why"));
        assert!(g.nodes.iter().all(|n| n.style == Style::Dashed));
        assert!(g.edges[0].head_at_start && g.edges[0].head_at_end);
        assert_eq!(g.nodes[2].label, None);
        assert_eq!(g.nodes[3].link.as_ref().unwrap().dest, "x.md");
    }

    #[test]
    fn the_same_node_is_found_again() {
        let g = parse("[[A]] -> b\nb -> [[a|Label]]\n\"b\" -> c").unwrap();
        assert_eq!(g.nodes.len(), 3);
        assert_eq!(g.nodes[0].label.as_deref(), Some("Label"));
    }

    #[test]
    fn errors_point_at_the_problem() {
        let cases = [
            (
                "a -> b [colour=red]",
                "colour",
                "unknown attribute `colour` for an edge",
            ),
            ("a -> ", "", "expected a node, found the end of the diagram"),
            ("a -> \"b", "\"", "this quoted text is never closed"),
            ("rankdir=BT", "BT", "`BT` is not a value of `rankdir`"),
            ("a [shape=star]", "star", "`star` is not a value of `shape`"),
            (
                "a -> node",
                "node",
                "`node` is a keyword of the diagram language",
            ),
            ("a -> b @", "@", "unexpected `@`"),
            ("a -> [[b", "[[", "this wikilink is never closed"),
            ("size=3", "size", "unknown attribute `size` for the graph"),
            ("// only a comment", "", "the diagram has no nodes"),
        ];
        for (src, at, message) in cases {
            let e = parse(src).unwrap_err();
            assert_eq!(e.message, message, "{src}");
            assert_eq!(&src[e.span.clone()], at, "{src}");
        }
        let e = parse("a -> b [lable=x]").unwrap_err();
        assert!(e.help.unwrap().starts_with("did you mean `label`?"));
    }

    #[test]
    fn nodes_and_edges_are_bounded() {
        let many: String = (0..=MAX_NODES).map(|i| format!("n{i}\n")).collect();
        let e = parse(&many).unwrap_err();
        assert!(e.message.contains("at most 200 nodes"), "{}", e.message);
        assert_eq!(&many[e.span], format!("n{MAX_NODES}"));
        let dense = "{a b c d e f g h i j k l m n o p q r s t} -> {a b c d e f g h i j k l m n o p q r s t u}";
        assert!(parse(dense).unwrap_err().message.contains("400 edges"));
    }

    proptest::proptest! {
        #[test]
        fn any_text_parses_or_fails_with_a_span_inside_it(
            src in "(a|b|\"q\"|\\[\\[n\\]\\]|\\[t\\]\\(u\\)|->|--|\\{|\\}|\\[|\\]|=|,|;|label|\\n| |#|//|/\\*|\\*/|é){0,30}"
        ) {
            if let Err(e) = parse(&src) {
                proptest::prop_assert!(e.span.end <= src.len());
                proptest::prop_assert!(src.is_char_boundary(e.span.start));
            }
        }
    }
}
