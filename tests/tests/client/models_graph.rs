//! Runs the models generated from `tests/fixtures/graph.yaml` (the crate `fixture-graph`): the
//! shapes that made big APIs' crates fail to compile compile, prove their auto traits, and
//! round-trip their values through the members held as `Indirect`.

use fixture_graph::Indirect;
use fixture_graph::models::*;
use serde_json::{Value, json};

/// Proving these for the heads walks the whole chain or cycle; without `Indirect` members the
/// compiler gives up (E0275). This test compiling is the proof; running it checks nothing more.
#[test]
fn heads_of_long_chains_and_cycles_have_every_auto_trait() {
    fn assert_auto_traits<
        T: Send + Sync + Unpin + std::panic::UnwindSafe + std::panic::RefUnwindSafe,
    >() {
    }
    assert_auto_traits::<Holder0>();
    assert_auto_traits::<Link0>();
    assert_auto_traits::<Ring0>();
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<fixture_graph::Error>();
}

fn chain(depth: i64) -> Value {
    if depth == 44 {
        json!({"depth": 44})
    } else {
        json!({"depth": depth, "next": chain(depth + 1)})
    }
}

#[test]
fn a_chain_round_trips_through_its_indirect_links() {
    let json = chain(0);
    let head: Link0 = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(serde_json::to_value(&head).unwrap(), json);
    // Walk to the 15th link, which holds the next one as `Indirect`, and past it.
    let mut depth = 0;
    let l14: &Link14 = {
        let l1 = head.next.as_ref().unwrap();
        let l2 = l1.next.as_ref().unwrap();
        let l3 = l2.next.as_ref().unwrap();
        let l4 = l3.next.as_ref().unwrap();
        let l5 = l4.next.as_ref().unwrap();
        let l6 = l5.next.as_ref().unwrap();
        let l7 = l6.next.as_ref().unwrap();
        let l8 = l7.next.as_ref().unwrap();
        let l9 = l8.next.as_ref().unwrap();
        let l10 = l9.next.as_ref().unwrap();
        let l11 = l10.next.as_ref().unwrap();
        let l12 = l11.next.as_ref().unwrap();
        let l13 = l12.next.as_ref().unwrap();
        l13.next.as_ref().unwrap()
    };
    depth += l14.depth;
    let l15: &Indirect<Link15> = l14.next.as_ref().unwrap();
    assert_eq!((depth, l15.depth), (14, 15));
    // Built in code: the setter takes the model itself.
    let built = Link14::new(14).with_next(Link15::new(15));
    assert_eq!(
        serde_json::to_value(&built).unwrap(),
        json!({"depth": 14, "next": {"depth": 15}})
    );
}

#[test]
fn the_shared_union_decodes_in_every_holder() {
    let holder: Holder0 = serde_json::from_value(json!({
        "id": "h",
        "inputs": [{"type": "INPUT_7", "value": "x"}, {"type": "INPUT_99", "value": "new"}],
    }))
    .unwrap();
    let inputs = holder.inputs.unwrap();
    assert_eq!(inputs[0].tag(), Some("INPUT_7"));
    assert_eq!(
        inputs[1].tag(),
        Some("INPUT_99"),
        "an unknown variant is kept"
    );
    let other: Holder39 = serde_json::from_value(json!({"id": "g", "inputs": []})).unwrap();
    // Both holders' `inputs` are the same Rust type.
    let _same: Option<Vec<_>> = Some(inputs).or(other.inputs);
}

#[test]
fn a_cycle_round_trips() {
    let json = json!({"name": "a", "next": {"name": "b", "all": [{"name": "c"}]}, "all": []});
    let ring: Ring0 = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(ring.next.as_ref().unwrap().name, "b");
    assert_eq!(serde_json::to_value(&ring).unwrap(), json);
}
