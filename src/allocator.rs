//! Settings of the allocator the `alimap` command runs on (mimalloc, set
//! as the global allocator in `main.rs` and in the build benchmark).

use libmimalloc_sys::{mi_option_set, mi_option_t};

/// mimalloc's `mi_option_purge_delay`: its place in the `mi_option_e`
/// enum of `mimalloc.h` (version 3, as `libmimalloc-sys` 0.1.49 builds
/// it), which `libmimalloc-sys` does not name. A unit test checks it by
/// the option's default.
const PURGE_DELAY: mi_option_t = 15;

/// For a command that builds once and exits (`build`, `check`): memory
/// the build frees is kept for its next allocations instead of being given
/// back to the system a second later. By default mimalloc gives it back,
/// and the pages the build then touches again are mapped and zeroed anew:
/// at 100,000 points that was 7 % of the build's CPU time, for the same
/// peak memory. `alimap serve`, which waits between builds, keeps the
/// default and gives memory back.
pub fn keep_freed_memory() {
    // SAFETY: sets one of mimalloc's integer options, which it reads
    // atomically; -1 is the documented "never purge" value.
    unsafe { mi_option_set(PURGE_DELAY, -1) }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `PURGE_DELAY` is the option it names: its default, 1000 ms, is that
    /// of no other option of mimalloc 3.
    #[test]
    fn purge_delay_is_mimallocs_purge_delay() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return;
        }
        // SAFETY: reads one of mimalloc's integer options.
        let delay = unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) };
        assert_eq!(delay, 1000);
    }
}
