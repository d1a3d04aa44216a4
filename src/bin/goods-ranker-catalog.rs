//! `goods-ranker-catalog`: converts catalogs to the binary form and writes sample
//! catalogs, natively (the same encoder as `catalogToBinary` in JS).
//!
//! ```text
//! goods-ranker-catalog encode <catalog.json> <out.grcb>
//! goods-ranker-catalog sample [--offers N] [--dim D] [--seed S] [--json FILE] [--binary FILE]
//! goods-ranker-catalog check <catalog.grcb>
//! ```

use std::process::ExitCode;

use goods_ranker::sample::{sample_catalog, SampleOptions};
use goods_ranker::{Engine, EngineOptions};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("goods-ranker-catalog: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<(), String> {
    match args.first().map(String::as_str) {
        Some("encode") => {
            let [_, input, output] = args else {
                return Err("usage: encode <catalog.json> <out.grcb>".into());
            };
            let json = std::fs::read_to_string(input).map_err(|e| format!("{input}: {e}"))?;
            let engine = Engine::from_json(&json, &EngineOptions::default())
                .map_err(|e| format!("{input}: {e}"))?;
            write(output, &engine.to_binary())?;
            println!(
                "{output}: {} offers, {} bytes",
                engine.catalog().len(),
                std::fs::metadata(output).map_or(0, |m| m.len())
            );
            Ok(())
        }
        Some("check") => {
            let [_, input] = args else {
                return Err("usage: check <catalog.grcb>".into());
            };
            let bytes = std::fs::read(input).map_err(|e| format!("{input}: {e}"))?;
            let engine = Engine::from_binary(&bytes, &EngineOptions::default())
                .map_err(|e| format!("{input}: {e}"))?;
            println!(
                "{input}: ok, {} offers, {} stores, embeddings {}-d",
                engine.catalog().len(),
                engine.catalog().stores().len(),
                engine.catalog().embedding_dim()
            );
            Ok(())
        }
        Some("sample") => {
            let mut options = SampleOptions::default();
            let (mut json_out, mut binary_out) = (None, None);
            let mut rest = args[1..].iter();
            while let Some(flag) = rest.next() {
                let value = rest.next().ok_or_else(|| format!("{flag} needs a value"))?;
                let number = || {
                    value
                        .parse::<u64>()
                        .map_err(|_| format!("{flag}: not a number: {value}"))
                };
                match flag.as_str() {
                    "--offers" => options.offers = number()? as usize,
                    "--dim" => options.embedding_dim = number()? as usize,
                    "--seed" => options.seed = number()?,
                    "--json" => json_out = Some(value.clone()),
                    "--binary" => binary_out = Some(value.clone()),
                    other => return Err(format!("unknown option {other}")),
                }
            }
            let catalog = sample_catalog(&options);
            if let Some(path) = json_out {
                let text = serde_json::to_string(&catalog).map_err(|e| e.to_string())?;
                write(&path, text.as_bytes())?;
            }
            if let Some(path) = binary_out {
                let engine =
                    Engine::new(catalog, &EngineOptions::default()).map_err(|e| e.to_string())?;
                write(&path, &engine.to_binary())?;
            }
            Ok(())
        }
        _ => {
            Err("usage: goods-ranker-catalog encode|check|sample … (see the source header)".into())
        }
    }
}

fn write(path: &str, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| format!("{path}: {e}"))
}
