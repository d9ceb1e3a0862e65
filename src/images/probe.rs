//! An image's size from its file without decoding it: a raster image's header (and a JPEG's
//! EXIF rotation, which browsers apply), an SVG's root element. Reads a few kilobytes at most.

use image::metadata::Orientation;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

/// The formats the build makes smaller copies of; any other is only measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// PNG.
    Png,
    /// JPEG.
    Jpeg,
    /// GIF, WebP, AVIF, BMP, ICO: measured, shown as they are (a GIF may be animated).
    Other,
}

/// What the start of an image file says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    /// Width in pixels as displayed (a photo rotated by its EXIF data is measured upright).
    pub width: u32,
    /// Height in pixels as displayed.
    pub height: u32,
    /// The format, by the file's content.
    pub format: Format,
    /// How the stored pixels are turned to be displayed.
    pub orientation: Orientation,
}

/// The most of an SVG file read to find its root element.
const SVG_HEAD: u64 = 64 * 1024;
/// The most segments of a JPEG looked through for its EXIF data (it comes first in practice).
const JPEG_SEGMENTS: usize = 32;
/// The widest and tallest image measured (larger is taken for a broken header).
const MAX_SIDE: u32 = 65_535;

/// Reads the size of the image at `path`: `Ok(None)` for an SVG whose size is not simple
/// (percentages, ems, only a `viewBox`); `Err` says why the file is not a readable image.
pub fn read(path: &Path, svg: bool) -> Result<Option<Header>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("cannot be opened ({e})"))?;
    if svg {
        let mut head = Vec::new();
        file.take(SVG_HEAD)
            .read_to_end(&mut head)
            .map_err(|e| format!("cannot be read ({e})"))?;
        return svg_size(&String::from_utf8_lossy(&head)).map(|s| {
            s.map(|(width, height)| Header {
                width,
                height,
                format: Format::Other,
                orientation: Orientation::NoTransforms,
            })
        });
    }
    let mut reader = BufReader::new(file);
    let not_image = "is not an image (or not a PNG, JPEG, GIF, WebP, AVIF, BMP or ICO one)";
    let kind = imagesize::reader_type(&mut reader).map_err(|_| not_image.to_string())?;
    let size = kind
        .reader_size(&mut reader)
        .map_err(|_| "is cut short or damaged (its size cannot be read)".to_string())?;
    let side = |n: usize| {
        u32::try_from(n)
            .ok()
            .filter(|&n| (1..=MAX_SIDE).contains(&n))
    };
    let (Some(width), Some(height)) = (side(size.width), side(size.height)) else {
        return Err(format!(
            "is damaged (its header gives a size of {}×{} pixels)",
            size.width, size.height
        ));
    };
    let format = match kind {
        imagesize::ImageType::Png => Format::Png,
        imagesize::ImageType::Jpeg => Format::Jpeg,
        _ => Format::Other,
    };
    let orientation = if format == Format::Jpeg {
        jpeg_orientation(&mut reader).unwrap_or(Orientation::NoTransforms)
    } else {
        Orientation::NoTransforms
    };
    let turned = matches!(
        orientation,
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    );
    let (width, height) = if turned {
        (height, width)
    } else {
        (width, height)
    };
    Ok(Some(Header {
        width,
        height,
        format,
        orientation,
    }))
}

/// The orientation in a JPEG's EXIF segment (APP1), looked for among the segments before the
/// image data; `None` when there is none or the file ends first.
fn jpeg_orientation<R: BufRead + Seek>(r: &mut R) -> Option<Orientation> {
    r.seek(SeekFrom::Start(2)).ok()?;
    for _ in 0..JPEG_SEGMENTS {
        let mut marker = [0u8; 4];
        r.read_exact(&mut marker).ok()?;
        if marker[0] != 0xFF {
            return None;
        }
        // A frame header or the scan: no EXIF after it.
        if (0xC0..=0xCF).contains(&marker[1]) || marker[1] == 0xDA {
            return None;
        }
        let len = usize::from(u16::from_be_bytes([marker[2], marker[3]])).checked_sub(2)?;
        if marker[1] == 0xE1 {
            let mut data = vec![0u8; len];
            r.read_exact(&mut data).ok()?;
            if let Some(tiff) = data.strip_prefix(b"Exif\0\0") {
                return Orientation::from_exif_chunk(tiff);
            }
        } else {
            r.seek(SeekFrom::Current(len as i64)).ok()?;
        }
    }
    None
}

/// The size an SVG's root element gives: `width` and `height` in pixels (`120`, `120px`), or one
/// of them and the `viewBox`'s proportions. `Ok(None)` when the size is relative or absent (the
/// browser then sizes the image by its container), `Err` when there is no `<svg>` element.
pub fn svg_size(text: &str) -> Result<Option<(u32, u32)>, String> {
    let start = text
        .match_indices("<svg")
        .map(|(i, _)| i)
        .find(|&i| {
            text[i + 4..]
                .chars()
                .next()
                .is_some_and(|c| c.is_whitespace() || c == '>' || c == '/')
        })
        .ok_or_else(|| "is not an SVG image (no <svg> element)".to_string())?;
    let mut width = None;
    let mut height = None;
    let mut view_box = None;
    for (name, value) in attributes(&text[start + 4..]) {
        match name {
            "width" => width = Some(pixels(value)),
            "height" => height = Some(pixels(value)),
            "viewBox" => view_box = view_box_size(value),
            _ => {}
        }
    }
    let round =
        |v: f64| (v.round() >= 1.0 && v.round() <= f64::from(MAX_SIDE)).then(|| v.round() as u32);
    Ok(match (width, height, view_box) {
        (Some(Some(w)), Some(Some(h)), _) => round(w).zip(round(h)),
        (Some(Some(w)), None, Some((vw, vh))) => round(w).zip(round(w * vh / vw)),
        (None, Some(Some(h)), Some((vw, vh))) => round(h * vw / vh).zip(round(h)),
        _ => None,
    })
}

/// The attributes of a start tag whose name has been read, up to its `>`: `name="value"` or
/// `name='value'` pairs (others are skipped).
fn attributes(tag: &str) -> impl Iterator<Item = (&str, &str)> {
    let end = tag.find('>').unwrap_or(tag.len());
    let mut rest = &tag[..end];
    std::iter::from_fn(move || {
        loop {
            let eq = rest.find('=')?;
            let name = rest[..eq].split_whitespace().last().unwrap_or("");
            let after = rest[eq + 1..].trim_start();
            let quote = after.chars().next()?;
            if quote != '"' && quote != '\'' {
                rest = after;
                continue;
            }
            let close = after[1..].find(quote)? + 1;
            let value = &after[1..close];
            rest = &after[close + 1..];
            return Some((name, value));
        }
    })
}

/// A length in pixels: a plain number or one in `px`; anything relative is `None`.
fn pixels(value: &str) -> Option<f64> {
    let v = value.trim();
    let n = v.strip_suffix("px").unwrap_or(v).trim();
    n.parse::<f64>().ok().filter(|n| n.is_finite() && *n > 0.0)
}

/// The width and height of a `viewBox="min-x min-y width height"`.
fn view_box_size(value: &str) -> Option<(f64, f64)> {
    let parts: Vec<f64> = value
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|p| !p.is_empty())
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()?;
    match parts[..] {
        [_, _, w, h] if w > 0.0 && h > 0.0 && w.is_finite() && h.is_finite() => Some((w, h)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_sizes_when_simple() {
        let svg = |attrs: &str| svg_size(&format!("<?xml version=\"1.0\"?>\n<svg {attrs}></svg>"));
        assert_eq!(svg("width=\"120\" height='80px'"), Ok(Some((120, 80))));
        assert_eq!(
            svg("xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" viewBox=\"0 0 100 50\""),
            Ok(Some((200, 100)))
        );
        assert_eq!(
            svg("height=\"30\" viewBox=\"0,0,60,20\""),
            Ok(Some((90, 30)))
        );
        assert_eq!(svg("width=\"100%\" height=\"100%\""), Ok(None));
        assert_eq!(svg("viewBox=\"0 0 24 24\""), Ok(None));
        assert_eq!(svg("width=\"2em\" height=\"1em\""), Ok(None));
        assert_eq!(svg("width=\"0\" height=\"5\""), Ok(None));
        assert!(svg_size("<html><svgx></svgx>").is_err());
        assert!(svg_size("plain text").is_err());
    }

    #[test]
    fn jpeg_exif_rotation_is_found() {
        // SOI, APP1 with a big-endian TIFF header and one IFD entry (orientation 6), then SOF0.
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE1];
        let mut exif = b"Exif\0\0MM\0\x2A\0\0\0\x08\0\x01".to_vec();
        exif.extend_from_slice(&[0x01, 0x12, 0x00, 0x03, 0, 0, 0, 1, 0x00, 0x06, 0, 0]);
        exif.extend_from_slice(&[0, 0, 0, 0]);
        jpeg.extend_from_slice(&((exif.len() + 2) as u16).to_be_bytes());
        jpeg.extend_from_slice(&exif);
        jpeg.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x11, 8, 0x00, 0x20, 0x00, 0x40, 3]);
        jpeg.extend_from_slice(&[0; 9]);
        let o = jpeg_orientation(&mut std::io::Cursor::new(&jpeg));
        assert_eq!(o, Some(Orientation::Rotate90));
        let t = tempfile::tempdir().unwrap();
        let path = t.path().join("turned.jpg");
        std::fs::write(&path, &jpeg).unwrap();
        let h = read(&path, false).unwrap().unwrap();
        // Stored 64 wide and 32 tall, displayed turned a quarter: 32 wide and 64 tall.
        assert_eq!((h.width, h.height, h.format), (32, 64, Format::Jpeg));
    }

    #[test]
    fn broken_files_say_why() {
        let t = tempfile::tempdir().unwrap();
        let write = |name: &str, bytes: &[u8]| {
            let p = t.path().join(name);
            std::fs::write(&p, bytes).unwrap();
            p
        };
        let text = read(&write("a.png", b"just some text, not a picture"), false);
        assert!(text.unwrap_err().contains("not an image"));
        let cut = read(&write("b.png", b"\x89PNG\r\n\x1a\n\0\0\0\x0dIH"), false);
        assert!(cut.unwrap_err().contains("cut short"));
        assert!(read(&t.path().join("missing.png"), false).is_err());
    }
}
