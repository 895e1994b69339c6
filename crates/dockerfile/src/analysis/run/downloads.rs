//! Download commands (`curl`, `wget`, `fetch`) and the URL each fetches: read by the rule on
//! piping a download into a shell (DF030), the one on using both curl and wget, and the
//! verification analysis (a download checked against a checksum).

use crate::analysis::run::commands::Cmd;

/// Commands that fetch a URL.
pub fn is_downloader(name: &str) -> bool {
    matches!(name, "curl" | "wget" | "fetch")
}

/// The URL a download command fetches (first argument containing `://`, else the first
/// operand-looking argument).
pub fn url_of(c: &Cmd<'_>) -> Option<String> {
    let args = c.args();
    args.iter()
        .find(|w| w.text.contains("://"))
        .or_else(|| args.iter().rev().find(|w| !w.text.starts_with('-')))
        .map(|w| w.text.clone())
}
