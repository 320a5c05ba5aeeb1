//! Behaviour tests of the hand-written HTTP runtime (`generator/runtime/`), compiled here on its
//! own, without generated code, and driven by small hand-written operations against a local
//! wiremock server. The test modules live in `tests/tests/runtime/`.

#[allow(dead_code, unused_imports)]
#[path = "../../generator/runtime/mod.rs"]
mod runtime;

#[path = "runtime/support.rs"]
mod support;

#[path = "runtime/auth.rs"]
mod auth;
#[path = "runtime/builder.rs"]
mod builder;
#[path = "runtime/conventions.rs"]
mod conventions;
#[path = "runtime/errors.rs"]
mod errors;
#[path = "runtime/nullable.rs"]
mod nullable;
#[path = "runtime/pagination.rs"]
mod pagination;
#[path = "runtime/request.rs"]
mod request;
#[path = "runtime/retry.rs"]
mod retry;
#[path = "runtime/secrets.rs"]
mod secrets;
