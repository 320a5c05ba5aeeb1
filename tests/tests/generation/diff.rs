//! The change report (`generator::diff`) for a pair of specs that exercises its rules
//! (`tests/fixtures/diff/`): fields made required, retyped, removed and added; an enum value
//! added; a method removed, retyped, added, and one that only gained an optional parameter.

use tests::*;

fn api(file: &str) -> generator::ir::Api {
    let text =
        std::fs::read_to_string(workspace_root().join("tests/fixtures/diff").join(file)).unwrap();
    generator::generate_from_str(&text, &fixture_settings(file))
        .unwrap_or_else(|d| panic!("{file}: {d}"))
        .api
}

#[test]
fn the_report_marks_every_change_breaking_or_additive() {
    let report = generator::diff::diff(&api("before.yaml"), &api("after.yaml"));
    assert!(report.is_breaking());
    assert_eq!(report.bump(), generator::diff::Bump::Major);
    insta::assert_snapshot!("diff__report", report.markdown());
}

#[test]
fn additions_only_call_for_a_minor_bump_and_nothing_for_no_change() {
    let after = api("after.yaml");
    let additive = generator::diff::diff(&after, &api("after-additive.yaml"));
    assert!(!additive.is_breaking(), "{}", additive.markdown());
    assert_eq!(additive.bump(), generator::diff::Bump::Minor);
    assert_eq!(additive.changes.len(), 2, "{}", additive.markdown());
    let none = generator::diff::diff(&after, &after);
    assert!(none.changes.is_empty());
    assert_eq!(none.bump(), generator::diff::Bump::None);
}
