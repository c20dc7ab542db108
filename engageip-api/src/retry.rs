//! When read-only calls are retried: how many times, how long to wait between attempts
//! (jittered exponential backoff, or what `Retry-After` says) and for how long in all.
//! Which failures qualify is [`crate::Error::is_retryable`]'s to say.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The retry policy for read-only operations (`GetPackages`, `GetPackageUpgrades`,
/// `GetPackageServices`). They are retried after a failure [`crate::Error::is_retryable`]
/// accepts (connection refused, connection closed before any response, HTTP 502/503/504), at
/// most `max_retries` times, waiting a jittered, doubling delay (or the `Retry-After` the
/// response asks for, in seconds) between attempts, and never past `budget` since the first
/// attempt nor past the call's timeout. Non-idempotent operations (`UpgradeUserPackage`,
/// `UpdatePackage`) are never retried, whatever the policy says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0 disables retries).
    pub max_retries: u32,
    /// Delay before the first retry; doubled each time, with ±50% jitter.
    pub base_delay: Duration,
    /// Upper bound of a backoff delay (a `Retry-After` may ask for longer: it is honoured if
    /// the budget allows, otherwise the call gives up).
    pub max_delay: Duration,
    /// Total time from the first attempt after which no retry starts.
    pub budget: Duration,
}

impl Default for RetryPolicy {
    /// Two retries, 100 ms doubling up to 2 s, within 10 s.
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(2),
            budget: Duration::from_secs(10),
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        RetryPolicy { max_retries: 0, ..RetryPolicy::default() }
    }

    /// The backoff before retry number `attempt + 1`.
    pub(crate) fn delay(&self, attempt: u32) -> Duration {
        static SEED: AtomicU64 = AtomicU64::new(0x9E37_79B9_7F4A_7C15);
        let base = self.base_delay.saturating_mul(1u32 << attempt.min(16)).min(self.max_delay);
        // xorshift: jitter needs no cryptographic quality, only spread.
        let mut x = SEED.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed);
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let factor = 0.5 + (x % 1000) as f64 / 1000.0;
        base.mul_f64(factor)
    }

    /// The wait before the next attempt, or `None` when the policy gives up: `attempt` retries
    /// were made, `elapsed` has passed since the first attempt, `remaining` is left of the
    /// call's own timeout, and the response may have asked for `retry_after`.
    pub(crate) fn next_delay(
        &self,
        attempt: u32,
        elapsed: Duration,
        remaining: Duration,
        retry_after: Option<Duration>,
    ) -> Option<Duration> {
        if attempt >= self.max_retries {
            return None;
        }
        let delay = retry_after.map_or_else(|| self.delay(attempt), |asked| asked.max(self.delay(attempt)));
        (elapsed.saturating_add(delay) < self.budget && delay < remaining).then_some(delay)
    }
}

/// A `Retry-After` header's delay: whole seconds. (The HTTP-date form is not understood and
/// leaves the backoff as it is.)
pub(crate) fn parse_retry_after(value: &str) -> Option<Duration> {
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_and_stays_bounded() {
        let policy = RetryPolicy {
            max_retries: 10,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(1),
            budget: Duration::from_secs(60),
        };
        let mut seen = std::collections::BTreeSet::new();
        for attempt in 0..40 {
            let nominal = Duration::from_millis(100).saturating_mul(1 << attempt.min(16)).min(Duration::from_secs(1));
            let delay = policy.delay(attempt);
            assert!(delay >= nominal.mul_f64(0.5) && delay <= nominal.mul_f64(1.5), "attempt {attempt}: {delay:?}");
            seen.insert(delay);
        }
        assert!(seen.len() > 20, "no jitter: {seen:?}");
        assert_eq!(RetryPolicy::none().max_retries, 0);
    }

    #[test]
    fn retries_stop_at_the_count_the_budget_and_the_timeout() {
        let policy = RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_millis(20),
            budget: Duration::from_secs(1),
        };
        let long = Duration::from_secs(60);
        assert!(policy.next_delay(0, Duration::ZERO, long, None).is_some());
        assert!(policy.next_delay(2, Duration::ZERO, long, None).is_some());
        assert_eq!(policy.next_delay(3, Duration::ZERO, long, None), None, "count");
        assert_eq!(policy.next_delay(0, Duration::from_millis(995), long, None), None, "budget");
        assert_eq!(policy.next_delay(0, Duration::ZERO, Duration::from_millis(1), None), None, "timeout");
        assert_eq!(RetryPolicy::none().next_delay(0, Duration::ZERO, long, None), None);
    }

    #[test]
    fn retry_after_is_honoured_within_the_budget() {
        let policy = RetryPolicy { budget: Duration::from_secs(5), ..RetryPolicy::default() };
        let long = Duration::from_secs(60);
        assert_eq!(
            policy.next_delay(0, Duration::ZERO, long, Some(Duration::from_secs(3))),
            Some(Duration::from_secs(3)),
            "longer than max_delay, still honoured"
        );
        assert_eq!(policy.next_delay(0, Duration::ZERO, long, Some(Duration::from_secs(7))), None, "past the budget");
        assert_eq!(parse_retry_after(" 3 "), Some(Duration::from_secs(3)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2026 07:28:00 GMT"), None);
        assert_eq!(parse_retry_after("-1"), None);
    }
}
