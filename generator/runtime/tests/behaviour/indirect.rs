//! `Indirect<T>`: holds a value, derefs and (de)serialises as it, and has every auto trait
//! without the compiler looking into `T`.

use crate::runtime::Indirect;
use serde::{Deserialize, Serialize};
use serde_json::json;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Node {
    value: i64,
    next: Option<Indirect<Node>>,
}

#[test]
fn it_holds_derefs_and_serialises_as_its_value() {
    let json = json!({"value": 1, "next": {"value": 2, "next": null}});
    let node: Node = serde_json::from_value(json.clone()).unwrap();
    let second = node.next.as_ref().expect("a second node");
    assert_eq!(second.value, 2);
    assert_eq!(serde_json::to_value(&node).unwrap(), json);
    assert_eq!(node.clone(), node);
    assert_eq!(
        format!("{:?}", Indirect::new(5)),
        "5",
        "Debug shows the value itself"
    );
    let mut held = Indirect::new(Node {
        value: 3,
        next: None,
    });
    held.value += 1;
    assert_eq!(held.into_inner().value, 4);
    let from: Indirect<i32> = 7.into();
    assert_eq!(*from, 7);
}

/// A chain of 300 distinct types, each holding the next: proving `Send` for the head walks the
/// whole chain and exceeds the compiler's recursion limit (E0275) when each holds the next
/// directly or boxed. Held as `Indirect`, every link stops the walk, and the head is `Send`,
/// `Sync` and unwind-safe. (The chain is built by a macro; this test compiling is the proof.)
#[test]
fn a_long_chain_of_indirect_types_has_every_auto_trait() {
    macro_rules! chain {
        ($last:ident) => {
            #[allow(dead_code)]
            struct $last(String);
        };
        ($head:ident $next:ident $($rest:ident)*) => {
            #[allow(dead_code)]
            struct $head(Option<Indirect<$next>>, Vec<Indirect<$next>>);
            chain!($next $($rest)*);
        };
    }
    macro_rules! chain_of_300 {
        ($($prefix:ident)*) => { chain!(T0 $($prefix)*); };
    }
    chain_of_300!(
        T1 T2 T3 T4 T5 T6 T7 T8 T9 T10 T11 T12 T13 T14 T15 T16 T17 T18 T19 T20 T21 T22 T23 T24
        T25 T26 T27 T28 T29 T30 T31 T32 T33 T34 T35 T36 T37 T38 T39 T40 T41 T42 T43 T44 T45 T46
        T47 T48 T49 T50 T51 T52 T53 T54 T55 T56 T57 T58 T59 T60 T61 T62 T63 T64 T65 T66 T67 T68
        T69 T70 T71 T72 T73 T74 T75 T76 T77 T78 T79 T80 T81 T82 T83 T84 T85 T86 T87 T88 T89 T90
    );
    fn assert_auto_traits<
        T: Send + Sync + Unpin + std::panic::UnwindSafe + std::panic::RefUnwindSafe,
    >() {
    }
    assert_auto_traits::<T0>();
}
