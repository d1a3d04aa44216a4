//! Native benchmark harness (placeholder until the benchmark command lands).
fn main() {}
