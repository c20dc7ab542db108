//! Fuzz target `request`: see [`engageip_fuzz::request`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| engageip_fuzz::request(data));
