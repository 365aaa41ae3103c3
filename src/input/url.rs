//! Inputs named by URL: `file:///var/log/app.log` (or `file://localhost/...`) is that
//! local path, percent-decoded, so the same paths work locally and in a cluster's
//! configuration. `s3://` is left to `input::object`; any other `SCHEME://` (`gs://`,
//! `https://`) is refused in one line. A path that exists as written is always that
//! path, however it is spelled.

use std::path::{Path, PathBuf};

use crate::error::Error;

/// The local path `path` names: `Some` for a `file://` URL, `None` for an ordinary
/// path (or one that exists as written); an error for a URL that is not a local file.
pub fn local_path(path: &Path) -> Result<Option<PathBuf>, Error> {
    let Some(text) = path.to_str() else {
        return Ok(None);
    };
    let Some((scheme, _)) = text.split_once("://") else {
        return Ok(None);
    };
    let is_scheme = scheme.len() > 1
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !is_scheme || std::fs::symlink_metadata(path).is_ok() || scheme.eq_ignore_ascii_case("s3") {
        return Ok(None);
    }
    if !scheme.eq_ignore_ascii_case("file") {
        return Err(Error::new(
            text,
            format!(
                "{scheme}:// inputs are not read (only local paths, file:// and s3:// URLs are)"
            ),
        ));
    }
    let bad = |why: &str| Error::new(text, format!("not a local file URL: {why}"));
    let url = url::Url::parse(text).map_err(|e| bad(&e.to_string()))?;
    match url.host_str() {
        None | Some("") | Some("localhost") => {}
        Some(host) => return Err(bad(&format!("host {host} is not this machine"))),
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("it has a query or fragment"));
    }
    url.to_file_path()
        .map(Some)
        .map_err(|()| bad("no path in it"))
}

#[cfg(test)]
mod tests {
    use super::local_path;
    use std::path::{Path, PathBuf};

    fn local(s: &str) -> Result<Option<PathBuf>, String> {
        local_path(Path::new(s)).map_err(|e| e.to_string())
    }

    #[test]
    fn file_urls_are_local_paths_and_other_schemes_are_refused() {
        assert_eq!(local("/var/log/app.log"), Ok(None));
        assert_eq!(local("app.log"), Ok(None));
        assert_eq!(
            local("file:///var/log/app.log"),
            Ok(Some(PathBuf::from("/var/log/app.log")))
        );
        assert_eq!(
            local("FILE://localhost/var/log/my%20app.log"),
            Ok(Some(PathBuf::from("/var/log/my app.log")))
        );
        assert_eq!(
            local("file:///tmp/%C3%A9t%C3%A9.log"),
            Ok(Some(PathBuf::from("/tmp/été.log")))
        );
        let host = local("file://server/var/log/app.log").unwrap_err();
        assert!(host.contains("host server is not this machine"), "{host}");
        let query = local("file:///a.log?x=1").unwrap_err();
        assert!(query.contains("query or fragment"), "{query}");
        // An object store's URL is `input::object`'s, not a local path.
        assert_eq!(local("s3://bucket/logs/app.log"), Ok(None));
        let gs = local("gs://bucket/logs/app.log").unwrap_err();
        assert!(
            gs.starts_with("gs://bucket/logs/app.log: gs:// inputs are not read"),
            "{gs}"
        );
        // Not a scheme: a drive-like or odd prefix stays a path.
        assert_eq!(local("1x://a"), Ok(None));
        assert_eq!(local("a b://c"), Ok(None));
    }
}
