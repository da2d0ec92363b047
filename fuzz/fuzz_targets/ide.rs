#![no_main]
//! See `fuzz/targets.rs`: `targets::ide_everywhere`.

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::ide_everywhere(data));
