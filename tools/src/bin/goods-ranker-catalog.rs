//! `goods-ranker-catalog`: converts catalogs to the binary form and writes sample
//! catalogs, natively (the same encoder as `catalogToBinary` in JS). See [`USAGE`].

use std::process::ExitCode;

use goods_ranker::sample::{sample_catalog, SampleOptions};
use goods_ranker::{Engine, EngineOptions};
use goods_ranker_tools::cli::{self, Arg, Parsed, Parser};

const USAGE: &str = "\
goods-ranker-catalog: binary catalogs (docs/BINARY_CATALOG.md) and sample catalogs.

Usage:
  goods-ranker-catalog encode <catalog.json> <out.grcb>
      Reads a JSON catalog and writes its binary form.
  goods-ranker-catalog check <catalog.grcb>
      Loads a binary catalog and prints its offers, stores and embedding size.
  goods-ranker-catalog sample [--offers N] [--dim D] [--seed S] [--json FILE] [--binary FILE]
      Generates the sample catalog.

Options of sample:
  --offers N       number of offers (default 400)
  --dim D          embedding dimension, 0 for none (default 16)
  --seed S         generator seed (default 7)
  --json FILE      write the catalog as JSON
  --binary FILE    write the catalog in binary form
  -h, --help       print this help
";

enum Command {
    Encode {
        input: String,
        output: String,
    },
    Check {
        input: String,
    },
    Sample {
        options: SampleOptions,
        json: Option<String>,
        binary: Option<String>,
    },
}

fn main() -> ExitCode {
    cli::exit("goods-ranker-catalog", parse().and_then(run))
}

fn parse() -> Result<Parsed<Command>, String> {
    let mut parser = Parser::from_env();
    let command = match parser.next().map_err(|e| e.to_string())? {
        Some(Arg::Short('h') | Arg::Long("help")) => return cli::help(USAGE),
        Some(Arg::Value(value)) => value
            .into_string()
            .map_err(|v| format!("not valid UTF-8: {v:?}"))?,
        Some(other) => return Err(cli::unexpected(other)),
        None => String::new(),
    };
    let command = match command.as_str() {
        "encode" => match cli::values(&mut parser)?.as_deref() {
            Some([input, output]) => Command::Encode {
                input: input.clone(),
                output: output.clone(),
            },
            Some(_) => return Err("usage: encode <catalog.json> <out.grcb>".into()),
            None => return cli::help(USAGE),
        },
        "check" => match cli::values(&mut parser)?.as_deref() {
            Some([input]) => Command::Check {
                input: input.clone(),
            },
            Some(_) => return Err("usage: check <catalog.grcb>".into()),
            None => return cli::help(USAGE),
        },
        "sample" => {
            let mut options = SampleOptions::default();
            let (mut json, mut binary) = (None, None);
            while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
                match arg {
                    Arg::Short('h') | Arg::Long("help") => return cli::help(USAGE),
                    Arg::Long("offers") => options.offers = cli::number(&mut parser, "--offers")?,
                    Arg::Long("dim") => options.embedding_dim = cli::number(&mut parser, "--dim")?,
                    Arg::Long("seed") => options.seed = cli::number(&mut parser, "--seed")?,
                    Arg::Long("json") => json = Some(cli::text(&mut parser, "--json")?),
                    Arg::Long("binary") => binary = Some(cli::text(&mut parser, "--binary")?),
                    other => return Err(cli::unexpected(other)),
                }
            }
            Command::Sample {
                options,
                json,
                binary,
            }
        }
        _ => return Err("usage: goods-ranker-catalog encode|check|sample … (see --help)".into()),
    };
    Ok(Parsed::Run(command))
}

fn run(parsed: Parsed<Command>) -> Result<(), String> {
    let Parsed::Run(command) = parsed else {
        return Ok(());
    };
    match command {
        Command::Encode { input, output } => {
            let json = std::fs::read_to_string(&input).map_err(|e| format!("{input}: {e}"))?;
            let engine = Engine::from_json(&json, &EngineOptions::default())
                .map_err(|e| format!("{input}: {e}"))?;
            write(&output, &engine.to_binary())?;
            println!(
                "{output}: {} offers, {} bytes",
                engine.catalog().len(),
                std::fs::metadata(&output).map_or(0, |m| m.len())
            );
        }
        Command::Check { input } => {
            let bytes = std::fs::read(&input).map_err(|e| format!("{input}: {e}"))?;
            let engine = Engine::from_binary(&bytes, &EngineOptions::default())
                .map_err(|e| format!("{input}: {e}"))?;
            println!(
                "{input}: ok, {} offers, {} stores, embeddings {}-d",
                engine.catalog().len(),
                engine.catalog().stores().len(),
                engine.catalog().embedding_dim()
            );
        }
        Command::Sample {
            options,
            json,
            binary,
        } => {
            let catalog = sample_catalog(&options);
            if let Some(path) = json {
                let text = serde_json::to_string(&catalog).map_err(|e| e.to_string())?;
                write(&path, text.as_bytes())?;
            }
            if let Some(path) = binary {
                let engine =
                    Engine::new(catalog, &EngineOptions::default()).map_err(|e| e.to_string())?;
                write(&path, &engine.to_binary())?;
            }
        }
    }
    Ok(())
}

fn write(path: &str, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| format!("{path}: {e}"))
}
