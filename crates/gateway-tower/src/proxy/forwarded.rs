//! RFC 7239 `Forwarded`, parsed (the syntax accepted is in
//! [`ProxyHeaders`](super::ProxyHeaders)'s docs): `None` on any syntax error.

/// One element's pairs, names lower-cased, values unquoted.
pub(super) type Element = Vec<(String, String)>;

/// The elements of every `Forwarded` line, left to right; `None` on a syntax error.
pub(super) fn parse<'a>(lines: impl Iterator<Item = &'a str>) -> Option<Vec<Element>> {
    let mut elements = Vec::new();
    for line in lines {
        parse_line(line, &mut elements)?;
    }
    Some(elements)
}

fn parse_line(line: &str, elements: &mut Vec<Element>) -> Option<()> {
    let mut chars = line.chars().peekable();
    let mut element = Element::new();
    loop {
        skip_spaces(&mut chars);
        match chars.peek() {
            None => break,
            Some(',') => {
                chars.next();
                elements.push(std::mem::take(&mut element));
                continue;
            }
            Some(';') => {
                chars.next();
                continue;
            }
            Some(_) => {}
        }
        let name = token(&mut chars)?;
        skip_spaces(&mut chars);
        if chars.next() != Some('=') {
            return None;
        }
        skip_spaces(&mut chars);
        let value = match chars.peek() {
            Some('"') => quoted(&mut chars)?,
            _ => token(&mut chars)?,
        };
        element.push((name.to_ascii_lowercase(), value));
        skip_spaces(&mut chars);
        match chars.peek() {
            None | Some(',') | Some(';') => {}
            Some(_) => return None,
        }
    }
    elements.push(element);
    Some(())
}

fn skip_spaces(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while chars.peek().is_some_and(|c| *c == ' ' || *c == '\t') {
        chars.next();
    }
}

/// An RFC 9110 token: at least one of its characters.
fn token(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Option<String> {
    let mut text = String::new();
    while let Some(&c) = chars.peek() {
        if c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~:[]".contains(c) {
            text.push(c);
            chars.next();
        } else {
            break;
        }
    }
    (!text.is_empty()).then_some(text)
}

/// A quoted string, its `\` escapes undone.
fn quoted(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Option<String> {
    chars.next(); // the opening quote
    let mut text = String::new();
    loop {
        match chars.next()? {
            '"' => return Some(text),
            '\\' => text.push(chars.next()?),
            c if c.is_control() => return None,
            c => text.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse;

    fn pairs(header: &str) -> Option<Vec<Vec<(String, String)>>> {
        parse(std::iter::once(header))
    }

    #[test]
    fn elements_pairs_and_quoted_values() {
        let parsed = pairs(r#"for=192.0.2.60;proto=http;by=203.0.113.43, For="[2001:db8:cafe::17]:4711""#).unwrap();
        assert_eq!(parsed.len(), 2);
        assert_eq!(parsed[0][0], ("for".into(), "192.0.2.60".into()));
        assert_eq!(parsed[0][1], ("proto".into(), "http".into()));
        assert_eq!(parsed[1][0], ("for".into(), "[2001:db8:cafe::17]:4711".into()));
        let quoted = pairs(r#"for="a,b;c\"d""#).unwrap();
        assert_eq!(quoted[0][0].1, "a,b;c\"d", "commas and semicolons inside quotes do not split");
        assert_eq!(parse(["for=1.1.1.1", "for=2.2.2.2"].into_iter()).unwrap().len(), 2, "lines are one list");
    }

    #[test]
    fn bad_syntax_is_garbage() {
        for bad in ["for", "for=", "=x", "for=\"open", "for=a b", "for=a=b", "for=\"x\"y", "for=\"a\u{7}\""] {
            assert_eq!(pairs(bad), None, "{bad:?}");
        }
    }
}
