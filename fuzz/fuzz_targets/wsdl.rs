//! Fuzz target `wsdl`: see [`engageip_fuzz::wsdl`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| engageip_fuzz::wsdl(data));
