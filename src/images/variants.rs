//! Smaller copies of a large image for `srcset`: made once, kept in a cache folder under a hash
//! of the image's bytes (and of how copies are made), so a later build copies them instead of
//! decoding and resizing again. Same image, same copies, byte for byte.

use super::probe::Format;
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageEncoder, ImageFormat, ImageReader};
use std::io::Cursor;
use std::path::{Path, PathBuf};

/// How copies are made; part of the cache key, so a change here never reuses an older copy.
const RECIPE: &str = "explainer image copies 1: lanczos3, jpeg quality 82, png default";
/// JPEG quality of the copies (visually the same as the original at these sizes).
const JPEG_QUALITY: u8 = 82;

/// Why copies could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The image cannot be decoded (cut short, damaged, too large): a broken image.
    Image(String),
    /// The cache folder cannot be written: the image is fine, shown without copies.
    Cache(String),
}

/// Copies of one image, made or found in the cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Made {
    /// The image's size as decoded and turned upright (width, height).
    pub size: (u32, u32),
    /// Each copy's file in the cache, in the order of the widths asked for.
    pub files: Vec<PathBuf>,
}

/// The copies of the `format` image at `source`, `widths` wide (each narrower than the image),
/// from `cache` or made into it. `size` is the upright size its header gives; an image whose
/// decoded size differs is damaged.
pub fn make(
    source: &Path,
    format: Format,
    size: (u32, u32),
    widths: &[u32],
    cache: &Path,
) -> Result<Made, Failure> {
    let bytes =
        std::fs::read(source).map_err(|e| Failure::Image(format!("cannot be read ({e})")))?;
    let (image_format, ext) = match format {
        Format::Png => (ImageFormat::Png, "png"),
        Format::Jpeg => (ImageFormat::Jpeg, "jpg"),
        Format::Other => return Err(Failure::Image("cannot be resized".into())),
    };
    if format == Format::Jpeg && !jpeg_is_whole(&bytes) {
        return Err(Failure::Image(
            "is cut short (its data stops before the end of the image)".into(),
        ));
    }
    let key = key(&bytes, ext);
    let files: Vec<PathBuf> = widths
        .iter()
        .map(|w| cache.join(format!("{key}-{w}w.{ext}")))
        .collect();
    if files.iter().all(|f| f.is_file()) {
        return Ok(Made { size, files });
    }
    let (image, icc) = decode(&bytes, image_format).map_err(Failure::Image)?;
    let decoded = (image.width(), image.height());
    if decoded != size {
        return Err(Failure::Image(format!(
            "is damaged (its header says {}×{} pixels, its data {}×{})",
            size.0, size.1, decoded.0, decoded.1
        )));
    }
    std::fs::create_dir_all(cache).map_err(|e| cache_failure(cache, &e))?;
    for (&w, file) in widths.iter().zip(&files) {
        if file.is_file() {
            continue;
        }
        let h = height_for(size, w);
        let small = image.resize_exact(w, h, FilterType::Lanczos3);
        let encoded = encode(&small, format, icc.as_deref()).map_err(Failure::Image)?;
        write_atomically(file, &encoded).map_err(|e| cache_failure(cache, &e))?;
    }
    Ok(Made { size, files })
}

/// True if a JPEG's end-of-image marker follows the start of its first scan. A file cut short
/// lacks it, which the (lenient) decoder would hide by filling the rest with grey; the scan's
/// data never holds the marker's two bytes, and a thumbnail's own marker comes before the scan.
fn jpeg_is_whole(bytes: &[u8]) -> bool {
    let mut i = 2;
    while let Some(&[0xFF, marker]) = bytes.get(i..i + 2) {
        match marker {
            // Fill bytes before a marker.
            0xFF => i += 1,
            0xDA => return memchr::memmem::find(&bytes[i..], &[0xFF, 0xD9]).is_some(),
            // Markers without a length.
            0x01 | 0xD0..=0xD7 => i += 2,
            _ => match bytes.get(i + 2..i + 4) {
                Some(&[hi, lo]) => i += 2 + usize::from(u16::from_be_bytes([hi, lo])),
                _ => return false,
            },
        }
    }
    false
}

/// The height of a copy `width` wide of an image of `size`, rounded, at least 1.
pub fn height_for(size: (u32, u32), width: u32) -> u32 {
    let (w, h) = (u64::from(size.0.max(1)), u64::from(size.1));
    let scaled = (h * u64::from(width) + w / 2) / w;
    u32::try_from(scaled.max(1)).unwrap_or(u32::MAX)
}

/// The cache key: a 128-bit SipHash (fixed keys, so stable across builds and Rust releases) of
/// the recipe, the format and the image's bytes.
fn key(bytes: &[u8], ext: &str) -> String {
    use std::hash::Hasher;
    let mut h = siphasher::sip128::SipHasher13::new();
    h.write(RECIPE.as_bytes());
    h.write(ext.as_bytes());
    h.write(bytes);
    format!(
        "{:032x}",
        siphasher::sip128::Hasher128::finish128(&h).as_u128()
    )
}

/// Decodes an image, turned upright as its EXIF data says, with its colour profile.
fn decode(bytes: &[u8], format: ImageFormat) -> Result<(DynamicImage, Option<Vec<u8>>), String> {
    let damaged = |e: image::ImageError| format!("cannot be decoded ({e})");
    let mut decoder = ImageReader::with_format(Cursor::new(bytes), format)
        .into_decoder()
        .map_err(damaged)?;
    let orientation = decoder.orientation().map_err(damaged)?;
    let icc = decoder.icc_profile().ok().flatten();
    let mut image = DynamicImage::from_decoder(decoder).map_err(damaged)?;
    image.apply_orientation(orientation);
    Ok((image, icc))
}

/// Encodes a copy in its image's format, keeping the colour profile (never the EXIF data: the
/// copy is upright already).
fn encode(image: &DynamicImage, format: Format, icc: Option<&[u8]>) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    if format == Format::Jpeg {
        // JPEG holds 8-bit grey or RGB, without transparency.
        let image = match image {
            DynamicImage::ImageLuma8(_) | DynamicImage::ImageRgb8(_) => image.clone(),
            DynamicImage::ImageLuma16(_) | DynamicImage::ImageLumaA8(_) => {
                DynamicImage::ImageLuma8(image.to_luma8())
            }
            _ => DynamicImage::ImageRgb8(image.to_rgb8()),
        };
        write_with(
            JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY),
            &image,
            icc,
        )?;
    } else {
        write_with(PngEncoder::new(&mut out), image, icc)?;
    }
    Ok(out)
}

fn write_with(
    mut encoder: impl ImageEncoder,
    image: &DynamicImage,
    icc: Option<&[u8]>,
) -> Result<(), String> {
    if let Some(p) = icc {
        // A format that cannot hold a profile is written without one.
        encoder.set_icc_profile(p.to_vec()).ok();
    }
    encoder
        .write_image(
            image.as_bytes(),
            image.width(),
            image.height(),
            image.color().into(),
        )
        .map_err(|e| format!("cannot be resized ({e})"))
}

/// Writes `bytes` to a temporary file beside `path` and renames it into place, so a build that
/// is stopped (or another one running at the same time) never leaves half a copy in the cache.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let tmp = path.with_file_name(format!(".{name}.part-{}", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        std::fs::remove_file(&tmp).ok();
    })
}

fn cache_failure(cache: &Path, e: &std::io::Error) -> Failure {
    Failure::Cache(format!(
        "its smaller copies cannot be kept in {} ({e})",
        cache.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heights_keep_the_aspect_ratio() {
        assert_eq!(height_for((1600, 900), 800), 450);
        assert_eq!(height_for((1600, 900), 480), 270);
        assert_eq!(height_for((1000, 333), 480), 160);
        assert_eq!(height_for((5000, 1), 480), 1);
    }

    #[test]
    fn a_jpeg_cut_short_is_found() {
        let mut out = Vec::new();
        let img =
            image::RgbImage::from_fn(40, 30, |x, y| image::Rgb([x as u8 * 6, y as u8 * 8, 90]));
        JpegEncoder::new_with_quality(&mut out, 80)
            .encode_image(&img)
            .unwrap();
        assert!(jpeg_is_whole(&out));
        let mut padded = out.clone();
        padded.extend_from_slice(b"trailing data some cameras add");
        assert!(jpeg_is_whole(&padded));
        assert!(!jpeg_is_whole(&out[..out.len() - 40]));
        assert!(!jpeg_is_whole(&out[..30]));
        assert!(!jpeg_is_whole(b""));
    }

    #[test]
    fn keys_change_with_the_bytes_and_format() {
        assert_eq!(key(b"abc", "png"), key(b"abc", "png"));
        assert_ne!(key(b"abc", "png"), key(b"abd", "png"));
        assert_ne!(key(b"abc", "png"), key(b"abc", "jpg"));
        assert_eq!(key(b"abc", "png").len(), 32);
    }
}
