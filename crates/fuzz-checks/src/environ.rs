//! The request head as the environ reads it, and the path's percent decoding.

use gateway_core::{Environ, Input};
use http::request::Parts;

use crate::runtime::first_line;

/// A request head from `data`: the method on the first line, the target on the second,
/// then `name: value` header lines. `None` when `http` refuses any of them (hyper would
/// have refused it on the wire).
fn head(data: &[u8]) -> Option<Parts> {
    let (method, rest) = first_line(data);
    let (target, mut rest) = first_line(rest);
    let mut request = http::Request::builder().method(method).uri(target);
    while !rest.is_empty() {
        let (line, next) = first_line(rest);
        rest = next;
        let colon = line.iter().position(|&byte| byte == b':')?;
        let value = line[colon + 1..].strip_prefix(b" ").unwrap_or(&line[colon + 1..]);
        request = request.header(&line[..colon], value);
    }
    Some(request.body(()).ok()?.into_parts().0)
}

/// Every key of the environ of an arbitrary request head reads without a panic, and
/// `get` answers what `iter` lists.
///
/// # Panics
/// When an invariant breaks.
///
/// # Examples
/// ```
/// fuzz_checks::environ(b"GET\n/caf%C3%A9?x=1\nhost: [::1]:80\ncookie: a=1\ncookie: b=2");
/// ```
pub fn check_environ(data: &[u8]) {
    let Some(parts) = head(data) else { return };
    let environ = Environ::new(parts, Input::empty());
    for (key, value) in environ.iter() {
        if key != "gateway.input" {
            assert_eq!(environ.get(&key).as_deref(), Some(&*value), "{key}");
        }
    }
    let _ = (environ.server_name(), environ.server_port(), environ.raw_uri(), environ.content_length());
}

/// `PATH_INFO` decoding and `shift_path` on an arbitrary target: the first byte picks how
/// many segments to shift (or a prefix of its own, from the second line).
///
/// # Panics
/// When an invariant breaks.
///
/// # Examples
/// ```
/// fuzz_checks::path(b"\x01/blog%2Fx/%E2%82%AC/%ff");
/// fuzz_checks::path(b"\xff/legacy\n/leg");
/// ```
pub fn check_path(data: &[u8]) {
    let Some((&choice, rest)) = data.split_first() else { return };
    let (target, prefix) = first_line(rest);
    let Ok(uri) = http::Uri::try_from(target) else { return };
    let Ok(request) = http::Request::get(uri).body(()) else { return };
    let mut environ = Environ::new(request.into_parts().0, Input::empty());
    let raw = environ.raw_path_info().to_owned();
    let prefix = match choice {
        0xff => String::from_utf8_lossy(prefix).into_owned(),
        segments => raw
            .split_inclusive('/')
            .take(usize::from(segments % 4) + 1)
            .collect::<String>()
            .trim_end_matches('/')
            .to_owned(),
    };
    let whole = environ.path_info().into_owned();
    if environ.shift_path(&prefix) {
        // A trailing `/` of the prefix does not move (`/` is the root: nothing moves).
        let moved = prefix.strip_suffix('/').unwrap_or(&prefix);
        assert_eq!(environ.raw_script_name(), moved, "the raw prefix moves whole");
        assert_eq!(format!("{}{}", environ.raw_script_name(), environ.raw_path_info()), raw);
        assert!(environ.raw_path_info().is_empty() || environ.raw_path_info().starts_with('/'), "{raw} at {prefix}");
        assert_eq!(
            format!("{}{}", environ.script_name(), environ.path_info()),
            whole,
            "decoding commutes with the split"
        );
    } else {
        assert_eq!(
            (environ.raw_script_name(), environ.raw_path_info()),
            ("", raw.as_str()),
            "a refused shift changes nothing"
        );
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_head_reads(method in "[A-Z]{1,8}", path in "/[ -~]{0,40}", host in "[ -~]{0,20}", cookie in "[ -~]{0,40}") {
            super::check_environ(format!("{method}\n{path}\nhost: {host}\ncookie: {cookie}").as_bytes());
        }

        #[test]
        fn any_path_shifts_consistently(choice in any::<u8>(), segments in proptest::collection::vec("[a-z%2FEe0-9.]{0,6}", 0..6)) {
            let mut data = vec![choice];
            data.extend(format!("/{}", segments.join("/")).bytes());
            super::check_path(&data);
        }
    }
}
