//! Prices records and sums them: one `Tally` per worker thread, merged at
//! the end. A request is priced at the prices of its own UTC day and its
//! own service tier; an unknown model or a price that does not exist (no
//! price on that date, a tier the model does not offer) is counted and
//! listed, never priced at $0. Pure: no I/O.

use std::borrow::Cow;
use std::collections::HashMap;

use jiff::civil::Date;
use jiff::Timestamp;

use super::aggregate::{Dim, Groups, Totals, SEP};
pub use super::bad_lines::{BadLines, EXAMPLES};
use super::charges::Charges;
use super::latency::{ModelSamples, Samples};
use super::record::{utc_date, BadLine, Record, Timed};
use super::what_if::WhatIf;
use crate::money::Money;
use crate::pricing::bill::{price, price_at, Bill, PriceError, Request};
use crate::pricing::{Catalog, Model};

/// What to compute, shared by every worker.
pub struct TallyOptions<'c> {
    pub catalog: &'c Catalog,
    pub dims: Vec<Dim>,
    /// The price date of requests whose log has no time.
    pub undated: Date,
    pub what_if: WhatIf<'c>,
    pub skip_bad: bool,
    /// Also keep latency samples per catalog model (for a latency sheet).
    pub latency_by_model: bool,
    /// Also keep the billed charges per day, part and price (for FOCUS).
    pub charges: bool,
}

impl TallyOptions<'_> {
    /// The fields to read from each line besides the usage: custom `--by`
    /// dimensions, then the class field.
    pub fn extra_fields(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .dims
            .iter()
            .filter_map(|d| match d {
                Dim::Field(f) => Some(f.clone()),
                _ => None,
            })
            .collect();
        if let Some(f) = self.what_if.class_field() {
            out.push(f.to_string());
        }
        out
    }
}

/// Reads named fields of the line a record came from.
pub trait Fields {
    fn field(&self, path: &str) -> Option<String>;
}

/// No fields (when no dimension needs one).
pub struct NoFields;

impl Fields for NoFields {
    fn field(&self, _: &str) -> Option<String> {
        None
    }
}

#[derive(Debug, Clone, Default)]
pub struct ClassTotals {
    pub fell_back: u64,
    pub totals: Totals,
}

/// Unknown model name -> (requests, tokens).
pub type Unknown = HashMap<String, (u64, u64)>;

pub struct Tally<'c> {
    opts: &'c TallyOptions<'c>,
    extra: Vec<String>,
    /// How many of `extra` are `--by` fields (they lead it): a charge's tags.
    tag_fields: usize,
    resolved: HashMap<Box<str>, Option<&'c Model>>,
    pub groups: Groups,
    pub unknown: Unknown,
    /// "model: reason" -> requests that could not be priced.
    pub unpriced: HashMap<String, u64>,
    pub what_if_unpriced: HashMap<String, u64>,
    pub classes: Vec<ClassTotals>,
    pub bad: BadLines,
    /// Requests priced although their timing fields are bad.
    pub bad_timing: BadLines,
    /// Group key -> timings, for groups with a timed or badly timed request
    /// (a group's untimed requests are its requests less these).
    pub latency: HashMap<String, Samples>,
    /// Catalog id -> timings (with `latency_by_model`).
    pub model_latency: HashMap<String, ModelSamples>,
    /// Timed requests on models the catalog does not know.
    pub unknown_timed: u64,
    /// Billed charges, tagged by the log's `--by` fields (with `charges`).
    pub charges: Charges<'c>,
    /// The first bad line (without `--skip-bad` it stops the run).
    pub first_error: Option<(usize, BadLine)>,
    /// Lines that are not billed requests.
    pub skipped: u64,
    pub duplicates: u64,
    pub undated: u64,
    /// The earliest and latest time of the requests added (dated ones).
    pub span: Option<(Timestamp, Timestamp)>,
    pub file_index: usize,
    key: String,
    day: Option<(i64, Date, [String; 3])>,
    dedup: Option<HashMap<(String, String), usize>>,
    pending: Vec<Pending>,
}

struct Pending {
    record: Record<'static>,
    file: String,
    values: Vec<Option<String>>,
}

impl<'c> Tally<'c> {
    /// `dedup`: keep one record per Claude Code message (single-threaded).
    pub fn new(opts: &'c TallyOptions<'c>, dedup: bool) -> Tally<'c> {
        let classes = vec![ClassTotals::default(); opts.what_if.classes()];
        Tally {
            opts,
            extra: opts.extra_fields(),
            tag_fields: opts
                .dims
                .iter()
                .filter(|d| matches!(d, Dim::Field(_)))
                .count(),
            resolved: HashMap::new(),
            groups: Groups::default(),
            unknown: HashMap::new(),
            unpriced: HashMap::new(),
            what_if_unpriced: HashMap::new(),
            classes,
            bad: BadLines::default(),
            bad_timing: BadLines::default(),
            latency: HashMap::new(),
            model_latency: HashMap::new(),
            unknown_timed: 0,
            charges: Charges::default(),
            first_error: None,
            skipped: 0,
            duplicates: 0,
            undated: 0,
            span: None,
            file_index: 0,
            key: String::new(),
            day: None,
            dedup: dedup.then(HashMap::new),
            pending: Vec::new(),
        }
    }

    pub fn needs_fields(&self) -> bool {
        !self.extra.is_empty()
    }

    /// Counts a bad line; `false` means the run must stop.
    pub fn bad_line(&mut self, bad: BadLine) -> bool {
        if !self.opts.skip_bad {
            if self.first_error.is_none() {
                self.first_error = Some((self.file_index, bad));
            }
            return false;
        }
        self.bad.add(self.file_index, bad);
        true
    }

    /// Counts a record's bad timing (located at `file:line`) before the
    /// record itself is added; `false` means the run must stop. With
    /// `--skip-bad` the record is still priced and only its timing is left out.
    pub fn check_timing(&mut self, record: &Record<'_>, file: &str, line: u64) -> bool {
        let Timed::Bad(bad) = &record.timing else {
            return true;
        };
        let bad = bad.clone().at(file, line);
        if !self.opts.skip_bad {
            if self.first_error.is_none() {
                self.first_error = Some((self.file_index, bad));
            }
            return false;
        }
        self.bad_timing.add(self.file_index, bad);
        true
    }

    pub fn record(&mut self, record: Record<'_>, file: &str, fields: &dyn Fields) {
        let values: Vec<Option<String>> = self.extra.iter().map(|f| fields.field(f)).collect();
        if let (Some(seen), Some((id, req))) = (self.dedup.as_mut(), record.dedup.as_ref()) {
            let key = (id.to_string(), req.to_string());
            if let Some(&i) = seen.get(&key) {
                self.duplicates += 1;
                let kept = &mut self.pending[i];
                if record.request.generated() > kept.record.request.generated() {
                    kept.record = owned(record);
                    kept.values = values;
                }
                return;
            }
            seen.insert(key, self.pending.len());
            self.pending.push(Pending {
                record: owned(record),
                file: file.to_string(),
                values,
            });
            return;
        }
        self.apply(&record, file, &values);
    }

    /// Adds the deduplicated records held back until the end.
    pub fn finish(&mut self) {
        for p in std::mem::take(&mut self.pending) {
            self.apply(&p.record, &p.file, &p.values);
        }
        if let Some(seen) = self.dedup.as_mut() {
            seen.clear();
        }
    }

    fn resolve(&mut self, name: &str) -> Option<&'c Model> {
        if let Some(m) = self.resolved.get(name) {
            return *m;
        }
        let catalog = self.opts.catalog;
        let model = catalog
            .get(name)
            .or_else(|| name.strip_prefix("models/").and_then(|n| catalog.get(n)));
        self.resolved.insert(name.into(), model);
        model
    }

    fn date_of(&mut self, time: Option<Timestamp>) -> (Date, Option<usize>) {
        let Some(ts) = time else {
            self.undated += 1;
            return (self.opts.undated, None);
        };
        let day = ts.as_second().div_euclid(86_400);
        if self.day.as_ref().is_none_or(|(d, _, _)| *d != day) {
            let date = utc_date(ts);
            let iso = date.iso_week_date();
            let texts = [
                date.to_string(),
                format!("{:04}-W{:02}", iso.year(), iso.week()),
                format!("{:04}-{:02}", date.year(), date.month()),
            ];
            self.day = Some((day, date, texts));
        }
        let (_, date, _) = self.day.as_ref().expect("set above");
        (*date, Some(0))
    }

    fn apply(&mut self, record: &Record<'_>, file: &str, values: &[Option<String>]) {
        let model = self.resolve(&record.model);
        let (date, dated) = self.date_of(record.time);
        if let Some(t) = record.time {
            self.span = Some(widen(self.span, t, t));
        }
        let request = record.request;
        let cost: Option<Money> = match model {
            None => {
                let e = self.unknown.entry(record.model.to_string()).or_default();
                e.0 += 1;
                e.1 += request.input + request.generated();
                None
            }
            Some(m) => match bill_for(m, &request, date, record.time) {
                Ok(bill) => {
                    if self.opts.charges && dated.is_some() {
                        let tags = self.tags(values);
                        self.charges.add(&tags, date, &m.id, &bill);
                    }
                    Some(bill.total)
                }
                Err(err) => {
                    *self.unpriced.entry(format!("{}: {err}", m.id)).or_default() += 1;
                    None
                }
            },
        };
        let class_value = values.last().and_then(|v| v.as_deref());
        let (class, what_if) = self.opts.what_if.reprice(request, class_value);
        let what_if_cost = match what_if {
            Some((target, req)) if cost.is_some() => {
                match bill_for(target, &req, date, record.time) {
                    Ok(bill) => Some(bill.total),
                    Err(err) => {
                        *self
                            .what_if_unpriced
                            .entry(format!("{}: {err}", target.id))
                            .or_default() += 1;
                        None
                    }
                }
            }
            _ => None,
        };
        self.build_key(record, model, file, dated, class.map(|a| a.class), values);
        let add = |t: &mut Totals| {
            t.requests += 1;
            let Some(c) = cost else {
                t.not_priced += 1;
                t.not_priced_tokens += request.input + request.generated();
                return;
            };
            t.input += request.input;
            t.cache_read += request.cache_read;
            t.cache_write += request.cache_write + request.cache_write_1h;
            t.output += request.output;
            t.reasoning += request.reasoning;
            t.priced += 1;
            t.cost += c;
            if let Some(l) = record.logged_cost {
                t.logged_requests += 1;
                t.logged += l;
                t.cost_where_logged += c;
            }
            if let Some(w) = what_if_cost {
                t.what_if_priced += 1;
                t.what_if += w;
                t.cost_where_what_if += c;
            }
        };
        let key = std::mem::take(&mut self.key);
        add(self.groups.entry(&key));
        if record.timing != Timed::Untimed {
            self.add_timing(record, model, file, &key);
        }
        self.key = key;
        if let Some(a) = class {
            let c = &mut self.classes[a.class];
            c.fell_back += u64::from(a.fell_back);
            add(&mut c.totals);
        }
    }

    /// The values of the `--by` fields, joined as one key.
    fn tags(&self, values: &[Option<String>]) -> String {
        let mut key = String::new();
        for (i, v) in values.iter().take(self.tag_fields).enumerate() {
            if i > 0 {
                key.push(SEP);
            }
            if let Some(v) = v {
                key.push_str(&v.replace(SEP, " "));
            }
        }
        key
    }

    fn build_key(
        &mut self,
        record: &Record<'_>,
        model: Option<&Model>,
        file: &str,
        dated: Option<usize>,
        class: Option<usize>,
        values: &[Option<String>],
    ) {
        let key = &mut self.key;
        key.clear();
        let mut custom = values.iter();
        for (i, dim) in self.opts.dims.iter().enumerate() {
            if i > 0 {
                key.push(SEP);
            }
            let day_text = |n: usize| -> &str {
                match (dated, &self.day) {
                    (Some(_), Some((_, _, texts))) => &texts[n],
                    _ => "(no date)",
                }
            };
            match dim {
                Dim::Model => key.push_str(model.map_or(&record.model, |m| m.id.as_str())),
                Dim::Day => key.push_str(day_text(0)),
                Dim::Week => key.push_str(day_text(1)),
                Dim::Month => key.push_str(day_text(2)),
                Dim::Tier => key.push_str(record.request.tier.key()),
                Dim::File => key.push_str(file),
                Dim::Class => {
                    if let (Some(k), WhatIf::Plan(route)) = (class, &self.opts.what_if) {
                        key.push_str(&route.routes.classes[k]);
                    }
                }
                Dim::Field(_) => {
                    if let Some(Some(v)) = custom.next() {
                        key.push_str(&v.replace(SEP, " "));
                    }
                }
            }
        }
    }

    fn add_timing(&mut self, record: &Record<'_>, model: Option<&Model>, file: &str, key: &str) {
        let generated = record.request.generated();
        if !self.latency.contains_key(key) {
            self.latency.insert(key.to_string(), Samples::default());
        }
        let samples = self.latency.get_mut(key).expect("just inserted");
        samples.add(&record.timing, record.time, generated);
        if !self.opts.latency_by_model {
            return;
        }
        let Some(m) = model else {
            if matches!(record.timing, Timed::Measured(_)) {
                self.unknown_timed += 1;
            }
            return;
        };
        let entry = self.model_latency.entry(m.id.clone()).or_default();
        entry.add(&record.timing, record.time, generated, file);
    }

    pub fn merge(&mut self, other: Tally<'c>) {
        self.groups.merge(other.groups);
        for (k, s) in other.latency {
            self.latency.entry(k).or_default().merge(s);
        }
        for (k, s) in other.model_latency {
            self.model_latency.entry(k).or_default().merge(s);
        }
        self.unknown_timed += other.unknown_timed;
        self.charges.merge(other.charges);
        self.bad_timing.merge(other.bad_timing);
        for (k, (r, t)) in other.unknown {
            let e = self.unknown.entry(k).or_default();
            e.0 += r;
            e.1 += t;
        }
        for (k, n) in other.unpriced {
            *self.unpriced.entry(k).or_default() += n;
        }
        for (k, n) in other.what_if_unpriced {
            *self.what_if_unpriced.entry(k).or_default() += n;
        }
        for (mine, theirs) in self.classes.iter_mut().zip(other.classes) {
            mine.fell_back += theirs.fell_back;
            mine.totals.merge(&theirs.totals);
        }
        self.bad.merge(other.bad);
        self.first_error = match (self.first_error.take(), other.first_error) {
            (Some(a), Some(b)) => Some(if (b.0, b.1.line) < (a.0, a.1.line) {
                b
            } else {
                a
            }),
            (a, b) => a.or(b),
        };
        self.skipped += other.skipped;
        self.duplicates += other.duplicates;
        self.undated += other.undated;
        if let Some((a, b)) = other.span {
            self.span = Some(widen(self.span, a, b));
        }
    }
}

/// `span` widened to cover `first..=last`.
fn widen(
    span: Option<(Timestamp, Timestamp)>,
    first: Timestamp,
    last: Timestamp,
) -> (Timestamp, Timestamp) {
    span.map_or((first, last), |(a, b)| (a.min(first), b.max(last)))
}

fn owned(record: Record<'_>) -> Record<'static> {
    Record {
        model: Cow::Owned(record.model.into_owned()),
        time: record.time,
        request: record.request,
        logged_cost: record.logged_cost,
        dedup: None,
        timing: record.timing,
    }
}

/// A logged request priced at its own time when the model has time-of-day
/// prices (DeepSeek's off-peak windows), else on its day.
fn bill_for(
    model: &Model,
    request: &Request,
    date: Date,
    time: Option<Timestamp>,
) -> Result<Bill, PriceError> {
    match time {
        Some(ts) if model.periods.iter().any(|p| !p.windows.is_empty()) => {
            price_at(model, request, ts)
        }
        _ => price(model, request, date),
    }
}
