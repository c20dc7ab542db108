//! The WAN-shaped group: GetPackages through the shaping relay ([`crate::relay`]), the typed
//! client with gzip on and off against a raw reqwest POST without compression.

use std::hint::black_box;

use crate::clients::{self, Gzip};
use crate::report::{Config, Job, Report, Row, human_bytes, human_time, measure, ratio};
use crate::server::{self, Compression};
use crate::{fixtures, relay};

pub fn section(cfg: &Config, report: &mut Report) {
    let link = cfg.link;
    let _ = rustls::crypto::ring::default_provider().install_default();
    report.section(&format!(
        "WAN-shaped end to end: GetPackages through a shaping relay on loopback ({}), one connection \
         reused; the fixed-response server gzips on the fly (level {}) when asked",
        link.describe(),
        cfg.gzip_level
    ));
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    for n in [100usize, 10_000] {
        eprintln!("wan GetPackages ×{n} ({})", link.describe());
        let body = fixtures::get_packages_response(n);
        let size = body.len();
        let relay = relay::spawn(server::spawn(body, Compression::Gzip(cfg.gzip_level)), link);
        let url = format!("http://{relay}/adminportal/webservice.asmx");
        let gzip = clients::engageip(&url, Gzip::On);
        let plain = clients::engageip(&url, Gzip::Off);
        let http = clients::raw();
        let prebuilt = clients::get_packages_body();
        // The compressed size, as the server sends it (reqwest does not decompress a response
        // to a request whose Accept-Encoding it did not set itself).
        let wire = rt
            .block_on(async {
                http.post(&url)
                    .header(reqwest::header::CONTENT_TYPE, "text/xml; charset=utf-8")
                    .header("SOAPAction", "\"Logisense_EngageIP/GetPackages\"")
                    .header(reqwest::header::ACCEPT_ENCODING, "gzip")
                    .body(prebuilt)
                    .send()
                    .await?
                    .bytes()
                    .await
            })
            .expect("gzip POST")
            .len();
        for client in [&gzip, &plain] {
            assert_eq!(rt.block_on(client.get_packages("owner")).expect("client call").len(), n);
        }
        assert_eq!(rt.block_on(clients::raw_post(&http, &url, prebuilt)).expect("post").len(), size);
        let mut jobs: Vec<(&str, Job<'_>)> = vec![
            (
                "client, gzip",
                Box::new(|| {
                    black_box(rt.block_on(gzip.get_packages("owner")).expect("call"));
                }),
            ),
            (
                "client, no compression",
                Box::new(|| {
                    black_box(rt.block_on(plain.get_packages("owner")).expect("call"));
                }),
            ),
            (
                "raw reqwest POST, no compression",
                Box::new(|| {
                    black_box(rt.block_on(clients::raw_post(&http, &url, prebuilt)).expect("post"));
                }),
            ),
        ];
        let t = measure(cfg, &mut jobs);
        let (gzip_t, plain_t, raw_t) = (t[0], t[1], t[2]);
        let label = format!("GetPackages ×{n} ({}, {} gzipped)", human_bytes(size), human_bytes(wire));
        report.rows.push(Row::new(
            format!("{label}: engageip-api client, gzip"),
            gzip_t,
            size,
            n,
            format!("{:.2}× the uncompressed call, {:.2}× raw POST", ratio(gzip_t, plain_t), ratio(gzip_t, raw_t)),
        ));
        report.rows.push(Row::new(
            format!("{label}: engageip-api client, no compression"),
            plain_t,
            size,
            n,
            format!("{:.2}× raw POST", ratio(plain_t, raw_t)),
        ));
        report.rows.push(Row::new(
            format!("{label}: raw reqwest POST, no compression"),
            raw_t,
            size,
            n,
            format!(
                "link alone: {} (one round trip + {} at the line rate)",
                human_time(link.ideal_call(size)),
                human_bytes(size)
            ),
        ));
        if n == 10_000 {
            let r = ratio(gzip_t, plain_t);
            report.target(
                format!("WAN ({}), 10 000 packages: client with gzip / without", link.describe()),
                "≤ 0.25× per-call time",
                format!("{r:.2}× ({} / {})", human_time(gzip_t), human_time(plain_t)),
                r <= 0.25,
            );
        }
    }
}
