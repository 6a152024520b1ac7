//! How logs spell model ids, and the spellings a lookup tries, in order.
//! Gateways, clouds and SDKs write the same model many ways: with a
//! provider prefix (`openai/gpt-4o`, OpenRouter's `x-ai/grok-4`), with
//! OpenRouter's dotted Claude versions (`anthropic/claude-sonnet-4.5`), a
//! `:variant` suffix (`:thinking`), as a Bedrock model or inference-profile
//! id (`us.anthropic.claude-3-5-sonnet-20240620-v1:0`, `openai.gpt-5.5`), a
//! Vertex resource path or version (`publishers/google/models/...`,
//! `claude-3-5-sonnet@20240620`, `gemini-1.5-pro@001`), an Azure spelling
//! (`gpt-35-turbo`). Each rule rewrites the spelling without changing which
//! model and price is meant, so a lookup tries them one after another.
//!
//! One rule is a guess: dropping a dated snapshot or `-latest` suffix
//! (`claude-sonnet-4-20250514` to `claude-sonnet-4`, `pixtral-12b-latest`
//! to `pixtral-12b`) prices a snapshot at its family's price, which can
//! differ. It comes last, after every
//! spelling has been tried on both tiers, and a report says when it was
//! used. `:free` is never dropped: a free variant is not the paid model.
//!
//! Pure string rules; `catalog.rs` looks the spellings up.

/// Why a spelling differs from the logged id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    /// `projects/p/locations/l/publishers/google/models/gemini-2.5-pro`, `models/gemini-2.5-pro`.
    VertexPath,
    /// `claude-3-5-sonnet@20240620`, `gemini-1.5-pro@001`.
    VertexVersion,
    /// `us.anthropic.claude-...-v1:0`, `openai.gpt-5.5`, inference-profile ARNs.
    Bedrock,
    /// Azure's `gpt-35-turbo` for `gpt-3.5-turbo`.
    Azure,
    /// `openai/gpt-4o`, `openrouter/x-ai/grok-4`.
    ProviderPrefix,
    /// `:thinking`, `:beta`, `:nitro`, `:extended`...
    Variant,
    /// OpenRouter's `claude-sonnet-4.5`, `claude-4.5-sonnet`, `claude-3.7-sonnet`.
    ClaudeDots,
    /// `-20250514`, `-2024-08-06`, `-latest`: a guess (see the module header).
    DatedSuffix,
}

impl Rule {
    pub fn describe(self) -> &'static str {
        match self {
            Rule::VertexPath => "Vertex resource path",
            Rule::VertexVersion => "Vertex version suffix",
            Rule::Bedrock => "Bedrock model id",
            Rule::Azure => "Azure spelling",
            Rule::ProviderPrefix => "provider prefix",
            Rule::Variant => "`:variant` suffix",
            Rule::ClaudeDots => "OpenRouter's dotted Claude version",
            Rule::DatedSuffix => "dated or -latest suffix dropped",
        }
    }

    /// Whether the spelling may name a differently priced model.
    pub fn is_guess(self) -> bool {
        self == Rule::DatedSuffix
    }
}

/// Variant suffixes that do not change the price (OpenRouter's routing
/// options, reasoning toggles). `:free` does.
const NEUTRAL_VARIANTS: &[&str] = &[
    "thinking", "beta", "nitro", "floor", "online", "extended", "exacto", "latest",
];

/// Bedrock cross-region inference-profile prefixes.
const BEDROCK_REGIONS: &[&str] = &["us", "eu", "apac", "au", "jp", "ca", "us-gov", "global"];

/// Bedrock model-id vendor prefixes.
const BEDROCK_VENDORS: &[&str] = &[
    "anthropic",
    "openai",
    "meta",
    "mistral",
    "amazon",
    "cohere",
    "ai21",
    "deepseek",
    "qwen",
    "writer",
    "moonshot",
    "moonshotai",
    "zai",
    "minimax",
    "google",
    "nvidia",
];

/// A rewriting rule: the spellings it makes of one spelling.
type Step = fn(&str) -> Vec<String>;

fn push(out: &mut Vec<(String, Option<Rule>)>, s: String, rule: Option<Rule>) {
    if !s.is_empty() && !out.iter().any(|(o, _)| o.eq_ignore_ascii_case(&s)) {
        out.push((s, rule));
    }
}

/// The spellings to try for `name`, the logged id first; each with the last
/// rule that produced it. No duplicates.
pub fn spellings(name: &str) -> Vec<(String, Option<Rule>)> {
    let mut out: Vec<(String, Option<Rule>)> = Vec::new();
    push(&mut out, name.trim().to_string(), None);
    let steps: [(Rule, Step); 7] = [
        (Rule::VertexPath, vertex_path),
        (Rule::VertexVersion, vertex_version),
        (Rule::Bedrock, bedrock),
        (Rule::Azure, azure),
        (Rule::ProviderPrefix, provider_prefix),
        (Rule::Variant, variant),
        (Rule::ClaudeDots, claude_dots),
    ];
    // Each rule applies to every spelling the earlier rules made.
    for (rule, step) in steps {
        let so_far: Vec<String> = out.iter().map(|(s, _)| s.clone()).collect();
        for s in &so_far {
            for form in step(s) {
                push(&mut out, form, Some(rule));
            }
        }
    }
    // The guess comes last, on every spelling so far.
    let so_far: Vec<String> = out.iter().map(|(s, _)| s.clone()).collect();
    for s in so_far.iter().rev() {
        if let Some(undated) = undated(s) {
            push(&mut out, undated, Some(Rule::DatedSuffix));
        }
    }
    out
}

fn vertex_path(s: &str) -> Vec<String> {
    let after = |marker: &str| s.rfind(marker).map(|i| s[i + marker.len()..].to_string());
    after("/models/")
        .or_else(|| s.strip_prefix("models/").map(String::from))
        .into_iter()
        .collect()
}

fn vertex_version(s: &str) -> Vec<String> {
    let Some((model, version)) = s.rsplit_once('@') else {
        return vec![];
    };
    if version.is_empty() || !version.chars().all(|c| c.is_ascii_alphanumeric()) {
        return vec![];
    }
    if version.len() == 3 && version.chars().all(|c| c.is_ascii_digit()) {
        // `gemini-1.5-pro@001`: Google also writes `gemini-1.5-pro-001`.
        vec![format!("{model}-{version}"), model.to_string()]
    } else {
        vec![format!("{model}-{version}")]
    }
}

fn bedrock(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    // arn:aws:bedrock:us-east-1:123:inference-profile/us.anthropic.claude-...
    let mut id = s;
    if id.starts_with("arn:aws") {
        match id.rsplit_once('/') {
            Some((_, tail)) => {
                id = tail;
                out.push(id.to_string());
            }
            None => return out,
        }
    }
    let mut parts: Vec<&str> = id.splitn(3, '.').collect();
    if parts.len() >= 2
        && BEDROCK_REGIONS.contains(&parts[0])
        && BEDROCK_VENDORS.contains(&parts[1])
    {
        id = &id[parts[0].len() + 1..];
        out.push(id.to_string());
        parts = id.splitn(2, '.').collect();
    }
    if parts.len() >= 2 && BEDROCK_VENDORS.contains(&parts[0]) && !parts[1].is_empty() {
        let model = &id[parts[0].len() + 1..];
        let model = strip_bedrock_version(model);
        out.push(model.to_string());
    }
    out
}

/// `-v1:0`, `-1:0`, `-v2` at the end of a Bedrock model id.
fn strip_bedrock_version(model: &str) -> &str {
    let digits = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit());
    let (model, had_revision) = match model.rsplit_once(':') {
        Some((head, tail)) if digits(tail) => (head, true),
        _ => (model, false),
    };
    match model.rsplit_once('-') {
        Some((head, tail)) if tail.strip_prefix('v').is_some_and(digits) => head,
        Some((head, tail)) if had_revision && digits(tail) && tail.len() == 1 => head,
        _ => model,
    }
}

fn azure(s: &str) -> Vec<String> {
    s.contains("gpt-35")
        .then(|| s.replace("gpt-35", "gpt-3.5"))
        .into_iter()
        .collect()
}

/// Each prefix dropped in turn: `openrouter/x-ai/grok-4`, `x-ai/grok-4`, `grok-4`.
fn provider_prefix(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some((_, tail)) = rest.split_once('/') {
        rest = tail;
        out.push(rest.to_string());
    }
    out
}

fn variant(s: &str) -> Vec<String> {
    match s.rsplit_once(':') {
        Some((model, v)) if NEUTRAL_VARIANTS.contains(&v.to_ascii_lowercase().as_str()) => {
            vec![model.to_string()]
        }
        _ => vec![],
    }
}

/// `claude-sonnet-4.5` and `claude-4.5-sonnet` to `claude-sonnet-4-5`;
/// `claude-3.7-sonnet` to `claude-3-7-sonnet` (Anthropic put the family
/// after the version until Claude 4).
fn claude_dots(s: &str) -> Vec<String> {
    let lower = s.to_ascii_lowercase();
    let Some(rest) = lower.strip_prefix("claude-") else {
        return vec![];
    };
    let mut out = Vec::new();
    let dashed = rest.replace('.', "-");
    for family in ["opus", "sonnet", "haiku"] {
        // claude-4.5-sonnet[-date] -> claude-sonnet-4-5[-date]
        if let Some(pos) = dashed.find(&format!("-{family}")) {
            let version = &dashed[..pos];
            let tail = &dashed[pos + 1 + family.len()..];
            let major: u32 = version
                .split('-')
                .next()
                .and_then(|m| m.parse().ok())
                .unwrap_or(0);
            if major >= 4 && version.chars().all(|c| c.is_ascii_digit() || c == '-') {
                out.push(format!("claude-{family}-{version}{tail}"));
                return out;
            }
        }
    }
    if dashed != rest {
        out.push(format!("claude-{dashed}"));
    }
    out
}

/// The undated family name of a dated or `-latest` id.
fn undated(s: &str) -> Option<String> {
    strip_date(s).or_else(|| s.strip_suffix("-latest").map(String::from))
}

/// `name-20250514`, `name-2024-08-06` to `name`.
pub fn strip_date(s: &str) -> Option<String> {
    let is_digits = |t: &str, n: usize| t.len() == n && t.chars().all(|c| c.is_ascii_digit());
    if let Some((head, tail)) = s.rsplit_once('-') {
        if is_digits(tail, 8) && tail.starts_with("20") {
            return Some(head.to_string());
        }
    }
    // -YYYY-MM-DD
    // Only an ASCII tail can be a date (and slicing it bytewise is then safe:
    // a model id with a multi-byte character near its end is not one).
    let b = s.as_bytes();
    if b.len() > 11 && b[b.len() - 11..].is_ascii() {
        let (head, tail) = s.split_at(s.len() - 11);
        let t = tail.as_bytes();
        let ok = t[0] == b'-'
            && is_digits(&tail[1..5], 4)
            && t[5] == b'-'
            && is_digits(&tail[6..8], 2)
            && t[8] == b'-'
            && is_digits(&tail[9..11], 2)
            && tail[1..].starts_with("20");
        if ok {
            return Some(head.to_string());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tried(name: &str) -> Vec<String> {
        spellings(name).into_iter().map(|(s, _)| s).collect()
    }

    fn reaches(name: &str, target: &str, rule: Rule) {
        let all = spellings(name);
        let hit = all.iter().find(|(s, _)| s == target);
        assert_eq!(
            hit.map(|(_, r)| *r),
            Some(Some(rule)),
            "{name} should reach {target} by {rule:?}: {all:?}"
        );
    }

    #[test]
    fn the_logged_id_is_tried_first() {
        assert_eq!(tried("gpt-4o"), vec!["gpt-4o"]);
        assert_eq!(tried("  gpt-4o ")[0], "gpt-4o");
    }

    #[test]
    fn provider_prefixes_are_dropped_one_at_a_time() {
        assert_eq!(
            tried("openrouter/x-ai/grok-4"),
            vec!["openrouter/x-ai/grok-4", "x-ai/grok-4", "grok-4"]
        );
        reaches("openai/gpt-4.1-mini", "gpt-4.1-mini", Rule::ProviderPrefix);
    }

    #[test]
    fn openrouter_dotted_claude_versions() {
        reaches(
            "anthropic/claude-sonnet-4.5",
            "claude-sonnet-4-5",
            Rule::ClaudeDots,
        );
        reaches(
            "anthropic/claude-4.5-sonnet-20250929",
            "claude-sonnet-4-5-20250929",
            Rule::ClaudeDots,
        );
        reaches(
            "anthropic/claude-3.7-sonnet:thinking",
            "claude-3-7-sonnet",
            Rule::ClaudeDots,
        );
        // Dots in other families are the real spelling.
        assert_eq!(tried("gpt-4.1"), vec!["gpt-4.1"]);
    }

    #[test]
    fn neutral_variants_are_dropped_but_free_is_not() {
        reaches(
            "anthropic/claude-3.7-sonnet:thinking",
            "anthropic/claude-3.7-sonnet",
            Rule::Variant,
        );
        reaches("gpt-4o:extended", "gpt-4o", Rule::Variant);
        assert!(!tried("google/gemini-2.0-flash-exp:free")
            .contains(&"google/gemini-2.0-flash-exp".to_string()));
        assert!(!tried("google/gemini-2.0-flash-exp:free")
            .contains(&"gemini-2.0-flash-exp".to_string()));
    }

    #[test]
    fn dated_snapshots_are_a_last_resort() {
        let all = tried("claude-sonnet-4-20250514");
        assert_eq!(all, vec!["claude-sonnet-4-20250514", "claude-sonnet-4"]);
        reaches("gpt-4o-2024-08-06", "gpt-4o", Rule::DatedSuffix);
        assert!(Rule::DatedSuffix.is_guess());
        // Every other rule has been tried before the first guess.
        let all = spellings("anthropic/claude-4.5-sonnet-20250929");
        let first_guess = all
            .iter()
            .position(|(_, r)| *r == Some(Rule::DatedSuffix))
            .unwrap();
        assert!(all[..first_guess]
            .iter()
            .all(|(_, r)| !r.is_some_and(Rule::is_guess)));
        reaches("pixtral-12b-latest", "pixtral-12b", Rule::DatedSuffix);
        assert_eq!(strip_date("gpt-4o-mini"), None);
        assert_eq!(strip_date("grok-2-1212"), None);
        assert_eq!(strip_date("o3-mini-2025-01-31").as_deref(), Some("o3-mini"));
        // Found by tests/parsers_fuzz.rs: a multi-byte character 11 bytes
        // from the end panicked ("not a char boundary").
        assert_eq!(strip_date("gemini-3-fla\u{fffd}h-preview"), None);
        assert_eq!(strip_date("model-2025-01-3\u{e9}"), None);
    }

    #[test]
    fn bedrock_ids_and_inference_profiles() {
        reaches(
            "us.anthropic.claude-3-5-sonnet-20240620-v1:0",
            "anthropic.claude-3-5-sonnet-20240620-v1:0",
            Rule::Bedrock,
        );
        reaches(
            "us.anthropic.claude-3-5-sonnet-20240620-v1:0",
            "claude-3-5-sonnet-20240620",
            Rule::Bedrock,
        );
        reaches("openai.gpt-5.5", "gpt-5.5", Rule::Bedrock);
        reaches("openai.gpt-oss-120b-1:0", "gpt-oss-120b", Rule::Bedrock);
        reaches(
            "arn:aws:bedrock:us-east-1:123456789012:inference-profile/global.anthropic.claude-sonnet-4-5-20250929-v1:0",
            "claude-sonnet-4-5-20250929",
            Rule::Bedrock,
        );
        // A model id with a dot that is not a Bedrock vendor stays as it is.
        assert_eq!(tried("glm-4.7"), vec!["glm-4.7"]);
    }

    #[test]
    fn vertex_paths_and_versions() {
        reaches(
            "projects/p/locations/us-central1/publishers/google/models/gemini-2.5-pro",
            "gemini-2.5-pro",
            Rule::VertexPath,
        );
        reaches(
            "models/gemini-2.5-flash",
            "gemini-2.5-flash",
            Rule::VertexPath,
        );
        reaches(
            "claude-3-5-sonnet@20240620",
            "claude-3-5-sonnet-20240620",
            Rule::VertexVersion,
        );
        reaches("gemini-1.5-pro@001", "gemini-1.5-pro", Rule::VertexVersion);
        reaches(
            "publishers/anthropic/models/claude-sonnet-4-5@20250929",
            "claude-sonnet-4-5-20250929",
            Rule::VertexVersion,
        );
    }

    #[test]
    fn azure_spells_gpt_35_without_the_dot() {
        reaches("gpt-35-turbo", "gpt-3.5-turbo", Rule::Azure);
        reaches(
            "azure/gpt-35-turbo-0125",
            "gpt-3.5-turbo-0125",
            Rule::ProviderPrefix,
        );
    }
}
