//! Timeline events in front matter: dated ones, ones the article dates only in words (shown as
//! written, never with an invented date), undated ones and pending next steps.

use super::date::SiteDate;
use crate::diagnostics::Diagnostic;
use crate::yaml::{YamlDoc, scalar_text};
use serde_yaml::{Mapping, Value};

/// The keys an event accepts.
pub const EVENT_KEYS: &[&str] = &["date", "when", "around", "title", "pending", "anchor"];

/// One event of the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// What happened (or is to come), one sentence.
    pub title: String,
    /// When, as far as the source says.
    pub time: EventTime,
    /// A next step the source names but that has not happened (`pending: true`): drawn after
    /// the dated events, undated.
    pub pending: bool,
    /// The heading or block of the note that tells of it (`anchor:` as written: an id, a
    /// heading's text or `^block`), if any.
    pub anchor: Option<String>,
}

/// When an event happened, as the source gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventTime {
    /// `date`: a date (possibly only year or month), shown as a date.
    Date(SiteDate),
    /// `when`: the source's own words ("earlier this month"), shown exactly as written. `around`
    /// places the event on the axis near a date without showing that date; without it, the
    /// event is drawn after the dated ones.
    Words {
        /// The words, as written.
        words: String,
        /// Where to draw it, never shown as its date.
        around: Option<SiteDate>,
    },
    /// Neither: drawn after the dated events.
    Undated,
}

impl Event {
    /// Where the event sits on a timeline's axis: its date or its `around` date. `None` for
    /// undated and pending events, which come after the axis.
    pub fn placed_at(&self) -> Option<SiteDate> {
        match &self.time {
            EventTime::Date(d) => Some(*d),
            EventTime::Words { around, .. } => *around,
            EventTime::Undated => None,
        }
    }

    /// Its date, if the source gives one (never an `around` date).
    pub fn date(&self) -> Option<SiteDate> {
        match &self.time {
            EventTime::Date(d) => Some(*d),
            _ => None,
        }
    }

    /// The source's words for when it happened, if that is how it is dated.
    pub fn words(&self) -> Option<&str> {
        match &self.time {
            EventTime::Words { words, .. } => Some(words),
            _ => None,
        }
    }

    /// What a reader is shown for when it happened: the date written out (`23 September
    /// 2023`), the source's words as written, or nothing.
    pub fn when_shown(&self) -> String {
        match &self.time {
            EventTime::Date(d) => d.display(),
            EventTime::Words { words, .. } => words.clone(),
            EventTime::Undated => String::new(),
        }
    }

    /// The order of a timeline: 0 on the axis, 1 undated, 2 pending.
    pub fn group(&self) -> u8 {
        if self.pending {
            2
        } else if self.placed_at().is_some() {
            0
        } else {
            1
        }
    }
}

/// Reads `events:`, reporting each problem at the item (or its key) it is about.
pub(super) fn events(doc: &YamlDoc<'_>, map: &Mapping, diags: &mut Vec<Diagnostic>) -> Vec<Event> {
    let help = "write events as a list: `- {date: \"2023-09-23\", title: \"What happened\"}`";
    let items = match map.get("events") {
        None | Some(Value::Null) => return Vec::new(),
        Some(Value::Sequence(items)) => items,
        Some(other) => {
            diags.push(
                doc.type_error("events", "a list of {date, title}", other)
                    .with_help(help),
            );
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let Some(m) = item.as_mapping() else {
            diags.push(
                doc.item_error(
                    "events",
                    i,
                    None,
                    format!("event {} must be a mapping with `date` and `title`", i + 1),
                )
                .with_help(help),
            );
            continue;
        };
        if let Some(e) = event(doc, i, m, diags) {
            out.push(e);
        }
    }
    out
}

/// One event: `None` (with diagnostics) if it cannot be read.
fn event(doc: &YamlDoc<'_>, i: usize, m: &Mapping, diags: &mut Vec<Diagnostic>) -> Option<Event> {
    let n = i + 1;
    let before = diags.len();
    let at = |field: &str, message: String| doc.item_error("events", i, Some(field), message);
    for k in m.keys() {
        let name = scalar_text(k).unwrap_or_default();
        if !EVENT_KEYS.contains(&name.as_str()) {
            let help = match crate::diagnostics::did_you_mean(&name, EVENT_KEYS.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("events take {}", keys_list()),
            };
            diags.push(at(&name, format!("event {n} has an unknown key `{name}`")).with_help(help));
        }
    }
    let text = |key: &str, diags: &mut Vec<Diagnostic>| -> Option<String> {
        match m.get(key) {
            None | Some(Value::Null) => None,
            Some(v) => match scalar_text(v) {
                Some(s) if s.trim().is_empty() => None,
                Some(s) => Some(s),
                None => {
                    diags.push(at(
                        key,
                        format!(
                            "event {n}: `{key}` must be text, found {}",
                            crate::yaml::kind(v)
                        ),
                    ));
                    None
                }
            },
        }
    };
    let date_of = |key: &str, diags: &mut Vec<Diagnostic>| -> Option<SiteDate> {
        let written = text(key, diags)?;
        let d = SiteDate::parse_with_time(&written);
        if d.is_none() {
            diags.push(
                at(
                    key,
                    format!("event {n}: {key} `{written}` must be YYYY, YYYY-MM or YYYY-MM-DD"),
                )
                .with_help(
                    "quote it (`\"2023-09\"`); for a time the source gives in words, use `when`",
                ),
            );
        }
        d
    };
    let title = text("title", diags);
    let date = date_of("date", diags);
    let around = date_of("around", diags);
    let words = text("when", diags);
    let anchor = text("anchor", diags).map(|a| a.trim().trim_start_matches('#').to_string());
    let pending = match m.get("pending") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(v) => {
            diags.push(at(
                "pending",
                format!(
                    "event {n}: `pending` must be `true` or `false`, found {}",
                    crate::yaml::kind(v)
                ),
            ));
            false
        }
    };
    if title.is_none() {
        diags.push(doc.item_error("events", i, None, format!("event {n} has no `title`")));
    }
    if m.contains_key("date") && m.contains_key("when") {
        diags.push(
            at("when", format!("event {n} has both `date` and `when`")).with_help(
                "`date` is shown as a date, `when` as the source words it: keep one; to place an \
                 event dated in words, add `around: \"YYYY-MM\"` to `when`",
            ),
        );
    } else if m.contains_key("around") && !m.contains_key("when") {
        diags.push(
            at("around", format!("event {n} has `around` without `when`")).with_help(
                "`around` only places an event whose time is given in words (`when`); a date to \
                 show is `date`",
            ),
        );
    }
    if pending && (m.contains_key("date") || m.contains_key("around")) {
        let key = if m.contains_key("date") {
            "date"
        } else {
            "around"
        };
        diags.push(
            at(key, format!("event {n} is pending and has a `{key}`")).with_help(
                "a pending event is drawn after the dated ones, undated: give the source's words \
                 for when it may happen in `when`, or drop `pending`",
            ),
        );
    }
    if diags.len() > before {
        return None;
    }
    let time = match (date, words) {
        (Some(d), _) => EventTime::Date(d),
        (None, Some(words)) => EventTime::Words { words, around },
        (None, None) => EventTime::Undated,
    };
    Some(Event {
        title: title?,
        time,
        pending,
        anchor: anchor.filter(|a| !a.is_empty()),
    })
}

fn keys_list() -> String {
    EVENT_KEYS
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The events of a front matter, or the line and message of each problem.
    fn read(yaml: &str) -> Result<Vec<Event>, Vec<(usize, String)>> {
        let text = format!("---\n{yaml}---\n");
        let doc = YamlDoc {
            path: "n.md",
            text: &text,
            start: 4,
            len: yaml.len(),
        };
        let map = doc.parse_mapping("front matter").unwrap();
        let mut diags = Vec::new();
        let out = events(&doc, &map, &mut diags);
        if diags.is_empty() {
            Ok(out)
        } else {
            Err(diags.into_iter().map(|d| (d.line, d.message)).collect())
        }
    }

    #[test]
    fn loose_undated_and_pending_events() {
        let e = read(
            "events:\n  - {date: \"2014-07\", title: A}\n  - when: earlier this month\n    around: \"2023-09\"\n    title: B\n  - {when: in recent years, title: C}\n  - {title: D, pending: true, anchor: \"#next\"}\n  - {title: E}\n",
        )
        .unwrap();
        assert_eq!(e[0].when_shown(), "July 2014");
        assert_eq!(e[1].when_shown(), "earlier this month");
        assert_eq!(
            e[1].date(),
            None,
            "an `around` date is never the event's date"
        );
        assert_eq!(e[1].placed_at(), SiteDate::parse("2023-09"));
        assert_eq!((e[2].placed_at(), e[2].group()), (None, 1));
        assert_eq!((e[3].group(), e[3].anchor.as_deref()), (2, Some("next")));
        assert_eq!((e[4].time.clone(), e[4].group()), (EventTime::Undated, 1));
    }

    #[test]
    fn problems_are_reported_at_their_item() {
        let errs = read(
            "title: x\nevents:\n  - title: A\n    date: soon\n  - title: B\n    date: \"2020\"\n    when: that year\n  - title: C\n    around: \"2020\"\n  - title: D\n    pending: yes please\n  - title: E\n    pending: true\n    date: \"2024\"\n  - date: \"2020\"\n  - {title: F, wen: later}\n",
        )
        .unwrap_err();
        let lines: Vec<usize> = errs.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [5, 8, 10, 12, 15, 16, 17], "{errs:?}");
        assert!(errs[0].1.contains("`soon` must be YYYY"), "{errs:?}");
        assert!(errs[1].1.contains("both `date` and `when`"), "{errs:?}");
        assert!(errs[4].1.contains("is pending"), "{errs:?}");
        assert!(errs[5].1.contains("has no `title`"), "{errs:?}");
        assert!(errs[6].1.contains("unknown key `wen`"), "{errs:?}");
    }
}
