//! `berth syntax`: the concrete syntax tree, as an s-expression and as JSON.

use std::process::Command;

fn berth(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_berth"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("berth runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn prints_the_tree_with_positions_and_fields() {
    let (code, out, err) = berth(&["syntax", "examples/go-service.Dockerfile"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("(source_file [0, 0] - ["), "{out}");
    // The build stage's FROM: its image and its name, by field.
    assert!(out.contains("(from_instruction [4, 0] - [4, 41]"), "{out}");
    assert!(out.contains("as: (image_alias [4, 36] - [4, 41])"), "{out}");
    assert!(out.contains("(param_value [15, 12] - [15, 17])"), "{out}");
}

#[test]
fn json_gives_every_node_with_its_byte_range() {
    let (code, out, err) = berth(&[
        "syntax",
        "--format",
        "json",
        "examples/go-service.Dockerfile",
    ]);
    assert_eq!(code, 0, "{err}");
    let tree: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(tree["kind"], "source_file");
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/go-service.Dockerfile"),
    )
    .unwrap();
    // Every leaf's text is the source between its byte offsets.
    let mut stack = vec![&tree];
    let mut leaves = 0;
    while let Some(node) = stack.pop() {
        match node["children"].as_array() {
            Some(children) => stack.extend(children),
            None => {
                let (s, e) = (
                    node["start"].as_u64().unwrap(),
                    node["end"].as_u64().unwrap(),
                );
                assert_eq!(node["text"], text[s as usize..e as usize], "{node}");
                leaves += 1;
            }
        }
    }
    assert!(leaves >= 40, "{leaves} leaves");
}

#[test]
fn reads_stdin_and_refuses_bad_arguments() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_berth"))
        .args(["syntax", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"FROM alpine\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "(source_file [0, 0] - [1, 0]\n  (from_instruction [0, 0] - [0, 11]\n    image: (image_spec [0, 5] - [0, 11])))\n"
    );
    let (code, _, err) = berth(&[
        "syntax",
        "--format",
        "xml",
        "examples/go-service.Dockerfile",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown format `xml`"), "{err}");
    let (code, _, err) = berth(&["syntax", "no/such/file"]);
    assert_eq!(code, 2);
    assert!(err.contains("no/such/file"), "{err}");
    let (code, _, _) = berth(&["syntax"]);
    assert_eq!(code, 2);
}
