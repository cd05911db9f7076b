//! The access log (its format is in [`Serve::access_log`](super::Serve::access_log)'s docs):
//! the line is written when the response body ends or is dropped, so it has the number of
//! body bytes sent.

use std::io::Write;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http::{Method, StatusCode, Uri, Version};
use http_body::{Body as HttpBody, Frame, SizeHint};

use super::state::ConnectionState;

/// What is known of a request when it arrives; completed by the status and byte count.
#[derive(Debug)]
pub(crate) struct LogLine {
    /// Everything up to the status: host, identity, time and request line.
    prefix: String,
}

impl LogLine {
    pub(crate) fn new(remote: std::net::IpAddr, method: &Method, uri: &Uri, version: Version) -> Self {
        let target = match (uri.scheme(), uri.path_and_query()) {
            (None, Some(target)) => target.as_str().to_owned(),
            _ => uri.to_string(),
        };
        let target = escaped(&target);
        let prefix = format!("{remote} - - [{}] \"{method} {target} {version:?}\"", clf_time(SystemTime::now()));
        Self { prefix }
    }

    fn write(&self, status: StatusCode, bytes: u64) {
        let mut line = String::with_capacity(self.prefix.len() + 16);
        line.push_str(&self.prefix);
        line.push(' ');
        line.push_str(status.as_str());
        line.push(' ');
        if bytes == 0 {
            line.push('-');
        } else {
            line.push_str(&bytes.to_string());
        }
        line.push('\n');
        // One write call per line, so lines of concurrent requests do not interleave.
        let _ = std::io::stderr().lock().write_all(line.as_bytes());
    }
}

/// The target as the log shows it: `"`, `\` and bytes outside printable ASCII as `\xHH`
/// (as nginx writes them), so a target cannot end the quoted field or forge a line.
fn escaped(target: &str) -> std::borrow::Cow<'_, str> {
    let plain = |byte: u8| (0x20..0x7f).contains(&byte) && byte != b'"' && byte != b'\\';
    if target.bytes().all(plain) {
        return std::borrow::Cow::Borrowed(target);
    }
    let mut out = String::with_capacity(target.len() + 8);
    for byte in target.bytes() {
        if plain(byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("\\x{byte:02X}"));
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Formats a time as CLF's `24/Nov/2026:01:59:33 +0000` (UTC).
pub(crate) fn clf_time(time: SystemTime) -> String {
    let seconds = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (days, rest) = (seconds / 86_400, seconds % 86_400);
    let (year, month, day) = civil_from_days(days);
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    format!(
        "{day:02}/{}/{year}:{:02}:{:02}:{:02} +0000",
        MONTHS[(month - 1) as usize],
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// Days since 1970-01-01 to (year, month, day), after Howard Hinnant's `civil_from_days`.
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

pin_project_lite::pin_project! {
    /// A response body that writes the access-log line when it ends, and tells the
    /// connection's state (its phase, and a serve-once server) that the response is sent.
    #[project = LoggedBodyProj]
    pub(crate) struct LoggedBody<B> {
        #[pin]
        inner: B,
        status: StatusCode,
        sent: u64,
        line: Option<LogLine>,
        state: Arc<ConnectionState>,
        finished: bool,
    }

    impl<B> PinnedDrop for LoggedBody<B> {
        fn drop(this: Pin<&mut Self>) {
            this.project().finish();
        }
    }
}

impl<B> LoggedBody<B> {
    pub(crate) fn new(inner: B, status: StatusCode, line: Option<LogLine>, state: Arc<ConnectionState>) -> Self {
        Self { inner, status, sent: 0, line, state, finished: false }
    }
}

impl<B> LoggedBodyProj<'_, B> {
    fn finish(&mut self) {
        if std::mem::replace(self.finished, true) {
            return;
        }
        if let Some(line) = self.line.take() {
            line.write(*self.status, *self.sent);
        }
        self.state.response_sent();
    }
}

impl<B> HttpBody for LoggedBody<B>
where
    B: HttpBody<Data = Bytes>,
{
    type Data = Bytes;
    type Error = B::Error;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, B::Error>>> {
        let mut this = self.project();
        let next = this.inner.as_mut().poll_frame(cx);
        match &next {
            Poll::Ready(Some(Ok(frame))) => {
                *this.sent += frame.data_ref().map_or(0, |data| data.len() as u64);
                if this.inner.is_end_stream() {
                    this.finish();
                }
            }
            Poll::Ready(None | Some(Err(_))) => this.finish(),
            Poll::Pending => {}
        }
        next
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn clf_time_matches_the_design_example() {
        // 2026-11-24T01:59:33Z
        let time = UNIX_EPOCH + Duration::from_secs(1_795_485_573);
        assert_eq!(clf_time(time), "24/Nov/2026:01:59:33 +0000");
    }

    #[test]
    fn quotes_backslashes_and_other_bytes_are_escaped() {
        assert_eq!(escaped("/a?b=1"), "/a?b=1");
        assert_eq!(escaped("/a\"b\"-\"x"), "/a\\x22b\\x22-\\x22x");
        assert_eq!(escaped("/a\\b"), "/a\\x5Cb");
        assert_eq!(escaped("/caf\u{e9}\n"), "/caf\\xC3\\xA9\\x0A");
    }

    #[test]
    fn leap_day_and_epoch() {
        assert_eq!(clf_time(UNIX_EPOCH), "01/Jan/1970:00:00:00 +0000");
        // 2024-02-29T23:59:59Z
        assert_eq!(clf_time(UNIX_EPOCH + Duration::from_secs(1_709_251_199)), "29/Feb/2024:23:59:59 +0000");
    }
}
