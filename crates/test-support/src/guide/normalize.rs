//! What may differ between a chapter's output and a real run, and is made the same.
//!
//! - `\r` is dropped (curl prints the head's CRLFs);
//! - the values of `Date`, `Last-Modified`, `ETag` and `X-Elapsed` headers, and of the
//!   environ's `REMOTE_PORT` and `SERVER_PORT`, become `<…>`;
//! - the value of a `Set-Cookie` (an encrypted session is new each run) becomes `<value>`,
//!   its name and attributes kept;
//! - `curl/VERSION` (the `User-Agent`) becomes `curl/<version>`;
//! - timestamps (`2026-12-02T00:31:00`, with fractions or a zone after it, and the access
//!   log's `02/Dec/2026:00:31:00 +0000`) become `<time>`;
//! - when any of these changed a response's body, its `Content-Length` becomes `<length>`.
//!
//! The port of the address (`127.0.0.1:8051` in the chapter) is replaced before this, by
//! [`check`](super::check).

/// Header values that differ from run to run.
const VARYING_HEADERS: [&str; 4] = ["date", "last-modified", "etag", "x-elapsed"];
/// Environ keys whose values differ from run to run.
const VARYING_KEYS: [&str; 2] = ["REMOTE_PORT", "SERVER_PORT"];

/// `text` with what varies between runs made the same.
///
/// # Examples
/// ```
/// use test_support::guide::normalize;
/// let run = "HTTP/1.1 200 OK\r\ndate: Wed, 02 Dec 2026 01:00:00 GMT\r\ncontent-length: 5\r\n\r\nhello";
/// assert_eq!(normalize(run), "HTTP/1.1 200 OK\ndate: <date>\ncontent-length: 5\n\nhello");
/// assert_eq!(normalize("HTTP_USER_AGENT: curl/7.88.1"), "HTTP_USER_AGENT: curl/<version>");
/// ```
pub fn normalize(text: &str) -> String {
    let text = text.replace('\r', "");
    let (head, body) = match text.split_once("\n\n") {
        Some((head, body)) if head.starts_with("HTTP/") => (Some(head), body),
        _ => (None, text.as_str()),
    };
    let normal_body = lines(body);
    let Some(head) = head else {
        return normal_body;
    };
    let body_changed = normal_body != body;
    let head: Vec<String> = head
        .lines()
        .map(|line| match line.split_once(':') {
            Some((name, _)) if body_changed && name.eq_ignore_ascii_case("content-length") => {
                format!("{name}: <length>")
            }
            _ => line_of(line),
        })
        .collect();
    format!("{}\n\n{normal_body}", head.join("\n"))
}

/// Each line of `text` normalized, line ends kept.
fn lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for piece in text.split_inclusive('\n') {
        let (line, end) = piece.strip_suffix('\n').map_or((piece, ""), |line| (line, "\n"));
        out.push_str(&line_of(line));
        out.push_str(end);
    }
    out
}

/// One line normalized.
fn line_of(line: &str) -> String {
    if let Some((name, _)) = line.split_once(": ") {
        let header = name.to_ascii_lowercase();
        if VARYING_HEADERS.contains(&header.as_str()) {
            return format!("{name}: <{header}>");
        }
        if header == "set-cookie" {
            let (cookie, attributes) = line[name.len() + 2..].split_once(';').unwrap_or((&line[name.len() + 2..], ""));
            let cookie_name = cookie.split_once('=').map_or(cookie, |(cookie_name, _)| cookie_name);
            let rest = if attributes.is_empty() { String::new() } else { format!(";{attributes}") };
            return format!("{name}: {cookie_name}=<value>{rest}");
        }
        if VARYING_KEYS.contains(&name) {
            return format!("{name}: <{}>", name.to_ascii_lowercase().replace('_', "-"));
        }
    }
    let line = curl_version(line);
    let line = replace_pattern(&line, "dddd-dd-ddTdd:dd:dd", true);
    replace_pattern(&line, "dd/Mmm/dddd:dd:dd:dd +dddd", false)
}

/// `curl/7.88.1` → `curl/<version>`.
fn curl_version(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(at) = rest.find("curl/") {
        let after = &rest[at + 5..];
        let version_len = after.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(after.len());
        out.push_str(&rest[..at]);
        if version_len == 0 {
            out.push_str("curl/");
        } else {
            out.push_str("curl/<version>");
        }
        rest = &after[version_len..];
    }
    out.push_str(rest);
    out
}

/// Every match of `pattern` (`d` a digit, `M` an upper-case letter, `m` a lower-case one,
/// anything else itself) replaced by `<time>`; with `tail`, also the fraction and zone that
/// follow (`.123456Z`, `+00:00`).
fn replace_pattern(line: &str, pattern: &str, tail: bool) -> String {
    let (bytes, want) = (line.as_bytes(), pattern.as_bytes());
    let fits = |at: usize| {
        at + want.len() <= bytes.len()
            && want.iter().zip(&bytes[at..]).all(|(&p, &b)| match p {
                b'd' => b.is_ascii_digit(),
                b'M' => b.is_ascii_uppercase(),
                b'm' => b.is_ascii_lowercase(),
                _ => p == b,
            })
    };
    let mut out = String::with_capacity(line.len());
    let mut at = 0;
    while at < bytes.len() {
        if fits(at) {
            out.push_str("<time>");
            at += want.len();
            while tail && at < bytes.len() && (bytes[at].is_ascii_digit() || b".+-:Z".contains(&bytes[at])) {
                at += 1;
            }
        } else {
            let step = line[at..].chars().next().map_or(1, char::len_utf8);
            out.push_str(&line[at..at + step]);
            at += step;
        }
    }
    out
}
