//! Text measured before it is drawn: an SVG cannot wrap text, so labels are broken into lines at
//! build time from estimated widths (a Helvetica-like sans, with a margin for wider fonts).

/// Advance widths of ASCII 32–126 in thousandths of an em (Helvetica's metrics, which Arial and
/// Liberation Sans share).
const ASCII: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278,
    278, // ' '–'/'
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584,
    556, // '0'–'?'
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722,
    778, // '@'–'O'
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469,
    556, // 'P'–'_'
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556,
    556, // '`'–'o'
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // 'p'–'~'
];

/// How much wider than Helvetica a reader's sans may set the same text (DejaVu Sans is about
/// a tenth wider): lines are broken for the wider one.
const MARGIN: f64 = 1.12;

/// The estimated width of `s` set at `size` units.
pub fn width(s: &str, size: f64) -> f64 {
    let em: u32 = s.chars().map(char_width).sum();
    f64::from(em) / 1000.0 * size * MARGIN
}

fn char_width(c: char) -> u32 {
    match c {
        ' '..='~' => u32::from(ASCII[c as usize - 32]),
        '\u{2013}' | '\u{2018}'..='\u{201f}' => 400,
        '\u{2014}' | '\u{2026}' => 1000,
        // Wide scripts (CJK, Hangul, full-width forms) take a whole em.
        '\u{1100}'..='\u{11ff}'
        | '\u{2e80}'..='\u{a4cf}'
        | '\u{ac00}'..='\u{d7a3}'
        | '\u{f900}'..='\u{faff}'
        | '\u{ff00}'..='\u{ff60}' => 1000,
        // Combining marks add nothing; other letters (accented Latin, Greek, Cyrillic) about
        // as much as a lowercase Latin letter, a little more to be safe.
        '\u{0300}'..='\u{036f}' => 0,
        _ => 600,
    }
}

/// `s` broken into lines no wider than `max` at `size`, at spaces; a word wider than a line is
/// broken where it must be. Every character of `s` but the spaces between lines is kept.
pub fn wrap(s: &str, max: f64, size: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in s.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if width(&candidate, size) <= max {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        // A word longer than a line: as many characters as fit on each line.
        for c in word.chars() {
            line.push(c);
            if width(&line, size) > max && line.chars().count() > 1 {
                line.pop();
                lines.push(std::mem::take(&mut line));
                line.push(c);
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_fit_and_keep_every_word() {
        let text = "Han Duck-soo meets Xi Jinping in Hangzhou for 30 minutes, on the sidelines of the Asian Games opening ceremony";
        let lines = wrap(text, 260.0, 14.0);
        assert!(lines.len() >= 3, "{lines:?}");
        assert!(lines.iter().all(|l| width(l, 14.0) <= 260.0), "{lines:?}");
        assert_eq!(lines.join(" "), text);
        let long = "x".repeat(100);
        let broken = wrap(&long, 50.0, 14.0);
        assert_eq!(broken.concat(), long);
        assert!(broken.iter().all(|l| width(l, 14.0) <= 50.0));
        assert_eq!(wrap("", 10.0, 14.0), [""]);
    }

    #[test]
    fn wide_scripts_measure_wider() {
        assert!(width("한국", 14.0) > width("ab", 14.0) * 1.5);
        assert_eq!(width("e\u{301}", 14.0), width("e", 14.0));
    }
}
