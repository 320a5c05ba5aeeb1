//! Lowering phase 4b: the lenient view of models that webhook payloads carry.
//!
//! Takes: the type table, the webhook events and the grouped operations. Gives: the table with
//! every model that webhook payloads reach in a lenient form (every field optional), and the
//! events' payloads pointing at those forms.
//!
//! Senders of webhooks are looser than their API's responses: they leave out fields the API's
//! schema requires (HubSpot's message inside `OUTGOING_CHANNEL_MESSAGE_CREATED` comes without
//! `archived`, say). A receiver that rejects such an event loses it, since senders retry an
//! error answer only so often. So the webhook side decodes with only what is there:
//!
//! - a model that only webhook payloads reach is made lenient in place;
//! - a model that operations use too keeps its exact form for the API, and the webhook side
//!   gets a lenient twin of it (named `Webhook` + its name, see [`super::names`]) when it, or a
//!   model it reaches, has a field to relax; references from the webhook side follow the twins.
//!
//! Enums stay as they are (they are open already), as do field types: a value of the wrong type
//! still fails its event, which the generated parser then keeps whole with the reason. The
//! payloads' tag property (which names the event) stays required: an event reaches its payload
//! type only by carrying it.

use super::graph::reachable;
use super::grouping::GroupDraft;
use super::schemas::{DraftType, TypeNaming, TypeTable};
use crate::ir::{Presence, TypeId, TypeKind, TypeRef, WebhookEvent};
use std::collections::{BTreeMap, BTreeSet};

/// Makes the webhook side of `table` lenient and points `events` at it; `tag` is the payloads'
/// property that names the event, if they have one.
pub fn make_lenient(
    table: &mut TypeTable,
    events: &mut [WebhookEvent],
    tag: Option<&str>,
    groups: &[GroupDraft],
) {
    let webhook_side = reachable(table, events.iter().map(|e| &e.payload));
    if webhook_side.is_empty() {
        return;
    }
    let api_side = reachable(table, operation_types(groups));
    let shared: BTreeSet<TypeId> = webhook_side.intersection(&api_side).copied().collect();
    let twinned = needing_twins(table, &shared);

    // Twins, in id order so that the output is deterministic.
    let mut twin_of: BTreeMap<TypeId, TypeId> = BTreeMap::new();
    for &original in &twinned {
        let draft = table.get(original);
        let twin = DraftType {
            pointer: draft.pointer.clone(),
            doc: Some(twin_doc(draft)),
            kind: draft.kind.clone(),
            naming: TypeNaming::WebhookTwin(original),
            uses: draft.uses.clone(),
        };
        twin_of.insert(original, table.push(twin));
    }
    let follow = |ty: &mut TypeRef| {
        ty.for_each_model_mut(&mut |model| {
            if let TypeRef::Named(target) = model {
                if let Some(&twin) = twin_of.get(target) {
                    *target = twin;
                }
            }
        })
    };
    let lenient_ids = webhook_side
        .iter()
        .filter(|id| !shared.contains(id))
        .chain(twin_of.values());
    for event in events.iter_mut() {
        follow(&mut event.payload);
    }
    let roots: BTreeSet<TypeId> = events.iter().flat_map(|e| e.payload.named()).collect();
    for &id in lenient_ids.collect::<Vec<_>>() {
        let keep = tag.filter(|_| roots.contains(&id));
        let kind = &mut table.types[id.index()].kind;
        relax(kind, keep);
        kind.for_each_member_type_mut(follow);
    }
}

/// Every type an operation's parameters, body, success or error response uses.
fn operation_types(groups: &[GroupDraft]) -> impl Iterator<Item = &TypeRef> {
    groups.iter().flat_map(|g| &g.operations).flat_map(|op| {
        let def = &op.def;
        def.params
            .iter()
            .map(|p| &p.ty)
            .chain(def.body.iter().flat_map(|b| b.types()))
            .chain(def.success.json_type())
            .chain(def.error_type.iter())
    })
}

/// The shared models whose webhook form differs: a struct with a field to relax, or a model
/// that reaches one (found by a fixpoint, so that cycles are covered).
fn needing_twins(table: &TypeTable, shared: &BTreeSet<TypeId>) -> BTreeSet<TypeId> {
    let mut twinned: BTreeSet<TypeId> = shared
        .iter()
        .copied()
        .filter(|&id| has_strict_field(&table.get(id).kind))
        .collect();
    loop {
        let more: Vec<TypeId> = shared
            .iter()
            .copied()
            .filter(|id| !twinned.contains(id))
            .filter(|&id| {
                table
                    .get(id)
                    .kind
                    .referenced()
                    .iter()
                    .any(|t| twinned.contains(t))
            })
            .collect();
        if more.is_empty() {
            return twinned;
        }
        twinned.extend(more);
    }
}

fn has_strict_field(kind: &TypeKind) -> bool {
    matches!(kind, TypeKind::Struct(s) if s.has_required_fields())
}

/// Every required field of a struct made optional (a required nullable one optional and
/// nullable, so that an explicit `null` still reads), except the one `keep` names.
fn relax(kind: &mut TypeKind, keep: Option<&str>) {
    let TypeKind::Struct(s) = kind else {
        return;
    };
    for field in s
        .fields
        .iter_mut()
        .filter(|f| Some(f.wire.as_str()) != keep)
    {
        field.presence = match field.presence {
            Presence::Required => Presence::Optional,
            Presence::RequiredNullable => Presence::OptionalNullable,
            ref other => other.clone(),
        };
    }
}

fn twin_doc(original: &DraftType) -> String {
    let lead = "The form webhook payloads carry of the schema at";
    let rest = "every field is optional, since webhook senders leave out fields the API's own responses always have.";
    match &original.doc {
        Some(doc) => format!("{doc}\n\n{lead} `{}`: {rest}", original.pointer),
        None => format!("{lead} `{}`: {rest}", original.pointer),
    }
}
