//! `--keep-cores-awake`: one spinning thread per core in Linux's lowest scheduling class
//! (`SCHED_IDLE`), for the loopback group. A spinner runs only when nothing else on its core
//! can, so a core whose benchmark thread waits keeps running instead of halting. In a virtual
//! machine whose idle loop halts (no `haltpoll` cpuidle driver), a halted vCPU hands its
//! physical core back to the host, and waking it again costs the next request latency and
//! caches: the longer the wait, the more. The loopback rows compare calls whose threads wait
//! for different lengths of time (a decode between requests or not), so on such a host they
//! measure the hypervisor as much as the code; with the cores kept awake they measure the code.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;

/// The running spinners; dropping this stops them.
pub struct KeepAwake {
    stop: Arc<AtomicBool>,
    threads: Vec<JoinHandle<()>>,
}

impl KeepAwake {
    /// One spinner per core, each in `SCHED_IDLE` before it spins; an error if the system
    /// has no such class or refuses it (a spinner at normal priority would take the
    /// benchmark's own time, so none is left running).
    pub fn start() -> Result<KeepAwake, String> {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let stop = Arc::new(AtomicBool::new(false));
        let mut awake = KeepAwake { stop: stop.clone(), threads: Vec::with_capacity(cores) };
        let (tx, rx) = std::sync::mpsc::channel();
        for _ in 0..cores {
            let (stop, tx) = (stop.clone(), tx.clone());
            awake.threads.push(std::thread::spawn(move || {
                let lowered = lowest_priority();
                let ok = lowered.is_ok();
                let _ = tx.send(lowered);
                while ok && !stop.load(Ordering::Relaxed) {
                    std::hint::spin_loop();
                }
            }));
        }
        for _ in 0..cores {
            rx.recv().map_err(|_| "a spinner thread ended before it started".to_owned())??;
        }
        Ok(awake)
    }
}

impl Drop for KeepAwake {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

/// Puts the calling thread in `SCHED_IDLE`.
#[cfg(target_os = "linux")]
fn lowest_priority() -> Result<(), String> {
    let param = libc::sched_param { sched_priority: 0 };
    // SAFETY: `sched_setscheduler` reads `param` for the duration of the call; pid 0 is the
    // calling thread.
    if unsafe { libc::sched_setscheduler(0, libc::SCHED_IDLE, &param) } == 0 {
        Ok(())
    } else {
        Err(format!("--keep-cores-awake: SCHED_IDLE refused: {}", std::io::Error::last_os_error()))
    }
}

#[cfg(not(target_os = "linux"))]
fn lowest_priority() -> Result<(), String> {
    Err("--keep-cores-awake needs Linux's SCHED_IDLE".to_owned())
}
