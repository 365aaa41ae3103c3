//! ERROR entries per service in DIR via the library: `cargo run --example embed -- DIR`.
use covet_logs::{compile_query, open_inputs, scan_input, Error, Field, Hit, Options};
use covet_logs::{ScanConfig, Sink, Source, TimeCtx, Walk};
use std::{collections::BTreeMap, path::Path};

/// ERROR entries counted per service (`""` for none), one map per chunk of input.
struct PerService;
type Counts = BTreeMap<String, u64>;
impl Sink for PerService {
    type Part = Counts;
    fn part(&self) -> Counts {
        Counts::new()
    }
    fn matched(&self, part: &mut Counts, hit: &mut Hit, _: &Source) -> Result<bool, Error> {
        let service = hit.record().text(Field::Service).unwrap_or_default();
        *part.entry(service.into_owned()).or_default() += 1;
        Ok(true)
    }
}
pub fn errors_per_service(dir: &Path) -> Result<Counts, Box<dyn std::error::Error>> {
    let ctx = TimeCtx::utc_now_year();
    let query = compile_query("level:ERROR", &Options::new(ctx))?;
    let (cfg, mut counts) = (ScanConfig::new(&query, ctx), Counts::new());
    let inputs = open_inputs(&[dir.to_path_buf()], &Walk::default())?.list;
    for (i, input) in inputs.iter().enumerate() {
        scan_input(input, i, &cfg, &PerService, &mut |part: Counts| {
            part.into_iter()
                .for_each(|(k, n)| *counts.entry(k).or_default() += n);
            Ok(true)
        })?;
    }
    Ok(counts)
}
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args_os().nth(1).ok_or("usage: embed DIR")?;
    for (service, n) in errors_per_service(Path::new(&dir))? {
        println!("{n}\t{service}");
    }
    Ok(())
}
