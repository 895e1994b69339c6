//! Memory the audit keeps per RUN (issue 8): 10,000 `ENV` × 1,000 `RUN` (157 KB) took 1.5 GB
//! when each RUN copied its variable scope; scopes are now views of one shared history. Each
//! RUN's parsed script also kept the growth slack of its many one-element lists (about 3 KB
//! per one-word RUN, 2.2 GB for a 4 MiB file of them). Measured with a counting global
//! allocator (this test binary only, one test at a time), never with time.

use plimsoll_core::config::ImagePolicy;
use plimsoll_dockerfile::{audit, parse};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// The system allocator, counting live and peak bytes.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The counters are global: measurements take turns.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Peak heap growth while `f` runs.
fn peak_during(f: impl FnOnce()) -> usize {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    f();
    PEAK.load(Ordering::Relaxed).saturating_sub(base)
}

#[test]
fn runs_share_one_variable_scope_instead_of_copying_it() {
    let mut src = String::from("FROM alpine:3.20\n");
    for i in 0..10_000 {
        src.push_str(&format!("ENV V{i}=x\n"));
    }
    for _ in 0..1_000 {
        src.push_str("RUN echo $V1\n");
    }
    // Interleaved too: every RUN sees a different scope.
    for i in 0..2_000 {
        src.push_str(&format!("ENV W{i}=y\nRUN echo $W{i}\n"));
    }
    let peak = peak_during(|| {
        let df = parse("Dockerfile", src.as_bytes()).unwrap();
        let findings = audit(&df, &ImagePolicy::default());
        assert!(!findings.is_empty());
    });
    eprintln!(
        "{} bytes of Dockerfile: peak heap {} MB",
        src.len(),
        peak / 1_000_000
    );
    // Copying the scope per RUN needs > 1 GB here; shared, it is tens of MB.
    assert!(peak < 150_000_000, "peak heap {peak} bytes");
}

#[test]
fn a_parsed_run_keeps_no_growth_slack() {
    let mut src = String::from("FROM alpine:3.20\n");
    for _ in 0..20_000 {
        src.push_str("RUN make\n");
    }
    let peak = peak_during(|| {
        let df = parse("Dockerfile", src.as_bytes()).unwrap();
        let findings = audit(&df, &ImagePolicy::default());
        assert!(!findings.is_empty());
    });
    eprintln!("20,000 RUNs: peak heap {} MB", peak / 1_000_000);
    // With every list's slack this was above 60 MB; trimmed it is under 30 MB.
    assert!(peak < 45_000_000, "peak heap {peak} bytes");
}
