//! Integration tests of the native tools: enrichment maths, evaluation metrics and
//! protocol, and the command lines.

mod cli;
mod enrich;
mod eval_metrics;
