//! Percent-decoding of request paths into `SCRIPT_NAME`/`PATH_INFO` (lossy UTF-8; the rules
//! are in `Environ::path_info`'s docs).
//!
//! Kept here, not taken from a crate, because gateway-core depends on nothing but `bytes`,
//! `futures-core` and `http`.

use std::borrow::Cow;

/// Decodes `%XX` escapes; borrows when there is nothing to decode.
pub(crate) fn decode(raw: &str) -> Cow<'_, str> {
    if !raw.as_bytes().contains(&b'%') {
        return Cow::Borrowed(raw);
    }
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&hi), Some(&lo)) => hex(hi).zip(hex(lo)).map(|(h, l)| h << 4 | l),
            _ => None,
        };
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

fn hex(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

/// Latin-1 view of header bytes (PEP 3333): ASCII borrows, other bytes map one to one.
pub(crate) fn latin1(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(ascii) if ascii.is_ascii() => Cow::Borrowed(ascii),
        _ => Cow::Owned(bytes.iter().map(|&b| char::from(b)).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_paths_are_borrowed() {
        assert!(matches!(decode("/a/b"), Cow::Borrowed("/a/b")));
    }

    #[test]
    fn escapes_decode_and_invalid_ones_stay() {
        assert_eq!(decode("/a%2Fb/%zz/%/%4"), "/a/b/%zz/%/%4");
        assert_eq!(decode("/caf%C3%A9"), "/café");
        assert_eq!(decode("/a+b"), "/a+b");
    }

    #[test]
    fn invalid_utf8_becomes_replacement_character() {
        assert_eq!(decode("/%ff"), "/\u{fffd}");
    }

    #[test]
    fn latin1_maps_high_bytes_to_code_points() {
        assert_eq!(latin1(b"caf\xe9"), "café");
        assert!(matches!(latin1(b"plain"), Cow::Borrowed("plain")));
    }
}
