//! The hand-written runtime (`generator/runtime/`), embedded at build time by `build.rs`.
//!
//! Gives: the runtime's files, which every generated crate gets verbatim, and the names of the
//! methods it defines on `Client` and `Call`, which generated methods must not take.

include!(concat!(env!("OUT_DIR"), "/runtime_files.rs"));
