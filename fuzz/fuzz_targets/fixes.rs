#![no_main]
//! See `fuzz/targets.rs`: `targets::fixes_and_assists`.

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::fixes_and_assists(data));
