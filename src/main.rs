fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = match args.first().map(String::as_str) {
        Some("lsp") | Some("--stdio") => berth::lsp::run(),
        _ => {
            eprintln!("usage: berth lsp | berth --stdio");
            2
        }
    };
    std::process::exit(code);
}
