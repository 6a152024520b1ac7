//! Giving memory the process freed back to the operating system.
//!
//! Loading a tokenizer's vocabulary builds about 10 MB of scratch tables
//! that are freed once the compact ones exist. glibc's allocator keeps
//! freed pages that sit below live allocations, so without this they stay
//! in the resident set of a long-running gateway (BENCHMARKS.md, "Gateway").

/// Returns the allocator's wholly free pages to the operating system
/// (glibc's `malloc_trim`); elsewhere it does nothing.
#[allow(unsafe_code)]
pub fn return_free_pages() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` takes no pointers and only releases memory the
    // allocator holds free; it is safe to call from any thread at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}
