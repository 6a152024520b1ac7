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
//!
//! Starting also touches code and read-only data of the binary that no
//! request uses again: the parsers of the scenario and the price sheets,
//! the compressed vocabulary the tokenizer's tables are built from. Those
//! pages stay mapped, and counted in the resident set, until the kernel
//! needs the memory. `release_startup_pages` unmaps them once the gateway
//! has started; the pages requests use are mapped again from the page
//! cache at their first use (BENCHMARKS.md, "The binary's pages").

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

/// The address range of a mapping: start inclusive, end exclusive.
pub type Range = (usize, usize);

/// The mappings of `exe` in `smaps` (the text of `/proc/self/smaps`) that
/// can be unmapped and read again from the file unchanged: private,
/// not writable, and without a page of their own (`Anonymous: 0 kB`; a
/// page the dynamic loader relocated would be one, and would be lost).
pub fn clean_read_only_mappings(smaps: &str, exe: &str) -> Vec<Range> {
    let mut found = Vec::new();
    let mut current: Option<Range> = None;
    for line in smaps.lines() {
        if let Some((range, perms, path)) = header(line) {
            let read_only_private = perms[1] == b'-' && perms[3] == b'p';
            current = (read_only_private && path == exe).then_some(range);
        } else if let Some(rest) = line.strip_prefix("Anonymous:") {
            if let Some(range) = current.take() {
                if rest.trim() == "0 kB" {
                    found.push(range);
                }
            }
        }
    }
    found
}

/// A mapping's header line (`start-end perms offset dev inode path`): its
/// range, its four permission letters and its path; `None` for any other
/// line.
fn header(line: &str) -> Option<(Range, &[u8], &str)> {
    let mut fields = line.splitn(6, ' ');
    let (start, end) = fields.next()?.split_once('-')?;
    let start = usize::from_str_radix(start, 16).ok()?;
    let end = usize::from_str_radix(end, 16).ok()?;
    let perms = fields.next()?.as_bytes();
    if perms.len() != 4 || start >= end {
        return None;
    }
    let path = fields.nth(3).map_or("", str::trim_start);
    Some(((start, end), perms, path))
}

/// Unmaps the resident pages of the binary's own code and read-only data,
/// to be mapped again from the file as they are used; returns the bytes of
/// the ranges released. Called once the gateway has started. Elsewhere
/// than Linux, or if `/proc` cannot be read, it does nothing.
#[allow(unsafe_code)]
pub fn release_startup_pages() -> usize {
    #[cfg(target_os = "linux")]
    {
        let Ok(exe) = std::fs::read_link("/proc/self/exe") else {
            return 0;
        };
        let Ok(smaps) = std::fs::read_to_string("/proc/self/smaps") else {
            return 0;
        };
        let mut released = 0;
        for (start, end) in clean_read_only_mappings(&smaps, &exe.to_string_lossy()) {
            // SAFETY: the range is a whole mapping of the executable,
            // private, not writable and with no page of its own, so every
            // page of it reads the same from the file as from memory:
            // `MADV_DONTNEED` drops the pages from this process's tables
            // and the next access maps the file's page again. It changes
            // no value any code can see.
            let done = unsafe {
                libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_DONTNEED)
            };
            if done == 0 {
                released += end - start;
            }
        }
        released
    }
    #[cfg(not(target_os = "linux"))]
    0
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

    const SMAPS: &str = "\
55c3e33a0000-55c3e3a28000 r--p 00000000 08:01 1234 /opt/cost/bin/cost
Rss:                3584 kB
Anonymous:             0 kB
55c3e3a28000-55c3e4a15000 r-xp 00688000 08:01 1234 /opt/cost/bin/cost
Rss:               10436 kB
Anonymous:             0 kB
55c3e4a15000-55c3e4aad000 r--p 01675000 08:01 1234 /opt/cost/bin/cost
Rss:                 608 kB
Anonymous:           604 kB
55c3e4aad000-55c3e4ab8000 rw-p 0170d000 08:01 1234 /opt/cost/bin/cost
Anonymous:            44 kB
7f2a84e98000-7f2a84fee000 r-xp 00026000 08:01 99 /usr/lib/x86_64-linux-gnu/libc.so.6
Anonymous:             0 kB
7f2a84c28000-7f2a84c30000 rw-s 00000000 00:1e 77 /tmp/ledger.sqlite-shm
Anonymous:             0 kB
7f2a80000000-7f2a80021000 rw-p 00000000 00:00 0 
Anonymous:            12 kB
";

    /// The code and the read-only data of the binary are released; its
    /// relocated read-only pages (which have pages of their own), its
    /// writable data, other files and anonymous memory are not.
    #[test]
    fn only_the_binarys_unmodified_read_only_mappings_are_released() {
        assert_eq!(
            clean_read_only_mappings(SMAPS, "/opt/cost/bin/cost"),
            vec![
                (0x55c3_e33a_0000, 0x55c3_e3a2_8000),
                (0x55c3_e3a2_8000, 0x55c3_e4a1_5000)
            ]
        );
        assert_eq!(
            clean_read_only_mappings(SMAPS, "/opt/cost/bin/other"),
            vec![]
        );
    }

    /// A path with spaces is one path, and a shared mapping of the binary
    /// is never released.
    #[test]
    fn paths_with_spaces_and_shared_mappings() {
        let smaps = "1000-3000 r-xp 00000000 08:01 5 /home/a user/cost\nAnonymous: 0 kB\n\
                     3000-4000 r--s 00000000 08:01 5 /home/a user/cost\nAnonymous: 0 kB\n";
        assert_eq!(
            clean_read_only_mappings(smaps, "/home/a user/cost"),
            vec![(0x1000, 0x3000)]
        );
    }

    /// A table the compiler puts in the binary's read-only data.
    static TABLE: [u64; 2048] = {
        let mut t = [0u64; 2048];
        let mut i = 0;
        while i < t.len() {
            t[i] = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
            i += 1;
        }
        t
    };

    fn smaps_of_self() -> Vec<Range> {
        let exe = std::fs::read_link("/proc/self/exe").unwrap();
        let smaps = std::fs::read_to_string("/proc/self/smaps").unwrap();
        clean_read_only_mappings(&smaps, &exe.to_string_lossy())
    }

    /// On the running test binary: its code and read-only data are
    /// released, the mappings stay, and what they hold reads the same
    /// afterwards (the table, and the code that goes on running, are
    /// mapped again from the file).
    #[cfg(target_os = "linux")]
    #[test]
    fn the_running_binary_reads_the_same_after_its_pages_are_released() {
        let sum = |t: &[u64]| t.iter().fold(0u64, |a, x| a.wrapping_add(*x));
        let before = sum(std::hint::black_box(&TABLE));
        let mappings = smaps_of_self();
        let released = release_startup_pages();
        assert!(released > 0, "released {released} bytes");
        assert_eq!(sum(std::hint::black_box(&TABLE)), before);
        assert_eq!(smaps_of_self(), mappings);
    }
}
