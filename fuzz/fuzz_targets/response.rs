//! Fuzz target `response`: see [`engageip_fuzz::response`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| engageip_fuzz::response(data));
