#![no_main]
//! See `fuzz/targets.rs`: `targets::incremental`.

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::incremental(data));
