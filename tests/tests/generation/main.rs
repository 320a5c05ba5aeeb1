//! What the generator produces, as one test binary: `generated/` (fresh, deterministic, every
//! file snapshotted), the fixture crates (fresh, expected warnings), diagnostics of broken
//! specs and of configurations, the change report (`diff`), `x-client-conventions`, the runtime's interface document,
//! fuzzing, and the public corpus. The behaviour of generated code is tested by the `client`
//! binary.

mod config;
mod conventions;
mod corpus;
mod diagnostics;
mod diff;
mod docs;
mod fixtures;
mod fuzz;
mod output;
mod runtime_interface;
