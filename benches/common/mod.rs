//! What the benchmarks share. Each uses part of it.
#![allow(dead_code)]

use std::fs;

pub(crate) mod generator;

/// CPU time (user + system, all threads) used by this process so far, in
/// seconds, from `/proc/self/stat` (assumes the usual 100 clock ticks per
/// second). Steadier than wall time on a busy machine.
pub(crate) fn cpu_seconds() -> f64 {
    let stat = fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name, which is in brackets and may hold spaces.
    let after = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = after.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 here.
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    (ticks(11) + ticks(12)) as f64 / 100.0
}
