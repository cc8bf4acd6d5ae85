//! The palette and the inspector: add regions, AZs and nodes; edit what is selected
//! (a node's name, roles, voting and stake; an AZ's or region's name; several nodes at
//! once); with nothing selected, the scenario-wide chain parameters.
//!
//! Invariants: every change goes out as one [`Edit`] through `on_edit`, so it is
//! validated, undoable and saved like any other; a value the core refuses leaves the
//! scenario as it was, and the field keeps what the user typed next to the message
//! saying why (nothing typed is lost).

use yew::prelude::*;

use crate::edit::{self, Edit, Target};
use crate::scenario::duration::format_duration;
use crate::scenario::file::{BackupFile, EntryKind, Role, ScenarioFile};

use super::ByPointer;

#[derive(Properties, PartialEq)]
pub struct TextFieldProps {
    pub label: AttrValue,
    pub value: AttrValue,
    pub on_commit: Callback<String>,
    #[prop_or_default]
    pub hint: AttrValue,
    #[prop_or_default]
    pub class: AttrValue,
}

/// A text field that commits on Enter or when it loses focus, and shows the stored
/// value again whenever that changes (undo, another selection).
#[function_component(TextField)]
pub fn text_field(props: &TextFieldProps) -> Html {
    let text = use_state(|| props.value.to_string());
    {
        let text = text.clone();
        use_effect_with(props.value.clone(), move |value| {
            text.set(value.to_string())
        });
    }
    let on_input = {
        let text = text.clone();
        Callback::from(move |event: InputEvent| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            text.set(input.value());
        })
    };
    let on_change = {
        let on_commit = props.on_commit.clone();
        let stored = props.value.clone();
        Callback::from(move |event: Event| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            if input.value() != stored.as_str() {
                on_commit.emit(input.value());
            }
        })
    };
    html! {
        <label class={classes!("field", props.class.to_string())}>
            <span class="field-label">{ props.label.clone() }</span>
            <input type="text" value={(*text).clone()} oninput={on_input} onchange={on_change}
                aria-label={props.label.clone()} />
            if !props.hint.is_empty() {
                <span class="field-hint">{ props.hint.clone() }</span>
            }
        </label>
    }
}

#[derive(Properties, PartialEq)]
pub struct InspectorProps {
    /// Shared with the shell's state (so a render copies no file) and compared by
    /// identity (so a render compares no file).
    pub file: ByPointer<ScenarioFile>,
    pub selection: Vec<Target>,
    /// The moment shown, where a panel uses it (the partition tool of a selection of
    /// several things starts there); 0 elsewhere, so the props stay equal while
    /// playing and the panel is not rebuilt on every frame.
    pub at_ms: u64,
    pub on_edit: Callback<Edit>,
    pub open_menu: Callback<Target>,
    /// Why the last edit was refused (`PATH: message`), shown here, by the fields.
    pub errors: Vec<String>,
}

/// Where an added node goes: the AZ of the first selected thing that has one, or the
/// first AZ.
fn az_for_new_node(file: &ScenarioFile, selection: &[Target]) -> Option<String> {
    selection
        .iter()
        .find_map(|target| edit::az_of(file, target))
        .or_else(|| {
            file.regions
                .first()
                .and_then(|region| region.azs.first())
                .map(|az| az.id.clone())
        })
}

/// Where an added AZ goes: the region of the first selected thing that has one, or
/// the first region.
fn region_for_new_az(file: &ScenarioFile, selection: &[Target]) -> Option<String> {
    selection
        .iter()
        .find_map(|target| edit::region_of(file, target))
        .or_else(|| file.regions.first().map(|region| region.id.clone()))
}

#[function_component(Palette)]
pub fn palette(props: &InspectorProps) -> Html {
    let add_node = |role: Role| {
        let on_edit = props.on_edit.clone();
        let az = az_for_new_node(&props.file.0, &props.selection);
        Callback::from(move |_: MouseEvent| {
            if let Some(az) = az.clone() {
                on_edit.emit(Edit::AddNode { az, role });
            }
        })
    };
    let add_az = {
        let on_edit = props.on_edit.clone();
        let region = region_for_new_az(&props.file.0, &props.selection);
        Callback::from(move |_: MouseEvent| {
            if let Some(region) = region.clone() {
                on_edit.emit(Edit::AddAz { region });
            }
        })
    };
    let add_region = {
        let on_edit = props.on_edit.clone();
        Callback::from(move |_: MouseEvent| on_edit.emit(Edit::AddRegion))
    };
    let into = az_for_new_node(&props.file.0, &props.selection).unwrap_or_default();
    html! {
        <div class="palette" role="toolbar" aria-label="Add to the deployment">
            <span class="palette-label">{ format!("Add to AZ {into}:") }</span>
            <button type="button" class="add-peer" onclick={add_node(Role::Peer)}>{ "+ PEER" }</button>
            <button type="button" class="add-api" onclick={add_node(Role::Api)}>{ "+ API" }</button>
            <button type="button" class="add-dual" onclick={add_node(Role::Dual)}>{ "+ DUAL" }</button>
            <button type="button" class="add-az" onclick={add_az}>{ "+ AZ" }</button>
            <button type="button" class="add-region" onclick={add_region}>{ "+ Region" }</button>
        </div>
    }
}

/// The clients' entry point and the backup vault, edited in place.
fn clients_and_backups(file: &ScenarioFile, on_edit: &Callback<Edit>) -> Html {
    let entry_kind = file.clients.entry_point.kind;
    let set_entry = {
        let on_edit = on_edit.clone();
        Callback::from(move |event: Event| {
            let select: web_sys::HtmlSelectElement = event.target_unchecked_into();
            if let Some(kind) = EntryKind::parse(&select.value()) {
                on_edit.emit(Edit::SetEntryKind { kind });
            }
        })
    };
    let peers: Vec<String> = file
        .regions
        .iter()
        .flat_map(|region| &region.azs)
        .flat_map(|az| &az.nodes)
        .filter(|node| node.role.has_peer())
        .map(|node| node.id.clone())
        .collect();
    let backup_html = match &file.backup {
        None => {
            let add = peers.first().map(|source| {
                let on_edit = on_edit.clone();
                let backup = BackupFile::with_source(source.clone());
                Callback::from(move |_: MouseEvent| {
                    on_edit.emit(Edit::SetBackup {
                        backup: Some(backup.clone()),
                    })
                })
            });
            html! {
                <div class="inspector-actions">
                    if let Some(add) = add {
                        <button type="button" class="add-backup" onclick={add}>{ "+ Backup vault" }</button>
                    }
                    <span class="field-hint">{ "No backups: add a vault to plan backup and restore." }</span>
                </div>
            }
        }
        Some(backup) => {
            let set_source = {
                let on_edit = on_edit.clone();
                let backup = backup.clone();
                Callback::from(move |event: Event| {
                    let select: web_sys::HtmlSelectElement = event.target_unchecked_into();
                    let mut next = backup.clone();
                    next.source = select.value();
                    on_edit.emit(Edit::SetBackup { backup: Some(next) });
                })
            };
            let set_copy = {
                let on_edit = on_edit.clone();
                let backup = backup.clone();
                Callback::from(move |event: Event| {
                    let select: web_sys::HtmlSelectElement = event.target_unchecked_into();
                    let mut next = backup.clone();
                    next.copy_to_region = Some(select.value()).filter(|region| !region.is_empty());
                    on_edit.emit(Edit::SetBackup { backup: Some(next) });
                })
            };
            let set_interval = {
                let on_edit = on_edit.clone();
                Callback::from(move |value: String| on_edit.emit(Edit::SetBackupInterval { value }))
            };
            html! {
                <>
                    <label class="field">
                        <span class="field-label">{ "Backup source" }</span>
                        <select class="backup-source" onchange={set_source}>
                            { for peers.iter().map(|id| html! { <option value={id.clone()} selected={*id == backup.source}>{ id.clone() }</option> }) }
                        </select>
                    </label>
                    <TextField label="Backup every" value={format_duration(backup.interval_ms)} class="backup-interval"
                        hint="duration (1h, 2h, 1d)" on_commit={set_interval} />
                    <label class="field">
                        <span class="field-label">{ "Copy to region" }</span>
                        <select class="backup-copy" onchange={set_copy}>
                            <option value="" selected={backup.copy_to_region.is_none()}>{ "no copy" }</option>
                            { for file.regions.iter().map(|region| html! {
                                <option value={region.id.clone()} selected={backup.copy_to_region.as_deref() == Some(region.id.as_str())}>{ region.id.clone() }</option>
                            }) }
                        </select>
                    </label>
                    <div class="inspector-actions">
                        <button type="button" class="remove-backup" onclick={{
                            let on_edit = on_edit.clone();
                            Callback::from(move |_: MouseEvent| on_edit.emit(Edit::SetBackup { backup: None }))
                        }}>{ "Remove the backup vault" }</button>
                    </div>
                </>
            }
        }
    };
    html! {
        <>
            <h3>{ "Clients and backups" }</h3>
            <label class="field">
                <span class="field-label">{ "Clients reach the API via" }</span>
                <select class="entry-kind" onchange={set_entry}>
                    { for [EntryKind::LoadBalancer, EntryKind::DnsFailover, EntryKind::LatencyRouting, EntryKind::Direct].into_iter().map(|kind| html! {
                        <option value={kind.as_str()} selected={kind == entry_kind}>
                            { match kind { EntryKind::LoadBalancer => "a load balancer", EntryKind::DnsFailover => "DNS failover", EntryKind::LatencyRouting => "clients in every region (latency routing)", EntryKind::Direct => "one API node, directly" } }
                        </option>
                    }) }
                </select>
            </label>
            { backup_html }
        </>
    }
}

fn selected_nodes(selection: &[Target]) -> Vec<String> {
    selection
        .iter()
        .filter_map(|target| match target {
            Target::Node(id) => Some(id.clone()),
            _ => None,
        })
        .collect()
}

/// Faults added from the inspector last this long (cut at the end of the run).
const PARTITION_LENGTH_MS: u64 = 30 * 60_000;

#[function_component(Inspector)]
pub fn inspector(props: &InspectorProps) -> Html {
    let stake_error = use_state(|| None::<String>);
    let file = &props.file.0;
    let on_edit = &props.on_edit;
    let nodes = selected_nodes(&props.selection);
    let all_azs: Vec<String> = file
        .regions
        .iter()
        .flat_map(|region| region.azs.iter().map(|az| az.id.clone()))
        .collect();
    let emit = |edit: Edit| {
        let on_edit = on_edit.clone();
        Callback::from(move |_: MouseEvent| on_edit.emit(edit.clone()))
    };
    let move_to = {
        let on_edit = on_edit.clone();
        let nodes = nodes.clone();
        Callback::from(move |event: Event| {
            let select: web_sys::HtmlSelectElement = event.target_unchecked_into();
            let to_az = select.value();
            if !to_az.is_empty() {
                on_edit.emit(Edit::MoveNodes {
                    nodes: nodes.clone(),
                    to_az,
                });
            }
        })
    };
    let move_select = html! {
        <label class="field">
            <span class="field-label">{ "Move to AZ" }</span>
            <select class="move-to-az" onchange={move_to}>
                <option value="" selected=true>{ "choose…" }</option>
                { for all_azs.iter().map(|az| html! { <option value={az.clone()}>{ az.clone() }</option> }) }
            </select>
        </label>
    };
    let body = match props.selection.as_slice() {
        [] => {
            let parameters = edit::chain_parameters(file);
            html! {
                <>
                    { clients_and_backups(file, on_edit) }
                    <h3>{ "Scenario parameters" }</h3>
                    <p class="field-hint">{ "Select a node, AZ or region on the canvas to edit it. Changes apply when you press Enter or leave the field." }</p>
                    <div class="parameter-grid">
                        { for parameters.into_iter().map(|parameter| {
                            let on_edit = on_edit.clone();
                            let name = parameter.name.to_string();
                            html! {
                                <TextField label={parameter.label} value={parameter.value_text.clone()} hint={parameter.unit_hint}
                                    class={format!("parameter parameter-{}", parameter.name.replace('.', "-"))}
                                    on_commit={Callback::from(move |value: String| on_edit.emit(Edit::SetChainParameter { name: name.clone(), value }))} />
                            }
                        }) }
                    </div>
                </>
            }
        }
        [Target::Node(id)] => {
            let Some(node) = file
                .regions
                .iter()
                .flat_map(|region| &region.azs)
                .flat_map(|az| &az.nodes)
                .find(|node| &node.id == id)
            else {
                return html! {};
            };
            let rename = {
                let on_edit = on_edit.clone();
                let from = id.clone();
                Callback::from(move |to: String| {
                    on_edit.emit(Edit::RenameNode {
                        from: from.clone(),
                        to,
                    })
                })
            };
            let set_role = {
                let on_edit = on_edit.clone();
                let node = id.clone();
                Callback::from(move |event: Event| {
                    let select: web_sys::HtmlSelectElement = event.target_unchecked_into();
                    if let Some(role) = Role::parse(&select.value()) {
                        on_edit.emit(Edit::SetNodeRole {
                            node: node.clone(),
                            role,
                        });
                    }
                })
            };
            let set_voting = {
                let on_edit = on_edit.clone();
                let node = id.clone();
                Callback::from(move |event: Event| {
                    let input: web_sys::HtmlInputElement = event.target_unchecked_into();
                    on_edit.emit(Edit::SetNodeVoting {
                        node: node.clone(),
                        voting: input.checked(),
                    });
                })
            };
            let set_stake = {
                let on_edit = on_edit.clone();
                let node = id.clone();
                let stake_error = stake_error.clone();
                Callback::from(move |text: String| {
                    match text.trim().replace('_', "").parse::<u64>() {
                    Ok(stake) => {
                        stake_error.set(None);
                        on_edit.emit(Edit::SetNodeStake {
                            node: node.clone(),
                            stake,
                        });
                    }
                    Err(_) => stake_error.set(Some(format!(
                        "stake: \"{text}\" is not a whole number of tokens: write digits only, like 3000000"
                    ))),
                }
                })
            };
            let role = node.role;
            html! {
                <>
                    <h3>{ format!("Node {id}") }</h3>
                    <TextField label="Name" value={id.clone()} class="node-name-field" on_commit={rename} />
                    <label class="field">
                        <span class="field-label">{ "Roles" }</span>
                        <select class="node-role" onchange={set_role}>
                            { for Role::ALL.iter().map(|option| html! {
                                <option value={option.as_str()} selected={*option == role}>
                                    { match option { Role::Peer => "PEER (stores and harvests blocks)", Role::Api => "API (serves clients)", Role::Dual => "DUAL (PEER + API)" } }
                                </option>
                            }) }
                        </select>
                    </label>
                    <label class="field checkbox">
                        <input type="checkbox" class="node-voting" checked={node.voting} onchange={set_voting} />
                        <span>{ "Voting (finalization)" }</span>
                    </label>
                    <TextField label="Stake" value={node.stake.to_string()} class="node-stake" hint="tokens; harvesting power" on_commit={set_stake} />
                    if let Some(message) = &*stake_error {
                        <p class="field-error" role="alert">{ message }</p>
                    }
                    { move_select }
                    <div class="inspector-actions">
                        <button type="button" class="duplicate-nodes" onclick={emit(Edit::DuplicateNodes { nodes: nodes.clone() })}>{ "Duplicate" }</button>
                        <button type="button" class="delete-nodes" onclick={emit(Edit::DeleteNodes { nodes: nodes.clone() })}>{ "Delete" }</button>
                        <button type="button" class="break-target" onclick={{
                            let open_menu = props.open_menu.clone();
                            let target = Target::Node(id.clone());
                            Callback::from(move |_: MouseEvent| open_menu.emit(target.clone()))
                        }}>{ "Break…" }</button>
                    </div>
                </>
            }
        }
        [Target::Az(id)] => {
            let rename = {
                let on_edit = on_edit.clone();
                let from = id.clone();
                Callback::from(move |to: String| {
                    on_edit.emit(Edit::RenameAz {
                        from: from.clone(),
                        to,
                    })
                })
            };
            html! {
                <>
                    <h3>{ format!("Availability zone {id}") }</h3>
                    <TextField label="Name" value={id.clone()} class="az-name-field" on_commit={rename} />
                    <div class="inspector-actions">
                        <button type="button" class="add-peer-here" onclick={emit(Edit::AddNode { az: id.clone(), role: Role::Peer })}>{ "+ PEER here" }</button>
                        <button type="button" class="delete-az" onclick={emit(Edit::DeleteAz { az: id.clone() })}>{ "Delete AZ" }</button>
                        <button type="button" class="break-target" onclick={{
                            let open_menu = props.open_menu.clone();
                            let target = Target::Az(id.clone());
                            Callback::from(move |_: MouseEvent| open_menu.emit(target.clone()))
                        }}>{ "Break…" }</button>
                    </div>
                </>
            }
        }
        [Target::Region(id)] => {
            let rename = {
                let on_edit = on_edit.clone();
                let from = id.clone();
                Callback::from(move |to: String| {
                    on_edit.emit(Edit::RenameRegion {
                        from: from.clone(),
                        to,
                    })
                })
            };
            html! {
                <>
                    <h3>{ format!("Region {id}") }</h3>
                    <TextField label="Name" value={id.clone()} class="region-name-field" on_commit={rename} />
                    <div class="inspector-actions">
                        <button type="button" class="add-az-here" onclick={emit(Edit::AddAz { region: id.clone() })}>{ "+ AZ here" }</button>
                        <button type="button" class="delete-region" onclick={emit(Edit::DeleteRegion { region: id.clone() })}>{ "Delete region" }</button>
                        <button type="button" class="break-target" onclick={{
                            let open_menu = props.open_menu.clone();
                            let target = Target::Region(id.clone());
                            Callback::from(move |_: MouseEvent| open_menu.emit(target.clone()))
                        }}>{ "Break…" }</button>
                    </div>
                </>
            }
        }
        [Target::Link(first, second)] => html! {
            <>
                <h3>{ format!("Link {first} ↔ {second}") }</h3>
                <p class="field-hint">{ "Latency between regions is a scenario parameter (clear the selection to edit it)." }</p>
                <div class="inspector-actions">
                    <button type="button" class="break-target" onclick={{
                        let open_menu = props.open_menu.clone();
                        let target = Target::Link(first.clone(), second.clone());
                        Callback::from(move |_: MouseEvent| open_menu.emit(target.clone()))
                    }}>{ "Cut or degrade…" }</button>
                </div>
            </>
        },
        _ => {
            // Several things: what applies to all the selected nodes.
            let rest: Vec<String> = file
                .regions
                .iter()
                .flat_map(|region| &region.azs)
                .flat_map(|az| &az.nodes)
                .map(|node| node.id.clone())
                .filter(|id| !nodes.contains(id))
                .collect();
            let partition = (!nodes.is_empty() && !rest.is_empty()).then(|| {
                edit::partition_fault(
                    vec![nodes.clone(), rest.clone()],
                    props.at_ms,
                    PARTITION_LENGTH_MS,
                    file.duration_ms,
                )
            });
            html! {
                <>
                    <h3>{ format!("{} selected ({} node{})", props.selection.len(), nodes.len(), if nodes.len() == 1 { "" } else { "s" }) }</h3>
                    if !nodes.is_empty() {
                        { move_select }
                        <div class="inspector-actions">
                            <button type="button" class="duplicate-nodes" onclick={emit(Edit::DuplicateNodes { nodes: nodes.clone() })}>{ "Duplicate" }</button>
                            <button type="button" class="delete-nodes" onclick={emit(Edit::DeleteNodes { nodes: nodes.clone() })}>{ "Delete" }</button>
                        </div>
                    }
                    if let Some(fault) = partition {
                        <div class="partition-tool">
                            <p class="field-hint">{ format!("Partition tool: split these {} nodes from the other {} at {} for {}.", nodes.len(), rest.len(),
                                crate::scenario::duration::describe_duration(props.at_ms), crate::scenario::duration::describe_duration(PARTITION_LENGTH_MS)) }</p>
                            <button type="button" class="partition-selection" onclick={emit(Edit::AddFault(fault))}>{ "Partition the selection from the rest" }</button>
                        </div>
                    }
                </>
            }
        }
    };
    html! {
        <div class="inspector" aria-label="Inspector">
            { body }
            if !props.errors.is_empty() {
                <ul class="edit-errors" role="alert">{ for props.errors.iter().map(|error| html! { <li>{ error }</li> }) }</ul>
            }
        </div>
    }
}
