//! `berth syntax`: the concrete syntax tree berth's grammar reads from a
//! Dockerfile, to see what the parser saw.

use super::fix::read_source;
use super::walk::Source;
use super::{eprint_line, print_text, EXIT_TROUBLE};
use crate::syntax::dump;
use crate::text::parse_tree;

pub const USAGE: &str = "\
Print the concrete syntax tree of a Dockerfile as berth's grammar reads it.

Usage: berth syntax [OPTIONS] FILE

FILE is a path, or `-` for stdin.

Options:
      --format FORMAT   sexp (default: nodes with [row, column] positions, from 0)
                        or json (every node with kind, byte range and positions)
  -h, --help            Print this help
";

pub fn run(args: &[String]) -> i32 {
    let mut format: &str = "sexp";
    let mut file: Option<&str> = None;
    let mut i = 0;
    while i < args.len() {
        let arg = args[i].as_str();
        match arg {
            "-h" | "--help" => return print_text(USAGE),
            "--format" => {
                i += 1;
                match args.get(i).map(String::as_str) {
                    Some(f @ ("sexp" | "json")) => format = f,
                    Some(other) => {
                        eprint_line(&format!(
                            "berth syntax: unknown format `{other}` (sexp or json)"
                        ));
                        return EXIT_TROUBLE;
                    }
                    None => {
                        eprint_line("berth syntax: --format needs a value (sexp or json)");
                        return EXIT_TROUBLE;
                    }
                }
            }
            a if a.starts_with("--format=") => match &a["--format=".len()..] {
                f @ ("sexp" | "json") => format = f,
                other => {
                    eprint_line(&format!(
                        "berth syntax: unknown format `{other}` (sexp or json)"
                    ));
                    return EXIT_TROUBLE;
                }
            },
            "-" if file.is_none() => file = Some(arg),
            a if a.starts_with('-') => {
                eprint_line(&format!("berth syntax: unknown option `{a}`"));
                return EXIT_TROUBLE;
            }
            a if file.is_none() => file = Some(a),
            _ => {
                eprint_line("berth syntax: give one FILE");
                return EXIT_TROUBLE;
            }
        }
        i += 1;
    }
    let Some(file) = file else {
        eprint_line("berth syntax: give a FILE (or `-` for stdin)");
        return EXIT_TROUBLE;
    };
    let source = match file {
        "-" => Source::Stdin,
        path => Source::File(path.into()),
    };
    let text = match read_source(&source) {
        Ok((text, _)) => text,
        Err(message) => {
            eprint_line(&format!("berth syntax: {message}"));
            return EXIT_TROUBLE;
        }
    };
    let tree = parse_tree(&text);
    match format {
        "json" => print_text(&dump::json(&text, &tree)),
        _ => print_text(&dump::sexp(&text, &tree)),
    }
}
