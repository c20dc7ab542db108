//! A shaping relay on loopback: a TCP proxy that delivers each direction's bytes as a link of
//! a given bandwidth and round-trip time would, for the WAN-shaped group.
//!
//! Each direction is a store-and-forward bottleneck: a piece read from one side occupies the
//! link for `bytes × 8 / bandwidth` after the previous piece has left it, then takes half the
//! round trip to arrive, and is written to the other side at that instant. Delivery times come
//! from that schedule, not from when a timer fired, so timer granularity delays pieces but never
//! lowers the bandwidth. The queue between the two halves is bounded (1 MiB, above the default
//! link's bandwidth-delay product of 122 KiB), so a fast sender is held back as a router's full
//! buffer would hold it. What it does not model: TCP's slow start and congestion control over
//! the long path (both of the relay's own connections are on loopback), and packet loss.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::time::Instant;

/// The shaped link: bandwidth in each direction and round-trip time.
#[derive(Debug, Clone, Copy)]
pub struct Link {
    /// Bandwidth in each direction, megabits (10⁶ bits) per second.
    pub mbit_per_s: f64,
    /// Round-trip time: each direction adds half of it.
    pub rtt: Duration,
}

impl Default for Link {
    /// 50 Mbit/s and 20 ms: a business line to an on-premises server in the same region.
    fn default() -> Self {
        Link { mbit_per_s: 50.0, rtt: Duration::from_millis(20) }
    }
}

impl Link {
    /// Time the link is busy sending `bytes`.
    fn serialization(&self, bytes: usize) -> Duration {
        Duration::from_secs_f64(bytes as f64 * 8.0 / (self.mbit_per_s * 1e6))
    }

    /// Time to carry `bytes` one way on an idle link, plus one round trip (request and first
    /// byte): the least a call returning `bytes` can take.
    pub fn ideal_call(&self, bytes: usize) -> Duration {
        self.rtt + self.serialization(bytes)
    }

    /// `50 Mbit/s, 20 ms round trip`.
    pub fn describe(&self) -> String {
        format!("{} Mbit/s, {} ms round trip", self.mbit_per_s, self.rtt.as_secs_f64() * 1e3)
    }
}

/// Largest piece read at once: 2.6 ms of the default link.
const PIECE: usize = 16 * 1024;
/// Pieces queued or in flight per direction: 1 MiB.
const QUEUE: usize = 64;

/// Starts a relay to `upstream` on its own thread and runtime; returns the address to connect
/// to. It lives until the process exits.
pub fn spawn(upstream: SocketAddr, link: Link) -> SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("relay runtime");
        rt.block_on(async move {
            let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
            tx.send(listener.local_addr().expect("local addr")).expect("report address");
            loop {
                let Ok((down, _)) = listener.accept().await else { continue };
                tokio::spawn(async move {
                    let Ok(up) = TcpStream::connect(upstream).await else { return };
                    let _ = down.set_nodelay(true);
                    let _ = up.set_nodelay(true);
                    let (down_read, down_write) = down.into_split();
                    let (up_read, up_write) = up.into_split();
                    tokio::join!(pipe(down_read, up_write, link), pipe(up_read, down_write, link));
                });
            }
        });
    });
    rx.recv().expect("relay started")
}

/// One direction: reads pieces, schedules them on the link, writes each when it arrives.
async fn pipe(mut from: OwnedReadHalf, mut to: OwnedWriteHalf, link: Link) {
    let (tx, mut rx) = mpsc::channel::<(Instant, Vec<u8>)>(QUEUE);
    let shape = async move {
        // When the link has finished sending what it was given so far.
        let mut free_at = Instant::now();
        loop {
            let mut piece = vec![0u8; PIECE];
            let n = match from.read(&mut piece).await {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            piece.truncate(n);
            free_at = free_at.max(Instant::now()) + link.serialization(n);
            if tx.send((free_at + link.rtt / 2, piece)).await.is_err() {
                break;
            }
        }
    };
    let deliver = async move {
        while let Some((at, piece)) = rx.recv().await {
            tokio::time::sleep_until(at).await;
            if to.write_all(&piece).await.is_err() {
                return;
            }
        }
        let _ = to.shutdown().await;
    };
    tokio::join!(shape, deliver);
}
