//! Fuzz target `fault`: see [`engageip_fuzz::fault`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| engageip_fuzz::fault(data));
