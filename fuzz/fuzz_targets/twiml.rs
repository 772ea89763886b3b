#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ringside_harness::fuzzing::twiml(data));
