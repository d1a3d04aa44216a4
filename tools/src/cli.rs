//! What the three commands share: flag values parsed with [`lexopt`], errors printed
//! as `<command>: <message>` with exit status 1, `--help` printed on stdout.

use std::fmt::Display;
use std::process::ExitCode;
use std::str::FromStr;

pub use lexopt::{Arg, Parser};

/// What parsing the command line gave: arguments to run with, or `--help` (already
/// printed).
pub enum Parsed<T> {
    /// Run with these arguments.
    Run(T),
    /// `-h` / `--help` was given and the usage printed.
    Help,
}

/// Runs a command's body: an error is printed as `<command>: <message>` on stderr and
/// exits with status 1.
pub fn exit(command: &str, result: Result<(), String>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{command}: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Prints the usage text on stdout (for `--help`).
pub fn help<T>(usage: &str) -> Result<Parsed<T>, String> {
    println!("{}", usage.trim_end());
    Ok(Parsed::Help)
}

/// The message of an argument the command does not know.
pub fn unexpected(arg: Arg<'_>) -> String {
    arg.unexpected().to_string()
}

/// The value of the flag just read, as text.
pub fn text(parser: &mut Parser, flag: &str) -> Result<String, String> {
    parser
        .value()
        .map_err(|_| format!("{flag} needs a value"))?
        .into_string()
        .map_err(|v| format!("{flag}: not valid UTF-8: {v:?}"))
}

/// The value of the flag just read, parsed (a number).
pub fn number<T: FromStr>(parser: &mut Parser, flag: &str) -> Result<T, String>
where
    T::Err: Display,
{
    let value = text(parser, flag)?;
    value
        .parse()
        .map_err(|_| format!("{flag}: not a number: {value}"))
}

/// The value of the flag just read as `LAT,LNG` (degrees).
pub fn lat_lng(parser: &mut Parser, flag: &str) -> Result<(f64, f64), String> {
    let value = text(parser, flag)?;
    value
        .split_once(',')
        .and_then(|(a, b)| Some((a.trim().parse().ok()?, b.trim().parse().ok()?)))
        .ok_or_else(|| format!("{flag}: expected lat,lng, got {value}"))
}

/// The remaining arguments, which must all be plain values (positional arguments);
/// `None` when `-h` / `--help` is among them.
pub fn values(parser: &mut Parser) -> Result<Option<Vec<String>>, String> {
    let mut values = Vec::new();
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Arg::Short('h') | Arg::Long("help") => return Ok(None),
            Arg::Value(value) => values.push(
                value
                    .into_string()
                    .map_err(|v| format!("not valid UTF-8: {v:?}"))?,
            ),
            other => return Err(unexpected(other)),
        }
    }
    Ok(Some(values))
}
