//! The change report (`generator::diff`) for a pair of specs that exercises its rules
//! (`tests/fixtures/diff/`): fields made required, optional, nullable, retyped, removed and
//! added; an enum value, a union variant and a webhook event added; a fixed tag that became a
//! field; methods removed, retyped, added, given a required parameter, given an optional one,
//! and one whose credentials changed.

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

/// The crate's version and `CHANGELOG.md` follow the report, regeneration after regeneration:
/// 0.1.0 first; a breaking change raises the minor number (before 1.0), an addition the patch
/// number, each with a changelog section; no change keeps both as they were.
#[test]
fn the_version_and_changelog_follow_the_report() {
    let generate = |file: &str, previous: Option<generator::Previous>| {
        let text = std::fs::read_to_string(workspace_root().join("tests/fixtures/diff").join(file))
            .unwrap();
        let settings = generator::Settings {
            previous,
            ..generator::Settings::new("diff-fixture", "test")
        };
        let files = generator::generate_from_str(&text, &settings)
            .unwrap()
            .files;
        let get = |path: &str| {
            files
                .iter()
                .find(|f| f.path == path)
                .unwrap_or_else(|| panic!("{path}"))
                .contents
                .clone()
        };
        let manifest = get("Cargo.toml");
        let version = manifest
            .lines()
            .find_map(|l| l.strip_prefix("version = \""))
            .unwrap()
            .trim_end_matches('"')
            .to_owned();
        let changelog = get("CHANGELOG.md");
        let changelog = changelog.split_once("-->\n\n").unwrap().1.to_owned();
        generator::Previous {
            version,
            surface: get("api-surface.tsv"),
            changelog,
        }
    };
    let first = generate("before.yaml", None);
    assert_eq!(first.version, "0.1.0");
    assert!(first.changelog.contains("## 0.1.0"));

    let breaking = generate("after.yaml", Some(first.clone()));
    assert_eq!(breaking.version, "0.2.0");
    let newest = breaking.changelog.find("## 0.2.0").expect("a new section");
    assert!(
        newest < breaking.changelog.find("## 0.1.0").unwrap(),
        "newest first"
    );
    assert!(
        breaking
            .changelog
            .contains("**breaking**: `struct Item.note`: became required")
    );

    let additive = generate("after-additive.yaml", Some(breaking.clone()));
    assert_eq!(additive.version, "0.2.1");
    assert!(additive.changelog.contains("## 0.2.1"));
    assert!(additive.changelog.contains("## 0.2.0") && additive.changelog.contains("## 0.1.0"));
    assert!(
        !additive.changelog.contains("\n\n\n"),
        "one blank line between sections: {}",
        additive.changelog
    );

    let again = generate("after-additive.yaml", Some(additive.clone()));
    assert_eq!(again, additive, "no change: same version, same changelog");
}
