//! Which providers the catalog snapshot covers, and how the two catalogs'
//! provider names map to one another: the model makers that price their
//! own models (first party) and the major hosts (Bedrock, Vertex, Azure,
//! Groq, Together, Fireworks, OpenRouter, DeepInfra, and Cerebras, whose
//! API logs appear in the usage dataset `tests/usage_dataset.rs` replays).

/// LiteLLM `litellm_provider`s kept (and every `vertex_ai*`).
pub const LITELLM_PROVIDERS: &[&str] = &[
    // first party
    "openai",
    "anthropic",
    "gemini",
    "mistral",
    "codestral",
    "deepseek",
    "xai",
    "cohere",
    "cohere_chat",
    "zai",
    "dashscope",
    "moonshot",
    "minimax",
    "perplexity",
    "ai21",
    // hosts
    "bedrock",
    "bedrock_converse",
    "azure",
    "azure_ai",
    "groq",
    "together_ai",
    "fireworks_ai",
    "openrouter",
    "deepinfra",
    "cerebras",
];

/// genai-prices provider ids kept.
pub const GENAI_PRICES_PROVIDERS: &[&str] = &[
    "anthropic",
    "cohere",
    "deepseek",
    "google",
    "mistral",
    "moonshotai",
    "minimax",
    "openai",
    "perplexity",
    "x-ai",
    "zai",
    "zhipuai",
    "aws",
    "azure",
    "fireworks",
    "groq",
    "openrouter",
    "together",
    "cerebras",
];

/// One name per provider across both catalogs (genai-prices' spelling):
/// LiteLLM's `bedrock_converse` and genai-prices' `aws` are the same seller.
/// Google's own Gemini API and Vertex's Gemini models are `google`;
/// other models on Vertex (Claude, Llama...) are `vertex`.
pub fn canonical(provider: &str) -> &str {
    match provider {
        "bedrock" | "bedrock_converse" => "aws",
        "gemini" | "vertex_ai-language-models" => "google",
        p if p.starts_with("vertex_ai") => "vertex",
        "azure_ai" => "azure",
        "together_ai" => "together",
        "fireworks_ai" => "fireworks",
        "xai" => "x-ai",
        "moonshot" => "moonshotai",
        "cohere_chat" => "cohere",
        "codestral" => "mistral",
        other => other,
    }
}

/// The sellers (canonical names) that make the model an id names, from
/// the model family its id starts with; `None` for families no seller
/// makes (Llama, other open-weight models) or that are not known here.
pub fn makers(bare_id: &str) -> Option<&'static [&'static str]> {
    let id = bare_id.to_ascii_lowercase();
    let id = id.rsplit('/').next().unwrap_or_default();
    let families: &[(&[&str], &[&str])] = &[
        (&["claude"], &["anthropic"]),
        (
            &[
                "gpt-",
                "o1",
                "o3",
                "o4",
                "chatgpt",
                "computer-use",
                "codex",
                "text-embedding",
            ],
            &["openai"],
        ),
        (&["gemini", "gemma"], &["google"]),
        (&["grok"], &["x-ai"]),
        (
            &[
                "mistral",
                "magistral",
                "codestral",
                "pixtral",
                "ministral",
                "devstral",
                "voxtral",
                "open-mistral",
                "open-mixtral",
                "mixtral",
            ],
            &["mistral"],
        ),
        (&["deepseek"], &["deepseek"]),
        (&["command", "c4ai"], &["cohere"]),
        (&["glm"], &["zai", "zhipuai"]),
        (&["qwen", "qwq"], &["dashscope"]),
        (&["kimi", "moonshot"], &["moonshotai"]),
        (&["minimax", "abab"], &["minimax"]),
        (&["sonar"], &["perplexity"]),
        (&["jamba"], &["ai21"]),
    ];
    families
        .iter()
        .find(|(prefixes, _)| prefixes.iter().any(|p| id.starts_with(p)))
        .map(|(_, sellers)| *sellers)
}

/// Whether `provider` (any catalog's name) sells `bare_id` as its maker
/// rather than hosting it: OpenAI selling gpt-4o, not Azure; Anthropic
/// selling Claude, not Vertex.
pub fn first_party(provider: &str, bare_id: &str) -> bool {
    let seller = canonical(provider);
    makers(bare_id).is_some_and(|m| m.contains(&seller))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_catalogs_name_a_seller_the_same_way() {
        assert_eq!(canonical("bedrock_converse"), canonical("aws"));
        assert_eq!(canonical("gemini"), "google");
        assert_eq!(canonical("vertex_ai-anthropic_models"), "vertex");
        assert_eq!(canonical("xai"), "x-ai");
        assert!(first_party("xai", "grok-4-0709"));
        assert!(first_party("gemini", "gemini-2.5-flash"));
        assert!(!first_party("groq", "llama3-8b-8192"));
        assert!(!first_party("azure", "gpt-4o"));
        // genai-prices' `google` also sells Claude on Vertex: a host there.
        assert!(!first_party("google", "claude-3-opus"));
        assert!(first_party("anthropic", "claude-3-opus-latest"));
        assert_eq!(makers("meta-llama/llama-4-scout-17b-16e-instruct"), None);
    }
}
