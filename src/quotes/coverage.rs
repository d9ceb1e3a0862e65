//! Which paragraphs of each source some note quotes: one line per source for `check`, and the
//! unquoted paragraphs for `check --coverage`.

use super::source_index::SourceIndex;

/// How much of one source the notes quote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceCoverage {
    /// The source's id.
    pub id: String,
    /// Its paragraphs.
    pub paragraphs: usize,
    /// The paragraphs no note quotes: (line in the text file, its first words).
    pub unquoted: Vec<(usize, String)>,
}

/// Words shown of an unquoted paragraph.
const FIRST_WORDS: usize = 8;

impl SourceCoverage {
    /// Coverage of `index`, given which of its paragraphs are quoted.
    pub fn new(id: &str, index: &SourceIndex, quoted: &[bool]) -> SourceCoverage {
        let unquoted = index
            .paragraphs
            .iter()
            .zip(quoted)
            .filter(|(_, q)| !**q)
            .map(|(p, _)| {
                let words: Vec<&str> = p.text.split_whitespace().collect();
                let mut first = words[..words.len().min(FIRST_WORDS)].join(" ");
                if words.len() > FIRST_WORDS {
                    first.push('…');
                }
                (p.line, first)
            })
            .collect();
        SourceCoverage {
            id: id.to_string(),
            paragraphs: index.paragraphs.len(),
            unquoted,
        }
    }

    /// Paragraphs some note quotes.
    pub fn quoted(&self) -> usize {
        self.paragraphs - self.unquoted.len()
    }

    /// `source `id`: 21 of 27 paragraphs quoted`.
    pub fn line(&self) -> String {
        format!(
            "source `{}`: {} of {} paragraph{} quoted",
            self.id,
            self.quoted(),
            self.paragraphs,
            if self.paragraphs == 1 { "" } else { "s" }
        )
    }

    /// One line per unquoted paragraph: `  line 12: South Korea and China are making moves…`.
    pub fn unquoted_lines(&self) -> String {
        self.unquoted
            .iter()
            .map(|(line, first)| format!("  line {line}: {first}\n"))
            .collect()
    }
}
