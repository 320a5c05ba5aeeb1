//! Generated code at work, as one test binary: the HubSpot client against mock servers (every
//! operation of both versions) and Prism, its models (decoding, round trips), and the fixture
//! crates' models and operations (`tests/fixture-crates/`).

mod bodies;
mod config_fixture;
mod contract;
mod fault_server;
mod faults;
mod lenient_fixture;
mod models_construction;
mod models_graph;
mod models_hubspot;
mod models_hubspot_roundtrip;
mod models_mapping;
mod models_names;
mod models_openapi31;
mod models_recursion;
mod operations_fixture;
mod prism;
mod webhooks;
