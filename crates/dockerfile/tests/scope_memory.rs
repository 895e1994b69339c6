//! Memory of the variable scopes RUNs keep (issue 8): 10,000 `ENV` × 1,000 `RUN` (157 KB)
//! took 1.5 GB when each RUN copied its scope. Scopes are now views of one shared history,
//! so the audit's peak heap stays a small multiple of the file. Measured with a counting
//! global allocator (this test binary only), never with time.

use plimsoll_core::config::ImagePolicy;
use plimsoll_dockerfile::{audit, parse};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

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

/// Peak heap growth while `f` runs.
fn peak_during(f: impl FnOnce()) -> usize {
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
