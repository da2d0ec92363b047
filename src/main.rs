//! The `berth` binary: everything happens in [`berth::cli`].

use std::io::Write;

fn main() {
    // `std::env::args()` panics on an argument that is not valid Unicode;
    // refuse it with a message instead.
    let mut args = Vec::new();
    for arg in std::env::args_os().skip(1) {
        match arg.into_string() {
            Ok(a) => args.push(a),
            Err(bad) => {
                let _ = writeln!(
                    std::io::stderr(),
                    "berth: argument `{}` is not valid UTF-8",
                    bad.to_string_lossy()
                );
                std::process::exit(berth::cli::EXIT_TROUBLE);
            }
        }
    }
    // `cli` does not depend on `lsp`: the binary hands it the server.
    std::process::exit(berth::cli::main_with(args, berth::lsp::run))
}
