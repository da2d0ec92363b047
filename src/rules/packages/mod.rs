//! Package manager rules (apt, apk, yum, dnf, zypper, pip, npm, gem, go...)
//! on the shell commands of RUN instructions.

use crate::rules::Rule;

pub static RULES: &[Rule] = &[];
