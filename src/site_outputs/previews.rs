//! Link-preview data: `previews.js` and its shards (`previews/<n>.js`), of which a rebuild writes
//! only those holding an entry that changed.

use super::{EmitBytes, Scope, Site, SiteChange, SiteOutput};
use crate::diagnostics::Diagnostic;
use crate::previews;
use crate::templates::Templates;

/// The link-preview script and data.
pub struct Previews;

impl SiteOutput for Previews {
    fn name(&self) -> &'static str {
        "link previews"
    }

    fn affected(&self, _: &SiteChange, _: &Templates) -> bool {
        false
    }

    fn render(&self, site: &Site<'_>, scope: Scope<'_>, emit: &EmitBytes<'_>) -> Vec<Diagnostic> {
        let notes = &site.content.notes;
        let whole = scope.whole(self);
        // The shards to write: all of them, or those holding an entry that changed.
        let only = scope.parts().filter(|_| !whole).map(|p| &p.previews);
        if !site.settings.config.previews || only.is_some_and(|s| s.is_empty()) {
            return Vec::new();
        }
        let mut errors = Vec::new();
        for (n, script) in previews::shard_scripts(notes, site.previews, only) {
            let path = previews::shard_path(n);
            errors.extend(emit(path, Ok(script.into_bytes())).err());
        }
        if whole {
            let script = previews::script(previews::shards(notes.len()));
            errors.extend(emit("previews.js".into(), Ok(script.into_bytes())).err());
        }
        errors
    }
}
