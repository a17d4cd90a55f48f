//! `--url`: one GET for a published key set or key, over HTTP or HTTPS (rustls with the Mozilla
//! root store; proxies from the usual environment variables).

use std::time::Duration;

/// Largest accepted response: published key sets are a few KiB.
const MAX_BODY: u64 = 1 << 20;

/// Fetches `url` and returns the body of a 2xx response.
///
/// # Errors
/// A one-line reason: bad URL, network failure, non-2xx status, oversized body.
pub(crate) fn get(url: &str) -> Result<Vec<u8>, String> {
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err("only http:// and https:// URLs are fetched".into());
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(30)))
        .max_redirects(5)
        .http_status_as_error(true)
        .build()
        .into();
    let mut response = agent.get(url).call().map_err(|e| match e {
        ureq::Error::StatusCode(code) => format!("HTTP status {code}"),
        other => other.to_string(),
    })?;
    response
        .body_mut()
        .with_config()
        .limit(MAX_BODY)
        .read_to_vec()
        .map_err(|e| match e {
            ureq::Error::BodyExceedsLimit(_) => {
                format!("response larger than {} KiB", MAX_BODY >> 10)
            }
            other => other.to_string(),
        })
}
