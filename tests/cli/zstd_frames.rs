//! A zstd file of many frames (as `pzstd`, concatenated `.zst` files or the seekable
//! format make them) is decoded frame by frame in parallel (`input::frames`): the
//! answers must be those of the uncompressed file, whatever the frames cut (mid-line,
//! mid-entry, a frame of three bytes, an empty one, skippable frames at the start, in
//! the middle and at the end; runs longer than a job's buffer are unit tests of
//! `input::frames`).

use crate::util::{self, gen_cfg, Dir};

use covet_gen::GenFormat;

/// A skippable frame (magic 0x184D2A5n, little-endian length, payload).
fn skippable(nibble: u8, payload: &[u8]) -> Vec<u8> {
    let mut frame = vec![0x50 | nibble, 0x2a, 0x4d, 0x18];
    frame.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    frame.extend_from_slice(payload);
    frame
}

fn frame(bytes: &[u8]) -> Vec<u8> {
    zstd::encode_all(bytes, 3).expect("zstd")
}

/// An offset inside the second line of the first entry that spans several lines (a
/// stack trace or a metadata block; entries start with a timestamp) after `from`.
fn inside_an_entry(text: &[u8], from: usize) -> usize {
    let mut at = from;
    loop {
        let nl = at + memchr::memchr(b'\n', &text[at..]).expect("a line end");
        if text.get(nl + 1).is_some_and(|b| !b.is_ascii_digit()) {
            return nl + 4;
        }
        at = nl + 1;
    }
}

/// `text` as a file of many frames: a pzstd-like skippable frame first, a tiny frame,
/// a cut inside a multi-line entry, an empty frame, one frame of 2 MiB, a skippable
/// frame in the middle, frames of 100 KiB cut mid-line, and a seek-table-like
/// skippable frame at the end.
fn many_frames(text: &[u8]) -> (Vec<u8>, usize) {
    let mut cuts = vec![0, 3];
    let inside = inside_an_entry(text, 5000);
    cuts.push(inside);
    cuts.push(inside); // an empty frame
    let big = inside + (2 << 20) + 11;
    cuts.push(big);
    let mut at = big;
    while at + (100 << 10) < text.len() {
        at += (100 << 10) + 7;
        cuts.push(at);
    }
    cuts.push(text.len());
    let mut out = skippable(0, &[0x10, 0, 0, 0]);
    for (i, w) in cuts.windows(2).enumerate() {
        out.extend(frame(&text[w[0]..w[1]]));
        if i == 4 {
            out.extend(skippable(3, b"between frames"));
        }
    }
    out.extend(skippable(0xe, &[0u8; 21]));
    (out, cuts.len() - 1)
}

#[test]
fn a_many_frame_zstd_file_reads_as_the_uncompressed_file() {
    // The same name in two directories: `stats` names the file.
    let (dir, zst_dir) = (Dir::new(), Dir::new());
    let mut cfg = gen_cfg(0, 16, GenFormat::Text);
    cfg.lines = 70_000;
    let text = dir.create_gen("t.log", &cfg);
    let (zst, frames) = many_frames(&text);
    // Decoded as several runs of frames (a run is about 1 MiB compressed).
    assert!(
        zst.len() > (3 << 20) / 2 && frames > 40,
        "{} bytes",
        zst.len()
    );
    zst_dir.create("t.log", &zst);
    // The frames decode (one decoder, in order) to the text: the file is what it says.
    assert_eq!(zstd::decode_all(&zst[..]).expect("decode"), text);
    let entries = util::gen_entries(&cfg);
    for query in ["level:ERROR timeout", "level:>=WARN"] {
        let truth = util::truth_matching(&cfg, &entries, query).len() as u64;
        assert!(truth > 0, "{query}");
        for threads in ["1", "3"] {
            for args in [
                vec!["search", "-j", threads, "-c", query],
                vec!["search", "-j", threads, query],
                vec!["stats", "-j", threads, "--json", query],
            ] {
                let plain = dir.command().args(&args).arg("t.log").run();
                let framed = zst_dir.command().args(&args).arg("t.log").run();
                plain.expect_code(0).expect_stderr_empty();
                framed.expect_code(0).expect_stderr_empty();
                util::assert_text_eq(
                    &format!("{args:?} on the zstd file"),
                    &plain.stdout,
                    &framed.stdout,
                );
                if args[3] == "-c" {
                    assert_eq!(framed.count(), truth, "{args:?}");
                }
            }
        }
    }
}

#[test]
fn concatenated_zst_files_read_as_their_concatenation() {
    // The same name in two directories: `--json` output names the file.
    let (plain_dir, zst_dir) = (Dir::new(), Dir::new());
    let parts: Vec<Vec<u8>> = (0..5)
        .map(|seed| util::gen_bytes(&gen_cfg(3000, 30 + seed, GenFormat::Json)))
        .collect();
    plain_dir.create("all.log", parts.concat());
    let zst: Vec<u8> = parts.iter().flat_map(|p| frame(p)).collect();
    zst_dir.create("all.log", &zst);
    for args in [
        vec!["search", "-c", "level:ERROR"],
        vec!["search", "--json", "level:>=WARN"],
    ] {
        let plain = plain_dir.command().args(&args).arg("all.log").run();
        let framed = zst_dir.command().args(&args).arg("all.log").run();
        plain.expect_code(0);
        framed.expect_code(0).expect_stderr_empty();
        util::assert_text_eq(&format!("{args:?}"), &plain.stdout, &framed.stdout);
    }
}
