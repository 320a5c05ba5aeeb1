//! Behaviour tests of the runtime, without generated code: the runtime's source is compiled here
//! as a module (so crate-private helpers are reachable too) and driven by small hand-written
//! operations (`support.rs`) against a local wiremock server.

#[allow(dead_code, unused_imports)]
#[path = "../../src/mod.rs"]
mod runtime;

mod scripted;
mod support;

mod auth;
mod builder;
mod conventions;
mod errors;
mod indirect;
mod nullable;
mod pagination;
mod request;
mod retry;
mod secrets;
mod webhook;
