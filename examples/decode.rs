//! The baseline of `benches/compressed.sh`: a `.gz` or `.zst` file decoded by the same
//! crates covet-logs reads it with (flate2 on the zlib-rs backend, zstd), on one thread,
//! into nothing; prints the decoded byte count. What covet-logs adds on top of
//! decompression is the difference between the two timings.
//!
//!     cargo run --release --example decode -- FILE.gz

use std::io::{BufReader, Read};

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: decode FILE.gz|FILE.zst");
        std::process::exit(2);
    };
    let file = match std::fs::File::open(&path) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("decode: {path}: {e}");
            std::process::exit(2);
        }
    };
    let mut reader: Box<dyn Read> = if path.ends_with(".zst") {
        match zstd::stream::read::Decoder::new(file) {
            Ok(d) => Box::new(d),
            Err(e) => {
                eprintln!("decode: {path}: {e}");
                std::process::exit(2);
            }
        }
    } else {
        Box::new(flate2::read::MultiGzDecoder::new(BufReader::with_capacity(
            1 << 16,
            file,
        )))
    };
    match std::io::copy(&mut reader, &mut std::io::sink()) {
        Ok(n) => println!("{n}"),
        Err(e) => {
            eprintln!("decode: {path}: {e}");
            std::process::exit(2);
        }
    }
}
