//! Code lenses on FROM lines: who uses a stage, the final image, and the
//! stages the target does not build.

use std::path::Path;

use berth::ide::Settings;

mod common;

fn render(text: &str, settings: Settings) -> String {
    let a = common::analysis_with(text, settings);
    let line = |o: u32| text[..o as usize].matches('\n').count() + 1;
    a.code_lenses()
        .iter()
        .map(|l| {
            let locs: Vec<String> = l
                .locations
                .iter()
                .map(|r| format!("`{}`@{}", r.slice(text), line(r.start)))
                .collect();
            let locs = if locs.is_empty() {
                String::new()
            } else {
                format!(" [{}]", locs.join(" "))
            };
            format!("{}: {}{locs}\n", line(l.range.start), l.title)
        })
        .collect()
}

const TEXT: &str = r#"FROM golang AS build
FROM build AS test
FROM alpine AS tools
FROM debian AS unused
COPY --from=tools /a /b
FROM scratch AS runtime
COPY --from=build /app /app
COPY --from=0 /x /y
RUN --mount=from=tools,target=/t true
"#;

#[test]
fn users_final_image_and_unbuilt_stages() {
    let want = r#"1: used by test (FROM), runtime (COPY --from) [`build`@2 `build`@7 `0`@8]
2: not built for target `runtime`
3: used by unused (COPY --from), runtime (RUN --mount) [`tools`@5 `tools`@9]
4: not built for target `runtime`
6: final image
"#;
    assert_eq!(render(TEXT, Settings::default()), want);
}

#[test]
fn a_target_setting_changes_what_is_built() {
    let mut settings = Settings::default();
    settings.model.target = Some("test".into());
    let want = r#"1: used by test (FROM), runtime (COPY --from) [`build`@2 `build`@7 `0`@8]
2: final image
3: used by unused (COPY --from), runtime (RUN --mount) [`tools`@5 `tools`@9]
3: not built for target `test`
4: not built for target `test`
6: not built for target `test`
"#;
    assert_eq!(render(TEXT, settings), want);
}

#[test]
fn single_stage_and_broken_files() {
    assert_eq!(
        render("FROM alpine\nRUN true\n", Settings::default()),
        "1: final image\n"
    );
    assert_eq!(render("", Settings::default()), "");
    assert_eq!(render("FROM", Settings::default()), "1: final image\n");
    // A stage that copies from itself is not "used".
    assert_eq!(
        render(
            "FROM alpine AS a\nCOPY --from=a /x /y\n",
            Settings::default()
        ),
        "1: final image\n"
    );
}

#[test]
fn example_file() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/examples/go-multi-stage-broken.Dockerfile");
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!("SKIPPED: ../shared absent");
        return;
    };
    let want = "2: used by application (COPY --from) [`build`@13]\n11: final image\n";
    assert_eq!(render(&text, Settings::default()), want);
}
