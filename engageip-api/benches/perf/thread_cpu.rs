//! The CPU time one thread has used, as Linux accounts it, so a loopback call's cost can be
//! split between the client's thread and the server's: `/proc/self/task/TID/schedstat`, whose
//! first field is the nanoseconds the thread has run (the scheduler's own sum, not a sample).
//! Elsewhere than Linux there is no clock, and the split is not printed.

use std::path::PathBuf;
use std::time::Duration;

/// One thread's CPU clock, readable from any thread.
#[derive(Debug, Clone)]
pub struct ThreadClock {
    schedstat: PathBuf,
}

impl ThreadClock {
    /// The clock of the thread that calls this, if the system has one.
    pub fn current() -> Option<ThreadClock> {
        // `/proc/thread-self` links to `PID/task/TID`.
        let task = std::fs::read_link("/proc/thread-self").ok()?;
        let clock = ThreadClock { schedstat: PathBuf::from("/proc").join(task).join("schedstat") };
        clock.read().map(|_| clock)
    }

    /// The thread's CPU time so far.
    pub fn read(&self) -> Option<Duration> {
        let text = std::fs::read_to_string(&self.schedstat).ok()?;
        text.split_whitespace().next()?.parse().ok().map(Duration::from_nanos)
    }
}

/// The CPU time of the client's thread and the server's, per call.
#[derive(Debug, Clone, Copy, Default)]
pub struct CallCpu {
    pub client: Duration,
    pub server: Duration,
}

/// Both threads' clocks, read together at the start and end of a round.
pub struct CallClocks {
    pub client: ThreadClock,
    pub server: ThreadClock,
}

impl CallClocks {
    /// Both clocks now.
    pub fn read(&self) -> Option<[Duration; 2]> {
        Some([self.client.read()?, self.server.read()?])
    }
}
