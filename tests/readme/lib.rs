//! The README, as this crate's documentation: `cargo test --workspace` compiles each of its
//! ```` ```rust ```` blocks as a doctest (`no_run` ones are compiled, not run: they talk to
//! HubSpot). A block that stops compiling fails the suite.
#![doc = include_str!("../../README.md")]

/// A required field left out of a builder does not compile: `build()` exists only once every
/// required field is set.
///
/// ```compile_fail
/// use hubspot_custom_channels::models::PublicChannelAccountEgg;
/// let account = PublicChannelAccountEgg::builder().inbox_id("3003").authorized(true).build();
/// ```
///
/// Nor does a required field set twice:
///
/// ```compile_fail
/// use hubspot_custom_channels::models::PublicChannelAccountEgg;
/// let account = PublicChannelAccountEgg::builder()
///     .inbox_id("3003")
///     .inbox_id("3004")
///     .authorized(true)
///     .name("Support line")
///     .build();
/// ```
///
/// Nor two fields swapped, when their types differ:
///
/// ```compile_fail
/// use hubspot_custom_channels::models::PublicChannelAccountEgg;
/// let account = PublicChannelAccountEgg::builder()
///     .inbox_id("3003")
///     .authorized("Support line")
///     .name(true)
///     .build();
/// ```
///
/// The same builder with every field set compiles:
///
/// ```
/// use hubspot_custom_channels::models::PublicChannelAccountEgg;
/// let account = PublicChannelAccountEgg::builder()
///     .inbox_id("3003")
///     .authorized(true)
///     .name("Support line")
///     .build();
/// assert_eq!(account.name, "Support line");
/// ```
pub mod builders {}
