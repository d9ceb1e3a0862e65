//! Local images: `width` and `height` from the file (no layout shift), loading hints, smaller
//! copies of large images for `srcset` made at build time and cached between builds, warnings
//! for broken images, and pages that follow an image edited under `serve`.

mod common;

use common::*;
use image::{ImageFormat, RgbImage};
use std::path::Path;

/// A `width`×`height` image in `format`, with a gradient so resizing has something to do.
fn picture(width: u32, height: u32, format: ImageFormat) -> Vec<u8> {
    let img = RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x * 255 / width) as u8, (y * 255 / height) as u8, 128])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, format).unwrap();
    out.into_inner()
}

/// The `<img>` elements of a page's article, as (src, attribute lookup).
fn images(out: &Path, rel: &str) -> Vec<std::collections::BTreeMap<String, String>> {
    let html = page(out, rel);
    html.select(&sel("main img"))
        .map(|e| {
            e.value()
                .attrs()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// The `tiny` site whose other note shows `body` (the home page links to it).
fn site_showing(body: &str) -> Site {
    let s = site("tiny");
    s.write(
        "content/other.md",
        format!("---\ntitle: Other note\n---\n{body}"),
    );
    s
}

#[test]
fn a_png_gets_its_size_and_only_the_first_image_loads_eagerly() {
    let s = site_showing(
        "![A chart](pics/chart.png)\n\n![[chart.png|320]]\n\n![[chart.png|A chart|100x90]]\n\n![remote](https://example.org/x.png)\n",
    );
    s.write(
        "content/pics/chart.png",
        picture(640, 360, ImageFormat::Png),
    );
    let r = s.cmd("build", &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.is_empty(), "no warnings expected:\n{}", r.stderr);
    let imgs = images(&s.public(), "other/index.html");
    assert_eq!(imgs.len(), 4, "{imgs:?}");
    let (first, embed, sized, remote) = (&imgs[0], &imgs[1], &imgs[2], &imgs[3]);
    assert_eq!(first["src"], "../pics/chart.png");
    assert_eq!(first["alt"], "A chart");
    assert_eq!((&*first["width"], &*first["height"]), ("640", "360"));
    assert_eq!(first["decoding"], "async");
    assert!(
        !first.contains_key("loading"),
        "the first image is eager: {first:?}"
    );
    assert!(
        !first.contains_key("srcset"),
        "640 pixels is not large: {first:?}"
    );
    // The editor's width wins; the height follows the image's proportions.
    assert_eq!((&*embed["width"], &*embed["height"]), ("320", "180"));
    assert_eq!(embed["loading"], "lazy");
    assert_eq!(embed["decoding"], "async");
    assert_eq!((&*sized["width"], &*sized["height"]), ("100", "90"));
    assert_eq!(sized["alt"], "A chart");
    // A remote image is left as written.
    assert_eq!(remote["src"], "https://example.org/x.png");
    for attr in ["width", "height", "loading", "decoding", "srcset"] {
        assert!(!remote.contains_key(attr), "{remote:?}");
    }
    // No copy of a small image.
    assert!(!tree(&s.public()).keys().any(|k| k.contains("-480w")));
}

#[test]
fn a_large_jpeg_gets_copies_that_exist_and_decode_to_their_widths() {
    let s = site_showing("Intro.\n\n![A photo](photo.jpg \"The harbour\")\n");
    s.write(
        "content/other/photo.jpg",
        picture(1600, 900, ImageFormat::Jpeg),
    );
    let out = s.build(&[]);
    let imgs = images(&out, "other/index.html");
    let img = &imgs[0];
    // Files are linked from the site root, as every content file is.
    assert_eq!(img["src"], "../other/photo.jpg");
    assert_eq!(img["title"], "The harbour");
    assert_eq!((&*img["width"], &*img["height"]), ("1600", "900"));
    assert_eq!(
        img["srcset"],
        "../other/photo-480w.jpg 480w, ../other/photo-800w.jpg 800w, \
         ../other/photo-1200w.jpg 1200w, ../other/photo.jpg 1600w"
    );
    assert_eq!(img["sizes"], "(max-width: 46rem) 100vw, 46rem");
    for (w, h) in [(480, 270), (800, 450), (1200, 675)] {
        let file = out.join(format!("other/photo-{w}w.jpg"));
        let decoded = image::open(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        assert_eq!(
            (decoded.width(), decoded.height()),
            (w, h),
            "{}",
            file.display()
        );
        assert_eq!(
            image::guess_format(&std::fs::read(&file).unwrap()).unwrap(),
            ImageFormat::Jpeg
        );
    }
    assert!(
        !out.join("other/photo-1600w.jpg").exists(),
        "never upscaled or repeated"
    );
    // The original is published as it is.
    assert_eq!(
        std::fs::read(out.join("other/photo.jpg")).unwrap(),
        std::fs::read(s.root().join("content/other/photo.jpg")).unwrap()
    );
}

#[test]
fn copies_are_cached_between_builds_and_the_same_every_time() {
    let s = site_showing("![A wide chart](wide.png)\n");
    s.write("content/wide.png", picture(1000, 500, ImageFormat::Png));
    let out = s.build(&[]);
    let first = tree(&out);
    assert!(first.contains_key("wide-480w.png") && first.contains_key("wide-800w.png"));
    assert!(!first.contains_key("wide-1200w.png"), "never upscaled");
    let cache = s.root().join(".explainer-cache/images");
    let mut cached: Vec<_> = std::fs::read_dir(&cache)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cached.sort();
    assert_eq!(cached.len(), 2, "{cached:?}");
    assert!(
        cached
            .iter()
            .all(|p| p.to_string_lossy().ends_with("w.png"))
    );

    // The second build takes the copies from the cache: a marked cached copy comes out as it is.
    let marked = cached
        .iter()
        .find(|p| p.to_string_lossy().ends_with("-480w.png"))
        .unwrap();
    let original = std::fs::read(marked).unwrap();
    std::fs::write(marked, b"from the cache").unwrap();
    let out = s.build(&[]);
    assert_eq!(
        std::fs::read(out.join("wide-480w.png")).unwrap(),
        b"from the cache"
    );

    // Made again from nothing, the copies are byte for byte the same.
    std::fs::remove_dir_all(s.root().join(".explainer-cache")).unwrap();
    let out = s.build(&[]);
    assert_eq!(tree(&out), first, "a fresh build differs");
    assert_eq!(std::fs::read(marked).unwrap(), original);

    // A changed image is a new cache entry, never a stale copy.
    s.write("content/wide.png", picture(1000, 400, ImageFormat::Png));
    let out = s.build(&[]);
    let decoded = image::open(out.join("wide-480w.png")).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (480, 192));
}

#[test]
fn site_yaml_chooses_the_widths_or_turns_copies_off() {
    let s = site_showing("![A photo](photo.jpg)\n");
    s.write(
        "content/other/photo.jpg",
        picture(1000, 600, ImageFormat::Jpeg),
    );
    s.write(
        "site.yaml",
        "title: Tiny\nbase_url: https://tiny.example/\nimages: {widths: [600, 300, 2000]}\n",
    );
    let out = s.build(&[]);
    let img = &images(&out, "other/index.html")[0];
    assert_eq!(
        img["srcset"],
        "../other/photo-300w.jpg 300w, ../other/photo-600w.jpg 600w, ../other/photo.jpg 1000w"
    );
    s.write(
        "site.yaml",
        "title: Tiny\nbase_url: https://tiny.example/\nimages: {srcset: false}\n",
    );
    let out = s.build(&[]);
    let img = &images(&out, "other/index.html")[0];
    assert!(!img.contains_key("srcset"), "{img:?}");
    assert_eq!(img["width"], "1000");
    assert!(!tree(&out).keys().any(|k| k.contains("photo-")));
    s.write(
        "site.yaml",
        "title: Tiny\nbase_url: https://tiny.example/\nimages: {widths: [0], sizes: 3}\n",
    );
    let r = s.cmd("build", &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("`widths` must be a list"), "{}", r.stderr);
    assert!(r.stderr.contains("`images` accepts only"), "{}", r.stderr);
}

#[test]
fn broken_images_warn_with_the_note_line_and_keep_no_size() {
    let s = site_showing(
        "Text.\n\n![Not a picture](notes.png)\n\n![[cut.jpg]]\n\n![A cut photo](big.jpg)\n",
    );
    s.write("content/notes.png", "these are notes, not a picture");
    // The start of a JPEG, cut before its size.
    s.write("content/cut.jpg", &picture(64, 64, ImageFormat::Jpeg)[..12]);
    // A large JPEG whose header is whole but whose data is cut: found when copies are made.
    let mut big = picture(1200, 800, ImageFormat::Jpeg);
    big.truncate(big.len() / 3);
    s.write("content/big.jpg", big);
    let r = s.cmd("build", &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_diagnostic(
        &r.stderr,
        "content/other.md:6:1",
        "![Not a picture](notes.png)",
    );
    assert!(
        r.stderr.contains("image `notes.png` is not an image"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("--> content/other.md:8:1"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("image `cut.jpg` is cut short"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("--> content/other.md:10:1"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("image `big.jpg` is cut short"),
        "{}",
        r.stderr
    );
    assert_eq!(
        r.stderr.matches("warning: image").count(),
        3,
        "{}",
        r.stderr
    );
    for img in images(&s.public(), "other/index.html") {
        assert!(
            !img.contains_key("width") && !img.contains_key("srcset"),
            "{img:?}"
        );
        assert_eq!(img["decoding"], "async");
    }
    assert!(!tree(&s.public()).keys().any(|k| k.contains("-480w")));
    // `check` says the same.
    let c = s.cmd("check", &[]);
    assert!(
        c.stderr.contains("image `big.jpg` is cut short"),
        "{}",
        c.stderr
    );
}

#[test]
fn svg_images_are_sized_from_their_attributes_when_simple() {
    let s = site_showing("![Icon](icon.svg)\n\n![Logo](logo.svg)\n\n![[icon.svg|48]]\n");
    s.write(
        "content/icon.svg",
        "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"32\" viewBox=\"0 0 16 8\"/>",
    );
    s.write(
        "content/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 100 50\"><rect/></svg>",
    );
    let out = s.build(&[]);
    let imgs = images(&out, "other/index.html");
    assert_eq!((&*imgs[0]["width"], &*imgs[0]["height"]), ("32", "16"));
    assert!(
        !imgs[1].contains_key("width"),
        "only a viewBox: {:?}",
        imgs[1]
    );
    assert_eq!((&*imgs[2]["width"], &*imgs[2]["height"]), ("48", "24"));
}

#[test]
fn an_image_changed_under_serve_updates_the_pages_that_show_it() {
    let s = site("tiny");
    s.write("content/chart.png", picture(640, 360, ImageFormat::Png));
    s.write(
        "content/other.md",
        "---\ntitle: Other note\n---\n## First heading\n\n![A chart](chart.png)\n",
    );
    // The home page shows the other note's section, image included.
    s.write(
        "content/_index.md",
        "---\ntitle: Tiny home\n---\nSee [the other note](other.md).\n\n![[other#First heading]]\n",
    );
    let mut live = Live::new(&s);
    let size = |dir: &Path, rel: &str| {
        let imgs = images(dir, rel);
        (imgs[0]["width"].clone(), imgs[0]["height"].clone())
    };
    assert_eq!(
        size(&live.dir, "other/index.html"),
        ("640".into(), "360".into())
    );
    assert_eq!(size(&live.dir, "index.html"), ("640".into(), "360".into()));

    s.write("content/chart.png", picture(1200, 600, ImageFormat::Png));
    let r = live.changed("content/chart.png").unwrap();
    assert!(
        r.written.contains(&"other/index.html".to_string()),
        "{:?}",
        r.written
    );
    assert!(
        r.written.contains(&"index.html".to_string()),
        "{:?}",
        r.written
    );
    assert!(
        r.written.contains(&"chart-800w.png".to_string()),
        "{:?}",
        r.written
    );
    assert_eq!(
        size(&live.dir, "other/index.html"),
        ("1200".into(), "600".into())
    );
    assert_eq!(size(&live.dir, "index.html"), ("1200".into(), "600".into()));
    live.assert_same_as_clean_build(&s, "image grew");

    // Smaller again: its copies leave the output.
    s.write("content/chart.png", picture(500, 250, ImageFormat::Png));
    live.changed("content/chart.png").unwrap();
    assert_eq!(size(&live.dir, "index.html"), ("500".into(), "250".into()));
    assert!(!live.dir.join("chart-800w.png").exists());
    live.assert_same_as_clean_build(&s, "image shrank");

    // A page that starts showing a large image no page showed brings its copies along.
    s.write("content/photo.jpg", picture(1000, 500, ImageFormat::Jpeg));
    live.changed("content/photo.jpg").unwrap();
    s.write(
        "content/other.md",
        "---\ntitle: Other note\n---\n## First heading\n\n![A chart](chart.png)\n\n![A photo](photo.jpg)\n",
    );
    live.changed("content/other.md").unwrap();
    assert!(live.dir.join("photo-800w.jpg").is_file());
    live.assert_same_as_clean_build(&s, "photo shown");

    // An edit of a note that shows nothing new leaves the images alone.
    s.write(
        "content/other.md",
        "---\ntitle: Other note\n---\n## First heading\n\n![A chart](chart.png)\n\n![A photo](photo.jpg)\n\nMore.\n",
    );
    let r = live.changed("content/other.md").unwrap();
    assert!(
        !r.written
            .iter()
            .any(|w| w.contains("chart") || w.contains("photo")),
        "{:?}",
        r.written
    );
    live.assert_same_as_clean_build(&s, "note edited");
}

#[test]
fn init_keeps_the_cache_out_of_git() {
    let tmp = tempfile::tempdir().unwrap();
    let r = run_in(tmp.path(), &["init", "fresh"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let ignore = std::fs::read_to_string(tmp.path().join("fresh/.gitignore")).unwrap();
    assert!(
        ignore.lines().any(|l| l == "/.explainer-cache/"),
        "{ignore}"
    );
    assert!(ignore.lines().any(|l| l == "/public/"), "{ignore}");

    // A folder with a `.gitignore` of its own keeps it, with the lines added once.
    let own = tmp.path().join("own");
    std::fs::create_dir(&own).unwrap();
    std::fs::write(own.join(".gitignore"), "/public/\n*.log").unwrap();
    let r = run_in(&own, &["init", "."]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let ignore = std::fs::read_to_string(own.join(".gitignore")).unwrap();
    assert!(ignore.starts_with("/public/\n*.log\n"), "{ignore}");
    assert_eq!(ignore.matches("/public/").count(), 1, "{ignore}");
    assert_eq!(ignore.matches("/.explainer-cache/").count(), 1, "{ignore}");
}
