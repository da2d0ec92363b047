//! BuildKit's build checks (`docker build --check`), by their check names.

use crate::rules::Rule;

pub static RULES: &[Rule] = &[];
