//! Embeds every shipped price sheet, figures file and scenario in the binary, so `cost`
//! works from any directory with no files beside it.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let mut code = String::new();
    for (konst, dir) in [
        ("PRICE_SHEETS", "pricing"),
        ("FIGURES", "pricing/figures"),
        ("SCENARIOS", "scenarios"),
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
            writeln!(
                code,
                "    ({name:?}, include_str!({:?})),",
                abs.display().to_string()
            )
            .unwrap();
        }
        writeln!(code, "];").unwrap();
    }
    std::fs::write(Path::new(&out).join("embedded.rs"), code).unwrap();
}
