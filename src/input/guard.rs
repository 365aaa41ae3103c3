//! Memory maps that survive the file being truncated under them.
//!
//! Reading a mapped page past the end of a file that shrank raises SIGBUS, which would
//! kill the process. Every map is registered here; a SIGBUS handler checks whether the
//! faulting address lies in a registered map and, if so, maps anonymous zero pages over
//! the rest of that map and returns, so the read resumes and sees zeros. The map is
//! flagged, and the scanner reports the file as changed while read (exit 2) instead of
//! crashing. A fault anywhere else gets the previous handler (the default: crash).

use std::fs::File;
use std::io;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Once;

const SLOTS: usize = 256;

struct Slot {
    start: AtomicUsize,
    len: AtomicUsize,
    faulted: AtomicBool,
}

#[allow(clippy::declare_interior_mutable_const)]
const EMPTY: Slot = Slot {
    start: AtomicUsize::new(0),
    len: AtomicUsize::new(0),
    faulted: AtomicBool::new(false),
};

static REGISTRY: [Slot; SLOTS] = [EMPTY; SLOTS];
static PAGE: AtomicUsize = AtomicUsize::new(4096);
static INSTALL: Once = Once::new();
static mut PREVIOUS: Option<libc::sigaction> = None;

/// A read-only map of a whole file, registered with the SIGBUS guard (or, for a small
/// file, its bytes read).
pub struct GuardedMap {
    map: Option<memmap2::Mmap>,
    /// A small file's bytes, read instead of mapped.
    owned: Vec<u8>,
    slot: Option<usize>,
}

/// Files up to this size are read into memory instead of mapped: one `pread` costs
/// less than a map, its page faults and the unmap (a directory of many small files).
const READ_BELOW: u64 = 256 << 10;

impl GuardedMap {
    /// Maps `file`; a file up to `READ_BELOW` (an empty one too) is read into memory
    /// instead. Fails when no slot is free, so the caller can fall back to reading.
    pub fn new(file: &File) -> io::Result<GuardedMap> {
        install_handler();
        let len = file.metadata()?.len();
        if len <= READ_BELOW {
            return Ok(GuardedMap {
                map: None,
                owned: read_whole(file, len)?,
                slot: None,
            });
        }
        // SAFETY: the map is read-only; truncation by another process is handled by
        // the SIGBUS guard registered below before any byte is read.
        let map = unsafe { memmap2::MmapOptions::new().map(file)? };
        let start = map.as_ptr() as usize;
        let slot = register(start, map.len())
            .ok_or_else(|| io::Error::other("too many files mapped at once"))?;
        Ok(GuardedMap {
            map: Some(map),
            owned: Vec::new(),
            slot: Some(slot),
        })
    }

    pub fn bytes(&self) -> &[u8] {
        self.map.as_deref().unwrap_or(&self.owned)
    }

    /// Whether a page past the file's end was touched (the file shrank while read).
    pub fn was_truncated(&self) -> bool {
        self.slot
            .is_some_and(|i| REGISTRY[i].faulted.load(Ordering::SeqCst))
    }

    /// Whether most of a large map is not in the page cache (a cold file): `mincore` of
    /// pages spread evenly over it. Faulting such a map in, two workers at two places,
    /// reads the disk slower than one reader streaming it from the start (measured:
    /// `benches/cold.sh`), so the scanner reads a cold file as a stream.
    pub fn mostly_cold(&self) -> bool {
        const SAMPLES: usize = 32;
        const LARGE: usize = 16 << 20;
        let Some(map) = &self.map else {
            return false;
        };
        if map.len() < LARGE {
            return false;
        }
        let page = PAGE.load(Ordering::Relaxed);
        let base = map.as_ptr() as usize;
        let resident = (0..SAMPLES)
            .filter(|i| {
                let at = (base + map.len() / SAMPLES * i) & !(page - 1);
                let mut vec = [0u8; 1];
                // SAFETY: `at` is page-aligned and its page lies inside the map (the map
                // starts page-aligned and `at` is at most its start plus its length);
                // `vec` holds the one byte a one-page query writes.
                let ok = unsafe { libc::mincore(at as *mut libc::c_void, 1, vec.as_mut_ptr()) };
                ok == 0 && vec[0] & 1 == 1
            })
            .count();
        resident < SAMPLES / 2
    }

    /// Hints the kernel to read ahead sequentially.
    pub fn advise_sequential(&self) {
        if let Some(map) = &self.map {
            let _ = map.advise(memmap2::Advice::Sequential);
        }
    }
}

/// The first `len` bytes of `file` (fewer if it shrank), read from offset 0 whatever
/// its position.
fn read_whole(file: &File, len: u64) -> io::Result<Vec<u8>> {
    use std::os::unix::fs::FileExt;
    let mut data = vec![0u8; len as usize];
    let mut got = 0;
    while got < data.len() {
        match file.read_at(&mut data[got..], got as u64) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    data.truncate(got);
    Ok(data)
}

impl Drop for GuardedMap {
    fn drop(&mut self) {
        if let Some(i) = self.slot {
            REGISTRY[i].len.store(0, Ordering::SeqCst);
            REGISTRY[i].faulted.store(false, Ordering::SeqCst);
            REGISTRY[i].start.store(0, Ordering::SeqCst);
        }
    }
}

fn register(start: usize, len: usize) -> Option<usize> {
    for (i, slot) in REGISTRY.iter().enumerate() {
        if slot
            .start
            .compare_exchange(0, start, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok()
        {
            slot.faulted.store(false, Ordering::SeqCst);
            slot.len.store(len, Ordering::SeqCst);
            return Some(i);
        }
    }
    None
}

fn install_handler() {
    INSTALL.call_once(|| {
        // SAFETY: plain libc calls; PREVIOUS is written once, before the handler that
        // reads it can run.
        unsafe {
            let page = libc::sysconf(libc::_SC_PAGESIZE);
            if page > 0 {
                PAGE.store(page as usize, Ordering::SeqCst);
            }
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_sigbus as *const () as usize;
            action.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
            libc::sigemptyset(&mut action.sa_mask);
            let mut old: libc::sigaction = std::mem::zeroed();
            if libc::sigaction(libc::SIGBUS, &action, &mut old) == 0 {
                PREVIOUS = Some(old);
            }
        }
    });
}

extern "C" fn on_sigbus(_sig: libc::c_int, info: *mut libc::siginfo_t, _ctx: *mut libc::c_void) {
    // SAFETY: only async-signal-safe work: atomics, mmap, sigaction.
    unsafe {
        let addr = (*info).si_addr() as usize;
        let page = PAGE.load(Ordering::Relaxed);
        for slot in REGISTRY.iter() {
            let start = slot.start.load(Ordering::SeqCst);
            let len = slot.len.load(Ordering::SeqCst);
            if start == 0 || addr < start || addr >= start + len {
                continue;
            }
            let from = addr & !(page - 1);
            let end = (start + len).div_ceil(page) * page;
            let got = libc::mmap(
                from as *mut libc::c_void,
                end - from,
                libc::PROT_READ,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_FIXED,
                -1,
                0,
            );
            if got != libc::MAP_FAILED {
                slot.faulted.store(true, Ordering::SeqCst);
                return;
            }
        }
        // Not ours: restore the previous action; the faulting access runs it.
        let previous = std::ptr::addr_of!(PREVIOUS);
        match *previous {
            Some(ref old) => {
                libc::sigaction(libc::SIGBUS, old, std::ptr::null_mut());
            }
            None => {
                libc::signal(libc::SIGBUS, libc::SIG_DFL);
            }
        }
    }
}

/// Drops the page-table entries of a part of a file map that a scan has finished with
/// (`MADV_DONTNEED`), so the pages are unmapped by the scanning threads in parallel and
/// the final `munmap` of a large file (about 80 ms per GiB, on one thread) has little
/// left to do; resident memory stays small too. The file's pages stay in the page cache,
/// and a later read of the range maps them again (a shared file map refaults from the
/// file, never zeros). Only whole pages inside `range` are released, and nothing of a
/// range no longer than a file that is read instead of mapped.
pub fn release(range: &[u8]) {
    // A small file's bytes are read, not mapped (and a small range saves little).
    if range.len() as u64 <= READ_BELOW {
        return;
    }
    #[cfg(target_os = "linux")]
    {
        // SAFETY: sysconf has no preconditions.
        let page = match usize::try_from(unsafe { libc::sysconf(libc::_SC_PAGESIZE) }) {
            Ok(p) if p.is_power_of_two() => p,
            _ => return,
        };
        let start = range.as_ptr() as usize;
        let first = (start + page - 1) & !(page - 1);
        let end = (start + range.len()) & !(page - 1);
        if end <= first {
            return;
        }
        // SAFETY: [first, end) lies inside `range`, which borrows a live, read-only,
        // shared file map. MADV_DONTNEED on such a map only drops page-table entries: the
        // next read maps the same file pages again, so no value seen through `range`
        // changes. Errors are ignored (it is only a hint).
        unsafe {
            libc::madvise(first as *mut libc::c_void, end - first, libc::MADV_DONTNEED);
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = range;
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn truncated_file_reads_as_zeros_instead_of_crashing() {
        let mut f = tempfile::NamedTempFile::new().expect("temp file");
        let data = vec![b'x'; 1 << 20];
        f.write_all(&data).expect("write");
        f.flush().expect("flush");
        let map = GuardedMap::new(f.as_file()).expect("map");
        assert_eq!(map.bytes()[10], b'x');
        f.as_file().set_len(4096).expect("truncate");
        let bytes = map.bytes();
        let tail_sum: u64 = bytes[8192..].iter().map(|&b| u64::from(b)).sum();
        assert_eq!(tail_sum, 0);
        assert!(map.was_truncated());
        assert_eq!(bytes[100], b'x');
    }

    #[test]
    fn released_pages_read_back_the_same_bytes() {
        let mut f = tempfile::NamedTempFile::new().expect("temp file");
        let data: Vec<u8> = (0..(1u32 << 20)).map(|i| (i % 251) as u8).collect();
        f.write_all(&data).expect("write");
        f.flush().expect("flush");
        let map = GuardedMap::new(f.as_file()).expect("map");
        let bytes = map.bytes();
        assert_eq!(bytes, &data[..]);
        release(&bytes[1000..700_000]);
        release(bytes);
        assert_eq!(bytes, &data[..]);
        assert!(!map.was_truncated());
    }
}
