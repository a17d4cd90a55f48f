//! Placeholder: the CLI issue builds this.
fn main() {}
