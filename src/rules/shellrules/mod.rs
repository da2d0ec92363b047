//! Rules on the shell commands of RUN instructions (not package managers).

use crate::rules::Rule;

pub static RULES: &[Rule] = &[];
