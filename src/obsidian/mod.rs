//! Obsidian's Markdown dialect: `%%comments%%`, callouts, `==highlights==`, inline `#tags` and
//! `$math$`. Comments are blanked out of a note's text when it is loaded (`comments`); the rest
//! is an adapter (`Dialect`) between pulldown-cmark's parser and `markdown`'s event stream.

pub mod comments;
