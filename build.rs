//! Embeds every shipped price sheet, figures file and scenario in the binary, so `cost`
//! works from any directory with no files beside it.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let mut code = String::new();
    let mut verified: Vec<String> = Vec::new();
    for (konst, dir) in [
        ("PRICE_SHEETS", "pricing"),
        ("FIGURES", "pricing/figures"),
        ("SCENARIOS", "scenarios"),
        ("HARDWARE", "hardware"),
        ("DEPLOYMENTS", "deployments"),
    ] {
        println!("cargo:rerun-if-changed={dir}");
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        files.retain(|p: &std::path::PathBuf| p.extension().is_some_and(|e| e == "toml"));
        files.sort();
        writeln!(code, "pub const {konst}: &[(&str, &str)] = &[").unwrap();
        for path in files {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let abs = Path::new(&std::env::var("CARGO_MANIFEST_DIR").unwrap()).join(&path);
            println!("cargo:rerun-if-changed={}", abs.display());
            if konst == "PRICE_SHEETS" {
                let text = std::fs::read_to_string(&abs).unwrap_or_default();
                verified.extend(verified_dates(&text));
            }
            writeln!(
                code,
                "    ({name:?}, include_str!({:?})),",
                abs.display().to_string()
            )
            .unwrap();
        }
        writeln!(code, "];").unwrap();
    }
    verified.sort();
    let range = match (verified.first(), verified.last()) {
        (Some(first), Some(last)) if first == last => first.clone(),
        (Some(first), Some(last)) => format!("{first} to {last}"),
        _ => "never".to_string(),
    };
    writeln!(
        code,
        "/// The oldest and newest `verified` date in the shipped price sheets.\n\
         #[cfg(test)]\n\
         pub const PRICES_VERIFIED: &str = {range:?};\n\
         /// What `cost --version` prints after `cost`.\n\
         pub const VERSION: &str = {:?};",
        format!(
            "{} (prices verified {range})",
            std::env::var("CARGO_PKG_VERSION").unwrap()
        )
    )
    .unwrap();
    std::fs::write(Path::new(&out).join("embedded.rs"), code).unwrap();
}

/// Every `verified = YYYY-MM-DD` line in a sheet (a model's or a price period's).
fn verified_dates(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| {
            let (key, value) = line.split_once('=')?;
            let date = value.trim().get(..10)?;
            let is_date = date.bytes().enumerate().all(|(i, b)| match i {
                4 | 7 => b == b'-',
                _ => b.is_ascii_digit(),
            });
            (key.trim() == "verified" && is_date).then(|| date.to_string())
        })
        .collect()
}
