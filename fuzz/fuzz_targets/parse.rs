#![no_main]
//! See `fuzz/targets.rs`: `targets::parse_and_diagnose`.

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::parse_and_diagnose(data));
