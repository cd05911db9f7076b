//! The guide's shell sessions, checked against the examples they show.
//!
//! A chapter of `docs/guide/` shows what a command prints in a `console` block: lines
//! starting with `$ ` are commands (a trailing `\` continues one), the lines after a
//! command are its output. A block runs against the example named by the HTML comment
//! `<!-- run: example-NAME ARGS... -->` on a line of its own before it (ARGS, if any, go to
//! the binary after its address). Each example crate's own tests call [`check`] for the
//! chapters that run it: the example is started on `127.0.0.1:0` for each block, in a
//! fresh temporary directory that the commands run in too (with `VIRTUAL_ENV` the tests'
//! virtualenv, for the Python examples), every
//! command runs in `bash` with `127.0.0.1:8051` replaced by the real address, and its output
//! must equal the chapter's once both are [normalized](normalize). A block without a `run`
//! comment is not run (an install line, a build command), and a chapter whose blocks name an
//! example that never checks them is caught by `every_run_block_is_checked_by_its_example`.

mod normalize;

use std::path::{Path, PathBuf};
use std::process::Command;

pub use normalize::normalize;

use crate::child::ExampleServer;

/// One `console` block that runs against an example.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// The example package (`example-hello`).
    pub example: String,
    /// Arguments for the binary after its address.
    pub args: Vec<String>,
    /// The commands, each with the output the chapter shows.
    pub commands: Vec<(String, String)>,
    /// The line of the chapter the block starts on (for messages).
    pub line: usize,
}

/// The guide's directory.
///
/// # Examples
/// ```
/// assert!(test_support::guide::dir().join("SUMMARY.md").is_file());
/// ```
pub fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/guide")
}

/// The run blocks of `markdown`.
///
/// # Examples
/// ```
/// let chapter = "<!-- run: example-hello -->\n```console\n$ curl -s http://127.0.0.1:8051/\nHello!\n```\n";
/// let sessions = test_support::guide::sessions(chapter);
/// assert_eq!(sessions[0].example, "example-hello");
/// assert_eq!(sessions[0].commands, [("curl -s http://127.0.0.1:8051/".to_owned(), "Hello!\n".to_owned())]);
/// ```
pub fn sessions(markdown: &str) -> Vec<Session> {
    let mut sessions = Vec::new();
    let mut run: Option<(String, Vec<String>)> = None;
    let mut lines = markdown.lines().enumerate();
    while let Some((number, line)) = lines.next() {
        let trimmed = line.trim();
        if let Some(spec) = trimmed.strip_prefix("<!-- run:").and_then(|rest| rest.strip_suffix("-->")) {
            let mut words = spec.split_whitespace().map(str::to_owned);
            run = words.next().map(|example| (example, words.collect()));
            continue;
        }
        if trimmed != "```console" {
            if !trimmed.is_empty() {
                run = None;
            }
            continue;
        }
        let mut commands: Vec<(String, String)> = Vec::new();
        let mut continued = false;
        for (_, line) in lines.by_ref() {
            if line.trim() == "```" {
                break;
            }
            if continued {
                let (command, _) = commands.last_mut().expect("a command continues");
                command.push('\n');
                command.push_str(line);
                continued = line.ends_with('\\');
            } else if let Some(command) = line.strip_prefix("$ ") {
                commands.push((command.to_owned(), String::new()));
                continued = command.ends_with('\\');
            } else if let Some((_, output)) = commands.last_mut() {
                output.push_str(line);
                output.push('\n');
            }
        }
        if let Some((example, args)) = run.take() {
            sessions.push(Session { example, args, commands, line: number + 1 });
        }
    }
    sessions
}

/// Runs every block of `chapter` (a file of `docs/guide/`) that names `example`, against
/// `binary`, and panics at the first command whose output differs from what the chapter
/// shows. Returns how many commands ran.
///
/// # Panics
/// A differing output, a chapter with no block for `example`, or `curl` missing (run
/// `scripts/test`, which installs it).
///
/// # Examples
/// ```no_run
/// test_support::guide::check("app-interface.md", "example-hello-gateway", "path/to/binary");
/// ```
pub fn check(chapter: &str, example: &str, binary: &str) -> usize {
    let path = dir().join(chapter);
    let markdown = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let sessions: Vec<Session> = sessions(&markdown).into_iter().filter(|session| session.example == example).collect();
    assert!(!sessions.is_empty(), "{chapter} has no `<!-- run: {example} -->` block");
    crate::tools::command("curl");
    let mut ran = 0;
    for session in sessions {
        // A directory of its own for each block: the example's files (the guestbook's
        // database) and the commands' (curl's cookie jar) start afresh and stay out of the
        // repository.
        let scratch = crate::Scratch::new("guide");
        let mut command = Command::new(binary);
        command.arg("127.0.0.1:0").args(&session.args).current_dir(scratch.path());
        // The Python examples find Flask in the tests' virtualenv (`scripts/test` makes it).
        command.env("VIRTUAL_ENV", crate::tools::venv());
        let server = ExampleServer::from_command(command);
        for (shell, shown) in &session.commands {
            let real = shell.replace("127.0.0.1:8051", &server.addr.to_string());
            let output =
                Command::new("bash").arg("-c").arg(&real).current_dir(scratch.path()).output().expect("run bash");
            let printed = String::from_utf8_lossy(&output.stdout)
                .replace(&server.addr.to_string(), "127.0.0.1:8051")
                .replace('\r', "");
            // A body without a final newline ends the chapter's block all the same.
            let (expected, actual) =
                (normalize(shown.trim_end_matches('\n')), normalize(printed.trim_end_matches('\n')));
            assert!(
                expected == actual,
                "{chapter}:{}: `{shell}` printed something else.\n--- the chapter shows (normalized):\n{expected}\n\
                 --- the example printed (normalized):\n{actual}\n--- stderr:\n{}",
                session.line,
                String::from_utf8_lossy(&output.stderr)
            );
            ran += 1;
        }
    }
    ran
}

#[cfg(test)]
mod tests;
