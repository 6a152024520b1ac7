//! The "Examples" block under each command's `--help`: one command a line
//! (a ` \` ends a line that continues), an optional `# comment` after it.
//! A test parses every example with the real `Cli`, so none goes stale.

pub const TOP: &str = "\
Examples:
  cost compare                                   # the built-in default scenario
  cost compare rag --models gpt-6-luna,claude-haiku-5-5
  cost init my-feature.toml                      # a commented starter scenario to edit
  cost compare my-feature.toml --format csv -o plans.csv
  cost models --provider anthropic --sort blended
  cost estimate --model gpt-4o --input 12000 --cache-read 4000 --output 800
  cost scenarios
  cost compare my-feature.toml --format json -o base.json   # on the base branch, then:
  cost diff base.json head.json --fail-above-pct 10 --format markdown
  cost validate pricing/ my-feature.toml --max-age 30d
  cost replay usage.jsonl.gz --by model,day
  cost replay spend-logs.csv --as gpt-6-luna
  cost tokens prompt.txt --models gpt-4o,claude-sonnet-4-5";

pub const COMPARE: &str = "\
Examples:
  cost compare                                   # the built-in default scenario
  cost compare rag --models gpt-6-luna,claude-haiku-5-5
  cost compare my-feature.toml --at 2026-06-01   # prices in force on that day
  cost compare coding-agent --format csv -o plans.csv
  cost compare chat-slo --check                  # exit 1 when a plan breaks the [budget]";

pub const MODELS: &str = "\
Examples:
  cost models                                    # everything, grouped by provider
  cost models haiku                              # ids, aliases or names containing haiku
  cost models --provider google --sort blended --mix 10:1
  cost models --max-price 1 --min-context 500000 --has latency";

pub const ESTIMATE: &str = "\
Examples:
  cost estimate --model gpt-4o --input 12000 --cache-read 4000 --output 800
  cost estimate -m gemini-2.5-pro --input 250000 --cache-read 200000 --output 2000 --tier batch
  cost estimate -m claude-sonnet-5-5 --input 50000 --cache-write-1h 40000 --output 900 --reasoning 4000";

pub const ROUTE: &str = "\
Examples:
  cost route routing-example                     # every plan that routes
  cost route routing-example --plan classifier-tpr --plan cascade --format markdown
  cost route my-feature.toml --bands --trials 500";

pub const SWEEP: &str = "\
Examples:
  cost sweep routing-example --vary auc=0.5..1:0.05 --format csv -o sweep.csv
  cost sweep default --vary share:easy=0.5..0.95:0.05 --plot share.svg
  cost sweep rag --vary price:gpt-6-sol=0.5..1.5";

pub const FRONTIER: &str = "\
Examples:
  cost frontier routing-example
  cost frontier routing-example --plot frontier.svg --format markdown";

pub const SIMULATE: &str = "\
Examples:
  cost simulate chat-slo                         # 1,000 simulated days, seed 42
  cost simulate chat-slo --trials 5000 --seed 7 --plot month.svg
  cost simulate default --histogram month --bins 20 --format csv -o month.csv";

pub const SCENARIOS: &str = "\
Examples:
  cost scenarios                                 # the built-in scenarios
  cost scenarios show support-bot                # one of them as TOML
  cost scenarios show rag -o rag.toml";

pub const SCENARIOS_SHOW: &str = "\
Examples:
  cost scenarios show support-bot
  cost scenarios show rag -o rag.toml            # or: cost init --from rag rag.toml";

pub const INIT: &str = "\
Examples:
  cost init my-feature.toml                      # a commented starter scenario
  cost init --from support-bot my-bot.toml       # a copy of a built-in scenario to edit
  cost init my-feature.toml --force              # replace the file";

pub const DIFF: &str = "\
Examples:
  cost diff base.json head.json --fail-above-pct 10 --fail-above-usd 500
  cost diff my.toml my-new-prompt.toml           # two scenario files
  cost diff my.toml --head-pricing negotiated/   # one scenario, two sets of price sheets
  cost diff my.toml --base-at 2025-06-09 --head-at 2025-06-10";

pub const VALIDATE: &str = "\
Examples:
  cost validate                                  # the built-in sheets and scenarios
  cost validate pricing/ scenarios/ --max-age 30d
  cost validate my-prices/ --against litellm-model-prices.json --strict";

pub const PRICING: &str = "\
Examples:
  cost pricing import --from litellm model_prices_and_context_window.json
  cost pricing import --from genai-prices data.json -v";

pub const IMPORT: &str = "\
Examples:
  cost pricing import --from litellm model_prices_and_context_window.json   # report only
  cost pricing import --from litellm model_prices_and_context_window.json --out-dir imported/
  cost pricing import --from genai-prices data.json -v";

pub const REPLAY: &str = "\
Examples:
  cost replay usage.jsonl.gz --by model,day
  cost replay spend-logs.csv --by month,user
  cost replay usage.jsonl --as gpt-6-luna        # the same traffic on another model
  cost replay usage.jsonl --scenario my.toml --plan routed --class-field feature
  cost replay log.csv --map model=llm,input=prompt,output=answer,time=ts
  cost replay - --skip-bad --format csv -o daily.csv";

pub const TOKENS: &str = "\
Examples:
  cost tokens prompt.txt                         # o200k and cl100k counts, priced on 4 models
  cost tokens system.md --models gpt-4o,claude-sonnet-4-5 --output 500
  cost tokens prompts.jsonl --field messages     # one prompt per line (chat messages)";

pub const COMPLETIONS: &str = "\
Examples:
  cost completions bash > ~/.local/share/bash-completion/completions/cost
  cost completions zsh > ~/.zfunc/_cost
  cost completions fish > ~/.config/fish/completions/cost.fish";

pub const MAN: &str = "\
Examples:
  cost man | man -l -                            # read cost(1) now
  cost man --out-dir ~/.local/share/man/man1     # cost.1 and a page per subcommand";

pub const ROUTER: &str = "\
Examples:
  cost router train gsm8k.csv --wide --query row --models mixtral,gpt4 --text prompt --weak mixtral --strong gpt4 -o router.json
  cost router eval router.json gsm8k.csv --wide --query row --models mixtral,gpt4 --cost-per-query mixtral=0.00008616 --cost-per-query gpt4=0.00887";

pub const GATEWAY: &str = "\
Examples:
  cost gateway my.toml --plan router --log requests.jsonl
  cost gateway my.toml --plan router --listen 127.0.0.1:8080 --upstream openai=https://api.openai.com --upstream anthropic=https://api.anthropic.com --log requests.jsonl";

pub const BREAKEVEN: &str = "\
Examples:
  cost breakeven default --deploy gpt-oss-120b@h200-fp8      # rented H200s, on-demand
  cost breakeven default --deploy gpt-oss-120b@h200-fp8 --basis owned_tco
  cost breakeven default --deploy llama-3.3-70b@h100-fp8-nim --min-user-tps 25
  cost breakeven default --deploy gpt-oss-120b@h200-fp8 --vary volume=10000..1000000 --plot be.svg
  cost breakeven default --deploy gpt-oss-120b@h200-fp8 --vary basis --format csv";
pub const SENSITIVITY: &str = "\
Examples:
  cost sensitivity routing-example               # the recommended plan
  cost sensitivity routing-example --plan classifier-tpr --format csv
  cost sensitivity default --at 2026-12-01 --format json";

pub const REPORT: &str = "\
Examples:
  cost report routing-example -o report.html
  cost report default --at 2026-12-01 --seed 7 -o board.html
  cost report routing-example --plan classifier-tpr --trials 1000 -o classifier.html
  cost report routing-example --plan perfect-router -o vs-actual.html --replay gateway.jsonl";
pub const EXPORT: &str = "\
Examples:
  cost export prices -o prices.parquet
  cost export prices --table aliases -o aliases.csv
  cost export sql --dialect duckdb > cost.sql";

pub const EXPORT_PRICES: &str = "\
Examples:
  cost export prices -o prices.parquet           # Parquet, prices as DECIMAL(38,18)
  cost export prices -o prices.csv               # CSV, exact decimal strings
  cost export prices --table aliases -o aliases.parquet";

pub const EXPORT_SQL: &str = "\
Examples:
  cost export sql --dialect duckdb > cost.sql    # then: duckdb my.db < cost.sql
  cost export sql --dialect spark --log-shape openai --usage-table logs.usage
  cost export sql --dialect bigquery -o cost_bigquery.sql";
