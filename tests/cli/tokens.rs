use super::{fixture, Cost};

#[test]
fn counts_text_with_real_tokenizers_and_flags_estimates() {
    let json = Cost::new()
        .args([
            "tokens",
            "--models",
            "gpt-4o,claude-haiku-4-5",
            "--format",
            "json",
        ])
        .stdin("hello world")
        .run()
        .json();
    assert_eq!(json["o200k_base_tokens"], 2);
    assert_eq!(json["cl100k_base_tokens"], 2);
    let models = json["models"].as_array().unwrap();
    assert_eq!(models[0]["model"], "gpt-4o");
    assert_eq!(models[0]["estimate"], false);
    // 2 tokens at $2.50 per 1M.
    assert_eq!(models[0]["cost_usd"].as_f64(), Some(0.000_005));
    assert_eq!(models[1]["estimate"], true);
    assert!(json["notes"].to_string().contains("unverified assumption"));
}

#[test]
fn counts_chat_messages_in_a_jsonl_field() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("prompts.jsonl");
    std::fs::write(
        &path,
        "{\"id\":1,\"messages\":[{\"role\":\"user\",\"content\":\"hello world\"}]}\n{\"id\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hello world\"}]}\n",
    )
    .unwrap();
    let json = Cost::new()
        .args([
            "tokens",
            path.to_str().unwrap(),
            "--field",
            "messages",
            "--models",
            "gpt-4o",
        ])
        .run_json();
    assert_eq!(json["prompts"], 2);
    // 3 (reply) + 3 (message) + 1 ("user") + 2 ("hello world") per prompt.
    assert_eq!(json["o200k_base_tokens"], 18);
}

#[test]
fn a_missing_field_is_an_input_error() {
    let err = Cost::new()
        .args(["tokens", &fixture("replay/chat.jsonl"), "--field", "prompt"])
        .status(2)
        .run()
        .stderr;
    assert!(err.contains("chat.jsonl:1: `prompt`: missing"), "{err}");
}
