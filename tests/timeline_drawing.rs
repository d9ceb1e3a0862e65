//! The drawn timeline (`timeline_svg()`): a proportional axis, dense periods enlarged without
//! overlapping labels, times in the source's words printed as written, pending events after the
//! axis, relative links that resolve, front-matter errors at their line, and incremental
//! rebuilds that redraw it.

mod common;

use common::*;
use scraper::{ElementRef, Html};
use std::collections::BTreeMap;

/// The full drawing of a built site's timeline page.
fn drawing(out: &std::path::Path) -> Html {
    page(out, "timeline/index.html")
}

/// Each event link of the full drawing: its text, and the top and height of its label's box.
fn labels(doc: &Html) -> Vec<(String, f64, f64)> {
    doc.select(&sel("svg.timeline-full a.ts-event"))
        .map(|a| {
            let rect = a.select(&sel("rect.ts-hit")).next().expect("a hit area");
            let num = |name: &str| rect.value().attr(name).unwrap().parse::<f64>().unwrap();
            (text_of(&a), num("y"), num("height"))
        })
        .collect()
}

/// The top of the label whose text contains `words`.
fn top_of(labels: &[(String, f64, f64)], words: &str) -> f64 {
    labels
        .iter()
        .find(|(t, ..)| t.contains(words))
        .unwrap_or_else(|| panic!("no label with {words:?} in {labels:#?}"))
        .1
}

#[test]
fn years_apart_are_proportionally_far_apart() {
    let s = site("timeline");
    let doc = drawing(&s.build(&[]));
    let l = labels(&doc);
    let (a, b, c) = (
        top_of(&l, "A first treaty"),
        top_of(&l, "A second treaty"),
        top_of(&l, "A third treaty"),
    );
    // 1990 → 2000 is ten years, 2000 → 2020 twenty: twice the distance (lengths are written
    // to a tenth).
    assert!(b > a && c > b, "{a} {b} {c}");
    assert!(((c - b) - 2.0 * (b - a)).abs() <= 0.3, "{a} {b} {c}");
    // Year ticks in between, on the same scale.
    let ticks = texts(&doc, "svg.timeline-full text.ts-tick-label");
    for year in ["1995", "2005", "2010", "2015"] {
        assert!(ticks.contains(&year.to_string()), "{ticks:?}");
    }
}

#[test]
fn a_dense_month_is_enlarged_and_no_labels_overlap() {
    let s = site("timeline");
    let doc = drawing(&s.build(&[]));
    let mut l = labels(&doc);
    l.sort_by(|x, y| x.1.total_cmp(&y.1));
    for w in l.windows(2) {
        assert!(
            w[0].1 + w[0].2 <= w[1].1,
            "labels overlap: {:?} and {:?}",
            w[0],
            w[1]
        );
    }
    // September 2023 is shown on a larger scale, between breaks, and says so.
    assert!(doc.select(&sel("svg.timeline-full rect.ts-zoom")).count() >= 1);
    assert!(doc.select(&sel("svg.timeline-full path.ts-break")).count() >= 1);
    let captions = texts(&doc, "svg.timeline-full text.ts-caption");
    assert!(
        captions
            .iter()
            .any(|c| c.starts_with("Enlarged") && c.contains("Sep")),
        "{captions:?}"
    );
    // In it, 1 → 5 September is four days and 23 → 26 September three: still proportional
    // wherever both pairs share a zoom, and in time order everywhere.
    let days = [
        "Talks open",
        "Ministers meet",
        "The leaders meet",
        "Senior officials",
        "The report is published",
    ];
    let tops: Vec<f64> = days.iter().map(|d| top_of(&l, d)).collect();
    assert!(tops.windows(2).all(|w| w[0] < w[1]), "{tops:?}");
}

#[test]
fn times_in_words_are_printed_as_written_and_never_given_a_date() {
    let s = site("timeline");
    let out = s.build(&[]);
    let doc = drawing(&out);
    let l = labels(&doc);
    let loose = l
        .iter()
        .find(|(t, ..)| t.contains("The president meets the premier"))
        .unwrap();
    assert_eq!(
        loose.0,
        "earlier this month The president meets the premier"
    );
    let words = texts(&doc, "svg.timeline-full text.ts-words");
    assert!(
        words.contains(&"earlier this month".to_string()),
        "{words:?}"
    );
    // The list gives it no `<time>`: its `around` date only places it.
    let item = doc
        .select(&sel("ol.timeline li"))
        .find(|li| text_of(li).contains("The president meets the premier"))
        .unwrap();
    assert!(
        item.select(&sel("time")).next().is_none(),
        "{}",
        item.html()
    );
    assert!(
        text_of(&item).starts_with("earlier this month:"),
        "{}",
        text_of(&item)
    );
    assert!(
        !doc.root_element()
            .html()
            .contains("September 2023</time>: The president")
    );
    // The legend says what a hollow mark means.
    let legend = texts(&doc, "svg.timeline-full text.ts-legend").join(" ");
    assert!(legend.contains("in the source's words"), "{legend}");
}

#[test]
fn pending_and_undated_events_come_after_the_axis_marked_as_such() {
    let s = site("timeline");
    let out = s.build(&[]);
    let doc = drawing(&out);
    let l = labels(&doc);
    let last_dated = top_of(&l, "The report is published");
    let (undated, summit, visit) = (
        top_of(&l, "Relations cooled"),
        top_of(&l, "A trilateral summit in Seoul"),
        top_of(&l, "A possible visit to Seoul"),
    );
    assert!(last_dated < undated && undated < summit && summit < visit);
    let groups = texts(&doc, "svg.timeline-full text.ts-group");
    assert_eq!(groups, ["Undated", "Pending"]);
    let pending: Vec<String> = doc
        .select(&sel("svg.timeline-full a.ts-is-pending"))
        .map(|a| text_of(&a))
        .collect();
    assert_eq!(
        pending,
        [
            "A trilateral summit in Seoul",
            "in the near future A possible visit to Seoul"
        ]
    );
    assert_eq!(
        doc.select(&sel("svg.timeline-full path.ts-pending"))
            .count(),
        2
    );
    let list = texts(&doc, "ol.timeline li");
    assert!(
        list[list.len() - 2].starts_with("Pending: A trilateral summit"),
        "{list:?}"
    );
    // The drawing's text alternative counts them.
    let label = attrs(&doc, "svg.timeline-full", "aria-label");
    assert_eq!(
        label,
        ["Timeline of 9 events, 1990 to 2 October 2023, 1 undated event, then 2 pending steps"]
    );
}

#[test]
fn every_event_links_to_its_note_relatively_and_anchors_resolve() {
    for args in [&[][..], &["--file-links"][..]] {
        let s = site("timeline");
        let out = s.build(args);
        let doc = drawing(&out);
        let hrefs = hrefs(&doc, "svg.timeline-full a.ts-event");
        assert_eq!(hrefs.len(), 12, "{hrefs:?}");
        for h in &hrefs {
            assert!(h.starts_with("../notes/"), "{h}");
        }
        let anchored: Vec<&String> = hrefs.iter().filter(|h| h.contains('#')).collect();
        let target = if args.is_empty() {
            "../notes/september/#the-meeting"
        } else {
            "../notes/september/index.html#the-meeting"
        };
        assert_eq!(anchored, [target]);
        let broken = broken_refs(&out);
        assert!(broken.is_empty(), "{broken:#?}");
        // The links are in time order, so keyboard order follows the timeline.
        let texts: Vec<String> = labels(&doc).into_iter().map(|l| l.0).collect();
        assert!(texts[0].contains("A first treaty"), "{texts:?}");
    }
}

#[test]
fn the_home_page_shows_the_compact_drawing() {
    let s = site("timeline");
    let out = s.build(&[]);
    let home = page(&out, "index.html");
    let svg = home
        .select(&sel("svg.timeline-compact"))
        .next()
        .expect("a compact drawing on the home page");
    assert_eq!(svg.value().attr("role"), Some("img"));
    let label = svg.value().attr("aria-label").unwrap();
    assert!(label.starts_with("Timeline of 9 events"), "{label}");
    assert_eq!(svg.select(&sel("a")).count(), 0, "no links of its own");
    let few: Vec<String> = svg.select(&sel("text")).map(|t| text_of(&t)).collect();
    assert!(few.len() <= 5, "{few:?}");
    assert!(few.contains(&"1990".to_string()), "{few:?}");
    assert!(few.contains(&"2 pending, 1 undated".to_string()), "{few:?}");
    assert_eq!(
        hrefs(&home, "figure.timeline-figure figcaption a"),
        ["./timeline/"]
    );
    // A site without events shows neither drawing.
    let t = site("tiny");
    let out = t.build(&[]);
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(!html.contains("<svg"), "{html}");
}

#[test]
fn the_drawing_is_the_same_bytes_every_build() {
    let s = site("timeline");
    let first = tree(&s.build(&[]));
    std::fs::remove_dir_all(s.public()).unwrap();
    let second = tree(&s.build(&[]));
    assert!(first == second, "two builds differ");
}

#[test]
fn event_front_matter_errors_name_file_and_line() {
    let s = site("timeline");
    s.write(
        "content/notes/bad.md",
        "---\ntitle: Bad\nevents:\n  - date: soon\n    title: A\n  - title: B\n    date: \"2020\"\n    when: that year\n  - title: C\n    pending: true\n    date: \"2024\"\n  - title: D\n    around: \"2020\"\n  - {title: E, wen: later}\n  - title: F\n    anchor: Nowhere\n---\n\nSee [September](september.md).\n",
    );
    let r = s.cmd("build", &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    for (at, what) in [
        ("content/notes/bad.md:4:5", "date `soon` must be YYYY"),
        ("content/notes/bad.md:8:5", "both `date` and `when`"),
        ("content/notes/bad.md:11:5", "is pending and has a `date`"),
        ("content/notes/bad.md:13:5", "`around` without `when`"),
        ("content/notes/bad.md:14:16", "unknown key `wen`"),
    ] {
        assert!(r.stderr.contains(at), "{at} missing in:\n{}", r.stderr);
        assert!(r.stderr.contains(what), "{what} missing in:\n{}", r.stderr);
    }
    assert!(r.stderr.contains("did you mean `when`?"), "{}", r.stderr);
    // An anchor is checked once the note's headings are known (the others fixed first).
    s.write(
        "content/notes/bad.md",
        "---\ntitle: Bad\nevents:\n  - title: F\n    anchor: The meting\n---\n\nSee [September](september.md).\n\n## The meeting\n",
    );
    let r = s.cmd("build", &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("content/notes/bad.md:5:5"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("anchor `The meting` is not a heading"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("did you mean `the-meeting`?"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_small_drawing_snapshot() {
    let s = site("tiny");
    s.write(
        "content/other.md",
        "---\ntitle: Other note\nevents:\n  - {date: \"2019\", title: \"A summit is held\"}\n  - {date: \"2023-09-23\", title: \"Two leaders meet\", anchor: First heading}\n  - {when: \"earlier this month\", around: \"2023-09\", title: \"A minister travels\"}\n  - {title: \"A visit\", pending: true}\n---\n\n## First heading\n",
    );
    let out = s.build(&[]);
    let doc = drawing(&out);
    let svg = |css: &str| {
        let e: ElementRef<'_> = doc.select(&sel(css)).next().unwrap();
        e.html().replace("><", ">\n<")
    };
    insta::assert_snapshot!("timeline_full", svg("svg.timeline-full"));
    let home = page(&out, "index.html");
    let compact = home.select(&sel("svg.timeline-compact")).next().unwrap();
    insta::assert_snapshot!("timeline_compact", compact.html().replace("><", ">\n<"));
}

#[test]
fn editing_events_redraws_the_timeline_like_a_clean_build() {
    let s = site("timeline");
    // A page template that draws the compact timeline without reading `timeline`.
    s.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}{{ page.content }}{{ timeline_svg(compact=true) }}{% endblock content %}",
    );
    let mut live = Live::new(&s);
    let edit = |live: &mut Live, rel: &str, from: &str, to: &str| {
        let text = s.read(rel);
        assert!(text.contains(from), "{rel} lacks {from:?}");
        s.write(rel, text.replacen(from, to, 1));
        live.changed(rel).unwrap_or_else(|e| panic!("{e}"))
    };
    let r = edit(
        &mut live,
        "content/notes/early.md",
        "A second treaty follows",
        "A second treaty is signed",
    );
    assert!(
        r.written.contains(&"timeline/index.html".to_string()),
        "{:?}",
        r.written
    );
    live.assert_same_as_clean_build(&s, "event title");
    let r = edit(&mut live, "content/notes/early.md", "\"2000\"", "\"2005\"");
    // Every page draws the compact timeline, whose marks moved.
    assert!(
        r.written.contains(&"notes/next/index.html".to_string()),
        "{:?}",
        r.written
    );
    live.assert_same_as_clean_build(&s, "event date");
    edit(
        &mut live,
        "content/notes/next.md",
        "events:\n",
        "events:\n  - title: \"Another summit\"\n    pending: true\n",
    );
    live.assert_same_as_clean_build(&s, "pending event added");
    // The heading an event anchors to gets another id: the link follows it.
    edit(
        &mut live,
        "content/notes/september.md",
        "## The meeting",
        "## The meeting {#meeting}",
    );
    live.assert_same_as_clean_build(&s, "anchor moved");
    let doc = drawing(&live.dir);
    let anchored: BTreeMap<String, String> = links(&doc, "svg.timeline-full a.ts-event")
        .into_iter()
        .filter(|(h, _)| h.contains('#'))
        .map(|(h, t)| (t, h))
        .collect();
    assert_eq!(
        anchored.values().collect::<Vec<_>>(),
        ["../notes/september/#meeting"]
    );
}
