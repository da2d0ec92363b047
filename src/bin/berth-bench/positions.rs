//! Where the benchmarks type and ask: shared by `berth-bench` and the
//! criterion benches, so both measure the same keystrokes.

/// Where the session types inside a RUN: the end of the first physical
/// line of the RUN nearest the middle of the file (before a trailing `\`).
pub fn run_typing_offset(text: &str) -> usize {
    let mid = text.len() / 2;
    let runs: Vec<usize> = text
        .match_indices("\nRUN ")
        .map(|(i, _)| i + 1)
        .filter(|&i| !text[i..].starts_with("RUN <<") && !text[i..].starts_with("RUN ["))
        .collect();
    let Some(&start) = runs.iter().min_by_key(|&&i| i.abs_diff(mid)) else {
        return text.len();
    };
    let eol = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let line = &text[start..eol];
    let trimmed = line.trim_end_matches([' ', '\\', '\t', '\r']);
    start + trimmed.len()
}

/// Where the session types inside a `--from=` value (its end) and where it
/// asks for completion (its start), in the last `COPY --from=` of the file.
pub fn from_offsets(text: &str) -> Option<(usize, usize)> {
    let i = text.rfind("--from=")? + "--from=".len();
    let end = text[i..]
        .find([' ', '\n', '\t', '\r', ','])
        .map_or(text.len(), |e| i + e);
    Some((i, end))
}
