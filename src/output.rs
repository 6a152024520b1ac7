//! The one place that writes to stdout and stderr: reports go to stdout (or
//! atomically to `-o FILE`), notes and warnings to stderr unless `--quiet`.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::Context as _;

use crate::human::printable;
use crate::report::{render, Format, Layout, Report};

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
    /// Colour, width and column set of the terminal table.
    pub layout: Layout,
    /// `--table NAME`: the one table CSV writes and the table and
    /// Markdown views show (JSON always carries every table).
    pub table: Option<String>,
}

impl Printer {
    pub fn emit(&self, report: &Report) -> anyhow::Result<()> {
        self.emit_with(report, None)
    }

    /// Emits the report and writes side files (charts) with it, all or
    /// none: with `-o FILE` every file is staged before any is renamed into
    /// place; to stdout, the side files are written before the report.
    pub fn emit_with(
        &self,
        report: &Report,
        side: Option<&(&Path, Vec<u8>)>,
    ) -> anyhow::Result<()> {
        let side: Vec<(&Path, &[u8])> = side.iter().map(|(p, b)| (*p, b.as_slice())).collect();
        let side = side.as_slice();
        if let Some(key) = report.non_finite() {
            anyhow::bail!(
                "`{key}` is not a finite dollar amount (an overflow or a division by zero upstream)\n  hint: check the inputs that feed it (prices, volumes, shares) for zero or extreme values"
            );
        }
        // Prices taken from the catalog snapshot (or by a guessed id) are
        // second-hand: whatever the command, its report says so.
        let second_hand = crate::pricing::snapshot::note();
        let mut adjusted = None;
        if !second_hand.is_empty() {
            adjusted = Some(Report {
                notes: report.notes.iter().cloned().chain(second_hand).collect(),
                ..report.clone()
            });
        }
        if let Some(name) = &self.table {
            let selected = adjusted.as_ref().unwrap_or(report).only_table(name)?;
            if self.format != Format::Json {
                adjusted = Some(selected);
            }
        }
        let report = adjusted.as_ref().unwrap_or(report);
        let text = render(report, self.format, self.layout);
        if let Some(path) = &self.output {
            let mut files = side.to_vec();
            files.push((path, text.as_bytes()));
            write_all_atomically(&files)?;
        } else {
            write_all_atomically(side)?;
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(text.as_bytes())?;
            stdout.flush()?;
        }
        for (path, _) in side {
            self.note(&format!("wrote {}", path.display()));
        }
        if self.format == Format::Csv {
            for note in &report.notes {
                self.note(note);
            }
        }
        Ok(())
    }

    /// Writes text as it is (a shipped file, a manual page) to stdout, or
    /// atomically to `-o FILE`; `--format` does not apply.
    pub fn emit_text(&self, text: &str) -> anyhow::Result<()> {
        if let Some(path) = &self.output {
            write_atomically(path, text.as_bytes())
        } else {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(text.as_bytes())?;
            stdout.flush()?;
            Ok(())
        }
    }

    /// Writes bytes (a Parquet or CSV export) to stdout, or atomically to
    /// `-o FILE`; `--format` does not apply.
    pub fn emit_bytes(&self, bytes: &[u8]) -> anyhow::Result<()> {
        if let Some(path) = &self.output {
            write_atomically(path, bytes)
        } else {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(bytes)?;
            stdout.flush()?;
            Ok(())
        }
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

/// Writes to a temporary file beside `path`, then renames it into place, so
/// a failure never leaves a partial file. Every file `cost` writes goes
/// through here (reports and imported price sheets).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    write_all_atomically(&[(path, bytes)])
}

/// Writes several files, all or none: each is staged in a temporary file
/// beside its target first, and only when every one is staged are they
/// renamed into place. The rules every file `cost` writes follows, like `cp`:
/// - a path that is one of the command's inputs is refused;
/// - a new file gets the usual mode (0666 less the umask), an existing
///   file keeps its mode;
/// - a symlink is written through: its target is replaced, the link kept
///   (a dangling link is refused).
pub fn write_all_atomically(files: &[(&Path, &[u8])]) -> anyhow::Result<()> {
    let staged = files
        .iter()
        .map(|(path, bytes)| stage(path, bytes))
        .collect::<anyhow::Result<Vec<_>>>()?;
    for ((path, _), (tmp, target)) in files.iter().zip(staged) {
        tmp.persist(&target)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

/// Writes a folder of files as one set, all or none: when `dir` does not
/// exist yet, into a new sibling folder that is then renamed to `dir`;
/// when it does, each file staged beside its target before any is renamed
/// (`write_all_atomically`). A failure leaves `dir` as it was. Then the
/// files of `dir` that `stale` marks and the set did not write are removed,
/// so that `dir` holds one write's files, never a mix of two.
pub fn write_folder(
    dir: &Path,
    files: &[(String, Vec<u8>)],
    stale: &dyn Fn(&Path) -> bool,
) -> anyhow::Result<()> {
    if std::fs::symlink_metadata(dir).is_err() {
        return create_folder(dir, files);
    }
    if !dir.is_dir() {
        anyhow::bail!("{}: is not a folder", dir.display());
    }
    let paths: Vec<PathBuf> = files.iter().map(|(name, _)| dir.join(name)).collect();
    let set: Vec<(&Path, &[u8])> = paths
        .iter()
        .zip(files)
        .map(|(p, (_, bytes))| (p.as_path(), bytes.as_slice()))
        .collect();
    write_all_atomically(&set)?;
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let written = files
            .iter()
            .any(|(name, _)| entry.file_name() == name.as_str());
        if !written && path.is_file() && stale(&path) {
            std::fs::remove_file(&path)
                .with_context(|| format!("cannot remove the stale {}", path.display()))?;
        }
    }
    Ok(())
}

/// A new folder with `files`, made beside it and renamed into place (made
/// with `create_dir`, so its mode follows the umask like `mkdir`).
fn create_folder(dir: &Path, files: &[(String, Vec<u8>)]) -> anyhow::Result<()> {
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)
        .with_context(|| format!("cannot create the folder {}", parent.display()))?;
    let name = dir
        .file_name()
        .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    let staging = parent.join(format!(".{name}.partial-{}", std::process::id()));
    std::fs::create_dir(&staging)
        .with_context(|| format!("cannot create the folder {}", staging.display()))?;
    let written = files
        .iter()
        .try_for_each(|(file, bytes)| {
            let path = staging.join(file);
            std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))
        })
        .and_then(|()| {
            std::fs::rename(&staging, dir)
                .with_context(|| format!("cannot create the folder {}", dir.display()))
        });
    if written.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    written
}

/// The temporary file holding `bytes` and the path it will be renamed to.
fn stage(path: &Path, bytes: &[u8]) -> anyhow::Result<(tempfile::NamedTempFile, PathBuf)> {
    if crate::source::was_read(path) {
        anyhow::bail!(
            "{}: is one of this command's inputs; refusing to overwrite it\n  hint: write the output to another file",
            path.display()
        );
    }
    let target = match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => path.canonicalize().with_context(|| {
            format!(
                "{}: is a symlink to a missing file; refusing to write through it",
                path.display()
            )
        })?,
        _ => path.to_path_buf(),
    };
    let dir = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut builder = tempfile::Builder::new();
    let existing = std::fs::metadata(&target).ok().map(|m| m.permissions());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        // The mode goes to open(2), which applies the umask.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a file in {}", dir.display()))?;
    tmp.write_all(bytes)
        .with_context(|| format!("cannot write {}", path.display()))?;
    if let Some(permissions) = existing {
        std::fs::set_permissions(tmp.path(), permissions)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok((tmp, target))
}
