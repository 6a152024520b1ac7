//! Reads a token count written as a number or as a distribution table, and
//! checks its parameters. Empirical values can come from a file beside the
//! scenario (one number per line; `#` starts a comment).

use std::path::Path;
use std::sync::Arc;

use toml::Value;

use super::token_dist::{CacheSpec, TokenDist};
use crate::source::{KeyPath, Problem};

const KINDS: &str = "fixed (value), normal (mean, sd), lognormal (median and p95, or mu and sigma), uniform (min, max), empirical (values = [...] or file = \"path\")";

/// Largest expected token count of one request a distribution may have: far
/// above any context window, and small enough that costs stay finite.
pub const MAX_MEAN_TOKENS: f64 = 1e9;

/// A token count: an integer, or `{ dist = ..., ... }`, whose mean is
/// finite and at most `MAX_MEAN_TOKENS` (a log-normal with sigma = 1e18
/// would otherwise price every plan at `$inf`).
pub fn token_dist(value: &Value, at: &KeyPath, base: Option<&Path>) -> Result<TokenDist, Problem> {
    let dist = parse_dist(value, at, base)?;
    let mean = dist.mean();
    if !(mean.is_finite() && mean <= MAX_MEAN_TOKENS) {
        return Err(Problem::new(
            at.clone(),
            format!("the mean of this token count is {mean:e} tokens, above the most allowed ({MAX_MEAN_TOKENS:e})"),
        )
        .hint("check the parameters: a request of this size fits no context window"));
    }
    Ok(dist)
}

fn parse_dist(value: &Value, at: &KeyPath, base: Option<&Path>) -> Result<TokenDist, Problem> {
    match value {
        Value::Integer(n) => count(*n, at).map(|n| TokenDist::Fixed(n as f64)),
        Value::Float(f) => Err(Problem::new(at.clone(), format!("`{f}` is not a token count: expected a whole number, or a distribution table"))
            .hint("token counts are whole numbers of tokens, e.g. `output = 350`, or `{ dist = \"lognormal\", median = 350, p95 = 1200 }`")),
        Value::Table(t) => {
            let kind = t.get("dist").and_then(Value::as_str).ok_or_else(|| {
                Problem::new(at.key("dist"), "a distribution table needs `dist`").hint(format!("one of {KINDS}"))
            })?;
            let allowed: &[&str] = match kind {
                "fixed" => &["value"],
                "normal" => &["mean", "sd"],
                "lognormal" => &["median", "p95", "mu", "sigma"],
                "uniform" => &["min", "max"],
                "empirical" => &["values", "file"],
                other => return Err(Problem::new(at.key("dist"), format!("unknown distribution `{other}`")).hint(format!("one of {KINDS}"))),
            };
            for key in t.keys().filter(|k| *k != "dist") {
                if !allowed.contains(&key.as_str()) {
                    return Err(Problem::new(at.key(key), format!("`{key}` is not a parameter of a {kind} distribution")).hint(format!("it takes: {}", allowed.join(", "))));
                }
            }
            let num = |key: &str| -> Result<Option<f64>, Problem> {
                match t.get(key) {
                    None => Ok(None),
                    Some(Value::Integer(n)) => Ok(Some(*n as f64)),
                    Some(Value::Float(f)) if f.is_finite() => Ok(Some(*f)),
                    Some(other) => Err(Problem::new(at.key(key), format!("`{key}` must be a number, not {}", other.type_str()))),
                }
            };
            let need = |key: &str| num(key)?.ok_or_else(|| Problem::new(at.key(key), format!("a {kind} distribution needs `{key}`")));
            let non_negative = |key: &str, v: f64| {
                if v < 0.0 {
                    Err(Problem::new(at.key(key), format!("{key} = {v} must be zero or more")))
                } else {
                    Ok(v)
                }
            };
            Ok(match kind {
                "fixed" => TokenDist::Fixed(non_negative("value", need("value")?)?),
                "normal" => {
                    let (mean, sd) = (non_negative("mean", need("mean")?)?, need("sd")?);
                    if sd < 0.0 {
                        return Err(Problem::new(at.key("sd"), format!("sd = {sd} is negative")).hint("a standard deviation is zero or more"));
                    }
                    if sd == 0.0 {
                        TokenDist::Fixed(mean)
                    } else {
                        TokenDist::Normal { mean, sd }
                    }
                }
                "lognormal" => match (num("median")?, num("p95")?, num("mu")?, num("sigma")?) {
                    (Some(median), Some(p95), None, None) => {
                        if median <= 0.0 {
                            return Err(Problem::new(at.key("median"), format!("median = {median} must be positive")));
                        }
                        if p95 <= median {
                            return Err(Problem::new(at.key("p95"), format!("p95 = {p95} is not above the median ({median})")).hint("a log-normal's 95th percentile lies above its median"));
                        }
                        TokenDist::log_normal_from_quantiles(median, p95)
                    }
                    (None, None, Some(mu), Some(sigma)) => {
                        if sigma <= 0.0 {
                            return Err(Problem::new(at.key("sigma"), format!("sigma = {sigma} must be positive")));
                        }
                        TokenDist::LogNormal { mu, sigma }
                    }
                    _ => return Err(Problem::new(at.clone(), "a lognormal distribution needs `median` and `p95`, or `mu` and `sigma`")),
                },
                "uniform" => {
                    let (min, max) = (non_negative("min", need("min")?)?, need("max")?);
                    if max < min {
                        return Err(Problem::new(at.key("max"), format!("max = {max} is below min = {min}")));
                    }
                    if max == min {
                        TokenDist::Fixed(min)
                    } else {
                        TokenDist::Uniform { min, max }
                    }
                }
                _ => empirical(t, at, base)?,
            })
        }
        other => Err(Problem::new(at.clone(), format!("expected a whole number of tokens or a distribution table, found {}", other.type_str()))),
    }
}

/// A cache count: like a token count, or `{ share = 0.8 }` of the prompt.
pub fn cache_spec(
    value: Option<&Value>,
    at: &KeyPath,
    base: Option<&Path>,
) -> Result<CacheSpec, Problem> {
    let Some(value) = value else {
        return Ok(CacheSpec::Tokens(TokenDist::Fixed(0.0)));
    };
    if let Value::Table(t) = value {
        if let Some(share) = t.get("share") {
            if t.len() > 1 {
                return Err(Problem::new(
                    at.clone(),
                    "`share` stands alone: a share of the prompt, not a distribution",
                ));
            }
            let s = share
                .as_float()
                .or(share.as_integer().map(|i| i as f64))
                .unwrap_or(f64::NAN);
            if !(0.0..=1.0).contains(&s) {
                return Err(
                    Problem::new(at.key("share"), format!("share {s} is outside 0..1"))
                        .hint("the fraction of the prompt read from or written to the cache"),
                );
            }
            return Ok(CacheSpec::Share(s));
        }
    }
    token_dist(value, at, base).map(CacheSpec::Tokens)
}

fn count(n: i64, at: &KeyPath) -> Result<u64, Problem> {
    u64::try_from(n).map_err(|_| {
        Problem::new(at.clone(), format!("{n} is not a token count"))
            .hint("token counts are whole numbers, zero or more")
    })
}

fn empirical(t: &toml::Table, at: &KeyPath, base: Option<&Path>) -> Result<TokenDist, Problem> {
    let mut values: Vec<f64> =
        match (t.get("values"), t.get("file")) {
            (Some(Value::Array(items)), None) => items
                .iter()
                .enumerate()
                .map(|(i, v)| match v {
                    Value::Integer(n) if *n >= 0 => Ok(*n as f64),
                    Value::Float(f) if *f >= 0.0 && f.is_finite() => Ok(*f),
                    other => Err(Problem::new(
                        at.key("values").index(i),
                        format!("`{other}` is not a token count"),
                    )),
                })
                .collect::<Result<_, _>>()?,
            (None, Some(Value::String(file))) => read_values(file, at, base)?,
            _ => return Err(Problem::new(
                at.clone(),
                "an empirical distribution needs `values = [...]` or `file = \"path\"` (not both)",
            )),
        };
    if values.is_empty() {
        return Err(
            Problem::new(at.clone(), "the empirical distribution has no values")
                .hint("give at least one observed token count"),
        );
    }
    values.sort_by(f64::total_cmp);
    Ok(TokenDist::Empirical(Arc::new(values)))
}

/// Largest file of empirical token counts read (a million counts need
/// about 8 MB).
pub const MAX_VALUES_FILE: u64 = 16 * 1024 * 1024;

/// The bytes of a regular file of at most `MAX_VALUES_FILE` bytes: never a
/// device, FIFO or folder, and never more than the cap even when the size
/// on disk lies (`/proc` files say 0).
fn read_capped(path: &Path) -> Result<Vec<u8>, String> {
    use std::io::Read as _;
    let shown = path.display();
    let meta = std::fs::metadata(path).map_err(|e| format!("{shown}: {e}"))?;
    if !meta.is_file() {
        return Err(format!("{shown} is not a regular file"));
    }
    let too_big = || {
        format!("{shown} is larger than {MAX_VALUES_FILE} bytes, the most an empirical distribution reads")
    };
    if meta.len() > MAX_VALUES_FILE {
        return Err(too_big());
    }
    let file = std::fs::File::open(path).map_err(|e| format!("{shown}: {e}"))?;
    let mut bytes = Vec::new();
    file.take(MAX_VALUES_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("{shown}: {e}"))?;
    if bytes.len() as u64 > MAX_VALUES_FILE {
        return Err(too_big());
    }
    crate::source::note_read(path);
    Ok(bytes)
}

fn read_values(file: &str, at: &KeyPath, base: Option<&Path>) -> Result<Vec<f64>, Problem> {
    let path = base.map_or_else(|| Path::new(file).to_path_buf(), |b| b.join(file));
    if crate::source::is_stdin(&path) {
        return Err(Problem::new(
            at.key("file"),
            "`-` is not a file of token counts",
        ));
    }
    let bytes = read_capped(&path).map_err(|why| Problem::new(at.key("file"), why))?;
    let text = crate::source::utf8_text(bytes).map_err(|e| {
        Problem::new(
            at.key("file"),
            format!(
                "{}:{}: byte {} of the line (byte offset {} in the file) is not valid UTF-8",
                path.display(),
                e.line,
                e.column,
                e.offset
            ),
        )
    })?;
    let mut values = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        let field = line.split(',').next().unwrap_or("").trim();
        if field.is_empty() {
            continue;
        }
        match field.parse::<f64>() {
            Ok(v) if v >= 0.0 && v.is_finite() => values.push(v),
            _ => {
                return Err(Problem::new(
                    at.key("file"),
                    // The line itself is not echoed: the file may not be
                    // what the scenario's author says it is.
                    format!("{}:{}: not a token count", path.display(), i + 1),
                )
                .hint(
                    "one non-negative number per line (the first CSV column); `#` starts a comment",
                ));
            }
        }
    }
    if values.is_empty() {
        return Err(Problem::new(
            at.key("file"),
            format!("{} holds no values", path.display()),
        )
        .hint("one observed token count per line"));
    }
    Ok(values)
}
