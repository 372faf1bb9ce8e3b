"""The dependency graph of a state, as pkg/resource/graph/dependency_graph.go walks it."""

from __future__ import annotations

from .state import ResourceState, provider_ref_urn


def dependencies_of(res: ResourceState) -> set[str]:
    """URNs ``res`` depends on: parent, dependencies, property dependencies, deleted-with,
    replace-with and its provider (``State.GetAllDependencies``)."""
    found = set(res.dependencies)
    for urns in res.property_dependencies.values():
        found.update(urns)
    found.update(res.replace_with)
    if res.parent:
        found.add(res.parent)
    if res.deleted_with:
        found.add(res.deleted_with)
    if res.provider:
        found.add(provider_ref_urn(res.provider))
    found.discard(res.urn)
    return found


def depending_on(
    resources: list[ResourceState], root: ResourceState, ignore: set[str]
) -> list[ResourceState]:
    """``DependencyGraph.DependingOn`` without children: the resources after ``root`` in
    ``resources`` that depend on it directly or through others, in state order."""
    try:
        start = next(i for i, r in enumerate(resources) if r is root)
    except StopIteration:
        return []
    found: list[ResourceState] = []
    dependent_urns = {root.urn}
    for candidate in resources[start + 1 :]:
        if candidate.urn in ignore:
            continue
        edges = set(candidate.dependencies) | set(candidate.replace_with)
        for urns in candidate.property_dependencies.values():
            edges.update(urns)
        if candidate.deleted_with:
            edges.add(candidate.deleted_with)
        if candidate.provider:
            edges.add(provider_ref_urn(candidate.provider))
        if edges & dependent_urns:
            found.append(candidate)
            dependent_urns.add(candidate.urn)
    return found


def deletion_antichains(condemned: list[ResourceState]) -> list[list[ResourceState]]:
    """``ScheduleDeletes``: batches that can be deleted together, dependents and children
    first; within a batch, the later-recorded resources come first."""
    remaining = list(condemned)
    rounds: list[list[ResourceState]] = []
    while remaining:
        urns = {r.urn for r in remaining}
        batch = [r for r in remaining if not (dependencies_of(r) & urns)]
        if not batch:  # a cycle: break it at the most recent resource
            batch = [remaining[-1]]
        chosen = {id(r) for r in batch}
        remaining = [r for r in remaining if id(r) not in chosen]
        batch.reverse()
        rounds.append(batch)
    rounds.reverse()
    return rounds
