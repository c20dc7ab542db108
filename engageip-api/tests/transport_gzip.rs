//! gzip over loopback: the client asks for it, a compressed response decodes, and the size
//! limit applies to the decompressed bytes while they inflate, so a 1 GiB gzip bomb (6.5 MiB
//! on the wire) is refused with peak memory bounded by the limit, measured with a counting
//! allocator. One `#[test]`, so that nothing else in this binary allocates meanwhile.
#![cfg(feature = "gzip")]

mod common;

use std::io::Write as _;
use std::time::Duration;

use common::{CountingAlloc, PASSWORD, Reply, Responder, USERNAME, get_packages_response, package_with};
use engageip_api::{Client, Error, Outcome, RetryPolicy};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

/// The limit of the bomb case.
const LIMIT: usize = 8 * 1024 * 1024;
/// What the bomb inflates to: 1 GiB and a few bytes.
const BOMB_SIZE: u64 = 1 + 258 * 4_161_791;

/// Deflate's bits, least significant first.
struct Bits {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl Bits {
    fn put(&mut self, value: u64, count: u32) {
        self.acc |= value << self.n;
        self.n += count;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }

    /// A Huffman code, which deflate writes most significant bit first.
    fn code(&mut self, code: u64, len: u32) {
        let reversed = (0..len).fold(0, |r, i| r | (((code >> i) & 1) << (len - 1 - i)));
        self.put(reversed, len);
    }
}

/// A gzip member whose one fixed-Huffman deflate block writes a zero byte, then repeats
/// "copy 258 bytes from distance 1" until [`BOMB_SIZE`] bytes: 13 bits per 258 bytes.
fn gzip_bomb() -> Vec<u8> {
    let mut bits = Bits { out: vec![0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF], acc: 0, n: 0 };
    bits.put(1, 1); // BFINAL
    bits.put(1, 2); // BTYPE = fixed Huffman
    bits.code(0x30, 8); // literal 0
    for _ in 0..(BOMB_SIZE - 1) / 258 {
        bits.code(0b1100_0101, 8); // length code 285: 258 bytes
        bits.code(0, 5); // distance code 0: distance 1
    }
    bits.code(0, 7); // end of block
    bits.put(0, 7); // pad to a byte
    let mut out = bits.out;
    // The trailer: CRC-32 and size of the inflated data, as a well-formed member has.
    let mut crc = flate2::Crc::new();
    let zeros = vec![0u8; 1 << 20];
    let mut left = BOMB_SIZE;
    while left > 0 {
        let n = left.min(zeros.len() as u64) as usize;
        crc.update(&zeros[..n]);
        left -= n as u64;
    }
    out.extend_from_slice(&crc.sum().to_le_bytes());
    out.extend_from_slice(&(BOMB_SIZE as u32).to_le_bytes());
    out
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(data).expect("compress");
    encoder.finish().expect("compress")
}

fn gzipped(body: Vec<u8>) -> Reply {
    Reply::Fixed {
        status: 200,
        headers: vec![
            ("Content-Type".to_owned(), "text/xml; charset=utf-8".to_owned()),
            ("Content-Encoding".to_owned(), "gzip".to_owned()),
        ],
        body,
    }
}

fn client(url: &str, limit: usize) -> Client {
    Client::builder(url)
        .credentials(USERNAME, PASSWORD)
        .max_response_bytes(limit)
        .retry_policy(RetryPolicy::none())
        .timeout(Duration::from_secs(300))
        .no_proxy()
        .build()
        .expect("client")
}

#[test]
fn gzip_decodes_and_the_limit_bounds_the_inflated_size() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    runtime.block_on(async {
        // A compressed answer decodes, and the request asked for it.
        let xml = get_packages_response(&package_with("", ""));
        let server = Responder::start(gzipped(gzip(xml.as_bytes()))).await;
        let packages = client(&server.url(), 1 << 20).get_packages("demo-isp").await.expect("gzip decodes");
        assert_eq!(packages.len(), 1);
        assert_eq!(packages[0].id, 7);
        assert_eq!(server.requests()[0].header("accept-encoding").as_deref(), Some("gzip"));

        // 64 KiB compressed to a few hundred bytes, against a 16 KiB limit: refused while it
        // inflates although the compressed body is far below the limit.
        let padded = xml.replace("<Name>Basic</Name>", &format!("<Name>{}</Name>", "x".repeat(64 * 1024)));
        let small = gzip(padded.as_bytes());
        assert!(small.len() < 16 * 1024);
        let server = Responder::start(gzipped(small)).await;
        let error = client(&server.url(), 16 * 1024).get_packages("demo-isp").await.expect_err("too large");
        assert!(matches!(error, Error::ResponseTooLarge { limit: 16384, status: 200, .. }), "{error:?}");
        assert_eq!(error.outcome(), Outcome::Performed);

        // The bomb.
        let bomb = gzip_bomb();
        let compressed = bomb.len();
        // It is a real gzip stream of zeros (checked on its first MiB).
        let mut head = Vec::new();
        std::io::Read::read_to_end(
            &mut std::io::Read::take(flate2::read::GzDecoder::new(&bomb[..]), 1 << 20),
            &mut head,
        )
        .expect("the bomb inflates");
        assert!(head.len() == 1 << 20 && head.iter().all(|b| *b == 0));
        drop(head);
        let server = Responder::start(gzipped(bomb)).await;
        let client = client(&server.url(), LIMIT);
        let before = common::reset_peak();
        let error = client.get_packages("demo-isp").await.expect_err("the bomb is refused");
        let peak = common::peak() - before;
        assert!(matches!(error, Error::ResponseTooLarge { limit: LIMIT, .. }), "{error:?}");
        println!(
            "gzip bomb: {compressed} bytes compressed, {BOMB_SIZE} inflated, limit {LIMIT}: peak heap {peak} bytes \
             ({:.1} MiB) above the {:.1} MiB live before the call",
            peak as f64 / (1024.0 * 1024.0),
            before as f64 / (1024.0 * 1024.0)
        );
        // The responder's own copy of the compressed body is allocated in this process too;
        // the client's buffer grows by doubling to at most the limit (old and new at once
        // while it moves). Inflating the bomb would need 1 GiB.
        let bound = 2 * LIMIT + compressed + 4 * 1024 * 1024;
        assert!(peak <= bound, "peak heap {peak} bytes, bound {bound}");
    });
}
