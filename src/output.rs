//! The one place that writes to stdout and stderr: reports go to stdout (or
//! atomically to `-o FILE`), notes and warnings to stderr unless `--quiet`.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::Context as _;

use crate::human::printable;
use crate::report::{render, Format, Report};

/// Whether tables are coloured: `Auto` colours a terminal unless `NO_COLOR`
/// is set or the report goes to a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone)]
pub struct Printer {
    pub format: Format,
    pub output: Option<PathBuf>,
    pub quiet: bool,
    pub color: bool,
}

impl Printer {
    pub fn emit(&self, report: &Report) -> anyhow::Result<()> {
        let text = render(report, self.format, self.color);
        if let Some(path) = &self.output {
            write_atomically(path, text.as_bytes())?;
        } else {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(text.as_bytes())?;
            stdout.flush()?;
        }
        if self.format == Format::Csv {
            for note in &report.notes {
                self.note(note);
            }
        }
        Ok(())
    }

    pub fn note(&self, message: &str) {
        if !self.quiet {
            eprintln!("note: {}", printable(message, true));
        }
    }

    pub fn warn(&self, message: &str) {
        if !self.quiet {
            eprintln!("warning: {}", printable(message, true));
        }
    }

    /// Whether a progress bar may draw.
    pub fn progress(&self) -> bool {
        !self.quiet && std::io::stderr().is_terminal()
    }

    /// A progress bar on stderr for `total` units, drawn only when
    /// `worth_it` and stderr is a terminal without `--quiet`; it clears
    /// itself when dropped. Every progress bar `cost` draws is made here.
    pub fn progress_bar(&self, total: u64, unit: ProgressUnit, worth_it: bool) -> Progress {
        let bar = (self.progress() && worth_it).then(|| {
            let template = match unit {
                ProgressUnit::Bytes => {
                    "{bar:40} {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} eta {eta}"
                        .to_string()
                }
                ProgressUnit::Counted(what) => {
                    format!("{{spinner}} {what} {{pos}}/{{len}} {{wide_bar}} {{eta}}")
                }
            };
            let bar = indicatif::ProgressBar::new(total);
            bar.set_style(
                indicatif::ProgressStyle::with_template(&template)
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar
        });
        Progress { bar }
    }
}

/// What a progress bar counts.
#[derive(Debug, Clone, Copy)]
pub enum ProgressUnit {
    /// Bytes read, shown with a rate.
    Bytes,
    /// Units named by the text, e.g. "simulating ... plan-days".
    Counted(&'static str),
}

/// A progress bar that may not draw at all (see `Printer::progress_bar`).
pub struct Progress {
    bar: Option<indicatif::ProgressBar>,
}

impl Progress {
    /// Sets the position; cheap enough to call from worker threads.
    pub fn set(&self, position: u64) {
        if let Some(bar) = &self.bar {
            bar.set_position(position);
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Writes a side file (a chart) atomically; says where on stderr.
pub fn write_file(path: &Path, bytes: &[u8], printer: &Printer) -> anyhow::Result<()> {
    write_atomically(path, bytes)?;
    printer.note(&format!("wrote {}", path.display()));
    Ok(())
}

/// Writes to a temporary file beside `path`, then renames it into place, so
/// a failure never leaves a partial file. Every file `cost` writes goes
/// through here (reports and imported price sheets).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot create a file in {}", dir.display()))?;
    tmp.write_all(bytes)
        .with_context(|| format!("cannot write {}", path.display()))?;
    tmp.persist(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}
