//! Giving memory the process freed back to the operating system.
//!
//! The binary's allocator is mimalloc (`src/main.rs`). On the gateway's
//! request path glibc's `malloc`/`free` took 15% of the samples; with
//! mimalloc, tuned by `tune`, the gateway served 4 to 7% more requests/s
//! at 32 connections, and its resident set was smaller: 40.4 to 40.7 MiB
//! at its peak while starting against 47.6, 41 to 43 MiB after 256
//! streams against 50 to 52 (BENCHMARKS.md, "Gateway"). Untuned, mimalloc keeps freed
//! pages for a while and left the gateway above 70 MiB; `tune` makes it
//! purge at once and commit arena memory as it is used.
//!
//! Loading a tokenizer's vocabulary builds about 10 MB of scratch tables
//! that are freed once the compact ones exist. glibc's allocator keeps
//! freed pages that sit below live allocations, so without this they stay
//! in the resident set of a long-running gateway (BENCHMARKS.md, "Gateway").

/// mimalloc's option numbers (`mi_option_e` in its `mimalloc.h`, stable
/// across its versions: retired options keep their slots).
const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Sets mimalloc to purge freed pages at once (by default a second later) and to
/// commit arena memory only as it is used. `src/main.rs` calls it before
/// the first allocation.
#[allow(unsafe_code)]
pub fn tune() {
    // SAFETY: `mi_option_set` stores an integer in mimalloc's option
    // table; it takes no pointers.
    unsafe {
        libmimalloc_sys::mi_option_set(PURGE_DELAY, 0);
        libmimalloc_sys::mi_option_set(ARENA_EAGER_COMMIT, 0);
    }
}

/// Returns the allocators' wholly free pages to the operating system:
/// mimalloc's (the binary's global allocator, `src/main.rs`), which
/// otherwise purges them only as later calls pass by, and glibc's
/// (`malloc_trim`), which C code and the tests' allocations use.
#[allow(unsafe_code)]
pub fn return_free_pages() {
    // SAFETY: `mi_collect` takes no pointers and only releases memory
    // mimalloc holds free; it is safe to call from any thread at any time.
    unsafe {
        libmimalloc_sys::mi_collect(true);
    }
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: as above, for glibc's `malloc_trim`.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The option numbers name the options meant: mimalloc's documented
    /// defaults are read back from them (nothing in the tests tunes it).
    #[test]
    #[allow(unsafe_code)]
    fn the_option_numbers_are_mimallocs() {
        // SAFETY: reading an option takes no pointers.
        let (purge, eager) = unsafe {
            (
                libmimalloc_sys::mi_option_get(PURGE_DELAY),
                libmimalloc_sys::mi_option_get(ARENA_EAGER_COMMIT),
            )
        };
        assert_eq!(
            (purge, eager),
            (1000, 2),
            "purge_delay = 1000 ms, arena_eager_commit = 2"
        );
    }
}
