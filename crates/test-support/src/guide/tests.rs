//! The guide's blocks parse as the chapters mean them, the normalizer changes only what
//! varies, and every block that names an example is checked by that example's tests.

use super::*;

#[test]
fn commands_continue_over_backslashes_and_a_block_needs_its_run_comment_right_before_it() {
    let chapter = "<!-- run: example-x --verbose -->\n\n```console\n$ curl -s \\\n  http://127.0.0.1:8051/\nhi\n\
                   $ true\n```\n\nText.\n<!-- run: example-y -->\nMore text.\n```console\n$ echo no\nno\n```\n";
    let sessions = sessions(chapter);
    assert_eq!(sessions.len(), 1, "the second block's comment is not right before it");
    assert_eq!(
        (sessions[0].example.as_str(), sessions[0].args.as_slice()),
        ("example-x", &["--verbose".to_owned()][..])
    );
    assert_eq!(
        sessions[0].commands,
        [("curl -s \\\n  http://127.0.0.1:8051/".to_owned(), "hi\n".to_owned()), ("true".to_owned(), String::new())]
    );
}

#[test]
fn only_what_varies_is_normalized() {
    let body_with_time = "HTTP/1.1 200 OK\ncontent-length: 31\n\n<time>2026-12-02T00:31:00Z</time>";
    assert_eq!(normalize(body_with_time), "HTTP/1.1 200 OK\ncontent-length: <length>\n\n<time><time></time>");
    let log = "127.0.0.1 - - [02/Dec/2026:00:31:00 +0000] \"GET / HTTP/1.1\" 200 12";
    assert_eq!(normalize(log), "127.0.0.1 - - [<time>] \"GET / HTTP/1.1\" 200 12");
    assert_eq!(
        normalize("REMOTE_PORT: 40312\nSERVER_PORT: 8051\n"),
        "REMOTE_PORT: <remote-port>\nSERVER_PORT: <server-port>\n"
    );
    let stable = "HTTP/1.1 404 Not Found\ncontent-length: 9\n\nNot Found";
    assert_eq!(normalize(stable), stable, "a body without varying parts keeps its length");
    assert_ne!(normalize("Hello world!"), normalize("Hello World!"));
    assert_eq!(
        normalize("set-cookie: session=Zm9v%2Fbar; HttpOnly; Path=/"),
        "set-cookie: session=<value>; HttpOnly; Path=/"
    );
}

#[test]
fn every_run_block_is_checked_by_its_example() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|ext| ext != "md") {
            continue;
        }
        let chapter = path.file_name().unwrap().to_str().unwrap().to_owned();
        for session in sessions(&std::fs::read_to_string(&path).unwrap()) {
            let crate_dir = examples.join(session.example.strip_prefix("example-").unwrap_or(&session.example));
            // Compared without whitespace: rustfmt may break the call over lines.
            let call = format!("guide::check(\"{chapter}\",\"{}\"", session.example);
            let checked = std::fs::read_dir(crate_dir.join("tests")).into_iter().flatten().flatten().any(|test| {
                let path = test.path();
                let text = if path.is_dir() {
                    std::fs::read_dir(&path)
                        .into_iter()
                        .flatten()
                        .flatten()
                        .map(|file| std::fs::read_to_string(file.path()).unwrap_or_default())
                        .collect()
                } else {
                    std::fs::read_to_string(&path).unwrap_or_default()
                };
                text.split_whitespace().collect::<String>().contains(&call)
            });
            if !checked {
                missing.push(format!("{chapter}:{} ({})", session.line, session.example));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "blocks no example's tests check (they call `{}`): {missing:?}",
        "guide::check(chapter, example, binary)"
    );
}

#[test]
fn every_include_names_a_file_and_its_anchor() {
    let mut broken = Vec::new();
    for entry in std::fs::read_dir(dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|ext| ext != "md") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for piece in text.split("{{#include ").skip(1) {
            let target = piece.split("}}").next().unwrap_or_default().trim();
            let (file, anchor) = match target.split_once(':') {
                Some((file, anchor)) => (file, Some(anchor)),
                None => (target, None),
            };
            let included = dir().join(file);
            let Ok(source) = std::fs::read_to_string(&included) else {
                broken.push(format!("{}: {target}: no such file", path.display()));
                continue;
            };
            if let Some(anchor) = anchor {
                let (start, end) = (format!("ANCHOR: {anchor}"), format!("ANCHOR_END: {anchor}"));
                if !(source.contains(&start) && source.contains(&end)) {
                    broken.push(format!("{}: {target}: no anchor {anchor}", path.display()));
                }
            }
        }
    }
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn every_rust_block_is_included_from_a_file_that_compiles() {
    let mut inline = Vec::new();
    for entry in std::fs::read_dir(dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|ext| ext != "md") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let mut in_rust = false;
        for (number, line) in text.lines().enumerate() {
            let trimmed = line.trim();
            if !in_rust && trimmed.starts_with("```rust") {
                in_rust = true;
            } else if in_rust && trimmed == "```" {
                in_rust = false;
            } else if in_rust && !trimmed.is_empty() && !trimmed.starts_with("{{#include ") {
                inline.push(format!("{}:{}: {line}", path.display(), number + 1));
            }
        }
    }
    assert!(
        inline.is_empty(),
        "Rust written in a chapter compiles nowhere; include it from an example:\n{}",
        inline.join("\n")
    );
}
