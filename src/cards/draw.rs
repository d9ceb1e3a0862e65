//! Pure: a card's texts → an SVG laid out at 1200×630 → PNG bytes. The title is wrapped into
//! balanced lines at the largest size that fits; fonts are the Inter subsets embedded in the
//! binary (never the system's, so every machine draws the same pixels).

use resvg::{tiny_skia, usvg};
use skrifa::MetadataProvider;
use skrifa::instance::{LocationRef, Size};
use std::sync::Arc;

/// Card width in pixels (the size sites that show link previews ask for).
pub const WIDTH: u32 = 1200;
/// Card height in pixels.
pub const HEIGHT: u32 = 630;

/// The title's font: Inter Display Bold, a Latin subset (see `scripts/card-fonts`).
const TITLE_FONT: &[u8] = include_bytes!("../assets/fonts/InterDisplay-Bold.otf");
/// The site name's and tagline's font: Inter Regular, the same subset.
const TEXT_FONT: &[u8] = include_bytes!("../assets/fonts/Inter-Regular.otf");

/// The built-in templates' light palette (`--bg`, `--fg`, `--muted`, `--link`, `--line`).
const BG: &str = "#fdfdfc";
const FG: &str = "#1d1f21";
const MUTED: &str = "#5c6166";
const ACCENT: &str = "#0b57a4";
const LINE: &str = "#d8dadd";

/// Left and right margin.
const PAD_X: f32 = 80.0;
/// Width available to text.
const TEXT_W: f32 = WIDTH as f32 - 2.0 * PAD_X;
/// Size of the site name and the tagline.
const SMALL: f32 = 32.0;
/// Title sizes tried, largest first.
const TITLE_SIZES: [f32; 6] = [80.0, 72.0, 64.0, 56.0, 50.0, 44.0];
/// Line height as a multiple of the title size.
const LEADING: f32 = 1.15;
/// Most title lines a card shows; a longer title ends in "…".
const MAX_LINES: usize = 6;
/// Inter's cap height, in ems: used to centre capitals in each line box.
const CAP_HEIGHT: f32 = 0.727;

/// What a card shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CardText<'a> {
    /// The page's title, wrapped to fit.
    pub title: &'a str,
    /// The site's name, above the title.
    pub site: &'a str,
    /// The line at the foot (a date, "As reported on …"); empty for none.
    pub tagline: &'a str,
}

/// One embedded font, read for glyph advances.
struct Face {
    charmap: skrifa::charmap::Charmap<'static>,
    glyphs: skrifa::metrics::GlyphMetrics<'static>,
    units_per_em: f32,
}

impl Face {
    fn new(data: &'static [u8]) -> Face {
        // The fonts are part of the binary and checked by the tests: failing here is a bug.
        let font = skrifa::FontRef::new(data).expect("embedded card font is a valid font");
        let units_per_em = f32::from(
            font.metrics(Size::unscaled(), LocationRef::default())
                .units_per_em,
        );
        Face {
            charmap: font.charmap(),
            glyphs: font.glyph_metrics(Size::unscaled(), LocationRef::default()),
            units_per_em,
        }
    }

    /// The width of `text` at `size` pixels: the sum of its glyphs' advances. Kerning is left
    /// out, which errs on the wide side (pairs kern closer), so a line measured to fit does.
    fn width(&self, text: &str, size: f32) -> f32 {
        let units: f32 = text
            .chars()
            .map(|c| {
                let g = self.charmap.map(c).unwrap_or_default();
                self.glyphs.advance_width(g).unwrap_or(0.0)
            })
            .sum();
        units * size / self.units_per_em
    }

    /// Whether the font draws `c` (spaces and controls need no glyph).
    fn has(&self, c: char) -> bool {
        c.is_whitespace() || c.is_control() || self.charmap.map(c).is_some()
    }
}

/// Draws cards. Made once per build and shared by the threads that draw.
pub struct Painter {
    options: usvg::Options<'static>,
    title: Face,
    text: Face,
}

impl Default for Painter {
    fn default() -> Self {
        Painter::new()
    }
}

impl Painter {
    /// A painter with the embedded fonts only.
    pub fn new() -> Painter {
        let mut db = usvg::fontdb::Database::new();
        for font in [TITLE_FONT, TEXT_FONT] {
            db.load_font_source(usvg::fontdb::Source::Binary(Arc::new(font)));
        }
        let options = usvg::Options {
            font_family: "Inter".into(),
            fontdb: Arc::new(db),
            ..usvg::Options::default()
        };
        Painter {
            options,
            title: Face::new(TITLE_FONT),
            text: Face::new(TEXT_FONT),
        }
    }

    /// The characters of `card` the embedded fonts cannot draw, each once, in order.
    pub fn missing_chars(&self, card: &CardText<'_>) -> Vec<char> {
        let mut out: Vec<char> = Vec::new();
        let title = card.title.chars().filter(|&c| !self.title.has(c));
        let rest = (card.site.chars().chain(card.tagline.chars())).filter(|&c| !self.text.has(c));
        for c in title.chain(rest) {
            if !out.contains(&c) {
                out.push(c);
            }
        }
        out
    }

    /// The card as SVG text (what `png` rasterises).
    pub fn svg(&self, card: &CardText<'_>) -> String {
        let mut svg = String::with_capacity(1024);
        svg.push_str(&format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{HEIGHT}\" \
             viewBox=\"0 0 {WIDTH} {HEIGHT}\"><rect width=\"{WIDTH}\" height=\"{HEIGHT}\" \
             fill=\"{BG}\"/><rect width=\"{WIDTH}\" height=\"16\" fill=\"{ACCENT}\"/>"
        ));
        // The home page's title is often the site's name: said once.
        let site = match one_line(card.site) {
            s if s == one_line(card.title) => String::new(),
            s => fit(&self.title, &s, SMALL, TEXT_W),
        };
        text_line(&mut svg, 104.0, "Inter Display", 700, SMALL, ACCENT, &site);
        let tagline = fit(&self.text, &one_line(card.tagline), SMALL, TEXT_W);
        let bottom = if tagline.is_empty() {
            560.0
        } else {
            svg.push_str(&format!(
                "<rect x=\"{PAD_X}\" y=\"518\" width=\"{TEXT_W}\" height=\"2\" fill=\"{LINE}\"/>"
            ));
            text_line(&mut svg, 578.0, "Inter", 400, SMALL, MUTED, &tagline);
            490.0
        };
        let top = 150.0;
        let (size, lines) = self.title_lines(card.title, bottom - top);
        let line_height = (size * LEADING).round();
        let block = line_height * lines.len() as f32;
        let first = top + ((bottom - top - block) / 2.0).max(0.0);
        svg.push_str(&format!(
            "<text font-family=\"Inter Display\" font-weight=\"700\" font-size=\"{size}\" \
             fill=\"{FG}\">"
        ));
        for (k, line) in lines.iter().enumerate() {
            let baseline = first + k as f32 * line_height + (line_height + CAP_HEIGHT * size) / 2.0;
            svg.push_str(&format!("<tspan x=\"{PAD_X}\" y=\"{}\">", baseline.round()));
            push_escaped(&mut svg, line);
            svg.push_str("</tspan>");
        }
        svg.push_str("</text></svg>");
        svg
    }

    /// The card as PNG bytes: the same card gives the same bytes.
    pub fn png(&self, card: &CardText<'_>) -> Result<Vec<u8>, String> {
        let svg = self.svg(card);
        let tree = usvg::Tree::from_str(&svg, &self.options).map_err(|e| e.to_string())?;
        let mut pixmap =
            tiny_skia::Pixmap::new(WIDTH, HEIGHT).ok_or("cannot allocate a card's pixels")?;
        resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
        encode(&pixmap).map_err(|e| e.to_string())
    }

    /// The title's size and lines: the largest size at which it fits in `height`, wrapped into
    /// lines of balanced length; at the smallest size a title that still does not fit is cut
    /// after the last line that does, with "…".
    fn title_lines(&self, title: &str, height: f32) -> (f32, Vec<String>) {
        let words: Vec<&str> = title.split_whitespace().collect();
        let face = &self.title;
        for size in TITLE_SIZES {
            let max_lines = ((height / (size * LEADING).round()) as usize).clamp(1, MAX_LINES);
            let lines = wrap(face, &words, size, TEXT_W);
            if lines.len() <= max_lines {
                return (size, balance(face, &words, size, lines.len()));
            }
        }
        let size = TITLE_SIZES[TITLE_SIZES.len() - 1];
        let max_lines = ((height / (size * LEADING).round()) as usize).clamp(1, MAX_LINES);
        let mut lines = wrap(face, &words, size, TEXT_W);
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            *last = fit(face, &format!("{last}…"), size, TEXT_W);
            if !last.ends_with('…') {
                *last = fit(face, &format!("{last} …"), size, TEXT_W);
            }
        }
        (size, lines)
    }
}

/// A card's pixels as a PNG. The background is opaque, so the pixmap's premultiplied RGBA is
/// plain RGBA and is written as it is: dropping the alpha channel made files 15 % smaller but
/// took a loop over every pixel in this crate, which unoptimised (tests, `serve` in a debug
/// build) cost more than drawing the card.
fn encode(pixmap: &tiny_skia::Pixmap) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::with_capacity(64 * 1024);
    let mut encoder = png::Encoder::new(&mut out, WIDTH, HEIGHT);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    // Flat colours and text: deflate's fastest level without row filters was the smallest of
    // the fast settings (about 60 kB in 9 ms a card, where the default took 37 kB in 42 ms,
    // most of the time it took to draw a card).
    encoder.set_deflate_compression(png::DeflateCompression::Level(1));
    encoder.set_filter(png::Filter::NoFilter);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(pixmap.data())?;
    writer.finish()?;
    Ok(out)
}

/// `text` with every run of whitespace (newlines included) made one space.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Appends one `<text>` element at the left margin.
fn text_line(
    svg: &mut String,
    baseline: f32,
    family: &str,
    weight: u16,
    size: f32,
    fill: &str,
    text: &str,
) {
    if text.is_empty() {
        return;
    }
    svg.push_str(&format!(
        "<text x=\"{PAD_X}\" y=\"{baseline}\" font-family=\"{family}\" font-weight=\"{weight}\" \
         font-size=\"{size}\" fill=\"{fill}\">"
    ));
    push_escaped(svg, text);
    svg.push_str("</text>");
}

/// Appends `text` escaped for XML character data; control characters (not allowed in XML)
/// become spaces.
fn push_escaped(svg: &mut String, text: &str) {
    if text.chars().any(char::is_control) {
        let text: String = (text.chars())
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        crate::escape::push_html(svg, &text);
    } else {
        crate::escape::push_html(svg, text);
    }
}

/// `text` if it fits in `width`, else as much of it as fits followed by "…".
fn fit(face: &Face, text: &str, size: f32, width: f32) -> String {
    if face.width(text, size) <= width {
        return text.to_string();
    }
    let ellipsis = face.width("…", size);
    let mut used = 0.0;
    let mut end = 0;
    for (i, c) in text.char_indices() {
        let w = face.width(c.encode_utf8(&mut [0; 4]), size);
        if used + w + ellipsis > width {
            break;
        }
        used += w;
        end = i + c.len_utf8();
    }
    format!("{}…", text[..end].trim_end())
}

/// Greedy line breaking of `words` into lines at most `width` wide; a word wider than a line
/// is broken between letters.
fn wrap(face: &Face, words: &[&str], size: f32, width: f32) -> Vec<String> {
    let space = face.width(" ", size);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut line_w = 0.0;
    for word in words {
        let w = face.width(word, size);
        if !line.is_empty() && line_w + space + w <= width {
            line.push(' ');
            line.push_str(word);
            line_w += space + w;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if w <= width {
            line.push_str(word);
            line_w = w;
            continue;
        }
        // A word longer than a line (a long URL or compound): cut it where the line is full.
        line_w = 0.0;
        for c in word.chars() {
            let cw = face.width(c.encode_utf8(&mut [0; 4]), size);
            if !line.is_empty() && line_w + cw > width {
                lines.push(std::mem::take(&mut line));
                line_w = 0.0;
            }
            line.push(c);
            line_w += cw;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// `words` in `count` lines as even in length as greedy breaking allows: the narrowest width
/// that still needs no more lines (so a last line is not left with one word).
fn balance(face: &Face, words: &[&str], size: f32, count: usize) -> Vec<String> {
    let widest = wrap(face, words, size, TEXT_W);
    if count <= 1 {
        return widest;
    }
    let (mut lo, mut hi) = (TEXT_W / count as f32, TEXT_W);
    let mut best = widest;
    // Twelve halvings bring the width within a quarter of a pixel.
    for _ in 0..12 {
        let mid = (lo + hi) / 2.0;
        let lines = wrap(face, words, size, mid);
        if lines.len() <= count {
            hi = mid;
            best = lines;
        } else {
            lo = mid;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(title: &str) -> CardText<'_> {
        CardText {
            title,
            site: "Why China–South Korea relations may soon thaw",
            tagline: "As reported on 2 October 2023",
        }
    }

    #[test]
    fn short_titles_are_large_and_long_ones_smaller() {
        let p = Painter::new();
        let (short, _) = p.title_lines("Xi Jinping", 340.0);
        let (long, lines) = p.title_lines(&"many words in a long title ".repeat(4), 340.0);
        assert_eq!(short, TITLE_SIZES[0]);
        assert!(long < short, "{long}");
        assert!(lines.len() > 1);
    }

    #[test]
    fn every_line_fits_and_lines_are_balanced() {
        let p = Painter::new();
        let title = "A possible visit by Xi Jinping to South Korea after the trilateral summit";
        let (size, lines) = p.title_lines(title, 340.0);
        assert_eq!(lines.join(" "), title);
        for l in &lines {
            assert!(p.title.width(l, size) <= TEXT_W, "{l}");
        }
        let last = p.title.width(lines.last().unwrap(), size);
        let first = p.title.width(&lines[0], size);
        assert!(last > first / 2.0, "{lines:?}");
    }

    #[test]
    fn an_endless_title_is_cut_with_an_ellipsis() {
        let p = Painter::new();
        let title = "word ".repeat(400);
        let (size, lines) = p.title_lines(&title, 340.0);
        assert_eq!(size, TITLE_SIZES[TITLE_SIZES.len() - 1]);
        assert!(lines.last().unwrap().ends_with('…'), "{lines:?}");
        let unbroken = "x".repeat(500);
        let (_, lines) = p.title_lines(&unbroken, 340.0);
        assert!(lines.iter().all(|l| p.title.width(l, 44.0) <= TEXT_W));
    }

    #[test]
    fn svg_escapes_text() {
        let p = Painter::new();
        let svg = p.svg(&card("<script> & \"quotes\""));
        assert!(
            svg.contains("&lt;script&gt; &amp; &quot;quotes&quot;"),
            "{svg}"
        );
        assert!(usvg::Tree::from_str(&svg, &p.options).is_ok());
    }

    #[test]
    fn latin_with_diacritics_is_drawn_and_other_scripts_reported() {
        let p = Painter::new();
        assert!(
            p.missing_chars(&card("Báo Quốc Tế – “thaw” … Łódź"))
                .is_empty()
        );
        assert_eq!(
            p.missing_chars(&card("习近平 visits 习")),
            vec!['习', '近', '平']
        );
    }

    #[test]
    fn png_is_a_card_and_the_same_every_time() {
        let p = Painter::new();
        let a = p.png(&card("Xi Jinping’s possible visit")).unwrap();
        assert_eq!(&a[..8], b"\x89PNG\r\n\x1a\n");
        // Width and height are the first fields of the IHDR chunk.
        assert_eq!(u32::from_be_bytes(a[16..20].try_into().unwrap()), WIDTH);
        assert_eq!(u32::from_be_bytes(a[20..24].try_into().unwrap()), HEIGHT);
        assert_eq!(a, p.png(&card("Xi Jinping’s possible visit")).unwrap());
        assert_ne!(a, p.png(&card("Xi Jinping’s likely visit")).unwrap());
    }
}
