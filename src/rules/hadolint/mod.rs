//! hadolint's DL rules that read instructions (not shell commands).

use crate::rules::Rule;

pub static RULES: &[Rule] = &[];
