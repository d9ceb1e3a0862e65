//! explainer: a static site generator for linked explainer notes.
//!
//! Data flows one way: `content` loads notes, `markdown` renders each one with a `links`
//! resolver, `graph` relates them, `context` + `templates` render pages, `output` writes them.
//! `pipeline` runs those phases; `cmd` holds the commands the binary calls.

// Diagnostics are large but travel only on the error path; boxing them would only add noise.
#![allow(clippy::result_large_err)]

pub mod bytescan;
pub mod cards;
pub mod cli;
pub mod cmd;
pub mod code;
pub mod config;
pub mod content;
pub mod context;
pub mod diagnostics;
pub mod diagram;
pub mod embeds;
pub mod error;
pub mod escape;
pub mod feeds;
pub mod graph;
pub mod images;
pub mod incremental;
pub mod json;
pub mod links;
pub mod markdown;
pub mod notemap;
pub mod obsidian;
pub mod outline;
pub mod output;
pub mod paginate;
pub mod pipeline;
pub mod previews;
pub mod quotes;
pub mod search;
pub mod selection;
pub mod serve;
pub mod site_outputs;
pub mod sitegraph;
pub mod suggest;
pub mod template_names;
pub mod templates;
pub mod timeline;
pub mod timings;
pub mod yaml;
pub mod yaml_fast;
