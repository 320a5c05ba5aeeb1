//! Runs the models generated from `tests/fixtures/recursion.yaml` (the crate
//! `fixture-recursion`): schemas that contain themselves compile, and their values round-trip.

use fixture_recursion::models::*;
use serde_json::{Value, json};

fn round_trip<T>(json: Value) -> T
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let value: T = serde_json::from_value(json.clone()).unwrap_or_else(|e| panic!("{json}: {e}"));
    assert_eq!(serde_json::to_value(&value).unwrap(), json);
    value
}

#[test]
fn a_tree_of_unions_round_trips_at_any_depth() {
    let leaf = |v: &str| json!({"kind": "Leaf", "value": v});
    let json = json!({
        "kind": "Branch",
        "left": {"kind": "Branch", "left": leaf("a"), "children": [leaf("b")]},
        "children": [leaf("c"), {"kind": "Branch", "left": leaf("d"), "children": []}],
    });
    let tree: Tree = round_trip(json);
    let Tree::Branch(branch) = tree else {
        panic!("a branch")
    };
    assert!(
        matches!(*branch.left, Tree::Branch(_)),
        "the left side is held boxed"
    );
    assert_eq!(branch.children.len(), 2);
}

#[test]
fn a_linked_list_round_trips() {
    let node: Node = round_trip(json!({"value": 1, "next": {"value": 2, "next": {"value": 3}}}));
    let second = node.next.expect("a second node");
    assert_eq!(second.value, 2);
    assert_eq!(second.next.expect("a third node").value, 3);
    // Built in code too: the boxed field takes the value itself.
    let built = Node::new(1).with_next(Node::new(2));
    assert_eq!(
        serde_json::to_value(&built).unwrap(),
        json!({"value": 1, "next": {"value": 2}})
    );
}

#[test]
fn mutual_recursion_through_an_alias_round_trips() {
    let ping: Ping = round_trip(json!({"pong": {"ping": {"pong": {}}}}));
    let alias: PingAlias = ping.clone();
    assert_eq!(alias, ping);
}

#[test]
fn unions_that_contain_themselves_decode() {
    // `oneOf: [OneOfSelf, string]` is a string: the variant that lists the union itself, which
    // would make decoding recurse forever, is left out (with a warning).
    let nested: OneOfSelf = serde_json::from_value(json!("leaf")).unwrap();
    assert_eq!(nested, OneOfSelf::String("leaf".to_owned()));
    let other: OneOfSelf = serde_json::from_value(json!(7)).unwrap();
    assert_eq!(other, OneOfSelf::Unknown(json!(7)));
    let parent: Parent = round_trip(json!({"name": "child"}));
    assert!(matches!(parent, Parent::Child(_)));
    // A schema that only refers to itself keeps any JSON.
    let anything: AllOfSelf = json!({"free": ["form"]});
    assert!(anything.is_object());
}
