//! berth's stage-aware rules: what each stage's filesystem holds and which
//! stages ship.

use crate::rules::Rule;

pub static RULES: &[Rule] = &[];
