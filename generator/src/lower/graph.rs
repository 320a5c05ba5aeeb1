//! Lowering phase 5: the type graph.
//!
//! Takes: the type table and the operations. Gives: [`GraphFacts`]:
//! - which union variants lead back to their union through unions only (decoding them would
//!   recurse without reading any input: they are left out, with a warning);
//! - which references between models are held as `runtime::Indirect` so that proving `Send` and
//!   `Sync` of any model stays within the compiler's recursion limit ([`indirect_references`]);
//! - which models are mutually recursive through members held inline (their members holding
//!   each other are boxed);
//! - which aliases only alias each other in a loop (no Rust type can express them: they become
//!   `serde_json::Value`, with a warning);
//! - which models only error responses use (decoded leniently).

use super::grouping::GroupDraft;
use super::schemas::TypeTable;
use crate::diagnostics::Diagnostics;
use crate::ir::{Presence, TypeId, TypeKind, TypeRef};
use std::collections::BTreeSet;

/// What the shape of the type graph decides.
pub struct GraphFacts {
    /// Union variants to leave out, as `(union, variant index)`: they lead back to their union
    /// through unions (and aliases) only.
    pub looping_variants: BTreeSet<(TypeId, usize)>,
    /// References held as `runtime::Indirect`: `(model, model it refers to)`.
    pub indirect: BTreeSet<(TypeId, TypeId)>,
    /// The recursion limit the crate needs, when its models form chains too long for the
    /// compiler's default ([`needed_recursion_limit`]).
    pub recursion_limit: Option<u32>,
    /// Per model (by id), its recursion group: the strongly connected component of the
    /// "holds inline" graph it belongs to, when that component has a cycle.
    pub cycles: Vec<Option<u32>>,
    /// Aliases in a cycle made of aliases only.
    pub alias_cycles: BTreeSet<TypeId>,
    /// Models reachable from error responses and from nothing else.
    pub error_only: BTreeSet<TypeId>,
}

/// Analyses the graph of `table` as `groups` use it.
pub fn analyse(
    table: &TypeTable,
    groups: &[GroupDraft],
    webhook_payloads: &[&TypeRef],
) -> (GraphFacts, Diagnostics) {
    let mut diags = Diagnostics::default();
    let looping_variants = looping_variants(table, &mut diags);
    let indirect = indirect_references(table, &looping_variants);
    let recursion_limit = needed_recursion_limit(table, &looping_variants);
    // What each model holds inline (a member held as `Indirect` is on the heap already).
    let edges: Vec<Vec<TypeId>> = table
        .iter()
        .map(|(id, t)| {
            let held: Vec<TypeId> = match &t.kind {
                TypeKind::Union(u) => u
                    .variants
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| !looping_variants.contains(&(id, *i)))
                    .filter_map(|(_, v)| v.ty.named())
                    .collect(),
                kind => kind.held_inline(),
            };
            held.into_iter()
                .filter(|target| !indirect.contains(&(id, *target)))
                .collect()
        })
        .collect();
    let components = strongly_connected(&edges);
    let mut cycles = vec![None; edges.len()];
    let mut alias_cycles = BTreeSet::new();
    let mut next = 0u32;
    for component in &components {
        let cyclic = component.len() > 1 || edges[component[0].index()].contains(&component[0]);
        if !cyclic {
            continue;
        }
        if component
            .iter()
            .all(|id| matches!(table.get(*id).kind, TypeKind::Alias(_)))
        {
            // `type A = B; type B = A;` cannot compile.
            for id in component {
                alias_cycles.insert(*id);
                diags.warning(
                    &table.get(*id).pointer,
                    "this schema is only a reference to itself through other references; represented as `serde_json::Value`",
                );
            }
            continue;
        }
        for id in component {
            cycles[id.index()] = Some(next);
        }
        next += 1;
    }
    let facts = GraphFacts {
        looping_variants,
        indirect,
        recursion_limit,
        cycles,
        alias_cycles,
        error_only: error_only(table, groups, webhook_payloads),
    };
    (facts, diags)
}

/// The variants of unions that lead back to their union through unions and aliases only: in
/// the graph of "a union's variant is this model" and "an alias stands for this model", the
/// variants that stay inside a cycle. A union that lists itself adds no values by it, so
/// leaving such a variant out keeps the union's meaning where it loops on itself, and avoids
/// decoding that recurses forever everywhere.
fn looping_variants(table: &TypeTable, diags: &mut Diagnostics) -> BTreeSet<(TypeId, usize)> {
    let edges: Vec<Vec<TypeId>> = table
        .types
        .iter()
        .map(|t| match &t.kind {
            TypeKind::Union(u) => u.variants.iter().filter_map(|v| v.ty.named()).collect(),
            TypeKind::Alias(a) => a.named().into_iter().collect(),
            _ => Vec::new(),
        })
        .collect();
    let mut component_of = vec![usize::MAX; edges.len()];
    for (c, members) in strongly_connected(&edges).iter().enumerate() {
        let cyclic = members.len() > 1 || edges[members[0].index()].contains(&members[0]);
        if cyclic {
            for id in members {
                component_of[id.index()] = c;
            }
        }
    }
    let mut out = BTreeSet::new();
    for (id, t) in table.iter() {
        let TypeKind::Union(u) = &t.kind else {
            continue;
        };
        let here = component_of[id.index()];
        if here == usize::MAX {
            continue;
        }
        for (i, v) in u.variants.iter().enumerate() {
            if v.ty
                .named()
                .is_some_and(|target| component_of[target.index()] == here)
            {
                out.insert((id, i));
                diags.warning(
                    &t.pointer,
                    format!(
                        "variant {i} leads back to this union through unions only, which no value can end; it is left out"
                    ),
                );
            }
        }
    }
    out
}

/// Weights of the steps the compiler takes to prove an auto trait (`Send`, ...) through a
/// member, by wrapper: a model (`Foo`, boxed: `Box`, its `Unique`, then `Foo`), `Option`,
/// `Nullable`, `Vec` (`RawVec`, its `PhantomData`) and `BTreeMap` (a marker of a boxed node).
/// Upper bounds, measured on rustc 1.95: a chain of models each holding the next in an
/// `Option<Box<_>>` overflows the default recursion limit of 128 after about 32 links.
mod weight {
    pub const MODEL: u32 = 3;
    pub const OPTION: u32 = 1;
    pub const NULLABLE: u32 = 2;
    pub const VEC: u32 = 3;
    pub const MAP: u32 = 6;
}

/// Largest proof depth a recursive group may reach inside itself; a larger group holds every
/// reference between its members as `Indirect`.
pub const GROUP_BUDGET: u32 = 40;
/// Largest proof depth a reference may lead into (its weight and the depth below its target);
/// a deeper one is held as `Indirect`. With [`GROUP_BUDGET`], any proof stays under 96 steps,
/// a third below the limit, which leaves room for the context that asks (a future, a result).
pub const REFERENCE_BUDGET: u32 = 56;

/// Every reference from model to model, with the weight of its proof step.
/// The weighted reference graph and its strongly connected components (recursive groups),
/// leaves first, as Tarjan's algorithm gives them.
struct Condensed {
    /// Each model's references, with their weights.
    references: Vec<Vec<(TypeId, u32)>>,
    /// The components, leaves first.
    components: Vec<Vec<TypeId>>,
    /// The component of each model.
    component_of: Vec<usize>,
}

fn condensed(table: &TypeTable, looping_variants: &BTreeSet<(TypeId, usize)>) -> Condensed {
    let references = weighted_references(table, looping_variants);
    let plain: Vec<Vec<TypeId>> = references
        .iter()
        .map(|r| r.iter().map(|(t, _)| *t).collect())
        .collect();
    let components = strongly_connected(&plain);
    let mut component_of = vec![0; plain.len()];
    for (c, members) in components.iter().enumerate() {
        for id in members {
            component_of[id.index()] = c;
        }
    }
    Condensed {
        references,
        components,
        component_of,
    }
}

fn weighted_references(
    table: &TypeTable,
    looping_variants: &BTreeSet<(TypeId, usize)>,
) -> Vec<Vec<(TypeId, u32)>> {
    fn walk(ty: &TypeRef, depth: u32, out: &mut Vec<(TypeId, u32)>) {
        match ty {
            TypeRef::Named(id) => out.push((*id, depth + weight::MODEL)),
            TypeRef::Option(inner) => walk(inner, depth + weight::OPTION, out),
            TypeRef::Vec(inner) => walk(inner, depth + weight::VEC, out),
            TypeRef::Map(inner) => walk(inner, depth + weight::MAP, out),
            _ => {}
        }
    }
    table
        .iter()
        .map(|(id, t)| {
            let mut out = Vec::new();
            match &t.kind {
                TypeKind::Struct(s) => {
                    for f in &s.fields {
                        let wrapper = match f.presence {
                            Presence::Required | Presence::Defaulted(_) => 0,
                            Presence::Optional | Presence::RequiredNullable => weight::OPTION,
                            Presence::OptionalNullable => weight::NULLABLE,
                        };
                        walk(&f.ty, wrapper, &mut out);
                    }
                    if let Some(a) = &s.additional {
                        walk(&a.ty, weight::MAP, &mut out);
                    }
                }
                TypeKind::Union(u) => {
                    for (i, v) in u.variants.iter().enumerate() {
                        if !looping_variants.contains(&(id, i)) {
                            walk(&v.ty, 0, &mut out);
                        }
                    }
                }
                TypeKind::Alias(a) => walk(a, 0, &mut out),
                TypeKind::Enum(_) | TypeKind::External(_) => {}
            }
            out
        })
        .collect()
}

/// The references to hold as `Indirect`, so that proving an auto trait of any model takes fewer
/// steps than the compiler allows. The compiler proves `Send` of a model by proving it of every
/// member's type, recursively, until a type repeats; the proof's depth is the longest chain of
/// distinct models it walks. So:
///
/// 1. in a recursive group (a strongly connected component of the reference graph) whose
///    members' proof steps add up to more than [`GROUP_BUDGET`], every reference between members
///    is indirect (any walk inside the group then stops after one step);
/// 2. then, from the leaves up, a reference whose weight plus the depth below its target exceeds
///    [`REFERENCE_BUDGET`] is indirect.
///
/// Small groups and shallow graphs (most APIs) get no indirection at all.
pub fn indirect_references(
    table: &TypeTable,
    looping_variants: &BTreeSet<(TypeId, usize)>,
) -> BTreeSet<(TypeId, TypeId)> {
    let Condensed {
        references,
        components,
        component_of,
    } = condensed(table, looping_variants);
    let mut indirect = BTreeSet::new();
    // Components come out leaves first: each one's depth is known before anything refers to it.
    let mut depth = vec![0u32; components.len()];
    for (c, members) in components.iter().enumerate() {
        let inside = |(target, _): &&(TypeId, u32)| component_of[target.index()] == c;
        let group_depth: u32 = members
            .iter()
            .map(|v| {
                references[v.index()]
                    .iter()
                    .filter(inside)
                    .map(|(_, w)| *w)
                    .max()
                    .unwrap_or(0)
            })
            .sum();
        let split = group_depth > GROUP_BUDGET;
        let mut below = 0;
        for v in members {
            for (target, w) in &references[v.index()] {
                let t = component_of[target.index()];
                if t == c {
                    if split {
                        indirect.insert((*v, *target));
                    }
                    continue;
                }
                let through = w + depth[t];
                if through > REFERENCE_BUDGET {
                    indirect.insert((*v, *target));
                } else {
                    below = below.max(through);
                }
            }
        }
        depth[c] = if split { below } else { group_depth + below };
    }
    indirect
}

/// The longest chain of distinct models that monomorphization may walk before its default
/// limit (128) bites, with a margin for the generic layers each step goes through.
pub const CHAIN_SAFE: u32 = 96;

/// The recursion limit a crate needs for its longest chain of distinct models, when that chain
/// is longer than [`CHAIN_SAFE`].
///
/// Why a limit, where everything else is solved by the shape of the types: when the compiler
/// instantiates (de)serialisation, every model on a chain goes through the same generic
/// functions once more (`Option`'s, `Vec`'s, `Indirect`'s `deserialize`), and it counts how
/// deeply each such function nests. Deserialising a model must call its members'
/// deserialisers directly (that is how its type is known), so no representation of the members
/// shortens that nesting, `Box` and `Indirect` included; only the limit can follow the chain.
/// (`Indirect` still keeps auto-trait proofs, which take about four steps a model, far below
/// the limit.) The chain is bounded from above: a recursive group counts all its members, and
/// groups add up along the longest path between them. The limit is that bound plus 128.
pub fn needed_recursion_limit(
    table: &TypeTable,
    looping_variants: &BTreeSet<(TypeId, usize)>,
) -> Option<u32> {
    let Condensed {
        references,
        components,
        component_of,
    } = condensed(table, looping_variants);
    // Leaves first, as Tarjan's algorithm gives them.
    let mut chain = vec![0u32; components.len()];
    for (c, members) in components.iter().enumerate() {
        let below = members
            .iter()
            .flat_map(|v| &references[v.index()])
            .map(|(t, _)| component_of[t.index()])
            .filter(|&t| t != c)
            .map(|t| chain[t])
            .max()
            .unwrap_or(0);
        chain[c] = u32::try_from(members.len())
            .unwrap_or(u32::MAX)
            .saturating_add(below);
    }
    let longest = chain.into_iter().max().unwrap_or(0);
    (longest > CHAIN_SAFE).then(|| longest.saturating_add(128))
}

/// Models reachable from error response types and not from parameters, bodies, success
/// responses or webhook payloads: servers' error paths are the least disciplined, and a missing
/// field must not lose the whole typed body.
fn error_only(
    table: &TypeTable,
    groups: &[GroupDraft],
    webhook_payloads: &[&TypeRef],
) -> BTreeSet<TypeId> {
    let mut error_roots = Vec::new();
    let mut other_roots: Vec<&TypeRef> = webhook_payloads.to_vec();
    for op in groups.iter().flat_map(|g| &g.operations) {
        let def = &op.def;
        error_roots.extend(def.error_type.iter());
        other_roots.extend(def.params.iter().map(|p| &p.ty));
        other_roots.extend(def.body.iter().flat_map(|b| b.types()));
        other_roots.extend(def.success.json_type());
    }
    let from_errors = reachable(table, error_roots.into_iter());
    let from_rest = reachable(table, other_roots.into_iter());
    from_errors.difference(&from_rest).copied().collect()
}

/// The models `roots` reach, through every member.
pub(super) fn reachable<'a>(
    table: &TypeTable,
    roots: impl Iterator<Item = &'a TypeRef>,
) -> BTreeSet<TypeId> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<TypeId> = roots.flat_map(TypeRef::models).collect();
    while let Some(id) = stack.pop() {
        if seen.insert(id) {
            stack.extend(table.get(id).kind.referenced());
        }
    }
    seen
}

/// The strongly connected components of a graph given as adjacency lists (Tarjan's algorithm,
/// with an explicit stack so that deep graphs cannot overflow the call stack). Each component
/// lists its members; components come out in reverse topological order.
fn strongly_connected(edges: &[Vec<TypeId>]) -> Vec<Vec<TypeId>> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<usize> = Vec::new();
    let mut components = Vec::new();
    let mut counter = 0;
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        // (node, next edge to follow)
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        index[root] = counter;
        low[root] = counter;
        counter += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (node, ref mut next)) = work.last_mut() {
            if let Some(target) = edges[node].get(*next).map(|t| t.index()) {
                *next += 1;
                if index[target] == UNSEEN {
                    index[target] = counter;
                    low[target] = counter;
                    counter += 1;
                    stack.push(target);
                    on_stack[target] = true;
                    work.push((target, 0));
                } else if on_stack[target] {
                    low[node] = low[node].min(index[target]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                let mut component = Vec::new();
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component.push(TypeId(member as u32));
                    if member == node {
                        break;
                    }
                }
                component.sort();
                components.push(component);
            }
        }
    }
    components
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(v: &[u32]) -> Vec<TypeId> {
        v.iter().map(|i| TypeId(*i)).collect()
    }

    #[test]
    fn components_of_a_small_graph() {
        // 0 -> 1 -> 2 -> 0, 2 -> 3, 3 -> 3, 4
        let edges = vec![ids(&[1]), ids(&[2]), ids(&[0, 3]), ids(&[3]), ids(&[])];
        let mut found = strongly_connected(&edges);
        found.sort();
        assert_eq!(found, vec![ids(&[0, 1, 2]), ids(&[3]), ids(&[4])]);
    }

    #[test]
    fn a_long_chain_does_not_overflow_the_stack() {
        let n = 200_000;
        let edges: Vec<Vec<TypeId>> = (0..n)
            .map(|i| if i + 1 < n { ids(&[i + 1]) } else { ids(&[0]) })
            .collect();
        let found = strongly_connected(&edges);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].len(), n as usize);
    }
}
